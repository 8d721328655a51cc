//! Which objects take referrals, and who sees the object page's "Refer a person" link.

use super::*;

fn post(kind: &str, data: &str, organisation_id: Option<i64>) -> PostRow {
    PostRow {
        id: 1,
        ap_id: "https://b.example/programs/1".into(),
        kind: kind.into(),
        organisation_id,
        author_ap_id: "https://b.example/o/b".into(),
        visibility: "public".into(),
        name: "Legal aid".into(),
        summary: String::new(),
        content: String::new(),
        source: None,
        data: Some(data.into()),
        tags: String::new(),
        search_text: String::new(),
        published_at: 0,
        updated_at: None,
        expires_at: None,
        deleted_at: None,
        received_at: 0,
        language_maps: None,
    }
}

fn staff(role: Role) -> Staff {
    Staff {
        account_id: 1,
        organisation_id: 1,
        username: "someone".into(),
        role,
    }
}

#[test]
fn the_object_page_offers_caseworkers_a_referral() {
    let link = "/staff/referrals/new?to=https%3A%2F%2Fb.example%2Fprograms%2F1";
    let open = post("program", r#"{"acceptingReferrals":true}"#, None);
    let closed = post("program", r#"{"acceptingReferrals":false}"#, None);
    let readers = [
        (Some(Role::Caseworker), true),
        (Some(Role::Admin), true),
        (Some(Role::Editor), false),
        (None, false),
    ];
    for (role, shown) in readers {
        let page = Page::for_tests(role.map(staff));
        let object = |p: &PostRow| {
            super::super::public::object_page(&page, p, "Bravo", "https://b.example/o/b", None)
                .render()
                .expect("renders")
        };
        assert_eq!(object(&open).contains(link), shown, "{role:?}");
        assert!(!object(&closed).contains(link), "{role:?}");
    }
}

#[test]
fn only_open_remote_programs_and_offers_take_referrals() {
    let open = post("program", r#"{"acceptingReferrals":true}"#, None);
    assert_eq!(referable(&open, 10), Referable::Yes);
    let closed = post("program", r#"{"acceptingReferrals":false}"#, None);
    assert_eq!(referable(&closed, 10), Referable::NotAccepting);
    let paused = post(
        "program",
        r#"{"acceptingReferrals":true,"status":"temporarily-closed"}"#,
        None,
    );
    assert_eq!(referable(&paused, 10), Referable::NotAccepting);
    assert_eq!(
        referable(
            &post("program", r#"{"acceptingReferrals":true}"#, Some(1)),
            10
        ),
        Referable::Local
    );
    let mut offer = post(
        "offer",
        r#"{"program":"https://b.example/programs/1"}"#,
        None,
    );
    offer.expires_at = Some(20);
    assert_eq!(referable(&offer, 10), Referable::Yes);
    assert_eq!(referable(&offer, 20), Referable::Expired);
    assert_eq!(referable(&post("practice", "{}", None), 10), Referable::No);
    let mut gone = open.clone();
    gone.deleted_at = Some(5);
    assert_eq!(referable(&gone, 10), Referable::No);
}
