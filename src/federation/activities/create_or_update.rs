//! `Create` and `Update` (ActivityPub §7.2 and §7.3): of a post, whose copy is kept when one
//! of our organisations follows its author; of an actor, whose profile and key are fetched
//! again from its server.

use super::{bad, object, Incoming};
use crate::federation::actors::refetch_actor;
use crate::federation::protocol::{NoteJson, ObjectRef};
use crate::federation::{objects, FedData, FederationError, FederationResult};

/// A `Note`, `Article` or `Page`, created or changed: stored (or refreshed) as a remote post.
pub(super) async fn receive_post(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let ObjectRef::Embedded(map) = object(activity)? else {
        return Ok(());
    };
    let note: NoteJson = serde_json::from_value(serde_json::Value::Object(map.clone()))
        .map_err(|e| bad(&format!("unreadable {}: {e}", object_type(map))))?;
    objects::store_remote_object(data.store.as_ref(), &activity.actor, &note).await
}

fn object_type(map: &serde_json::Map<String, serde_json::Value>) -> &str {
    map.get("type")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}

/// An actor changed its profile or key. Only the actor itself may say so, and the embedded
/// copy is not trusted: the actor is fetched again.
pub(super) async fn receive_actor(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    if object(activity)?.id().as_ref() != Some(&activity.actor) {
        return Err(FederationError::Forbidden(
            "actors may only update themselves".into(),
        ));
    }
    refetch_actor(data, &activity.actor).await?;
    Ok(())
}
