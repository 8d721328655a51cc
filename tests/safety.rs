//! Federation policy: allowlist and blocklist, applied to inbound activities, deliveries and
//! fetches alike.

mod common;

use common::{
    eventually, feed, follow, follow_state, publish, signed_get, signed_post, tempdir, Backend,
    TestNode,
};
use serde_json::json;
use std::time::Duration;

on_both_databases!(
    allowlist_mode_talks_only_to_listed_nodes,
    blocking_mid_conversation_stops_both_directions,
    floods_are_refused_with_retry_after,
    an_announced_key_rotation_reaches_followers_and_retires_the_old_key,
    authorized_fetch_serves_signed_requests_only,
);

async fn allowlist_mode_talks_only_to_listed_nodes(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let (status, _) = b
        .api(
            "POST",
            "/api/v1/admin/domains",
            Some(json!({ "domain": a.domain, "action": "allow" })),
        )
        .await;
    assert_eq!(status, 201);
    let (status, policy) = b
        .api(
            "PUT",
            "/api/v1/admin/federation",
            Some(json!({ "mode": "allowlist" })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(policy["mode"], "allowlist");

    follow(&a, &b).await;
    let (status, _) = c
        .api(
            "POST",
            "/api/v1/following",
            Some(json!({ "handle": b.account() })),
        )
        .await;
    assert_eq!(status, 202);
    // The stranger's Follow is refused at the door: its delivery ends as rejected.
    eventually(10, "the stranger's follow is refused", || async {
        let states = c.store.destination_states().await.expect("q");
        states.iter().any(|d| d.failed > 0).then_some(())
    })
    .await;
    assert!(follow_state(&b, "/api/v1/followers", &c.actor)
        .await
        .is_none());
    assert_eq!(
        follow_state(&c, "/api/v1/following", &b.actor)
            .await
            .as_deref(),
        Some("pending")
    );

    // Nothing goes out to the stranger, and the stranger's activities are refused.
    let post = publish(&b, "For members only").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the allowed follower receives", || async {
        feed(&a).await.into_iter().find(|p| p["url"] == url)
    })
    .await;
    let destinations = b.store.destination_states().await.expect("q");
    assert!(
        destinations.iter().all(|d| !d.inbox.contains(&c.domain)),
        "{destinations:?}"
    );
    let body = serde_json::to_vec(&json!({
        "id": format!("{}/activities/knock", c.base), "type": "Follow", "actor": c.actor, "object": b.actor
    }))
    .expect("json");
    let (status, err) = signed_post(&c, &b, &body, None).await;
    assert_eq!(status, 403, "{err}");
    assert!(err["error"]
        .as_str()
        .unwrap_or_default()
        .contains("does not federate"));

    // Nor does the node fetch from it.
    let (status, err) = b
        .api(
            "POST",
            "/api/v1/following",
            Some(json!({ "handle": c.account() })),
        )
        .await;
    assert!(status >= 400, "{status} {err}");
    assert!(b
        .store
        .remote_actor_by_ap_id(&c.actor)
        .await
        .expect("q")
        .is_none());
}

async fn blocking_mid_conversation_stops_both_directions(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    follow(&b, &a).await;
    let before = publish(&a, "Before the block").await;
    let before_url = before["url"].as_str().expect("url").to_string();
    eventually(10, "the first post arrives", || async {
        feed(&b).await.into_iter().find(|p| p["url"] == before_url)
    })
    .await;

    let block = json!({ "domain": a.domain, "action": "block", "reason": "spam", "purge": true });
    let (status, answer) = b.api("POST", "/api/v1/admin/domains", Some(block)).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["purged_posts"], 1);
    assert!(feed(&b).await.is_empty(), "purged");

    let from_b = publish(&b, "After the block, from bravo").await;
    let from_a = publish(&a, "After the block, from alpha").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let from_b_url = from_b["url"].as_str().expect("url");
    assert!(
        a.store
            .post_by_ap_id(from_b_url)
            .await
            .expect("q")
            .is_none(),
        "bravo sends nothing"
    );
    let from_a_url = from_a["url"].as_str().expect("url");
    assert!(
        b.store
            .post_by_ap_id(from_a_url)
            .await
            .expect("q")
            .is_none(),
        "bravo takes nothing"
    );
    let states = a.store.destination_states().await.expect("q");
    assert!(
        states
            .iter()
            .any(|d| d.inbox.contains(&b.domain) && d.failed > 0),
        "{states:?}"
    );

    let (status, _) = b
        .api(
            "DELETE",
            &format!("/api/v1/admin/domains/{}", a.domain),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, policy) = b.api("GET", "/api/v1/admin/federation", None).await;
    assert_eq!(policy["rules"], json!([]));
}

