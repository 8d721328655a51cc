//! Erasing one referral from its page (a person asked to be forgotten), between two real
//! nodes: an admin confirms, both copies lose their personal data and both audit logs say so;
//! caseworkers, editors, visitors and a post without the CSRF token erase nothing.

mod common;

use common::browser::{Browser, Page};
use common::casework::{audit, incoming, referral_to, send, token, view, wait_status, CANARY};
use common::{eventually, follow, staff_account, tempdir, Backend, TestNode};
use gotong::domain::accounts::Role;

on_both_databases!(
    an_admin_erases_a_referral_from_its_page_on_both_nodes,
    only_an_admin_with_the_form_token_erases,
);

async fn signed_in(node: &TestNode, username: &str, role: Role) -> Browser {
    let password = staff_account(node, username, role).await;
    let mut browser = Browser::new(&node.base);
    browser.sign_in(username, &password).await;
    browser
}

fn private(page: &Page) {
    assert_eq!(page.header("cache-control"), "no-store", "{}", page.body);
}

/// A referral from `a` to `b`, received by `b`: (id on a, id on b, a's caseworker token,
/// b's caseworker token).
async fn received_referral(a: &TestNode, b: &TestNode) -> (i64, i64, String, String) {
    follow(a, b).await;
    let a_case = token(a, "case-a", "caseworker").await;
    let b_case = token(b, "case-b", "caseworker").await;
    let sent = send(a, &a_case, referral_to(b, "urgent", 1)).await;
    let url = sent["url"].as_str().expect("url").to_string();
    let b_id = incoming(b, &b_case, &url).await["id"].as_i64().expect("id");
    let a_id = sent["id"].as_i64().expect("id");
    wait_status(a, &a_case, a_id, "received").await;
    (a_id, b_id, a_case, b_case)
}

fn erase_button(id: i64) -> String {
    format!("action=\"/staff/referrals/{id}/erase\"")
}

fn erases(log: &[(String, String)]) -> usize {
    log.iter().filter(|(_, action)| action == "erase").count()
}

async fn an_admin_erases_a_referral_from_its_page_on_both_nodes(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let (a_id, b_id, a_case, b_case) = received_referral(&a, &b).await;
    let case_page = format!("/staff/referrals/{a_id}");
    let confirm_page = format!("/staff/referrals/{a_id}/erase");

    // The caseworker works on the referral but is offered no erasing; the admin is.
    let mut caseworker = signed_in(&a, "case-web", Role::Caseworker).await;
    let seen = caseworker.get(&case_page).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains(CANARY), "the caseworker reads it");
    assert!(!seen.body.contains(&erase_button(a_id)), "{}", seen.body);
    let mut admin = signed_in(&a, "admin-a", Role::Admin).await;
    let seen = admin.get(&case_page).await;
    assert_eq!(seen.status, 200);
    private(&seen);
    assert!(seen.body.contains(&erase_button(a_id)), "{}", seen.body);
    assert!(seen.body.contains("Erase personal data now"));
    assert!(
        seen.body.contains("<title>Referral · Gotong</title>"),
        "{}",
        seen.body
    );

    // The confirmation says what happens, carries no personal data, and erases nothing yet.
    let confirm = admin.get(&confirm_page).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    private(&confirm);
    for said in [
        "Erase this referral&#39;s personal data",
        "cannot be undone",
        "Erased on this node",
        "pseudonymous reference",
        "The consent record",
        "Organisation bravo is asked to erase its copy too",
        "name=\"confirm\" value=\"yes\"",
    ] {
        assert!(confirm.body.contains(said), "{said}: {}", confirm.body);
    }
    assert!(!confirm.body.contains(CANARY));
    assert!(view(&a, &a_case, a_id).await["content"].is_object());
    assert_eq!(erases(&audit(&a).await), 0);

    let csrf = confirm.csrf();
    let done = admin
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), case_page);

    // Erased here at once, at the other node once its request arrives; both audit it.
    let ours = view(&a, &a_case, a_id).await;
    assert!(ours["content"].is_null(), "{ours}");
    assert!(ours["erased_at"].is_i64());
    assert!(!ours.to_string().contains(CANARY), "{ours}");
    let theirs = eventually(10, "the other node erases its copy", || async {
        let v = view(&b, &b_case, b_id).await;
        v["erased_at"].is_i64().then_some(v)
    })
    .await;
    assert!(theirs["content"].is_null(), "{theirs}");
    assert!(!theirs.to_string().contains(CANARY), "{theirs}");
    let log_a = audit(&a).await;
    assert!(
        log_a.contains(&("admin-a".into(), "erase".into())),
        "{log_a:?}"
    );
    let log_b = audit(&b).await;
    assert!(
        log_b.contains(&(a.actor.clone(), "erase".into())),
        "{log_b:?}"
    );

    // The page now shows the referral as erased, with no button.
    let after = admin.get(&case_page).await;
    assert_eq!(after.status, 200);
    assert!(after.body.contains("have been erased"), "{}", after.body);
    assert!(!after.body.contains(CANARY));
    assert!(!after.body.contains(&erase_button(a_id)));
    let again = admin.get(&confirm_page).await;
    assert_eq!(again.status, 200);
    assert!(!again.body.contains("name=\"confirm\""), "{}", again.body);

    // Posting again says so and changes nothing: no second erasure, same time.
    let erased_at = ours["erased_at"].as_i64();
    let twice = admin
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    private(&twice);
    assert!(twice.body.contains("were already erased"), "{}", twice.body);
    assert!(twice.body.contains("Nothing was changed"));
    assert_eq!(erases(&audit(&a).await), 1);
    assert_eq!(
        view(&a, &a_case, a_id).await["erased_at"].as_i64(),
        erased_at
    );
}

