//! `Follow` of one of our organisations (ActivityPub §7.5): the follower is stored, and
//! accepted at once unless the organisation approves followers by hand.

use super::{bad, object, Incoming};
use crate::db::actors::Direction;
use crate::domain::follows::FollowState;
use crate::federation::actors::fetch_actor;
use crate::federation::{outbound, FedData, FederationError, FederationResult};

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
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
            state,
        )
        .await?;
    if state == FollowState::Accepted {
        outbound::answer_follow(data, &org, &row, "Accept").await?;
    }
    Ok(())
}
