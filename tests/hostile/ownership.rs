//! Objects and relations that belong to someone else: creating, updating, deleting, undoing,
//! accepting or editing what is not the sender's.

use super::harness::*;
use crate::common::forgery::Forgery;
use crate::common::{eventually, follow, follow_state, publish, signed_post};
use crate::common::{Backend, TestNode};
use gotong::db::actors::Direction;
use serde_json::{json, Value};

crate::on_both_databases!(
    create_with_object_id_on_another_server,
    create_attributed_to_the_receiving_organisation,
    update_of_someone_elses_post,
    update_of_someone_elses_post_claiming_authorship,
    update_of_a_local_post,
    delete_of_someone_elses_post,
    delete_of_a_local_post,
    delete_of_someone_elses_post_as_embedded_tombstone,
    forged_account_deletion_is_dropped,
    undo_of_someone_elses_follow,
    undo_with_embedded_follow_of_another_actor,
    accept_of_a_follow_sent_to_someone_else,
    reject_of_a_follow_by_a_stranger,
    update_of_the_follower_list_by_a_stranger,
    add_to_the_follower_list_by_a_stranger,
    follow_of_an_actor_on_another_server,
    follow_of_an_unknown_local_organisation,
    update_of_another_actors_profile,
);

fn note(id: &str, attributed_to: &str, content: &str) -> Value {
    json!({
        "id": id, "type": "Note", "attributedTo": attributed_to, "content": content,
        "to": [PUBLIC],
    })
}

async fn create_with_object_id_on_another_server(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&b, &a).await;
    let was = before(&b).await;
    let id = format!("{}/updates/planted", c.base);
    let body = activity(&a, "plant", "Create", note(&id, &a.actor, "Planted"));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(b.store.post_by_ap_id(&id).await.expect("q").is_none());
}

async fn create_attributed_to_the_receiving_organisation(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    follow(&b, &a).await;
    let was = before(&b).await;
    let id = format!("{}/updates/forged", b.base);
    let body = activity(
        &a,
        "impersonate",
        "Create",
        note(&id, &b.actor, "We said so"),
    );
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(b.store.post_by_ap_id(&id).await.expect("q").is_none());
}

/// Nodes a, b, c; b follows a and c and holds a post of c's. Returns c and the post's URL.
async fn with_post_of_c(
    backend: Backend,
    dir: &std::path::Path,
    a: &TestNode,
    b: &TestNode,
) -> (TestNode, String) {
    let c = TestNode::start(backend, dir, "charlie").await;
    follow(b, a).await;
    follow(b, &c).await;
    let url = published_to(&c, b, "Clinic open on Monday").await;
    (c, url)
}

async fn update_of_someone_elses_post(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let (c, url) = with_post_of_c(backend, dir.path(), &a, &b).await;
    let was = before(&b).await;
    let body = activity(
        &a,
        "deface",
        "Update",
        note(&url, &c.actor, "Clinic closed"),
    );
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    let post = b.store.post_by_ap_id(&url).await.expect("q").expect("post");
    assert!(post.content.contains("Monday"), "{post:?}");
}

async fn update_of_someone_elses_post_claiming_authorship(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let (_c, url) = with_post_of_c(backend, dir.path(), &a, &b).await;
    let was = before(&b).await;
    let body = activity(&a, "claim", "Update", note(&url, &a.actor, "Clinic closed"));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    let post = b.store.post_by_ap_id(&url).await.expect("q").expect("post");
    assert!(post.content.contains("Monday"), "{post:?}");
}

async fn update_of_a_local_post(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    follow(&b, &a).await;
    let post = publish(&b, "Our own announcement").await;
    let url = post["url"].as_str().expect("url").to_string();
    let was = before(&b).await;
    let body = activity(&a, "overwrite", "Update", note(&url, &a.actor, "Defaced"));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    let post = b.store.post_by_ap_id(&url).await.expect("q").expect("post");
    assert!(post.content.contains("announcement"), "{post:?}");
}

async fn delete_of_someone_elses_post(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let (_c, url) = with_post_of_c(backend, dir.path(), &a, &b).await;
    let was = before(&b).await;
    let body = activity(&a, "delete-c", "Delete", json!(url));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(b.store.post_by_ap_id(&url).await.expect("q").is_some());
}

async fn delete_of_a_local_post(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let post = publish(&b, "Still here").await;
    let url = post["url"].as_str().expect("url").to_string();
    let was = before(&b).await;
    let body = activity(&a, "delete-b", "Delete", json!(url));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    let post = b.store.post_by_ap_id(&url).await.expect("q").expect("post");
    assert!(post.deleted_at.is_none());
}

async fn delete_of_someone_elses_post_as_embedded_tombstone(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let (_c, url) = with_post_of_c(backend, dir.path(), &a, &b).await;
    let was = before(&b).await;
    let tombstone = json!({ "id": url, "type": "Tombstone", "formerType": "Note" });
    let body = activity(&a, "tombstone-c", "Delete", tombstone);
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(b.store.post_by_ap_id(&url).await.expect("q").is_some());
}

