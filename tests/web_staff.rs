//! Staff pages over HTTP: publishing through the forms (and its federation), validation,
//! roles, the network page (follow by handle, manual approval) and CSRF on every form.

mod common;

use common::browser::{Browser, Page};
use common::{eventually, follow_state, staff_account, tempdir, Backend, TestNode};
use gotong::db::PostRow;
use gotong::domain::accounts::Role;
use serde_json::json;

on_both_databases!(
    an_editor_publishes_edits_and_deletes_a_program_through_the_forms,
    validation_errors_keep_what_was_entered,
    field_errors_are_translated_by_their_code,
    caseworkers_cannot_publish_and_visitors_must_sign_in,
    following_by_handle_from_the_page_with_manual_approval,
    posts_without_the_csrf_token_change_nothing,
);

/// A browser signed in as a new staff member of `node`.
async fn signed_in(node: &TestNode, username: &str, role: Role) -> Browser {
    let password = staff_account(node, username, role).await;
    let mut browser = Browser::new(&node.base);
    browser.sign_in(username, &password).await;
    browser
}

/// The organisation's own posts of `kind`, deleted ones left out.
async fn own_posts(node: &TestNode, kind: &str) -> Vec<PostRow> {
    let org = node
        .store
        .organisation_by_handle(&node.handle)
        .await
        .expect("query")
        .expect("organisation");
    node.store
        .organisation_posts(org.id, Some(kind), false, None, 50)
        .await
        .expect("query")
}

/// Posts a form with the page's CSRF token added.
async fn submit(
    browser: &mut Browser,
    form_page: &Page,
    path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let csrf = form_page.csrf();
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(path, &all).await
}

fn uuid_of(ap_id: &str) -> &str {
    ap_id.rsplit('/').next().expect("uuid")
}

