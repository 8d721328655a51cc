//! Retention covers every ending: completed, declined, withdrawn, closed and expired referrals
//! lose their personal fields `referral_retention_days` after they ended, not a moment
//! before (the clock is injected); unanswered referrals expire on both sides.

mod common;

use common::casework::{
    audit, incoming, move_to, referral_to, send, token, view, wait_status, CANARY,
};
use common::{follow, tempdir, Backend, TestNode};
use gotong::domain::retention;

on_both_databases!(
    every_ending_is_erased_after_its_period_and_not_before,
    unanswered_referrals_expire_on_both_sides,
);

const DAY: i64 = 86_400_000;

struct Pair {
    a: TestNode,
    b: TestNode,
    a_case: String,
    b_case: String,
}

async fn pair(backend: Backend, dir: &std::path::Path, a_expiry_days: i64) -> Pair {
    let a = TestNode::start_with(backend, dir, "alpha", |c| {
        c.referral_expiry_days = a_expiry_days
    })
    .await;
    let b = TestNode::start(backend, dir, "bravo").await;
    follow(&a, &b).await;
    let a_case = token(&a, "case-a", "caseworker").await;
    let b_case = token(&b, "case-b", "caseworker").await;
    Pair {
        a,
        b,
        a_case,
        b_case,
    }
}

/// Sends a referral and waits until both sides hold it; (sender id, receiver id).
async fn delivered(p: &Pair, n: u32) -> (i64, i64) {
    let sent = send(&p.a, &p.a_case, referral_to(&p.b, "urgent", n)).await;
    let url = sent["url"].as_str().expect("url");
    let b_id = incoming(&p.b, &p.b_case, url).await["id"]
        .as_i64()
        .expect("id");
    let a_id = sent["id"].as_i64().expect("id");
    wait_status(&p.a, &p.a_case, a_id, "received").await;
    (a_id, b_id)
}

async fn ended_at(node: &TestNode, id: i64) -> i64 {
    let row = node
        .store
        .referral_by_id(gotong::db::ReferralId(id))
        .await
        .expect("q")
        .expect("row");
    row.ended_at.expect("ended")
}

