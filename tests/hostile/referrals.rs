//! Hostile referral activities, applied while the sender waits and so refused with a status:
//! attributed to another actor, on another server, addressed publicly or to two organisations.

use super::harness::*;
use crate::common::signed_post;
use crate::common::{Backend, TestNode};
use serde_json::{json, Value};

crate::on_both_databases!(
    referral_attributed_to_another_actor,
    referral_id_on_another_server,
    referral_addressed_publicly,
    referral_addressed_to_two_organisations,
    referral_update_of_an_unknown_referral,
    referral_offer_not_embedded,
);

fn referral(from: &TestNode, n: u32, attributed_to: &str, to: Vec<&str>) -> Value {
    json!({
        "type": "Referral", "id": format!("{}/referrals/hostile-{n}", from.base),
        "attributedTo": attributed_to, "to": to, "status": "sent", "urgency": "urgent",
        "needs": "Legal advice on unpaid wages",
        "consent": { "given": true, "givenBy": "the person", "givenAt": 1_763_000_000_000i64,
                     "scope": "needs only" },
    })
}

fn offer(from: &TestNode, n: u32, object: Value, audience: Value) -> Vec<u8> {
    bytes(json!({
        "@context": AS, "id": format!("{}/activities/offer-{n}", from.base), "type": "Offer",
        "actor": from.actor, "to": audience, "object": object,
    }))
}

async fn refused_referral(a: &TestNode, b: &TestNode, body: &[u8], status: u16, says: &str) {
    let was = before(b).await;
    let (code, err) = signed_post(a, b, body, None).await;
    refused(code, &err, status, says);
    unchanged(b, &was).await;
}

async fn referral_attributed_to_another_actor(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let object = referral(&a, 1, &c.actor, vec![&b.actor]);
    let body = offer(&a, 1, object, json!([b.actor]));
    refused_referral(&a, &b, &body, 403, "must come from its author").await;
}

async fn referral_id_on_another_server(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut object = referral(&a, 2, &a.actor, vec![&b.actor]);
    object["id"] = json!(format!("{}/referrals/hostile-2", c.base));
    let body = offer(&a, 2, object, json!([b.actor]));
    refused_referral(&a, &b, &body, 403, "must come from its author").await;
}

async fn referral_addressed_publicly(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let object = referral(&a, 3, &a.actor, vec![&b.actor]);
    let body = offer(&a, 3, object, json!([b.actor, PUBLIC]));
    refused_referral(&a, &b, &body, 400, "privately").await;
}

async fn referral_addressed_to_two_organisations(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let object = referral(&a, 4, &a.actor, vec![&b.actor, &c.actor]);
    let body = offer(&a, 4, object, json!([b.actor, c.actor]));
    refused_referral(&a, &b, &body, 400, "exactly one organisation").await;
}

async fn referral_update_of_an_unknown_referral(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut object = referral(&a, 5, &a.actor, vec![&b.actor]);
    object["status"] = json!("accepted");
    let body = activity(&a, "update-unknown-referral", "Update", object);
    refused_referral(&a, &b, &body, 404, "referral not found").await;
}

async fn referral_offer_not_embedded(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = offer(
        &a,
        6,
        json!(format!("{}/referrals/hostile-6", a.base)),
        json!([b.actor]),
    );
    refused_referral(&a, &b, &body, 400, "must be embedded").await;
}
