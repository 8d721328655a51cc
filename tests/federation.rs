//! Federation end to end: real nodes on loopback following each other and publishing.

mod common;

use common::{eventually, feed, follow, follow_state, publish, tempdir, Backend, TestNode};
use gotong::db::actors::Direction;
use serde_json::json;

on_both_databases!(
    follow_publish_edit_delete_unfollow,
    manual_approval_accept_and_reject,
    three_nodes_two_followers,
    rotated_key_is_refetched,
    profile_update_reaches_followers,
);

async fn follow_publish_edit_delete_unfollow(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;

    follow(&a, &b).await;
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .as_deref(),
        Some("accepted")
    );

    let post = publish(&b, "Legal aid clinic opens Monday").await;
    let url = post["url"].as_str().expect("url").to_string();
    let received = eventually(10, "update reaches the follower", || async {
        feed(&a).await.into_iter().find(|p| p["url"] == url)
    })
    .await;
    assert!(received["content"]
        .as_str()
        .unwrap_or_default()
        .contains("Legal aid clinic"));
    assert_eq!(received["author"], b.actor);

    let id = post["id"].as_str().expect("id");
    let (status, _) = b
        .api(
            "PATCH",
            &format!("/api/v1/updates/{id}"),
            Some(json!({ "text": "Clinic opens Tuesday" })),
        )
        .await;
    assert_eq!(status, 200);
    eventually(10, "edit reaches the follower", || async {
        feed(&a).await.into_iter().find(|p| {
            p["url"] == url
                && p["content"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Tuesday")
        })
    })
    .await;

    let (status, _) = b
        .api("DELETE", &format!("/api/v1/updates/{id}"), None)
        .await;
    assert_eq!(status, 204);
    eventually(10, "delete removes the follower's copy", || async {
        a.store
            .post_by_ap_id(&url)
            .await
            .expect("query")
            .is_none()
            .then_some(())
    })
    .await;

    let (status, _) = a
        .api(
            "DELETE",
            &format!("/api/v1/following?actor={}", b.actor),
            None,
        )
        .await;
    assert_eq!(status, 204);
    eventually(10, "unfollow reaches the followed node", || async {
        follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .is_none()
            .then_some(())
    })
    .await;
    let after = publish(&b, "Published after the unfollow").await;
    let org = b
        .store
        .organisation_by_handle("bravo")
        .await
        .expect("q")
        .expect("org");
    assert_eq!(
        b.store
            .count_follows(
                Direction::Followers,
                org.id,
                gotong::domain::follows::FollowState::Accepted
            )
            .await
            .expect("count"),
        0
    );
    assert!(a
        .store
        .post_by_ap_id(after["url"].as_str().expect("url"))
        .await
        .expect("query")
        .is_none());
}

async fn manual_approval_accept_and_reject(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let (status, _) = b
        .api(
            "PATCH",
            "/api/v1/organisation",
            Some(json!({ "manual_approval": true })),
        )
        .await;
    assert_eq!(status, 200);

    for follower in [&a, &c] {
        let (status, _) = follower
            .api(
                "POST",
                "/api/v1/following",
                Some(json!({ "handle": b.account() })),
            )
            .await;
        assert_eq!(status, 202);
    }
    for follower in [&a, &c] {
        eventually(
            10,
            "follow request is pending at the followed node",
            || async {
                (follow_state(&b, "/api/v1/followers", &follower.actor)
                    .await
                    .as_deref()
                    == Some("pending"))
                .then_some(())
            },
        )
        .await;
    }
    assert_eq!(
        follow_state(&a, "/api/v1/following", &b.actor)
            .await
            .as_deref(),
        Some("pending")
    );

    let (status, _) = b
        .api(
            "POST",
            "/api/v1/followers/accept",
            Some(json!({ "actor": a.actor })),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = b
        .api(
            "POST",
            "/api/v1/followers/reject",
            Some(json!({ "actor": c.actor })),
        )
        .await;
    assert_eq!(status, 204);
    eventually(10, "accept arrives", || async {
        (follow_state(&a, "/api/v1/following", &b.actor)
            .await
            .as_deref()
            == Some("accepted"))
        .then_some(())
    })
    .await;
    eventually(10, "reject arrives", || async {
        (follow_state(&c, "/api/v1/following", &b.actor)
            .await
            .as_deref()
            == Some("rejected"))
        .then_some(())
    })
    .await;
    assert!(follow_state(&b, "/api/v1/followers", &c.actor)
        .await
        .is_none());

    let post = publish(&b, "Only for approved followers").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "approved follower receives", || async {
        feed(&a).await.into_iter().find(|p| p["url"] == url)
    })
    .await;
    assert!(c.store.post_by_ap_id(&url).await.expect("query").is_none());
}

