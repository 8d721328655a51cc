//! Local actions that other servers must hear about: following, answering followers and
//! publishing updates. Each stores its change, then queues the activity for delivery.

use super::actors::resolve_handle;
use super::delivery::{deliver_to_followers, enqueue};
use super::{render, FedData, FederationError, FederationResult, NodeContext};
use crate::db::{actors::Direction, FollowRow, OrganisationRow};
use crate::domain::referrals::ReferralStatus;
use crate::domain::{accounts::Role, accounts::Staff, follows::FollowState, posts, DomainError};
use serde_json::{json, Value};
use url::Url;

/// The Follow activity as first sent, rebuilt from what we stored, for embedding in
/// Accept, Reject and Undo (Mastodon looks the Follow up by its id and checks both ends).
fn follow_object(follow_id: &str, actor: &str, object: &str) -> Value {
    json!({ "id": follow_id, "type": "Follow", "actor": actor, "object": object })
}

fn url(s: &str) -> FederationResult<Url> {
    Url::parse(s).map_err(|e| FederationError::Remote(format!("stored URL {s:?}: {e}")))
}

/// Follows `name@domain` on behalf of the staff member's organisation.
pub async fn follow(data: &FedData, staff: &Staff, handle: &str) -> FederationResult<FollowRow> {
    staff.require(&[Role::Editor])?;
    let target = resolve_handle(data, handle).await?;
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    let existing = data
        .store
        .follow_by_actor(Direction::Following, org.id, target.row.id)
        .await?;
    if let Some(f) = existing.filter(|f| f.state == FollowState::Accepted.as_str()) {
        return Ok(f);
    }
    let actor = data.urls.actor(&org.handle);
    let activity = render::activity(
        &data.urls,
        "Follow",
        actor,
        url(&target.row.ap_id)?,
        vec![url(&target.row.ap_id)?],
        vec![],
    );
    let row = data
        .store
        .upsert_follow(
            Direction::Following,
            org.id,
            target.row.id,
            activity.id.as_str(),
            FollowState::Pending.as_str(),
        )
        .await?;
    enqueue(data, org.id, &activity, [target.row.inbox.clone()]).await?;
    Ok(row)
}

/// Stops following: `Undo(Follow)` to the followed actor, and the relation is forgotten.
pub async fn unfollow(ctx: &NodeContext, staff: &Staff, actor_ap_id: &str) -> FederationResult<()> {
    staff.require(&[Role::Editor])?;
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let follow = find_follow(ctx, Direction::Following, org.id, actor_ap_id).await?;
    let our_actor = ctx.urls.actor(&org.handle);
    let undo = render::activity(
        &ctx.urls,
        "Undo",
        our_actor.clone(),
        follow_object(
            &follow.follow_ap_id,
            our_actor.as_str(),
            &follow.actor_ap_id,
        ),
        vec![url(&follow.actor_ap_id)?],
        vec![],
    );
    ctx.store
        .delete_follow(Direction::Following, follow.id)
        .await?;
    enqueue(ctx, org.id, &undo, [follow.actor_inbox]).await
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

/// Sends `Accept` or `Reject` for a follower's Follow to the follower's own inbox.
pub async fn answer_follow(
    ctx: &NodeContext,
    org: &OrganisationRow,
    follower: &FollowRow,
    kind: &str,
) -> FederationResult<()> {
    let our_actor = ctx.urls.actor(&org.handle);
    let answer = render::activity(
        &ctx.urls,
        kind,
        our_actor.clone(),
        follow_object(
            &follower.follow_ap_id,
            &follower.actor_ap_id,
            our_actor.as_str(),
        ),
        vec![url(&follower.actor_ap_id)?],
        vec![],
    );
    enqueue(ctx, org.id, &answer, [follower.actor_inbox.clone()]).await
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
            .set_follow_state(
                Direction::Followers,
                follower.id,
                FollowState::Accepted.as_str(),
            )
            .await?;
        answer_follow(ctx, &org, &follower, "Accept").await
    } else {
        ctx.store
            .delete_follow(Direction::Followers, follower.id)
            .await?;
        answer_follow(ctx, &org, &follower, "Reject").await
    }
}

