//! The administration pages over HTTP, as an admin's browser uses them: profile and key, accounts
//! and roles, federation rules, the delivery queue and the audit log; and that nobody else can
//! use them.

mod common;

use common::browser::{Browser, Page};
use common::{eventually, follow, signed_post, staff_account, tempdir, Backend, TestNode};
use gotong::domain::{accounts::Role, policy};
use serde_json::json;

on_both_databases!(
    an_admin_edits_the_profile_and_followers_receive_it,
    accounts_are_created_and_roles_changed_but_never_ones_own,
    federation_mode_and_domain_rules_are_set_in_the_page,
    the_delivery_page_shows_a_failing_follower_and_drops_its_backlog,
    the_audit_log_lists_referral_events_without_personal_data,
    only_admins_may_use_the_admin_pages,
);

/// A browser signed in as a new admin of `node`.
async fn admin(node: &TestNode) -> Browser {
    let password = staff_account(node, "boss", Role::Admin).await;
    let mut browser = Browser::new(&node.base);
    browser.sign_in("boss", &password).await;
    browser
}

async fn org(node: &TestNode) -> gotong::db::OrganisationRow {
    let org = node.store.organisation_by_handle(&node.handle).await;
    org.expect("query").expect("organisation")
}

/// Opens `path`, then posts `fields` with the page's CSRF token.
async fn submit(browser: &mut Browser, path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let form = browser.get(path).await;
    assert_eq!(form.status, 200, "{path}: {}", form.body);
    let csrf = form.csrf();
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(action, &all).await
}

/// Posts, expects the redirect back to an admin page with a notice, and returns that page.
async fn act(browser: &mut Browser, path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let answer = submit(browser, path, action, fields).await;
    assert_eq!(answer.status, 303, "{action}: {}", answer.body);
    let back = answer.location();
    assert!(
        back.starts_with("/admin") && back.contains("?done="),
        "{back}"
    );
    let page = browser.get(&answer.location()).await;
    assert!(page.body.contains("class=\"notice\""), "{}", page.body);
    page
}

async fn an_admin_edits_the_profile_and_followers_receive_it(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    let mut browser = admin(&a).await;

    let settings = browser.get("/admin/settings").await;
    assert_eq!(settings.status, 200);
    assert_eq!(settings.header("cache-control"), "no-store");
    assert!(settings.body.contains(&a.domain), "shows the domain");
    assert!(settings.body.contains("90 days"), "shows the retention");
    assert!(settings
        .body
        .contains("Open (all servers except blocked ones)"));
    assert!(settings.body.len() < 100 * 1024);

    let refused = submit(
        &mut browser,
        "/admin/settings",
        "/admin/settings/profile",
        &[("name", "Alpha"), ("icon_url", "javascript:alert(1)")],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("role=\"alert\""));

    let saved = act(
        &mut browser,
        "/admin/settings",
        "/admin/settings/profile",
        &[
            ("name", "Yayasan Alpha Baru"),
            ("summary", "Legal aid & shelter."),
            ("icon_url", "https://example.org/logo.png"),
            ("manual_approval", "yes"),
        ],
    )
    .await;
    assert!(saved.body.contains("value=\"Yayasan Alpha Baru\""));
    let org = org(&a).await;
    assert_eq!(org.name, "Yayasan Alpha Baru");
    assert!(org.manual_approval);
    assert_eq!(
        org.icon_url.as_deref(),
        Some("https://example.org/logo.png")
    );
    eventually(15, "the follower receives the new name", || async {
        let actor = b.store.remote_actor_by_ap_id(&a.actor).await.expect("q")?;
        (actor.name == "Yayasan Alpha Baru").then_some(())
    })
    .await;

    // Key rotation asks first, then replaces the key.
    let old_key = org.public_key_pem.clone();
    let confirm = browser.get("/admin/settings/rotate-key").await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("cannot be undone"));
    let without_confirmation = browser
        .post("/admin/settings/rotate-key", &[("_csrf", &confirm.csrf())])
        .await;
    assert_eq!(without_confirmation.status, 303);
    assert_eq!(
        without_confirmation.location(),
        "/admin/settings/rotate-key"
    );
    let unchanged = a.store.organisation_by_id(org.id).await.expect("org");
    assert_eq!(unchanged.public_key_pem, old_key);
    act(
        &mut browser,
        "/admin/settings/rotate-key",
        "/admin/settings/rotate-key",
        &[("confirm", "yes")],
    )
    .await;
    let rotated = a.store.organisation_by_id(org.id).await.expect("org");
    assert_ne!(rotated.public_key_pem, old_key);
    // The follower fetched alpha minutes ago, so it refuses the Update signed with the new
    // key until its copy is an hour old; the delivery is retried until then.
    common::age_remote_actor(&b, &a.actor, 2 * 3600 * 1000).await;
    eventually(15, "the follower receives the new key", || async {
        let actor = b.store.remote_actor_by_ap_id(&a.actor).await.expect("q")?;
        (actor.public_key_pem == rotated.public_key_pem).then_some(())
    })
    .await;
}

