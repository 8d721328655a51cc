//! The moderation pages over HTTP between real nodes: reports sent from one node's page and
//! resolved on the other's, suspending an account and removing an object from the pages,
//! subscribing to another node's blocklist on the federation page; and that only admins, with
//! the page's CSRF token, can use any of it.

mod common;

use common::browser::{Browser, Page};
use common::{eventually, feed, follow, publish, signed_post, staff_account, tempdir};
use common::{Backend, TestNode};
use gotong::domain::accounts::Role;
use serde_json::json;

on_both_databases!(
    a_report_sent_from_a_page_arrives_and_is_resolved_there,
    suspending_from_the_page_hides_the_account_and_refuses_it,
    removing_an_object_from_the_page_takes_it_out_of_the_directory,
    a_blocklist_subscribed_on_the_federation_page_applies_and_refreshes,
    only_admins_with_the_pages_token_may_moderate,
);

/// A browser signed in as a new staff member of `node` with `role`.
async fn signed_in(node: &TestNode, name: &str, role: Role) -> Browser {
    let password = staff_account(node, name, role).await;
    let mut browser = Browser::new(&node.base);
    browser.sign_in(name, &password).await;
    browser
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn org_id(node: &TestNode) -> i64 {
    let org = node.store.organisation_by_handle(&node.handle).await;
    org.expect("query").expect("organisation").id
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

/// Posts, expects the redirect back to `back` with a notice, and returns that page.
async fn act(
    browser: &mut Browser,
    (path, action): (&str, &str),
    fields: &[(&str, &str)],
    back: &str,
) -> Page {
    let answer = submit(browser, path, action, fields).await;
    assert_eq!(answer.status, 303, "{action}: {}", answer.body);
    let location = answer.location();
    assert!(location.starts_with(&format!("{back}?done=")), "{location}");
    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("class=\"notice\""), "{}", page.body);
    page
}

fn like(from: &TestNode, to: &TestNode, name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": format!("{}/activities/{name}", from.base), "type": "Like",
        "actor": from.actor, "object": to.actor
    }))
    .expect("json")
}

/// Publishes a program on `node`; returns its URL.
async fn program(node: &TestNode, name: &str) -> String {
    let body = json!({ "name": name, "themes": ["health"], "countries": ["TL"] });
    let (status, created) = node.api("POST", "/api/v1/programs", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["url"].as_str().expect("url").to_string()
}

/// Waits until `node`'s public directory page shows (or no longer shows) `text`.
async fn directory_shows(node: &TestNode, query: &str, text: &str) -> bool {
    let mut reader = Browser::new(&node.base);
    let page = reader.get(&format!("/directory?q={query}")).await;
    assert_eq!(page.status, 200);
    page.body.contains(text)
}

async fn a_report_sent_from_a_page_arrives_and_is_resolved_there(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    let post = publish(&b, "Questionable claims").await;
    let url = post["url"].as_str().expect("url").to_string();
    eventually(10, "the post arrives", || async {
        feed(&a).await.into_iter().find(|p| p["url"] == url)
    })
    .await;

    // The remote object's page links an admin to the report form, target filled in.
    let mut alpha = signed_in(&a, "boss", Role::Admin).await;
    let remote = alpha.get(&format!("/remote?id={}", encode(&url))).await;
    assert_eq!(remote.status, 200);
    let link = format!("/admin/reports?target={}", encode(&url));
    assert!(remote.body.contains(&link), "{}", remote.body);
    let form = alpha.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("value=\"{url}\"")));
    assert!(form.body.contains("aria-current=\"page\""));

    let comment = "Misleading health advice";
    let fields = [("target", url.as_str()), ("comment", comment)];
    let sent = act(
        &mut alpha,
        (&link, "/admin/reports"),
        &fields,
        "/admin/reports",
    )
    .await;
    assert!(sent.body.contains(comment), "the sent report is listed");
    assert!(sent.body.contains(&b.actor), "with its author");

    // B's admin finds it on B's reports page and resolves it.
    let mut bravo = signed_in(&b, "chief", Role::Admin).await;
    let page = eventually(15, "bravo receives the report", || async {
        let mut browser = Browser::new(&b.base);
        browser.cookies = bravo.cookies.clone();
        let page = browser.get("/admin/reports").await;
        page.body.contains(comment).then_some(page)
    })
    .await;
    assert!(page.body.contains(&a.actor), "names the reporter");
    assert!(page.body.contains(&url), "names the post");
    let open = b.store.list_reports(org_id(&b).await, Some("open")).await;
    let open = open.expect("reports");
    assert_eq!(open.len(), 1);
    let id = open[0].id.to_string();
    assert!(page.body.contains(&format!("name=\"id\" value=\"{id}\"")));
    let resolved = act(
        &mut bravo,
        ("/admin/reports", "/admin/reports/resolve"),
        &[("id", &id)],
        "/admin/reports",
    )
    .await;
    assert!(
        resolved.body.contains("Resolved by chief"),
        "{}",
        resolved.body
    );
    assert!(!resolved.body.contains("/admin/reports/resolve"));
    let open = b.store.list_reports(org_id(&b).await, Some("open")).await;
    assert!(open.expect("reports").is_empty());

    // A report that cannot be sent is explained, keeping what was typed.
    let fields = [("target", "not a url"), ("comment", "kept")];
    let refused = submit(&mut alpha, "/admin/reports", "/admin/reports", &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("role=\"alert\""));
    assert!(refused.body.contains(">kept</textarea>"));
}