/// What staff may change in their organisation's profile; `None` keeps the current value.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ProfileChange {
    pub name: Option<String>,
    /// Plain text, shown as paragraphs.
    pub summary: Option<String>,
    /// An http(s) image URL; an empty string removes the icon.
    pub icon_url: Option<String>,
    pub manual_approval: Option<bool>,
}

/// Changes the organisation's profile and sends the new actor to followers with `Update`.
pub async fn update_profile(
    ctx: &NodeContext,
    staff: &Staff,
    change: ProfileChange,
) -> FederationResult<OrganisationRow> {
    staff.require(&[Role::Admin])?;
    let mut org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    if let Some(name) = change.name {
        if name.trim().is_empty() {
            return Err(DomainError::Invalid("name must not be empty".into()).into());
        }
        org.name = name.trim().to_string();
    }
    if let Some(summary) = change.summary {
        org.summary = posts::text_to_html(&summary);
    }
    if let Some(icon) = change.icon_url {
        org.icon_url = match icon.trim() {
            "" => None,
            url if url.starts_with("https://") || url.starts_with("http://") => {
                Url::parse(url).map_err(|e| DomainError::Invalid(format!("icon_url: {e}")))?;
                Some(url.to_string())
            }
            _ => return Err(DomainError::Invalid("icon_url must be an http(s) URL".into()).into()),
        };
    }
    org.manual_approval = change.manual_approval.unwrap_or(org.manual_approval);
    let org = ctx.store.update_organisation_profile(&org).await?;
    announce_profile(ctx, &org).await?;
    Ok(org)
}

/// Sends the organisation's actor to its followers with `Update` (a new profile or key).
async fn announce_profile(ctx: &NodeContext, org: &OrganisationRow) -> FederationResult<()> {
    let update = profile_update(ctx, org)?;
    deliver_to_followers(ctx, org.id, &update).await
}

/// The organisation's actor as an `Update` addressed to the public and its followers.
fn profile_update(
    ctx: &NodeContext,
    org: &OrganisationRow,
) -> FederationResult<super::protocol::ActivityJson<super::protocol::ActorJson>> {
    let mut actor = render::organisation_actor(&ctx.urls, org);
    actor.context = None;
    let public =
        Url::parse(super::protocol::PUBLIC).map_err(|e| FederationError::Remote(e.to_string()))?;
    let update = render::activity(
        &ctx.urls,
        "Update",
        ctx.urls.actor(&org.handle),
        actor,
        vec![public],
        vec![ctx.urls.followers(&org.handle)],
    );
    Ok(update)
}

/// Replaces the organisation's key pair and announces the new key to everyone who verifies
/// our signatures: followers, and the other party of every open referral (who may not follow
/// us). Without it they would notice only when a signature fails.
pub async fn rotate_key(ctx: &NodeContext, staff: &Staff) -> FederationResult<OrganisationRow> {
    staff.require(&[Role::Admin])?;
    let before = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let previous = crate::domain::organisations::signing_key(&ctx.sealer, &before)?;
    let org = crate::domain::organisations::rotate_keys(
        ctx.store.as_ref(),
        &ctx.sealer,
        staff.organisation_id,
    )
    .await?;
    let update = profile_update(ctx, &org)?;
    let mut inboxes = super::delivery::follower_inboxes(ctx, org.id).await?;
    for referral in ctx.store.list_referrals(org.id, None).await? {
        let open = ReferralStatus::parse(&referral.status).is_ok_and(|s| !s.is_final());
        if open && referral.erased_at.is_none() {
            inboxes.push(referral.counterpart_inbox);
        }
    }
    super::delivery::enqueue_signed_with(ctx, org.id, &update, inboxes, &previous).await?;
    Ok(org)
}
