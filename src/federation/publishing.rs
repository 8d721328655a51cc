//! Publishing: a local post of any kind is stored, then its Create, Update or Delete is
//! queued for every follower's server.

use super::delivery::deliver_to_followers;
use super::protocol::ActivityJson;
use super::{render, FederationError, FederationResult, NodeContext};
use crate::db::PostRow;
use crate::domain::objects::ObjectKind;
use crate::domain::{accounts::Staff, posts, posts::Draft};

async fn announce(
    ctx: &NodeContext,
    staff: &Staff,
    verb: &str,
    post: &PostRow,
) -> FederationResult<()> {
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let visibility = posts::Visibility::parse(&post.visibility)?;
    let (to, cc) = render::addressing(&ctx.urls, &org.handle, visibility);
    let object = if verb == "Delete" {
        serde_json::to_value(render::tombstone(post))
    } else {
        serde_json::to_value(render::post_object(&ctx.urls, &org.handle, post))
    }
    .map_err(|e| FederationError::Remote(e.to_string()))?;
    let mut activity: ActivityJson<_> =
        render::activity(&ctx.urls, verb, ctx.urls.actor(&org.handle), object, to, cc);
    if verb == "Create" {
        // The same id the outbox shows for this post's Create, as Mastodon does.
        activity.id = render::create_id(&post.ap_id)?;
    }
    deliver_to_followers(ctx, org.id, &activity).await
}

/// Stores a new post from `draft` and sends `Create` to followers.
pub async fn publish(ctx: &NodeContext, staff: &Staff, draft: &Draft) -> FederationResult<PostRow> {
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let ap_id = ctx.urls.new_object(draft.details.kind());
    let author = ctx.urls.actor(&org.handle);
    let post = posts::create(
        ctx.store.as_ref(),
        staff,
        author.as_str(),
        ap_id.as_str(),
        draft,
    )
    .await?;
    announce(ctx, staff, "Create", &post).await?;
    Ok(post)
}

/// Replaces a post with `draft` and sends `Update` to followers.
pub async fn edit(
    ctx: &NodeContext,
    staff: &Staff,
    ap_id: &str,
    draft: &Draft,
) -> FederationResult<PostRow> {
    let post = posts::edit(ctx.store.as_ref(), staff, ap_id, draft).await?;
    announce(ctx, staff, "Update", &post).await?;
    Ok(post)
}

/// Deletes a post (a tombstone stays at its id) and sends `Delete` to followers.
pub async fn delete(
    ctx: &NodeContext,
    staff: &Staff,
    kind: ObjectKind,
    ap_id: &str,
) -> FederationResult<()> {
    let mut post = posts::delete(ctx.store.as_ref(), staff, kind, ap_id).await?;
    post.deleted_at = Some(crate::db::now_ms());
    announce(ctx, staff, "Delete", &post).await
}
