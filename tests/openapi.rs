//! The OpenAPI document: it lists exactly the routes the API serves, it is well formed, and
//! real answers validate against the schemas it gives for them (so a response struct cannot
//! drift from the JSON actually sent).

mod common;

use common::{tempdir, two_parties, Backend, TestNode};
use gotong::web::api::{openapi, route_table};
use serde_json::{json, Value};
use std::collections::BTreeSet;

on_both_databases!(real_answers_match_the_documented_schemas);

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "options", "head", "trace",
];

fn document() -> Value {
    serde_json::to_value(openapi::document()).expect("document serialises")
}

/// (method in lower case, path)
type Route = (String, String);

fn served_routes() -> BTreeSet<Route> {
    route_table()
        .into_iter()
        .map(|(method, path)| (method.as_str().to_lowercase(), path))
        .collect()
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method.to_string(), path.clone(), op));
            }
        }
    }
    out
}

/// (served but not documented, documented but not served).
fn disagreements(routes: &BTreeSet<Route>, doc: &Value) -> (Vec<Route>, Vec<Route>) {
    let documented: BTreeSet<Route> = operations(doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    (
        routes.difference(&documented).cloned().collect(),
        documented.difference(routes).cloned().collect(),
    )
}

#[test]
fn document_and_routes_agree() {
    let routes = served_routes();
    let doc = document();
    assert!(routes.len() > 50, "the route table is filled: {routes:?}");
    let (undocumented, unserved) = disagreements(&routes, &doc);
    assert!(
        undocumented.is_empty(),
        "served, not documented: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented, not served: {unserved:?}");

    // The comparison sees a difference either way when there is one.
    let mut more = routes.clone();
    more.insert(("post".into(), "/api/v1/nothing".into()));
    assert_eq!(disagreements(&more, &doc).0.len(), 1);
    let mut fewer = doc.clone();
    fewer["paths"]["/api/v1/me"]
        .as_object_mut()
        .expect("me")
        .remove("get");
    assert_eq!(
        disagreements(&routes, &fewer).0,
        vec![("get".to_string(), "/api/v1/me".to_string())]
    );
}

/// Every `$ref` in `value` that does not point into `doc`.
fn dangling_refs(doc: &Value, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let pointer = target.strip_prefix('#').unwrap_or("not local");
                if doc.pointer(pointer).is_none() {
                    out.push(target.clone());
                }
            }
            map.values().for_each(|v| dangling_refs(doc, v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| dangling_refs(doc, v, out)),
        _ => {}
    }
}

const PUBLIC: [&str; 7] = [
    "/api/v1/setup",
    "/api/v1/login",
    "/api/v1/directory",
    "/api/v1/directory/export.hsds.json",
    "/api/v1/directory/export.csv",
    "/api/v1/vocabularies",
    "/api/v1/openapi.json",
];

#[test]
fn document_is_well_formed() {
    let doc = document();
    let version = doc["openapi"].as_str().expect("openapi");
    assert!(version.starts_with("3.1."), "{version}");

    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let id = op["operationId"].as_str().expect("operationId");
        assert!(ids.insert(id.to_string()), "{at}: operationId {id} twice");
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{at}: no success answer"
        );
        assert!(responses.contains_key("default"), "{at}: no error answer");
        for name in path.split('{').skip(1).filter_map(|s| s.split_once('}')) {
            let declared = op["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == name.0 && p["in"] == "path" && p["required"] == true)
            });
            assert!(declared, "{at}: path parameter {} undeclared", name.0);
        }
        let secured = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        assert_eq!(secured, !PUBLIC.contains(&path.as_str()), "{at}: security");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    let mut dangling = Vec::new();
    dangling_refs(&doc, &doc, &mut dangling);
    assert!(dangling.is_empty(), "unresolved: {dangling:?}");
    let mut broken = doc.clone();
    broken["components"]["schemas"]
        .as_object_mut()
        .expect("schemas")
        .remove("Organisation");
    dangling_refs(&broken, &broken, &mut dangling);
    assert!(
        dangling.contains(&"#/components/schemas/Organisation".to_string()),
        "a missing schema is seen: {dangling:?}"
    );

    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        let mut schema = schema.clone();
        schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{name} is not a JSON Schema 2020-12: {e}");
        }
    }
}

/// The schema the document gives for `method path` answering `status`, as a standalone
/// JSON Schema whose `$ref`s resolve into the document's components.
fn answer_schema(doc: &Value, method: &str, path: &str, status: &str) -> Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not documented");
    let mut response = op["responses"][status].clone();
    if let Some(target) = response["$ref"].as_str() {
        response = doc
            .pointer(target.trim_start_matches('#'))
            .expect("response ref")
            .clone();
    }
    let mut schema = response["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "{method} {path} {status}: no JSON schema"
    );
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["components"] = doc["components"].clone();
    schema
}