async fn every_ending_is_erased_after_its_period_and_not_before(backend: Backend) {
    let dir = tempdir();
    let p = pair(backend, dir.path(), 30).await;
    let (a, b) = (&p.a, &p.b);
    let mut ended = Vec::new();

    let (completed, b_completed) = delivered(&p, 1).await;
    for status in ["accepted", "in_progress", "completed"] {
        move_to(b, &p.b_case, b_completed, status, "").await;
    }
    wait_status(a, &p.a_case, completed, "completed").await;
    ended.push(("completed", completed));

    let (declined, b_declined) = delivered(&p, 2).await;
    move_to(b, &p.b_case, b_declined, "declined", "No place").await;
    wait_status(a, &p.a_case, declined, "declined").await;
    ended.push(("declined", declined));

    let (withdrawn, b_withdrawn) = delivered(&p, 3).await;
    move_to(a, &p.a_case, withdrawn, "withdrawn", "Moved").await;
    wait_status(b, &p.b_case, b_withdrawn, "withdrawn").await;
    ended.push(("withdrawn", withdrawn));

    // Closed after a decline: retention counts from the decline, the first ending.
    let (closed, b_closed) = delivered(&p, 4).await;
    move_to(b, &p.b_case, b_closed, "declined", "Out of area").await;
    wait_status(a, &p.a_case, closed, "declined").await;
    let declined_at = ended_at(a, closed).await;
    move_to(a, &p.a_case, closed, "closed", &format!("{CANARY} outcome")).await;
    assert_eq!(ended_at(a, closed).await, declined_at);
    ended.push(("closed", closed));

    // Never answered: the expiry run (its clock injected) marks it expired.
    let (unanswered, _) = delivered(&p, 5).await;
    let (still_open, b_open) = delivered(&p, 6).await;
    move_to(b, &p.b_case, b_open, "accepted", "").await;
    wait_status(a, &p.a_case, still_open, "accepted").await;
    let later = gotong::db::now_ms() + 31 * DAY;
    let expired = retention::expire_unanswered(a.store.as_ref(), later, 30)
        .await
        .expect("expire");
    assert_eq!(
        expired.iter().map(|r| r.id.0).collect::<Vec<_>>(),
        vec![unanswered],
        "only the unanswered referral expires"
    );
    assert_eq!(view(a, &p.a_case, unanswered).await["status"], "expired");
    ended.push(("expired", unanswered));

    ended.sort_by_key(|(_, id)| *id);
    let mut order = Vec::new();
    for (name, id) in &ended {
        order.push((ended_at(a, *id).await, *name, *id));
    }
    order.sort();
    for (at, name, id) in order {
        // Just before the end of the period the personal fields are still there...
        retention::erase_expired(a.store.as_ref(), at + 90 * DAY, 90)
            .await
            .expect("run");
        let before = view(a, &p.a_case, id).await;
        assert!(
            before["content"]["needs"]
                .as_str()
                .is_some_and(|n| n.contains(CANARY)),
            "{name} erased too early: {before}"
        );
        // ...and just after, they are gone, timeline notes included.
        retention::erase_expired(a.store.as_ref(), at + 90 * DAY + 1, 90)
            .await
            .expect("run");
        let after = view(a, &p.a_case, id).await;
        assert!(after["content"].is_null(), "{name} not erased: {after}");
        assert!(after["erased_at"].is_i64(), "{name}");
        assert!(!after.to_string().contains(CANARY), "{name}: {after}");
    }
    let open = view(a, &p.a_case, still_open).await;
    assert!(
        open["content"]["needs"].is_string(),
        "an open referral stays"
    );
    let erasures = audit(a)
        .await
        .into_iter()
        .filter(|(actor, action)| actor == "retention" && action == "erase")
        .count();
    assert_eq!(erasures, 5);

    // The receiver erases its own copies by its own clock, from the ending it saw.
    let last = ended_at(b, b_withdrawn)
        .await
        .max(ended_at(b, b_closed).await);
    let erased = retention::erase_expired(b.store.as_ref(), last + 90 * DAY + 1, 90)
        .await
        .expect("run");
    assert_eq!(
        erased, 4,
        "completed, declined, withdrawn, declined-then-closed"
    );
    assert!(view(b, &p.b_case, b_open).await["content"].is_object());
}

/// The sender's node expires an unanswered referral (its expiry set to zero days here, so
/// the run at start does it) and tells the receiver, whose copy expires too.
async fn unanswered_referrals_expire_on_both_sides(backend: Backend) {
    let dir = tempdir();
    let mut p = pair(backend, dir.path(), 0).await;
    let (unanswered, b_unanswered) = delivered(&p, 1).await;
    let (answered, b_answered) = delivered(&p, 2).await;
    move_to(&p.b, &p.b_case, b_answered, "accepted", "").await;
    wait_status(&p.a, &p.a_case, answered, "accepted").await;
    p.a.restart();
    wait_status(&p.a, &p.a_case, unanswered, "expired").await;
    let told = wait_status(&p.b, &p.b_case, b_unanswered, "expired").await;
    assert!(told["content"]["needs"].is_string(), "erased only later");
    assert_eq!(
        view(&p.a, &p.a_case, answered).await["status"],
        "accepted",
        "an answered referral does not expire"
    );
    // An expired referral takes no answer any more.
    let path = format!("/api/v1/referrals/{b_unanswered}/status");
    let body = serde_json::json!({ "status": "accepted" });
    let (code, _) = p.b.api_as(&p.b_case, "POST", &path, Some(body)).await;
    assert_eq!(code, 409);
    // Nobody sets `expired` by hand.
    let body = serde_json::json!({ "status": "expired" });
    let path = format!("/api/v1/referrals/{answered}/status");
    assert_eq!(
        p.a.api_as(&p.a_case, "POST", &path, Some(body)).await.0,
        422
    );
    let at = ended_at(&p.b, b_unanswered).await;
    let store = p.b.store.as_ref();
    assert_eq!(
        retention::erase_expired(store, at + 90 * DAY, 90)
            .await
            .expect("run"),
        0
    );
    assert_eq!(
        retention::erase_expired(store, at + 90 * DAY + 1, 90)
            .await
            .expect("run"),
        1
    );
}
