//! Signatures bound to the request (issue 10): an incoming signature must cover
//! `(request-target)`, `host` and `date` (and `digest` with a body), and the signed `host`
//! must be this node, so a signature captured on the way cannot be replayed to another path
//! or presented to another server. Inbox POSTs and signed GETs (authorised fetch, referrals)
//! alike; every refusal is paired with the same request, correctly signed, being accepted.

mod common;

use common::forgery::{http_date, rsa_sign, Forgery};
use common::{send, tempdir, Backend, TestNode};
use gotong::federation::signatures::sign_request;
use serde_json::{json, Value};

on_both_databases!(
    a_correctly_signed_post_is_accepted,
    a_post_signature_without_request_target_is_refused,
    a_post_signed_for_one_inbox_is_refused_at_another,
    a_post_signed_for_another_host_is_refused,
    a_signed_get_replayed_to_another_url_is_refused,
    a_get_signature_without_request_target_or_for_another_host_is_refused,
    a_referral_fetch_replayed_to_another_referral_is_refused,
);

async fn two(backend: Backend, authorized_fetch: bool) -> (tempfile::TempDir, TestNode, TestNode) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start_with(backend, dir.path(), "bravo", |c| {
        c.authorized_fetch = authorized_fetch
    })
    .await;
    (dir, a, b)
}

async fn private_key(node: &TestNode) -> String {
    node.private_key().await
}

fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{name}", from.base),
        "type": "Like", "actor": from.actor, "object": to.actor,
    }))
    .expect("json")
}

/// Asserts a 401 whose JSON error says `says`.
fn refused_401(status: u16, body: &Value, says: &str) {
    let error = body["error"].as_str().unwrap_or_default();
    assert_eq!(status, 401, "{body}");
    assert!(error.contains(says), "error {error:?} should say {says:?}");
}

async fn a_correctly_signed_post_is_accepted(backend: Backend) {
    let (_dir, a, b) = two(backend, false).await;
    let pem = private_key(&a).await;
    let (status, body) = Forgery::new(&a, &b, like(&a, &b, "ok"))
        .send(&b, &pem)
        .await;
    assert_eq!(status, 202, "{body}");
    // Host names compare without regard to case.
    let mut upper = Forgery::new(&a, &b, like(&a, &b, "upper"));
    upper.host = b.domain.to_uppercase();
    upper.sent_host = upper.host.clone();
    let (status, body) = upper.send(&b, &pem).await;
    assert_eq!(status, 202, "{body}");
}

async fn a_post_signature_without_request_target_is_refused(backend: Backend) {
    let (_dir, a, b) = two(backend, false).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-target"));
    forgery.covered.retain(|h| *h != "(request-target)");
    // Without it, this signature would be good for any inbox of this node.
    forgery.path = format!("/o/{}/inbox", b.handle);
    let (status, body) = forgery.send(&b, &private_key(&a).await).await;
    refused_401(status, &body, "(request-target)");
    forgery.covered.insert(0, "(request-target)");
    forgery.signed_path = forgery.path.clone();
    let (status, body) = forgery.send(&b, &private_key(&a).await).await;
    assert_eq!(status, 202, "the same request with it covered: {body}");
}

async fn a_post_signed_for_one_inbox_is_refused_at_another(backend: Backend) {
    let (_dir, a, b) = two(backend, false).await;
    let body = like(&a, &b, "captured");
    let shared = url::Url::parse(&format!("{}/inbox", b.base)).expect("url");
    let key_id = format!("{}#main-key", a.actor);
    let pem = private_key(&a).await;
    // A request our own signer made for the shared inbox, captured and sent elsewhere.
    let headers = sign_request("POST", &shared, Some(&body), None, &key_id, &pem).expect("sign");
    let client = reqwest::Client::new();
    let elsewhere = format!("{}/o/{}/inbox", b.base, b.handle);
    let replay = client.post(elsewhere).headers(headers.clone());
    let (status, err) = send(replay.body(body.clone())).await;
    refused_401(status, &err, "does not verify");
    let (status, err) = send(client.post(shared).headers(headers).body(body)).await;
    assert_eq!(status, 202, "where it was signed for: {err}");
}

