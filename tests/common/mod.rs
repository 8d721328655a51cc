//! Test harness: real Gotong nodes on 127.0.0.1 ephemeral ports, each with its own database
//! and its own runtime (so a node can be killed abruptly), federating over signed HTTP.
#![allow(dead_code)]

pub mod binary;
pub mod browser;
pub mod casework;
pub mod forgery;
pub mod two_parties;

use gotong::config::Config;
use gotong::db::{self, Store};
use gotong::domain::{accounts, organisations};
use serde_json::{json, Value};
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use tokio::sync::oneshot;

/// Where a test's nodes keep their data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Environment variable with a PostgreSQL URL whose user may create databases.
pub const POSTGRES_ENV: &str = "GOTONG_TEST_POSTGRES_URL";

/// The PostgreSQL server URL. The PostgreSQL variants are marked ignored when the build saw
/// no URL (see `build.rs`); one that runs without it (on CI, or with `--include-ignored`)
/// fails loudly rather than passing without having run.
pub fn postgres_url(test: &str) -> String {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("{test} cannot run on PostgreSQL: set {POSTGRES_ENV} (CI requires it)"),
    }
}

/// Runs one scenario against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(gotong_no_test_postgres, ignore = "needs GOTONG_TEST_POSTGRES_URL")]
                async fn $scenario() {
                    super::$scenario($crate::common::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// A fresh, empty database for one node; its URL.
pub async fn fresh_database(backend: Backend, dir: &std::path::Path, name: &str) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}/{name}.db", dir.display()),
        Backend::Postgres => {
            let server = postgres_url(name);
            let db_name = format!("gotong_t_{}", uuid::Uuid::new_v4().simple());
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {db_name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            let mut url = url::Url::parse(&server).expect("PostgreSQL URL");
            url.set_path(&format!("/{db_name}"));
            url.to_string()
        }
    }
}

pub struct TestNode {
    pub name: String,
    pub addr: SocketAddr,
    pub domain: String,
    pub base: String,
    pub handle: String,
    pub actor: String,
    /// An admin's API token.
    pub token: String,
    /// The one-time setup token printed at first start (not yet spent).
    pub setup_token: String,
    /// The test's own connection to the node's database, for assertions.
    pub store: Arc<dyn Store>,
    pub config: Config,
    running: Option<Running>,
}

struct Running {
    stop: oneshot::Sender<bool>,
    thread: std::thread::JoinHandle<()>,
}

pub fn config_for(
    addr: SocketAddr,
    database_url: &str,
    handle: &str,
    dir: &std::path::Path,
) -> Config {
    Config {
        secret_key_file: dir.join(format!("{handle}.key")).display().to_string(),
        domain: format!("localhost:{}", addr.port()),
        listen: addr,
        database_url: database_url.to_string(),
        dev: true,
        org_handle: handle.to_string(),
        org_name: format!("Organisation {handle}"),
        delivery_retry_base_secs: 1,
        http_timeout_secs: 5,
        ..Config::default()
    }
}

impl TestNode {
    /// The node's secret key as it is on disk now.
    pub fn sealer(&self) -> gotong::domain::sealing::Sealer {
        let path = std::path::Path::new(&self.config.secret_key_file);
        let key = gotong::domain::secret_key::read_key(path)
            .expect("read secret key")
            .expect("the node has a secret key");
        gotong::domain::sealing::Sealer::from_key(&key)
    }

    /// The organisation's private key, opened as the node opens it.
    pub async fn private_key(&self) -> String {
        let org = self
            .store
            .organisation_by_handle(&self.handle)
            .await
            .expect("query")
            .expect("organisation");
        organisations::signing_key(&self.sealer(), &org).expect("open the private key")
    }

    /// Creates the database, the organisation `handle` and an admin token, then starts.
    pub async fn start(backend: Backend, dir: &std::path::Path, handle: &str) -> TestNode {
        TestNode::start_with(backend, dir, handle, |_| {}).await
    }