async fn suspending_from_the_page_hides_the_account_and_refuses_it(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    program(&a, "Mobile clinic").await;
    eventually(10, "the program is in the directory", || async {
        directory_shows(&b, "clinic", "Mobile clinic")
            .await
            .then_some(())
    })
    .await;

    let mut bravo = signed_in(&b, "boss", Role::Admin).await;
    // By handle: the confirmation names the account it resolved to.
    let handle = format!("@{}", a.account());
    let confirm_path = format!("/admin/moderation/suspend?actor={}", encode(&handle));
    let confirm = bravo.get(&confirm_path).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains(&a.actor));
    assert!(confirm.body.contains("Yes, suspend this account"));
    // Without the confirmation nothing happens.
    let csrf = confirm.csrf();
    let unconfirmed = bravo
        .post(
            "/admin/moderation/suspend",
            &[("_csrf", &csrf), ("actor", &a.actor)],
        )
        .await;
    assert_eq!(unconfirmed.status, 303);
    assert!(unconfirmed
        .location()
        .starts_with("/admin/moderation/suspend?"));
    assert!(b.store.actor_mark(&a.actor).await.expect("q").is_none());

    let fields = [
        ("actor", a.actor.as_str()),
        ("reason", "harassment"),
        ("confirm", "yes"),
    ];
    let page = act(
        &mut bravo,
        (&confirm_path, "/admin/moderation/suspend"),
        &fields,
        "/admin/moderation",
    )
    .await;
    assert!(page.body.contains(&a.actor) && page.body.contains("harassment"));
    assert!(!directory_shows(&b, "clinic", "Mobile clinic").await);
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "after"), None).await;
    assert_eq!(status, 403, "its activities are refused: {err}");

    // Lifted from the page.
    let fields = [("actor", a.actor.as_str())];
    let page = act(
        &mut bravo,
        ("/admin/moderation", "/admin/moderation/unsuspend"),
        &fields,
        "/admin/moderation",
    )
    .await;
    assert!(page.body.contains("No remote account is suspended."));
    assert!(b.store.actor_mark(&a.actor).await.expect("q").is_none());
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "again"), None).await;
    assert_eq!(status, 202, "{err}");

    // An unknown handle is explained on the page.
    let unknown = bravo
        .get(&format!(
            "/admin/moderation/suspend?actor={}",
            encode(&format!("@nobody@{}", a.domain))
        ))
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("role=\"alert\""));
}

