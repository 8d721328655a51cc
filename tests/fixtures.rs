//! Payloads as Mastodon, GoToSocial and Lemmy send them, read through Gotong's wire types.
//!
//! The fixtures in `tests/fixtures/` follow each server's serialisers and federation
//! documentation (contexts, key layout, addressing forms, embedded or id-only objects,
//! extension fields); hosts, ids, keys and signatures are made up. Each fixture has two tests:
//!
//! - `reads::<fixture>`: the fields Gotong acts on are read correctly.
//! - `round_trip::<fixture>`: parse → serialise gives back the same JSON. The only
//!   normalisation is dropping null-valued members, which JSON-LD reads as absent. A fixture
//!   must come back identical (addressing and timestamps keep the form they were sent in).

use chrono::{DateTime, Duration, TimeZone, Utc};
use gotong::federation::inbox::parse_activity;
use gotong::federation::protocol::{
    is_public, values, ActivityJson, ActorJson, Addresses, NoteJson, ObjectRef, TombstoneJson,
    PUBLIC,
};
use rsa::{pkcs8::DecodePublicKey, RsaPublicKey};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::path::Path;
use url::Url;

/// What the inbox hands to processing.
type Incoming = ActivityJson<Option<ObjectRef>>;

/// The Gotong organisation the fixtures interact with, and a Follow it sent.
const GOTONG_ORG: &str = "https://gotong.example/o/relief";
const GOTONG_FOLLOW: &str =
    "https://gotong.example/activities/0b9e4c2a-6f1d-4e8b-a3c5-7d2f9e1b4a68";

const ACTOR_TYPES: [&str; 5] = ["Person", "Organization", "Service", "Group", "Application"];
const POST_TYPES: [&str; 3] = ["Note", "Article", "Page"];

fn raw(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    serde_json::from_slice(&raw(name)).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn typed<T: DeserializeOwned>(what: &str, value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{what} does not parse: {e}"))
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

// ---------------------------------------------------------------------------- round trip

/// JSON-LD reads a null member as an absent one, so both sides drop them before comparing.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Every place where `after` differs from `before`, as a JSON pointer with both values.
fn differences(path: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let here = format!("{path}/{key}");
                match b.get(key) {
                    Some(vb) => differences(&here, va, vb, out),
                    None => out.push(format!("{here}: {va} was dropped")),
                }
            }
            for (key, vb) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}/{key}: {vb} was added"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}/{i}"), va, vb, out);
            }
        }
        _ if before == after => {}
        _ => out.push(format!("{path}: {before} became {after}")),
    }
}

/// Where serialising `parsed` no longer gives `before`, each line naming `what` and a JSON
/// pointer.
fn changes<T: Serialize>(what: &str, before: &Value, parsed: &T) -> Vec<String> {
    let after = serde_json::to_value(parsed).expect("wire types serialise");
    let mut diffs = Vec::new();
    differences(
        "",
        &without_nulls(before.clone()),
        &without_nulls(after),
        &mut diffs,
    );
    diffs.into_iter().map(|d| format!("{what} {d}")).collect()
}