async fn accounts_are_created_and_roles_changed_but_never_ones_own(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let mut browser = admin(&a).await;

    let list = browser.get("/admin/accounts").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("boss"));
    let created = act(
        &mut browser,
        "/admin/accounts",
        "/admin/accounts",
        &[
            ("username", "amira"),
            ("role", "caseworker"),
            ("password", "amira's long passphrase"),
        ],
    )
    .await;
    assert!(created.body.contains("amira"));
    let row = a.store.account_by_username("amira").await.expect("q");
    assert_eq!(row.expect("created").role, Role::Caseworker);

    let mut amira = Browser::new(&a.base);
    amira.sign_in("amira", "amira's long passphrase").await;
    assert_eq!(amira.get("/staff").await.status, 200);
    assert_eq!(amira.get("/admin/accounts").await.status, 403);

    let fields = [("username", "amira"), ("role", "editor"), ("password", "x")];
    let short = submit(&mut browser, "/admin/accounts", "/admin/accounts", &fields).await;
    assert_eq!(short.status, 422, "a short password is refused");
    let fields = [
        ("username", "amira"),
        ("role", "editor"),
        ("password", "another long passphrase"),
    ];
    let twice = submit(&mut browser, "/admin/accounts", "/admin/accounts", &fields).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    let fields = [
        ("username", "no spaces"),
        ("role", "editor"),
        ("password", "another long passphrase"),
    ];
    let bad = submit(&mut browser, "/admin/accounts", "/admin/accounts", &fields).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"no spaces\""), "the form is kept");

    act(
        &mut browser,
        "/admin/accounts",
        "/admin/accounts/role",
        &[("username", "amira"), ("role", "editor")],
    )
    .await;
    let row = a.store.account_by_username("amira").await.expect("q");
    assert_eq!(row.expect("amira").role, Role::Editor);
    // The change applies to amira's open session at once.
    let staff = amira.get("/staff").await;
    assert!(staff.body.contains("/staff/objects"), "editors see Publish");

    let myself = submit(
        &mut browser,
        "/admin/accounts",
        "/admin/accounts/role",
        &[("username", "boss"), ("role", "caseworker")],
    )
    .await;
    assert_eq!(myself.status, 403);
    assert!(myself
        .body
        .contains("cannot remove your own administrator role"));
    let row = a.store.account_by_username("boss").await.expect("q");
    assert_eq!(row.expect("boss").role, Role::Admin);
    assert_eq!(browser.get("/admin").await.status, 200);

    let nobody = submit(
        &mut browser,
        "/admin/accounts",
        "/admin/accounts/role",
        &[("username", "nobody"), ("role", "editor")],
    )
    .await;
    assert_eq!(nobody.status, 404);
}