async fn an_editor_publishes_edits_and_deletes_a_program_through_the_forms(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    common::follow(&b, &a).await;
    let mut browser = signed_in(&a, "editor1", Role::Editor).await;

    let list = browser.get("/staff/objects").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("/staff/objects/new/program"));
    let form = browser.get("/staff/objects/new/program").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("<legend>Themes</legend>"));
    assert!(form.body.contains("name=\"themes\" value=\"legal-aid\""));
    assert!(form.body.contains("<option value=\"MY\">Malaysia</option>"));
    assert!(form.body.len() < 100 * 1024, "{} bytes", form.body.len());

    let fields = [
        ("name", "Legal clinic for migrant workers"),
        ("summary", "Free advice every Friday."),
        ("text", "Bring your papers.\n\nInterpreters available."),
        ("themes", "legal-aid"),
        ("themes", "health"),
        ("countries", "MY"),
        ("countries", "TH"),
        ("populations", "migrant-workers"),
        ("status", "active"),
        ("languages", "ms en"),
        ("acceptingReferrals", "true"),
        ("contactName", "Siti"),
        ("contactRole", "Coordinator"),
        ("contactEmail", "siti@example.org"),
        ("contactPhone", ""),
        ("tags", "clinic"),
        ("visibility", "public"),
    ];
    let done = submit(&mut browser, &form, "/staff/objects/new/program", &fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/staff/objects?done=published");
    let posts = own_posts(&a, "program").await;
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    let data: serde_json::Value =
        serde_json::from_str(post.data.as_deref().expect("fields")).expect("json");
    assert_eq!(data["themes"], json!(["legal-aid", "health"]));
    assert_eq!(data["countries"], json!(["MY", "TH"]));
    assert_eq!(data["acceptingReferrals"], true);
    assert_eq!(data["contacts"][0]["email"], "siti@example.org");

    let profile = browser.get(&a.actor).await;
    assert!(profile.body.contains("Legal clinic for migrant workers"));
    let page = browser.get(&post.ap_id).await;
    assert!(page.body.contains("Legal aid") && page.body.contains("Malaysia"));
    let ap_id = post.ap_id.clone();
    eventually(10, "the program arrives at the follower", || async {
        let copy = b.store.post_by_ap_id(&ap_id).await.expect("query")?;
        (copy.name == "Legal clinic for migrant workers").then_some(())
    })
    .await;

    let edit_path = format!("/staff/objects/program/{}/edit", uuid_of(&ap_id));
    let edit = browser.get(&edit_path).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    assert!(edit
        .body
        .contains("value=\"Legal clinic for migrant workers\""));
    assert!(edit.body.contains("value=\"health\" checked"));
    assert!(edit.body.contains("value=\"siti@example.org\""));
    let mut changed = fields.to_vec();
    changed.retain(|(k, v)| *k != "name" && *v != "health");
    changed.push(("name", "Legal clinic (Fridays)"));
    let saved = submit(&mut browser, &edit, &edit_path, &changed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let post = &own_posts(&a, "program").await[0];
    assert_eq!(post.name, "Legal clinic (Fridays)");
    assert!(!post.data.as_deref().unwrap_or_default().contains("health"));
    eventually(10, "the edit arrives at the follower", || async {
        let copy = b.store.post_by_ap_id(&ap_id).await.expect("query")?;
        (copy.name == "Legal clinic (Fridays)").then_some(())
    })
    .await;

    let delete_path = format!("/staff/objects/program/{}/delete", uuid_of(&ap_id));
    let confirm = browser.get(&delete_path).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("name=\"confirm\" value=\"yes\""));
    let unconfirmed = submit(&mut browser, &confirm, &delete_path, &[]).await;
    assert_eq!(unconfirmed.status, 200, "without confirm= it asks again");
    assert!(unconfirmed.body.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(own_posts(&a, "program").await.len(), 1, "still there");
    let deleted = submit(&mut browser, &confirm, &delete_path, &[("confirm", "yes")]).await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert!(own_posts(&a, "program").await.is_empty());
    let profile = browser.get(&a.actor).await;
    assert!(!profile.body.contains("Legal clinic (Fridays)"));
    eventually(10, "the follower drops its copy", || async {
        let copy = b.store.post_by_ap_id(&ap_id).await.expect("query");
        copy.is_none_or(|p| p.deleted_at.is_some()).then_some(())
    })
    .await;
    assert_eq!(browser.get(&edit_path).await.status, 404);
}

/// The domain's field errors reach the form in the reader's language, with their values.
async fn field_errors_are_translated_by_their_code(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    let mut browser = signed_in(&node, "editor1", Role::Editor).await;
    let long_name = "ก".repeat(201);
    let fields = [("name", long_name.as_str()), ("tags", "good a.b")];
    let thai_long = "ข้อความนี้ยาว 201 ตัวอักษร เกินขีดจำกัด 200 ตัวอักษร";
    let thai_tag = "“a.b” ไม่ใช่แท็กที่ถูกต้อง";
    let english_long = "This is 201 characters long; the limit is 200.";

    browser.accept_language = Some("th".into());
    let form = browser.get("/staff/objects/new/program").await;
    let refused = submit(&mut browser, &form, "/staff/objects/new/program", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let name_error = format!("<p class=\"error\" id=\"name-error\">{thai_long}</p>");
    assert!(refused.body.contains(&name_error), "{}", refused.body);
    assert!(refused.body.contains(thai_tag), "{}", refused.body);
    assert!(!refused.body.contains(english_long));

    // The same refusal read in English says it in English.
    browser.accept_language = Some("en".into());
    let form = browser.get("/staff/objects/new/program").await;
    let refused = submit(&mut browser, &form, "/staff/objects/new/program", &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(english_long), "{}", refused.body);
    assert!(!refused.body.contains(thai_long));
    assert!(own_posts(&node, "program").await.is_empty());
}

async fn validation_errors_keep_what_was_entered(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    let mut browser = signed_in(&node, "editor1", Role::Editor).await;

    let form = browser.get("/staff/objects/new/program").await;
    let fields = [
        ("name", "  "),
        ("text", "Text that must survive <b>escaped</b>"),
        ("themes", "shelter"),
        ("countries", "ID"),
        ("languages", "ms"),
    ];
    let refused = submit(&mut browser, &form, "/staff/objects/new/program", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("role=\"alert\""));
    assert!(refused.body.contains("id=\"name-error\""));
    assert!(refused
        .body
        .contains("aria-describedby=\"name-error\" aria-invalid=\"true\""));
    assert!(
        refused
            .body
            .contains(">Text that must survive &#60;b&#62;escaped&#60;/b&#62;</textarea>"),
        "the text comes back, escaped"
    );
    assert!(refused.body.contains("value=\"shelter\" checked"));
    assert!(refused.body.contains("<option value=\"ID\" selected>"));

    let languages = [("name", "Shelter"), ("languages", "not a tag!")];
    let refused = submit(
        &mut browser,
        &form,
        "/staff/objects/new/program",
        &languages,
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body
        .contains("aria-describedby=\"languages-help languages-error\" aria-invalid=\"true\""));
    assert!(refused.body.contains("value=\"Shelter\""));

    // An offer open until a day that has passed, for a program of ours.
    let program = submit(
        &mut browser,
        &form,
        "/staff/objects/new/program",
        &[("name", "Shelter"), ("themes", "shelter")],
    )
    .await;
    assert_eq!(program.status, 303, "{}", program.body);
    let program_id = own_posts(&node, "program").await[0].ap_id.clone();
    let offer_form = browser.get("/staff/objects/new/offer").await;
    assert!(
        offer_form.body.contains(&program_id),
        "own programs to choose from"
    );
    let offer = [
        ("name", "Two places"),
        ("program", program_id.as_str()),
        ("capacity", "2"),
        ("validUntil", "2001-01-01"),
    ];
    let refused = submit(
        &mut browser,
        &offer_form,
        "/staff/objects/new/offer",
        &offer,
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"validUntil-error\""));
    assert!(refused.body.contains("value=\"2001-01-01\""));
    assert!(own_posts(&node, "offer").await.is_empty(), "nothing stored");
    let mut ok = offer.to_vec();
    ok.retain(|(k, _)| *k != "validUntil");
    ok.push(("validUntil", "2999-12-31"));
    let stored = submit(&mut browser, &offer_form, "/staff/objects/new/offer", &ok).await;
    assert_eq!(stored.status, 303, "{}", stored.body);
    assert_eq!(own_posts(&node, "offer").await.len(), 1);
}

async fn caseworkers_cannot_publish_and_visitors_must_sign_in(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    let mut visitor = Browser::new(&node.base);
    let redirected = visitor.get("/staff/objects/new/program").await;
    assert_eq!(redirected.status, 303);
    assert_eq!(
        redirected.location(),
        "/login?next=%2Fstaff%2Fobjects%2Fnew%2Fprogram"
    );
    assert_eq!(visitor.get("/staff/follows").await.status, 303);

    let mut caseworker = signed_in(&node, "case1", Role::Caseworker).await;
    let forbidden = caseworker.get("/staff/objects/new/program").await;
    assert_eq!(forbidden.status, 403);
    assert!(forbidden.body.contains("Your role does not allow this."));
    assert_eq!(caseworker.get("/staff/objects").await.status, 403);
    let home = caseworker.get("/staff").await;
    let posted = submit(
        &mut caseworker,
        &home,
        "/staff/objects/new/update",
        &[("text", "Not allowed")],
    )
    .await;
    assert_eq!(posted.status, 403);
    assert!(own_posts(&node, "update").await.is_empty());

    let network = caseworker.get("/staff/follows").await;
    assert_eq!(network.status, 200);
    assert!(!network.body.contains("name=\"handle\""), "no follow form");
    let follow = submit(
        &mut caseworker,
        &home,
        "/staff/follows",
        &[("handle", "x@y")],
    )
    .await;
    assert_eq!(follow.status, 403);
}

async fn following_by_handle_from_the_page_with_manual_approval(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let (status, _) = b
        .api(
            "PATCH",
            "/api/v1/organisation",
            Some(json!({ "manual_approval": true })),
        )
        .await;
    assert_eq!(status, 200);
    let mut at_a = signed_in(&a, "editor1", Role::Editor).await;
    let mut at_b = signed_in(&b, "editor2", Role::Editor).await;

    let page = at_a.get("/staff/follows").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("@alpha@{}", a.domain)));
    for (handle, message) in [
        ("nobody", "Write the address as @name@server"),
        (
            &format!("@nobody@{}", b.domain) as &str,
            "That server has no organisation with this name",
        ),
        ("@someone@localhost:1", "That server could not be reached"),
        (
            "@someone@127.0.0.1:1",
            "federation rules do not allow that server",
        ),
    ] {
        let refused = submit(&mut at_a, &page, "/staff/follows", &[("handle", handle)]).await;
        assert_eq!(refused.status, 422, "{handle}: {}", refused.body);
        assert!(refused.body.contains(message), "{handle}: {}", refused.body);
        assert!(refused.body.contains("aria-invalid=\"true\""));
        assert!(refused.body.contains(&format!("value=\"{handle}\"")));
    }

    let handle = format!("@{}", b.account());
    let sent = submit(&mut at_a, &page, "/staff/follows", &[("handle", &handle)]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let following = at_a.get("/staff/follows?done=requested").await;
    assert!(following.body.contains("Follow request sent"));
    assert!(following.body.contains("Waiting for their approval"));

    eventually(10, "the request reaches the other node", || async {
        (follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .as_deref()
            == Some("pending"))
        .then_some(())
    })
    .await;
    let requests = at_b.get("/staff/follows").await;
    assert!(requests.body.contains(&a.actor), "{}", requests.body);
    assert!(requests.body.contains("approves each follower by hand"));
    assert!(requests
        .body
        .contains("action=\"/staff/followers/approve\""));
    let approved = submit(
        &mut at_b,
        &requests,
        "/staff/followers/approve",
        &[("actor", &a.actor)],
    )
    .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert_eq!(
        follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .as_deref(),
        Some("accepted")
    );
    eventually(10, "the approval reaches the follower", || async {
        (follow_state(&a, "/api/v1/following", &b.actor)
            .await
            .as_deref()
            == Some("accepted"))
        .then_some(())
    })
    .await;
    let page = at_a.get("/staff/follows").await;
    assert!(page.body.contains(">Following<"), "{}", page.body);

    let unfollowed = submit(
        &mut at_a,
        &page,
        "/staff/follows/unfollow",
        &[("actor", &b.actor)],
    )
    .await;
    assert_eq!(unfollowed.status, 303);
    assert_eq!(follow_state(&a, "/api/v1/following", &b.actor).await, None);
    eventually(10, "the other node forgets the follower", || async {
        follow_state(&b, "/api/v1/followers", &a.actor)
            .await
            .is_none()
            .then_some(())
    })
    .await;
}

