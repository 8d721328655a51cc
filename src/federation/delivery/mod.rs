//! Durable delivery: activities are stored first (here: who gets what), then a worker
//! ([`worker`]) signs and POSTs them, one inbox at a time in order, retrying with exponential
//! backoff for days.

mod worker;

pub use worker::{backoff_secs, deliverable_url, run_worker};

use super::{protocol::ActivityJson, FederationError, FederationResult, NodeContext};
use crate::db::NewActivity;
use crate::domain::follows::FollowState;
use crate::domain::sealing::Binding;
use serde::Serialize;
use std::collections::HashSet;
use url::Url;

/// Stores `activity` and a pending delivery to each inbox, then wakes the worker.
pub async fn enqueue<O: Serialize>(
    ctx: &NodeContext,
    organisation_id: i64,
    activity: &ActivityJson<O>,
    inboxes: impl IntoIterator<Item = String>,
) -> FederationResult<()> {
    enqueue_with(ctx, organisation_id, activity, inboxes, None, None).await
}

/// Like [`enqueue`], for an activity that belongs to the referral `referral` (its id): what is
/// queued for a referral can be taken back while it waits.
pub async fn enqueue_for<O: Serialize>(
    ctx: &NodeContext,
    organisation_id: i64,
    activity: &ActivityJson<O>,
    inboxes: impl IntoIterator<Item = String>,
    referral: Option<&str>,
) -> FederationResult<()> {
    enqueue_with(ctx, organisation_id, activity, inboxes, referral, None).await
}

/// Like [`enqueue`], signed with `private_key_pem` rather than the organisation's current
/// key: the previous key, for the `Update` announcing a new one. Servers that cached the old
/// key verify it, then fetch the new one (as Mastodon does when it rotates keys).
pub async fn enqueue_signed_with<O: Serialize>(
    ctx: &NodeContext,
    organisation_id: i64,
    activity: &ActivityJson<O>,
    inboxes: impl IntoIterator<Item = String>,
    private_key_pem: &str,
) -> FederationResult<()> {
    enqueue_with(
        ctx,
        organisation_id,
        activity,
        inboxes,
        None,
        Some(private_key_pem),
    )
    .await
}

async fn enqueue_with<O: Serialize>(
    ctx: &NodeContext,
    organisation_id: i64,
    activity: &ActivityJson<O>,
    inboxes: impl IntoIterator<Item = String>,
    referral: Option<&str>,
    private_key_pem: Option<&str>,
) -> FederationResult<()> {
    let mut seen = HashSet::new();
    let local = format!("{}/", ctx.urls.base());
    let policy = crate::domain::policy::load(ctx.store.as_ref()).await?;
    // Suspended actors and actors that deleted themselves receive nothing more.
    let marked: HashSet<String> = ctx.store.marked_inboxes().await?.into_iter().collect();
    let permitted = |inbox: &str| {
        !marked.contains(inbox) && Url::parse(inbox).is_ok_and(|u| policy.permits_url(&u))
    };
    let inboxes: Vec<String> = inboxes
        .into_iter()
        .filter(|i| !i.starts_with(&local) && permitted(i) && seen.insert(i.clone()))
        .collect();
    let body = serde_json::to_string(activity)
        .map_err(|e| FederationError::Remote(format!("serialising activity: {e}")))?;
    // Queued copies of what is not public are kept encrypted until sent.
    let body = if activity.is_public() {
        body
    } else {
        ctx.sealer
            .seal(&body, &Binding::outgoing(activity.id.as_str()))
    };
    ctx.store
        .enqueue_activity(
            NewActivity {
                ap_id: activity.id.as_str(),
                organisation_id,
                kind: &activity.kind,
                body: &body,
                signing_key_sealed: private_key_pem
                    .map(|pem| {
                        ctx.sealer
                            .seal(pem, &Binding::outgoing_signing_key(activity.id.as_str()))
                    })
                    .as_deref(),
                referral,
            },
            &inboxes,
        )
        .await?;
    ctx.wake_delivery.notify_one();
    Ok(())
}

/// Sends `activity` to every accepted follower of the organisation, once per server: a
/// follower with a shared inbox is reached through it.
pub async fn deliver_to_followers<O: Serialize>(
    ctx: &NodeContext,
    organisation_id: i64,
    activity: &ActivityJson<O>,
) -> FederationResult<()> {
    let inboxes = follower_inboxes(ctx, organisation_id).await?;
    enqueue(ctx, organisation_id, activity, inboxes).await
}

/// The inboxes that reach every accepted follower, a shared inbox standing for its server.
pub async fn follower_inboxes(
    ctx: &NodeContext,
    organisation_id: i64,
) -> FederationResult<Vec<String>> {
    let followers = ctx
        .store
        .list_follows(crate::db::actors::Direction::Followers, organisation_id)
        .await?;
    Ok(followers
        .into_iter()
        .filter(|f| f.state == FollowState::Accepted)
        .map(|f| f.actor_shared_inbox.unwrap_or(f.actor_inbox))
        .collect())
}