async fn a_post_signed_for_another_host_is_refused(backend: Backend) {
    let (_dir, a, b) = two(backend, false).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "other-host"));
    // Signed (and sent) for another server: the signature itself is valid.
    forgery.host = "other.example".into();
    forgery.sent_host = "other.example".into();
    let (status, body) = forgery.send(&b, &private_key(&a).await).await;
    refused_401(status, &body, "not for this node");
    let mut port = Forgery::new(&a, &b, like(&a, &b, "other-port"));
    port.host = format!("localhost:{}", b.addr.port() + 1);
    port.sent_host = port.host.clone();
    let (status, body) = port.send(&b, &private_key(&a).await).await;
    refused_401(status, &body, "not for this node");
}

/// A GET signed by `signer` for `signed_url`, sent to `sent_url`.
async fn replayed_get(signer: &TestNode, signed_url: &str, sent_url: &str) -> (u16, Value) {
    let target = url::Url::parse(signed_url).expect("url");
    let accept = "application/activity+json";
    let key_id = format!("{}#main-key", signer.actor);
    let pem = private_key(signer).await;
    let headers = sign_request("GET", &target, None, Some(accept), &key_id, &pem).expect("sign");
    send(reqwest::Client::new().get(sent_url).headers(headers)).await
}

async fn a_signed_get_replayed_to_another_url_is_refused(backend: Backend) {
    let (_dir, a, b) = two(backend, true).await;
    let (outbox, followers) = (
        format!("{}/outbox", b.actor),
        format!("{}/followers", b.actor),
    );
    let (status, body) = replayed_get(&a, &outbox, &followers).await;
    refused_401(status, &body, "does not verify");
    let (status, body) = replayed_get(&a, &outbox, &outbox).await;
    assert_eq!(status, 200, "where it was signed for: {body}");
}

/// A GET of `path` on `to` signed by hand over `covered`, with `host` signed and sent.
async fn hand_signed_get(
    a: &TestNode,
    to: &TestNode,
    path: &str,
    covered: &[&str],
    host: &str,
) -> (u16, Value) {
    let date = http_date(0);
    let signing_string = covered
        .iter()
        .map(|name| match *name {
            "(request-target)" => format!("(request-target): get {path}"),
            "host" => format!("host: {host}"),
            _ => format!("date: {date}"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let signature = rsa_sign(&private_key(a).await, &signing_string);
    let header = format!(
        r#"keyId="{}#main-key",algorithm="hs2019",headers="{}",signature="{signature}""#,
        a.actor,
        covered.join(" ")
    );
    let request = reqwest::Client::new()
        .get(format!("{}{path}", to.base))
        .header("accept", "application/activity+json")
        .header("host", host)
        .header("date", date)
        .header("signature", header);
    send(request).await
}

async fn a_get_signature_without_request_target_or_for_another_host_is_refused(backend: Backend) {
    let (_dir, a, b) = two(backend, true).await;
    let path = format!("/o/{}/outbox", b.handle);
    let all = ["(request-target)", "host", "date"];
    let (status, body) = hand_signed_get(&a, &b, &path, &all[1..], &b.domain).await;
    refused_401(status, &body, "(request-target)");
    let (status, body) = hand_signed_get(&a, &b, &path, &all, "other.example").await;
    refused_401(status, &body, "not for this node");
    let (status, body) = hand_signed_get(&a, &b, &path, &all, &b.domain).await;
    assert_eq!(status, 200, "covering all three, for this node: {body}");
}

async fn a_referral_fetch_replayed_to_another_referral_is_refused(backend: Backend) {
    let (_dir, a, b) = two(backend, false).await;
    let one = format!("{}/referrals/{}", b.base, uuid::Uuid::new_v4());
    let other = format!("{}/referrals/{}", b.base, uuid::Uuid::new_v4());
    let (status, body) = replayed_get(&a, &one, &other).await;
    refused_401(status, &body, "does not verify");
    // Where it was signed for, the signature holds and the referral is looked up: it does not
    // exist, and nothing tells a signature problem from a missing referral but the status.
    let (status, body) = replayed_get(&a, &one, &one).await;
    assert_eq!(status, 404, "{body}");
}