fn check(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let code = status.to_string();
    let documented = doc["paths"][path][method]["responses"].get(&code).is_some();
    let key = if documented { code.as_str() } else { "default" };
    let schema = answer_schema(doc, method, path, key);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status} does not match its schema: {errors:?}\n{body}"
    );
}

fn is_valid(doc: &Value, method: &str, path: &str, status: &str, body: &Value) -> bool {
    let schema = answer_schema(doc, method, path, status);
    jsonschema::validator_for(&schema)
        .expect("schema compiles")
        .is_valid(body)
}

async fn real_answers_match_the_documented_schemas(backend: Backend) {
    let doc = document();
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "sender").await;
    let b = TestNode::start(backend, dir.path(), "receiver").await;

    let served = reqwest::get(format!("{}/api/v1/openapi.json", a.base))
        .await
        .expect("get");
    assert_eq!(served.status().as_u16(), 200, "served without a token");
    assert_eq!(served.json::<Value>().await.expect("json"), doc);

    let (status, me) = a.api("GET", "/api/v1/me", None).await;
    check(&doc, "get", "/api/v1/me", status, &me);
    let mut drifted = me.clone();
    drifted["organisation"]["manual_approval"] = json!("no");
    assert!(
        !is_valid(&doc, "get", "/api/v1/me", "200", &drifted),
        "a drifted answer is refused"
    );

    let program = json!({
        "name": "Legal clinic", "themes": ["legal-aid"], "countries": ["MY"],
        "languages": ["ms"], "acceptingReferrals": true, "tags": ["clinic"]
    });
    let (status, created) = a.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{created}");
    check(&doc, "post", "/api/v1/programs", status, &created);
    let mut drifted = created.clone();
    drifted["themes"] = json!("legal-aid");
    assert!(!is_valid(&doc, "post", "/api/v1/programs", "201", &drifted));
    let item = format!("/api/v1/programs/{}", created["id"].as_str().expect("id"));
    let (status, shown) = a.api("GET", &item, None).await;
    check(&doc, "get", "/api/v1/programs/{uuid}", status, &shown);
    let edit = json!({ "summary": "Free advice" });
    let (status, edited) = a.api("PATCH", &item, Some(edit)).await;
    check(&doc, "patch", "/api/v1/programs/{uuid}", status, &edited);
    let bad = json!({ "name": "x", "themes": ["knitting"] });
    let (status, refused) = a.api("POST", "/api/v1/programs", Some(bad)).await;
    assert_eq!(status, 422, "{refused}");
    check(&doc, "post", "/api/v1/programs", status, &refused);
    let (status, update) = a
        .api("POST", "/api/v1/updates", Some(json!({ "text": "Hello" })))
        .await;
    check(&doc, "post", "/api/v1/updates", status, &update);

    for path in [
        "/api/v1/programs",
        "/api/v1/feed",
        "/api/v1/directory",
        "/api/v1/vocabularies",
        "/api/v1/following",
        "/api/v1/followers",
        "/api/v1/admin/federation",
        "/api/v1/admin/deliveries",
        "/api/v1/admin/referral-intake",
        "/api/v1/admin/suspensions",
        "/api/v1/admin/removed-objects",
        "/api/v1/admin/reports",
        "/api/v1/admin/subscriptions",
    ] {
        let (status, body) = a.api("GET", path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        check(&doc, "get", path, status, &body);
    }

    let casework = two_parties::casework(a, b).await;
    let body = two_parties::referral_body(&casework.program, 1);
    let (status, sent) = casework
        .a
        .api_as(&casework.a_case, "POST", "/api/v1/referrals", Some(body))
        .await;
    check(&doc, "post", "/api/v1/referrals", status, &sent);
    let id = sent["id"].as_i64().expect("id");
    let (status, view) = casework
        .a
        .api_as(
            &casework.a_case,
            "GET",
            &format!("/api/v1/referrals/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{view}");
    check(&doc, "get", "/api/v1/referrals/{id}", status, &view);
    let (status, list) = casework
        .a
        .api_as(&casework.a_case, "GET", "/api/v1/referrals", None)
        .await;
    check(&doc, "get", "/api/v1/referrals", status, &list);
    let (status, audit) = casework.a.api("GET", "/api/v1/admin/audit", None).await;
    assert!(audit.as_array().is_some_and(|a| !a.is_empty()), "{audit}");
    check(&doc, "get", "/api/v1/admin/audit", status, &audit);
    let (status, following) = casework.a.api("GET", "/api/v1/following", None).await;
    assert!(following.as_array().is_some_and(|f| !f.is_empty()));
    check(&doc, "get", "/api/v1/following", status, &following);
    let (status, hits) = casework
        .a
        .api("GET", "/api/v1/directory?q=shelter", None)
        .await;
    assert!(
        hits["results"].as_array().is_some_and(|r| !r.is_empty()),
        "{hits}"
    );
    check(&doc, "get", "/api/v1/directory", status, &hits);
}