async fn federation_mode_and_domain_rules_are_set_in_the_page(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let mut browser = admin(&a).await;

    // A block stored in the page is shown and enforced at the inbox.
    let page = act(
        &mut browser,
        "/admin/federation",
        "/admin/federation/rules",
        &[
            ("domain", &c.domain),
            ("action", "block"),
            ("reason", "spam"),
            ("purge", "yes"),
        ],
    )
    .await;
    assert!(page.body.contains(&format!("<code>{}</code>", c.domain)));
    assert!(page.body.contains("spam"));
    let body = serde_json::to_vec(&json!({
        "id": format!("{}/activities/knock", c.base), "type": "Follow", "actor": c.actor, "object": a.actor
    }))
    .expect("json");
    let (status, err) = signed_post(&c, &a, &body, None).await;
    assert_eq!(status, 403, "{err}");

    let bad = submit(
        &mut browser,
        "/admin/federation",
        "/admin/federation/rules",
        &[("domain", "https://x.example/path"), ("action", "block")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"https://x.example/path\""));

    // Allowlist mode with one allowed domain.
    act(
        &mut browser,
        "/admin/federation",
        "/admin/federation/rules",
        &[("domain", "Member.Example"), ("action", "allow")],
    )
    .await;
    let page = act(
        &mut browser,
        "/admin/federation",
        "/admin/federation/mode",
        &[("mode", "allowlist")],
    )
    .await;
    assert!(page
        .body
        .contains("Current mode: Closed (only allowed servers)"));
    assert!(page.body.contains("<code>member.example</code>"));
    let stored = policy::load(a.store.as_ref()).await.expect("policy");
    assert_eq!(stored.mode, policy::FederationMode::Allowlist);
    assert!(stored.permits("member.example"));
    assert!(!stored.permits("stranger.example"));

    let page = act(
        &mut browser,
        "/admin/federation",
        "/admin/federation/rules/remove",
        &[("domain", &c.domain)],
    )
    .await;
    assert!(!page.body.contains(&format!("<code>{}</code>", c.domain)));
    let stored = policy::load(a.store.as_ref()).await.expect("policy");
    assert_eq!(stored.rules.len(), 1);
    let missing = submit(
        &mut browser,
        "/admin/federation",
        "/admin/federation/rules/remove",
        &[("domain", &c.domain)],
    )
    .await;
    assert_eq!(missing.status, 422);
}

async fn the_delivery_page_shows_a_failing_follower_and_drops_its_backlog(backend: Backend) {
    let dir = tempdir();
    let mut a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    a.stop(true);
    for n in 1..=2 {
        common::publish(&b, &format!("Bulletin {n}")).await;
    }
    eventually(15, "a failed delivery attempt is recorded", || async {
        let states = b.store.destination_states().await.expect("q");
        states
            .iter()
            .any(|d| d.failing_since.is_some())
            .then_some(())
    })
    .await;
    let inbox = b
        .store
        .destination_states()
        .await
        .expect("q")
        .into_iter()
        .find(|d| d.pending > 0)
        .expect("a backlog")
        .inbox;

    let mut browser = admin(&b).await;
    let overview = browser.get("/admin").await;
    assert!(overview.body.contains("class=\"warning\""), "failing noted");
    let page = browser.get("/admin/deliveries").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&a.domain), "{}", page.body);
    assert!(page.body.contains("Failing since"));
    assert!(page.body.contains("Last error"));
    assert!(page.body.contains("Next attempt"));

    act(
        &mut browser,
        "/admin/deliveries",
        "/admin/deliveries/retry",
        &[("inbox", &inbox)],
    )
    .await;
    let page = act(
        &mut browser,
        "/admin/deliveries",
        "/admin/deliveries/drop",
        &[("inbox", &inbox)],
    )
    .await;
    let state = b.store.destination_states().await.expect("q");
    let state = state
        .iter()
        .find(|d| d.inbox == inbox)
        .expect("destination");
    assert_eq!(state.pending, 0, "{state:?}");
    assert!(state.failed >= 2, "dropped deliveries are kept as failed");
    assert!(!page.body.contains("Failing since"));
    assert!(!page.body.contains("/admin/deliveries/drop"));
}

