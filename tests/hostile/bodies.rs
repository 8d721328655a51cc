//! Hostile bodies at the inbox: JSON nested too deep, strings and keys too long, invalid
//! UTF-8, NUL, duplicate fields, bodies over the limit, ids that are not web URLs.

use super::harness::*;
use crate::common::signed_post;
use crate::common::{Backend, TestNode};
use gotong::web::ACTIVITY_JSON;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

crate::on_both_databases!(
    json_nested_deeper_than_the_limit,
    json_nested_half_a_million_levels,
    huge_string_under_the_body_limit,
    huge_object_key,
    invalid_utf8_inside_a_string,
    lone_surrogate_escape,
    duplicate_actor_field,
    chunked_body_over_the_limit,
    nul_character_in_the_type,
    top_level_json_string,
    activity_id_not_a_web_url,
    activity_id_on_another_scheme,
    actor_given_as_an_embedded_object,
);

/// Signs `body` as `a` to `b` and checks it is refused with 400 saying `says`.
async fn refused_400(a: &TestNode, b: &TestNode, body: &[u8], says: &str) {
    let was = before(b).await;
    let (status, err) = signed_post(a, b, body, None).await;
    refused(status, &err, 400, says);
    unchanged(b, &was).await;
}

fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

async fn json_nested_deeper_than_the_limit(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let depth = gotong::federation::inbox::MAX_JSON_DEPTH;
    let body = format!(
        r#"{{"id":"{}/activities/deep","type":"Like","actor":"{}","object":"{}","tag":{}}}"#,
        a.base,
        a.actor,
        b.actor,
        nested(depth) // one level more than the limit, with the enclosing object
    );
    refused_400(&a, &b, body.as_bytes(), "nested deeper").await;
}

async fn json_nested_half_a_million_levels(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = "[".repeat(500_000);
    let started = std::time::Instant::now();
    refused_400(&a, &b, body.as_bytes(), "nested deeper").await;
    assert!(started.elapsed() < Duration::from_secs(10));
}

async fn huge_string_under_the_body_limit(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut like = serde_json::from_slice::<Value>(&like(&a, &b, "huge")).expect("json");
    like["content"] = json!("x".repeat(300 * 1024));
    refused_400(&a, &b, &bytes(like), "longer than").await;
}

async fn huge_object_key(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = format!(
        r#"{{"id":"{}/activities/key","type":"Like","actor":"{}","object":"{}","{}":1}}"#,
        a.base,
        a.actor,
        b.actor,
        "k".repeat(gotong::federation::inbox::MAX_JSON_STRING + 1)
    );
    refused_400(&a, &b, body.as_bytes(), "longer than").await;
}

async fn invalid_utf8_inside_a_string(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut body = format!(
        r#"{{"id":"{}/activities/utf8","type":"Like","actor":"{}","object":"{}","content":""#,
        a.base, a.actor, b.actor
    )
    .into_bytes();
    body.extend_from_slice(b"caf\xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80\"}");
    refused_400(&a, &b, &body, "not an ActivityPub activity").await;
}

async fn lone_surrogate_escape(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = format!(
        r#"{{"id":"{}/activities/surrogate","type":"Like","actor":"{}","object":"{}","content":"\ud800"}}"#,
        a.base, a.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "not an ActivityPub activity").await;
}

async fn duplicate_actor_field(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    // Parsers that keep the first or the last value would disagree on who acts.
    let body = format!(
        r#"{{"id":"{}/activities/dup","type":"Follow","actor":"{}","actor":"{}","object":"{}"}}"#,
        a.base, a.actor, c.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "duplicate field").await;
}

async fn chunked_body_over_the_limit(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let was = before(&b).await;
    // No Content-Length: the size is only known while reading.
    let stream = tokio::net::TcpStream::connect(b.addr)
        .await
        .expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    // The answer is read as soon as it comes, before the server closes on the unread rest.
    let answer = tokio::spawn(async move {
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, reader.read(&mut chunk)).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        answer
    });
    let head = format!(
        "POST /inbox HTTP/1.1\r\nhost: {}\r\ncontent-type: {ACTIVITY_JSON}\r\ntransfer-encoding: chunked\r\n\r\n",
        b.domain
    );
    writer.write_all(head.as_bytes()).await.expect("write");
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    for _ in 0..32 {
        if answer.is_finished() || writer.write_all(chunk.as_bytes()).await.is_err() {
            break; // the server answered and closed early
        }
    }
    let _ = writer.write_all(b"0\r\n\r\n").await;
    let answer = answer.await.expect("reader");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json = json.find('{').map(|i| &json[i..]).unwrap_or_default();
    let json = json.rfind('}').map(|i| &json[..=i]).unwrap_or_default();
    let err: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    refused(413, &err, 413, "larger than");
    unchanged(&b, &was).await;
}

async fn nul_character_in_the_type(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    // PostgreSQL text cannot hold NUL: this was a 500 there.
    let body = format!(
        r#"{{"id":"{}/activities/nul","type":"Like\u0000","actor":"{}","object":"{}"}}"#,
        a.base, a.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "NUL").await;
}

async fn top_level_json_string(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    refused_400(&a, &b, br#""Follow""#, "not an ActivityPub activity").await;
}

async fn activity_id_not_a_web_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = bytes(json!({
        "id": "urn:uuid:2f1b6d8e-4b0e-4d4e-9a53-0c4b1b5e2f10", "type": "Follow",
        "actor": a.actor, "object": b.actor,
    }));
    let (status, err) = signed_post(&a, &b, &body, None).await;
    refused(status, &err, 403, "different servers");
    unchanged(&b, &was).await;
}

async fn activity_id_on_another_scheme(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = bytes(json!({
        "id": format!("{}/activities/tls", a.base.replacen("http://", "https://", 1)),
        "type": "Follow", "actor": a.actor, "object": b.actor,
    }));
    let (status, err) = signed_post(&a, &b, &body, None).await;
    refused(status, &err, 403, "different servers");
    unchanged(&b, &was).await;
}

async fn actor_given_as_an_embedded_object(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = bytes(json!({
        "id": format!("{}/activities/embedded-actor", a.base), "type": "Follow",
        "actor": { "id": a.actor, "type": "Organization" }, "object": b.actor,
    }));
    refused_400(&a, &b, &body, "not an ActivityPub activity").await;
}
