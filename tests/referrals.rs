//! Referrals end to end: the full life from both sides, refusals, authorisation, replays, and a
//! canary in every personal field that must show up nowhere it should not.

mod common;

use common::casework::token;
use common::{eventually, follow, signed_get, signed_post, tempdir, Backend, TestNode};
use gotong::domain::sealing::Binding;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, OnceLock};

on_both_databases!(
    a_referral_lives_its_whole_life_and_leaks_nowhere,
    decline_withdraw_and_refusals,
    rules_refuse_what_they_must_and_replays_change_nothing,
    retention_erases_personal_fields_and_is_audited,
);

const CANARY: &str = "CANARY7f3a";

/// Everything the nodes of this test binary log, to check the canary is never written there.
fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUFFER
        .get_or_init(|| {
            let buffer = Arc::new(Mutex::new(Vec::new()));
            let writer = buffer.clone();
            let _ = tracing_subscriber::fmt()
                .with_env_filter(gotong::cli::log_filter(
                    "debug,sqlx=info,hyper=info,h2=info,rustls=info",
                ))
                .with_writer(move || LogWriter(writer.clone()))
                .try_init();
            buffer
        })
        .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn referral_body(program: &str, n: u32) -> Value {
    json!({
        "program": program,
        "urgency": "urgent",
        "needs": format!("{CANARY} needs legal aid {n}"),
        "person": {
            "reference": format!("{CANARY}-ref-{n}"), "ageRange": format!("{CANARY} 18-25"),
            "gender": format!("{CANARY} female"), "nationality": "MM", "stateless": true,
            "languages": ["my"], "contactChannel": format!("{CANARY} phone via caseworker"),
            "safetyNotes": format!("{CANARY} do not call after dark")
        },
        "consent": {
            "given": true, "givenBy": format!("{CANARY} the person"), "givenAt": 1_763_000_000_000i64,
            "scope": format!("{CANARY} both organisations, needs and contact only")
        }
    })
}

/// A sender node, a receiver node with a program that takes referrals, a third node that
/// follows both, and caseworker tokens for the two parties.
struct Scene {
    a: TestNode,
    b: TestNode,
    c: TestNode,
    a_case: String,
    b_case: String,
    program: String,
}

