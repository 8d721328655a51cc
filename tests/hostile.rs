//! Hostile input at the inbox (issue 6): forged and misdirected signatures, stale and future
//! dates, identities and keys borrowed from other actors, oversized, deep and broken JSON,
//! activities on objects and relations that belong to someone else, SSRF targets and floods.
//!
//! Each case is refused with a clear status and a JSON `error`, or, when the refusal can only
//! happen while the stored activity is processed (after the 202), has no effect; and either way
//! leaves the database as it was. (tests/inbox.rs, tests/safety.rs, tests/directory.rs and
//! tests/referrals.rs hold the first hostile cases; these extend them.)
//!
//! SSRF: test nodes run in development mode, where loopback is allowed; the SSRF cases run a
//! node (or the HTTP client) with `dev = false`. Addresses other than 127.0.0.1 are only used
//! where the code refuses them before connecting; whatever might connect points at a local
//! recorder that counts every TCP connection.

mod common;

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use common::forgery::{http_date, rsa_sign, Forgery};
use common::{eventually, follow, follow_state, publish, send, signed_post, tempdir};
use common::{Backend, TestNode};
use gotong::db::actors::Direction;
use gotong::db::{NewRemoteActor, OrganisationRow};
use gotong::federation::signatures::{digest_header, sign_request};
use gotong::web::ACTIVITY_JSON;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_databases!(
    // Signatures and their headers.
    control_a_hand_made_signature_is_accepted,
    key_id_of_another_actor,
    date_thirteen_hours_old,
    date_two_hours_ahead,
    date_unreadable,
    date_missing,
    date_not_covered_by_the_signature,
    host_not_covered_by_the_signature,
    signed_for_another_host,
    signed_for_another_inbox,
    signed_as_a_get,
    digest_missing,
    digest_not_covered_by_the_signature,
    digest_of_another_algorithm,
    signature_not_base64,
    signature_truncated,
    signature_without_key_id,
    key_id_not_a_url,
    key_id_on_a_file_url,
    hmac_signature_keyed_with_the_public_key,
    signature_names_a_header_that_is_absent,
    // Bodies.
    json_nested_deeper_than_the_limit,
    json_nested_half_a_million_levels,
    huge_string_under_the_body_limit,
    huge_object_key,
    invalid_utf8_inside_a_string,
    lone_surrogate_escape,
    duplicate_actor_field,
    chunked_body_over_the_limit,
    nul_character_in_the_type,
    top_level_json_string,
    activity_id_not_a_web_url,
    activity_id_on_another_scheme,
    actor_given_as_an_embedded_object,
    // Objects and relations that belong to someone else.
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
    // Referrals, applied while the sender waits.
    referral_attributed_to_another_actor,
    referral_id_on_another_server,
    referral_addressed_publicly,
    referral_addressed_to_two_organisations,
    referral_update_of_an_unknown_referral,
    referral_offer_not_embedded,
    // Actor documents that lie.
    actor_whose_key_belongs_to_someone_else,
    actor_whose_inbox_is_on_another_host,
    actor_document_with_another_actors_id,
    delivery_redirect_is_not_followed,
    // Floods.
    unsigned_flood_is_limited,
    flood_by_one_server_spares_another,
);

/// A second list of scenarios on both databases (a test file can hold one
/// `on_both_databases!`): the cases that once showed a bug, kept to guard the fix.
macro_rules! guards_on_both_databases {
    ($($scenario:ident),* $(,)?) => {
        mod guard_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario(crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod guard_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(gotong_no_test_postgres, ignore = "needs GOTONG_TEST_POSTGRES_URL")]
                async fn $scenario() {
                    super::$scenario(crate::common::Backend::Postgres).await;
                }
            )*
        }
    };
}

guards_on_both_databases!(
    key_id_of_the_receiving_organisation,
    actor_claiming_another_actors_key_id,
    shared_inbox_on_another_host_is_not_used,
    flood_rotating_key_hosts_is_limited,
);

// ---------------------------------------------------------------------------------------------
// Helpers

const AS: &str = "https://www.w3.org/ns/activitystreams";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn bytes(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("json")
}

/// An activity of `from`'s organisation with an id on its own server.
fn activity(from: &TestNode, name: &str, kind: &str, object: Value) -> Vec<u8> {
    bytes(json!({
        "@context": AS,
        "id": format!("{}/activities/{name}", from.base),
        "type": kind,
        "actor": from.actor,
        "object": object,
    }))
}

async fn org(node: &TestNode) -> OrganisationRow {
    node.store
        .organisation_by_handle(&node.handle)
        .await
        .expect("query")
        .expect("organisation")
}

async fn private_key(node: &TestNode) -> String {
    node.private_key().await
}

/// Test keys, made once per test binary (key generation is slow).
fn keys(n: usize) -> &'static (String, String) {
    static KEYS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    &KEYS.get_or_init(|| {
        (0..2)
            .map(|_| gotong::domain::organisations::generate_key_pair().expect("keys"))
            .collect()
    })[n]
}

