//! The JSON-LD `@context` of everything Gotong serves or sends.

use serde_json::{json, Value};

/// ActivityStreams plus the security vocabulary, which is where `publicKey` and
/// `publicKeyPem` are defined; Mastodon ignores a key it cannot find in the context.
/// `manuallyApprovesFollowers` is Mastodon's `as:` extension and is declared explicitly.
pub fn default_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        { "manuallyApprovesFollowers": "as:manuallyApprovesFollowers" }
    ])
}
