//! The staff API: authentication, roles, validation and JSON errors.

mod common;

use common::{tempdir, Backend, TestNode};
use serde_json::{json, Value};

on_both_databases!(
    setup_token_sets_the_admin_password_once,
    requests_without_a_valid_token_are_refused,
    roles_limit_what_staff_may_do,
    invalid_input_gets_a_clear_error_and_changes_nothing,
    an_edit_keeps_who_may_see_a_post,
    following_an_unknown_handle_is_not_found,
);

async fn post_json(url: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn setup_token_sets_the_admin_password_once(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let setup = format!("{}/api/v1/setup", node.base);
    let body = json!({ "token": node.setup_token, "password": "short" }).to_string();
    let (status, err) = post_json(&setup, &body).await;
    assert_eq!(status, 422, "{err}");

    let body = json!({ "token": node.setup_token, "password": "a long passphrase" }).to_string();
    let (status, answer) = post_json(&setup, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["username"], "admin");
    let token = answer["token"].as_str().expect("token");
    let (status, me) = node.api_as(token, "GET", "/api/v1/me", None).await;
    assert_eq!(status, 200);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["organisation"]["handle"], "prc");

    let (status, _) = post_json(&setup, &body).await;
    assert_eq!(status, 401, "the setup token works once");

    let login = format!("{}/api/v1/login", node.base);
    let good = json!({ "username": "admin", "password": "a long passphrase" }).to_string();
    let (status, answer) = post_json(&login, &good).await;
    assert_eq!(status, 200);
    assert!(answer["token"]
        .as_str()
        .is_some_and(|t| t.starts_with("gt_")));
    let bad = json!({ "username": "admin", "password": "a wrong passphrase" }).to_string();
    let (status, err) = post_json(&login, &bad).await;
    assert_eq!(status, 401);
    assert!(err["error"].is_string());
}

async fn requests_without_a_valid_token_are_refused(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let response = reqwest::get(format!("{}/api/v1/me", node.base))
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "missing bearer token");
    let (status, body) = node.api_as("gt_forged", "GET", "/api/v1/me", None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid or revoked token");
    let (status, _) = node
        .api_as(
            "gt_forged",
            "POST",
            "/api/v1/updates",
            Some(json!({ "text": "x" })),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(node.store.count_local_posts().await.expect("count"), 0);
}

async fn token_for(node: &TestNode, username: &str, role: &str) -> String {
    let (status, body) = node
        .api(
            "POST",
            "/api/v1/accounts",
            Some(json!({ "username": username, "password": "another long passphrase", "role": role })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, login) = post_json(
        &format!("{}/api/v1/login", node.base),
        &json!({ "username": username, "password": "another long passphrase" }).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    login["token"].as_str().expect("token").to_string()
}

async fn roles_limit_what_staff_may_do(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let editor = token_for(&node, "editor1", "editor").await;
    let caseworker = token_for(&node, "case1", "caseworker").await;

    let (status, _) = node
        .api_as(
            &caseworker,
            "POST",
            "/api/v1/updates",
            Some(json!({ "text": "hello" })),
        )
        .await;
    assert_eq!(status, 403, "caseworkers do not publish");
    let (status, _) = node
        .api_as(&caseworker, "GET", "/api/v1/followers", None)
        .await;
    assert_eq!(status, 403);
    let (status, _) = node
        .api_as(
            &editor,
            "POST",
            "/api/v1/updates",
            Some(json!({ "text": "hello" })),
        )
        .await;
    assert_eq!(status, 201, "editors publish");
    for (method, path, body) in [
        ("GET", "/api/v1/admin/deliveries", None),
        (
            "PATCH",
            "/api/v1/organisation",
            Some(json!({ "name": "Taken over" })),
        ),
        (
            "POST",
            "/api/v1/accounts",
            Some(json!({ "username": "x1", "password": "long enough pass", "role": "admin" })),
        ),
    ] {
        let (status, err) = node.api_as(&editor, method, path, body).await;
        assert_eq!(status, 403, "{method} {path}: {err}");
    }
    let (_, me) = node.api("GET", "/api/v1/me", None).await;
    assert_eq!(me["organisation"]["name"], "Organisation prc");
    assert!(node
        .store
        .account_by_username("x1")
        .await
        .expect("q")
        .is_none());
}

async fn invalid_input_gets_a_clear_error_and_changes_nothing(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let too_long = "x".repeat(5001);
    for (body, status) in [
        (json!({ "text": "   " }), 422),
        (json!({ "text": too_long }), 422),
        (json!({ "text": "ok", "visibility": "everyone" }), 422),
        (json!({ "words": "ok" }), 422),
    ] {
        let (got, err) = node
            .api("POST", "/api/v1/updates", Some(body.clone()))
            .await;
        assert_eq!(got, status, "{body}: {err}");
        assert!(err["error"].is_string(), "{err}");
    }
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/updates", node.base))
        .bearer_auth(&node.token)
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    let err: Value = response.json().await.expect("json error");
    assert!(err["error"].is_string());
    assert_eq!(node.store.count_local_posts().await.expect("count"), 0);

    let (status, _) = node
        .api(
            "PATCH",
            "/api/v1/updates/no-such-id",
            Some(json!({ "text": "x" })),
        )
        .await;
    assert_eq!(status, 404);
    let (status, err) = node
        .api(
            "POST",
            "/api/v1/following",
            Some(json!({ "handle": "not-a-handle" })),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = node
        .api(
            "POST",
            "/api/v1/accounts",
            Some(json!({ "username": "admin", "password": "long enough pass", "role": "editor" })),
        )
        .await;
    assert_eq!(status, 409, "{err}");
}

/// An edit that does not mention visibility must not widen who sees the post.
async fn an_edit_keeps_who_may_see_a_post(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let body = json!({ "text": "internal v1", "visibility": "followers" });
    let (status, post) = node.api("POST", "/api/v1/updates", Some(body)).await;
    assert_eq!(status, 201);
    let id = post["id"].as_str().expect("id");
    let (status, edited) = node
        .api(
            "PATCH",
            &format!("/api/v1/updates/{id}"),
            Some(json!({ "text": "internal v2" })),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["visibility"], "followers");
    let anonymous = reqwest::Client::new()
        .get(post["url"].as_str().expect("url"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(anonymous.status().as_u16(), 404);
    let rss = reqwest::get(format!("{}/o/prc/feed.rss", node.base))
        .await
        .expect("rss")
        .text()
        .await
        .expect("body");
    assert!(!rss.contains("internal"), "{rss}");
    let (_, widened) = node
        .api(
            "PATCH",
            &format!("/api/v1/updates/{id}"),
            Some(json!({ "text": "now public", "visibility": "public" })),
        )
        .await;
    assert_eq!(
        widened["visibility"], "public",
        "widening must be asked for"
    );
}

async fn following_an_unknown_handle_is_not_found(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "beta").await;
    let handle = format!("nobody@{}", b.domain);
    let (status, err) = a
        .api(
            "POST",
            "/api/v1/following",
            Some(json!({ "handle": handle })),
        )
        .await;
    assert_eq!(status, 404, "{err}");
    assert!(
        err["error"].as_str().is_some_and(|m| m.contains("handle")),
        "{err}"
    );
    let (_, following) = a.api("GET", "/api/v1/following", None).await;
    assert_eq!(following, json!([]), "nothing was recorded");
}
