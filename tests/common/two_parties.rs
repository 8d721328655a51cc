//! Referrals between two real nodes for tests of data protection, and what an attacker with
//! a copy of a node's database would see: the raw files (SQLite) or a dump (PostgreSQL).

use super::{eventually, follow, TestNode};
use serde_json::{json, Value};

/// A marker put in every personal field; it must never be found in clear.
pub const CANARY: &str = "CANARY91be";

/// Sender `a`, receiver `b` with a program taking referrals, and a caseworker token on each.
pub struct Casework {
    pub a: TestNode,
    pub b: TestNode,
    pub a_case: String,
    pub b_case: String,
    pub program: String,
}

/// A caseworker account on the node's organisation; its API token.
pub async fn caseworker(node: &TestNode, username: &str) -> String {
    use gotong::domain::accounts;
    super::staff_account(node, username, accounts::Role::Caseworker).await;
    let account = node
        .store
        .account_by_username(username)
        .await
        .expect("query")
        .expect("account");
    accounts::mint_token(
        node.store.as_ref(),
        account.id,
        accounts::TokenPurpose::Api,
        "t",
    )
    .await
    .expect("token")
}

pub async fn casework(a: TestNode, b: TestNode) -> Casework {
    let program = json!({
        "name": "Safe shelter", "themes": ["shelter"], "countries": ["TH"],
        "acceptingReferrals": true
    });
    let (status, body) = b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{body}");
    let program = body["url"].as_str().expect("url").to_string();
    follow(&a, &b).await;
    eventually(10, "the program reaches the sender", || async {
        a.store
            .post_by_ap_id(&program)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    let a_case = caseworker(&a, "case-a").await;
    let b_case = caseworker(&b, "case-b").await;
    Casework {
        a,
        b,
        a_case,
        b_case,
        program,
    }
}

pub fn referral_body(program: &str, n: u32) -> Value {
    json!({
        "program": program,
        "urgency": "urgent",
        "needs": format!("{CANARY} needs shelter {n}"),
        "person": {
            "reference": format!("{CANARY}-ref-{n}"), "ageRange": "18-25",
            "gender": format!("{CANARY} female"), "nationality": "MM", "stateless": false,
            "languages": ["my"], "contactChannel": format!("{CANARY} via caseworker"),
            "safetyNotes": format!("{CANARY} trafficker nearby")
        },
        "consent": {
            "given": true, "givenBy": "the person", "givenAt": 1_763_000_000_000i64,
            "scope": format!("{CANARY} both organisations")
        }
    })
}

impl Casework {
    /// Sends referral `n` from `a`; its id on `a` and its URL.
    pub async fn send(&self, n: u32) -> (i64, String) {
        let body = referral_body(&self.program, n);
        let (status, sent) = self
            .a
            .api_as(&self.a_case, "POST", "/api/v1/referrals", Some(body))
            .await;
        assert_eq!(status, 201, "{sent}");
        (
            sent["id"].as_i64().expect("id"),
            sent["url"].as_str().expect("url").to_string(),
        )
    }

    /// The id of `b`'s copy of the referral with this URL, once it has arrived.
    pub async fn received(&self, url: &str) -> i64 {
        eventually(10, "the referral reaches the receiver", || async {
            let (_, list) = self
                .b
                .api_as(&self.b_case, "GET", "/api/v1/referrals?side=receiver", None)
                .await;
            list.as_array()?
                .iter()
                .find(|r| r["url"] == url)
                .and_then(|r| r["id"].as_i64())
        })
        .await
    }

    pub async fn message(&self, id: i64, text: &str) {
        let (status, body) = self
            .a
            .api_as(
                &self.a_case,
                "POST",
                &format!("/api/v1/referrals/{id}/messages"),
                Some(json!({ "text": text })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
}

/// Runs one SQL statement on the node's database, as someone with write access to it would.
pub async fn execute(node: &TestNode, statement: &str) {
    let url = &node.config.database_url;
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect(statement);
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect(statement);
        pool.close().await;
    }
}

/// What a copy of the node's database holds, byte for byte: the SQLite file with its WAL and
/// shared-memory files, or for PostgreSQL a `pg_dump` (a backup as an operator makes it).
pub fn database_copy(node: &TestNode) -> Vec<u8> {
    let url = &node.config.database_url;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(file) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(file);
            }
        }
        return bytes;
    }
    let dump = std::process::Command::new("pg_dump")
        .arg("--dbname")
        .arg(url)
        .output()
        .expect("pg_dump runs (PostgreSQL client tools are needed)");
    assert!(
        dump.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    dump.stdout
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The base64 lines of a PEM block: any one of them found means the key is there in clear.
pub fn pem_lines(pem: &str) -> Vec<String> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 40)
        .map(str::to_string)
        .collect()
}