async fn scene(backend: Backend, dir: &std::path::Path) -> Scene {
    log_buffer();
    let a = TestNode::start(backend, dir, "alpha").await;
    let b = TestNode::start(backend, dir, "bravo").await;
    let c = TestNode::start(backend, dir, "charlie").await;
    let program = json!({
        "name": "Legal aid for survivors", "themes": ["legal-aid"], "countries": ["MY"],
        "acceptingReferrals": true
    });
    let (status, body) = b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{body}");
    let program = body["url"].as_str().expect("url").to_string();
    follow(&a, &b).await;
    follow(&c, &a).await;
    follow(&c, &b).await;
    eventually(10, "the program reaches the referring node", || async {
        a.store
            .post_by_ap_id(&program)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    let a_case = token(&a, "case-a", "caseworker").await;
    let b_case = token(&b, "case-b", "caseworker").await;
    Scene {
        a,
        b,
        c,
        a_case,
        b_case,
        program,
    }
}

async fn send(s: &Scene, n: u32) -> Value {
    let (status, body) =
        s.a.api_as(
            &s.a_case,
            "POST",
            "/api/v1/referrals",
            Some(referral_body(&s.program, n)),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// The receiver's copy of the referral with this URL, once it has arrived.
async fn incoming(s: &Scene, url: &str) -> Value {
    eventually(10, "the referral reaches the receiver", || async {
        let (_, list) =
            s.b.api_as(&s.b_case, "GET", "/api/v1/referrals?side=receiver", None)
                .await;
        list.as_array()?.iter().find(|r| r["url"] == url).cloned()
    })
    .await
}

async fn status_of(node: &TestNode, token: &str, id: i64) -> Value {
    let (status, view) = node
        .api_as(token, "GET", &format!("/api/v1/referrals/{id}"), None)
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

async fn wait_status(node: &TestNode, token: &str, id: i64, wanted: &str) -> Value {
    eventually(10, &format!("status {wanted}"), || async {
        let view = status_of(node, token, id).await;
        (view["status"] == wanted).then_some(view)
    })
    .await
}

async fn move_to(node: &TestNode, token: &str, id: i64, status: &str, note: &str) -> (u16, Value) {
    let body = json!({ "status": status, "note": note });
    node.api_as(
        token,
        "POST",
        &format!("/api/v1/referrals/{id}/status"),
        Some(body),
    )
    .await
}

async fn a_referral_lives_its_whole_life_and_leaks_nowhere(backend: Backend) {
    let dir = tempdir();
    let s = scene(backend, dir.path()).await;
    let sent = send(&s, 1).await;
    let (a_id, url) = (
        sent["id"].as_i64().expect("id"),
        sent["url"].as_str().expect("url").to_string(),
    );
    let received = incoming(&s, &url).await;
    let b_id = received["id"].as_i64().expect("id");
    let view = status_of(&s.b, &s.b_case, b_id).await;
    assert_eq!(view["status"], "received");
    assert_eq!(
        view["content"]["person"]["safetyNotes"],
        format!("{CANARY} do not call after dark")
    );
    assert_eq!(
        view["content"]["consent"]["givenBy"],
        format!("{CANARY} the person")
    );
    wait_status(&s.a, &s.a_case, a_id, "received").await;

    for (status, note) in [("accepted", ""), ("in_progress", ""), ("completed", "")] {
        let (code, body) = move_to(&s.b, &s.b_case, b_id, status, note).await;
        assert_eq!(code, 200, "{status}: {body}");
        wait_status(&s.a, &s.a_case, a_id, status).await;
    }
    let message = json!({ "text": format!("{CANARY} first appointment booked") });
    let (code, _) =
        s.a.api_as(
            &s.a_case,
            "POST",
            &format!("/api/v1/referrals/{a_id}/messages"),
            Some(message),
        )
        .await;
    assert_eq!(code, 201);
    eventually(10, "the message reaches the receiver", || async {
        let view = status_of(&s.b, &s.b_case, b_id).await;
        view["timeline"]
            .as_array()?
            .iter()
            .any(|e| e["kind"] == "message")
            .then_some(())
    })
    .await;
    let (code, _) = move_to(
        &s.a,
        &s.a_case,
        a_id,
        "closed",
        &format!("{CANARY} case resolved"),
    )
    .await;
    assert_eq!(code, 200);
    let closed = wait_status(&s.b, &s.b_case, b_id, "closed").await;
    let outcome = closed["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .any(|e| e["status"] == "closed" && e["text"] == format!("{CANARY} case resolved"));
    assert!(outcome, "both sides see the outcome: {closed}");

    // Authorised fetch: only the other party, signing, gets the referral.
    let (status, body) = get(&url).await;
    assert_eq!(status, 401, "unsigned fetch: {body}");
    assert_eq!(signed_get(&s.c, &url).await.0, 404, "a third organisation");
    let (status, body) = signed_get(&s.b, &url).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(CANARY),
        "the receiving party sees the referral"
    );

    // A local editor is no caseworker.
    let editor = token(&s.a, "editor-a", "editor").await;
    assert_eq!(
        s.a.api_as(&editor, "GET", "/api/v1/referrals", None)
            .await
            .0,
        403
    );
    assert_eq!(
        s.a.api_as(&editor, "GET", &format!("/api/v1/referrals/{a_id}"), None)
            .await
            .0,
        403
    );
    let (status, _) = s.a.api("GET", "/api/v1/referrals", None).await;
    assert_eq!(status, 200, "admins may do casework");

    assert_no_leaks(&s, &url).await;
}

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// The canary is in no public response, no activity except those to the receiver, no log
/// line, and no database (every table read as text).
async fn assert_no_leaks(s: &Scene, referral_url: &str) {
    for node in [&s.a, &s.b, &s.c] {
        let public = [
            node.actor.clone(),
            format!("{}/outbox?page=true", node.actor),
            format!("{}/directory?page=true", node.actor),
            format!("{}/feed.rss", node.actor),
            format!("{}/api/v1/directory?q=", node.base),
            format!("{}/nodeinfo/2.1", node.base),
            format!("{}/", node.base),
        ];
        for url in public {
            let (_, body) = get(&url).await;
            assert!(!body.contains(CANARY), "{url} shows the canary");
        }
        assert!(
            !database_text(node).await.contains(CANARY),
            "{}'s database holds the canary in clear",
            node.name
        );
    }
    let c_referrals = s.c.store.list_referrals(1, None).await.expect("q");
    assert!(
        c_referrals.is_empty(),
        "the third node knows nothing of the referral"
    );
    let key = s.a.sealer();
    for (id, body, inbox) in s.a.store.sent_activities(1000).await.expect("q") {
        let body = key
            .open_if_sealed(&body, &Binding::outgoing(&id))
            .expect("open");
        if body.contains(CANARY) {
            assert_eq!(
                inbox,
                format!("{}/o/bravo/inbox", s.b.base),
                "carried to {inbox}"
            );
        }
    }
    let logs = String::from_utf8_lossy(&log_buffer().lock().expect("logs")).to_string();
    assert!(
        logs.contains(referral_url) || !logs.is_empty(),
        "logging works"
    );
    let leaked: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(CANARY))
        .take(3)
        .collect();
    assert!(leaked.is_empty(), "the logs hold the canary: {leaked:#?}");
}

/// Every row of every table of the node's database, as text.
async fn database_text(node: &TestNode) -> String {
    let url = &node.config.database_url;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut text = String::new();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        return text;
    }
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut text = String::new();
    for (table,) in tables {
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT t::text FROM \"{table}\" t"))
            .fetch_all(&mut conn)
            .await
            .expect("rows");
        for (row,) in rows {
            text.push_str(&row);
        }
    }
    text
}

async fn decline_withdraw_and_refusals(backend: Backend) {
    let dir = tempdir();
    let s = scene(backend, dir.path()).await;
    let first = send(&s, 1).await;
    let b_first = incoming(&s, first["url"].as_str().expect("url")).await["id"]
        .as_i64()
        .expect("id");
    let (code, err) = move_to(&s.b, &s.b_case, b_first, "declined", "").await;
    assert_eq!(code, 422, "a reason is required: {err}");
    let (code, _) = move_to(
        &s.b,
        &s.b_case,
        b_first,
        "declined",
        "No lawyer speaks Burmese this month",
    )
    .await;
    assert_eq!(code, 200);
    let a_first = first["id"].as_i64().expect("id");
    let declined = wait_status(&s.a, &s.a_case, a_first, "declined").await;
    assert!(
        declined.to_string().contains("No lawyer speaks Burmese"),
        "{declined}"
    );

    let second = send(&s, 2).await;
    let b_second = incoming(&s, second["url"].as_str().expect("url")).await["id"]
        .as_i64()
        .expect("id");
    let a_second = second["id"].as_i64().expect("id");
    let (code, _) = move_to(
        &s.a,
        &s.a_case,
        a_second,
        "withdrawn",
        "The person moved away",
    )
    .await;
    assert_eq!(code, 200);
    wait_status(&s.b, &s.b_case, b_second, "withdrawn").await;

    // The sending node refuses what the receiver would: a closed or unknown program, no consent.
    let mut no_consent = referral_body(&s.program, 3);
    no_consent["consent"] = json!({ "given": false });
    for (body, why) in [
        (no_consent, "consent"),
        (
            referral_body("https://nowhere.example/programs/1", 4),
            "program",
        ),
    ] {
        let (code, err) =
            s.a.api_as(&s.a_case, "POST", "/api/v1/referrals", Some(body))
                .await;
        assert_eq!(code, 422, "{why}: {err}");
        assert!(
            err["error"].as_str().unwrap_or_default().contains(why),
            "{err}"
        );
    }
    let closed =
        json!({ "name": "Full this year", "themes": ["shelter"], "acceptingReferrals": false });
    let (code, closed) = s.b.api("POST", "/api/v1/programs", Some(closed)).await;
    assert_eq!(code, 201);
    let closed_url = closed["url"].as_str().expect("url").to_string();
    eventually(
        10,
        "the closed program reaches the referring node",
        || async {
            s.a.store
                .post_by_ap_id(&closed_url)
                .await
                .expect("q")
                .map(|_| ())
        },
    )
    .await;
    let (code, err) =
        s.a.api_as(
            &s.a_case,
            "POST",
            "/api/v1/referrals",
            Some(referral_body(&closed_url, 8)),
        )
        .await;
    assert_eq!(code, 422, "{err}");
    assert!(
        err["error"]
            .as_str()
            .unwrap_or_default()
            .contains("does not accept referrals"),
        "{err}"
    );
    let before = s.a.store.list_referrals(1, None).await.expect("q").len();

    // To an organisation by its handle, without a program.
    let mut by_handle = referral_body(&s.program, 9);
    by_handle.as_object_mut().expect("object").remove("program");
    by_handle["organisation"] = json!(s.b.account());
    let (code, sent) =
        s.a.api_as(&s.a_case, "POST", "/api/v1/referrals", Some(by_handle))
            .await;
    assert_eq!(code, 201, "{sent}");
    assert_eq!(
        s.a.store.list_referrals(1, None).await.expect("q").len(),
        before + 1
    );
    incoming(&s, sent["url"].as_str().expect("url")).await;

    let mut overridden = referral_body(&s.program, 5);
    overridden["consent"] =
        json!({ "given": false, "overrideJustification": "Child at immediate risk" });
    let (code, _) =
        s.a.api_as(&s.a_case, "POST", "/api/v1/referrals", Some(overridden))
            .await;
    assert_eq!(code, 201, "a justified override may go without consent");

    // An offer with one place: the second referral answering it is refused as full.
    let valid_until = chrono::Utc::now().timestamp_millis() + 86_400_000;
    let offer = json!({ "name": "One place", "program": s.program, "capacity": 1, "validUntil": valid_until });
    let (code, offer) = s.b.api("POST", "/api/v1/offers", Some(offer)).await;
    assert_eq!(code, 201, "{offer}");
    let offer_url = offer["url"].as_str().expect("url").to_string();
    eventually(10, "the offer reaches the referring node", || async {
        s.a.store
            .post_by_ap_id(&offer_url)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    let mut ids = Vec::new();
    for n in [6, 7] {
        let mut body = referral_body(&s.program, n);
        body["referralOffer"] = json!(offer_url);
        let (code, sent) =
            s.a.api_as(&s.a_case, "POST", "/api/v1/referrals", Some(body))
                .await;
        assert_eq!(code, 201, "{sent}");
        ids.push(sent["id"].as_i64().expect("id"));
    }
    wait_status(&s.a, &s.a_case, ids[0], "received").await;
    let refused = wait_status(&s.a, &s.a_case, ids[1], "declined").await;
    assert!(refused.to_string().contains("full"), "{refused}");

    // An expired offer refuses new referrals at the sending node.
    let soon = chrono::Utc::now().timestamp_millis() + 1200;
    let short =
        json!({ "name": "Today only", "program": s.program, "capacity": 5, "validUntil": soon });
    let (code, short) = s.b.api("POST", "/api/v1/offers", Some(short)).await;
    assert_eq!(code, 201);
    let short_url = short["url"].as_str().expect("url").to_string();
    eventually(10, "the short offer reaches the referring node", || async {
        s.a.store
            .post_by_ap_id(&short_url)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mut late = referral_body(&s.program, 10);
    late["referralOffer"] = json!(short_url);
    let (code, err) =
        s.a.api_as(&s.a_case, "POST", "/api/v1/referrals", Some(late))
            .await;
    assert_eq!(code, 422);
    assert!(
        err["error"]
            .as_str()
            .unwrap_or_default()
            .contains("expired"),
        "{err}"
    );
}

async fn rules_refuse_what_they_must_and_replays_change_nothing(backend: Backend) {
    let dir = tempdir();
    let s = scene(backend, dir.path()).await;
    let sent = send(&s, 1).await;
    let (a_id, url) = (
        sent["id"].as_i64().expect("id"),
        sent["url"].as_str().expect("url").to_string(),
    );
    let b_id = incoming(&s, &url).await["id"].as_i64().expect("id");
    wait_status(&s.a, &s.a_case, a_id, "received").await;

    assert_eq!(
        move_to(&s.b, &s.b_case, b_id, "withdrawn", "x").await.0,
        403,
        "only the sender withdraws"
    );
    assert_eq!(
        move_to(&s.a, &s.a_case, a_id, "accepted", "").await.0,
        403,
        "only the receiver accepts"
    );
    assert_eq!(
        move_to(&s.b, &s.b_case, b_id, "completed", "").await.0,
        409,
        "not before accepting"
    );
    assert_eq!(move_to(&s.b, &s.b_case, b_id, "flying", "").await.0, 422);

    // Out of order: the receiver's node claims in_progress before any accept.
    let update = |n: u32, status: &str| {
        serde_json::to_vec(&json!({
            "id": format!("{}/activities/forged-update-{n}", s.b.base), "type": "Update", "actor": s.b.actor,
            "to": [s.a.actor],
            "object": { "type": "Referral", "id": url, "attributedTo": s.a.actor, "to": [s.b.actor], "status": status }
        }))
        .expect("json")
    };
    let (code, err) = signed_post(&s.b, &s.a, &update(1, "in_progress"), None).await;
    assert_eq!(code, 409, "{err}");
    assert_eq!(status_of(&s.a, &s.a_case, a_id).await["status"], "received");
    // The same party, in order: applied once, and a replay changes nothing.
    let accept = update(2, "accepted");
    assert_eq!(signed_post(&s.b, &s.a, &accept, None).await.0, 202);
    assert_eq!(signed_post(&s.b, &s.a, &accept, None).await.0, 202);
    let view = status_of(&s.a, &s.a_case, a_id).await;
    assert_eq!(view["status"], "accepted");
    let accepts = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["status"] == "accepted")
        .count();
    assert_eq!(accepts, 1, "{view}");
    // A third organisation cannot move it.
    let forged = serde_json::to_vec(&json!({
        "id": format!("{}/activities/meddle", s.c.base), "type": "Update", "actor": s.c.actor, "to": [s.a.actor],
        "object": { "type": "Referral", "id": url, "attributedTo": s.a.actor, "to": [s.c.actor], "status": "completed" }
    }))
    .expect("json");
    assert_eq!(signed_post(&s.c, &s.a, &forged, None).await.0, 403);
    assert_eq!(status_of(&s.a, &s.a_case, a_id).await["status"], "accepted");
}

async fn retention_erases_personal_fields_and_is_audited(backend: Backend) {
    let dir = tempdir();
    let s = scene(backend, dir.path()).await;
    let sent = send(&s, 1).await;
    let a_id = sent["id"].as_i64().expect("id");
    let b_id = incoming(&s, sent["url"].as_str().expect("url")).await["id"]
        .as_i64()
        .expect("id");
    move_to(&s.b, &s.b_case, b_id, "declined", "Outside our area").await;
    wait_status(&s.a, &s.a_case, a_id, "declined").await;
    let open = send(&s, 2).await;
    let (code, _) = move_to(&s.a, &s.a_case, a_id, "closed", "Referred elsewhere").await;
    assert_eq!(code, 200);

    eventually(10, "the sender's queue drains", || async {
        let states = s.a.store.destination_states().await.expect("q");
        states.iter().all(|d| d.pending == 0).then_some(())
    })
    .await;
    let now = chrono::Utc::now().timestamp_millis();
    let store = s.a.store.as_ref();
    assert_eq!(
        gotong::domain::retention::erase_expired(store, now, 90)
            .await
            .expect("run"),
        0,
        "not yet due"
    );
    let report = gotong::domain::retention::run_retention(store, now + 91 * 86_400_000, 90)
        .await
        .expect("run");
    assert_eq!(report.referrals_erased, 1, "only the closed referral");
    assert!(report.queue_bodies_purged > 0, "{report:?}");
    let sent = s.a.store.sent_activities(1000).await.expect("q");
    assert!(
        sent.iter().all(|(_, body, _)| !body.starts_with("sealed:")),
        "queued copies emptied"
    );
    let view = status_of(&s.a, &s.a_case, a_id).await;
    assert_eq!(view["content"], Value::Null);
    assert_eq!(view["status"], "closed");
    assert!(view["erased_at"].is_i64());
    assert!(
        view["timeline"]
            .as_array()
            .expect("t")
            .iter()
            .all(|e| e["text"].is_null()),
        "{view}"
    );
    let still_open = status_of(&s.a, &s.a_case, open["id"].as_i64().expect("id")).await;
    assert!(still_open["content"]["needs"]
        .as_str()
        .is_some_and(|n| n.contains(CANARY)));

    let (code, audit) = s.a.api("GET", "/api/v1/admin/audit", None).await;
    assert_eq!(code, 200);
    let actions: Vec<&str> = audit
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for wanted in [
        "create",
        "view",
        "status:declined",
        "status:closed",
        "erase",
    ] {
        assert!(
            actions.contains(&wanted),
            "{wanted} missing from {actions:?}"
        );
    }
    assert!(
        !audit.to_string().contains(CANARY),
        "the audit log holds no personal data"
    );
    let (code, _) =
        s.a.api_as(&s.a_case, "GET", "/api/v1/admin/audit", None)
            .await;
    assert_eq!(code, 403, "caseworkers do not read the audit log");
}
