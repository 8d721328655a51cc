//! Helpers for referral scenarios between real nodes: accounts, referrals carrying a canary in
//! every personal field, waiting for statuses, and reading a node's database raw.

use super::{eventually, Backend, TestNode};
use serde_json::{json, Value};

/// Put in every personal field, so its absence can be checked anywhere.
pub const CANARY: &str = "CANARYe4b1";

/// A staff account of `role`, signed in; its API token.
pub async fn token(node: &TestNode, username: &str, role: &str) -> String {
    let password = "a long enough password";
    let account = json!({ "username": username, "password": password, "role": role });
    let (status, body) = node.api("POST", "/api/v1/accounts", Some(account)).await;
    assert_eq!(status, 201, "{body}");
    let login = json!({ "username": username, "password": password });
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/login", node.base))
        .json(&login)
        .send()
        .await
        .expect("login");
    let body: Value = response.json().await.expect("json");
    body["token"].as_str().expect("token").to_string()
}

/// A referral to the organisation `to` (`handle@domain`) with the canary everywhere.
pub fn referral_to(to: &TestNode, urgency: &str, n: u32) -> Value {
    json!({
        "organisation": to.account(),
        "urgency": urgency,
        "needs": format!("{CANARY} needs shelter {n}"),
        "person": {
            "reference": format!("{CANARY}-ref-{n}"), "ageRange": format!("{CANARY} 26-35"),
            "gender": format!("{CANARY} male"), "nationality": "KH", "stateless": false,
            "languages": ["km"], "contactChannel": format!("{CANARY} via caseworker"),
            "safetyNotes": format!("{CANARY} never at the workplace")
        },
        "consent": {
            "given": true, "givenBy": format!("{CANARY} the person"),
            "givenAt": 1_763_000_000_000i64, "scope": format!("{CANARY} both organisations")
        }
    })
}

/// Sends a referral as `token`; the sender's summary of it.
pub async fn send(from: &TestNode, token: &str, body: Value) -> Value {
    let (status, sent) = from
        .api_as(token, "POST", "/api/v1/referrals", Some(body))
        .await;
    assert_eq!(status, 201, "{sent}");
    sent
}

/// The receiver's summary of the referral with this URL, once it has arrived.
pub async fn incoming(node: &TestNode, token: &str, url: &str) -> Value {
    eventually(10, "the referral reaches the receiver", || async {
        let (_, list) = node
            .api_as(token, "GET", "/api/v1/referrals?side=receiver", None)
            .await;
        list.as_array()?.iter().find(|r| r["url"] == url).cloned()
    })
    .await
}

pub async fn view(node: &TestNode, token: &str, id: i64) -> Value {
    let (status, view) = node
        .api_as(token, "GET", &format!("/api/v1/referrals/{id}"), None)
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

pub async fn wait_status(node: &TestNode, token: &str, id: i64, wanted: &str) -> Value {
    eventually(10, &format!("status {wanted}"), || async {
        let v = view(node, token, id).await;
        (v["status"] == wanted).then_some(v)
    })
    .await
}

/// Moves a referral; insists it worked.
pub async fn move_to(node: &TestNode, token: &str, id: i64, status: &str, note: &str) {
    let body = json!({ "status": status, "note": note });
    let path = format!("/api/v1/referrals/{id}/status");
    let (code, answer) = node.api_as(token, "POST", &path, Some(body)).await;
    assert_eq!(code, 200, "{status}: {answer}");
}

/// Waits until nothing is pending or in flight in the node's delivery queue.
pub async fn queue_idle(node: &TestNode) {
    eventually(20, "the delivery queue is idle", || async {
        let states = node.store.destination_states().await.expect("q");
        states.iter().all(|d| d.pending == 0).then_some(())
    })
    .await;
}

/// Rows of one query on the node's database; text columns only (others read as "").
pub async fn rows(node: &TestNode, sql: &str) -> Vec<Vec<String>> {
    use sqlx::Row;
    let url = &node.config.database_url;
    let mut out = Vec::new();
    if url.starts_with("sqlite:") {
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(url)
            .await
            .expect("connect");
        for row in sqlx::query(sql).fetch_all(&mut conn).await.expect("query") {
            let cells = (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten())
                .map(Option::unwrap_or_default)
                .collect();
            out.push(cells);
        }
    } else {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
            .await
            .expect("connect");
        for row in sqlx::query(sql).fetch_all(&mut conn).await.expect("query") {
            let cells = (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten())
                .map(Option::unwrap_or_default)
                .collect();
            out.push(cells);
        }
    }
    out
}

/// Every row of every table of the node's database (and SQLite's WAL), as text.
pub async fn database_text(node: &TestNode, backend: Backend) -> String {
    let url = &node.config.database_url;
    if backend == Backend::Sqlite {
        let path = url.strip_prefix("sqlite://").expect("sqlite path");
        let mut text = String::new();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        return text;
    }
    let tables = rows(
        node,
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .await;
    let mut text = String::new();
    for table in tables {
        for row in rows(node, &format!("SELECT t::text FROM \"{}\" t", table[0])).await {
            text.push_str(&row.join(" "));
        }
    }
    text
}

/// What `node` received from `actor`: (kind, sealed?) of each stored inbox activity.
pub async fn received_from(node: &TestNode, actor: &str) -> Vec<(String, bool)> {
    let sql = format!(
        "SELECT kind, body FROM inbox_activities WHERE actor = '{}' ORDER BY id",
        actor.replace('\'', "''")
    );
    rows(node, &sql)
        .await
        .into_iter()
        .map(|r| (r[0].clone(), r[1].starts_with("sealed:")))
        .collect()
}

/// The node's referrals (of its first organisation) as the database holds them.
pub async fn referral_count(node: &TestNode) -> usize {
    node.store.list_referrals(1, None).await.expect("q").len()
}

/// The audit log of the node's organisation: (actor, action) pairs.
pub async fn audit(node: &TestNode) -> Vec<(String, String)> {
    let (code, log) = node.api("GET", "/api/v1/admin/audit", None).await;
    assert_eq!(code, 200, "{log}");
    log.as_array()
        .expect("log")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("actor"), s("action"))
        })
        .collect()
}
