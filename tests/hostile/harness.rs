//! Helpers of the hostile-input tests: activities, keys, snapshots of what a node holds,
//! refusal checks, signed posting and a stand-in remote server.

use crate::common::{eventually, publish, send, tempdir};
use crate::common::{Backend, TestNode};
use gotong::db::actors::Direction;
use gotong::db::{NewRemoteActor, OrganisationRow};
use gotong::federation::signatures::sign_request;
use gotong::web::ACTIVITY_JSON;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(crate) const AS: &str = "https://www.w3.org/ns/activitystreams";
pub(crate) const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub(crate) fn bytes(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("json")
}

/// An activity of `from`'s organisation with an id on its own server.
pub(crate) fn activity(from: &TestNode, name: &str, kind: &str, object: Value) -> Vec<u8> {
    bytes(json!({
        "@context": AS,
        "id": format!("{}/activities/{name}", from.base),
        "type": kind,
        "actor": from.actor,
        "object": object,
    }))
}

pub(crate) async fn org(node: &TestNode) -> OrganisationRow {
    node.store
        .organisation_by_handle(&node.handle)
        .await
        .expect("query")
        .expect("organisation")
}

pub(crate) async fn private_key(node: &TestNode) -> String {
    node.private_key().await
}

/// Test keys, made once per test binary (key generation is slow).
pub(crate) fn keys(n: usize) -> &'static (String, String) {
    static KEYS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    &KEYS.get_or_init(|| {
        (0..2)
            .map(|_| gotong::domain::organisations::generate_key_pair().expect("keys"))
            .collect()
    })[n]
}

/// Everything an inbox activity could change on a node, besides the inbox log itself.
#[derive(Debug, PartialEq)]
pub(crate) struct State {
    pub(crate) followers: Vec<String>,
    pub(crate) following: Vec<String>,
    pub(crate) posts: Vec<String>,
    pub(crate) feed: Vec<String>,
    pub(crate) referrals: Vec<String>,
}

pub(crate) async fn state(node: &TestNode) -> State {
    let org = org(node).await;
    let store = &node.store;
    let follows = |rows: Vec<gotong::db::FollowRow>| {
        let mut list: Vec<String> = rows
            .into_iter()
            .map(|f| format!("{} {} {}", f.actor_ap_id, f.follow_ap_id, f.state))
            .collect();
        list.sort();
        list
    };
    let posts = |rows: Vec<gotong::db::PostRow>| {
        let mut list: Vec<String> = rows
            .into_iter()
            .map(|p| {
                format!(
                    "{} {} {:?} {:?} {:?} {:?}",
                    p.ap_id, p.author_ap_id, p.name, p.content, p.updated_at, p.deleted_at
                )
            })
            .collect();
        list.sort();
        list
    };
    State {
        followers: follows(
            store
                .list_follows(Direction::Followers, org.id)
                .await
                .expect("q"),
        ),
        following: follows(
            store
                .list_follows(Direction::Following, org.id)
                .await
                .expect("q"),
        ),
        posts: posts(
            store
                .organisation_posts(org.id, None, false, None, 1000)
                .await
                .expect("q"),
        ),
        feed: posts(store.home_feed(org.id, None, 1000).await.expect("q")),
        referrals: store
            .list_referrals(org.id, None)
            .await
            .expect("q")
            .into_iter()
            .map(|r| format!("{} {} {}", r.ap_id, r.status, r.updated_at))
            .collect(),
    }
}

pub(crate) struct Before {
    pub(crate) inbox: i64,
    pub(crate) state: State,
}

pub(crate) async fn settle(node: &TestNode) {
    eventually(20, "the inbox is processed", || async {
        let pending = node.store.pending_inbox_activities(10).await.expect("q");
        pending.is_empty().then_some(())
    })
    .await;
}

/// The node's state once whatever it was doing is done.
pub(crate) async fn before(node: &TestNode) -> Before {
    settle(node).await;
    Before {
        inbox: node.store.count_inbox_activities().await.expect("count"),
        state: state(node).await,
    }
}

/// Refused with `expected` and a JSON error that says `says`.
#[track_caller]
pub(crate) fn refused(status: u16, body: &Value, expected: u16, says: &str) {
    assert_eq!(status, expected, "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(
        error.to_lowercase().contains(&says.to_lowercase()),
        "the error {error:?} should say {says:?}"
    );
}

/// Refused at the door: nothing stored, nothing changed.
pub(crate) async fn unchanged(node: &TestNode, before: &Before) {
    assert_eq!(
        node.store.count_inbox_activities().await.expect("count"),
        before.inbox,
        "nothing may be stored from a refused request"
    );
    assert_eq!(state(node).await, before.state);
}