/// Everything an inbox activity could change on a node, besides the inbox log itself.
#[derive(Debug, PartialEq)]
struct State {
    followers: Vec<String>,
    following: Vec<String>,
    posts: Vec<String>,
    feed: Vec<String>,
    referrals: Vec<String>,
}

async fn state(node: &TestNode) -> State {
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

struct Before {
    inbox: i64,
    state: State,
}

async fn settle(node: &TestNode) {
    eventually(20, "the inbox is processed", || async {
        let pending = node.store.pending_inbox_activities(10).await.expect("q");
        pending.is_empty().then_some(())
    })
    .await;
}

/// The node's state once whatever it was doing is done.
async fn before(node: &TestNode) -> Before {
    settle(node).await;
    Before {
        inbox: node.store.count_inbox_activities().await.expect("count"),
        state: state(node).await,
    }
}

/// Refused with `expected` and a JSON error that says `says`.
#[track_caller]
fn refused(status: u16, body: &Value, expected: u16, says: &str) {
    assert_eq!(status, expected, "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(
        error.to_lowercase().contains(&says.to_lowercase()),
        "the error {error:?} should say {says:?}"
    );
}

/// Refused at the door: nothing stored, nothing changed.
async fn unchanged(node: &TestNode, before: &Before) {
    assert_eq!(
        node.store.count_inbox_activities().await.expect("count"),
        before.inbox,
        "nothing may be stored from a refused request"
    );
    assert_eq!(state(node).await, before.state);
}

/// Acknowledged (202), stored once, refused while processed: nothing else changed.
async fn processed_without_effect(node: &TestNode, before: &Before, status: u16) {
    assert_eq!(status, 202);
    settle(node).await;
    assert_eq!(
        node.store.count_inbox_activities().await.expect("count"),
        before.inbox + 1
    );
    assert_eq!(state(node).await, before.state);
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
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
async fn post_as(key_id: &str, pem: &str, to: &TestNode, body: &[u8]) -> (u16, Value) {
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
struct Fake {
    port: u16,
    base: String,
    log: Arc<Mutex<FakeLog>>,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct FakeLog {
    connections: usize,
    /// Method, path and body of each request.
    requests: Vec<(String, String, String)>,
}

#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Fake {
    async fn start() -> Fake {
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

    fn reply(&self, path: &str, status: u16, headers: &[(&str, &str)], body: &str) {
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
    fn serve_actor(&self, path: &str, doc: &Value) {
        self.reply(
            path,
            200,
            &[("content-type", ACTIVITY_JSON)],
            &doc.to_string(),
        );
    }

    fn connections(&self) -> usize {
        self.log.lock().expect("log").connections
    }

    fn requests(&self) -> Vec<(String, String, String)> {
        self.log.lock().expect("log").requests.clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
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
fn actor_doc(fake: &Fake, name: &str, n: usize) -> Value {
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
fn fake_follow(actor_id: &str, to: &TestNode, name: &str) -> Vec<u8> {
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
async fn add_follower(node: &TestNode, name: &str, inbox: &str, shared_inbox: Option<&str>) {
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
            "accepted",
        )
        .await
        .expect("follow");
}

async fn follow_id(node: &TestNode, direction: Direction, actor: &str) -> String {
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
async fn published_to(author: &TestNode, reader: &TestNode, text: &str) -> String {
    let post = publish(author, text).await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post reaches the reader", || async {
        reader.store.post_by_ap_id(&url).await.expect("q")
    })
    .await;
    url
}

// ---------------------------------------------------------------------------------------------
// Signatures and their headers

fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    activity(from, name, "Like", json!(to.actor))
}

async fn two(backend: Backend) -> (tempfile::TempDir, TestNode, TestNode) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    (dir, a, b)
}

/// Sends `forgery` as `a` to `b` and checks it is refused with 401 saying `says`.
async fn refused_401(a: &TestNode, b: &TestNode, forgery: Forgery, says: &str) {
    let was = before(b).await;
    let (status, err) = forgery.send(b, &private_key(a).await).await;
    refused(status, &err, 401, says);
    unchanged(b, &was).await;
}

async fn control_a_hand_made_signature_is_accepted(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let forgery = Forgery::new(&a, &b, like(&a, &b, "control"));
    let (status, body) = forgery.send(&b, &private_key(&a).await).await;
    assert_eq!(
        status, 202,
        "the forger must be right when nothing is forged: {body}"
    );
}

async fn key_id_of_another_actor(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "borrowed-key"));
    forgery.key_id = format!("{}#main-key", c.actor);
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn key_id_of_the_receiving_organisation(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "own-key"));
    forgery.key_id = format!("{}#main-key", b.actor);
    refused_401(&a, &b, forgery, "signature").await;
}

async fn date_thirteen_hours_old(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "stale"));
    forgery.date = Some(http_date(-13 * 3600));
    refused_401(&a, &b, forgery, "too old or dated in the future").await;
}

async fn date_two_hours_ahead(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "future"));
    forgery.date = Some(http_date(2 * 3600));
    refused_401(&a, &b, forgery, "too old or dated in the future").await;
}

