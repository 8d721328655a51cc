//! Who may refer people to an organisation (connected organisations by default, or anyone),
//! and erasing one referral at once on both sides.

mod common;

use common::casework::{
    audit, incoming, received_from, referral_count, referral_to, rows, send, token, view,
    wait_status, CANARY,
};
use common::{eventually, follow, signed_post, tempdir, Backend, TestNode};
use serde_json::json;

on_both_databases!(
    only_connected_organisations_refer_unless_anyone_may,
    erasing_now_reaches_the_other_party_and_only_it_may_ask,
);

async fn only_connected_organisations_refer_unless_anyone_may(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let a_case = token(&a, "case-a", "caseworker").await;
    let b_case = token(&b, "case-b", "caseworker").await;
    let c_case = token(&c, "case-c", "caseworker").await;
    let (code, intake) = b.api("GET", "/api/v1/admin/referral-intake", None).await;
    assert_eq!(
        (code, intake["referrals_from"].as_str()),
        (200, Some("connected"))
    );

    // Not connected, even in an emergency: refused with the reason, and nothing kept.
    let refused = send(&a, &a_case, referral_to(&b, "emergency", 1)).await;
    let id = refused["id"].as_i64().expect("id");
    let answer = wait_status(&a, &a_case, id, "declined").await;
    assert!(
        answer
            .to_string()
            .contains("only from organisations it follows"),
        "{answer}"
    );
    assert_eq!(referral_count(&b).await, 0, "no referral row");
    let offer = a
        .store
        .referral_by_id(gotong::db::ReferralId(id))
        .await
        .expect("q")
        .expect("row");
    let sql = format!(
        "SELECT body FROM inbox_activities WHERE ap_id = '{}'",
        offer.offer_activity
    );
    let kept = rows(&b, &sql).await;
    assert_eq!(kept.len(), 1, "recorded, to recognise a replay");
    assert_eq!(kept[0][0], "", "without its (sealed) body");

    // Once the sender follows the receiver, the same kind of referral goes in.
    follow(&a, &b).await;
    let sent = send(&a, &a_case, referral_to(&b, "emergency", 2)).await;
    let url = sent["url"].as_str().expect("url");
    let got = incoming(&b, &b_case, url).await;
    let got = view(&b, &b_case, got["id"].as_i64().expect("id")).await;
    assert!(got["content"]["needs"]
        .as_str()
        .is_some_and(|n| n.contains(CANARY)));

    // A third organisation, not connected: refused, until the receiver takes anyone.
    let from_c = send(&c, &c_case, referral_to(&b, "routine", 3)).await;
    wait_status(&c, &c_case, from_c["id"].as_i64().expect("id"), "declined").await;
    assert_eq!(referral_count(&b).await, 1);
    let bad = json!({ "referrals_from": "everyone" });
    let path = "/api/v1/admin/referral-intake";
    assert_eq!(b.api("PUT", path, Some(bad)).await.0, 422);
    let anyone = json!({ "referrals_from": "anyone" });
    assert_eq!(
        b.api_as(&b_case, "PUT", path, Some(anyone.clone())).await.0,
        403
    );
    let (code, set) = b.api("PUT", path, Some(anyone)).await;
    assert_eq!(
        (code, set["referrals_from"].as_str()),
        (200, Some("anyone"))
    );
    let again = send(&c, &c_case, referral_to(&b, "routine", 4)).await;
    incoming(&b, &b_case, again["url"].as_str().expect("url")).await;
    assert_eq!(referral_count(&b).await, 2);
}

async fn erasing_now_reaches_the_other_party_and_only_it_may_ask(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&a, &b).await;
    let a_case = token(&a, "case-a", "caseworker").await;
    let b_case = token(&b, "case-b", "caseworker").await;
    let mut pairs = Vec::new();
    for n in [1, 2] {
        let sent = send(&a, &a_case, referral_to(&b, "urgent", n)).await;
        let url = sent["url"].as_str().expect("url").to_string();
        let b_id = incoming(&b, &b_case, &url).await["id"]
            .as_i64()
            .expect("id");
        let a_id = sent["id"].as_i64().expect("id");
        wait_status(&a, &a_case, a_id, "received").await;
        pairs.push((a_id, b_id, url));
    }
    let (a_id, b_id, url) = pairs[0].clone();
    let (_, b_other, other_url) = pairs[1].clone();

    // A third organisation asks the receiver to erase: refused, nothing erased.
    let forged = json!({
        "id": format!("{}/activities/forged-erase", c.base), "type": "Delete",
        "actor": c.actor, "to": [b.actor],
        "object": { "type": "Referral", "id": other_url }
    });
    let body = serde_json::to_vec(&forged).expect("json");
    assert_eq!(signed_post(&c, &b, &body, None).await.0, 403);
    assert!(view(&b, &b_case, b_other).await["content"].is_object());

    let path = format!("/api/v1/referrals/{a_id}/erase");
    let (code, _) = a.api_as(&a_case, "POST", &path, None).await;
    assert_eq!(code, 403, "only an admin erases");
    let (code, erased) = a.api("POST", &path, None).await;
    assert_eq!(code, 200, "{erased}");
    assert!(view(&a, &a_case, a_id).await["content"].is_null());
    eventually(10, "the receiver erases its copy", || async {
        let row = b
            .store
            .referral_by_id(gotong::db::ReferralId(b_id))
            .await
            .expect("q")?;
        row.erased_at.map(|_| ())
    })
    .await;
    let theirs = view(&b, &b_case, b_id).await;
    assert!(theirs["content"].is_null() && !theirs.to_string().contains(CANARY));
    assert!(
        view(&b, &b_case, b_other).await["content"].is_object(),
        "only that one"
    );
    assert!(
        audit(&a).await.contains(&("admin".into(), "erase".into())),
        "who erased"
    );
    assert!(
        audit(&b).await.contains(&(a.actor.clone(), "erase".into())),
        "at whose request"
    );
    let delete = received_from(&b, &a.actor).await;
    assert!(
        delete.iter().any(|(kind, _)| kind == "Delete"),
        "{delete:?}"
    );
    assert!(!url.is_empty());
}
