//! Programs, practices, advocacy notes and offers: federated, backfilled, searchable.

mod common;

use common::{eventually, follow, get_text, signed_post, tempdir, Backend, TestNode};
use serde_json::{json, Value};

on_both_databases!(
    late_follower_backfills_and_finds_programs_by_text_and_filter,
    every_kind_round_trips_and_edits_and_deletes_propagate,
    expired_offer_leaves_the_directory,
    remote_html_is_sanitised_and_misattributed_objects_refused,
    unfollowing_keeps_received_objects_but_stops_updates,
    feeds_exports_and_plain_activitystreams,
);

fn legal_aid_program() -> Value {
    json!({
        "name": "Legal aid for migrant workers",
        "summary": "Free legal advice on wage claims and documents.",
        "text": "Lawyers visit dormitories every week.\n\nInterpreters available.",
        "tags": ["wages"],
        "status": "active",
        "themes": ["legal-aid", "migration"],
        "countries": ["MY"],
        "areas": ["Kuala Lumpur", "Johor Bahru"],
        "populations": ["migrant-workers", "trafficked-persons"],
        "eligibility": "Migrant workers and their families",
        "languages": ["ms", "en", "ne"],
        "referralRequired": false,
        "intakeCriteria": "Any employment dispute",
        "howToRefer": "Send a referral through Gotong",
        "contacts": [{ "name": "Intake desk", "role": "intake", "email": "intake@example.org", "phone": "+60 3 0000 0000" }],
        "acceptingReferrals": true,
        "regardlessOfLegalStatus": true,
        "noReportingToAuthorities": true,
        "complaintsMechanism": "Hotline with independent review"
    })
}

async fn create(node: &TestNode, kind: &str, body: Value) -> Value {
    let (status, post) = node
        .api("POST", &format!("/api/v1/{kind}"), Some(body))
        .await;
    assert_eq!(status, 201, "{post}");
    post
}