async fn three_nodes_two_followers(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&a, &b).await;
    follow(&c, &b).await;
    let (status, body) = b
        .api(
            "POST",
            "/api/v1/updates",
            Some(json!({ "text": "Followers only", "visibility": "followers" })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let url = body["url"].as_str().expect("url").to_string();
    for follower in [&a, &c] {
        let got = eventually(10, "both followers receive", || async {
            feed(follower).await.into_iter().find(|p| p["url"] == url)
        })
        .await;
        assert_eq!(got["visibility"], "followers");
    }
    // Each follower's server got the activity once, through its shared inbox.
    let (_, deliveries) = b.api("GET", "/api/v1/admin/deliveries", None).await;
    let inboxes: Vec<&str> = deliveries
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["inbox"].as_str())
        .collect();
    assert!(
        inboxes.contains(&format!("{}/inbox", a.base).as_str()),
        "{deliveries}"
    );
    assert!(
        inboxes.contains(&format!("{}/inbox", c.base).as_str()),
        "{deliveries}"
    );
    // A followers-only post is not served to anonymous fetches.
    let status = reqwest::Client::new()
        .get(&url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("fetch")
        .status();
    assert_eq!(status, 404);
}

/// A peer that cached our old key fetches the actor again when a signature fails and its copy
/// is over an hour old, so a rotated key keeps federation working; while its copy is younger
/// it refuses (401), and the delivery is retried until it gets through.
async fn rotated_key_is_refetched(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    let old_key = b
        .store
        .remote_actor_by_ap_id(&a.actor)
        .await
        .expect("query")
        .expect("bravo cached alpha")
        .public_key_pem;
    let org = a
        .store
        .organisation_by_handle("alpha")
        .await
        .expect("q")
        .expect("org");
    let rotated = gotong::domain::organisations::rotate_keys(a.store.as_ref(), &a.sealer(), org.id)
        .await
        .expect("rotate");
    assert_ne!(rotated.public_key_pem, old_key);

    let (status, _) = a
        .api(
            "DELETE",
            &format!("/api/v1/following?actor={}", b.actor),
            None,
        )
        .await;
    assert_eq!(status, 204);
    // Bravo fetched alpha moments ago: the new signature is refused, not a reason to fetch.
    eventually(
        10,
        "the Undo is refused (401) and kept for retry",
        || async {
            let states = a.store.destination_states().await.expect("states");
            states
                .into_iter()
                .find(|d| d.pending > 0 && d.last_error.as_deref().unwrap_or("").contains("401"))
        },
    )
    .await;
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
    // Once bravo's copy is over an hour old, the next attempt makes it fetch alpha again.
    common::age_remote_actor(&b, &a.actor, 2 * 3600 * 1000).await;
    eventually(
        15,
        "the Undo signed with the new key is accepted",
        || async {
            follow_state(&b, "/api/v1/followers", &a.actor)
                .await
                .is_none()
                .then_some(())
        },
    )
    .await;
    let cached = b
        .store
        .remote_actor_by_ap_id(&a.actor)
        .await
        .expect("query")
        .expect("still known");
    assert_eq!(cached.public_key_pem, rotated.public_key_pem);
}

async fn profile_update_reaches_followers(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    let change = json!({
        "name": "Bravo Red Crescent",
        "summary": "Migrant support <desk>",
        "icon_url": "https://bravo.example/logo.png",
    });
    let (status, org) = b.api("PATCH", "/api/v1/organisation", Some(change)).await;
    assert_eq!(status, 200, "{org}");
    assert_eq!(org["summary"], "<p>Migrant support &lt;desk&gt;</p>");
    let seen = eventually(10, "follower refreshes the actor", || async {
        a.store
            .remote_actor_by_ap_id(&b.actor)
            .await
            .expect("query")
            .filter(|actor| actor.name == "Bravo Red Crescent")
    })
    .await;
    assert_eq!(
        seen.icon_url.as_deref(),
        Some("https://bravo.example/logo.png")
    );
    let (status, _) = b
        .api(
            "PATCH",
            "/api/v1/organisation",
            Some(json!({ "icon_url": "javascript:alert(1)" })),
        )
        .await;
    assert_eq!(status, 422);
}
