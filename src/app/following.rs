//! Following: an organisation follows and unfollows other actors by handle, and approves or
//! refuses its own followers. Each stores its change, then sends the activity through
//! `federation::outbound`.

use crate::db::{actors::Direction, FollowRow};
use crate::domain::{accounts::Role, accounts::Staff, follows::FollowState, DomainError};
use crate::federation::actors::resolve_handle;
use crate::federation::{outbound, FedData, FederationResult, NodeContext};

/// Follows `name@domain` on behalf of the staff member's organisation.
pub async fn follow(data: &FedData, staff: &Staff, handle: &str) -> FederationResult<FollowRow> {
    staff.require(&[Role::Editor])?;
    let target = resolve_handle(data, handle).await?;
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    let existing = data
        .store
        .follow_by_actor(Direction::Following, org.id, target.row.id)
        .await?;
    if let Some(f) = existing.filter(|f| f.state == FollowState::Accepted) {
        return Ok(f);
    }
    let activity = outbound::follow(data, &org, &target.row.ap_id)?;
    let row = data
        .store
        .upsert_follow(
            Direction::Following,
            org.id,
            target.row.id,
            activity.id.as_str(),
            FollowState::Pending,
        )
        .await?;
    outbound::send_follow(data, &org, &activity, target.row.inbox.clone()).await?;
    Ok(row)
}

/// Stops following: `Undo(Follow)` to the followed actor, and the relation is forgotten.
pub async fn unfollow(ctx: &NodeContext, staff: &Staff, actor_ap_id: &str) -> FederationResult<()> {
    staff.require(&[Role::Editor])?;
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let follow = find_follow(ctx, Direction::Following, org.id, actor_ap_id).await?;
    ctx.store
        .delete_follow(Direction::Following, follow.id)
        .await?;
    outbound::undo_follow(ctx, &org, &follow).await
}

async fn find_follow(
    ctx: &NodeContext,
    direction: Direction,
    organisation_id: i64,
    actor_ap_id: &str,
) -> FederationResult<FollowRow> {
    let actor = ctx
        .store
        .remote_actor_by_ap_id(actor_ap_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    Ok(ctx
        .store
        .follow_by_actor(direction, organisation_id, actor.id)
        .await?
        .ok_or(DomainError::NotFound("follow"))?)
}

/// Approves (`accept = true`) or refuses a pending or existing follower.
pub async fn decide_follower(
    ctx: &NodeContext,
    staff: &Staff,
    actor_ap_id: &str,
    accept: bool,
) -> FederationResult<()> {
    staff.require(&[Role::Editor])?;
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let follower = find_follow(ctx, Direction::Followers, org.id, actor_ap_id).await?;
    if accept {
        ctx.store
            .set_follow_state(Direction::Followers, follower.id, FollowState::Accepted)
            .await?;
        outbound::answer_follow(ctx, &org, &follower, "Accept").await
    } else {
        ctx.store
            .delete_follow(Direction::Followers, follower.id)
            .await?;
        outbound::answer_follow(ctx, &org, &follower, "Reject").await
    }
}