async fn posts_without_the_csrf_token_change_nothing(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "alpha").await;
    let other = TestNode::start(backend, dir.path(), "bravo").await;
    let mut browser = signed_in(&node, "editor1", Role::Editor).await;

    let missing = browser
        .post("/staff/objects/new/update", &[("text", "No token")])
        .await;
    assert_eq!(missing.status, 403);
    let wrong = browser
        .post(
            "/staff/objects/new/update",
            &[("_csrf", "forged"), ("text", "Wrong token")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    assert!(own_posts(&node, "update").await.is_empty());

    let form = browser.get("/staff/objects/new/update").await;
    let made = submit(
        &mut browser,
        &form,
        "/staff/objects/new/update",
        &[("text", "Kept")],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let ap_id = own_posts(&node, "update").await[0].ap_id.clone();
    let path = format!("/staff/objects/update/{}/delete", uuid_of(&ap_id));
    let refused = browser.post(&path, &[("confirm", "yes")]).await;
    assert_eq!(refused.status, 403);
    let edit = format!("/staff/objects/update/{}/edit", uuid_of(&ap_id));
    let refused = browser.post(&edit, &[("text", "Changed")]).await;
    assert_eq!(refused.status, 403);
    let posts = own_posts(&node, "update").await;
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].source.as_deref(), Some("Kept"));

    let follow = browser
        .post("/staff/follows", &[("handle", &other.account())])
        .await;
    assert_eq!(follow.status, 403);
    assert_eq!(
        follow_state(&node, "/api/v1/following", &other.actor).await,
        None
    );
}