async fn date_unreadable(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "bad-date"));
    forgery.date = Some("yesterday at noon".into());
    refused_401(&a, &b, forgery, "unreadable Date header").await;
}

async fn date_missing(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-date"));
    forgery.date = None;
    forgery.covered.retain(|h| *h != "date");
    refused_401(&a, &b, forgery, "missing Date header").await;
}

async fn date_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "date-unsigned"));
    forgery.covered.retain(|h| *h != "date");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn host_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "host-unsigned"));
    forgery.covered.retain(|h| *h != "host");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn signed_for_another_host(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "other-host"));
    // A request really signed for another server, replayed here.
    forgery.host = "gotong.example".into();
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signed_for_another_inbox(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "other-path"));
    forgery.signed_path = "/o/charlie/inbox".into();
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signed_as_a_get(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "get"));
    forgery.signed_method = "get";
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn digest_missing(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-digest"));
    forgery.digest = None;
    forgery.covered.retain(|h| *h != "digest");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn digest_not_covered_by_the_signature(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "digest-unsigned"));
    // The digest matches the body, but nothing ties it to the signature: body and digest
    // could both have been swapped on the way.
    forgery.covered.retain(|h| *h != "digest");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn digest_of_another_algorithm(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "sha512"));
    forgery.digest = Some(format!(
        "SHA-512={}",
        B64.encode(sha2::Sha512::digest(&forgery.body))
    ));
    refused_401(&a, &b, forgery, "body digest does not match").await;
}

async fn signature_not_base64(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "not-base64"));
    forgery.signature = Some("!!not*base64!!".into());
    refused_401(&a, &b, forgery, "signature is not base64").await;
}

async fn signature_truncated(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "truncated"));
    let full = rsa_sign(&private_key(&a).await, &forgery.signing_string());
    forgery.signature = Some(B64.encode(&B64.decode(full).expect("b64")[..128]));
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signature_without_key_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "no-key-id"));
    let signature = rsa_sign(&private_key(&a).await, &forgery.signing_string());
    forgery.header = Some(format!(
        r#"algorithm="hs2019",headers="{}",signature="{signature}""#,
        forgery.covered.join(" ")
    ));
    refused_401(&a, &b, forgery, "malformed signature").await;
}

async fn key_id_not_a_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "key-id-not-url"));
    forgery.key_id = "main-key".into();
    refused_401(&a, &b, forgery, "keyId is not a URL").await;
}

async fn key_id_on_a_file_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "file-key"));
    forgery.key_id = "file:///etc/passwd#main-key".into();
    let (status, err) = forgery.send(&b, &private_key(&a).await).await;
    refused(status, &err, 403, "does not federate");
    unchanged(&b, &was).await;
}

async fn hmac_signature_keyed_with_the_public_key(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "hmac"));
    // Algorithm confusion: an HMAC whose secret is the actor's public key, which anyone has.
    forgery.algorithm = "hmac-sha256";
    let public = org(&a).await.public_key_pem;
    let mac = hmac_sha256(public.as_bytes(), forgery.signing_string().as_bytes());
    forgery.signature = Some(B64.encode(mac));
    refused_401(&a, &b, forgery, "does not verify").await;
}

async fn signature_names_a_header_that_is_absent(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut forgery = Forgery::new(&a, &b, like(&a, &b, "absent-header"));
    forgery.covered.push("x-not-sent");
    refused_401(&a, &b, forgery, "malformed signature").await;
}

// ---------------------------------------------------------------------------------------------
// Bodies

/// Signs `body` as `a` to `b` and checks it is refused with 400 saying `says`.
async fn refused_400(a: &TestNode, b: &TestNode, body: &[u8], says: &str) {
    let was = before(b).await;
    let (status, err) = signed_post(a, b, body, None).await;
    refused(status, &err, 400, says);
    unchanged(b, &was).await;
}

fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

async fn json_nested_deeper_than_the_limit(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let depth = gotong::federation::inbox::MAX_JSON_DEPTH;
    let body = format!(
        r#"{{"id":"{}/activities/deep","type":"Like","actor":"{}","object":"{}","tag":{}}}"#,
        a.base,
        a.actor,
        b.actor,
        nested(depth) // one level more than the limit, with the enclosing object
    );
    refused_400(&a, &b, body.as_bytes(), "nested deeper").await;
}

async fn json_nested_half_a_million_levels(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = "[".repeat(500_000);
    let started = std::time::Instant::now();
    refused_400(&a, &b, body.as_bytes(), "nested deeper").await;
    assert!(started.elapsed() < Duration::from_secs(10));
}

async fn huge_string_under_the_body_limit(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut like = serde_json::from_slice::<Value>(&like(&a, &b, "huge")).expect("json");
    like["content"] = json!("x".repeat(300 * 1024));
    refused_400(&a, &b, &bytes(like), "longer than").await;
}

