//! `Flag` (ActivityStreams Vocabulary §Flag; Mastodon's reports): `object` names the reported
//! actor and posts, `content` is the reporter's comment. Kept as a report of the organisation
//! it concerns; a Flag that names nothing of this node is acknowledged and dropped.

use super::Incoming;
use crate::domain::moderation;
use crate::federation::protocol::ObjectRef;
use crate::federation::{FedData, FederationError, FederationResult};
use serde_json::Value;
use url::Url;

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
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
