//! The activity envelope shared by Follow, Accept, Reject, Undo, Create, Update and Delete.
//!
//! The type is a string rather than an enum so that an activity Gotong does not handle still
//! parses, is acknowledged and then ignored, as ActivityPub §7 expects of a lenient receiver.

use activitypub_federation::protocol::helpers::deserialize_one_or_many;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActivityJson<O = Value> {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub actor: Url,
    pub object: O,
    #[serde(
        default,
        deserialize_with = "deserialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<Url>,
    #[serde(
        default,
        deserialize_with = "deserialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An `object` that servers send either as an id or embedded (Mastodon embeds the Follow in
/// Accept and Undo; others send the id).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ObjectRef {
    Id(Url),
    Embedded(Map<String, Value>),
}

impl ObjectRef {
    /// The id, whichever form was sent.
    pub fn id(&self) -> Option<Url> {
        match self {
            ObjectRef::Id(url) => Some(url.clone()),
            ObjectRef::Embedded(map) => map.get("id")?.as_str()?.parse().ok(),
        }
    }

    /// The embedded object's `type`, if embedded.
    pub fn kind(&self) -> Option<&str> {
        match self {
            ObjectRef::Id(_) => None,
            ObjectRef::Embedded(map) => map.get("type")?.as_str(),
        }
    }

    /// A field of the embedded object, if embedded.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            ObjectRef::Id(_) => None,
            ObjectRef::Embedded(map) => map.get(name),
        }
    }
}
