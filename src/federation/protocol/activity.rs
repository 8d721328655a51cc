//! The activity envelope shared by Follow, Accept, Reject, Undo, Create, Update and Delete.
//!
//! The type is a string rather than an enum so that an activity Gotong does not handle still
//! parses, is acknowledged and then ignored, as ActivityPub §7 expects of a lenient receiver.

use super::values::{Addresses, Timestamp};
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Addresses>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<Addresses>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<O> ActivityJson<O> {
    /// Addressed to the public collection in `to` or `cc`.
    pub fn is_public(&self) -> bool {
        super::values::all(&self.to)
            .chain(super::values::all(&self.cc))
            .any(super::is_public)
    }
}

/// An `object` that servers send either as an id or embedded (Mastodon embeds the Follow in
/// Accept and Undo; others send the id).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ObjectRef {
    Id(Url),
    Embedded(Map<String, Value>),
    /// A list of ids or objects, as `Flag` carries (the reported actor and its posts).
    Many(Vec<Value>),
}

impl ObjectRef {
    /// The id, whichever form was sent.
    pub fn id(&self) -> Option<Url> {
        match self {
            ObjectRef::Id(url) => Some(url.clone()),
            ObjectRef::Embedded(map) => map.get("id")?.as_str()?.parse().ok(),
            ObjectRef::Many(_) => None,
        }
    }

    /// Every id: one for an id or an embedded object, each readable one of a list.
    pub fn ids(&self) -> Vec<Url> {
        match self {
            ObjectRef::Many(list) => list
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => s.parse().ok(),
                    Value::Object(map) => map.get("id")?.as_str()?.parse().ok(),
                    _ => None,
                })
                .collect(),
            single => single.id().into_iter().collect(),
        }
    }

    /// The embedded object's `type`, if embedded.
    pub fn kind(&self) -> Option<&str> {
        match self {
            ObjectRef::Id(_) | ObjectRef::Many(_) => None,
            ObjectRef::Embedded(map) => map.get("type")?.as_str(),
        }
    }

    /// A field of the embedded object, if embedded.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            ObjectRef::Id(_) | ObjectRef::Many(_) => None,
            ObjectRef::Embedded(map) => map.get(name),
        }
    }
}