    /// Like `start`, with the node's configuration adjusted by `adjust`.
    pub async fn start_with(
        backend: Backend,
        dir: &std::path::Path,
        handle: &str,
        adjust: impl FnOnce(&mut Config),
    ) -> TestNode {
        // GOTONG_TEST_LOG=debug (a tracing filter) shows what the nodes do.
        if let Ok(filter) = std::env::var("GOTONG_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(gotong::cli::log_filter(&filter))
                .with_test_writer()
                .try_init();
        }
        let database_url = fresh_database(backend, dir, handle).await;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = config_for(addr, &database_url, handle, dir);
        adjust(&mut config);
        let store = db::connect(&database_url).await.expect("database");
        let sealer = gotong::domain::secret_key::unlock(
            store.as_ref(),
            std::path::Path::new(&config.secret_key_file),
        )
        .await
        .expect("secret key");
        let boot = organisations::bootstrap(store.as_ref(), &sealer, handle, &config.org_name)
            .await
            .expect("bootstrap")
            .expect("fresh database bootstraps");
        let admin = store
            .account_by_username(&boot.admin_username)
            .await
            .expect("query")
            .expect("admin exists");
        let token =
            accounts::mint_token(store.as_ref(), admin.id, accounts::TokenPurpose::Api, "t")
                .await
                .expect("token");
        let base = config.base_url();
        let mut node = TestNode {
            name: handle.to_string(),
            addr,
            domain: config.domain.clone(),
            actor: format!("{base}/o/{handle}"),
            base,
            handle: handle.to_string(),
            token,
            setup_token: boot.setup_token,
            store,
            config,
            running: None,
        };
        node.run(listener);
        node
    }

    fn run(&mut self, listener: std::net::TcpListener) {
        let (stop, stop_rx) = oneshot::channel::<bool>();
        let config = self.config.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            let graceful = runtime.block_on(async move {
                listener.set_nonblocking(true).expect("nonblocking");
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let store = db::connect(&config.database_url)
                    .await
                    .expect("node database");
                let (graceful_tx, graceful_rx) = oneshot::channel::<()>();
                let server = gotong::node::serve(config, store, listener, async {
                    let _ = graceful_rx.await;
                });
                tokio::pin!(server);
                tokio::select! {
                    result = &mut server => { result.expect("node ran"); true }
                    graceful = stop_rx => {
                        if graceful.unwrap_or(true) {
                            let _ = graceful_tx.send(());
                            let _ = server.await;
                            true
                        } else {
                            false
                        }
                    }
                }
            });
            if graceful {
                drop(runtime);
            } else {
                // A crash: every task of the node is dropped where it stands.
                runtime.shutdown_background();
            }
        });
        self.running = Some(Running { stop, thread });
    }

    /// Stops gracefully (`graceful = true`) or drops everything mid-flight like a crash.
    pub fn stop(&mut self, graceful: bool) {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(graceful);
            let _ = running.thread.join();
        }
    }

    /// Starts again on the same port and database.
    pub fn restart(&mut self) {
        self.stop(true);
        let listener = std::net::TcpListener::bind(self.addr).expect("rebind the same port");
        self.run(listener);
    }

    pub fn start_again(&mut self) {
        let listener = std::net::TcpListener::bind(self.addr).expect("rebind the same port");
        self.run(listener);
    }

    pub fn account(&self) -> String {
        format!("{}@{}", self.handle, self.domain)
    }

    /// Calls the staff API with the admin token; returns status and JSON body (or Null).
    pub async fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.api_as(&self.token, method, path, body).await
    }

    pub async fn api_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let client = reqwest::Client::new();
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = client
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        self.stop(false);
    }
}

