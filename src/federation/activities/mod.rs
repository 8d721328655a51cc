//! Received activities, one kind per file: [`classify`] reads an activity's `type` (and, where
//! the type alone does not say, what this node knows about its object) into one [`Accepted`]
//! variant, and [`apply`] hands each variant to its handler. Nothing else in the node looks
//! at an incoming activity's type string.
//!
//! Follows the shape of the `activitypub_federation` examples and Lemmy's `activities/`:
//! one handler per activity, each citing the part of ActivityPub (or Gotong's own referral
//! vocabulary, docs/federation.md) it implements.

mod answer;
mod classify;
mod create_or_update;
mod delete;
mod flag;
mod follow;
mod referral_answer;
mod referral_erase;
mod referral_message;
mod referral_offer;
mod referral_update;
mod undo;

#[cfg(test)]
mod tests;

pub use classify::{classify, is_account_delete};

use super::protocol::referral::ReferralJson;
use super::protocol::{ActivityJson, ObjectRef};
use super::{FedData, FederationError, FederationResult};
use crate::db::ReferralRow;
use serde_json::{Map, Value};

/// An activity as the inbox parsed it: the envelope, with `object` an id, an embedded object
/// or a list.
pub type Incoming = ActivityJson<Option<ObjectRef>>;

/// Every kind of received activity this node acts on, and `Ignored` for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// `Follow` of one of our organisations.
    Follow,
    /// `Accept` (`accepted`) or `Reject` of a `Follow` one of our organisations sent.
    FollowAnswer { accepted: bool },
    /// `Undo` of a `Follow` (or of an object given by id only).
    UndoFollow,
    /// `Create` of a `Note`, `Article` or `Page`.
    CreatePost,
    /// `Update` of a `Note`, `Article` or `Page`.
    UpdatePost,
    /// `Update` of an actor: its profile or key changed.
    UpdateActor,
    /// `Delete` of an object.
    DeletePost,
    /// `Delete` whose object is the sender itself: an account deletion.
    DeleteActor,
    /// `Flag`: a report.
    Flag,
    /// `Offer` of a referral to one of our organisations.
    ReferralOffer,
    /// `Accept` (`accepted`) or `Reject` of a referral's `Offer` this node holds.
    ReferralAnswer { accepted: bool },
    /// `Update` of a `Referral`: a change of status by the other party.
    ReferralUpdate,
    /// `Create` of a message whose `context` is a referral this node holds.
    ReferralMessage,
    /// `Delete` of a referral this node holds: erase it now.
    ReferralErase,
    /// Acknowledged and ignored (ActivityPub §7: `Like`, `Announce`, `Add`, `Move`, ...).
    Ignored,
}

impl Accepted {
    /// Referral activities are applied while the sender waits, so a change the rules refuse
    /// is answered with an error at once; everything else is stored and applied by the
    /// worker after the answer.
    pub fn applied_while_sender_waits(self) -> bool {
        match self {
            Accepted::ReferralOffer
            | Accepted::ReferralAnswer { .. }
            | Accepted::ReferralUpdate
            | Accepted::ReferralMessage
            | Accepted::ReferralErase => true,
            Accepted::Follow
            | Accepted::FollowAnswer { .. }
            | Accepted::UndoFollow
            | Accepted::CreatePost
            | Accepted::UpdatePost
            | Accepted::UpdateActor
            | Accepted::DeletePost
            | Accepted::DeleteActor
            | Accepted::Flag
            | Accepted::Ignored => false,
        }
    }
}

/// Classifies and applies a stored activity (the worker's path).
pub async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    if refused(data, activity).await? {
        return Ok(());
    }
    let accepted = classify(data.store.as_ref(), activity).await?;
    dispatch(data, activity, accepted).await
}

/// Applies an activity already classified (the inbox's path for what the sender waits for).
pub async fn apply(
    data: &FedData,
    activity: &Incoming,
    accepted: Accepted,
) -> FederationResult<()> {
    if refused(data, activity).await? {
        return Ok(());
    }
    dispatch(data, activity, accepted).await
}

/// Stored before the actor was suspended or left: dropped now.
async fn refused(data: &FedData, activity: &Incoming) -> FederationResult<bool> {
    Ok(crate::domain::moderation::is_refused(data.store.as_ref(), activity.actor.as_str()).await?)
}

async fn dispatch(data: &FedData, activity: &Incoming, accepted: Accepted) -> FederationResult<()> {
    match accepted {
        Accepted::Follow => follow::receive(data, activity).await,
        Accepted::FollowAnswer { accepted } => answer::receive(data, activity, accepted).await,
        Accepted::UndoFollow => undo::receive(data, activity).await,
        Accepted::CreatePost | Accepted::UpdatePost => {
            create_or_update::receive_post(data, activity).await
        }
        Accepted::UpdateActor => create_or_update::receive_actor(data, activity).await,
        Accepted::DeletePost => delete::receive_post(data, activity).await,
        Accepted::DeleteActor => delete::receive_actor(data, activity).await,
        Accepted::Flag => flag::receive(data, activity).await,
        Accepted::ReferralOffer => referral_offer::receive(data, activity).await,
        Accepted::ReferralAnswer { accepted } => {
            referral_answer::receive(data, activity, accepted).await
        }
        Accepted::ReferralUpdate => referral_update::receive(data, activity).await,
        Accepted::ReferralMessage => referral_message::receive(data, activity).await,
        Accepted::ReferralErase => referral_erase::receive(data, activity).await,
        Accepted::Ignored => Ok(()),
    }
}

// ------------------------------------------------------------- shared by the handlers

/// The `object`, which every handled activity needs.
fn object(activity: &Incoming) -> FederationResult<&ObjectRef> {
    activity
        .object
        .as_ref()
        .ok_or_else(|| bad(&format!("{} without object", activity.kind)))
}

/// The object's id, whichever form it was sent in.
fn object_id(activity: &Incoming) -> Option<String> {
    activity.object.as_ref()?.id().map(String::from)
}

/// The object when it was sent embedded.
fn embedded(activity: &Incoming) -> Option<&Map<String, Value>> {
    match activity.object.as_ref()? {
        ObjectRef::Embedded(map) => Some(map),
        ObjectRef::Id(_) | ObjectRef::Many(_) => None,
    }
}

/// The referral a message belongs to: its embedded object's `context`.
fn context_of(activity: &Incoming) -> Option<&str> {
    embedded(activity)?.get("context")?.as_str()
}

/// Only the other party of a referral may act on it.
fn check_counterpart(row: &ReferralRow, activity: &Incoming) -> FederationResult<()> {
    if row.counterpart != activity.actor.as_str() {
        return Err(FederationError::Forbidden(
            "not a party to this referral".into(),
        ));
    }
    Ok(())
}

/// The embedded `Referral`, read into its wire type.
fn referral_object(activity: &Incoming) -> FederationResult<ReferralJson> {
    let map = embedded(activity).ok_or_else(|| bad("the referral must be embedded"))?;
    serde_json::from_value(Value::Object(map.clone()))
        .map_err(|_| bad("the referral object is not readable"))
}

fn bad(why: &str) -> FederationError {
    FederationError::BadRequest(why.to_string())
}