async fn search(node: &TestNode, query: &str) -> Vec<Value> {
    let (status, body) = node
        .api("GET", &format!("/api/v1/directory?{query}"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().cloned().unwrap_or_default()
}

fn urls(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .filter_map(|r| r["url"].as_str().map(String::from))
        .collect()
}

async fn late_follower_backfills_and_finds_programs_by_text_and_filter(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    // Published before anyone follows: only a backfill can bring these.
    let program = create(&b, "programs", legal_aid_program()).await;
    let shelter = create(
        &c,
        "programs",
        json!({
            "name": "Women's shelter", "themes": ["shelter", "sgbv"], "countries": ["TH"],
            "populations": ["women-and-girls"], "languages": ["th"], "acceptingReferrals": false
        }),
    )
    .await;
    let url = program["url"].as_str().expect("url").to_string();
    follow(&a, &b).await;
    follow(&a, &c).await;
    eventually(10, "backfill brings both programs", || async {
        (search(&a, "q=").await.len() == 2).then_some(())
    })
    .await;

    let hits = search(&a, "q=legal%20aid%20Malaysia").await;
    assert_eq!(urls(&hits), vec![url.clone()], "text search across nodes");
    assert_eq!(hits[0]["organisation"]["name"], "Organisation bravo");
    assert_eq!(hits[0]["organisation"]["local"], false);
    assert_eq!(hits[0]["countries"], json!(["MY"]));
    let organisation_filter = format!("organisation=bravo@{}", b.domain);
    for (filter, expected) in [
        ("theme=legal-aid", vec![url.clone()]),
        (
            "theme=sgbv",
            vec![shelter["url"].as_str().expect("u").to_string()],
        ),
        ("country=MY", vec![url.clone()]),
        ("population=trafficked-persons", vec![url.clone()]),
        ("language=ne", vec![url.clone()]),
        ("accepting=true", vec![url.clone()]),
        (organisation_filter.as_str(), vec![url.clone()]),
        ("kind=practice", vec![]),
        ("tag=wages", vec![url.clone()]),
        ("q=Johor", vec![url.clone()]),
        ("q=shelter&country=MY", vec![]),
    ] {
        assert_eq!(urls(&search(&a, filter).await), expected, "filter {filter}");
    }
}

/// Each kind published on one node arrives on its follower with every field intact; edits
/// and deletes follow.
async fn every_kind_round_trips_and_edits_and_deletes_propagate(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    let program = create(&b, "programs", legal_aid_program()).await;
    let program_url = program["url"].as_str().expect("url");
    let valid_until = chrono::Utc::now().timestamp_millis() + 86_400_000;
    let published = [
        program.clone(),
        create(
            &b,
            "practices",
            json!({
                "name": "Dormitory outreach", "summary": "What worked", "text": "Weekly visits.",
                "themes": ["legal-aid"], "countries": ["MY"], "evidence": "Survey of 200 workers",
                "outcomes": "Claims doubled", "relatedPrograms": [program_url],
                "attachments": [{ "name": "Report", "url": "https://example.org/report.pdf" }]
            }),
        )
        .await,
        create(
            &b,
            "advocacy",
            json!({
                "name": "End detention of children", "text": "Position paper.",
                "themes": ["detention", "child-protection"], "countries": ["MY", "TH"],
                "audience": ["ASEAN", "national governments"]
            }),
        )
        .await,
        create(
            &b,
            "offers",
            json!({
                "name": "Ten places for wage claims", "text": "Open until the end of the month.",
                "program": program_url, "capacity": 10, "criteria": "Unpaid wages",
                "area": "Klang Valley", "countries": ["MY"], "validUntil": valid_until
            }),
        )
        .await,
    ];
    let compared = [
        "kind",
        "name",
        "summary",
        "content",
        "tags",
        "themes",
        "countries",
        "populations",
        "languages",
        "contacts",
        "acceptingReferrals",
        "evidence",
        "relatedPrograms",
        "attachments",
        "audience",
        "program",
        "capacity",
        "validUntil",
        "expires_at",
    ];
    for original in &published {
        let url = original["url"].as_str().expect("url");
        let copy = eventually(10, "object reaches the follower", || async {
            search(&a, "q=").await.into_iter().find(|r| r["url"] == url)
        })
        .await;
        for field in compared {
            assert_eq!(
                copy[field], original[field],
                "{field} of {}",
                original["kind"]
            );
        }
    }

    // Practices, advocacy notes and offers: an edit, then a delete, reach the follower.
    for original in &published[1..] {
        let (kind, url) = (
            original["kind"].as_str().expect("kind"),
            original["url"].as_str().expect("url"),
        );
        let path = format!(
            "/api/v1/{}/{}",
            plural(kind),
            original["id"].as_str().expect("id")
        );
        let mut body = draft_of(original);
        body["name"] = json!(format!("Renamed {kind}"));
        let (status, answer) = b.api("PATCH", &path, Some(body)).await;
        assert_eq!(status, 200, "{answer}");
        eventually(10, "edit of each kind reaches the follower", || async {
            let copy = a.store.post_by_ap_id(url).await.expect("q")?;
            (copy.name == format!("Renamed {kind}")).then_some(())
        })
        .await;
        let (status, _) = b.api("DELETE", &path, None).await;
        assert_eq!(status, 204);
        eventually(10, "delete of each kind reaches the follower", || async {
            a.store
                .post_by_ap_id(url)
                .await
                .expect("q")
                .is_none()
                .then_some(())
        })
        .await;
    }

    let id = program["id"].as_str().expect("id");
    let mut edited = legal_aid_program();
    edited["name"] = json!("Legal aid and wage recovery");
    edited["status"] = json!("temporarily-closed");
    let (status, body) = b
        .api("PATCH", &format!("/api/v1/programs/{id}"), Some(edited))
        .await;
    assert_eq!(status, 200, "{body}");
    eventually(10, "edit reaches the follower", || async {
        let hits = search(&a, "q=wage%20recovery").await;
        (urls(&hits) == vec![program_url.to_string()]).then_some(())
    })
    .await;
    assert!(
        !urls(&search(&a, "accepting=true&kind=program").await).contains(&program_url.to_string()),
        "a temporarily closed program does not accept referrals"
    );
    let (status, _) = b
        .api("DELETE", &format!("/api/v1/programs/{id}"), None)
        .await;
    assert_eq!(status, 204);
    eventually(10, "delete reaches the follower", || async {
        a.store
            .post_by_ap_id(program_url)
            .await
            .expect("q")
            .is_none()
            .then_some(())
    })
    .await;
    let fetched = reqwest::Client::new()
        .get(program_url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("fetch");
    assert_eq!(
        fetched.status().as_u16(),
        410,
        "a deleted program leaves a tombstone"
    );
}

fn plural(kind: &str) -> &str {
    match kind {
        "program" => "programs",
        "practice" => "practices",
        "offer" => "offers",
        other => other,
    }
}

/// What the API answered, back as a request: the fields a draft may carry.
fn draft_of(answer: &Value) -> Value {
    let mut body = answer.clone();
    let map = body.as_object_mut().expect("object");
    for generated in [
        "id",
        "cursor",
        "url",
        "kind",
        "author",
        "visibility",
        "content",
        "source",
        "published_at",
        "updated_at",
        "expires_at",
    ] {
        map.remove(generated);
    }
    map.insert("text".into(), answer["source"].clone());
    body
}

async fn expired_offer_leaves_the_directory(backend: Backend) {
    let dir = tempdir();
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let program = create(&b, "programs", legal_aid_program()).await;
    let soon = chrono::Utc::now().timestamp_millis() + 1500;
    let offer = create(
        &b,
        "offers",
        json!({
            "name": "Two places this week", "program": program["url"], "capacity": 2,
            "countries": ["MY"], "validUntil": soon
        }),
    )
    .await;
    assert!(urls(&search(&b, "kind=offer").await)
        .contains(&offer["url"].as_str().expect("u").to_string()));
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert!(
        search(&b, "kind=offer").await.is_empty(),
        "an expired offer no longer shows"
    );
    let past = create_status(
        &b,
        json!({ "name": "x", "program": program["url"], "validUntil": 1 }),
    )
    .await;
    assert_eq!(past, 422);
    let other = create_status(&b, json!({
        "name": "x", "program": "https://elsewhere.example/programs/1", "validUntil": soon + 99_999
    }))
    .await;
    assert_eq!(
        other, 422,
        "an offer must name one of the organisation's programs"
    );
}

async fn create_status(node: &TestNode, body: Value) -> u16 {
    node.api("POST", "/api/v1/offers", Some(body)).await.0
}

async fn remote_html_is_sanitised_and_misattributed_objects_refused(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let c = TestNode::start(backend, dir.path(), "charlie").await;
    follow(&b, &a).await;
    let program = |id: &str, attributed: &str| {
        json!({
            "id": id, "type": "Page", "attributedTo": attributed, "name": "<b>Clinic</b>",
            "content": "<p onmouseover=\"steal()\">Open<script>alert(1)</script> <a href=\"javascript:alert(2)\">here</a></p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "gotongType": "Program",
            "gotongData": { "themes": ["health"], "countries": ["PH"], "acceptingReferrals": true }
        })
    };
    let create = |n: u32, object: Value| {
        serde_json::to_vec(&json!({
            "id": format!("{}/activities/c{n}", a.base), "type": "Create", "actor": a.actor,
            "object": object
        }))
        .expect("json")
    };
    let ok_id = format!("{}/programs/hostile", a.base);
    let (status, _) = signed_post(&a, &b, &create(1, program(&ok_id, &a.actor)), None).await;
    assert_eq!(status, 202);
    let stored = eventually(10, "program stored", || async {
        b.store.post_by_ap_id(&ok_id).await.expect("q")
    })
    .await;
    for bad in ["<script", "onmouseover", "javascript:", "<b>"] {
        assert!(
            !stored.content.contains(bad) && !stored.name.contains(bad),
            "{bad}: {stored:?}"
        );
    }
    assert!(stored.content.contains("Open"));
    assert_eq!(stored.name, "Clinic");

    let stolen_id = format!("{}/programs/stolen", a.base);
    let (status, _) = signed_post(&a, &b, &create(2, program(&stolen_id, &c.actor)), None).await;
    assert_eq!(status, 202, "accepted for processing, then refused");
    eventually(10, "misattributed object is processed", || async {
        let pending = b.store.pending_inbox_activities(10).await.expect("q");
        pending.is_empty().then_some(())
    })
    .await;
    assert!(b
        .store
        .post_by_ap_id(&stolen_id)
        .await
        .expect("q")
        .is_none());
}

async fn unfollowing_keeps_received_objects_but_stops_updates(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    follow(&a, &b).await;
    let program = create(&b, "programs", legal_aid_program()).await;
    let url = program["url"].as_str().expect("url").to_string();
    eventually(10, "program arrives", || async {
        urls(&search(&a, "q=").await).contains(&url).then_some(())
    })
    .await;
    let (status, _) = a
        .api(
            "DELETE",
            &format!("/api/v1/following?actor={}", b.actor),
            None,
        )
        .await;
    assert_eq!(status, 204);
    eventually(10, "unfollow arrives", || async {
        let (_, followers) = b.api("GET", "/api/v1/followers", None).await;
        followers.as_array()?.is_empty().then_some(())
    })
    .await;
    let id = program["id"].as_str().expect("id");
    let mut edited = legal_aid_program();
    edited["name"] = json!("Renamed after the unfollow");
    let (status, _) = b
        .api("PATCH", &format!("/api/v1/programs/{id}"), Some(edited))
        .await;
    assert_eq!(status, 200);
    let late = create(
        &b,
        "programs",
        json!({ "name": "Published after the unfollow" }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let kept = search(&a, "q=").await;
    assert_eq!(urls(&kept), vec![url], "kept, and nothing new arrives");
    assert_eq!(kept[0]["name"], "Legal aid for migrant workers");
    assert!(a
        .store
        .post_by_ap_id(late["url"].as_str().expect("u"))
        .await
        .expect("q")
        .is_none());
}

async fn feeds_exports_and_plain_activitystreams(backend: Backend) {
    let dir = tempdir();
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let program = create(&b, "programs", legal_aid_program()).await;
    let url = program["url"].as_str().expect("url");

    // What a server that knows nothing of Gotong reads: a Page with a title, summary, HTML
    // content, link, author, addressing and hashtags.
    let (status, content_type, body) = get_text(url, "application/activity+json").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/activity+json");
    let page: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Legal aid for migrant workers");
    assert_eq!(
        page["summary"],
        "Free legal advice on wage claims and documents."
    );
    assert!(page["content"]
        .as_str()
        .expect("content")
        .starts_with("<p>Lawyers visit"));
    assert_eq!(page["attributedTo"], b.actor);
    assert_eq!(page["url"], url);
    assert_eq!(
        page["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(page["tag"][0]["type"], "Hashtag");
    assert_eq!(page["tag"][0]["name"], "#wages");
    assert_eq!(page["gotongType"], "Program");
    assert_eq!(page["gotongData"]["noReportingToAuthorities"], true);
    assert!(page["@context"]
        .to_string()
        .contains("https://w3id.org/gotong/ns#"));
    let (status, _, ns) = get_text(&format!("{}/ns", b.base), "application/ld+json").await;
    assert_eq!(status, 200);
    assert!(ns.contains("gotongData"));

    let (status, content_type, rss) = get_text(&format!("{}/feed.rss", b.actor), "*/*").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/rss+xml"));
    assert!(
        rss.contains("<title>Legal aid for migrant workers</title>"),
        "{rss}"
    );
    assert!(rss.contains(&format!("<link>{url}</link>")));
    assert!(
        rss.contains("&lt;p&gt;Lawyers visit"),
        "content is escaped HTML"
    );
    let (status, _, atom) = get_text(&format!("{}/feed.atom", b.actor), "*/*").await;
    assert_eq!(status, 200);
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(atom.contains(&format!("<id>{url}</id>")));

    let (status, hsds) = b
        .api("GET", "/api/v1/directory/export.hsds.json?country=MY", None)
        .await;
    assert_eq!(status, 200, "{hsds}");
    let organisation = &hsds[0];
    assert_eq!(organisation["name"], "Organisation bravo");
    let service = &organisation["services"][0];
    assert_eq!(service["name"], "Legal aid for migrant workers");
    assert_eq!(service["status"], "active");
    assert_eq!(service["organization_id"], organisation["id"]);
    assert_eq!(service["service_areas"][0]["name"], "Malaysia");
    assert_eq!(service["languages"].as_array().expect("languages").len(), 3);
    assert_eq!(service["contacts"][0]["email"], "intake@example.org");
    let (_, none) = b
        .api("GET", "/api/v1/directory/export.hsds.json?country=TH", None)
        .await;
    assert_eq!(none, json!([]));

    let (status, content_type, csv) = get_text(
        &format!("{}/api/v1/directory/export.csv", b.base),
        "text/csv",
    )
    .await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("Organisation,Program,"));
    assert!(
        lines[1].starts_with("#org +name,#activity +name,"),
        "HXL row: {}",
        lines[1]
    );
    assert!(lines[2].starts_with("Organisation bravo,Legal aid for migrant workers,"));
    assert!(lines[2].contains("Kuala Lumpur; Johor Bahru"));

    let (status, vocabularies) = b.api("GET", "/api/v1/vocabularies", None).await;
    assert_eq!(status, 200);
    assert!(vocabularies["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .any(|t| t["code"] == "sgbv"));
    assert!(vocabularies["countries"].as_array().expect("c").len() > 240);
}
