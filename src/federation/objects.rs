//! Objects received from other servers (through the inbox or a backfill), read into posts.

use super::protocol::{is_public, values, NoteJson};
use super::{FederationError, FederationResult};
use crate::db::Store;
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::{posts, DomainError};
use serde_json::Value;

/// Types kept as posts. Gotong objects use them too, with `gotongType` beside.
pub const POST_TYPES: [&str; 3] = ["Note", "Article", "Page"];

/// The Gotong kind and fields of an object; anything without `gotongType` is an update.
fn details_of(note: &NoteJson) -> FederationResult<Details> {
    let Some(wire) = note.extra.get("gotongType").and_then(Value::as_str) else {
        return Ok(Details::Update);
    };
    let kind = ObjectKind::from_wire_name(wire)
        .ok_or_else(|| FederationError::BadRequest(format!("unknown gotongType {wire:?}")))?;
    let data = note
        .extra
        .get("gotongData")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    Details::from_json(kind, data).map_err(|e| FederationError::BadRequest(e.to_string()))
}

/// Hashtag names of `tag`, without the '#'.
fn hashtags(note: &NoteJson) -> Vec<String> {
    let tags = match note.extra.get("tag") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => vec![],
    };
    tags.into_iter()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .map(|n| n.trim_start_matches('#').to_string())
        .collect()
}

/// Stores (or refreshes) the copy of `note`, which `author` sent or served. Ignored when no
/// local organisation follows the author.
pub async fn store_remote_object(
    store: &dyn Store,
    author: &url::Url,
    note: &NoteJson,
) -> FederationResult<()> {
    if &note.attributed_to != author {
        return Err(FederationError::Forbidden(
            "object is attributed to someone other than the sender".into(),
        ));
    }
    if !super::same_origin(&note.id, author) {
        return Err(FederationError::Forbidden(
            "object id is on another server than its author".into(),
        ));
    }
    let public = values::all(&note.to)
        .chain(values::all(&note.cc))
        .any(is_public);
    let published = note.published.as_ref().and_then(|t| t.millis());
    let outcome = posts::receive_remote_post(
        store,
        posts::RemotePost {
            ap_id: note.id.as_str(),
            author_ap_id: note.attributed_to.as_str(),
            name: note.name.as_deref().unwrap_or_default(),
            summary: note.summary.as_deref().unwrap_or_default(),
            html: note.content.as_deref().unwrap_or_default(),
            tags: hashtags(note),
            visibility: if public {
                posts::Visibility::Public
            } else {
                posts::Visibility::Followers
            },
            published_at: published.unwrap_or_else(crate::db::now_ms),
            updated_at: note.updated.as_ref().and_then(|t| t.millis()),
            details: details_of(note)?,
        },
    )
    .await;
    match outcome {
        Ok(_) => Ok(()),
        Err(DomainError::Forbidden(why)) => Err(FederationError::Forbidden(why.into())),
        Err(e) => Err(e.into()),
    }
}
