//! Shared domain lists (issue 6): a node publishes its rules, another subscribes over signed
//! HTTP, applies them with its own rules winning, refreshes, audits every change, and keeps
//! the last good list when a fetch fails.

mod common;

use common::{signed_get, signed_post, tempdir, Backend, TestNode};
use serde_json::{json, Value};

on_both_databases!(
    a_subscribed_blocklist_applies_with_local_rules_winning,
    subscribed_lists_refresh_on_their_own_and_allowlists_open_a_closed_node,
);

fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": format!("{}/activities/{name}", from.base), "type": "Like",
        "actor": from.actor, "object": to.actor
    }))
    .expect("json")
}

async fn rule(node: &TestNode, domain: &str, action: &str) {
    let body = json!({ "domain": domain, "action": action });
    let (status, answer) = node.api("POST", "/api/v1/admin/domains", Some(body)).await;
    assert_eq!(status, 201, "{answer}");
}

async fn audit(node: &TestNode) -> Vec<(String, String)> {
    let (status, rows) = node.api("GET", "/api/v1/admin/audit", None).await;
    assert_eq!(status, 200, "{rows}");
    rows.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (text("action"), text("detail"))
        })
        .collect()
}

async fn a_subscribed_blocklist_applies_with_local_rules_winning(backend: Backend) {
    let dir = tempdir();
    // The publisher serves its lists to signed requests only.
    let mut a =
        TestNode::start_with(backend, dir.path(), "alpha", |c| c.authorized_fetch = true).await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let d = TestNode::start(backend, dir.path(), "delta").await;
    rule(&a, &c.domain, "block").await;
    rule(&a, &d.domain, "block").await;
    rule(&a, "friends.example", "allow").await;

    let list_url = format!("{}/federation/blocklist", a.base);
    let unsigned = reqwest::get(&list_url).await.expect("get");
    assert_eq!(unsigned.status().as_u16(), 401, "authorised fetch applies");
    let (status, text) = signed_get(&b, &list_url).await;
    assert_eq!(status, 200, "{text}");
    let list: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(list["type"], "GotongDomainList");
    assert_eq!(list["action"], "block");
    let mut expected = vec![c.domain.clone(), d.domain.clone()];
    expected.sort();
    assert_eq!(list["domains"], json!(expected), "only the block rules");

    // B subscribes; the first fetch is signed by B and applies at once.
    rule(&b, &d.domain, "allow").await;
    let subscription = json!({ "url": list_url, "kind": "block" });
    let (status, answer) = b
        .api("POST", "/api/v1/admin/subscriptions", Some(subscription))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["error"], Value::Null, "{answer}");
    assert_eq!(answer["changes"]["added"], json!(expected));
    let id = answer["subscription"]["id"].as_i64().expect("id");

    let (status, err) = signed_post(&c, &b, &like(&c, &b, "one"), None).await;
    assert_eq!(status, 403, "the subscribed block applies: {err}");
    let (status, err) = signed_post(&d, &b, &like(&d, &b, "one"), None).await;
    assert_eq!(status, 202, "the local allow wins: {err}");

    // A changes its list; B's refresh brings the change and audits it.
    let (status, _) = a
        .api(
            "DELETE",
            &format!("/api/v1/admin/domains/{}", c.domain),
            None,
        )
        .await;
    assert_eq!(status, 204);
    rule(&a, "spam.example", "block").await;
    let refresh = format!("/api/v1/admin/subscriptions/{id}/refresh");
    let (status, changes) = b.api("POST", &refresh, None).await;
    assert_eq!(status, 200, "{changes}");
    assert_eq!(changes["added"], json!(["spam.example"]));
    assert_eq!(changes["removed"], json!([c.domain]));
    let (status, err) = signed_post(&c, &b, &like(&c, &b, "two"), None).await;
    assert_eq!(status, 202, "no longer blocked: {err}");
    let log = audit(&b).await;
    for (action, domain) in [
        ("policy_list:add", c.domain.as_str()),
        ("policy_list:remove", c.domain.as_str()),
        ("policy_list:add", "spam.example"),
        ("policy_list:subscribe", list_url.as_str()),
    ] {
        assert!(
            log.iter().any(|(a, d)| a == action && d.contains(domain)),
            "{action} {domain} missing from {log:?}"
        );
    }

    // The publisher is down: the refresh fails, the last good list stays in force.
    a.stop(true);
    let (status, err) = b.api("POST", &refresh, None).await;
    assert_eq!(status, 502, "{err}");
    let (status, subs) = b.api("GET", "/api/v1/admin/subscriptions", None).await;
    assert_eq!(status, 200);
    let mut kept = vec![d.domain.clone(), "spam.example".to_string()];
    kept.sort();
    assert_eq!(subs[0]["domains"], json!(kept), "{subs}");
    assert!(subs[0]["subscription"]["last_error"].is_string(), "{subs}");
    let (_, policy) = b.api("GET", "/api/v1/admin/federation", None).await;
    assert_eq!(
        policy["subscribed"].as_array().map(Vec::len),
        Some(2),
        "{policy}"
    );

    // Unsubscribing lifts the subscribed rules.
    let (status, _) = b
        .api("DELETE", &format!("/api/v1/admin/subscriptions/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (_, policy) = b.api("GET", "/api/v1/admin/federation", None).await;
    assert_eq!(policy["subscribed"], json!([]), "{policy}");
}

async fn subscribed_lists_refresh_on_their_own_and_allowlists_open_a_closed_node(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start_with(backend, dir.path(), "bravo", |c| c.policy_refresh_secs = 1).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    // B federates only with allowed servers: A, and whoever A's allowlist names.
    rule(&b, &a.domain, "allow").await;
    let (status, _) = b
        .api(
            "PUT",
            "/api/v1/admin/federation",
            Some(json!({ "mode": "allowlist" })),
        )
        .await;
    assert_eq!(status, 200);
    let subscription =
        json!({ "url": format!("{}/federation/allowlist", a.base), "kind": "allow" });
    let (status, answer) = b
        .api("POST", "/api/v1/admin/subscriptions", Some(subscription))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["changes"]["added"], json!([]));
    let (status, _) = signed_post(&c, &b, &like(&c, &b, "early"), None).await;
    assert_eq!(status, 403, "not yet allowed");

    // A allows C; B's periodic refresh picks it up without being asked.
    rule(&a, &c.domain, "allow").await;
    common::eventually(10, "the periodic refresh brings the new domain", || async {
        let (_, policy) = b.api("GET", "/api/v1/admin/federation", None).await;
        (policy["subscribed"] == json!([{ "domain": c.domain, "action": "allow" }])).then_some(())
    })
    .await;
    let (status, err) = signed_post(&c, &b, &like(&c, &b, "later"), None).await;
    assert_eq!(status, 202, "{err}");
    // A list of the wrong kind is refused, and nothing it holds applies.
    let wrong = json!({ "url": format!("{}/federation/blocklist", a.base), "kind": "allow" });
    let (status, answer) = b
        .api("POST", "/api/v1/admin/subscriptions", Some(wrong))
        .await;
    assert_eq!(status, 201);
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("subscribed as allow")),
        "{answer}"
    );
}