async fn forged_account_deletion_is_dropped(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&c, &b).await;
    let was = before(&b).await;
    // "charlie deletes itself", signed by alpha's key under charlie's key id.
    let body = bytes(json!({
        "id": format!("{}/activities/goodbye", c.base), "type": "Delete",
        "actor": c.actor, "object": c.actor, "to": [PUBLIC],
    }));
    let mut forgery = Forgery::new(&c, &b, body);
    forgery.key_id = format!("{}#main-key", c.actor);
    let (status, err) = forgery.send(&b, &private_key(&a).await).await;
    // A deletion that cannot be verified is acknowledged and dropped, never applied.
    assert_eq!(status, 202, "{err}");
    unchanged(&b, &was).await;
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &c.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
}

async fn undo_of_someone_elses_follow(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&c, &b).await;
    let follow_of_c = follow_id(&b, Direction::Followers, &c.actor).await;
    let was = before(&b).await;
    let body = activity(&a, "undo-c", "Undo", json!(follow_of_c));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &c.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
}

async fn undo_with_embedded_follow_of_another_actor(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&c, &b).await;
    let follow_of_c = follow_id(&b, Direction::Followers, &c.actor).await;
    let was = before(&b).await;
    let inner = json!({ "id": follow_of_c, "type": "Follow", "actor": c.actor, "object": b.actor });
    let body = activity(&a, "undo-embedded", "Undo", inner);
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &c.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
}

async fn accept_of_a_follow_sent_to_someone_else(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let (status, _) = c
        .api(
            "PATCH",
            "/api/v1/organisation",
            Some(json!({ "manual_approval": true })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = b
        .api(
            "POST",
            "/api/v1/following",
            Some(json!({ "handle": c.account() })),
        )
        .await;
    assert_eq!(status, 202);
    eventually(10, "charlie holds the request", || async {
        let state = follow_state(&c, "/api/v1/followers", &b.actor).await;
        (state.as_deref() == Some("pending")).then_some(())
    })
    .await;
    let follow_of_c = follow_id(&b, Direction::Following, &c.actor).await;
    let was = before(&b).await;
    let body = activity(&a, "accept-for-c", "Accept", json!(follow_of_c));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert_eq!(
        follow_state(&b, "/api/v1/following", &c.actor)
            .await
            .as_deref(),
        Some("pending")
    );
}

async fn reject_of_a_follow_by_a_stranger(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&b, &c).await;
    let follow_of_c = follow_id(&b, Direction::Following, &c.actor).await;
    let was = before(&b).await;
    let body = activity(&a, "reject-for-c", "Reject", json!(follow_of_c));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert_eq!(
        follow_state(&b, "/api/v1/following", &c.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
}

async fn update_of_the_follower_list_by_a_stranger(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&c, &b).await;
    let was = before(&b).await;
    let list = json!({
        "id": format!("{}/followers", b.actor), "type": "OrderedCollection",
        "totalItems": 1, "orderedItems": [a.actor],
    });
    let body = activity(&a, "rewrite-followers", "Update", list);
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(follow_state(&b, "/api/v1/followers", &a.actor)
        .await
        .is_none());
}

async fn add_to_the_follower_list_by_a_stranger(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = bytes(json!({
        "@context": AS, "id": format!("{}/activities/add-self", a.base), "type": "Add",
        "actor": a.actor, "object": a.actor, "target": format!("{}/followers", b.actor),
    }));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    assert!(follow_state(&b, "/api/v1/followers", &a.actor)
        .await
        .is_none());
}

async fn follow_of_an_actor_on_another_server(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let was = before(&b).await;
    let was_c = before(&c).await;
    let body = activity(&a, "follow-c-via-b", "Follow", json!(c.actor));
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    unchanged(&c, &was_c).await;
}

async fn follow_of_an_unknown_local_organisation(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = activity(
        &a,
        "follow-nobody",
        "Follow",
        json!(format!("{}/o/nobody", b.base)),
    );
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
}

async fn update_of_another_actors_profile(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&b, &c).await;
    let known = b
        .store
        .remote_actor_by_ap_id(&c.actor)
        .await
        .expect("q")
        .expect("known");
    let was = before(&b).await;
    let profile = json!({
        "id": c.actor, "type": "Organization", "preferredUsername": "charlie",
        "name": "Hijacked", "inbox": format!("{}/inbox", a.base),
    });
    let body = activity(&a, "hijack", "Update", profile);
    let (status, _) = signed_post(&a, &b, &body, None).await;
    processed_without_effect(&b, &was, status).await;
    let now = b
        .store
        .remote_actor_by_ap_id(&c.actor)
        .await
        .expect("q")
        .expect("known");
    assert_eq!(
        (now.name, now.inbox, now.fetched_at),
        (known.name, known.inbox, known.fetched_at)
    );
}
