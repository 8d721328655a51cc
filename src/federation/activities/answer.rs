//! `Accept` or `Reject` of a `Follow` one of our organisations sent (ActivityPub §7.6 and
//! §7.7): the relation becomes accepted or rejected, and a first acceptance starts a backfill.

use super::{bad, object, Incoming};
use crate::db::actors::Direction;
use crate::domain::follows::FollowState;
use crate::federation::actors::fetch_actor;
use crate::federation::{backfill, FedData, FederationError, FederationResult};
use tracing::warn;

pub(super) async fn receive(
    data: &FedData,
    activity: &Incoming,
    accepted: bool,
) -> FederationResult<()> {
    let state = if accepted {
        FollowState::Accepted
    } else {
        FollowState::Rejected
    };
    let follow_id = object(activity)?
        .id()
        .ok_or_else(|| bad("answer without a Follow id"))?;
    let Some(follow) = data
        .store
        .follow_by_ap_id(Direction::Following, follow_id.as_str())
        .await?
    else {
        // An answer to a Follow we never sent (or took back): nothing to change.
        return Ok(());
    };
    if follow.actor_ap_id != activity.actor.as_str() {
        return Err(FederationError::Forbidden(
            "only the followed actor may answer a Follow".into(),
        ));
    }
    data.store
        .set_follow_state(Direction::Following, follow.id, state)
        .await?;
    if state == FollowState::Accepted && follow.state != FollowState::Accepted {
        // The follow stands even if the backfill fails; objects then arrive as they change.
        let followed = fetch_actor(data, &activity.actor).await?;
        if let Err(e) = backfill::backfill_directory(data, &followed).await {
            warn!("backfill from {} failed: {e}", activity.actor);
        }
    }
    Ok(())
}