async fn only_an_admin_with_the_form_token_erases(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let (a_id, _, a_case, _) = received_referral(&a, &b).await;
    let case_page = format!("/staff/referrals/{a_id}");
    let confirm_page = format!("/staff/referrals/{a_id}/erase");
    let readable = || async {
        let v = view(&a, &a_case, a_id).await;
        v["content"]["needs"]
            .as_str()
            .is_some_and(|n| n.contains(CANARY))
            && v["erased_at"].is_null()
    };

    // A caseworker: refused on the page and the post; the referral is still readable.
    let mut caseworker = signed_in(&a, "case-web", Role::Caseworker).await;
    let csrf = caseworker.get(&case_page).await.csrf();
    let page = caseworker.get(&confirm_page).await;
    assert_eq!(page.status, 403, "{}", page.body);
    private(&page);
    let post = caseworker
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(post.status, 403, "{}", post.body);
    assert!(readable().await, "a caseworker's attempt erases nothing");

    // An editor: the same.
    let mut editor = signed_in(&a, "ed", Role::Editor).await;
    let csrf = editor.get("/staff").await.csrf();
    assert_eq!(editor.get(&confirm_page).await.status, 403);
    let post = editor
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(post.status, 403);

    // A visitor is sent to sign in, coming back to the confirmation afterwards.
    let mut visitor = Browser::new(&a.base);
    let page = visitor.get(&confirm_page).await;
    assert_eq!(page.status, 303);
    assert!(
        page.location()
            .starts_with("/login?next=%2Fstaff%2Freferrals%2F"),
        "{}",
        page.location()
    );
    let csrf = visitor.get("/login").await.csrf();
    let post = visitor
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(post.status, 303);
    assert!(post.location().starts_with("/login?next="));
    assert!(readable().await);

    // An admin: without the token, with another token, from another site, or without the
    // confirmation, nothing is erased.
    let mut admin = signed_in(&a, "admin-a", Role::Admin).await;
    let csrf = admin.get(&confirm_page).await.csrf();
    let refusals = [
        (vec![("confirm", "yes")], 403),
        (vec![("_csrf", "not-the-token"), ("confirm", "yes")], 403),
        (vec![("_csrf", csrf.as_str())], 303),
    ];
    for (fields, status) in refusals {
        let answer = admin.post(&confirm_page, &fields).await;
        assert_eq!(answer.status, status, "{fields:?}: {}", answer.body);
        if status == 303 {
            assert_eq!(answer.location(), confirm_page, "back to the confirmation");
        }
    }
    let foreign = admin
        .post_from(
            &confirm_page,
            &[("_csrf", &csrf), ("confirm", "yes")],
            "https://evil.example",
        )
        .await;
    assert_eq!(foreign.status, 403);
    assert!(readable().await, "no refused post erased anything");
    assert_eq!(erases(&audit(&a).await), 0);
    let missing = admin.get("/staff/referrals/999/erase").await;
    assert_eq!(missing.status, 404);

    // Positive control: the same admin, with the token and the confirmation, erases.
    let done = admin
        .post(&confirm_page, &[("_csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(!readable().await);
    assert_eq!(erases(&audit(&a).await), 1);
}
