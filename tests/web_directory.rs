//! The regional directory page, the pages of remote objects (inert remote HTML, origin
//! shown), and remote content in the reader's language.

mod common;

use common::browser::{Browser, Page};
use common::{eventually, follow, signed_post, staff_account, tempdir, Backend, TestNode};
use gotong::domain::accounts::Role;
use serde_json::{json, Value};

on_both_databases!(
    the_directory_searches_filters_pages_and_links_exports,
    caseworkers_get_a_refer_link_on_programs_accepting_referrals_and_offers,
    remote_objects_have_a_page_marked_with_their_origin_and_inert_html,
    remote_content_is_shown_in_the_readers_language,
);

async fn create(node: &TestNode, kind: &str, body: Value) -> Value {
    let (status, post) = node
        .api("POST", &format!("/api/v1/{kind}"), Some(body))
        .await;
    assert_eq!(status, 201, "{post}");
    post
}

fn url_of(post: &Value) -> String {
    post["url"].as_str().expect("url").to_string()
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn legal_aid() -> Value {
    json!({
        "name": "Legal aid for migrant workers", "summary": "Free advice on wage claims.",
        "themes": ["legal-aid"], "countries": ["MY"], "populations": ["migrant-workers"],
        "languages": ["ms", "en"], "acceptingReferrals": true
    })
}

fn shelter() -> Value {
    json!({
        "name": "Women's shelter", "summary": "Safe rooms in Bangkok.", "themes": ["shelter"],
        "countries": ["TH"], "populations": ["women-and-girls"], "languages": ["th"],
        "acceptingReferrals": false
    })
}

/// How many result cards the page shows.
fn cards(page: &Page) -> usize {
    page.body.matches("<li class=\"card\">").count()
}

async fn the_directory_searches_filters_pages_and_links_exports(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let mut browser = Browser::new(&node.base);

    let empty = browser.get("/directory").await;
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains("The directory is empty"),
        "{}",
        empty.body
    );

    let legal = create(&node, "programs", legal_aid()).await;
    let shelter = create(&node, "programs", shelter()).await;
    let page = browser.get("/directory").await;
    assert_eq!(page.status, 200);
    assert_eq!(cards(&page), 2, "{}", page.body);
    assert!(page.body.contains(&url_of(&legal)) && page.body.contains(&url_of(&shelter)));
    assert!(
        page.body.contains("Organisation prc"),
        "cards name the organisation"
    );
    assert!(
        page.body.contains("Free advice on wage claims."),
        "and show the summary"
    );
    assert!(page.body.contains("<p class=\"kind\">Program</p>"));
    assert!(page.body.contains("Legal aid"), "theme labels");
    // Every control has a label; the form is a GET so results can be bookmarked.
    assert!(page.body.contains("method=\"get\" action=\"/directory\""));
    for id in [
        "directory-q",
        "directory-kind",
        "directory-theme",
        "directory-population",
        "directory-country",
        "directory-language",
        "directory-organisation",
        "directory-accepting",
    ] {
        assert!(page.body.contains(&format!("<label for=\"{id}\"")), "{id}");
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(page
        .header("content-security-policy")
        .contains("script-src 'self'"));
    assert!(page.body.len() < 100 * 1024);

    // The same filters as the API: text, theme, country, population, language, referrals.
    for (query, expected) in [
        ("q=wage", &legal),
        ("theme=shelter", &shelter),
        ("country=MY", &legal),
        ("population=women-and-girls", &shelter),
        ("language=th", &shelter),
        ("accepting=true", &legal),
    ] {
        let found = browser.get(&format!("/directory?{query}")).await;
        assert_eq!(found.status, 200, "{query}");
        assert_eq!(cards(&found), 1, "{query}: {}", found.body);
        assert!(found.body.contains(&url_of(expected)), "{query}");
    }
    let filtered = browser
        .get(&format!(
            "/directory?q=&theme=legal-aid&kind=&organisation={}",
            encode(&node.actor)
        ))
        .await;
    assert_eq!(cards(&filtered), 1);
    assert!(filtered
        .body
        .contains("<option value=\"legal-aid\" selected>"));
    assert!(filtered
        .body
        .contains(&format!("<option value=\"{}\" selected>", node.actor)));
    // Exports and the feed carry the same filters.
    let hsds = "/api/v1/directory/export.hsds.json?theme=legal-aid&#38;organisation=";
    assert!(filtered.body.contains(hsds), "{}", filtered.body);
    assert!(filtered
        .body
        .contains("/api/v1/directory/export.csv?theme=legal-aid"));
    assert!(filtered
        .body
        .contains("/directory/feed.rss?theme=legal-aid"));
    let rss = browser.get("/directory/feed.rss?theme=legal-aid").await;
    assert_eq!(rss.status, 200);
    assert!(rss
        .header("content-type")
        .starts_with("application/rss+xml"));
    assert!(rss
        .body
        .contains("<title>Legal aid for migrant workers</title>"));
    assert!(!rss.body.contains("Women&#39;s shelter") && !rss.body.contains("shelter</title>"));

    let none = browser.get("/directory?q=nothingmatchesthis").await;
    assert_eq!(none.status, 200);
    assert_eq!(cards(&none), 0);
    assert!(
        none.body.contains("Nothing matches this search"),
        "{}",
        none.body
    );
    let unknown = browser
        .get("/directory?organisation=nobody%40elsewhere.example")
        .await;
    assert_eq!(unknown.status, 200, "an unknown organisation finds nothing");
    assert_eq!(cards(&unknown), 0);

    // Pages of twenty.
    for n in 0..20 {
        create(
            &node,
            "practices",
            json!({ "name": format!("Practice {n}"), "themes": ["health"] }),
        )
        .await;
    }
    let first = browser.get("/directory?theme=health").await;
    assert_eq!(cards(&first), 20);
    assert!(first
        .body
        .contains("href=\"/directory?theme=health&#38;page=2\" rel=\"next\""));
    assert!(!first.body.contains("rel=\"prev\""));
    let all_first = browser.get("/directory").await;
    assert_eq!(cards(&all_first), 20);
    let second = browser.get("/directory?page=2").await;
    assert_eq!(cards(&second), 2, "22 entries: 20 and 2");
    assert!(second.body.contains("rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));

    // In Thai, with the front page linking here.
    browser.accept_language = Some("th".into());
    let thai = browser.get("/directory?q=wage").await;
    assert!(thai.body.contains("<html lang=\"th\">"));
    assert!(thai.body.contains("ทำเนียบระดับภูมิภาค"), "{}", thai.body);
    assert!(thai.body.contains("โครงการ"), "the kind label is Thai");
    browser.accept_language = None;
    let home = browser.get("/").await;
    assert!(home
        .body
        .contains("<a href=\"/directory\">Browse the regional directory</a>"));
}

async fn caseworkers_get_a_refer_link_on_programs_accepting_referrals_and_offers(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let legal = create(&node, "programs", legal_aid()).await;
    let shelter = create(&node, "programs", shelter()).await;
    let valid_until = gotong::db::now_ms() + 86_400_000;
    let offer = create(
        &node,
        "offers",
        json!({
            "name": "Five places this week", "program": url_of(&legal), "capacity": 5,
            "countries": ["MY"], "validUntil": valid_until
        }),
    )
    .await;
    let refer = |post: &Value| format!("/staff/referrals/new?to={}", encode(&url_of(post)));

    let mut anonymous = Browser::new(&node.base);
    let public = anonymous.get("/directory").await;
    assert_eq!(cards(&public), 3);
    assert!(
        !public.body.contains("Refer a person"),
        "not for the public"
    );
    assert!(!public.body.contains("/staff/referrals/new"));
    assert_eq!(public.header("cache-control"), "no-cache");

    let password = staff_account(&node, "case1", Role::Caseworker).await;
    let mut caseworker = Browser::new(&node.base);
    caseworker.sign_in("case1", &password).await;
    let page = caseworker.get("/directory").await;
    assert!(page.body.contains(&refer(&legal)), "{}", page.body);
    assert!(
        page.body.contains(&refer(&offer)),
        "offers can be referred to"
    );
    assert!(
        !page.body.contains(&refer(&shelter)),
        "not accepting referrals"
    );
    assert_eq!(page.header("cache-control"), "no-store");

    let password = staff_account(&node, "editor1", Role::Editor).await;
    let mut editor = Browser::new(&node.base);
    editor.sign_in("editor1", &password).await;
    let page = editor.get("/directory").await;
    assert!(
        !page.body.contains("/staff/referrals/new"),
        "editors do not refer"
    );

    // The organisation's profile lists its open offer.
    let profile = anonymous.get(&node.actor).await;
    assert!(profile.body.contains("Open referral offers"));
    assert!(profile.body.contains(&url_of(&offer)), "{}", profile.body);
}

/// Delivers `object` from `from` to `to` in a signed Create; waits until `to` stores it.
async fn deliver(from: &TestNode, to: &TestNode, n: u32, object: Value) {
    let id = object["id"].as_str().expect("id").to_string();
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/web-directory-{n}", from.base),
        "type": "Create", "actor": from.actor, "object": object
    }))
    .expect("json");
    let (status, answer) = signed_post(from, to, &body, None).await;
    assert_eq!(status, 202, "{answer}");
    eventually(10, "the object is stored", || async {
        to.store.post_by_ap_id(&id).await.expect("query")
    })
    .await;
}

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn remote_objects_have_a_page_marked_with_their_origin_and_inert_html(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    let hostile = format!("{}/programs/hostile", a.base);
    deliver(
        &a,
        &b,
        1,
        json!({
            "id": hostile, "type": "Page", "attributedTo": a.actor, "name": "Night clinic",
            "content": "<p onmouseover=\"steal()\">Open late<script>alert(1)</script> \
                <img src=\"x\" onerror=\"alert(2)\"> <a href=\"javascript:alert(3)\">here</a> \
                <a href=\"https://example.org/map\" onclick=\"alert(4)\">map</a></p>",
            "to": [PUBLIC], "gotongType": "Program",
            "gotongData": { "themes": ["health"], "countries": ["PH"], "acceptingReferrals": true }
        }),
    )
    .await;
    let private = format!("{}/updates/followers-only", a.base);
    deliver(
        &a,
        &b,
        2,
        json!({
            "id": private, "type": "Note", "attributedTo": a.actor,
            "content": "<p>For followers</p>", "to": [format!("{}/followers", a.actor)]
        }),
    )
    .await;

    let mut browser = Browser::new(&b.base);
    let page = browser
        .get(&format!("/remote?id={}", encode(&hostile)))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Night clinic</h1>"));
    assert!(page.body.contains("Open late"));
    assert!(page.body.contains("map</a>"), "harmless links stay");
    let body = page.body.to_lowercase();
    assert!(
        !body.contains("<script"),
        "no script element: {}",
        page.body
    );
    for handler in ["onmouseover", "onerror", "onclick"] {
        assert!(!body.contains(handler), "{handler}: {}", page.body);
    }
    assert!(!body.contains("javascript:"), "{}", page.body);
    let csp = page.header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Marked with where it came from, its author linked, and the original linked.
    let origin = a.domain.clone();
    assert!(
        page.body.contains(&format!("from {origin}")),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(&format!("<a href=\"{}\">Organisation alpha</a>", a.actor)));
    assert!(
        page.body.contains(&format!("<a href=\"{hostile}\"")),
        "links the original"
    );
    assert!(
        page.body.contains("Accepting referrals"),
        "the program's facts"
    );

    // The directory lists it with its origin, linking to this page.
    let directory = browser.get("/directory").await;
    assert!(directory
        .body
        .contains(&format!("/remote?id={}", encode(&hostile))));
    assert!(directory.body.contains(&format!("from {origin}")));
    assert!(!directory.body.contains("onerror"));

    // A caseworker may refer to it from its page.
    let password = staff_account(&b, "case1", Role::Caseworker).await;
    let mut caseworker = Browser::new(&b.base);
    caseworker.sign_in("case1", &password).await;
    let as_staff = caseworker
        .get(&format!("/remote?id={}", encode(&hostile)))
        .await;
    assert!(as_staff
        .body
        .contains(&format!("/staff/referrals/new?to={}", encode(&hostile))));

    for (id, why) in [
        (private.as_str(), "followers-only objects are not public"),
        ("https://elsewhere.example/programs/unknown", "unknown ids"),
        ("", "no id"),
    ] {
        let missing = browser.get(&format!("/remote?id={}", encode(id))).await;
        assert_eq!(missing.status, 404, "{why}");
        assert!(!missing.body.contains("For followers"));
    }
    // Staff whose organisation follows the author see what was delivered to them (the home
    // feed links here), never cached.
    let delivered = caseworker
        .get(&format!("/remote?id={}", encode(&private)))
        .await;
    assert_eq!(delivered.status, 200, "{}", delivered.body);
    assert!(delivered.body.contains("For followers"));
    assert_eq!(delivered.header("cache-control"), "no-store");
    let local = create(&b, "programs", legal_aid()).await;
    let local_page = browser
        .get(&format!("/remote?id={}", encode(&url_of(&local))))
        .await;
    assert_eq!(local_page.status, 404, "local objects have their own page");
}

