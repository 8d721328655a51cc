//! Taking a referral back while its receiver is offline: withdrawn, closed or erased before
//! the `Offer` left, nothing about it (not the Offer, not a message, not the withdrawal)
//! reaches the receiver when it comes back, while everything else does.

mod common;

use common::casework::{
    database_text, incoming, move_to, queue_idle, received_from, referral_count, referral_to, rows,
    send, token, view, wait_status, CANARY,
};
use common::{eventually, follow, publish, tempdir, Backend, TestNode};
use serde_json::json;

on_both_databases!(
    withdrawn_while_the_receiver_is_offline_never_reaches_it,
    closed_while_the_receiver_is_offline_never_reaches_it,
    erased_while_the_receiver_is_offline_never_reaches_it,
    withdrawn_after_delivery_is_told_and_takes_back_queued_messages,
);

#[derive(Clone, Copy, PartialEq)]
enum Ending {
    Withdraw,
    Close,
    Erase,
}

/// Two organisations that follow each other, with a caseworker each.
async fn pair(backend: Backend, dir: &std::path::Path) -> (TestNode, TestNode, String, String) {
    let a = TestNode::start(backend, dir, "alpha").await;
    let b = TestNode::start(backend, dir, "bravo").await;
    follow(&a, &b).await;
    follow(&b, &a).await;
    let a_case = token(&a, "case-a", "caseworker").await;
    let b_case = token(&b, "case-b", "caseworker").await;
    (a, b, a_case, b_case)
}

async fn message(node: &TestNode, token: &str, id: i64, text: &str) -> u16 {
    let body = json!({ "text": text });
    let path = format!("/api/v1/referrals/{id}/messages");
    node.api_as(token, "POST", &path, Some(body)).await.0
}

async fn offline(backend: Backend, ending: Ending) {
    let dir = tempdir();
    let (a, mut b, a_case, _) = pair(backend, dir.path()).await;
    // To a program the sender holds: sending needs nothing from the receiver's server.
    let program = json!({ "name": "Shelter", "themes": ["shelter"], "acceptingReferrals": true });
    let (code, program) = b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(code, 201, "{program}");
    let program = program["url"].as_str().expect("url").to_string();
    eventually(10, "the program reaches the sender", || async {
        a.store
            .post_by_ap_id(&program)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    b.stop(true);
    let mut body = referral_to(&b, "emergency", 1);
    body.as_object_mut().expect("object").remove("organisation");
    body["program"] = json!(program);
    let sent = send(&a, &a_case, body).await;
    let (id, url) = (sent["id"].as_i64().expect("id"), sent["url"].clone());
    let url = url.as_str().expect("url").to_string();
    // A message waits behind the Offer while the receiver is away.
    let text = format!("{CANARY} meeting on Monday");
    assert_eq!(message(&a, &a_case, id, &text).await, 201);
    match ending {
        Ending::Withdraw => {
            move_to(
                &a,
                &a_case,
                id,
                "withdrawn",
                &format!("{CANARY} moved away"),
            )
            .await
        }
        Ending::Close => {
            move_to(
                &a,
                &a_case,
                id,
                "withdrawn",
                &format!("{CANARY} moved away"),
            )
            .await;
            move_to(&a, &a_case, id, "closed", &format!("{CANARY} found help")).await;
        }
        Ending::Erase => {
            let path = format!("/api/v1/referrals/{id}/erase");
            let (code, body) = a.api_as(&a_case, "POST", &path, None).await;
            assert_eq!(code, 403, "caseworkers do not erase: {body}");
            let (code, body) = a.api("POST", &path, None).await;
            assert_eq!(code, 200, "{body}");
            assert_eq!(body["erased"], true);
        }
    }
    // Taken back: no body of the referral's activities is left in the sender's queue.
    let sql = format!("SELECT body FROM outgoing_activities WHERE referral = '{url}'");
    let bodies = rows(&a, &sql).await;
    assert!(bodies.len() >= 2, "the Offer and the message were queued");
    assert!(bodies.iter().all(|b| b[0].is_empty()), "{bodies:?}");
    assert_eq!(
        message(&a, &a_case, id, "anything more?").await,
        409,
        "nothing more is sent about a referral the receiver never got"
    );

    b.start_again();
    // Positive control: what is queued for the receiver after its return does arrive.
    let post = publish(&a, "Open day at the shelter on Saturday").await;
    let post_url = post["url"].as_str().expect("url").to_string();
    eventually(30, "the public update reaches the receiver", || async {
        b.store
            .post_by_ap_id(&post_url)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    queue_idle(&a).await;
    let received = received_from(&b, &a.actor).await;
    assert!(
        received.iter().any(|(kind, _)| kind == "Create"),
        "{received:?}"
    );
    assert!(
        received.iter().all(|(kind, sealed)| match kind.as_str() {
            "Follow" | "Accept" => true,
            "Create" => !sealed,
            _ => false,
        }),
        "only the follow, its answer and the public update arrived: {received:?}"
    );
    assert_eq!(
        referral_count(&b).await,
        0,
        "the receiver holds no referral"
    );
    assert!(
        !database_text(&b, backend).await.contains(CANARY),
        "the receiver's database holds the canary"
    );
    let mine = view(&a, &a_case, id).await;
    match ending {
        Ending::Erase => assert!(mine["content"].is_null(), "{mine}"),
        _ => assert!(mine["content"]["needs"]
            .as_str()
            .is_some_and(|n| n.contains(CANARY))),
    }
}

async fn withdrawn_while_the_receiver_is_offline_never_reaches_it(backend: Backend) {
    offline(backend, Ending::Withdraw).await;
}

async fn closed_while_the_receiver_is_offline_never_reaches_it(backend: Backend) {
    offline(backend, Ending::Close).await;
}

async fn erased_while_the_receiver_is_offline_never_reaches_it(backend: Backend) {
    offline(backend, Ending::Erase).await;
}

/// Once the Offer was delivered the withdrawal is told as before, but a message still queued
/// (the receiver went offline meanwhile) is taken back.
async fn withdrawn_after_delivery_is_told_and_takes_back_queued_messages(backend: Backend) {
    let dir = tempdir();
    let (a, mut b, a_case, b_case) = pair(backend, dir.path()).await;
    let sent = send(&a, &a_case, referral_to(&b, "routine", 2)).await;
    let id = sent["id"].as_i64().expect("id");
    let url = sent["url"].as_str().expect("url").to_string();
    let b_id = incoming(&b, &b_case, &url).await["id"]
        .as_i64()
        .expect("id");
    wait_status(&a, &a_case, id, "received").await;
    b.stop(true);
    let late = "a late message that must not arrive";
    assert_eq!(message(&a, &a_case, id, late).await, 201);
    move_to(&a, &a_case, id, "withdrawn", "The person moved away").await;
    b.start_again();
    let seen = wait_status(&b, &b_case, b_id, "withdrawn").await;
    queue_idle(&a).await;
    let seen = view(&b, &b_case, seen["id"].as_i64().expect("id")).await;
    assert!(seen.to_string().contains("The person moved away"), "{seen}");
    assert!(
        !seen.to_string().contains(late),
        "the queued message was taken back"
    );
    let ended = b
        .store
        .referral_by_id(gotong::db::ReferralId(b_id))
        .await
        .expect("q")
        .expect("row");
    assert!(
        ended.ended_at.is_some(),
        "retention counts from the withdrawal"
    );
}
