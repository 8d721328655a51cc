//! The browser interface without a browser: pages, sessions, CSRF, languages and headers,
//! checked over HTTP against real nodes. (Flows in real Chromium are in `tests/browser/`.)

mod common;

use common::browser::Browser;
use common::{staff_account, tempdir, Backend, TestNode};
use gotong::domain::accounts::Role;

on_both_databases!(
    public_pages_answer_browsers_at_the_activitypub_urls,
    first_run_setup_happens_in_the_browser_once,
    sign_in_opens_a_session_and_sign_out_ends_it,
    forms_without_the_csrf_token_or_from_another_site_are_refused,
    the_interface_speaks_the_readers_language,
);

async fn public_pages_answer_browsers_at_the_activitypub_urls(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let mut browser = Browser::new(&node.base);

    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Organisation prc"), "{}", home.body);
    assert!(home.body.contains("<html lang=\"en\">"));
    assert!(home
        .header("content-security-policy")
        .contains("script-src 'self'"));
    assert_eq!(home.header("x-frame-options"), "DENY");
    assert!(home.body.len() < 100 * 1024);

    let profile = browser.get(&node.actor).await;
    assert_eq!(profile.status, 200);
    assert!(profile.header("content-type").starts_with("text/html"));
    assert!(
        profile.body.contains("<h1>Organisation prc</h1>"),
        "{}",
        profile.body
    );
    assert!(profile.body.contains("/o/prc/feed.rss"));

    let (_, content_type, json) = common::get_text(&node.actor, "application/activity+json").await;
    assert!(content_type.contains("activity+json"));
    assert!(json.contains("\"Organization\""));

    let note = common::publish(&node, "Legal clinic <script>alert(1)</script> on Fridays").await;
    let url = note["url"].as_str().expect("object id");
    let page = browser.get(url).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Legal clinic"));
    assert!(!page.body.contains("<script>alert"), "text is escaped");
    let profile = browser.get(&node.actor).await;
    assert!(
        profile.body.contains(url),
        "the update is listed on the profile"
    );

    let css = browser.get("/static/gotong.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
}

async fn first_run_setup_happens_in_the_browser_once(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let mut browser = Browser::new(&node.base);

    let bad = browser.get("/setup?token=gt_not_a_token").await;
    assert_eq!(bad.status, 404);

    let link = format!("/setup?token={}", node.setup_token);
    let form = browser.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("admin"), "names the admin account");
    let csrf = form.csrf();
    let short = browser
        .post(
            "/setup",
            &[
                ("_csrf", &csrf),
                ("token", &node.setup_token),
                ("password", "short"),
                ("org_name", "PRC"),
            ],
        )
        .await;
    assert_eq!(
        short.status, 422,
        "a short password is refused and the form kept"
    );
    assert!(short.body.contains("PRC"));

    let done = browser
        .post(
            "/setup",
            &[
                ("_csrf", &csrf),
                ("token", &node.setup_token),
                ("password", "a long passphrase"),
                ("org_name", "Palang Merah Contoh"),
                ("org_summary", "Restoring family links & legal aid."),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/staff");
    let home = browser.get("/staff").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Signed in as admin"));
    assert_eq!(home.header("cache-control"), "no-store");

    let profile = browser.get(&node.actor).await;
    assert!(profile.body.contains("Palang Merah Contoh"));
    assert!(profile
        .body
        .contains("Restoring family links &amp; legal aid."));

    let again = browser.get(&link).await;
    assert_eq!(again.status, 404, "the link works once");
    let mut other = Browser::new(&node.base);
    other.sign_in("admin", "a long passphrase").await;
}

async fn sign_in_opens_a_session_and_sign_out_ends_it(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let password = staff_account(&node, "editor1", Role::Editor).await;
    let mut browser = Browser::new(&node.base);

    let redirected = browser.get("/staff").await;
    assert_eq!(redirected.status, 303);
    assert_eq!(redirected.location(), "/login?next=%2Fstaff");

    let form = browser.get("/login?next=/staff").await;
    let csrf = form.csrf();
    let wrong = browser
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("username", "editor1"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(!browser.cookies.contains_key("gotong_session"));

    let ok = browser
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("username", "editor1"),
                ("password", &password),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(
        ok.location(),
        "/",
        "only local paths are followed after sign-in"
    );
    let cookie = ok.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "development mode runs on plain http"
    );
    let session = browser.cookies["gotong_session"].clone();

    let home = browser.get("/staff").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("editor1"));
    // Signed in, the sign-in page sends on to `next`: a local path only, whatever is encoded.
    for (next, to) in [
        ("%2Fadmin%2Fsettings%3Fx%3D1", "/admin/settings?x=1"),
        ("%2F%09%2Fevil.example%2F", "/"),
        ("%2F%250d%250aSet-Cookie%3Ax", "/"),
        ("%2F%5Cevil.example", "/"),
    ] {
        let sent_on = browser.get(&format!("/login?next={next}")).await;
        assert_eq!(sent_on.status, 303);
        assert_eq!(sent_on.location(), to, "next={next}");
    }
    let csrf = home.csrf();
    let out = browser.post("/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(!browser.cookies.contains_key("gotong_session"));

    browser.cookies.insert("gotong_session".into(), session);
    let stale = browser.get("/staff").await;
    assert_eq!(stale.status, 303, "the old session no longer works");
}

async fn forms_without_the_csrf_token_or_from_another_site_are_refused(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let password = staff_account(&node, "editor1", Role::Editor).await;
    let mut browser = Browser::new(&node.base);

    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let missing = browser
        .post(
            "/login",
            &[("username", "editor1"), ("password", &password)],
        )
        .await;
    assert_eq!(missing.status, 403);
    assert!(!browser.cookies.contains_key("gotong_session"));
    let foreign = browser
        .post_from(
            "/login",
            &[
                ("_csrf", &csrf),
                ("username", "editor1"),
                ("password", &password),
            ],
            "https://evil.example",
        )
        .await;
    assert_eq!(foreign.status, 403);
    let mut stranger = Browser::new(&node.base);
    let stolen = stranger
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("username", "editor1"),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(stolen.status, 403, "a token only works with its own cookie");

    browser.sign_in("editor1", &password).await;
    let anonymous_token = csrf;
    let out = browser
        .post("/logout", &[("_csrf", &anonymous_token)])
        .await;
    assert_eq!(out.status, 403, "signed in, forms need the session's token");
    assert!(browser.get("/staff").await.status == 200, "still signed in");
}

async fn the_interface_speaks_the_readers_language(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let mut browser = Browser::new(&node.base);
    browser.accept_language = Some("th-TH,th;q=0.9,en;q=0.5".into());
    let home = browser.get("/").await;
    assert!(home.body.contains("<html lang=\"th\">"));
    assert!(home.body.contains("สารบบ"), "Thai navigation");
    assert!(
        home.body.contains("hreflang=\"id\""),
        "a switch on every page"
    );

    let switched = browser.get("/lang/id?next=/o/prc").await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.location(), "/o/prc");
    let profile = browser.get("/o/prc").await;
    assert!(
        profile.body.contains("<html lang=\"id\">"),
        "the choice beats Accept-Language"
    );
    assert!(profile.body.contains("Tentang"));

    let unknown = browser.get("/lang/xx?next=https://evil.example/").await;
    assert_eq!(unknown.location(), "/");
    assert_eq!(browser.cookies["gotong_lang"], "id");
}
