//! Local moderation (issue 6): suspending a remote actor, removing a remote object, an
//! account deleting itself, and reports (`Flag`) between nodes, all over real signed HTTP.

mod common;

use common::{
    eventually, feed, follow, follow_state, publish, signed_post, tempdir, Backend, TestNode,
};
use serde_json::{json, Value};
use std::time::Duration;

on_both_databases!(
    a_suspended_actor_is_hidden_refused_and_no_longer_delivered_to,
    a_removed_object_leaves_feed_and_directory_and_its_updates_are_ignored,
    an_account_delete_signed_with_the_cached_key_is_honoured,
    reports_travel_both_ways_and_a_blocked_domain_cannot_report,
);

fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": format!("{}/activities/{name}", from.base), "type": "Like",
        "actor": from.actor, "object": to.actor
    }))
    .expect("json")
}

/// Deliveries `from` ever queued for `to`'s server, whatever became of them.
async fn queued_to(from: &TestNode, to: &TestNode) -> i64 {
    let states = from.store.destination_states().await.expect("q");
    states
        .iter()
        .filter(|d| d.inbox.contains(&to.domain))
        .map(|d| d.pending + d.delivered + d.failed)
        .sum()
}

async fn search(node: &TestNode, query: &str) -> Vec<Value> {
    let (status, body) = node
        .api("GET", &format!("/api/v1/directory?{query}"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().cloned().unwrap_or_default()
}

async fn a_suspended_actor_is_hidden_refused_and_no_longer_delivered_to(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    follow(&b, &a).await;
    let post = publish(&a, "Before the suspension").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post arrives", || async {
        feed(&b).await.into_iter().find(|p| p["url"] == url)
    })
    .await;

    let request = json!({ "actor": a.actor, "reason": "harassment" });
    let (status, answer) = b
        .api("POST", "/api/v1/admin/suspensions", Some(request))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["removed_posts"], 1);
    assert!(feed(&b).await.is_empty(), "its content is hidden");
    assert!(follow_state(&b, "/api/v1/followers", &a.actor)
        .await
        .is_none());
    assert!(follow_state(&b, "/api/v1/following", &a.actor)
        .await
        .is_none());
    let (_, list) = b.api("GET", "/api/v1/admin/suspensions", None).await;
    assert_eq!(list[0]["ap_id"], a.actor.as_str(), "{list}");

    let queued_before = queued_to(&b, &a).await;
    // Its activities are refused at the door.
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "after"), None).await;
    assert_eq!(status, 403, "{err}");
    let later = publish(&a, "After the suspension").await;
    let later_url = later["url"].as_str().expect("url").to_string();
    // Nothing more is delivered to it.
    let from_b = publish(&b, "Bravo speaks").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(b
        .store
        .post_by_ap_id(&later_url)
        .await
        .expect("q")
        .is_none());
    let from_b_url = from_b["url"].as_str().expect("url");
    assert!(a
        .store
        .post_by_ap_id(from_b_url)
        .await
        .expect("q")
        .is_none());
    assert_eq!(
        queued_to(&b, &a).await,
        queued_before,
        "nothing queued for it"
    );

    // Reversible: after unsuspending, the actor is followed and heard again.
    let path = format!("/api/v1/admin/suspensions?actor={}", a.actor);
    let (status, _) = b.api("DELETE", &path, None).await;
    assert_eq!(status, 204);
    let (status, _) = b.api("DELETE", &path, None).await;
    assert_eq!(status, 404, "nothing left to lift");
    follow(&b, &a).await;
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "again"), None).await;
    assert_eq!(status, 202, "{err}");
}

async fn a_removed_object_leaves_feed_and_directory_and_its_updates_are_ignored(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    let program = json!({ "name": "Mobile clinic", "themes": ["health"], "countries": ["TL"] });
    let (status, created) = a.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{created}");
    let program_url = created["url"].as_str().expect("url").to_string();
    let kept = publish(&a, "An ordinary update").await;
    let kept_url = kept["url"].as_str().expect("url").to_string();
    eventually(10, "the program is in the directory", || async {
        let hits = search(&b, "q=clinic").await;
        hits.iter().any(|h| h["url"] == program_url).then_some(())
    })
    .await;

    let request = json!({ "object": program_url, "reason": "misleading" });
    let (status, answer) = b
        .api("POST", "/api/v1/admin/removed-objects", Some(request))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["removed_copy"], true);
    assert!(search(&b, "q=clinic").await.is_empty());
    assert!(feed(&b).await.iter().all(|p| p["url"] != program_url));

    // The author edits it: the edit does not bring it back, other posts still arrive.
    let id = created["id"].as_str().expect("id");
    let edited =
        json!({ "name": "Mobile clinic, renamed", "themes": ["health"], "countries": ["TL"] });
    let (status, body) = a
        .api("PATCH", &format!("/api/v1/programs/{id}"), Some(edited))
        .await;
    assert_eq!(status, 200, "{body}");
    let next = publish(&a, "Another update").await;
    let next_url = next["url"].as_str().expect("url").to_string();
    eventually(10, "later posts still arrive", || async {
        feed(&b).await.into_iter().find(|p| p["url"] == next_url)
    })
    .await;
    assert!(b
        .store
        .post_by_ap_id(&program_url)
        .await
        .expect("q")
        .is_none());
    assert!(feed(&b).await.iter().any(|p| p["url"] == kept_url));
    let (_, removed) = b.api("GET", "/api/v1/admin/removed-objects", None).await;
    assert_eq!(removed[0]["ap_id"], program_url.as_str(), "{removed}");

    // Local posts are deleted, not removed.
    let own = publish(&b, "Our own").await;
    let request = json!({ "object": own["url"] });
    let (status, _) = b
        .api("POST", "/api/v1/admin/removed-objects", Some(request))
        .await;
    assert_eq!(status, 422);
}

