//! A stored key that fails is fetched again only when it is old (issue 10): a signature that
//! does not verify with a copy of the actor fetched less than an hour ago is refused without
//! fetching anything, so forged signatures cannot make this node hammer the claimed signer's
//! server; an older copy is fetched once, so an actor that rotated its key is accepted. A copy
//! over a day old is fetched before its key is used at all.
//!
//! The remote actor is a stand-in server on 127.0.0.1 that counts every fetch; the age of the
//! receiving node's copy is set in its database (no sleeping).

mod common;

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Router};
use common::{age_remote_actor, send, tempdir, Backend, TestNode};
use gotong::domain::organisations::generate_key_pair;
use gotong::federation::signatures::sign_request;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

on_both_databases!(a_failing_key_is_fetched_again_only_when_the_copy_is_an_hour_old);

const HOUR_MS: i64 = 3600 * 1000;

#[derive(Clone, Default)]
struct Served {
    public_key_pem: Arc<Mutex<String>>,
    fetches: Arc<AtomicUsize>,
    base: Arc<Mutex<String>>,
}

/// A remote actor at `{base}/actors/remote`, whose key the test changes at will.
struct FakeActor {
    served: Served,
    id: String,
    task: tokio::task::JoinHandle<()>,
}

async fn actor_document(State(served): State<Served>) -> impl IntoResponse {
    served.fetches.fetch_add(1, Ordering::SeqCst);
    let id = format!("{}/actors/remote", served.base.lock().expect("base"));
    let pem = served.public_key_pem.lock().expect("key").clone();
    let doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": "remote",
        "inbox": format!("{id}/inbox"),
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pem },
    });
    (
        [(header::CONTENT_TYPE, gotong::web::ACTIVITY_JSON)],
        doc.to_string(),
    )
}

impl FakeActor {
    async fn start(public_key_pem: &str) -> FakeActor {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!(
            "http://localhost:{}",
            listener.local_addr().expect("addr").port()
        );
        let served = Served::default();
        *served.base.lock().expect("base") = base.clone();
        *served.public_key_pem.lock().expect("key") = public_key_pem.to_string();
        let app = Router::new()
            .route("/actors/remote", get(actor_document))
            .with_state(served.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeActor {
            served,
            id: format!("{base}/actors/remote"),
            task,
        }
    }

    fn serve_key(&self, public_key_pem: &str) {
        *self.served.public_key_pem.lock().expect("key") = public_key_pem.to_string();
    }

    fn fetches(&self) -> usize {
        self.served.fetches.load(Ordering::SeqCst)
    }
}

impl Drop for FakeActor {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Like of `to` by the fake actor, signed with `private_key_pem` under its key id.
async fn like(fake: &FakeActor, to: &TestNode, n: usize, private_key_pem: &str) -> (u16, Value) {
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/likes/{n}", fake.id), "type": "Like",
        "actor": fake.id, "object": to.actor,
    }))
    .expect("json");
    let inbox = url::Url::parse(&format!("{}/inbox", to.base)).expect("url");
    let key_id = format!("{}#main-key", fake.id);
    let headers =
        sign_request("POST", &inbox, Some(&body), None, &key_id, private_key_pem).expect("sign");
    let request = reqwest::Client::new().post(inbox).headers(headers);
    send(request.body(body)).await
}

fn refused_401(answer: (u16, Value), says: &str) {
    let (status, body) = answer;
    let error = body["error"].as_str().unwrap_or_default();
    assert_eq!(status, 401, "{body}");
    assert!(error.contains(says), "error {error:?} should say {says:?}");
}

async fn stored_key(node: &TestNode, ap_id: &str) -> String {
    let row = node
        .store
        .remote_actor_by_ap_id(ap_id)
        .await
        .expect("query");
    row.expect("the actor is stored").public_key_pem
}

async fn a_failing_key_is_fetched_again_only_when_the_copy_is_an_hour_old(backend: Backend) {
    let dir = tempdir();
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let keys: Vec<(String, String)> = (0..3).map(|_| generate_key_pair().expect("keys")).collect();
    let fake = FakeActor::start(&keys[0].0).await;

    // First contact: the actor is fetched once and the signature verifies.
    let (status, body) = like(&fake, &b, 1, &keys[0].1).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(fake.fetches(), 1);

    // The actor replaces its key; bravo's copy is minutes old: refused, nothing fetched,
    // however many requests come.
    fake.serve_key(&keys[1].0);
    for n in 2..6 {
        refused_401(
            like(&fake, &b, n, &keys[1].1).await,
            "less than an hour ago",
        );
    }
    assert_eq!(fake.fetches(), 1, "a fresh copy is not fetched again");
    assert_eq!(stored_key(&b, &fake.id).await, keys[0].0);

    // The same signature once bravo's copy is over an hour old: fetched once, accepted.
    age_remote_actor(&b, &fake.id, HOUR_MS + 60_000).await;
    let (status, body) = like(&fake, &b, 6, &keys[1].1).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(fake.fetches(), 2, "fetched exactly once more");
    assert_eq!(stored_key(&b, &fake.id).await, keys[1].0);

    // A forger with a key the actor never had: with an old copy, one fetch and a refusal;
    // right after, the copy is fresh and nothing more is fetched.
    age_remote_actor(&b, &fake.id, HOUR_MS + 60_000).await;
    refused_401(like(&fake, &b, 7, &keys[2].1).await, "does not verify");
    assert_eq!(fake.fetches(), 3);
    refused_401(
        like(&fake, &b, 8, &keys[2].1).await,
        "less than an hour ago",
    );
    assert_eq!(fake.fetches(), 3);

    // A copy over a day old is fetched before use: a key the actor has since replaced (after
    // a leak, say) stops verifying, with one fetch.
    fake.serve_key(&keys[0].0);
    age_remote_actor(&b, &fake.id, 25 * HOUR_MS).await;
    refused_401(like(&fake, &b, 9, &keys[1].1).await, "does not verify");
    assert_eq!(fake.fetches(), 4);
    assert_eq!(stored_key(&b, &fake.id).await, keys[0].0);
    let (status, body) = like(&fake, &b, 10, &keys[0].1).await;
    assert_eq!(
        status, 202,
        "the current key verifies without a fetch: {body}"
    );
    assert_eq!(fake.fetches(), 4);
}
