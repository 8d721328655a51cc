//! Nothing accepted is lost: deliveries survive a follower being down, a restart and a crash.

mod common;

use common::{eventually, follow, tempdir, Backend, TestNode};
use serde_json::json;

on_both_databases!(
    follower_down_receives_backlog_in_order,
    crash_with_pending_deliveries_loses_nothing,
);

async fn publish_three(node: &TestNode) -> Vec<String> {
    let mut urls = Vec::new();
    for n in 1..=3 {
        let (status, post) = node
            .api(
                "POST",
                "/api/v1/updates",
                Some(json!({ "text": format!("Bulletin {n}") })),
            )
            .await;
        assert_eq!(status, 201, "{post}");
        urls.push(post["url"].as_str().expect("url").to_string());
    }
    urls
}

/// Waits until the follower holds every post, and checks they arrived in publishing order.
async fn assert_received_in_order(sender: &TestNode, follower: &TestNode, urls: &[String]) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(45);
    let mut ids = Vec::new();
    for url in urls {
        loop {
            if let Some(post) = follower.store.post_by_ap_id(url).await.expect("query") {
                ids.push(post.id);
                break;
            }
            if tokio::time::Instant::now() > deadline {
                let states = sender.store.destination_states().await.expect("query");
                panic!("backlog not delivered: {url} missing; sender's queue: {states:#?}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "posts arrived out of order");
}

async fn wait_for_failed_attempt(sender: &TestNode) {
    eventually(15, "a failed delivery attempt is recorded", || async {
        let states = sender.store.destination_states().await.expect("query");
        states
            .iter()
            .any(|d| d.pending > 0 && d.last_error.is_some())
            .then_some(())
    })
    .await;
}

async fn follower_down_receives_backlog_in_order(backend: Backend) {
    let dir = tempdir();
    let mut a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;

    a.stop(true);
    let urls = publish_three(&b).await;
    wait_for_failed_attempt(&b).await;

    a.start_again();
    assert_received_in_order(&b, &a, &urls).await;
    eventually(15, "queue drained", || async {
        let states = b.store.destination_states().await.expect("query");
        states.iter().all(|d| d.pending == 0).then_some(())
    })
    .await;
}

async fn crash_with_pending_deliveries_loses_nothing(backend: Backend) {
    let dir = tempdir();
    let mut a = TestNode::start(backend, dir.path(), "alpha").await;
    let mut b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;

    a.stop(true);
    let urls = publish_three(&b).await;
    wait_for_failed_attempt(&b).await;
    // The sender dies without any chance to clean up, while its queue is full.
    b.stop(false);
    a.start_again();
    b.start_again();
    assert_received_in_order(&b, &a, &urls).await;
}
