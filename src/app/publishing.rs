//! Publishing: a local post of any kind is stored, then its `Create`, `Update` or `Delete`
//! goes to every follower's server.

use crate::db::PostRow;
use crate::domain::objects::ObjectKind;
use crate::domain::{accounts::Staff, posts, posts::Draft};
use crate::federation::outbound::{announce_post, PostVerb};
use crate::federation::{FederationResult, NodeContext};

async fn announce(
    ctx: &NodeContext,
    staff: &Staff,
    verb: PostVerb,
    post: &PostRow,
) -> FederationResult<()> {
    let org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    announce_post(ctx, &org, verb, post).await
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
    announce_post(ctx, &org, PostVerb::Create, &post).await?;
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
    announce(ctx, staff, PostVerb::Update, &post).await?;
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
    announce(ctx, staff, PostVerb::Delete, &post).await
}