async fn huge_object_key(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = format!(
        r#"{{"id":"{}/activities/key","type":"Like","actor":"{}","object":"{}","{}":1}}"#,
        a.base,
        a.actor,
        b.actor,
        "k".repeat(gotong::federation::inbox::MAX_JSON_STRING + 1)
    );
    refused_400(&a, &b, body.as_bytes(), "longer than").await;
}

async fn invalid_utf8_inside_a_string(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut body = format!(
        r#"{{"id":"{}/activities/utf8","type":"Like","actor":"{}","object":"{}","content":""#,
        a.base, a.actor, b.actor
    )
    .into_bytes();
    body.extend_from_slice(b"caf\xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80\"}");
    refused_400(&a, &b, &body, "not an ActivityPub activity").await;
}

async fn lone_surrogate_escape(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = format!(
        r#"{{"id":"{}/activities/surrogate","type":"Like","actor":"{}","object":"{}","content":"\ud800"}}"#,
        a.base, a.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "not an ActivityPub activity").await;
}

async fn duplicate_actor_field(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    // Parsers that keep the first or the last value would disagree on who acts.
    let body = format!(
        r#"{{"id":"{}/activities/dup","type":"Follow","actor":"{}","actor":"{}","object":"{}"}}"#,
        a.base, a.actor, c.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "duplicate field").await;
}

async fn chunked_body_over_the_limit(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let was = before(&b).await;
    // No Content-Length: the size is only known while reading.
    let stream = tokio::net::TcpStream::connect(b.addr)
        .await
        .expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    // The answer is read as soon as it comes, before the server closes on the unread rest.
    let answer = tokio::spawn(async move {
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, reader.read(&mut chunk)).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        answer
    });
    let head = format!(
        "POST /inbox HTTP/1.1\r\nhost: {}\r\ncontent-type: {ACTIVITY_JSON}\r\ntransfer-encoding: chunked\r\n\r\n",
        b.domain
    );
    writer.write_all(head.as_bytes()).await.expect("write");
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    for _ in 0..32 {
        if answer.is_finished() || writer.write_all(chunk.as_bytes()).await.is_err() {
            break; // the server answered and closed early
        }
    }
    let _ = writer.write_all(b"0\r\n\r\n").await;
    let answer = answer.await.expect("reader");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json = json.find('{').map(|i| &json[i..]).unwrap_or_default();
    let json = json.rfind('}').map(|i| &json[..=i]).unwrap_or_default();
    let err: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    refused(413, &err, 413, "larger than");
    unchanged(&b, &was).await;
}

async fn nul_character_in_the_type(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    // PostgreSQL text cannot hold NUL: this was a 500 there.
    let body = format!(
        r#"{{"id":"{}/activities/nul","type":"Like\u0000","actor":"{}","object":"{}"}}"#,
        a.base, a.actor, b.actor
    );
    refused_400(&a, &b, body.as_bytes(), "NUL").await;
}

