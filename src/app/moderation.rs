//! Reports to other servers: an admin reports a remote actor, or a remote post and its
//! author, and their server receives a `Flag` (received ones are
//! `federation/activities/flag.rs`).

use crate::domain::accounts::{Role, Staff};
use crate::domain::moderation::{self, Report};
use crate::domain::DomainError;
use crate::federation::actors::fetch_actor;
use crate::federation::outbound::{send_flag, stored_url};
use crate::federation::{FedData, FederationError, FederationResult};
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
            let author = stored_url(&post.author_ap_id)?;
            (fetch_actor(data, &author).await?, vec![target])
        }
        Some(_) => {
            return Err(FederationError::BadRequest(
                "this is a local post: moderate it here".into(),
            ))
        }
        None => (fetch_actor(data, &target).await?, vec![]),
    };
    let org = store.organisation_by_id(staff.organisation_id).await?;
    let mut object = vec![stored_url(&actor.row.ap_id)?];
    object.extend(objects);
    let targets: Vec<String> = object.iter().map(Url::to_string).collect();
    let comment: String = comment
        .chars()
        .take(moderation::MAX_COMMENT_CHARS)
        .collect();
    let flag = send_flag(data, &org, object, &comment, actor.delivery_inbox()).await?;
    moderation::record_report(
        store,
        org.id,
        "sent",
        flag.as_str(),
        &staff.username,
        &targets,
        &comment,
    )
    .await?
    .ok_or_else(|| FederationError::Domain(DomainError::Conflict("report sent twice".into())))
}
