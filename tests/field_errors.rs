//! Validation errors over the API: each field at fault with a code and its parameters.

mod common;

use common::{tempdir, Backend, TestNode};
use serde_json::{json, Value};

on_both_databases!(a_bad_program_names_each_field_with_a_code);

/// Every field at fault comes back with a stable code and its parameters (what a client
/// translates), beside the English `error`; nothing is stored.
async fn a_bad_program_names_each_field_with_a_code(backend: Backend) {
    let dir = tempdir();
    let node = TestNode::start(backend, dir.path(), "prc").await;
    let bad = json!({
        "name": "x".repeat(201), "themes": ["knitting"], "countries": ["MY"],
        "languages": ["english"], "tags": ["two words"]
    });
    let (status, err) = node.api("POST", "/api/v1/programs", Some(bad)).await;
    assert_eq!(status, 422, "{err}");
    let fields: Vec<(&str, &str)> = err["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default(),
                f["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "too_long"),
            ("tags", "invalid_tag"),
            ("themes", "unknown_code"),
            ("languages", "invalid_language"),
        ]
    );
    let params: Vec<&Value> = err["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| &f["params"])
        .collect();
    assert_eq!(*params[0], json!({ "length": 201, "max": 200 }));
    assert_eq!(*params[1], json!({ "value": "two words" }));
    assert_eq!(*params[2], json!({ "value": "knitting" }));
    let message = err["error"].as_str().expect("error");
    assert!(
        message.contains("themes: unknown code \"knitting\""),
        "{message}"
    );
    assert_eq!(node.store.count_local_posts().await.expect("count"), 0);

    // A refusal that is not about fields has no `fields`; a good program is accepted.
    let (status, err) = node.api("GET", "/api/v1/programs/nothing", None).await;
    assert_eq!(status, 404);
    assert!(err.get("fields").is_none(), "{err}");
    let good = json!({ "name": "Clinic", "themes": ["legal-aid"], "languages": ["ms"] });
    let (status, created) = node.api("POST", "/api/v1/programs", Some(good)).await;
    assert_eq!(status, 201, "{created}");
}
