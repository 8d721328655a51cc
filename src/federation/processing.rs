//! What received activities do: run out of the request by a worker over the stored inbox.

use super::actors::{fetch_actor, refetch_actor};
use super::protocol::referral::REFERRAL_TYPE;
use super::protocol::{ActivityJson, NoteJson, ObjectRef};
use super::{outbound, referral_inbox, FedData, FederationError, FederationResult, NodeContext};
use crate::db::{actors::Direction, InboxRow};
use crate::domain::sealing::Binding;
use crate::domain::{follows::FollowState, DomainError};
use activitypub_federation::config::FederationConfig;
use std::time::Duration;
use tokio::sync::watch;
use tracing::{debug, warn};

/// Attempts before an activity whose processing keeps failing on the network is given up.
const MAX_ATTEMPTS: i64 = 5;
const TICK: Duration = Duration::from_millis(500);

type Incoming = ActivityJson<Option<ObjectRef>>;

/// Runs until `shutdown`; anything not yet processed stays pending for the next start.
pub async fn run_processor(
    federation: FederationConfig<NodeContext>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let data = federation.to_request_data();
        match data.store.pending_inbox_activities(50).await {
            Ok(rows) => {
                for row in rows {
                    process_row(&data.reset_request_count(), &row).await;
                }
            }
            Err(e) => warn!("inbox processor cannot read the queue: {e}"),
        }
        tokio::select! {
            _ = data.wake_inbox.notified() => {}
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
}

async fn process_row(data: &FedData, row: &InboxRow) {
    let outcome = match data
        .sealer
        .open_if_sealed(&row.body, &Binding::inbox(&row.ap_id))
    {
        Ok(body) => match serde_json::from_str::<Incoming>(&body) {
            Ok(activity) => process(data, &activity).await,
            Err(e) => Err(FederationError::BadRequest(format!(
                "unreadable activity: {e}"
            ))),
        },
        Err(e) => Err(FederationError::Domain(e)),
    };
    let (state, error) = match outcome {
        Ok(()) => ("done", None),
        Err(e) if e.is_transient() && row.attempts + 1 < MAX_ATTEMPTS => {
            ("pending", Some(e.to_string()))
        }
        Err(e) => {
            debug!("activity {} not applied: {e}", row.ap_id);
            ("failed", Some(e.to_string()))
        }
    };
    if let Err(e) = data
        .store
        .set_inbox_state(row.id, state, error.as_deref())
        .await
    {
        warn!("cannot record processing of {}: {e}", row.ap_id);
    }
}

pub async fn process(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    // Stored before the actor was suspended or left: dropped now.
    if crate::domain::moderation::is_refused(data.store.as_ref(), activity.actor.as_str()).await? {
        return Ok(());
    }
    match activity.kind.as_str() {
        "Follow" => on_follow(data, activity).await,
        "Offer" => referral_inbox::on_offer(data, activity).await,
        "Accept" | "Reject" => {
            let accepted = activity.kind == "Accept";
            if referral_inbox::on_answer(data, activity, accepted).await? {
                return Ok(());
            }
            let state = if accepted {
                FollowState::Accepted
            } else {
                FollowState::Rejected
            };
            on_answer(data, activity, state).await
        }
        "Undo" => on_undo(data, activity).await,
        "Update" if object(activity)?.kind() == Some(REFERRAL_TYPE) => {
            referral_inbox::on_update(data, activity).await
        }
        "Create" if referral_inbox::concerns_referral(data, activity).await? => {
            referral_inbox::on_message(data, activity).await
        }
        "Create" | "Update" => on_create_or_update(data, activity).await,
        "Delete" if referral_inbox::concerns_referral(data, activity).await? => {
            super::referral_lifecycle::on_erase(data, activity).await
        }
        "Delete" => on_delete(data, activity).await,
        "Flag" => super::moderation::on_flag(data, activity).await,
        // Acknowledged and ignored: Like, Announce, Add, Move... (ActivityPub §7).
        _ => Ok(()),
    }
}

fn object(activity: &Incoming) -> FederationResult<&ObjectRef> {
    activity
        .object
        .as_ref()
        .ok_or_else(|| FederationError::BadRequest(format!("{} without object", activity.kind)))
}

async fn on_follow(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let target = object(activity)?
        .id()
        .ok_or_else(|| bad("Follow object has no id"))?;
    let handle = data
        .urls
        .handle_of_actor(target.as_str())
        .ok_or_else(|| FederationError::Forbidden("Follow of an actor not on this node".into()))?;
    let org = crate::domain::organisations::by_handle(data.store.as_ref(), handle).await?;
    let follower = fetch_actor(data, &activity.actor).await?;
    let state = if org.manual_approval {
        FollowState::Pending
    } else {
        FollowState::Accepted
    };
    let row = data
        .store
        .upsert_follow(
            Direction::Followers,
            org.id,
            follower.row.id,
            activity.id.as_str(),
            state.as_str(),
        )
        .await?;
    if state == FollowState::Accepted {
        outbound::answer_follow(data, &org, &row, "Accept").await?;
    }
    Ok(())
}

/// An `Accept` or `Reject` of a Follow one of our organisations sent.
async fn on_answer(
    data: &FedData,
    activity: &Incoming,
    state: FollowState,
) -> FederationResult<()> {
    let follow_id = object(activity)?
        .id()
        .ok_or_else(|| bad("answer without a Follow id"))?;
    let Some(follow) = data
        .store
        .follow_by_ap_id(Direction::Following, follow_id.as_str())
        .await?
    else {
        return Ok(());
    };
    if follow.actor_ap_id != activity.actor.as_str() {
        return Err(FederationError::Forbidden(
            "only the followed actor may answer a Follow".into(),
        ));
    }
    data.store
        .set_follow_state(Direction::Following, follow.id, state.as_str())
        .await?;
    if state == FollowState::Accepted && follow.state != FollowState::Accepted.as_str() {
        // The follow stands even if the backfill fails; objects then arrive as they change.
        let followed = fetch_actor(data, &activity.actor).await?;
        if let Err(e) = super::backfill::backfill_directory(data, &followed).await {
            warn!("backfill from {} failed: {e}", activity.actor);
        }
    }
    Ok(())
}

async fn on_undo(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let inner = object(activity)?;
    if inner.kind().is_some_and(|k| k != "Follow") {
        return Ok(());
    }
    let follow_id = inner.id().ok_or_else(|| bad("Undo object has no id"))?;
    let follow = data
        .store
        .follow_by_ap_id(Direction::Followers, follow_id.as_str())
        .await?;
    match follow {
        Some(f) if f.actor_ap_id == activity.actor.as_str() => {
            data.store.delete_follow(Direction::Followers, f.id).await?;
            Ok(())
        }
        Some(_) => Err(FederationError::Forbidden(
            "only the follower may undo a Follow".into(),
        )),
        None => Ok(()),
    }
}

const ACTOR_TYPES: [&str; 5] = ["Person", "Organization", "Service", "Group", "Application"];

async fn on_create_or_update(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let inner = object(activity)?;
    let kind = inner.kind().unwrap_or_default();
    if activity.kind == "Update" && ACTOR_TYPES.contains(&kind) {
        if inner.id().as_ref() != Some(&activity.actor) {
            return Err(FederationError::Forbidden(
                "actors may only update themselves".into(),
            ));
        }
        refetch_actor(data, &activity.actor).await?;
        return Ok(());
    }
    if !super::objects::POST_TYPES.contains(&kind) {
        return Ok(());
    }
    let ObjectRef::Embedded(map) = inner else {
        return Ok(());
    };
    let note: NoteJson = serde_json::from_value(serde_json::Value::Object(map.clone()))
        .map_err(|e| bad(&format!("unreadable {kind}: {e}")))?;
    super::objects::store_remote_object(data.store.as_ref(), &activity.actor, &note).await
}

async fn on_delete(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let target = object(activity)?
        .id()
        .ok_or_else(|| bad("Delete object has no id"))?;
    if target == activity.actor {
        return super::moderation::on_account_delete(data, activity).await;
    }
    match crate::domain::remote::remove_remote_post(
        data.store.as_ref(),
        activity.actor.as_str(),
        target.as_str(),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(DomainError::Forbidden(why)) => Err(FederationError::Forbidden(why.into())),
        Err(e) => Err(e.into()),
    }
}

fn bad(why: &str) -> FederationError {
    FederationError::BadRequest(why.to_string())
}