async fn removing_an_object_from_the_page_takes_it_out_of_the_directory(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    let url = program(&a, "Mobile clinic").await;
    eventually(10, "the program is in the directory", || async {
        directory_shows(&b, "clinic", "Mobile clinic")
            .await
            .then_some(())
    })
    .await;
    let remote_path = format!("/remote?id={}", encode(&url));
    let remove_path = format!("/admin/moderation/remove?object={}", encode(&url));

    let mut editor = signed_in(&b, "ed", Role::Editor).await;
    let page = editor.get(&remote_path).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/admin/moderation"), "no admin links");

    let mut bravo = signed_in(&b, "boss", Role::Admin).await;
    let page = bravo.get(&remote_path).await;
    assert!(page.body.contains(&remove_path), "{}", page.body);
    let suspend_author = format!("/admin/moderation/suspend?actor={}", encode(&a.actor));
    assert!(page.body.contains(&suspend_author));
    assert!(page.body.contains("/admin/reports?target="));
    let confirm = bravo.get(&remove_path).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("Mobile clinic") && confirm.body.contains(&url));
    let fields = [
        ("object", url.as_str()),
        ("reason", "misleading"),
        ("confirm", "yes"),
    ];
    let page = act(
        &mut bravo,
        (&remove_path, "/admin/moderation/remove"),
        &fields,
        "/admin/moderation",
    )
    .await;
    assert!(page.body.contains(&url) && page.body.contains("misleading"));
    assert!(!directory_shows(&b, "clinic", "Mobile clinic").await);
    assert_eq!(bravo.get(&remote_path).await.status, 404);
    let removed = b.store.removed_objects().await.expect("q");
    assert_eq!(removed[0].ap_id, url);

    // Local objects are deleted from the staff pages, not removed here.
    let own = program(&b, "Our own clinic").await;
    let local = bravo
        .get(&format!("/admin/moderation/remove?object={}", encode(&own)))
        .await;
    assert_eq!(local.status, 422);
    assert!(local.body.contains("one of your own posts"));
    assert!(directory_shows(&b, "clinic", "Our own clinic").await);
}

async fn a_blocklist_subscribed_on_the_federation_page_applies_and_refreshes(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    let rule = json!({ "domain": a.domain, "action": "block" });
    let (status, _) = c.api("POST", "/api/v1/admin/domains", Some(rule)).await;
    assert_eq!(status, 201);
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "before"), None).await;
    assert_eq!(status, 202, "{err}");

    let mut bravo = signed_in(&b, "boss", Role::Admin).await;
    let list_url = format!("{}/federation/blocklist", c.base);
    let federation = ("/admin/federation", "/admin/federation/lists");
    let fields = [("url", list_url.as_str()), ("kind", "block")];
    let page = act(&mut bravo, federation, &fields, "/admin/federation").await;
    assert!(page.body.contains("Subscribed lists"));
    assert!(page.body.contains(&list_url));
    assert!(page.body.contains("Rules from subscribed lists"));
    assert!(page.body.contains(&format!("<code>{}</code>", a.domain)));
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "blocked"), None).await;
    assert_eq!(status, 403, "the subscribed block applies: {err}");

    // C lists another domain; "Refresh now" brings it.
    let rule = json!({ "domain": "spam.example", "action": "block" });
    let (status, _) = c.api("POST", "/api/v1/admin/domains", Some(rule)).await;
    assert_eq!(status, 201);
    let id = b.store.subscriptions().await.expect("q")[0].id.to_string();
    let refresh = ("/admin/federation", "/admin/federation/lists/refresh");
    let page = act(&mut bravo, refresh, &[("id", &id)], "/admin/federation").await;
    assert!(
        page.body.contains("<code>spam.example</code>"),
        "{}",
        page.body
    );

    // A local rule wins, and the page says so.
    let local = ("/admin/federation", "/admin/federation/rules");
    let fields = [("domain", a.domain.as_str()), ("action", "allow")];
    let page = act(&mut bravo, local, &fields, "/admin/federation").await;
    assert!(page.body.contains("No: the local rule (Allow) wins"));
    let (status, err) = signed_post(&a, &b, &like(&a, &b, "allowed"), None).await;
    assert_eq!(status, 202, "{err}");

    // Unsubscribing lifts the list's rules.
    let remove = ("/admin/federation", "/admin/federation/lists/remove");
    let page = act(&mut bravo, remove, &[("id", &id)], "/admin/federation").await;
    assert!(page.body.contains("No subscribed lists."));
    assert!(!page.body.contains("spam.example"));
    assert!(b.store.subscribed_rules().await.expect("q").is_empty());

    // A bad address is refused and kept in the field.
    let fields = [("url", "ftp://nowhere"), ("kind", "block")];
    let refused = submit(&mut bravo, "/admin/federation", federation.1, &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("value=\"ftp://nowhere\""));
}

