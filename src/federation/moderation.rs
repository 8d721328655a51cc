//! Moderation over the wire: `Flag` reports received from and sent to other servers, and
//! remote actors deleting their own accounts.

use super::actors::fetch_actor;
use super::delivery::enqueue;
use super::protocol::{ActivityJson, ObjectRef};
use super::{render, FedData, FederationError, FederationResult};
use crate::domain::accounts::{Role, Staff};
use crate::domain::moderation::{self, Report};
use crate::domain::DomainError;
use serde_json::Value;
use url::Url;

type Incoming = ActivityJson<Option<ObjectRef>>;

/// A `Flag` (Mastodon's report): `object` names the reported actor and posts, `content` is
/// the reporter's comment. Kept as a report of the organisation it concerns; a Flag that
/// names nothing of this node is acknowledged and dropped.
pub async fn on_flag(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let targets = activity
        .object
        .as_ref()
        .map(ObjectRef::ids)
        .unwrap_or_default();
    if targets.is_empty() {
        return Err(FederationError::BadRequest("Flag names nothing".into()));
    }
    let Some(organisation_id) = concerned_organisation(data, &targets).await? else {
        return Ok(());
    };
    let comment = activity
        .extra
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let targets: Vec<String> = targets.iter().map(Url::to_string).collect();
    moderation::record_report(
        data.store.as_ref(),
        organisation_id,
        "received",
        activity.id.as_str(),
        activity.actor.as_str(),
        &targets,
        comment,
    )
    .await?;
    Ok(())
}

/// The local organisation a report is about: the first target that is one of our actors or
/// one of our posts.
async fn concerned_organisation(data: &FedData, targets: &[Url]) -> FederationResult<Option<i64>> {
    for target in targets {
        if let Some(handle) = data.urls.handle_of_actor(target.as_str()) {
            if let Some(org) = data.store.organisation_by_handle(handle).await? {
                return Ok(Some(org.id));
            }
        }
        if let Some(post) = data.store.post_by_ap_id(target.as_str()).await? {
            if let Some(id) = post.organisation_id {
                return Ok(Some(id));
            }
        }
    }
    Ok(None)
}

/// Sends a `Flag` about a remote actor, or a remote post and its author, to their server,
/// signed by the admin's organisation; the report is kept as `sent`.
pub async fn send_report(
    data: &FedData,
    staff: &Staff,
    target: &str,
    comment: &str,
) -> FederationResult<Report> {
    staff.require(&[Role::Admin])?;
    let target = Url::parse(target.trim())
        .map_err(|_| FederationError::BadRequest("target must be an actor or object URL".into()))?;
    let store = data.store.as_ref();
    let (actor, objects) = match store.post_by_ap_id(target.as_str()).await? {
        Some(post) if post.organisation_id.is_none() => {
            let author = Url::parse(&post.author_ap_id)
                .map_err(|e| FederationError::Remote(format!("stored author id: {e}")))?;
            (fetch_actor(data, &author).await?, vec![target])
        }
        Some(_) => {
            return Err(FederationError::BadRequest(
                "this is a local post: moderate it here".into(),
            ))
        }
        None => (fetch_actor(data, &target).await?, vec![]),
    };
    let actor_id = Url::parse(&actor.row.ap_id)
        .map_err(|e| FederationError::Remote(format!("stored actor id: {e}")))?;
    let org = store.organisation_by_id(staff.organisation_id).await?;
    let mut object = vec![actor_id];
    object.extend(objects);
    let mut activity = render::activity(
        &data.urls,
        "Flag",
        data.urls.actor(&org.handle),
        object.clone(),
        vec![],
        vec![],
    );
    let comment: String = comment
        .chars()
        .take(moderation::MAX_COMMENT_CHARS)
        .collect();
    activity
        .extra
        .insert("content".into(), Value::String(comment.clone()));
    enqueue(data, org.id, &activity, [actor.delivery_inbox()]).await?;
    let targets: Vec<String> = object.iter().map(Url::to_string).collect();
    moderation::record_report(
        store,
        org.id,
        "sent",
        activity.id.as_str(),
        &staff.username,
        &targets,
        &comment,
    )
    .await?
    .ok_or_else(|| FederationError::Domain(DomainError::Conflict("report sent twice".into())))
}

/// A remote actor deleted its own account (a `Delete` whose object is the actor itself, or
/// its Tombstone): its follows and copies go, and it is refused from now on.
pub async fn on_account_delete(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let removed = moderation::actor_gone(data.store.as_ref(), activity.actor.as_str()).await?;
    tracing::info!(
        "{} deleted its account; {removed} of its posts removed",
        activity.actor
    );
    Ok(())
}