/// Acknowledged (202), stored once, refused while processed: nothing else changed.
pub(crate) async fn processed_without_effect(node: &TestNode, before: &Before, status: u16) {
    assert_eq!(status, 202);
    settle(node).await;
    assert_eq!(
        node.store.count_inbox_activities().await.expect("count"),
        before.inbox + 1
    );
    assert_eq!(state(node).await, before.state);
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = if key.len() > 64 {
        Sha256::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    block.resize(64, 0);
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// Posts `body` to `to`'s shared inbox signed with `pem` under `key_id`.
pub(crate) async fn post_as(key_id: &str, pem: &str, to: &TestNode, body: &[u8]) -> (u16, Value) {
    let url = url::Url::parse(&format!("{}/inbox", to.base)).expect("url");
    let headers = sign_request("POST", &url, Some(body), None, key_id, pem).expect("sign");
    send(
        reqwest::Client::new()
            .post(url)
            .headers(headers)
            .body(body.to_vec()),
    )
    .await
}

/// A stand-in remote server on 127.0.0.1: fixed answers by path, every TCP connection
/// counted (TLS ones too, which it cannot read) and every readable HTTP request recorded.
pub(crate) struct Fake {
    pub(crate) port: u16,
    pub(crate) base: String,
    pub(crate) log: Arc<Mutex<FakeLog>>,
    pub(crate) routes: Arc<Mutex<HashMap<String, Reply>>>,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
pub(crate) struct FakeLog {
    pub(crate) connections: usize,
    /// Method, path and body of each request.
    pub(crate) requests: Vec<(String, String, String)>,
}

#[derive(Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Fake {
    pub(crate) async fn start() -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let log: Arc<Mutex<FakeLog>> = Arc::default();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let (task_log, task_routes) = (log.clone(), routes.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                task_log.lock().expect("log").connections += 1;
                let (log, routes) = (task_log.clone(), task_routes.clone());
                tokio::spawn(async move {
                    let _ = answer(&mut stream, &log, &routes).await;
                });
            }
        });
        Fake {
            port,
            base: format!("http://localhost:{port}"),
            log,
            routes,
            task,
        }
    }

    pub(crate) fn reply(&self, path: &str, status: u16, headers: &[(&str, &str)], body: &str) {
        self.routes.lock().expect("routes").insert(
            path.to_string(),
            Reply {
                status,
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                body: body.to_string(),
            },
        );
    }

    /// Serves `doc` as an actor at the path of its `id`.
    pub(crate) fn serve_actor(&self, path: &str, doc: &Value) {
        self.reply(
            path,
            200,
            &[("content-type", ACTIVITY_JSON)],
            &doc.to_string(),
        );
    }

    pub(crate) fn connections(&self) -> usize {
        self.log.lock().expect("log").connections
    }

    pub(crate) fn requests(&self) -> Vec<(String, String, String)> {
        self.log.lock().expect("log").requests.clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) async fn answer(
    stream: &mut tokio::net::TcpStream,
    log: &Mutex<FakeLog>,
    routes: &Mutex<HashMap<String, Reply>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let read = |n: Result<std::io::Result<usize>, _>| {
        n.unwrap_or_else(|_| Err(std::io::Error::other("timed out")))
    };
    let head_end = loop {
        let n = read(tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await)?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buffer.len() > 1 << 20 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let path = request_line.next().unwrap_or_default().to_string();
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = read(tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await)?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[head_end..]).to_string();
    log.lock()
        .expect("log")
        .requests
        .push((method, path.clone(), body));
    let reply = routes
        .lock()
        .expect("routes")
        .get(&path)
        .cloned()
        .unwrap_or(Reply {
            status: 404,
            headers: vec![],
            body: String::new(),
        });
    let mut response = format!(
        "HTTP/1.1 {} Fake\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&reply.body);
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// An actor document served by `fake` at `/actors/{name}`, with key `n`.
pub(crate) fn actor_doc(fake: &Fake, name: &str, n: usize) -> Value {
    let id = format!("{}/actors/{name}", fake.base);
    json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "publicKey": {
            "id": format!("{id}#main-key"),
            "owner": id,
            "publicKeyPem": keys(n).0,
        },
    })
}

/// A Follow of `to` by the fake actor `actor_id`.
pub(crate) fn fake_follow(actor_id: &str, to: &TestNode, name: &str) -> Vec<u8> {
    let origin = url::Url::parse(actor_id).expect("url");
    bytes(json!({
        "@context": AS,
        "id": origin.join(&format!("/activities/{name}")).expect("url").to_string(),
        "type": "Follow",
        "actor": actor_id,
        "object": to.actor,
    }))
}

/// A remote follower of `node` known only from the database, with the given inboxes.
pub(crate) async fn add_follower(
    node: &TestNode,
    name: &str,
    inbox: &str,
    shared_inbox: Option<&str>,
) {
    let org = org(node).await;
    let ap_id = format!("https://remote.invalid/users/{name}");
    let key_id = format!("{ap_id}#main-key");
    let actor = node
        .store
        .upsert_remote_actor(NewRemoteActor {
            ap_id: &ap_id,
            kind: "Person",
            username: name,
            domain: "remote.invalid",
            name,
            summary: "",
            inbox,
            shared_inbox,
            outbox: None,
            followers: None,
            key_id: &key_id,
            public_key_pem: &keys(0).0,
            url: None,
            icon_url: None,
            directory: None,
        })
        .await
        .expect("actor");
    node.store
        .upsert_follow(
            Direction::Followers,
            org.id,
            actor.id,
            &format!("{ap_id}/follow"),
            gotong::domain::follows::FollowState::Accepted,
        )
        .await
        .expect("follow");
}

pub(crate) async fn follow_id(node: &TestNode, direction: Direction, actor: &str) -> String {
    let org = org(node).await;
    node.store
        .list_follows(direction, org.id)
        .await
        .expect("q")
        .into_iter()
        .find(|f| f.actor_ap_id == actor)
        .expect("follow")
        .follow_ap_id
}

/// Publishes on `author` and waits until `reader` holds the copy; its URL.
pub(crate) async fn published_to(author: &TestNode, reader: &TestNode, text: &str) -> String {
    let post = publish(author, text).await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post reaches the reader", || async {
        reader.store.post_by_ap_id(&url).await.expect("q")
    })
    .await;
    url
}

/// A Like of `to`'s actor by `from`'s organisation.
pub(crate) fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    activity(from, name, "Like", json!(to.actor))
}

/// Two fresh nodes, alpha and bravo, in a new temporary folder.
pub(crate) async fn two(backend: Backend) -> (tempfile::TempDir, TestNode, TestNode) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    (dir, a, b)
}