async fn the_audit_log_lists_referral_events_without_personal_data(backend: Backend) {
    const SECRET: &str = "PERSONAL-9d2c";
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let program = json!({
        "name": "Legal aid", "themes": ["legal-aid"], "countries": ["MY"], "acceptingReferrals": true
    });
    let (status, body) = b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{body}");
    let program = body["url"].as_str().expect("url").to_string();
    follow(&a, &b).await;
    eventually(10, "the program arrives", || async {
        a.store
            .post_by_ap_id(&program)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
    let referral = json!({
        "program": program, "urgency": "urgent", "needs": format!("{SECRET} needs"),
        "person": { "reference": SECRET, "languages": ["my"], "contactChannel": SECRET },
        "consent": { "given": true, "givenBy": SECRET, "givenAt": 1_763_000_000_000i64, "scope": SECRET }
    });
    let (status, sent) = a.api("POST", "/api/v1/referrals", Some(referral)).await;
    assert_eq!(status, 201, "{sent}");
    eventually(10, "the receiver records the referral", || async {
        let log = b
            .store
            .audit_log(org(&b).await.id, None, 10)
            .await
            .expect("q");
        log.iter().any(|e| e.action == "receive").then_some(())
    })
    .await;

    let mut sender = admin(&a).await;
    let page = sender.get("/admin/audit").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page.body.contains("Sent a referral"), "{}", page.body);
    assert!(page.body.contains("Referral no. "));
    assert!(!page.body.contains(SECRET));

    let mut receiver = admin(&b).await;
    let page = receiver.get("/admin/audit").await;
    assert!(page.body.contains("Received a referral"), "{}", page.body);
    assert!(page
        .body
        .contains(&format!("Partner organisation on {}", a.domain)));
    assert!(!page.body.contains(SECRET));
    receiver.accept_language = Some("th".into());
    let thai = receiver.get("/admin/audit").await;
    assert!(thai.body.contains("ได้รับการส่งต่อ"), "{}", thai.body);
}

async fn only_admins_may_use_the_admin_pages(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let pages = [
        "/admin",
        "/admin/settings",
        "/admin/settings/rotate-key",
        "/admin/accounts",
        "/admin/federation",
        "/admin/deliveries",
        "/admin/audit",
    ];
    let posts: [(&str, &[(&str, &str)]); 9] = [
        ("/admin/settings/profile", &[("name", "Taken over")]),
        ("/admin/settings/rotate-key", &[("confirm", "yes")]),
        (
            "/admin/accounts",
            &[
                ("username", "mole"),
                ("role", "admin"),
                ("password", "a long passphrase"),
            ],
        ),
        (
            "/admin/accounts/role",
            &[("username", "boss"), ("role", "caseworker")],
        ),
        ("/admin/federation/mode", &[("mode", "allowlist")]),
        (
            "/admin/federation/rules",
            &[("domain", "x.example"), ("action", "block")],
        ),
        ("/admin/federation/rules/remove", &[("domain", "x.example")]),
        (
            "/admin/deliveries/retry",
            &[("inbox", "https://x.example/inbox")],
        ),
        (
            "/admin/deliveries/drop",
            &[("inbox", "https://x.example/inbox")],
        ),
    ];

    let mut anonymous = Browser::new(&a.base);
    for path in pages {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }

    let mut boss = admin(&a).await;
    for role in [Role::Editor, Role::Caseworker] {
        let name = role.as_str();
        let password = staff_account(&a, name, role).await;
        let mut browser = Browser::new(&a.base);
        browser.sign_in(name, &password).await;
        for path in pages {
            let page = browser.get(path).await;
            assert_eq!(page.status, 403, "{name} on {path}");
        }
        let csrf = browser.get("/staff").await.csrf();
        for (path, fields) in posts {
            let mut all = vec![("_csrf", csrf.as_str())];
            all.extend_from_slice(fields);
            let answer = browser.post(path, &all).await;
            assert_eq!(answer.status, 403, "{name} posting to {path}");
        }
        let nav = browser.get("/staff").await;
        assert!(
            !nav.body.contains("href=\"/admin\""),
            "{name} has no admin link"
        );
    }
    let org = org(&a).await;
    assert_ne!(org.name, "Taken over");
    assert!(a
        .store
        .account_by_username("mole")
        .await
        .expect("q")
        .is_none());
    let stored = policy::load(a.store.as_ref()).await.expect("policy");
    assert_eq!(stored.mode, policy::FederationMode::Blocklist);
    assert!(stored.rules.is_empty());

    // Even an admin's post needs the page's token and this node's origin.
    let no_token = boss
        .post("/admin/federation/mode", &[("mode", "allowlist")])
        .await;
    assert_eq!(no_token.status, 403);
    let csrf = boss.get("/admin/federation").await.csrf();
    let fields = [("_csrf", csrf.as_str()), ("mode", "allowlist")];
    let other_site = boss
        .post_from("/admin/federation/mode", &fields, "https://evil.example")
        .await;
    assert_eq!(other_site.status, 403);
    let stored = policy::load(a.store.as_ref()).await.expect("policy");
    assert_eq!(stored.mode, policy::FederationMode::Blocklist);
    assert!(boss.get("/admin").await.body.contains("href=\"/admin\""));
}
