//! Reports sent to other servers as `Flag`s (received ones are `activities/flag.rs`).

use super::actors::fetch_actor;
use super::delivery::enqueue;
use super::{render, FedData, FederationError, FederationResult};
use crate::domain::accounts::{Role, Staff};
use crate::domain::moderation::{self, Report};
use crate::domain::DomainError;
use serde_json::Value;
use url::Url;

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