async fn floods_are_refused_with_retry_after(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start_with(backend, dir.path(), "bravo", |c| {
        c.inbox_rate_per_minute = 5;
        c.login_rate_per_minute = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        let body = serde_json::to_vec(&json!({
            "id": format!("{}/activities/flood-{n}", a.base), "type": "Like", "actor": a.actor,
            "object": b.actor
        }))
        .expect("json");
        statuses.push(signed_post(&a, &b, &body, None).await.0);
    }
    assert_eq!(&statuses[..5], &[202; 5], "{statuses:?}");
    assert_eq!(&statuses[5..], &[429, 429], "{statuses:?}");
    assert_eq!(
        b.store.count_inbox_activities().await.expect("q"),
        5,
        "nothing over the limit is stored"
    );

    let client = reqwest::Client::new();
    let login = format!("{}/api/v1/login", b.base);
    let mut last = None;
    for _ in 0..4 {
        let response = client
            .post(&login)
            .json(&json!({ "username": "admin", "password": "wrong password" }))
            .send()
            .await
            .expect("login");
        last = Some((
            response.status().as_u16(),
            response.headers().get("retry-after").cloned(),
        ));
    }
    let (status, retry_after) = last.expect("answered");
    assert_eq!(status, 429);
    let seconds: u64 = retry_after
        .expect("Retry-After")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("number");
    assert!((1..=60).contains(&seconds));
    // Another client's API calls are not affected by the first one's flood.
    let (status, _) = a.api("GET", "/api/v1/me", None).await;
    assert_eq!(status, 200);
}

async fn an_announced_key_rotation_reaches_followers_and_retires_the_old_key(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    // The follower's copy of alpha is over an hour old, so a signature by the new key makes it
    // fetch alpha again (a younger copy refuses it until it ages: tests/key_refetch.rs).
    common::age_remote_actor(&b, &a.actor, 2 * 3600 * 1000).await;
    let old = a
        .store
        .organisation_by_handle("alpha")
        .await
        .expect("q")
        .expect("org");
    let (status, rotated) = a.api("POST", "/api/v1/admin/rotate-key", None).await;
    assert_eq!(status, 200, "{rotated}");
    let new_pem = rotated["public_key_pem"].as_str().expect("pem").to_string();
    assert_ne!(new_pem, old.public_key_pem);
    eventually(
        10,
        "the follower learns the new key from the Update",
        || async {
            let known = b.store.remote_actor_by_ap_id(&a.actor).await.expect("q")?;
            (known.public_key_pem == new_pem).then_some(())
        },
    )
    .await;
    let post = publish(&a, "Signed with the new key").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "new signatures verify", || async {
        feed(&b).await.into_iter().find(|p| p["url"] == url)
    })
    .await;
    let body = serde_json::to_vec(&json!({
        "id": format!("{}/activities/old-key", a.base), "type": "Like", "actor": a.actor, "object": b.actor
    }))
    .expect("json");
    let (status, _) = signed_post(
        &a,
        &b,
        &body,
        Some(&gotong::domain::organisations::signing_key(&a.sealer(), &old).expect("old key")),
    )
    .await;
    assert_eq!(status, 401, "a signature with the old key is refused");
}

async fn get(url: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn authorized_fetch_serves_signed_requests_only(backend: Backend) {
    let dir = tempdir();
    let secure = |c: &mut gotong::config::Config| c.authorized_fetch = true;
    let a = TestNode::start_with(backend, dir.path(), "alpha", secure).await;
    let b = TestNode::start_with(backend, dir.path(), "bravo", secure).await;
    let program = json!({ "name": "Clinic", "themes": ["health"], "countries": ["TL"] });
    let (status, created) = b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201);
    let program_url = created["url"].as_str().expect("url").to_string();

    let (status, err) = get(&format!("{}/outbox", b.actor)).await;
    assert_eq!(status, 401, "{err}");
    assert!(err["error"].as_str().unwrap_or_default().contains("signed"));
    assert_eq!(get(&program_url).await.0, 401);
    let no_accept = reqwest::get(format!("{}/outbox", b.actor))
        .await
        .expect("get");
    assert_eq!(
        no_accept.status().as_u16(),
        401,
        "collections answer JSON whatever is asked"
    );
    assert_eq!(
        get(&format!("{}/directory?page=true", b.actor)).await.0,
        401
    );
    assert_eq!(signed_get(&a, &format!("{}/outbox", b.actor)).await.0, 200);
    assert_eq!(signed_get(&a, &program_url).await.0, 200);
    // The actor stays readable unsigned: checking a signature needs its key.
    let (status, actor) = get(&b.actor).await;
    assert_eq!(status, 200);
    assert!(actor["publicKey"]["publicKeyPem"].is_string());
    // Two such nodes still federate: follows, and a backfill through signed fetches.
    follow(&a, &b).await;
    eventually(10, "the backfill signs its fetches", || async {
        a.store
            .post_by_ap_id(&program_url)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    // A blocked server's signature opens nothing.
    let (status, _) = b
        .api(
            "POST",
            "/api/v1/admin/domains",
            Some(json!({ "domain": a.domain, "action": "block" })),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(signed_get(&a, &program_url).await.0, 403);
}
