//! The activities this node sends about follows, profiles, posts and reports: each rendered
//! and queued for delivery here. What to send and when is decided by the use cases in
//! `crate::app`; the inbox handlers use [`answer_follow`] to accept a follower at once.

use super::delivery::{deliver_to_followers, enqueue, enqueue_signed_with, follower_inboxes};
use super::protocol::{ActivityJson, ActorJson, PUBLIC};
use super::{render, FederationError, FederationResult, NodeContext};
use crate::db::{FollowRow, OrganisationRow, PostRow};
use crate::domain::posts::Visibility;
use serde_json::{json, Value};
use url::Url;

/// The Follow activity as first sent, rebuilt from what we stored, for embedding in
/// Accept, Reject and Undo (Mastodon looks the Follow up by its id and checks both ends).
fn follow_object(follow_id: &str, actor: &str, object: &str) -> Value {
    json!({ "id": follow_id, "type": "Follow", "actor": actor, "object": object })
}

/// A URL read back from the database.
pub fn stored_url(s: &str) -> FederationResult<Url> {
    Url::parse(s).map_err(|e| FederationError::Remote(format!("stored URL {s:?}: {e}")))
}

/// A `Follow` of `target` by the organisation, not yet queued: its id is stored with the
/// relation first, so the answer can be matched to it.
pub fn follow(
    ctx: &NodeContext,
    org: &OrganisationRow,
    target: &str,
) -> FederationResult<ActivityJson<Url>> {
    Ok(render::activity(
        &ctx.urls,
        "Follow",
        ctx.urls.actor(&org.handle),
        stored_url(target)?,
        vec![stored_url(target)?],
        vec![],
    ))
}

/// Queues a `Follow` made by [`follow`] for the followed actor's inbox.
pub async fn send_follow(
    ctx: &NodeContext,
    org: &OrganisationRow,
    activity: &ActivityJson<Url>,
    inbox: String,
) -> FederationResult<()> {
    enqueue(ctx, org.id, activity, [inbox]).await
}

/// Sends `Undo(Follow)` to the actor the organisation follows.
pub async fn undo_follow(
    ctx: &NodeContext,
    org: &OrganisationRow,
    follow: &FollowRow,
) -> FederationResult<()> {
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
        vec![stored_url(&follow.actor_ap_id)?],
        vec![],
    );
    enqueue(ctx, org.id, &undo, [follow.actor_inbox.clone()]).await
}

/// Sends `Accept` or `Reject` (`kind`) for a follower's Follow to the follower's own inbox.
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
        vec![stored_url(&follower.actor_ap_id)?],
        vec![],
    );
    enqueue(ctx, org.id, &answer, [follower.actor_inbox.clone()]).await
}

/// The organisation's actor as an `Update` addressed to the public and its followers.
fn profile_update(
    ctx: &NodeContext,
    org: &OrganisationRow,
) -> FederationResult<ActivityJson<ActorJson>> {
    let mut actor = render::organisation_actor(&ctx.urls, org);
    actor.context = None;
    let public = Url::parse(PUBLIC).map_err(|e| FederationError::Remote(e.to_string()))?;
    Ok(render::activity(
        &ctx.urls,
        "Update",
        ctx.urls.actor(&org.handle),
        actor,
        vec![public],
        vec![ctx.urls.followers(&org.handle)],
    ))
}

/// Sends the organisation's actor to its followers with `Update` (a new profile).
pub async fn announce_profile(ctx: &NodeContext, org: &OrganisationRow) -> FederationResult<()> {
    let update = profile_update(ctx, org)?;
    deliver_to_followers(ctx, org.id, &update).await
}

/// Sends the organisation's actor with its new key to its followers and to `others`, signed
/// with the `previous` key that they still hold.
pub async fn announce_key(
    ctx: &NodeContext,
    org: &OrganisationRow,
    others: Vec<String>,
    previous: &str,
) -> FederationResult<()> {
    let update = profile_update(ctx, org)?;
    let mut inboxes = follower_inboxes(ctx, org.id).await?;
    inboxes.extend(others);
    enqueue_signed_with(ctx, org.id, &update, inboxes, previous).await
}

/// How a post's change is announced to followers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostVerb {
    Create,
    Update,
    Delete,
}

/// Sends `Create`, `Update` or `Delete` of one of the organisation's posts to its followers.
pub async fn announce_post(
    ctx: &NodeContext,
    org: &OrganisationRow,
    verb: PostVerb,
    post: &PostRow,
) -> FederationResult<()> {
    let visibility = Visibility::parse(&post.visibility)?;
    let (to, cc) = render::addressing(&ctx.urls, &org.handle, visibility);
    let (kind, object) = match verb {
        PostVerb::Create => (
            "Create",
            serde_json::to_value(render::post_object(&ctx.urls, &org.handle, post)),
        ),
        PostVerb::Update => (
            "Update",
            serde_json::to_value(render::post_object(&ctx.urls, &org.handle, post)),
        ),
        PostVerb::Delete => ("Delete", serde_json::to_value(render::tombstone(post))),
    };
    let object = object.map_err(|e| FederationError::Remote(e.to_string()))?;
    let mut activity: ActivityJson<_> =
        render::activity(&ctx.urls, kind, ctx.urls.actor(&org.handle), object, to, cc);
    if verb == PostVerb::Create {
        // The same id the outbox shows for this post's Create, as Mastodon does.
        activity.id = render::create_id(&post.ap_id)?;
    }
    deliver_to_followers(ctx, org.id, &activity).await
}

/// Sends a `Flag` about `object` (an actor, then any of its posts) with `comment` to `inbox`;
/// returns the activity's id.
pub async fn send_flag(
    ctx: &NodeContext,
    org: &OrganisationRow,
    object: Vec<Url>,
    comment: &str,
    inbox: String,
) -> FederationResult<Url> {
    let mut activity = render::activity(
        &ctx.urls,
        "Flag",
        ctx.urls.actor(&org.handle),
        object,
        vec![],
        vec![],
    );
    activity
        .extra
        .insert("content".into(), Value::String(comment.to_string()));
    enqueue(ctx, org.id, &activity, [inbox]).await?;
    Ok(activity.id)
}
