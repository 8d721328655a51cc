//! Smaller protections of issue 10, each with a case that fails when it is broken and a
//! control the same probe passes: private file modes, CSV cells a spreadsheet would run,
//! remote links that are not web links, and a trailing dot in a blocked domain.

mod common;

use common::forgery::Forgery;
use common::{get_text, tempdir, Backend, TestNode};
use gotong::db::actors::Direction;
use gotong::db::NewRemoteActor;
use gotong::domain::objects::Details;
use gotong::domain::posts::Visibility;
use gotong::domain::remote::{receive_remote_post, RemotePost};
use serde_json::json;

on_both_databases!(
    database_and_key_files_are_readable_by_the_owner_only,
    csv_export_neutralises_cells_a_spreadsheet_would_run,
    remote_links_are_rendered_only_when_they_are_web_links,
    a_blocked_domain_stays_blocked_with_a_trailing_dot,
);

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    meta.permissions().mode() & 0o777
}

async fn database_and_key_files_are_readable_by_the_owner_only(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    // Writes while the node runs, so SQLite has its WAL and shared-memory files open.
    common::publish(&node, "Clinic hours change on Monday").await;
    #[cfg(unix)]
    {
        assert_eq!(
            mode(std::path::Path::new(&node.config.secret_key_file)),
            0o600
        );
        if let Some(db) = node.config.database_url.strip_prefix("sqlite://") {
            for suffix in ["", "-wal", "-shm"] {
                let path = std::path::PathBuf::from(format!("{db}{suffix}"));
                assert!(
                    path.exists(),
                    "{} exists while the node runs",
                    path.display()
                );
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
            // Control: a file this test creates itself gets the usual, wider mode.
            let control = dir.path().join("control.txt");
            std::fs::write(&control, "x").expect("write");
            assert_ne!(
                mode(&control) & 0o044,
                0,
                "the umask would not hide a regression"
            );
        }
    }
}

async fn csv_export_neutralises_cells_a_spreadsheet_would_run(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    for (name, phone) in [
        (
            r#"=HYPERLINK("https://evil.example/","Open")"#,
            "+62 21 555 0101",
        ),
        ("Mobile clinic", "021 555 0102"),
    ] {
        let program = json!({
            "name": name, "themes": ["health"], "countries": ["TL"],
            "contacts": [{ "name": "Intake", "phone": phone }],
        });
        let (status, body) = node.api("POST", "/api/v1/programs", Some(program)).await;
        assert_eq!(status, 201, "{body}");
    }
    let url = format!("{}/api/v1/directory/export.csv", node.base);
    let (status, _, csv) = get_text(&url, "text/csv").await;
    assert_eq!(status, 200);
    let row = |needle: &str| {
        csv.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}: {csv}"))
            .to_string()
    };
    let hostile = row("HYPERLINK");
    assert!(
        hostile.contains(r#","'=HYPERLINK(""https://evil.example/"",""Open"")","#),
        "{hostile}"
    );
    assert!(hostile.contains(",'+62 21 555 0101,"), "{hostile}");
    // Control: an ordinary row is exported as it is.
    let plain = row("Mobile clinic");
    assert!(
        plain.contains(",Mobile clinic,") && plain.contains(",021 555 0102,"),
        "{plain}"
    );
}

async fn remote_links_are_rendered_only_when_they_are_web_links(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    let store = node.store.as_ref();
    let org = store
        .organisation_by_handle("alpha")
        .await
        .expect("q")
        .expect("org");
    // A remote organisation this node follows, whose profile link is a script (as stored by a
    // version that kept any `url`).
    let ap_id = "https://remote.example/actors/ngo";
    let actor = store
        .upsert_remote_actor(NewRemoteActor {
            ap_id,
            kind: "Organization",
            username: "ngo",
            domain: "remote.example",
            name: "Remote NGO",
            summary: "",
            inbox: "https://remote.example/actors/ngo/inbox",
            shared_inbox: None,
            outbox: None,
            followers: None,
            key_id: "https://remote.example/actors/ngo#main-key",
            public_key_pem: "unused",
            url: Some("javascript:alert(document.cookie)"),
            icon_url: None,
            directory: None,
        })
        .await
        .expect("actor");
    let follow_id = "https://remote.invalid/follow/1";
    store
        .upsert_follow(
            Direction::Following,
            org.id,
            actor.id,
            follow_id,
            gotong::domain::follows::FollowState::Accepted,
        )
        .await
        .expect("follow");
    let html = concat!(
        r#"<p><a href="javascript:alert(1)">one</a> <a href="data:text/html;base64,PHNjcmlwdD4=">two</a> "#,
        r#"<a href="vbscript:msgbox(1)">three</a> <a href="//evil.example/x">four</a> "#,
        r#"<a href="https://remote.example/report">the report</a></p>"#
    );
    let post_id = "https://remote.example/notes/1";
    let post = RemotePost {
        ap_id: post_id,
        author_ap_id: ap_id,
        name: "",
        summary: "",
        html,
        tags: vec![],
        visibility: Visibility::Public,
        published_at: gotong::db::now_ms(),
        updated_at: None,
        details: Details::Update,
        languages: None,
    };
    receive_remote_post(store, post)
        .await
        .expect("stored")
        .expect("kept");
    let page_url = format!("{}/remote?id={}", node.base, urlencode(post_id));
    let (status, _, page) = get_text(&page_url, "text/html").await;
    assert_eq!(status, 200, "{page}");
    for scheme in ["javascript:", "data:", "vbscript:", "//evil.example"] {
        assert!(
            !page.contains(&format!("href=\"{scheme}")),
            "{scheme} link in {page}"
        );
    }
    // Controls: the web link is a link, and the author's link falls back to its actor id.
    assert!(
        page.contains(r#"href="https://remote.example/report""#),
        "{page}"
    );
    assert!(page.contains(&format!(r#"href="{ap_id}""#)), "{page}");
    assert!(page.contains("Remote NGO"));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn a_blocked_domain_stays_blocked_with_a_trailing_dot(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let pem = a.private_key().await;
    let dotted = format!("localhost.:{}", a.addr.port());
    let send = |host: String, n: usize| {
        let actor = format!("http://{host}/o/alpha");
        let activity = json!({
            "id": format!("http://{host}/activities/dot-{n}"), "type": "Like",
            "actor": actor, "object": b.actor,
        });
        let mut forgery = Forgery::new(&a, &b, serde_json::to_vec(&activity).expect("json"));
        forgery.key_id = format!("{actor}#main-key");
        let (b, pem) = (&b, pem.clone());
        async move { forgery.send(b, &pem).await }
    };
    // Control: before the block, the policy lets the dotted name through (whatever the
    // signature check says next).
    let (status, body) = send(dotted.clone(), 0).await;
    assert_ne!(status, 403, "{body}");
    let rule = json!({ "domain": a.domain, "action": "block" });
    let (status, body) = b.api("POST", "/api/v1/admin/domains", Some(rule)).await;
    assert_eq!(status, 201, "{body}");
    for (n, host) in [dotted, a.domain.clone()].into_iter().enumerate() {
        let (status, body) = send(host.clone(), n + 1).await;
        assert_eq!(status, 403, "{host}: {body}");
        assert!(body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("does not federate"));
    }
}