async fn top_level_json_string(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    refused_400(&a, &b, br#""Follow""#, "not an ActivityPub activity").await;
}

async fn activity_id_not_a_web_url(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = bytes(json!({
        "id": "urn:uuid:2f1b6d8e-4b0e-4d4e-9a53-0c4b1b5e2f10", "type": "Follow",
        "actor": a.actor, "object": b.actor,
    }));
    let (status, err) = signed_post(&a, &b, &body, None).await;
    refused(status, &err, 403, "different servers");
    unchanged(&b, &was).await;
}

async fn activity_id_on_another_scheme(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let was = before(&b).await;
    let body = bytes(json!({
        "id": format!("{}/activities/tls", a.base.replacen("http://", "https://", 1)),
        "type": "Follow", "actor": a.actor, "object": b.actor,
    }));
    let (status, err) = signed_post(&a, &b, &body, None).await;
    refused(status, &err, 403, "different servers");
    unchanged(&b, &was).await;
}

async fn actor_given_as_an_embedded_object(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = bytes(json!({
        "id": format!("{}/activities/embedded-actor", a.base), "type": "Follow",
        "actor": { "id": a.actor, "type": "Organization" }, "object": b.actor,
    }));
    refused_400(&a, &b, &body, "not an ActivityPub activity").await;
}

// ---------------------------------------------------------------------------------------------
// Objects and relations that belong to someone else

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

// ---------------------------------------------------------------------------------------------
// Referrals: applied while the sender waits, so refused with a status

fn referral(from: &TestNode, n: u32, attributed_to: &str, to: Vec<&str>) -> Value {
    json!({
        "type": "Referral", "id": format!("{}/referrals/hostile-{n}", from.base),
        "attributedTo": attributed_to, "to": to, "status": "sent", "urgency": "urgent",
        "needs": "Legal advice on unpaid wages",
        "consent": { "given": true, "givenBy": "the person", "givenAt": 1_763_000_000_000i64,
                     "scope": "needs only" },
    })
}

fn offer(from: &TestNode, n: u32, object: Value, audience: Value) -> Vec<u8> {
    bytes(json!({
        "@context": AS, "id": format!("{}/activities/offer-{n}", from.base), "type": "Offer",
        "actor": from.actor, "to": audience, "object": object,
    }))
}

async fn refused_referral(a: &TestNode, b: &TestNode, body: &[u8], status: u16, says: &str) {
    let was = before(b).await;
    let (code, err) = signed_post(a, b, body, None).await;
    refused(code, &err, status, says);
    unchanged(b, &was).await;
}

async fn referral_attributed_to_another_actor(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let object = referral(&a, 1, &c.actor, vec![&b.actor]);
    let body = offer(&a, 1, object, json!([b.actor]));
    refused_referral(&a, &b, &body, 403, "must come from its author").await;
}

async fn referral_id_on_another_server(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut object = referral(&a, 2, &a.actor, vec![&b.actor]);
    object["id"] = json!(format!("{}/referrals/hostile-2", c.base));
    let body = offer(&a, 2, object, json!([b.actor]));
    refused_referral(&a, &b, &body, 403, "must come from its author").await;
}

async fn referral_addressed_publicly(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let object = referral(&a, 3, &a.actor, vec![&b.actor]);
    let body = offer(&a, 3, object, json!([b.actor, PUBLIC]));
    refused_referral(&a, &b, &body, 400, "privately").await;
}

async fn referral_addressed_to_two_organisations(backend: Backend) {
    let (dir, a, b) = two(backend).await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let object = referral(&a, 4, &a.actor, vec![&b.actor, &c.actor]);
    let body = offer(&a, 4, object, json!([b.actor, c.actor]));
    refused_referral(&a, &b, &body, 400, "exactly one organisation").await;
}

async fn referral_update_of_an_unknown_referral(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let mut object = referral(&a, 5, &a.actor, vec![&b.actor]);
    object["status"] = json!("accepted");
    let body = activity(&a, "update-unknown-referral", "Update", object);
    refused_referral(&a, &b, &body, 404, "referral not found").await;
}

async fn referral_offer_not_embedded(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let body = offer(
        &a,
        6,
        json!(format!("{}/referrals/hostile-6", a.base)),
        json!([b.actor]),
    );
    refused_referral(&a, &b, &body, 400, "must be embedded").await;
}

// ---------------------------------------------------------------------------------------------
// Actor documents that lie (served by a fake server)

async fn actor_whose_key_belongs_to_someone_else(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["publicKey"]["owner"] = json!(a.actor);
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f1");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    refused(status, &err, 403, "public key belongs to someone else");
    unchanged(&b, &was).await;
    assert!(b
        .store
        .remote_actor_by_ap_id(id)
        .await
        .expect("q")
        .is_none());
}

async fn actor_whose_inbox_is_on_another_host(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["inbox"] = json!(format!("http://localhost:{}/inbox", recorder.port));
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f2");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    refused(status, &err, 403, "inbox is on another host");
    unchanged(&b, &was).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recorder.connections(), 0, "nothing is sent to that inbox");
}

async fn actor_document_with_another_actors_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    // Served at the fake's URL, the document claims to be alpha.
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["id"] = json!(a.actor);
    doc["publicKey"]["owner"] = json!(a.actor);
    fake.serve_actor("/actors/mallory", &doc);
    let id = format!("{}/actors/mallory", fake.base);
    let was = before(&b).await;
    let body = fake_follow(&id, &b, "f3");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    assert!((400..500).contains(&status), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
    unchanged(&b, &was).await;
    if let Some(known) = b.store.remote_actor_by_ap_id(&a.actor).await.expect("q") {
        assert_eq!(
            known.public_key_pem,
            org(&a).await.public_key_pem,
            "alpha's key is not replaced by mallory's"
        );
    }
}

async fn actor_claiming_another_actors_key_id(backend: Backend) {
    let (_dir, a, b) = two(backend).await;
    let fake = Fake::start().await;
    // Mallory publishes alpha's key id with its own key.
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["publicKey"]["id"] = json!(format!("{}#main-key", a.actor));
    fake.serve_actor("/actors/mallory", &doc);
    let id = doc["id"].as_str().expect("id");
    let was = before(&b).await;
    let body = fake_follow(id, &b, "f4");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    assert!(matches!(status, 401 | 403), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
    unchanged(&b, &was).await;
    // Alpha, who owns that key id, must still be heard.
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "after-squat"), None).await;
    assert_eq!(
        status, 202,
        "another actor's claim on alpha's key id locks alpha out: {err}"
    );
}

