//! From an activity's `type` to an [`Accepted`] variant: the one place that reads the type
//! strings of received activities and of the objects they carry.
//!
//! The type alone decides, except where ActivityPub reuses one type for two things Gotong
//! does differently; then what this node stores decides:
//! - `Accept`/`Reject`: of a referral's `Offer` when a referral was carried by that `Offer`,
//!   otherwise of a `Follow`.
//! - `Create`: a referral message when its object's `context` is a referral held here.
//! - `Delete`: an erasure when its object is a referral held here.
//!
//! A handled type whose object is missing or unreadable still gets its variant: its handler
//! refuses it with the reason (400), as a malformed activity deserves.

use super::{context_of, object_id, Accepted, Incoming};
use crate::db::Store;
use crate::federation::objects::POST_TYPES;
use crate::federation::protocol::referral::REFERRAL_TYPE;
use crate::federation::FederationResult;

/// Actor types whose `Update` is a change of profile or key (ActivityStreams §3.2 Actor Types).
const ACTOR_TYPES: [&str; 5] = ["Person", "Organization", "Service", "Group", "Application"];

/// The variant for `activity`, asking `store` only where the type does not decide.
pub async fn classify(store: &dyn Store, activity: &Incoming) -> FederationResult<Accepted> {
    let object_kind = activity.object.as_ref().and_then(|o| o.kind());
    Ok(match activity.kind.as_str() {
        "Follow" => Accepted::Follow,
        // Gotong takes no offers but referrals; one given by id only may be a referral sent
        // wrongly, which its handler refuses with the reason.
        "Offer" if object_kind.is_some_and(|k| k != REFERRAL_TYPE) => Accepted::Ignored,
        "Offer" => Accepted::ReferralOffer,
        kind @ ("Accept" | "Reject") => {
            let accepted = kind == "Accept";
            if answers_referral(store, activity).await? {
                Accepted::ReferralAnswer { accepted }
            } else {
                Accepted::FollowAnswer { accepted }
            }
        }
        // `Undo` of anything but a Follow (a Like, an Announce) changes nothing here; an id
        // alone may name a Follow.
        "Undo" if object_kind.is_some_and(|k| k != "Follow") => Accepted::Ignored,
        "Undo" => Accepted::UndoFollow,
        "Update" if object_kind == Some(REFERRAL_TYPE) => Accepted::ReferralUpdate,
        "Create" if in_referral_thread(store, activity).await? => Accepted::ReferralMessage,
        kind @ ("Create" | "Update") => {
            let update = kind == "Update";
            match object_kind {
                Some(k) if update && ACTOR_TYPES.contains(&k) => Accepted::UpdateActor,
                Some(k) if !POST_TYPES.contains(&k) => Accepted::Ignored,
                // An object given by id only carries nothing to keep.
                None if activity.object.is_some() => Accepted::Ignored,
                _ if update => Accepted::UpdatePost,
                _ => Accepted::CreatePost,
            }
        }
        "Delete" if erases_referral(store, activity).await? => Accepted::ReferralErase,
        "Delete" if is_account_delete(activity) => Accepted::DeleteActor,
        "Delete" => Accepted::DeletePost,
        "Flag" => Accepted::Flag,
        _ => Accepted::Ignored,
    })
}

/// A `Delete` whose object is its own actor: a server deleting an account. (Read before the
/// signature is checked too: such a Delete is verified with the stored key, see the inbox.)
pub fn is_account_delete(activity: &Incoming) -> bool {
    activity.kind == "Delete"
        && activity.object.as_ref().and_then(|o| o.id()).as_ref() == Some(&activity.actor)
}

/// The object is an `Offer` that carried a referral this node holds.
async fn answers_referral(store: &dyn Store, activity: &Incoming) -> FederationResult<bool> {
    Ok(match object_id(activity) {
        Some(id) => store.referral_by_offer_activity(&id).await?.is_some(),
        None => false,
    })
}

/// The embedded object's `context` is a referral this node holds.
async fn in_referral_thread(store: &dyn Store, activity: &Incoming) -> FederationResult<bool> {
    Ok(match context_of(activity) {
        Some(context) => store.referral_by_ap_id(None, context).await?.is_some(),
        None => false,
    })
}

/// The object is a referral this node holds.
async fn erases_referral(store: &dyn Store, activity: &Incoming) -> FederationResult<bool> {
    Ok(match object_id(activity) {
        Some(id) => store.referral_by_ap_id(None, &id).await?.is_some(),
        None => false,
    })
}
