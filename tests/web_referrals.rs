//! Referral pages between two real nodes: a caseworker refers a person from the browser (the
//! consent step cannot be skipped), the receiving caseworker accepts, both exchange messages;
//! editors and visitors never reach these pages, and nothing personal shows on a public page.

mod common;

use common::browser::{Browser, Page};
use common::{eventually, follow, staff_account, tempdir, Backend, TestNode};
use gotong::db::ReferralId;
use gotong::domain::accounts::Role;
use gotong::domain::referrals::{ReferralStatus, Side};
use serde_json::json;

on_both_databases!(
    a_caseworker_refers_a_person_and_the_other_node_answers,
    editors_and_visitors_never_reach_referral_pages,
);

/// Put in the person's reference (what stands for a name) and every other personal field.
const CANARY: &str = "CANARYweb5e1";

async fn org_id(node: &TestNode) -> i64 {
    node.store
        .organisation_by_handle(&node.handle)
        .await
        .expect("query")
        .expect("organisation")
        .id
}

/// Publishes a program on `node`; its URL.
async fn program(node: &TestNode, name: &str, accepting: bool) -> String {
    let body = json!({
        "name": name, "themes": ["legal-aid"], "countries": ["MY"],
        "acceptingReferrals": accepting
    });
    let (status, body) = node.api("POST", "/api/v1/programs", Some(body)).await;
    assert_eq!(status, 201, "{body}");
    body["url"].as_str().expect("url").to_string()
}

async fn signed_in(node: &TestNode, username: &str, role: Role) -> Browser {
    let password = staff_account(node, username, role).await;
    let mut browser = Browser::new(&node.base);
    browser.sign_in(username, &password).await;
    browser
}

fn form_path(program: &str) -> String {
    format!(
        "/staff/referrals/new?to={}",
        url::form_urlencoded::byte_serialize(program.as_bytes()).collect::<String>()
    )
}

/// The referral form's fields, with the canary in every personal one, and no consent.
fn fields(program: &str, csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_csrf", csrf.to_string()),
        ("to", program.to_string()),
        ("urgency", "urgent".into()),
        ("needs", format!("{CANARY} needs legal aid on unpaid wages")),
        ("reference", format!("{CANARY}-AU-0142")),
        ("age_range", "18-25".into()),
        ("gender", format!("{CANARY} female")),
        ("nationality", "MM".into()),
        ("stateless", "yes".into()),
        ("languages", "my, en".into()),
        (
            "contact_channel",
            format!("{CANARY} through the caseworker"),
        ),
        (
            "safety_notes",
            format!("{CANARY} do not contact the employer"),
        ),
    ]
}