async fn only_admins_with_the_pages_token_may_moderate(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let pages = [
        "/admin/reports",
        "/admin/moderation",
        "/admin/moderation/suspend?actor=https%3A%2F%2Fx.example%2Fa",
        "/admin/moderation/remove?object=https%3A%2F%2Fx.example%2Fo",
    ];
    let posts: [(&str, &[(&str, &str)]); 8] = [
        (
            "/admin/reports",
            &[("target", "https://x.example/a"), ("comment", "x")],
        ),
        ("/admin/reports/resolve", &[("id", "1")]),
        (
            "/admin/moderation/suspend",
            &[("actor", "https://x.example/a"), ("confirm", "yes")],
        ),
        (
            "/admin/moderation/unsuspend",
            &[("actor", "https://x.example/a")],
        ),
        (
            "/admin/moderation/remove",
            &[("object", "https://x.example/o"), ("confirm", "yes")],
        ),
        (
            "/admin/federation/lists",
            &[
                ("url", "https://x.example/federation/blocklist"),
                ("kind", "block"),
            ],
        ),
        ("/admin/federation/lists/refresh", &[("id", "1")]),
        ("/admin/federation/lists/remove", &[("id", "1")]),
    ];

    let mut anonymous = Browser::new(&a.base);
    for path in pages {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }

    for role in [Role::Editor, Role::Caseworker] {
        let name = role.as_str();
        let mut browser = signed_in(&a, name, role).await;
        for path in pages {
            assert_eq!(browser.get(path).await.status, 403, "{name} on {path}");
        }
        let csrf = browser.get("/staff").await.csrf();
        for (path, fields) in posts {
            let mut all = vec![("_csrf", csrf.as_str())];
            all.extend_from_slice(fields);
            let answer = browser.post(path, &all).await;
            assert_eq!(answer.status, 403, "{name} posting to {path}");
        }
    }

    // An admin's posts need the page's token.
    let mut boss = signed_in(&a, "boss", Role::Admin).await;
    for (path, fields) in posts {
        let answer = boss.post(path, fields).await;
        assert_eq!(answer.status, 403, "without a token: {path}");
    }
    assert!(a.store.marked_actors().await.expect("q").is_empty());
    assert!(a.store.removed_objects().await.expect("q").is_empty());
    assert!(a.store.subscriptions().await.expect("q").is_empty());
    let reports = a.store.list_reports(org_id(&a).await, None).await;
    assert!(reports.expect("q").is_empty());

    // The admin sections link the new pages.
    let overview = boss.get("/admin").await;
    assert!(overview.body.contains("href=\"/admin/reports\""));
    assert!(overview.body.contains("href=\"/admin/moderation\""));
    let page = boss.get("/admin/moderation").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page
        .body
        .contains("<a href=\"/admin/moderation\" aria-current=\"page\">"));

    // Translated, with no message missing.
    for (lang, heading) in [("id", "Moderasi"), ("th", "การดูแลเนื้อหา")]
    {
        boss.accept_language = Some(lang.to_string());
        for path in ["/admin/reports", "/admin/moderation", "/admin/federation"] {
            let page = boss.get(path).await;
            assert_eq!(page.status, 200);
            assert!(page.body.contains(heading), "{lang} {path}");
            for raw in ["moderation-", "admin-"] {
                assert!(
                    !page.body.contains(raw),
                    "{lang} {path}: untranslated {raw}"
                );
            }
        }
    }
}
