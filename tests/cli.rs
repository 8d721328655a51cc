//! The `gotong` binary as an operator uses it: first start, restart, accounts and tokens.

mod common;

use common::binary::{free_port, gotong, serve, stop};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn first_start_bootstraps_once_and_the_setup_token_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let (child, printed) = serve(dir.path(), port);
    assert!(
        printed.contains("Created organisation @prc@localhost"),
        "{printed}"
    );
    let token = printed
        .split('"')
        .find(|part| part.starts_with("gt_"))
        .expect("setup token printed")
        .to_string();
    assert!(
        dir.path().join("data/gotong.db").exists(),
        "SQLite file under ./data"
    );
    let response = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/setup"))
        .json(&serde_json::json!({ "token": token, "password": "a long passphrase" }))
        .send()
        .expect("setup request");
    assert_eq!(response.status().as_u16(), 200);
    stop(child);

    let (child, printed) = serve(dir.path(), port);
    assert!(
        !printed.contains("Created organisation"),
        "created twice:\n{printed}"
    );
    stop(child);
}

#[test]
fn accounts_and_tokens_are_scriptable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let created = gotong(dir.path(), port)
        .args([
            "account",
            "create",
            "--username",
            "editor1",
            "--role",
            "editor",
        ])
        .args(["--password", "a long passphrase"])
        .output()
        .expect("run");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let minted = gotong(dir.path(), port)
        .args(["token", "create", "--username", "editor1"])
        .output()
        .expect("run");
    assert!(minted.status.success());
    let token = String::from_utf8(minted.stdout)
        .expect("utf8")
        .trim()
        .to_string();
    assert!(token.starts_with("gt_"), "{token}");

    let (child, _) = serve(dir.path(), port);
    let me: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .expect("me")
        .json()
        .expect("json");
    stop(child);
    assert_eq!(me["username"], "editor1");
    assert_eq!(me["role"], "editor");

    let duplicate = gotong(dir.path(), port)
        .args([
            "account",
            "create",
            "--username",
            "editor1",
            "--role",
            "editor",
        ])
        .output()
        .expect("run");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
}

#[test]
fn an_invalid_setting_stops_the_start_and_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = gotong(dir.path(), free_port())
        .env("GOTONG_LISTEN", "not-an-address")
        .arg("serve")
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("GOTONG_LISTEN"));
    let output = gotong(dir.path(), free_port())
        .env("GOTONG_COLOUR", "red")
        .arg("serve")
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown setting GOTONG_COLOUR"));
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created on a refused start"
    );
}

/// Three consecutive free ports, for the demo.
fn free_port_run() -> u16 {
    for base in (20_000..40_000).step_by(7) {
        let all_free = (0..3).all(|i| std::net::TcpListener::bind(("127.0.0.1", base + i)).is_ok());
        if all_free {
            return base;
        }
    }
    panic!("no three consecutive free ports");
}

