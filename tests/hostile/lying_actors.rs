//! Actor documents that lie (served by a stand-in server): keys owned by someone else, inboxes
//! on another host, another actor's id, redirects.

use super::harness::*;
use crate::common::Backend;
use crate::common::{eventually, follow_state, publish, signed_post};
use serde_json::json;
use std::time::Duration;

crate::on_both_databases!(
    actor_whose_key_belongs_to_someone_else,
    actor_whose_inbox_is_on_another_host,
    actor_document_with_another_actors_id,
    delivery_redirect_is_not_followed,
    actor_claiming_another_actors_key_id,
    shared_inbox_on_another_host_is_not_used,
);

async fn actor_whose_key_belongs_to_someone_else(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["publicKey"]["owner"] = json!(a.actor);
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f1");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    refused(status, &err, 403, "public key belongs to someone else");
    unchanged(&b, &was).await;
    assert!(b
        .store
        .remote_actor_by_ap_id(id)
        .await
        .expect("q")
        .is_none());
}

async fn actor_whose_inbox_is_on_another_host(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["inbox"] = json!(format!("http://localhost:{}/inbox", recorder.port));
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f2");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    refused(status, &err, 403, "inbox is on another host");
    unchanged(&b, &was).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recorder.connections(), 0, "nothing is sent to that inbox");
}

async fn actor_document_with_another_actors_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    // Served at the fake's URL, the document claims to be alpha.
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["id"] = json!(a.actor);
    doc["publicKey"]["owner"] = json!(a.actor);
    fake.serve_actor("/actors/mallory", &doc);
    let id = format!("{}/actors/mallory", fake.base);
    let was = before(&b).await;
    let body = fake_follow(&id, &b, "f3");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    assert!((400..500).contains(&status), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
    unchanged(&b, &was).await;
    if let Some(known) = b.store.remote_actor_by_ap_id(&a.actor).await.expect("q") {
        assert_eq!(
            known.public_key_pem,
            org(&a).await.public_key_pem,
            "alpha's key is not replaced by mallory's"
        );
    }
}

async fn actor_claiming_another_actors_key_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    // Mallory publishes alpha's key id with its own key.
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["publicKey"]["id"] = json!(format!("{}#main-key", a.actor));
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f4");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    assert!(matches!(status, 401 | 403), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
    unchanged(&b, &was).await;
    // Alpha, who owns that key id, must still be heard.
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "after-squat"), None).await;
    assert_eq!(
        status, 202,
        "another actor's claim on alpha's key id locks alpha out: {err}"
    );
}

async fn shared_inbox_on_another_host_is_not_used(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["endpoints"] =
        json!({ "sharedInbox": format!("http://localhost:{}/inbox", recorder.port) });
    fake.serve_actor("/actors/mallory", &doc);
    fake.reply("/actors/mallory/inbox", 202, &[], "");
    let id = doc["id"].as_str().expect("id");
    let body = fake_follow(id, &b, "f5");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    if status != 202 {
        // Refusing such an actor altogether is as good.
        assert!((400..500).contains(&status), "{status} {err}");
        assert_eq!(recorder.connections(), 0);
        return;
    }
    eventually(10, "mallory follows bravo", || async {
        let state = follow_state(&b, "/api/v1/followers", id).await;
        (state.as_deref() == Some("accepted")).then_some(())
    })
    .await;
    publish(&b, "For our followers").await;
    eventually(10, "the post is delivered somewhere", || async {
        let states = b.store.destination_states().await.expect("q");
        // The Accept and the post, wherever they went.
        let attempts: i64 = states.iter().map(|d| d.delivered + d.failed).sum();
        (attempts >= 2).then_some(())
    })
    .await;
    assert_eq!(
        recorder.connections(),
        0,
        "a shared inbox on another host than the actor must not receive its deliveries"
    );
}

async fn delivery_redirect_is_not_followed(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let target = format!("http://localhost:{}/inbox", recorder.port);
    fake.reply("/inbox", 307, &[("location", &target)], "");
    add_follower(&b, "redirector", &format!("{}/inbox", fake.base), None).await;
    publish(&b, "Redirect me").await;
    eventually(10, "the delivery is attempted", || async {
        fake.requests()
            .iter()
            .any(|(method, _, _)| method == "POST")
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recorder.connections(), 0, "the redirect is not followed");
    let states = b.store.destination_states().await.expect("q");
    let inbox = format!("{}/inbox", fake.base);
    let state = states
        .iter()
        .find(|d| d.inbox == inbox)
        .expect("destination");
    assert_eq!(state.delivered, 0, "{state:?}");
}