async fn shared_inbox_on_another_host_is_not_used(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let mut doc = actor_doc(&fake, "mallory", 0);
    doc["endpoints"] =
        json!({ "sharedInbox": format!("http://localhost:{}/inbox", recorder.port) });
    fake.serve_actor("/actors/mallory", &doc);
    fake.reply("/actors/mallory/inbox", 202, &[], "");
    let id = doc["id"].as_str().expect("id");
    let body = fake_follow(id, &b, "f5");
    let (status, err) = post_as(&format!("{id}#main-key"), &keys(0).1, &b, &body).await;
    if status != 202 {
        // Refusing such an actor altogether is as good.
        assert!((400..500).contains(&status), "{status} {err}");
        assert_eq!(recorder.connections(), 0);
        return;
    }
    eventually(10, "mallory follows bravo", || async {
        let state = follow_state(&b, "/api/v1/followers", id).await;
        (state.as_deref() == Some("accepted")).then_some(())
    })
    .await;
    publish(&b, "For our followers").await;
    eventually(10, "the post is delivered somewhere", || async {
        let states = b.store.destination_states().await.expect("q");
        // The Accept and the post, wherever they went.
        let attempts: i64 = states.iter().map(|d| d.delivered + d.failed).sum();
        (attempts >= 2).then_some(())
    })
    .await;
    assert_eq!(
        recorder.connections(),
        0,
        "a shared inbox on another host than the actor must not receive its deliveries"
    );
}

