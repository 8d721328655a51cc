//! Local data as ActivityPub JSON: the organisation actor, its updates, and activities.

use super::protocol::{
    context::default_context, ActivityJson, ActorJson, Addresses, Endpoints, NoteJson,
    PublicKeyJson, Timestamp, TombstoneJson, PUBLIC,
};
use super::Urls;
use crate::db::{OrganisationRow, PostRow};
use crate::domain::{objects::ObjectKind, posts::Visibility};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};
use url::Url;

pub fn organisation_actor(urls: &Urls, org: &OrganisationRow) -> ActorJson {
    let id = urls.actor(&org.handle);
    ActorJson {
        context: Some(default_context()),
        kind: "Organization".into(),
        preferred_username: org.handle.clone(),
        name: Some(org.name.clone()),
        summary: Some(org.summary.clone()),
        inbox: urls.inbox(&org.handle),
        outbox: Some(urls.outbox(&org.handle)),
        followers: Some(urls.followers(&org.handle)),
        following: Some(urls.following(&org.handle)),
        endpoints: Some(Endpoints {
            shared_inbox: Some(urls.shared_inbox()),
            extra: Map::new(),
        }),
        public_key: PublicKeyJson {
            id: urls.key_id(&org.handle),
            owner: id.clone(),
            public_key_pem: org.public_key_pem.clone(),
            extra: Map::new(),
        },
        manually_approves_followers: Some(org.manual_approval),
        url: Some(Value::String(id.to_string())),
        icon: org
            .icon_url
            .as_ref()
            .map(|u| serde_json::json!({ "type": "Image", "url": u })),
        extra: {
            let mut extra = Map::new();
            extra.insert("discoverable".into(), Value::Bool(true));
            extra.insert(
                "gotongDirectory".into(),
                Value::String(urls.directory(&org.handle).to_string()),
            );
            extra.insert(
                "published".into(),
                Value::String(timestamp(org.created_at).to_rfc3339()),
            );
            extra
        },
        id,
    }
}

fn timestamp(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn public() -> Url {
    Url::parse(PUBLIC).expect("static URL")
}

/// Mastodon's addressing: public posts go `to` Public and `cc` followers; followers-only
/// posts go `to` followers alone.
pub fn addressing(urls: &Urls, handle: &str, visibility: Visibility) -> (Vec<Url>, Vec<Url>) {
    match visibility {
        Visibility::Public => (vec![public()], vec![urls.followers(handle)]),
        Visibility::Followers => (vec![urls.followers(handle)], vec![]),
    }
}

/// A post as ActivityStreams: the plain AS2 type for its kind (so any server can show it),
/// with Gotong's kind and structured fields beside it for Gotong nodes.
pub fn post_object(urls: &Urls, handle: &str, post: &PostRow) -> NoteJson {
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Followers);
    let kind = ObjectKind::parse(&post.kind).unwrap_or(ObjectKind::Update);
    let (to, cc) = addressing(urls, handle, visibility);
    let mut extra = Map::new();
    if let Some(source) = &post.source {
        extra.insert(
            "source".into(),
            json!({ "content": source, "mediaType": "text/plain" }),
        );
    }
    let tags: Vec<Value> = post
        .tags
        .split_whitespace()
        .map(|t| json!({ "type": "Hashtag", "name": format!("#{t}"), "href": urls.tag(t) }))
        .collect();
    if !tags.is_empty() {
        extra.insert("tag".into(), Value::Array(tags));
    }
    if kind != ObjectKind::Update {
        extra.insert("gotongType".into(), Value::String(kind.wire_name().into()));
        let data = post
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_else(|| Value::Object(Map::new()));
        extra.insert("gotongData".into(), data);
    }
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    NoteJson {
        context: None,
        kind: kind.as2_type().into(),
        id: Url::parse(&post.ap_id).unwrap_or_else(|_| urls.actor(handle)),
        attributed_to: urls.actor(handle),
        name: non_empty(&post.name),
        summary: non_empty(&post.summary),
        content: Some(post.content.clone()),
        to: Addresses::of(to),
        cc: Addresses::of(cc),
        published: Some(Timestamp::from_millis(post.published_at)),
        updated: post.updated_at.map(Timestamp::from_millis),
        url: Some(Value::String(post.ap_id.clone())),
        extra,
    }
}

pub fn tombstone(post: &PostRow) -> TombstoneJson {
    TombstoneJson {
        kind: "Tombstone".into(),
        id: Url::parse(&post.ap_id).unwrap_or_else(|_| public()),
        former_type: Some(
            ObjectKind::parse(&post.kind)
                .unwrap_or(ObjectKind::Update)
                .as2_type()
                .into(),
        ),
        deleted: post.deleted_at.map(Timestamp::from_millis),
        extra: Map::new(),
    }
}

/// Wraps `object` in an activity of `kind` by `actor`, with a fresh id and the context.
pub fn activity<O: Serialize>(
    urls: &Urls,
    kind: &str,
    actor: Url,
    object: O,
    to: Vec<Url>,
    cc: Vec<Url>,
) -> ActivityJson<O> {
    ActivityJson {
        context: Some(default_context()),
        kind: kind.into(),
        id: urls.new_activity(),
        actor,
        object,
        to: Addresses::of(to),
        cc: Addresses::of(cc),
        published: Some(Utc::now().into()),
        extra: Map::new(),
    }
}

/// The id of the `Create` that published a post: stable, so the outbox and the delivered
/// activity agree.
pub fn create_id(post_ap_id: &str) -> Result<Url, super::FederationError> {
    Url::parse(&format!("{post_ap_id}/activity"))
        .map_err(|e| super::FederationError::Remote(e.to_string()))
}

/// The `Create` of a post as the outbox lists it.
pub fn create_activity(
    urls: &Urls,
    handle: &str,
    post: &PostRow,
) -> Option<ActivityJson<NoteJson>> {
    let note = post_object(urls, handle, post);
    Some(ActivityJson {
        context: None,
        kind: "Create".into(),
        id: create_id(&post.ap_id).ok()?,
        actor: urls.actor(handle),
        to: note.to.clone(),
        cc: note.cc.clone(),
        published: note.published.clone(),
        object: note,
        extra: Map::new(),
    })
}
