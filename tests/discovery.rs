//! Discovery: WebFinger, NodeInfo, the actor document and content negotiation.

mod common;

use common::{get_text, tempdir, Backend, TestNode};
use serde_json::Value;

on_both_databases!(
    webfinger_finds_the_organisation,
    nodeinfo_validates_against_the_official_schema,
    actor_is_served_as_activitypub_or_html,
    outbox_lists_public_updates_only,
);

async fn get_json(url: &str) -> (u16, String, Value) {
    let (status, content_type, body) = get_text(url, "application/activity+json").await;
    (
        status,
        content_type,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

async fn webfinger_finds_the_organisation(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let url = format!(
        "{}/.well-known/webfinger?resource=acct:{}",
        node.base,
        node.account()
    );
    let (status, content_type, jrd) = get_json(&url).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/jrd+json");
    assert_eq!(jrd["subject"], format!("acct:{}", node.account()));
    let self_link = jrd["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("self link");
    assert_eq!(self_link["type"], "application/activity+json");
    assert_eq!(self_link["href"], node.actor);

    let by_url = format!(
        "{}/.well-known/webfinger?resource={}",
        node.base, node.actor
    );
    assert_eq!(get_json(&by_url).await.0, 200);
    let unknown = format!(
        "{}/.well-known/webfinger?resource=acct:nobody@{}",
        node.base, node.domain
    );
    let (status, _, body) = get_json(&unknown).await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string());
    let elsewhere = format!(
        "{}/.well-known/webfinger?resource=acct:prc@other.example",
        node.base
    );
    assert_eq!(get_json(&elsewhere).await.0, 404);
    let missing = format!("{}/.well-known/webfinger", node.base);
    assert_eq!(get_json(&missing).await.0, 400);
}

/// The official schema from shared/schemas, next to the repository in CI.
fn nodeinfo_schema() -> Option<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        root.join("../shared/schemas/nodeinfo-2.1.schema.json"),
        std::path::PathBuf::from("/work/shared/schemas/nodeinfo-2.1.schema.json"),
    ];
    let path = candidates.iter().find(|p| p.exists())?;
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

async fn nodeinfo_validates_against_the_official_schema(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let (status, _, links) = get_json(&format!("{}/.well-known/nodeinfo", node.base)).await;
    assert_eq!(status, 200);
    let link = &links["links"][0];
    assert_eq!(
        link["rel"],
        "http://nodeinfo.diaspora.software/ns/schema/2.1"
    );
    let href = link["href"].as_str().expect("href");
    let (status, content_type, doc) = get_json(href).await;
    assert_eq!(status, 200);
    assert!(
        content_type.contains("nodeinfo.diaspora.software/ns/schema/2.1"),
        "{content_type}"
    );
    assert_eq!(doc["software"]["name"], "gotong");
    assert_eq!(doc["usage"]["users"]["total"], 1);
    let Some(schema) = nodeinfo_schema() else {
        eprintln!("SKIP NodeInfo schema check: shared/schemas/nodeinfo-2.1.schema.json not found");
        return;
    };
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "NodeInfo does not validate: {errors:?}\n{doc}"
    );
}

async fn actor_is_served_as_activitypub_or_html(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let (status, content_type, actor) = get_json(&node.actor).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/activity+json");
    assert_eq!(actor["type"], "Organization");
    assert_eq!(actor["id"], node.actor);
    assert_eq!(actor["preferredUsername"], "prc");
    let context = actor["@context"].as_array().expect("context list");
    assert!(context.iter().any(|c| c == "https://w3id.org/security/v1"));
    assert_eq!(actor["publicKey"]["owner"], node.actor);
    assert_eq!(actor["publicKey"]["id"], format!("{}#main-key", node.actor));
    assert!(actor["publicKey"]["publicKeyPem"]
        .as_str()
        .expect("pem")
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(actor["inbox"], format!("{}/inbox", node.actor));
    assert_eq!(
        actor["endpoints"]["sharedInbox"],
        format!("{}/inbox", node.base)
    );
    for collection in ["outbox", "followers", "following"] {
        let (status, _, body) = get_json(actor[collection].as_str().expect("url")).await;
        assert_eq!(status, 200, "{collection}");
        assert_eq!(body["type"], "OrderedCollection");
    }
    let ld = r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;
    let (status, _, body) = get_text(&node.actor, ld).await;
    assert_eq!(status, 200);
    assert!(body.starts_with('{'));

    let (status, content_type, page) =
        get_text(&node.actor, "text/html,application/xhtml+xml").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.contains("Organisation prc"));
    let (status, _, _) = get_json(&format!("{}/o/nobody", node.base)).await;
    assert_eq!(status, 404);
}

async fn outbox_lists_public_updates_only(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    for (text, visibility) in [("Public news", "public"), ("Members only", "followers")] {
        let (status, _) = node
            .api(
                "POST",
                "/api/v1/updates",
                Some(serde_json::json!({ "text": text, "visibility": visibility })),
            )
            .await;
        assert_eq!(status, 201);
    }
    let (_, _, outbox) = get_json(&format!("{}/outbox", node.actor)).await;
    assert_eq!(outbox["totalItems"], 1);
    let (_, _, page) = get_json(outbox["first"].as_str().expect("first")).await;
    let items = page["orderedItems"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["type"], "Create");
    assert_eq!(items[0]["object"]["type"], "Note");
    assert!(items[0]["object"]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("Public news"));
    let note_url = items[0]["object"]["id"].as_str().expect("note id");
    let (status, _, note) = get_json(note_url).await;
    assert_eq!(status, 200);
    assert_eq!(note["attributedTo"], node.actor);
}
