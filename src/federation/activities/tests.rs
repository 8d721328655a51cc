//! Classification of received activities: real payloads from Mastodon, GoToSocial, Lemmy and
//! Mobilizon reach the right variant, and the store decides between a Follow's and a
//! referral's answer (each time with the other case as the control).

use super::{classify, Accepted, Incoming};
use crate::db::{NewOrganisation, NewReferral, Store};
use crate::domain::referrals::{ReferralStatus, Side, Urgency};
use crate::federation::inbox::parse_activity;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

fn fixture_value(path: &str) -> Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parsed as the inbox parses a POST body.
fn parsed(value: &Value) -> Incoming {
    let body = serde_json::to_vec(value).expect("JSON");
    parse_activity(&body).unwrap_or_else(|e| panic!("{value}: {e}"))
}

/// A fresh SQLite store (in a directory that lives as long as the returned guard).
async fn store() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/classify.db", dir.path().display());
    let store = crate::db::connect(&url).await.expect("store");
    (dir, store)
}

async fn classified(store: &dyn Store, value: &Value) -> Accepted {
    classify(store, &parsed(value)).await.expect("classify")
}

const OFFER: &str = "https://gotong.example/activities/offer-1";
const REFERRAL: &str = "https://gotong.example/referrals/r-1";
const PARTNER: &str = "https://partner.example/o/clinic";

/// A store holding one referral this node sent, carried by [`OFFER`].
async fn store_with_referral() -> (tempfile::TempDir, Arc<dyn Store>) {
    let (dir, store) = store().await;
    let org = store
        .insert_organisation(NewOrganisation {
            handle: "relief",
            name: "Relief",
            summary: "",
            public_key_pem: "not used here",
            private_key_sealed: "not used here",
        })
        .await
        .expect("organisation");
    store
        .insert_referral(NewReferral {
            ap_id: REFERRAL,
            organisation_id: org.id,
            side: Side::Sender,
            counterpart: PARTNER,
            counterpart_inbox: "https://partner.example/o/clinic/inbox",
            offer_activity: OFFER,
            program: None,
            referral_offer: None,
            urgency: Urgency::Routine,
            status: ReferralStatus::Sent,
            sealed: "",
        })
        .await
        .expect("referral");
    (dir, store)
}

fn activity(kind: &str, object: Value) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{PARTNER}/activities/{kind}-1"),
        "type": kind,
        "actor": PARTNER,
        "object": object,
    })
}

#[tokio::test]
async fn fediverse_fixtures_reach_their_variants() {
    use Accepted::*;
    let (_dir, store) = store().await;
    let cases = [
        ("mastodon_follow.json", Follow),
        ("mastodon_accept.json", FollowAnswer { accepted: true }),
        ("mastodon_undo_follow.json", UndoFollow),
        ("mastodon_create_note.json", CreatePost),
        ("mastodon_create_note_followers_only.json", CreatePost),
        ("mastodon_update_note.json", UpdatePost),
        ("mastodon_delete_note.json", DeletePost),
        ("mastodon_delete_actor.json", DeleteActor),
        ("mastodon_flag.json", Flag),
        ("gotosocial_follow.json", Follow),
        ("gotosocial_accept.json", FollowAnswer { accepted: true }),
        // An answer to an interaction, not to a Follow: the Follow handler finds no Follow
        // of ours with that id and changes nothing.
        (
            "gotosocial_accept_interaction.json",
            FollowAnswer { accepted: true },
        ),
        ("gotosocial_undo_follow.json", UndoFollow),
        ("gotosocial_create_note.json", CreatePost),
        ("gotosocial_update_note.json", UpdatePost),
        ("gotosocial_delete_note.json", DeletePost),
        ("lemmy_follow.json", Follow),
        ("lemmy_accept.json", FollowAnswer { accepted: true }),
        ("lemmy_undo_follow.json", UndoFollow),
        ("lemmy_create_page.json", CreatePost),
        ("lemmy_create_page_link.json", CreatePost),
        ("lemmy_create_note.json", CreatePost),
        ("lemmy_legacy_create_note.json", CreatePost),
        ("lemmy_update_page.json", UpdatePost),
        ("lemmy_delete_page.json", DeletePost),
        ("jsonld_as_public_create_note.json", CreatePost),
        ("jsonld_bare_public_create_note.json", CreatePost),
        ("upstream/lemmy/activities_following_follow.json", Follow),
        (
            "upstream/lemmy/activities_following_accept.json",
            FollowAnswer { accepted: true },
        ),
        (
            "upstream/lemmy/activities_following_undo_follow.json",
            UndoFollow,
        ),
    ];
    for (file, expected) in cases {
        let got = classified(store.as_ref(), &fixture_value(file)).await;
        assert_eq!(got, expected, "{file}");
    }
}

#[tokio::test]
async fn types_not_handled_are_ignored() {
    let (_dir, store) = store().await;
    // Real payloads: a Lemmy community's Announce, Mobilizon's Join, Leave and Invite, and
    // Create of an Event (kept by no handler).
    for file in [
        "upstream/lemmy/activities_community_announce_create_page.json",
        "upstream/mobilizon/mobilizon-join-activity.json",
        "upstream/mobilizon/mobilizon-leave-activity.json",
        "upstream/mobilizon/mobilizon-invite-activity.json",
        "upstream/mobilizon/mobilizon-post-activity.json",
        "upstream/mobilizon/gancio-event-activity.json",
    ] {
        let got = classified(store.as_ref(), &fixture_value(file)).await;
        assert_eq!(got, Accepted::Ignored, "{file}");
    }
    let like = activity("Like", json!("https://gotong.example/o/relief/posts/1"));
    assert_eq!(classified(store.as_ref(), &like).await, Accepted::Ignored);
    // Control: the Mobilizon Create is a post once its object is a Note.
    let mut event = fixture_value("upstream/mobilizon/mobilizon-post-activity.json");
    event["object"]["type"] = json!("Note");
    assert_eq!(
        classified(store.as_ref(), &event).await,
        Accepted::CreatePost
    );
}

