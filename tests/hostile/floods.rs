//! Floods: unsigned requests, one server's burst, and keys on ever new host names; each is
//! limited without starving other servers.

use super::harness::*;
use crate::common::forgery::http_date;
use crate::common::{signed_post, tempdir};
use crate::common::{Backend, TestNode};
use gotong::federation::signatures::digest_header;
use gotong::web::ACTIVITY_JSON;
use serde_json::Value;

crate::on_both_databases!(
    unsigned_flood_is_limited,
    flood_by_one_server_spares_another,
    flood_rotating_key_hosts_is_limited,
);

async fn limited(backend: Backend, dir: &std::path::Path, handle: &str) -> TestNode {
    TestNode::start_with(backend, dir, handle, |c| c.inbox_rate_per_minute = 3).await
}

async fn unsigned_flood_is_limited(backend: Backend) {
    let dir = tempdir();
    let b = limited(backend, dir.path(), "bravo").await;
    let was = before(&b).await;
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    for n in 0..5 {
        let response = client
            .post(format!("{}/inbox", b.base))
            .header("content-type", ACTIVITY_JSON)
            .body(format!(r#"{{"type":"Like","n":{n}}}"#))
            .send()
            .await
            .expect("post");
        let retry_after = response.headers().get("retry-after").cloned();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        answers.push((status, retry_after, body));
    }
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    let (_, retry_after, body) = &answers[4];
    refused(429, body, 429, "too many requests");
    assert!(retry_after.is_some(), "Retry-After is set");
    unchanged(&b, &was).await;
}

async fn flood_rotating_key_hosts_is_limited(backend: Backend) {
    let dir = tempdir();
    let b = limited(backend, dir.path(), "bravo").await;
    let was = before(&b).await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for n in 0..8 {
        // A fresh, made-up sender host on every request; the stale Date has it refused
        // before anything is fetched.
        let key_id = format!("https://sender-{n}.invalid/actor#main-key");
        let signature = format!(
            r#"keyId="{key_id}",algorithm="hs2019",headers="(request-target) host date digest",signature="AAAA""#
        );
        let response = client
            .post(format!("{}/inbox", b.base))
            .header("date", http_date(-24 * 3600))
            .header("digest", digest_header(b"{}"))
            .header("signature", signature)
            .body("{}")
            .send()
            .await
            .expect("post");
        statuses.push(response.status().as_u16());
    }
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 5,
        "one client inventing a new sender host per request is never limited: {statuses:?}"
    );
    unchanged(&b, &was).await;
}

async fn flood_by_one_server_spares_another(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = limited(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut statuses = Vec::new();
    for n in 0..4 {
        let body = like(&a, &b, &format!("flood-{n}"));
        statuses.push(signed_post(&a, &b, &body, None).await.0);
    }
    assert_eq!(statuses, [202, 202, 202, 429]);
    let stored = b.store.count_inbox_activities().await.expect("count");
    assert_eq!(stored, 3, "nothing over the limit is stored");
    let (status, err) = signed_post(&c, &b, &like(&c, &b, "meanwhile"), None).await;
    assert_eq!(status, 202, "{err}");
}