/// Polls `check` until it returns `Some`, or panics after `secs` seconds naming `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// The state of the relation with `actor` in `/api/v1/following` or `/api/v1/followers`.
pub async fn follow_state(node: &TestNode, path: &str, actor: &str) -> Option<String> {
    let (status, list) = node.api("GET", path, None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()?
        .iter()
        .find(|f| f["actor"] == actor)
        .map(|f| f["state"].as_str().unwrap_or_default().to_string())
}

/// The node's home feed.
pub async fn feed(node: &TestNode) -> Vec<Value> {
    let (status, feed) = node.api("GET", "/api/v1/feed", None).await;
    assert_eq!(status, 200, "{feed}");
    feed.as_array().cloned().unwrap_or_default()
}

/// Has `follower` follow `followed` and waits until the follow is accepted.
pub async fn follow(follower: &TestNode, followed: &TestNode) {
    let handle = json!({ "handle": followed.account() });
    let (status, body) = follower
        .api("POST", "/api/v1/following", Some(handle))
        .await;
    assert_eq!(status, 202, "{body}");
    eventually(10, "follow accepted", || async {
        let state = follow_state(follower, "/api/v1/following", &followed.actor).await;
        (state.as_deref() == Some("accepted")).then_some(())
    })
    .await;
}

/// Publishes a public update; returns the API's answer.
pub async fn publish(node: &TestNode, text: &str) -> Value {
    let (status, post) = node
        .api("POST", "/api/v1/updates", Some(json!({ "text": text })))
        .await;
    assert_eq!(status, 201, "{post}");
    post
}

/// Signs `body` as `signer`'s organisation (a real actor whose key the receiver fetches).
pub async fn signed_post(
    signer: &TestNode,
    to: &TestNode,
    body: &[u8],
    key_pem: Option<&str>,
) -> (u16, Value) {
    let url = url::Url::parse(&format!("{}/inbox", to.base)).expect("url");
    let key_id = format!("{}#main-key", signer.actor);
    let own = signer.private_key().await;
    let pem = key_pem.unwrap_or(&own);
    let headers =
        gotong::federation::signatures::sign_request("POST", &url, Some(body), None, &key_id, pem)
            .expect("sign");
    send(
        reqwest::Client::new()
            .post(url)
            .headers(headers)
            .body(body.to_vec()),
    )
    .await
}

pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A GET signed by `signer`'s organisation, as another server fetches; status and body.
pub async fn signed_get(signer: &TestNode, url: &str) -> (u16, String) {
    let target = url::Url::parse(url).expect("url");
    let accept = "application/activity+json";
    let headers = gotong::federation::signatures::sign_request(
        "GET",
        &target,
        None,
        Some(accept),
        &format!("{}#main-key", signer.actor),
        &signer.private_key().await,
    )
    .expect("sign");
    let response = reqwest::Client::new()
        .get(url)
        .headers(headers)
        .send()
        .await
        .expect("get");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// A GET with `accept`: status, content type and body.
pub async fn get_text(url: &str, accept: &str) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, response.text().await.expect("body"))
}

/// Creates a staff account with a password on the node's organisation.
pub async fn staff_account(node: &TestNode, username: &str, role: accounts::Role) -> String {
    let org = node
        .store
        .organisation_by_handle(&node.handle)
        .await
        .expect("query")
        .expect("organisation");
    let password = format!("{username} long passphrase");
    accounts::create_account(node.store.as_ref(), org.id, username, Some(&password), role)
        .await
        .expect("account");
    password
}

/// Moves back by `ms` the time `node` last fetched the remote actor `ap_id`, as if its copy
/// had been fetched that long ago (for rules that depend on the copy's age).
pub async fn age_remote_actor(node: &TestNode, ap_id: &str, ms: i64) {
    let sql = "UPDATE remote_actors SET fetched_at = fetched_at - $1 WHERE ap_id = $2";
    let url = &node.config.database_url;
    let changed = if url.starts_with("sqlite:") {
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(url)
            .await
            .expect("connect to SQLite");
        let done = sqlx::query(sql).bind(ms).bind(ap_id).execute(&mut conn);
        done.await.expect("age actor").rows_affected()
    } else {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
            .await
            .expect("connect to PostgreSQL");
        let done = sqlx::query(sql).bind(ms).bind(ap_id).execute(&mut conn);
        done.await.expect("age actor").rows_affected()
    };
    assert_eq!(changed, 1, "{} holds a copy of {ap_id}", node.name);
}
