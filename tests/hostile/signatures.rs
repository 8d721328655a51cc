//! Forged, stale and misdirected HTTP signatures: key ids of other actors, dates out of the
//! window, headers not covered, digests that do not bind the body, algorithm confusion.

use super::harness::*;
use crate::common::forgery::{http_date, rsa_sign, Forgery};
use crate::common::{Backend, TestNode};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use sha2::Digest;

crate::on_both_databases!(
    control_a_hand_made_signature_is_accepted,
    key_id_of_another_actor,
    date_thirteen_hours_old,
    date_two_hours_ahead,
    date_unreadable,
    date_missing,
    date_not_covered_by_the_signature,
    host_not_covered_by_the_signature,
    signed_for_another_host,
    signed_for_another_inbox,
    signed_as_a_get,
    digest_missing,
    digest_not_covered_by_the_signature,
    digest_of_another_algorithm,
    signature_not_base64,
    signature_truncated,
    signature_without_key_id,
    key_id_not_a_url,
    key_id_on_a_file_url,
    hmac_signature_keyed_with_the_public_key,
    signature_names_a_header_that_is_absent,
    key_id_of_the_receiving_organisation,
);

/// Sends `forgery` as `a` to `b` and checks it is refused with 401 saying `says`.
async fn refused_401(a: &TestNode, b: &TestNode, forgery: Forgery, says: &str) {
    let was = before(b).await;
    let (status, err) = forgery.send(b, &private_key(a).await).await;
    refused(status, &err, 401, says);
    unchanged(b, &was).await;
}

async fn control_a_hand_made_signature_is_accepted(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let forgery = Forgery::new(&a, &b, like(&a, &b, "control"));
    let (status, body) = forgery.send(&b, &private_key(&a).await).await;
    assert_eq!(
        status, 202,
        "the forger must be right when nothing is forged: {body}"
    );
}

async fn key_id_of_another_actor(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "borrowed-key"));
    forgery.key_id = format!("{}#main-key", c.actor);
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn key_id_of_the_receiving_organisation(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "own-key"));
    forgery.key_id = format!("{}#main-key", b.actor);
    refused_401(&a, &b, forgery, "signature").await;
}

async fn date_thirteen_hours_old(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "stale"));
    forgery.date = Some(http_date(-13 * 3600));
    refused_401(&a, &b, forgery, "too old or dated in the future").await;
}

async fn date_two_hours_ahead(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "future"));
    forgery.date = Some(http_date(2 * 3600));
    refused_401(&a, &b, forgery, "too old or dated in the future").await;
}

async fn date_unreadable(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "bad-date"));
    forgery.date = Some("yesterday at noon".into());
    refused_401(&a, &b, forgery, "unreadable Date header").await;
}

async fn date_missing(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-date"));
    forgery.date = None;
    forgery.covered.retain(|h| *h != "date");
    refused_401(&a, &b, forgery, "missing Date header").await;
}

async fn date_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "date-unsigned"));
    forgery.covered.retain(|h| *h != "date");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn host_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "host-unsigned"));
    forgery.covered.retain(|h| *h != "host");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn signed_for_another_host(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "other-host"));
    // A request really signed for another server, replayed here.
    forgery.host = "gotong.example".into();
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signed_for_another_inbox(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "other-path"));
    forgery.signed_path = "/o/charlie/inbox".into();
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signed_as_a_get(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "get"));
    forgery.signed_method = "get";
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn digest_missing(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-digest"));
    forgery.digest = None;
    forgery.covered.retain(|h| *h != "digest");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn digest_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "digest-unsigned"));
    // The digest matches the body, but nothing ties it to the signature: body and digest
    // could both have been swapped on the way.
    forgery.covered.retain(|h| *h != "digest");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn digest_of_another_algorithm(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "sha512"));
    forgery.digest = Some(format!(
        "SHA-512={}",
        B64.encode(sha2::Sha512::digest(&forgery.body))
    ));
    refused_401(&a, &b, forgery, "body digest does not match").await;
}

async fn signature_not_base64(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "not-base64"));
    forgery.signature = Some("!!not*base64!!".into());
    refused_401(&a, &b, forgery, "signature is not base64").await;
}

async fn signature_truncated(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "truncated"));
    let full = rsa_sign(&private_key(&a).await, &forgery.signing_string());
    forgery.signature = Some(B64.encode(&B64.decode(full).expect("b64")[..128]));
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signature_without_key_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-key-id"));
    let signature = rsa_sign(&private_key(&a).await, &forgery.signing_string());
    forgery.header = Some(format!(
        r#"algorithm="hs2019",headers="{}",signature="{signature}""#,
        forgery.covered.join(" ")
    ));
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn key_id_not_a_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "key-id-not-url"));
    forgery.key_id = "main-key".into();
    refused_401(&a, &b, forgery, "keyId is not a URL").await;
}

async fn key_id_on_a_file_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "file-key"));
    forgery.key_id = "file:///etc/passwd#main-key".into();
    let (status, err) = forgery.send(&b, &private_key(&a).await).await;
    refused(status, &err, 403, "does not federate");
    unchanged(&b, &was).await;
}

async fn hmac_signature_keyed_with_the_public_key(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "hmac"));
    // Algorithm confusion: an HMAC whose secret is the actor's public key, which anyone has.
    forgery.algorithm = "hmac-sha256";
    let public = org(&a).await.public_key_pem;
    let mac = hmac_sha256(public.as_bytes(), forgery.signing_string().as_bytes());
    forgery.signature = Some(B64.encode(mac));
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signature_names_a_header_that_is_absent(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "absent-header"));
    forgery.covered.push("x-not-sent");
    refused_401(&a, &b, forgery, "malformed signature").await;
}
