//! The inbox refuses what it must and stores what it may, once.

mod common;

use common::{eventually, send, signed_post, tempdir, Backend, TestNode};
use gotong::federation::signatures::sign_request;
use serde_json::{json, Value};

on_both_databases!(
    unsigned_forged_and_rfc9421_requests_get_401,
    oversized_and_malformed_bodies_are_refused,
    sender_must_be_the_activity_actor,
    replayed_activity_is_stored_once,
    unknown_activity_type_is_acknowledged_and_ignored,
);

fn follow_of(signer: &TestNode, target: &TestNode, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/test-follow-{n}", signer.base),
        "type": "Follow",
        "actor": signer.actor,
        "object": target.actor,
    }))
    .expect("json")
}

async fn stored(node: &TestNode) -> i64 {
    node.store.count_inbox_activities().await.expect("count")
}

fn assert_json_error(body: &Value) {
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "no JSON error: {body}"
    );
}

async fn unsigned_forged_and_rfc9421_requests_get_401(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let body = follow_of(&a, &b, 1);
    let inbox = format!("{}/o/bravo/inbox", b.base);
    let client = reqwest::Client::new();

    let (status, err) = send(
        client
            .post(&inbox)
            .header("content-type", "application/activity+json")
            .body(body.clone()),
    )
    .await;
    assert_eq!(status, 401);
    assert_json_error(&err);

    let (_, stranger_key) = gotong::domain::organisations::generate_key_pair().expect("keys");
    let (status, err) = signed_post(&a, &b, &body, Some(&stranger_key)).await;
    assert_eq!(status, 401, "a key that is not the actor's must not verify");
    assert_json_error(&err);

    let (status, _) = send(
        client
            .post(&inbox)
            .header(
                "signature-input",
                "sig1=(\"@method\" \"@target-uri\");keyid=\"k\"",
            )
            .header("signature", "sig1=:AAAA:")
            .header(
                "date",
                httpdate::fmt_http_date(std::time::SystemTime::now()),
            )
            .body(body.clone()),
    )
    .await;
    assert_eq!(
        status, 401,
        "RFC 9421 gets 401 so the sender retries with cavage"
    );

    // A valid signature over a different body: the digest gives it away.
    let url = url::Url::parse(&format!("{}/inbox", b.base)).expect("url");
    let headers = sign_request(
        "POST",
        &url,
        Some(&body),
        None,
        &format!("{}#main-key", a.actor),
        &a.private_key().await,
    )
    .expect("sign");
    let tampered = follow_of(&a, &b, 2);
    let (status, _) = send(client.post(url).headers(headers).body(tampered)).await;
    assert_eq!(status, 401);

    assert_eq!(
        stored(&b).await,
        0,
        "nothing may be stored from refused requests"
    );
}

async fn oversized_and_malformed_bodies_are_refused(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;

    let huge = format!(
        r#"{{"type":"Note","content":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, err) = signed_post(&a, &b, huge.as_bytes(), None).await;
    assert_eq!(status, 413);
    assert_json_error(&err);

    for malformed in [
        &b"{not json"[..],
        b"[]",
        br#"{"type":"Follow"}"#,
        b"\xff\xfe",
    ] {
        let (status, err) = signed_post(&a, &b, malformed, None).await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(malformed));
        assert!(
            err["error"]
                .as_str()
                .unwrap_or_default()
                .contains("not an ActivityPub activity"),
            "{err}"
        );
    }
    assert_eq!(stored(&b).await, 0);
}

async fn sender_must_be_the_activity_actor(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    // Signed by alpha, claiming to be charlie's Follow (ids on charlie's host).
    let forged = serde_json::to_vec(&json!({
        "id": format!("{}/activities/forged", c.base),
        "type": "Follow",
        "actor": c.actor,
        "object": b.actor,
    }))
    .expect("json");
    let (status, err) = signed_post(&a, &b, &forged, None).await;
    assert_eq!(status, 403, "{err}");
    // An activity id on another host than its actor.
    let misplaced = serde_json::to_vec(&json!({
        "id": format!("{}/activities/misplaced", c.base),
        "type": "Follow",
        "actor": a.actor,
        "object": b.actor,
    }))
    .expect("json");
    let (status, _) = signed_post(&a, &b, &misplaced, None).await;
    assert_eq!(status, 403);
    assert_eq!(stored(&b).await, 0);
}

async fn replayed_activity_is_stored_once(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let body = follow_of(&a, &b, 7);
    for _ in 0..3 {
        let (status, _) = signed_post(&a, &b, &body, None).await;
        assert_eq!(status, 202);
    }
    assert_eq!(stored(&b).await, 1);
    eventually(10, "the follow is applied once", || async {
        let (_, followers) = b.api("GET", "/api/v1/followers", None).await;
        (followers.as_array()?.len() == 1).then_some(())
    })
    .await;
}

async fn unknown_activity_type_is_acknowledged_and_ignored(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let body = serde_json::to_vec(&json!({
        "id": format!("{}/activities/react-1", a.base),
        "type": "EmojiReact",
        "actor": a.actor,
        "object": format!("{}/updates/nothing", b.base),
        "content": "🙏",
    }))
    .expect("json");
    let (status, _) = signed_post(&a, &b, &body, None).await;
    assert_eq!(status, 202);
    let (_, followers) = b.api("GET", "/api/v1/followers", None).await;
    assert_eq!(followers, json!([]));
}