async fn an_account_delete_signed_with_the_cached_key_is_honoured(backend: Backend) {
    let dir = tempdir();
    let mut a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    follow(&b, &a).await;
    let post = publish(&a, "Soon gone").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post arrives", || async {
        feed(&b).await.into_iter().find(|p| p["url"] == url)
    })
    .await;

    // The deleted account's server no longer serves its actor or key.
    a.stop(true);
    let delete = serde_json::to_vec(&json!({
        "id": format!("{}#delete", a.actor), "type": "Delete", "actor": a.actor,
        "object": { "id": a.actor, "type": "Tombstone" },
        "to": ["https://www.w3.org/ns/activitystreams#Public"]
    }))
    .expect("json");
    let (status, err) = signed_post(&a, &b, &delete, None).await;
    assert_eq!(status, 202, "{err}");
    eventually(10, "the account is marked gone", || async {
        let mark = b.store.actor_mark(&a.actor).await.expect("q")?;
        (mark.state == "gone").then_some(())
    })
    .await;
    assert!(feed(&b).await.is_empty(), "its content went");
    assert!(follow_state(&b, "/api/v1/followers", &a.actor)
        .await
        .is_none());
    assert!(follow_state(&b, "/api/v1/following", &a.actor)
        .await
        .is_none());
    // A repeat is acknowledged; anything else from it is refused.
    let (status, _) = signed_post(&a, &b, &delete, None).await;
    assert_eq!(status, 202);
    let (status, _) = signed_post(&a, &b, &like(&a, &b, "ghost"), None).await;
    assert_eq!(status, 403);
    // Nothing more is queued for it.
    let before = queued_to(&b, &a).await;
    publish(&b, "After the deletion").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(queued_to(&b, &a).await, before);
    // A suspension cannot bring a deleted account back.
    let request = json!({ "actor": a.actor });
    let (status, _) = b
        .api("POST", "/api/v1/admin/suspensions", Some(request))
        .await;
    assert_eq!(status, 409);
}

async fn reports(node: &TestNode) -> Vec<Value> {
    let (status, list) = node.api("GET", "/api/v1/admin/reports", None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().unwrap_or_default()
}

async fn reports_travel_both_ways_and_a_blocked_domain_cannot_report(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&a, &b).await;
    let post = publish(&b, "Questionable claims").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post arrives", || async {
        feed(&a).await.into_iter().find(|p| p["url"] == url)
    })
    .await;

    // A reports B's post: B receives a Flag naming its organisation and the post.
    let request = json!({ "target": url, "comment": "Misleading health advice" });
    let (status, sent) = a.api("POST", "/api/v1/admin/reports", Some(request)).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["direction"], "sent");
    let received = eventually(10, "bravo receives the report", || async {
        reports(&b).await.into_iter().next()
    })
    .await;
    assert_eq!(received["direction"], "received");
    assert_eq!(received["reporter"], a.actor.as_str());
    assert_eq!(received["comment"], "Misleading health advice");
    assert_eq!(received["targets"], json!([b.actor, url]));
    assert_eq!(received["state"], "open");
    let id = received["id"].as_i64().expect("id");
    let path = format!("/api/v1/admin/reports/{id}/resolve");
    let (status, _) = b.api("POST", &path, None).await;
    assert_eq!(status, 204);
    let (_, open) = b.api("GET", "/api/v1/admin/reports?state=open", None).await;
    assert_eq!(open, json!([]));
    assert_eq!(reports(&b).await[0]["resolved_by"], "admin");

    // And the other way: B reports A's organisation.
    let request = json!({ "target": a.actor, "comment": "Spam" });
    let (status, sent) = b.api("POST", "/api/v1/admin/reports", Some(request)).await;
    assert_eq!(status, 201, "{sent}");
    let received = eventually(10, "alpha receives the report", || async {
        reports(&a)
            .await
            .into_iter()
            .find(|r| r["direction"] == "received")
    })
    .await;
    assert_eq!(received["targets"], json!([a.actor]));
    assert_eq!(received["reporter"], b.actor.as_str());

    // A blocked server's Flag is refused and not kept.
    let block = json!({ "domain": c.domain, "action": "block" });
    let (status, _) = b.api("POST", "/api/v1/admin/domains", Some(block)).await;
    assert_eq!(status, 201);
    let flag = serde_json::to_vec(&json!({
        "id": format!("{}/activities/flag-1", c.base), "type": "Flag", "actor": c.actor,
        "object": [b.actor], "content": "Retaliation"
    }))
    .expect("json");
    let (status, err) = signed_post(&c, &b, &flag, None).await;
    assert_eq!(status, 403, "{err}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(reports(&b).await.len(), 2, "one received, one sent");
}