#[tokio::test]
async fn undo_and_update_are_told_apart_by_their_object() {
    let (_dir, store) = store().await;
    let undo_like = activity(
        "Undo",
        json!({ "type": "Like", "id": format!("{PARTNER}/l/1") }),
    );
    assert_eq!(
        classified(store.as_ref(), &undo_like).await,
        Accepted::Ignored
    );
    let mut actor = fixture_value("mastodon_actor.json");
    let actor_id = actor["id"].clone();
    actor.as_object_mut().expect("object").remove("@context");
    let mut update = activity("Update", actor);
    update["actor"] = actor_id.clone();
    update["id"] = json!(format!("{}#updates/1", actor_id.as_str().expect("id")));
    assert_eq!(
        classified(store.as_ref(), &update).await,
        Accepted::UpdateActor
    );
    // Created, an actor is nothing to keep; updated by id only, there is nothing to read.
    update["type"] = json!("Create");
    assert_eq!(classified(store.as_ref(), &update).await, Accepted::Ignored);
    let by_id = activity("Update", json!(format!("{PARTNER}/notes/1")));
    assert_eq!(classified(store.as_ref(), &by_id).await, Accepted::Ignored);
    // Without an object, the handler of the type refuses it with the reason.
    let mut bare = activity("Create", Value::Null);
    bare.as_object_mut().expect("object").remove("object");
    assert_eq!(
        classified(store.as_ref(), &bare).await,
        Accepted::CreatePost
    );
}

#[tokio::test]
async fn an_answer_to_a_referral_offer_is_not_a_follow_answer() {
    let (_dir, store) = store_with_referral().await;
    let store = store.as_ref();
    let accept = activity("Accept", json!(OFFER));
    assert_eq!(
        classified(store, &accept).await,
        Accepted::ReferralAnswer { accepted: true }
    );
    let reject = activity("Reject", json!({ "type": "Offer", "id": OFFER }));
    assert_eq!(
        classified(store, &reject).await,
        Accepted::ReferralAnswer { accepted: false }
    );
    // The same answer to an Offer this node does not hold is a Follow's answer.
    let other = activity(
        "Accept",
        json!("https://gotong.example/activities/follow-9"),
    );
    assert_eq!(
        classified(store, &other).await,
        Accepted::FollowAnswer { accepted: true }
    );
    let mastodon = fixture_value("mastodon_accept.json");
    assert_eq!(
        classified(store, &mastodon).await,
        Accepted::FollowAnswer { accepted: true }
    );
}

#[tokio::test]
async fn referral_activities_are_recognised_by_what_the_store_holds() {
    let (_dir, store) = store_with_referral().await;
    let store = store.as_ref();
    let referral = json!({ "type": "Referral", "id": REFERRAL, "status": "received" });
    assert_eq!(
        classified(store, &activity("Update", referral.clone())).await,
        Accepted::ReferralUpdate
    );
    assert_eq!(
        classified(store, &activity("Offer", referral)).await,
        Accepted::ReferralOffer
    );
    let other = json!({ "type": "Note", "id": format!("{PARTNER}/notes/o"), "content": "x" });
    assert_eq!(
        classified(store, &activity("Offer", other)).await,
        Accepted::Ignored,
        "an offer of something else is none of ours"
    );
    let message = |context: &str| {
        activity(
            "Create",
            json!({ "type": "Note", "id": format!("{PARTNER}/notes/m"), "context": context,
                    "attributedTo": PARTNER, "content": "hello" }),
        )
    };
    assert_eq!(
        classified(store, &message(REFERRAL)).await,
        Accepted::ReferralMessage
    );
    assert_eq!(
        classified(store, &message("https://gotong.example/referrals/unknown")).await,
        Accepted::CreatePost
    );
    assert_eq!(
        classified(store, &activity("Delete", json!(REFERRAL))).await,
        Accepted::ReferralErase
    );
    assert_eq!(
        classified(
            store,
            &activity("Delete", json!(format!("{PARTNER}/notes/1")))
        )
        .await,
        Accepted::DeletePost
    );
}

#[test]
fn only_referral_activities_are_applied_while_the_sender_waits() {
    use Accepted::*;
    for waits in [
        ReferralOffer,
        ReferralAnswer { accepted: true },
        ReferralAnswer { accepted: false },
        ReferralUpdate,
        ReferralMessage,
        ReferralErase,
    ] {
        assert!(waits.applied_while_sender_waits(), "{waits:?}");
    }
    for queued in [
        Follow,
        FollowAnswer { accepted: true },
        UndoFollow,
        CreatePost,
        UpdatePost,
        UpdateActor,
        DeletePost,
        DeleteActor,
        Flag,
        Ignored,
    ] {
        assert!(!queued.applied_while_sender_waits(), "{queued:?}");
    }
}