async fn remote_content_is_shown_in_the_readers_language(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&b, &a).await;
    let id = format!("{}/programs/two-languages", a.base);
    deliver(
        &a,
        &b,
        1,
        json!({
            "id": id, "type": "Page", "attributedTo": a.actor,
            "name": "Mobile clinic",
            "nameMap": { "en": "Mobile clinic", "th": "คลินิกเคลื่อนที่" },
            "summaryMap": { "en": "Health checks at the border", "th-TH": "ตรวจสุขภาพที่ชายแดน" },
            "content": "<p>Every Tuesday in Mae Sot.</p>",
            "contentMap": {
                "en": "<p>Every Tuesday in Mae Sot.</p>",
                "th": "<p>ทุกวันอังคารที่แม่สอด<script>alert(1)</script></p>"
            },
            "to": [PUBLIC], "gotongType": "Program",
            "gotongData": { "themes": ["health"], "countries": ["TH"] }
        }),
    )
    .await;
    let path = format!("/remote?id={}", encode(&id));
    let mut browser = Browser::new(&b.base);

    browser.accept_language = Some("th".into());
    let thai = browser.get(&path).await;
    assert_eq!(thai.status, 200);
    assert!(thai.body.contains("<h1>คลินิกเคลื่อนที่</h1>"), "{}", thai.body);
    assert!(
        thai.body.contains("ตรวจสุขภาพที่ชายแดน"),
        "th-TH serves a th reader"
    );
    assert!(
        thai.body.contains("<p>ทุกวันอังคารที่แม่สอด</p>"),
        "{}",
        thai.body
    );
    assert!(!thai.body.contains("Every Tuesday"));
    assert!(
        !thai.body.contains("<script"),
        "every language is sanitised"
    );
    let thai_directory = browser.get("/directory").await;
    assert!(thai_directory.body.contains("คลินิกเคลื่อนที่"), "cards too");

    browser.accept_language = Some("en".into());
    let english = browser.get(&path).await;
    assert!(english.body.contains("<h1>Mobile clinic</h1>"));
    assert!(english.body.contains("Health checks at the border"));
    assert!(english.body.contains("<p>Every Tuesday in Mae Sot.</p>"));
    assert!(!english.body.contains("แม่สอด"));

    // No Indonesian version: the default text.
    browser.accept_language = Some("id".into());
    let indonesian = browser.get(&path).await;
    assert!(indonesian.body.contains("<p>Every Tuesday in Mae Sot.</p>"));

    // Thai words are searchable.
    let found = browser
        .get(&format!("/directory?q={}", encode("คลินิก")))
        .await;
    assert!(found.body.contains(&encode(&id)), "{}", found.body);
}
