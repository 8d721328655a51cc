//! Actors: our `Organization`s, and remote `Person`, `Service`, `Group`... as we read them.

use crate::domain::text::web_url;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActorJson {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKeyJson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    /// A string or a `Link`: kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    /// An `Image` (or a list of them): kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ActorJson {
    pub fn shared_inbox(&self) -> Option<&Url> {
        self.endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
    }

    /// The first icon URL, whether `icon` is one image or a list; only an `http(s)` address.
    pub fn icon_url(&self) -> Option<String> {
        let icon = match self.icon.as_ref()? {
            Value::Array(list) => list.first()?,
            single => single,
        };
        icon.get("url")?.as_str().and_then(web_url)
    }

    /// `url` as a string, whether sent as a string or a `Link`; only an `http(s)` address,
    /// since it is rendered as a link.
    pub fn profile_url(&self) -> Option<String> {
        match self.url.as_ref()? {
            Value::String(s) => web_url(s),
            Value::Object(link) => link.get("href")?.as_str().and_then(web_url),
            Value::Array(list) => list.first()?.as_str().and_then(web_url),
            _ => None,
        }
    }
}