#[test]
fn demo_starts_three_federating_nodes_with_a_shared_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = free_port_run();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(["demo", "--base-port", &base.to_string(), "--data-dir"])
        .arg(dir.path())
        .env("GOTONG_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn demo");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("demo ready") {
            break;
        }
    }
    assert!(printed.contains("token: gt_"), "{printed}");
    let directory = format!("http://127.0.0.1:{base}/api/v1/directory?q=");
    let deadline = Instant::now() + Duration::from_secs(60);
    let organisations = loop {
        let found: serde_json::Value = reqwest::blocking::get(&directory)
            .and_then(|r| r.json())
            .unwrap_or_default();
        let names: std::collections::BTreeSet<String> = found["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["organisation"]["name"].as_str().map(String::from))
            .collect();
        if names.len() == 3 || Instant::now() > deadline {
            break names;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    stop(child);
    assert_eq!(
        organisations.len(),
        3,
        "the first node's directory spans all three: {organisations:?}"
    );
}

#[test]
fn export_writes_hsds_and_hxl_csv_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let run = |args: &[&str]| {
        let output = gotong(dir.path(), port).args(args).output().expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf8")
    };
    run(&["account", "create", "--username", "ed", "--role", "editor"]);
    let token = run(&["token", "create", "--username", "ed"])
        .trim()
        .to_string();
    let (child, _) = serve(dir.path(), port);
    let created = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/programs"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "name": "Mobile health clinic", "themes": ["health"], "countries": ["TL"],
            "languages": ["tet"], "contacts": [{ "name": "Nurse, head", "email": "n@example.org" }]
        }))
        .send()
        .expect("create");
    assert_eq!(created.status().as_u16(), 201);
    stop(child);

    let csv = run(&["export", "--format", "csv", "--country", "TL"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("#org +name,#activity +name"));
    assert!(lines[2].contains("Mobile health clinic") && lines[2].contains("\"Nurse, head\""));
    assert_eq!(
        run(&["export", "--format", "csv", "--country", "FJ"])
            .lines()
            .count(),
        2
    );

    let out = dir.path().join("programs.json");
    run(&[
        "export",
        "--format",
        "hsds",
        "--output",
        out.to_str().expect("path"),
    ]);
    let hsds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("file")).expect("json");
    assert_eq!(hsds[0]["services"][0]["name"], "Mobile health clinic");
    assert_eq!(hsds[0]["services"][0]["languages"][0]["code"], "tet");
    #[cfg(unix)]
    {
        // What the node and the export wrote is readable by the owner only.
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &std::path::Path| {
            let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            meta.permissions().mode() & 0o777
        };
        assert_eq!(mode(&out), 0o600, "export file");
        let data = dir.path().join("data");
        assert_eq!(mode(&data), 0o700, "data directory the node created");
        for file in ["gotong.db", "secret.key"] {
            assert_eq!(mode(&data.join(file)), 0o600, "{file}");
        }
        // Control: a file made here without care is readable by others (umask 022 or so).
        let control = dir.path().join("control");
        std::fs::write(&control, "x").expect("write");
        assert_ne!(mode(&control) & 0o044, 0);
    }
    let bad = gotong(dir.path(), port)
        .args(["export", "--format", "xml"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
}

#[test]
fn a_destinations_backlog_can_be_retried_and_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let run = |args: &[&str]| {
        let output = gotong(dir.path(), port).args(args).output().expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf8")
    };
    run(&["account", "create", "--username", "ops", "--role", "admin"]);
    let inbox = "http://127.0.0.1:9/inbox";
    let url = format!("sqlite://{}/data/gotong.db", dir.path().display());
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = gotong::db::connect(&url).await.expect("db");
            let org = store.list_organisations().await.expect("q").remove(0);
            let activity = gotong::db::NewActivity {
                ap_id: "http://localhost/activities/1",
                organisation_id: org.id,
                kind: "Create",
                body: "{}",
                signing_key_sealed: None,
                referral: None,
            };
            store
                .enqueue_activity(activity, &[inbox.to_string()])
                .await
                .expect("enqueue");
        });
    assert!(run(&["deliveries"]).contains("pending=1"));
    assert!(run(&["deliveries", "retry", inbox]).starts_with("1 deliveries"));
    assert!(run(&["deliveries", "drop", inbox]).starts_with("dropped 1"));
    let state = run(&["deliveries"]);
    assert!(
        state.contains("pending=0") && state.contains("failed=1"),
        "{state}"
    );
}

fn run_ok(dir: &std::path::Path, port: u16, args: &[&str]) -> String {
    let out = gotong(dir, port).args(args).output().expect("run gotong");
    assert!(
        out.status.success(),
        "gotong {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn admin_commands_moderate_and_manage_subscribed_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let (child, _) = serve(dir.path(), port);
    run_ok(dir.path(), port, &["domains", "block", "spam.example"]);
    let list = format!("http://localhost:{port}/federation/blocklist");
    let out = run_ok(
        dir.path(),
        port,
        &["admin", "subscribe", &list, "--kind", "block"],
    );
    assert!(out.contains("added spam.example"), "{out}");
    let out = run_ok(dir.path(), port, &["admin", "subscriptions"]);
    assert!(out.contains(&list) && out.contains("spam.example"), "{out}");

    let actor = "https://remote.example/users/troll";
    run_ok(
        dir.path(),
        port,
        &["admin", "suspend", actor, "--reason", "abuse"],
    );
    let out = run_ok(dir.path(), port, &["admin", "suspensions"]);
    assert!(out.contains(actor) && out.contains("suspended"), "{out}");
    run_ok(dir.path(), port, &["admin", "unsuspend", actor]);
    assert!(run_ok(dir.path(), port, &["admin", "suspensions"]).is_empty());
    let out = run_ok(dir.path(), port, &["admin", "reports"]);
    assert!(out.is_empty(), "{out}");
    stop(child);

    // With the publisher gone, a refresh fails and the last good list stays.
    let out = gotong(dir.path(), port)
        .args(["admin", "refresh"])
        .output()
        .expect("run gotong");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("last good list kept"));
    let out = run_ok(dir.path(), port, &["admin", "subscriptions"]);
    assert!(out.contains("spam.example"), "{out}");
}