async fn post(browser: &mut Browser, path: &str, fields: &[(&str, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs).await
}

/// The page at `path` once it shows `needle` (the other node's news arrives asynchronously).
async fn wait_for(browser: &Browser, path: &str, needle: &str) -> Page {
    eventually(10, &format!("{path} shows {needle}"), || {
        let mut fresh = Browser::new(&browser.base);
        fresh.cookies = browser.cookies.clone();
        async move {
            let page = fresh.get(path).await;
            page.body.contains(needle).then_some(page)
        }
    })
    .await
}

fn private(page: &Page) {
    assert_eq!(page.header("cache-control"), "no-store", "{}", page.body);
}

async fn a_caseworker_refers_a_person_and_the_other_node_answers(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let open = program(&b, "Legal aid for survivors", true).await;
    let closed = program(&b, "Shelter (full)", false).await;
    let offer = json!({
        "name": "Ten places for wage claims", "text": "Open until the end of the month.",
        "program": open, "capacity": 10, "criteria": "Unpaid wages",
        "area": "Klang Valley", "countries": ["MY"],
        "validUntil": gotong::db::now_ms() + 7 * 24 * 3600 * 1000
    });
    let (status, offer) = b.api("POST", "/api/v1/offers", Some(offer)).await;
    assert_eq!(status, 201, "{offer}");
    let offer = offer["url"].as_str().expect("url").to_string();
    follow(&a, &b).await;
    for url in [&open, &closed, &offer] {
        eventually(10, "the programs reach the referring node", || async {
            a.store.post_by_ap_id(url).await.expect("q").map(|_| ())
        })
        .await;
    }
    let mut case_a = signed_in(&a, "case-a", Role::Caseworker).await;
    let mut case_b = signed_in(&b, "case-b", Role::Caseworker).await;

    // A's copy of B's program offers A's caseworker the link to the referral form.
    let remote = case_a
        .get(&format!(
            "/remote?id={}",
            url::form_urlencoded::byte_serialize(open.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(remote.status, 200, "{}", remote.body);
    assert!(remote.body.contains("Refer a person"), "{}", remote.body);
    assert!(
        remote
            .body
            .contains(&format!("href=\"{}\"", form_path(&open))),
        "{}",
        remote.body
    );

    // A program that takes no referrals: a clear message, no form, and a post sends nothing.
    let refused = case_a.get(&form_path(&closed)).await;
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("does not accept referrals"));
    assert!(!refused.body.contains("name=\"needs\""), "no form");

    // The referral answers B's offer of places in the program.
    let form = case_a.get(&form_path(&offer)).await;
    assert_eq!(form.status, 200, "{}", form.body);
    private(&form);
    assert!(form.body.len() < 100 * 1024);
    assert!(form.body.contains("Ten places for wage claims"));
    assert!(form.body.contains("Legal aid for survivors"));
    assert!(form.body.contains("Organisation bravo"));
    assert!(form.body.contains("name=\"consent\" value=\"given\""));
    assert!(form.body.contains("name=\"override_justification\""));
    let csrf = form.csrf();

    let mut to_closed = fields(&closed, &csrf);
    to_closed.extend([
        ("consent", "override".into()),
        ("override_justification", "Child in danger".into()),
    ]);
    let answer = post(&mut case_a, "/staff/referrals", &to_closed).await;
    assert_eq!(answer.status, 422);

    // Without consent: refused, the form comes back with what was typed, nothing is sent.
    let answer = post(&mut case_a, "/staff/referrals", &fields(&offer, &csrf)).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    private(&answer);
    assert!(answer.body.contains("Record the person"), "{}", answer.body);
    assert!(answer.body.contains(&format!("value=\"{CANARY}-AU-0142\"")));
    let mut half = fields(&offer, &csrf);
    half.push(("consent", "given".into()));
    let answer = post(&mut case_a, "/staff/referrals", &half).await;
    assert_eq!(answer.status, 422, "consent given needs by whom and when");
    let a_org = org_id(&a).await;
    let none = a.store.list_referrals(a_org, None).await.expect("q");
    assert!(none.is_empty(), "nothing was sent");

    let mut full = fields(&offer, &csrf);
    full.extend([
        ("consent", "given".into()),
        ("given_by", format!("{CANARY} the person")),
        ("given_at", "2025-11-02".into()),
        ("scope", format!("{CANARY} both organisations")),
    ]);
    let sent = post(&mut case_a, "/staff/referrals", &full).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let a_page = sent.location();
    let a_id: i64 = a_page
        .trim_start_matches("/staff/referrals/")
        .parse()
        .expect("referral id");
    let view = case_a.get(&a_page).await;
    assert_eq!(view.status, 200);
    private(&view);
    assert!(view.body.contains(&format!("{CANARY}-AU-0142")));
    assert!(view.body.contains("Outgoing referral"));
    assert!(view.body.contains("Myanmar"), "nationality by name");
    let row = a
        .store
        .referral_by_id(ReferralId(a_id))
        .await
        .expect("q")
        .expect("row");
    assert_eq!(row.referral_offer.as_deref(), Some(offer.as_str()));
    assert_eq!(row.program.as_deref(), Some(open.as_str()));

    // The receiving caseworker finds it in the incoming list and opens it.
    let b_org = org_id(&b).await;
    let b_id = eventually(10, "the referral reaches node B", || async {
        let rows = b
            .store
            .list_referrals(b_org, Some(Side::Receiver))
            .await
            .ok()?;
        rows.first()
            .filter(|r| r.status == ReferralStatus::Received)
            .map(|r| r.id.0)
    })
    .await;
    let list = case_b.get("/staff/referrals").await;
    assert_eq!(list.status, 200);
    private(&list);
    let incoming = &list.body[list.body.find("Incoming").expect("incoming")..];
    let incoming = &incoming[..incoming.find("Outgoing").expect("outgoing")];
    assert!(incoming.contains(&format!("href=\"/staff/referrals/{b_id}\"")));
    assert!(incoming.contains("Received"), "{incoming}");
    assert!(incoming.contains("Organisation alpha"), "{incoming}");
    assert!(!list.body.contains(CANARY), "lists carry no personal data");
    let opened = case_b.get(&format!("/staff/referrals/{b_id}")).await;
    assert_eq!(opened.status, 200);
    private(&opened);
    assert!(opened
        .body
        .contains(&format!("{CANARY} do not contact the employer")));
    assert!(opened.body.contains(&format!("{CANARY} the person")));
    for (action, shown) in [("accepted", true), ("declined", true), ("withdrawn", false)] {
        let button = format!("name=\"status\" value=\"{action}\"");
        assert_eq!(opened.body.contains(&button), shown, "{action}");
    }
    let audit = b.store.audit_log(b_org, None, 50).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "view"
        && e.actor == "case-b"
        && e.referral_id == Some(ReferralId(b_id))));

    let path = format!("/staff/referrals/{b_id}/status");
    let csrf_b = opened.csrf();
    let no_reason = post(
        &mut case_b,
        &path,
        &[("_csrf", csrf_b.clone()), ("status", "declined".into())],
    )
    .await;
    assert_eq!(no_reason.status, 422, "declining needs a reason");
    let accepted = post(
        &mut case_b,
        &path,
        &[("_csrf", csrf_b.clone()), ("status", "accepted".into())],
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let again = case_b.get(&format!("/staff/referrals/{b_id}")).await;
    assert!(again.body.contains("data-status=\"accepted\""));
    assert!(again.body.contains("value=\"in_progress\""));

    let page_a = wait_for(&case_a, &a_page, "data-status=\"accepted\"").await;
    assert!(
        page_a.body.contains("value=\"withdrawn\""),
        "the sender may withdraw"
    );
    assert!(!page_a.body.contains("value=\"completed\""));
    let filtered = case_a.get("/staff/referrals?status=accepted").await;
    assert!(filtered.body.contains(&format!("/staff/referrals/{a_id}")));
    let filtered = case_a.get("/staff/referrals?status=declined").await;
    assert!(!filtered.body.contains(&format!("/staff/referrals/{a_id}")));

    // Messages both ways.
    let to_b = format!("{CANARY} first appointment on Monday?");
    let csrf_a = page_a.csrf();
    let answer = post(
        &mut case_a,
        &format!("/staff/referrals/{a_id}/messages"),
        &[("_csrf", csrf_a), ("text", to_b.clone())],
    )
    .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let b_page = format!("/staff/referrals/{b_id}");
    wait_for(&case_b, &b_page, &to_b).await;
    let to_a = format!("{CANARY} Monday 10am works");
    let answer = post(
        &mut case_b,
        &format!("/staff/referrals/{b_id}/messages"),
        &[("_csrf", csrf_b), ("text", to_a.clone())],
    )
    .await;
    assert_eq!(answer.status, 303);
    let page_a = wait_for(&case_a, &a_page, &to_a).await;
    private(&page_a);

    // No referral content on any public page of either node, nor a refer link for visitors.
    let url = a
        .store
        .referral_by_id(ReferralId(a_id))
        .await
        .expect("q")
        .expect("row")
        .ap_id;
    let mut visitor_a = Browser::new(&a.base);
    let mut visitor_b = Browser::new(&b.base);
    for (visitor, node) in [(&mut visitor_a, &a), (&mut visitor_b, &b)] {
        for path in [
            "/",
            node.actor.as_str(),
            open.as_str(),
            url.as_str(),
            "/directory",
        ] {
            let page = visitor.get(path).await;
            assert!(!page.body.contains(CANARY), "{path} on {}", node.name);
            assert!(!page.body.contains("/staff/referrals/new"), "{path}");
        }
    }
    let own = case_b.get(&open).await;
    assert_eq!(own.status, 200);
    assert!(
        !own.body.contains("/staff/referrals/new"),
        "no referral to one's own program"
    );
}

async fn editors_and_visitors_never_reach_referral_pages(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let pages = [
        "/staff/referrals",
        "/staff/referrals/new?to=https%3A%2F%2Fb.example%2Fprograms%2F1",
        "/staff/referrals/1",
    ];
    let mut visitor = Browser::new(&a.base);
    for path in pages {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    let home = visitor.get("/login").await;
    let anonymous = post(
        &mut visitor,
        "/staff/referrals/1/messages",
        &[("_csrf", home.csrf()), ("text", "hello".into())],
    )
    .await;
    assert_eq!(anonymous.status, 303, "a visitor's post goes to sign in");

    let mut editor = signed_in(&a, "ed", Role::Editor).await;
    for path in pages {
        let page = editor.get(path).await;
        assert_eq!(page.status, 403, "{path}");
        private(&page);
    }
    let csrf = editor.get("/staff").await.csrf();
    for (path, field) in [
        ("/staff/referrals", "needs"),
        ("/staff/referrals/1/status", "status"),
        ("/staff/referrals/1/messages", "text"),
    ] {
        let page = post(
            &mut editor,
            path,
            &[("_csrf", csrf.clone()), (field, "accepted".into())],
        )
        .await;
        assert_eq!(page.status, 403, "{path}");
    }
    let nav = editor.get("/staff").await;
    assert!(!nav.body.contains("href=\"/staff/referrals\""));

    // A caseworker of this node is let in, but an unknown referral does not exist.
    let mut case = signed_in(&a, "case", Role::Caseworker).await;
    let list = case.get("/staff/referrals").await;
    assert_eq!(list.status, 200);
    private(&list);
    assert_eq!(case.get("/staff/referrals/999").await.status, 404);
    let unknown = case.get(pages[1]).await;
    assert_eq!(unknown.status, 404);
    assert!(!unknown.body.contains("name=\"needs\""));
}