/// Parses the fixture as Gotong would and checks that re-serialising loses nothing: actors
/// as `ActorJson`; activities through the inbox parser and as `ActivityJson<ObjectRef>`; an
/// embedded post as `NoteJson` (as processing reads it) and a `Tombstone` as `TombstoneJson`.
fn assert_round_trip(name: &str) {
    let original = json(name);
    let kind = original["type"].as_str().expect("fixture has a type");
    let mut diffs = Vec::new();
    if ACTOR_TYPES.contains(&kind) {
        let actor: ActorJson = typed(name, &original);
        diffs.extend(changes("ActorJson", &original, &actor));
    } else {
        let incoming = parse_activity(&raw(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        diffs.extend(changes("parse_activity", &original, &incoming));
        let strict: ActivityJson<ObjectRef> = typed(name, &original);
        diffs.extend(changes("ActivityJson<ObjectRef>", &original, &strict));

        let object = &original["object"];
        match object["type"].as_str() {
            Some(kind) if POST_TYPES.contains(&kind) => {
                let note: NoteJson = typed("embedded post", object);
                diffs.extend(changes("NoteJson (object)", object, &note));
            }
            Some("Tombstone") => {
                let tombstone: TombstoneJson = typed("embedded Tombstone", object);
                diffs.extend(changes("TombstoneJson (object)", object, &tombstone));
            }
            _ => {}
        }
    }
    assert!(
        diffs.is_empty(),
        "{name} changed in parse → serialise:\n  {}",
        diffs.join("\n  ")
    );
}

macro_rules! round_trips {
    ($($(#[$attr:meta])* $test:ident: $file:literal;)*) => {
        /// Every fixture with a round-trip test.
        pub const FILES: &[&str] = &[$($file),*];

        $(
            #[test]
            $(#[$attr])*
            fn $test() {
                super::assert_round_trip($file);
            }
        )*
    };
}

mod round_trip {
    round_trips! {
        mastodon_actor: "mastodon_actor.json";
        mastodon_follow: "mastodon_follow.json";
        mastodon_accept: "mastodon_accept.json";
        mastodon_undo_follow: "mastodon_undo_follow.json";
        mastodon_create_note: "mastodon_create_note.json";
        mastodon_create_note_followers_only: "mastodon_create_note_followers_only.json";
        mastodon_update_note: "mastodon_update_note.json";
        mastodon_delete_note: "mastodon_delete_note.json";
        mastodon_delete_actor: "mastodon_delete_actor.json";
        mastodon_flag: "mastodon_flag.json";

        gotosocial_actor: "gotosocial_actor.json";
        gotosocial_follow: "gotosocial_follow.json";
        gotosocial_accept: "gotosocial_accept.json";
        gotosocial_accept_interaction: "gotosocial_accept_interaction.json";
        gotosocial_undo_follow: "gotosocial_undo_follow.json";
        gotosocial_create_note: "gotosocial_create_note.json";
        gotosocial_update_note: "gotosocial_update_note.json";
        gotosocial_delete_note: "gotosocial_delete_note.json";

        lemmy_actor: "lemmy_actor.json";
        lemmy_group: "lemmy_group.json";
        lemmy_follow: "lemmy_follow.json";
        lemmy_accept: "lemmy_accept.json";
        lemmy_undo_follow: "lemmy_undo_follow.json";
        lemmy_create_page: "lemmy_create_page.json";
        lemmy_create_page_link: "lemmy_create_page_link.json";
        lemmy_update_page: "lemmy_update_page.json";
        lemmy_create_note: "lemmy_create_note.json";
        lemmy_delete_page: "lemmy_delete_page.json";
        lemmy_legacy_create_note: "lemmy_legacy_create_note.json";

        jsonld_as_public_create_note: "jsonld_as_public_create_note.json";
        jsonld_bare_public_create_note: "jsonld_bare_public_create_note.json";
    }
}

/// A fixture added to the directory without tests fails here.
#[test]
fn every_fixture_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = round_trip::FILES.iter().map(|f| f.to_string()).collect();
    tested.sort();
    assert_eq!(on_disk, tested);
}

// ---------------------------------------------------------------------------- reads

fn actor(name: &str) -> ActorJson {
    typed(name, &json(name))
}

/// Parsed exactly as the inbox does; also checks what the inbox checks before storing:
/// the activity id and its actor are on the same host.
fn activity(name: &str) -> Incoming {
    let activity = parse_activity(&raw(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        activity.id.host_str(),
        activity.actor.host_str(),
        "{name}: id and actor on different hosts"
    );
    activity
}

fn object(activity: &Incoming) -> &ObjectRef {
    activity.object.as_ref().expect("activity has an object")
}

/// The embedded post, read the way processing reads it.
fn note(activity: &Incoming) -> NoteJson {
    match object(activity) {
        ObjectRef::Embedded(map) => typed("embedded object", &Value::Object(map.clone())),
        ObjectRef::Id(id) => panic!("object {id} is not embedded"),
        ObjectRef::Many(list) => panic!("object is a list of {}", list.len()),
    }
}

/// Processing's visibility rule: public if the public collection is in `to` or `cc`.
fn public(note: &NoteJson) -> bool {
    values::all(&note.to)
        .chain(values::all(&note.cc))
        .any(is_public)
}

fn urls(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The addresses of a `to` or `cc` field, absent meaning none.
fn addrs(field: &Option<Addresses>) -> Vec<String> {
    values::all(field).map(String::from).collect()
}

/// The key Gotong stores to verify this actor's signatures: owned by the actor, a usable RSA
/// public key.
fn assert_key(actor: &ActorJson, key_id: &str) {
    assert_eq!(actor.public_key.id, key_id);
    assert_eq!(actor.public_key.owner, actor.id);
    RsaPublicKey::from_public_key_pem(&actor.public_key.public_key_pem)
        .expect("publicKeyPem is an RSA public key");
}

/// An Accept/Undo whose object is the embedded Follow `follow_id` from `follower` to
/// `followed`: what the answer and undo handlers look up and check.
fn assert_embedded_follow(activity: &Incoming, follow_id: &str, follower: &str, followed: &str) {
    let follow = object(activity);
    assert!(matches!(follow, ObjectRef::Embedded(_)));
    assert_eq!(follow.kind(), Some("Follow"));
    assert_eq!(follow.id(), Some(url(follow_id)));
    assert_eq!(follow.field("actor"), Some(&Value::from(follower)));
    assert_eq!(follow.field("object"), Some(&Value::from(followed)));
}

mod reads {
    use super::*;

    const ALICE: &str = "https://mastodon.example/users/alice";
    const ALICE_FOLLOW: &str = "https://mastodon.example/5f0c3a8e-2d1b-4c7a-9e3f-8b6d4a2c1e07";
    const STATUS: &str = "https://mastodon.example/users/alice/statuses/112456789012345678";
    const DEWI: &str = "https://gts.example/users/dewi";
    const DEWI_FOLLOW: &str = "https://gts.example/users/dewi/follow/01HY7Q3M2K8V5N4R6T9W1X0Z2B";
    const GTS_STATUS: &str = "https://gts.example/users/dewi/statuses/01HY7T4B6C8D0E2F4G6H8J0K2M";
    const RINA: &str = "https://lemmy.example/u/rina";
    const COMMUNITY: &str = "https://lemmy.example/c/disasterprep";
    const REMOTE_COMMUNITY: &str = "https://lemmy-two.example/c/firstaid";
    const RINA_FOLLOW: &str =
        "https://lemmy.example/activities/follow/6abcd50b-b8ca-4952-86b0-a6dd8cc12866";
    const POST: &str = "https://lemmy.example/post/48213";

    // ------------------------------------------------------------------ Mastodon

    #[test]
    fn mastodon_actor() {
        let a = actor("mastodon_actor.json");
        assert_eq!(a.kind, "Person");
        assert_eq!(a.id, url(ALICE));
        assert_eq!(a.preferred_username, "alice");
        assert_eq!(a.name.as_deref(), Some("Alice Nguyen :heart_hands:"));
        assert_eq!(a.inbox, url(&format!("{ALICE}/inbox")));
        assert_eq!(
            a.shared_inbox(),
            Some(&url("https://mastodon.example/inbox"))
        );
        assert_eq!(a.followers, Some(url(&format!("{ALICE}/followers"))));
        assert_key(&a, &format!("{ALICE}#main-key"));
        assert_eq!(a.manually_approves_followers, Some(false));
        assert_eq!(
            a.profile_url().as_deref(),
            Some("https://mastodon.example/@alice")
        );
        assert!(a
            .icon_url()
            .is_some_and(|u| u.ends_with("3f2a9c1d7e5b4a60.png")));
        // The inline context map and Mastodon's extensions are kept as sent.
        let context = a.context.as_ref().expect("@context");
        assert_eq!(context[2]["featured"]["@type"], "@id");
        assert_eq!(a.extra["featured"], format!("{ALICE}/collections/featured"));
        assert_eq!(a.extra["attachment"][0]["type"], "PropertyValue");
        assert_eq!(a.extra["tag"][0]["type"], "Emoji");
        assert_eq!(a.extra["discoverable"], true);
    }

    #[test]
    fn mastodon_follow() {
        let f = activity("mastodon_follow.json");
        assert_eq!(f.kind, "Follow");
        assert_eq!(f.id, url(ALICE_FOLLOW));
        assert_eq!(f.actor, url(ALICE));
        assert_eq!(object(&f), &ObjectRef::Id(url(GOTONG_ORG)));
        assert!(addrs(&f.to).is_empty() && addrs(&f.cc).is_empty());
    }

    #[test]
    fn mastodon_accept() {
        let a = activity("mastodon_accept.json");
        assert_eq!(a.kind, "Accept");
        assert_eq!(a.id, url(&format!("{ALICE}#accepts/follows/7731")));
        assert_eq!(a.actor, url(ALICE));
        assert_embedded_follow(&a, GOTONG_FOLLOW, GOTONG_ORG, ALICE);
    }

    #[test]
    fn mastodon_undo_follow() {
        let u = activity("mastodon_undo_follow.json");
        assert_eq!(u.kind, "Undo");
        assert_eq!(u.actor, url(ALICE));
        assert_embedded_follow(&u, ALICE_FOLLOW, ALICE, GOTONG_ORG);
    }

    #[test]
    fn mastodon_create_note() {
        let c = activity("mastodon_create_note.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(c.id, url(&format!("{STATUS}/activity")));
        assert_eq!(c.actor, url(ALICE));
        assert_eq!(object(&c).id(), Some(url(STATUS)));
        assert_eq!(object(&c).kind(), Some("Note"));
        assert_eq!(
            c.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 14, 9, 21, 7))
        );
        assert!(c.extra["signature"]["signatureValue"].is_string());

        let n = note(&c);
        assert_eq!(n.attributed_to, c.actor);
        assert!(n
            .content
            .as_deref()
            .unwrap_or_default()
            .starts_with("<p>Water distribution at the north shelter"));
        assert_eq!(addrs(&n.to), urls(&[PUBLIC]));
        assert_eq!(
            addrs(&n.cc),
            urls(&[&format!("{ALICE}/followers"), GOTONG_ORG])
        );
        assert!(public(&n));
        assert_eq!(
            n.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 14, 9, 21, 7))
        );
        assert_eq!(n.updated, None);
        assert_eq!(n.extra["contentMap"]["en"], Value::from(n.content.clone()));
        assert_eq!(n.extra["sensitive"], false);
        assert!(n.extra["conversation"]
            .as_str()
            .is_some_and(|c| c.starts_with("tag:")));
        assert_eq!(n.extra["tag"][0]["href"], GOTONG_ORG);
        assert_eq!(n.extra["attachment"][0]["focalPoint"][0], -0.25);
        assert_eq!(n.summary, None);
    }

    #[test]
    fn mastodon_create_note_followers_only() {
        let c = activity("mastodon_create_note_followers_only.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(addrs(&c.to), urls(&[&format!("{ALICE}/followers")]));
        assert!(addrs(&c.cc).is_empty());
        let n = note(&c);
        assert_eq!(n.attributed_to, c.actor);
        assert_eq!(addrs(&n.to), urls(&[&format!("{ALICE}/followers")]));
        assert!(addrs(&n.cc).is_empty());
        assert!(
            !public(&n),
            "a followers-only post must not be read as public"
        );
    }

    #[test]
    fn mastodon_update_note() {
        let u = activity("mastodon_update_note.json");
        assert_eq!(u.kind, "Update");
        assert_eq!(u.id, url(&format!("{STATUS}#updates/1715680000")));
        assert_eq!(object(&u).id(), Some(url(STATUS)));
        let n = note(&u);
        assert_eq!(n.attributed_to, u.actor);
        assert!(n.content.as_deref().unwrap_or_default().contains("06:30"));
        assert!(public(&n));
        assert_eq!(
            n.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 14, 9, 21, 7))
        );
        assert_eq!(
            n.updated.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 14, 9, 46, 40))
        );
    }

    #[test]
    fn mastodon_delete_note() {
        let d = activity("mastodon_delete_note.json");
        assert_eq!(d.kind, "Delete");
        assert_eq!(d.actor, url(ALICE));
        assert_eq!(addrs(&d.to), urls(&[PUBLIC]));
        assert_eq!(object(&d).kind(), Some("Tombstone"));
        assert_eq!(object(&d).id(), Some(url(STATUS)));
        assert_ne!(
            object(&d).id(),
            Some(d.actor.clone()),
            "not an account deletion"
        );
        let tombstone: TombstoneJson =
            typed("tombstone", &json("mastodon_delete_note.json")["object"]);
        assert_eq!(tombstone.id, url(STATUS));
        assert_eq!(tombstone.extra["atomUri"], STATUS);
    }

    #[test]
    fn mastodon_delete_actor() {
        let d = activity("mastodon_delete_actor.json");
        assert_eq!(d.kind, "Delete");
        assert_eq!(d.id, url(&format!("{ALICE}#delete")));
        // object == actor: the inbox treats this as an account deletion.
        assert_eq!(object(&d), &ObjectRef::Id(url(ALICE)));
        assert_eq!(object(&d).id(), Some(d.actor.clone()));
        assert!(addrs(&d.to).is_empty());
        assert_eq!(d.extra["signature"]["creator"], format!("{ALICE}#main-key"));
    }

    #[test]
    fn mastodon_flag() {
        // A report, sent by the reporting server's instance actor; `object` lists the
        // reported account first, then the reported posts; `content` is the comment.
        let f = activity("mastodon_flag.json");
        assert_eq!(f.kind, "Flag");
        assert_eq!(f.actor, url("https://mastodon.example/actor"));
        assert_eq!(
            object(&f).ids(),
            vec![
                url(GOTONG_ORG),
                url("https://gotong.example/updates/3c7e5b1a-0d4f-4a29-8e6b-2f9d1c8a7b34")
            ]
        );
        assert_eq!(object(&f).id(), None, "a list has no single id");
        assert_eq!(f.extra["content"], "Posts links to a fake donation page");
        assert!(!f.is_public(), "reports are private");
    }

    // ------------------------------------------------------------------ GoToSocial

    #[test]
    fn gotosocial_actor() {
        let a = actor("gotosocial_actor.json");
        assert_eq!(a.kind, "Person");
        assert_eq!(a.id, url(DEWI));
        assert_eq!(a.preferred_username, "dewi");
        assert_eq!(a.inbox, url(&format!("{DEWI}/inbox")));
        // GoToSocial serves no sharedInbox for its own accounts.
        assert_eq!(a.shared_inbox(), None);
        // Its key id is a path, not a fragment.
        assert_key(&a, &format!("{DEWI}/main-key"));
        assert_eq!(a.manually_approves_followers, Some(true));
        assert_eq!(
            a.profile_url().as_deref(),
            Some("https://gts.example/@dewi")
        );
        assert!(a.icon_url().is_some_and(|u| u.ends_with(".webp")));
        assert_eq!(a.extra["attachment"][1]["value"], "Central Sulawesi");
        assert_eq!(
            a.context.as_ref().expect("@context")[0],
            "https://w3id.org/security/v1"
        );
    }

    #[test]
    fn gotosocial_follow() {
        let f = activity("gotosocial_follow.json");
        assert_eq!(f.kind, "Follow");
        assert_eq!(f.id, url(DEWI_FOLLOW));
        assert_eq!(f.actor, url(DEWI));
        assert_eq!(object(&f), &ObjectRef::Id(url(GOTONG_ORG)));
        // A single address sent as a string is read as a one-element list.
        assert_eq!(addrs(&f.to), urls(&[GOTONG_ORG]));
    }

    #[test]
    fn gotosocial_accept() {
        let a = activity("gotosocial_accept.json");
        assert_eq!(a.kind, "Accept");
        assert_eq!(a.id, url("https://gts.example/01HY7R0F5C2D8E4G6H1J3K5M7N"));
        assert_eq!(a.actor, url(DEWI));
        assert_eq!(addrs(&a.to), urls(&[GOTONG_ORG]));
        assert_embedded_follow(&a, GOTONG_FOLLOW, GOTONG_ORG, DEWI);
    }

    #[test]
    fn gotosocial_accept_interaction() {
        let a = activity("gotosocial_accept_interaction.json");
        assert_eq!(a.kind, "Accept");
        let accepted = url("https://gotong.example/updates/3c1d7e9a-5b2f-4a6c-8d0e-1f3a5c7e9b2d");
        assert_eq!(object(&a), &ObjectRef::Id(accepted.clone()));
        assert_eq!(object(&a).id(), Some(accepted));
        assert_eq!(object(&a).kind(), None);
        assert_eq!(addrs(&a.to), urls(&[GOTONG_ORG]));
        assert!(addrs(&a.cc).iter().any(|c| is_public(c)));
    }

    #[test]
    fn gotosocial_undo_follow() {
        let u = activity("gotosocial_undo_follow.json");
        assert_eq!(u.kind, "Undo");
        assert_eq!(u.actor, url(DEWI));
        assert_embedded_follow(&u, DEWI_FOLLOW, DEWI, GOTONG_ORG);
    }

    #[test]
    fn gotosocial_create_note() {
        let c = activity("gotosocial_create_note.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(c.id, url(&format!("{GTS_STATUS}/activity#Create")));
        assert_eq!(addrs(&c.to), urls(&[PUBLIC]));
        assert_eq!(addrs(&c.cc), urls(&[&format!("{DEWI}/followers")]));
        assert_eq!(
            c.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 20, 6, 45, 12))
        );
        let n = note(&c);
        assert_eq!(n.id, url(GTS_STATUS));
        assert_eq!(n.attributed_to, c.actor);
        assert!(n
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("Community kitchen in Palu"));
        assert_eq!(addrs(&n.to), urls(&[PUBLIC]));
        assert_eq!(addrs(&n.cc), urls(&[&format!("{DEWI}/followers")]));
        assert!(public(&n));
        assert_eq!(
            n.extra["interactionPolicy"]["canReply"]["always"][0],
            PUBLIC
        );
        // One tag comes as an object, not a list.
        assert_eq!(n.extra["tag"]["type"], "Hashtag");
        assert_eq!(n.extra["contentMap"]["en"], Value::from(n.content.clone()));
    }

    #[test]
    fn gotosocial_update_note() {
        let u = activity("gotosocial_update_note.json");
        assert_eq!(u.kind, "Update");
        assert_eq!(u.id, url(&format!("{GTS_STATUS}/activity#Update")));
        let n = note(&u);
        assert_eq!(n.attributed_to, u.actor);
        assert!(n
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("clean water"));
        assert!(public(&n));
        assert_eq!(
            n.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 20, 6, 45, 12))
        );
        assert_eq!(
            n.updated.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 20, 7, 10, 31))
        );
    }

    #[test]
    fn gotosocial_delete_note() {
        let d = activity("gotosocial_delete_note.json");
        assert_eq!(d.kind, "Delete");
        assert_eq!(d.actor, url(DEWI));
        assert_eq!(object(&d), &ObjectRef::Id(url(GTS_STATUS)));
        assert_eq!(addrs(&d.to), urls(&[PUBLIC]));
        assert_eq!(
            addrs(&d.cc),
            urls(&[&format!("{DEWI}/followers"), GOTONG_ORG])
        );
    }

    // ------------------------------------------------------------------ Lemmy

    #[test]
    fn lemmy_actor() {
        let a = actor("lemmy_actor.json");
        assert_eq!(a.kind, "Person");
        assert_eq!(a.id, url(RINA));
        assert_eq!(a.preferred_username, "rina");
        assert_eq!(a.name.as_deref(), Some("Rina Wulandari"));
        assert_eq!(a.inbox, url(&format!("{RINA}/inbox")));
        assert_eq!(a.shared_inbox(), Some(&url("https://lemmy.example/inbox")));
        assert_key(&a, &format!("{RINA}#main-key"));
        assert_eq!(a.followers, None);
        assert_eq!(a.profile_url(), None);
        assert!(a
            .icon_url()
            .is_some_and(|u| u.starts_with("https://lemmy.example/pictrs/")));
        assert_eq!(a.extra["matrixUserId"], "@rina:matrix.example");
        assert_eq!(a.extra["source"]["mediaType"], "text/markdown");
    }

    #[test]
    fn lemmy_group() {
        let g = actor("lemmy_group.json");
        assert_eq!(g.kind, "Group");
        assert_eq!(g.id, url(COMMUNITY));
        assert_eq!(g.preferred_username, "disasterprep");
        assert_eq!(g.name.as_deref(), Some("Disaster Preparedness"));
        assert_eq!(g.inbox, url(&format!("{COMMUNITY}/inbox")));
        assert_eq!(g.shared_inbox(), Some(&url("https://lemmy.example/inbox")));
        assert_eq!(g.followers, Some(url(&format!("{COMMUNITY}/followers"))));
        assert_key(&g, &format!("{COMMUNITY}#main-key"));
        assert_eq!(g.extra["attributedTo"], format!("{COMMUNITY}/moderators"));
        assert_eq!(g.extra["postingRestrictedToMods"], false);
        assert_eq!(g.extra["language"][1]["identifier"], "id");
    }

    #[test]
    fn lemmy_follow() {
        let f = activity("lemmy_follow.json");
        assert_eq!(f.kind, "Follow");
        assert_eq!(f.id, url(RINA_FOLLOW));
        assert_eq!(f.actor, url(RINA));
        assert_eq!(object(&f), &ObjectRef::Id(url(REMOTE_COMMUNITY)));
        assert_eq!(addrs(&f.to), urls(&[REMOTE_COMMUNITY]));
    }

    #[test]
    fn lemmy_accept() {
        let a = activity("lemmy_accept.json");
        assert_eq!(a.kind, "Accept");
        assert_eq!(a.actor, url(COMMUNITY));
        assert_eq!(addrs(&a.to), urls(&[GOTONG_ORG]));
        assert_embedded_follow(&a, GOTONG_FOLLOW, GOTONG_ORG, COMMUNITY);
    }

    #[test]
    fn lemmy_undo_follow() {
        let u = activity("lemmy_undo_follow.json");
        assert_eq!(u.kind, "Undo");
        assert_eq!(u.actor, url(RINA));
        assert_embedded_follow(&u, RINA_FOLLOW, RINA, REMOTE_COMMUNITY);
    }

    #[test]
    fn lemmy_create_page() {
        let c = activity("lemmy_create_page.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(c.actor, url(RINA));
        assert_eq!(addrs(&c.to), urls(&[PUBLIC]));
        assert_eq!(addrs(&c.cc), urls(&[COMMUNITY]));
        assert_eq!(c.extra["audience"], COMMUNITY);
        assert_eq!(object(&c).kind(), Some("Page"));
        let p = note(&c);
        assert_eq!(p.kind, "Page");
        assert_eq!(p.id, url(POST));
        assert_eq!(p.attributed_to, c.actor);
        assert!(p
            .content
            .as_deref()
            .unwrap_or_default()
            .starts_with("<p>Our checklist for the first 72 hours"));
        assert_eq!(addrs(&p.to), urls(&[COMMUNITY, PUBLIC]));
        assert!(addrs(&p.cc).is_empty());
        assert!(public(&p));
        assert_eq!(
            p.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 21, 12, 30, 45) + Duration::microseconds(221_907))
        );
        assert_eq!(p.name.as_deref(), Some("72-hour flood checklist"));
        assert_eq!(p.extra["mediaType"], "text/html");
        assert_eq!(p.extra["source"]["mediaType"], "text/markdown");
        assert_eq!(p.extra["audience"], COMMUNITY);
    }

    #[test]
    fn lemmy_create_page_link() {
        let c = activity("lemmy_create_page_link.json");
        let p = note(&c);
        assert_eq!(p.kind, "Page");
        assert_eq!(p.attributed_to, c.actor);
        // A link post has no body; the title and the link are what there is.
        assert_eq!(p.content, None);
        assert_eq!(
            p.name.as_deref(),
            Some("Regional agency publishes updated evacuation maps")
        );
        assert_eq!(
            p.extra["attachment"][0]["href"],
            "https://agency.example/news/evacuation-maps-2024"
        );
        assert!(public(&p));
    }

    #[test]
    fn lemmy_update_page() {
        let u = activity("lemmy_update_page.json");
        assert_eq!(u.kind, "Update");
        assert_eq!(object(&u).id(), Some(url(POST)));
        let p = note(&u);
        assert_eq!(p.attributed_to, u.actor);
        assert!(p
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("medicines"));
        assert!(public(&p));
        assert_eq!(
            p.updated.as_ref().and_then(|t| t.datetime()),
            Some(at(2024, 5, 22, 8, 11, 37) + Duration::microseconds(402_518))
        );
    }

    #[test]
    fn lemmy_create_note() {
        let c = activity("lemmy_create_note.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(object(&c).kind(), Some("Note"));
        let n = note(&c);
        assert_eq!(n.id, url("https://lemmy.example/comment/991203"));
        assert_eq!(n.attributed_to, c.actor);
        assert!(n
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("paper copy of emergency contacts"));
        assert_eq!(addrs(&n.to), urls(&[PUBLIC]));
        assert_eq!(
            addrs(&n.cc),
            urls(&[COMMUNITY, "https://lemmy.example/u/bagus"])
        );
        assert!(public(&n));
        assert_eq!(n.extra["inReplyTo"], POST);
        assert_eq!(n.extra["distinguished"], false);
    }

    #[test]
    fn lemmy_delete_page() {
        let d = activity("lemmy_delete_page.json");
        assert_eq!(d.kind, "Delete");
        assert_eq!(d.actor, url(RINA));
        assert_eq!(object(&d), &ObjectRef::Id(url(POST)));
        assert_eq!(addrs(&d.to), urls(&[PUBLIC]));
        assert_eq!(addrs(&d.cc), urls(&[COMMUNITY]));
    }

    #[test]
    fn lemmy_legacy_create_note() {
        let c = activity("lemmy_legacy_create_note.json");
        assert_eq!(c.kind, "Create");
        assert_eq!(addrs(&c.cc), urls(&[COMMUNITY, RINA]));
        let n = note(&c);
        assert_eq!(n.attributed_to, c.actor);
        assert!(n
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("printing the checklist"));
        assert!(addrs(&n.cc).is_empty());
        assert!(public(&n));
        // "+00:00" is the same instant as "Z".
        assert_eq!(
            n.published.as_ref().and_then(|t| t.datetime()),
            Some(at(2023, 4, 2, 9, 14, 27) + Duration::microseconds(385_612))
        );
    }

    // ------------------------------------------------------------------ JSON-LD compacted

    /// ActivityPub §5.6: compacting with the ActivityStreams context may spell the public
    /// collection `as:Public` or `Public`. The spelling is kept as sent, and `is_public`
    /// recognises all three.
    fn assert_public_alias_read(name: &str) {
        let c = activity(name);
        assert!(is_public(&addrs(&c.to)[0]));
        assert_eq!(addrs(&c.to)[1], GOTONG_ORG);
        let n = note(&c);
        assert_eq!(n.attributed_to, c.actor);
        assert_eq!(addrs(&n.to), addrs(&c.to));
        assert!(public(&n));
        assert_eq!(addrs(&n.cc).len(), 2);
    }

    #[test]
    fn jsonld_as_public_create_note() {
        assert_public_alias_read("jsonld_as_public_create_note.json");
    }

    #[test]
    fn jsonld_bare_public_create_note() {
        assert_public_alias_read("jsonld_bare_public_create_note.json");
    }
}