async fn delivery_redirect_is_not_followed(backend: Backend) {
    let (_dir, _a, b) = two(backend).await;
    let fake = Fake::start().await;
    let recorder = Fake::start().await;
    let target = format!("http://localhost:{}/inbox", recorder.port);
    fake.reply("/inbox", 307, &[("location", &target)], "");
    add_follower(&b, "redirector", &format!("{}/inbox", fake.base), None).await;
    publish(&b, "Redirect me").await;
    eventually(10, "the delivery is attempted", || async {
        fake.requests()
            .iter()
            .any(|(method, _, _)| method == "POST")
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recorder.connections(), 0, "the redirect is not followed");
    let states = b.store.destination_states().await.expect("q");
    let inbox = format!("{}/inbox", fake.base);
    let state = states
        .iter()
        .find(|d| d.inbox == inbox)
        .expect("destination");
    assert_eq!(state.delivered, 0, "{state:?}");
}

// ---------------------------------------------------------------------------------------------
// Floods

async fn limited(backend: Backend, dir: &std::path::Path, handle: &str) -> TestNode {
    TestNode::start_with(backend, dir, handle, |c| c.inbox_rate_per_minute = 3).await
}

async fn unsigned_flood_is_limited(backend: Backend) {
    let dir = tempdir();
    let b = limited(backend, dir.path(), "bravo").await;
    let was = before(&b).await;
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    for n in 0..5 {
        let response = client
            .post(format!("{}/inbox", b.base))
            .header("content-type", ACTIVITY_JSON)
            .body(format!(r#"{{"type":"Like","n":{n}}}"#))
            .send()
            .await
            .expect("post");
        let retry_after = response.headers().get("retry-after").cloned();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        answers.push((status, retry_after, body));
    }
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    let (_, retry_after, body) = &answers[4];
    refused(429, body, 429, "too many requests");
    assert!(retry_after.is_some(), "Retry-After is set");
    unchanged(&b, &was).await;
}

async fn flood_rotating_key_hosts_is_limited(backend: Backend) {
    let dir = tempdir();
    let b = limited(backend, dir.path(), "bravo").await;
    let was = before(&b).await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for n in 0..8 {
        // A fresh, made-up sender host on every request; the stale Date has it refused
        // before anything is fetched.
        let key_id = format!("https://sender-{n}.invalid/actor#main-key");
        let signature = format!(
            r#"keyId="{key_id}",algorithm="hs2019",headers="(request-target) host date digest",signature="AAAA""#
        );
        let response = client
            .post(format!("{}/inbox", b.base))
            .header("date", http_date(-24 * 3600))
            .header("digest", digest_header(b"{}"))
            .header("signature", signature)
            .body("{}")
            .send()
            .await
            .expect("post");
        statuses.push(response.status().as_u16());
    }
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 5,
        "one client inventing a new sender host per request is never limited: {statuses:?}"
    );
    unchanged(&b, &was).await;
}

async fn flood_by_one_server_spares_another(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = limited(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut statuses = Vec::new();
    for n in 0..4 {
        let body = like(&a, &b, &format!("flood-{n}"));
        statuses.push(signed_post(&a, &b, &body, None).await.0);
    }
    assert_eq!(statuses, [202, 202, 202, 429]);
    let stored = b.store.count_inbox_activities().await.expect("count");
    assert_eq!(stored, 3, "nothing over the limit is stored");
    let (status, err) = signed_post(&c, &b, &like(&c, &b, "meanwhile"), None).await;
    assert_eq!(status, 202, "{err}");
}

// ---------------------------------------------------------------------------------------------
// SSRF: the HTTP client outside development mode

fn production_client() -> reqwest::Client {
    gotong::federation::http_client(&gotong::config::Config {
        dev: false,
        http_timeout_secs: 5,
        ..Default::default()
    })
    .expect("client")
}

#[tokio::test]
async fn client_refuses_a_name_resolving_to_loopback() {
    let recorder = Fake::start().await;
    let result = production_client()
        .get(format!("http://localhost:{}/admin", recorder.port))
        .send()
        .await;
    let err = result.expect_err("localhost must not be reached");
    assert!(format!("{err:?}").contains("127.0.0.1") || format!("{err:?}").contains("::1"));
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn client_refuses_loopback_names_spelt_otherwise() {
    let recorder = Fake::start().await;
    for name in ["LOCALHOST.", "LocalHost", "localhost."] {
        let result = production_client()
            .get(format!("http://{name}:{}/admin", recorder.port))
            .send()
            .await;
        assert!(result.is_err(), "{name} must not be reached");
    }
    assert_eq!(recorder.connections(), 0);
}

/// A server on 127.0.0.1 whose every answer redirects to `location`; the client fetches it
/// by address (which the resolver does not see) to test the redirect alone.
async fn redirect_via(client: reqwest::Client, status: u16, location: &str) -> u16 {
    let redirector = Fake::start().await;
    redirector.reply("/start", status, &[("location", location)], "");
    let response = client
        .get(format!("http://127.0.0.1:{}/start", redirector.port))
        .send()
        .await
        .expect("the redirect itself is answered");
    response.status().as_u16()
}

#[tokio::test]
async fn client_does_not_follow_a_redirect_to_a_loopback_address() {
    let recorder = Fake::start().await;
    let location = format!("http://127.0.0.1:{}/secret", recorder.port);
    assert_eq!(redirect_via(production_client(), 302, &location).await, 302);
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn client_does_not_follow_a_redirect_to_a_loopback_name() {
    let recorder = Fake::start().await;
    let location = format!("http://localhost:{}/secret", recorder.port);
    assert_eq!(redirect_via(production_client(), 301, &location).await, 301);
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn dev_client_does_not_follow_redirects_either() {
    let recorder = Fake::start().await;
    let client = gotong::federation::http_client(&gotong::config::Config {
        dev: true,
        http_timeout_secs: 5,
        ..Default::default()
    })
    .expect("client");
    let location = format!("http://127.0.0.1:{}/secret", recorder.port);
    assert_eq!(redirect_via(client, 308, &location).await, 308);
    assert_eq!(recorder.connections(), 0);
}

// ---------------------------------------------------------------------------------------------
// SSRF: a production node asked to fetch a signer's key from an internal address

/// A node outside development mode (its ids are https; the tests talk to it over http).
async fn production_node(dir: &std::path::Path) -> TestNode {
    let mut node = TestNode::start_with(Backend::Sqlite, dir, "bravo", |c| c.dev = false).await;
    node.base = format!("http://{}", node.domain);
    node
}

/// Posts to a production node an activity whose actor and key live at `actor` (`{rec}`
/// stands for a recorder's port). Answers status, error and the recorder's connections.
async fn key_on(actor: &str) -> (u16, Value, usize) {
    let dir = tempdir();
    let b = production_node(dir.path()).await;
    let recorder = Fake::start().await;
    let actor = actor.replace("{rec}", &recorder.port.to_string());
    let was = before(&b).await;
    let body = fake_follow(&actor, &b, "ssrf");
    let (status, err) = post_as(&format!("{actor}#main-key"), &keys(1).1, &b, &body).await;
    unchanged(&b, &was).await;
    assert!(b
        .store
        .remote_actor_by_ap_id(&actor)
        .await
        .expect("q")
        .is_none());
    tokio::time::sleep(Duration::from_millis(300)).await;
    (status, err, recorder.connections())
}

/// The key is not fetched: refused as the sender's fault (4xx, not an outage to retry: a
/// 502 until issue 6), nothing connected to, nothing stored.
#[track_caller]
fn key_refused(answer: (u16, Value, usize)) {
    let (status, err, connections) = answer;
    assert_eq!(connections, 0, "nothing may be fetched: {status} {err}");
    assert!((400..500).contains(&status), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_loopback_address() {
    key_refused(key_on("https://127.0.0.1:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_private_network_address() {
    key_refused(key_on("https://10.0.0.1/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_cloud_metadata_address() {
    key_refused(key_on("https://169.254.169.254/latest/meta-data").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_ipv6_loopback() {
    key_refused(key_on("https://[::1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_an_ipv4_mapped_loopback() {
    key_refused(key_on("https://[::ffff:127.0.0.1]:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_name_resolving_to_loopback() {
    key_refused(key_on("https://localhost/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_loopback_name_with_a_port() {
    key_refused(key_on("https://localhost:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_over_plain_http() {
    key_refused(key_on("http://localhost:{rec}/actor").await);
}

// ---------------------------------------------------------------------------------------------
// SSRF: a production node delivering to a follower's internal inbox

/// A production node with one follower whose inbox (or shared inbox) is `inbox` (`{rec}`
/// stands for a recorder's port) publishes a post. Answers the destination's state once
/// the delivery was tried, and the recorder's connections.
async fn deliver_to(inbox: &str, shared: bool) -> (gotong::db::DestinationState, usize) {
    let dir = tempdir();
    let b = production_node(dir.path()).await;
    let recorder = Fake::start().await;
    let inbox = inbox.replace("{rec}", &recorder.port.to_string());
    if shared {
        add_follower(
            &b,
            "internal",
            "https://remote.invalid/users/internal/inbox",
            Some(&inbox),
        )
        .await;
    } else {
        add_follower(&b, "internal", &inbox, None).await;
    }
    publish(&b, "Hello followers").await;
    let state = eventually(15, "the delivery is tried", || async {
        let states = b.store.destination_states().await.expect("q");
        states
            .into_iter()
            .find(|d| d.inbox == inbox && (d.failed > 0 || d.last_error.is_some()))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    (state, recorder.connections())
}

#[track_caller]
fn delivery_refused(answer: (gotong::db::DestinationState, usize), says: &str) {
    let (state, connections) = answer;
    assert_eq!(connections, 0, "nothing may be sent: {state:?}");
    assert_eq!(state.delivered, 0, "{state:?}");
    let error = state.last_error.clone().unwrap_or_default();
    assert!(error.contains(says), "{error:?} should say {says:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_over_plain_http_to_a_private_network() {
    delivery_refused(
        deliver_to("http://10.0.0.1/inbox", false).await,
        "not https",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_private_network_address() {
    delivery_refused(
        deliver_to("https://10.0.0.1/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_cloud_metadata_address() {
    delivery_refused(
        deliver_to("https://169.254.169.254/latest/meta-data/", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_loopback_address() {
    delivery_refused(
        deliver_to("https://127.0.0.1:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_ipv6_loopback() {
    delivery_refused(
        deliver_to("https://[::1]:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_unspecified_address() {
    delivery_refused(
        deliver_to("https://0.0.0.0:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_decimal_encoded_loopback() {
    delivery_refused(
        deliver_to("https://2130706433:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_name_resolving_to_loopback() {
    let (state, connections) = deliver_to("https://localhost:{rec}/inbox", false).await;
    assert_eq!(state.delivered, 0, "{state:?}");
    assert!(state.last_error.is_some(), "{state:?}");
    assert_eq!(connections, 0, "the resolver refuses loopback");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_shared_inbox_on_a_private_network() {
    delivery_refused(
        deliver_to("https://10.1.2.3/inbox", true).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv4_mapped_loopback() {
    delivery_refused(
        deliver_to("https://[::ffff:127.0.0.1]:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv6_unique_local_address() {
    delivery_refused(
        deliver_to("https://[fd00::1]/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv6_link_local_address() {
    delivery_refused(
        deliver_to("https://[fe80::1]/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_shared_address_space() {
    delivery_refused(
        deliver_to("https://100.64.0.1/inbox", false).await,
        "private address",
    );
}

// ---------------------------------------------------------------------------------------------
// SSRF: the remaining special-purpose ranges, literal in an inbox or an actor id

/// One delivery test per range: refused before any connection, as a private address.
macro_rules! delivery_refused_to {
    ($($name:ident: $inbox:expr;)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                delivery_refused(deliver_to($inbox, false).await, "private address");
            }
        )*
    };
}

delivery_refused_to! {
    delivery_to_this_network_0_0_0_0_8: "https://0.1.2.3:{rec}/inbox";
    delivery_to_ipv4_multicast: "https://224.0.0.251/inbox";
    delivery_to_ipv4_reserved_240_0_0_0_4: "https://240.0.0.1/inbox";
    delivery_to_the_limited_broadcast_address: "https://255.255.255.255/inbox";
    delivery_to_cgnat_upper_edge: "https://100.127.255.254/inbox";
    delivery_to_ietf_protocol_assignments: "https://192.0.0.170/inbox";
    delivery_to_the_benchmarking_range: "https://198.19.0.1/inbox";
    delivery_to_ipv4_documentation_test_net_1: "https://192.0.2.10/inbox";
    delivery_to_ipv4_documentation_test_net_2: "https://198.51.100.10/inbox";
    delivery_to_ipv4_documentation_test_net_3: "https://203.0.113.10/inbox";
    delivery_to_ipv6_multicast: "https://[ff02::1]/inbox";
    delivery_to_nat64_embedding_loopback: "https://[64:ff9b::7f00:1]:{rec}/inbox";
    delivery_to_nat64_embedding_a_private_address: "https://[64:ff9b::a00:1]/inbox";
    delivery_to_6to4_embedding_loopback: "https://[2002:7f00:1::1]:{rec}/inbox";
    delivery_to_6to4_embedding_a_private_address: "https://[2002:c0a8:101::1]/inbox";
    delivery_to_ipv6_documentation: "https://[2001:db8::1]/inbox";
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_benchmarking_range() {
    key_refused(key_on("https://198.18.0.1/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_ietf_protocol_assignments() {
    key_refused(key_on("https://192.0.0.9/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_nat64_embedding_a_private_address() {
    key_refused(key_on("https://[64:ff9b::a00:1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_ipv6_multicast() {
    key_refused(key_on("https://[ff0e::1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_nat64_and_6to4_addresses_are_not_refused() {
    use gotong::federation::addresses::non_public;
    for public in [
        "64:ff9b::808:808",
        "2002:808:808::1",
        "198.20.0.1",
        "192.0.1.1",
    ] {
        assert!(!non_public(public.parse().expect("ip")), "{public}");
    }
}
