//! The JSON-LD `@context` of everything Gotong serves or sends.

use serde_json::{json, Value};

/// Where Gotong's own terms live. The node also serves these definitions at `/ns`.
pub const GOTONG_NS: &str = "https://w3id.org/gotong/ns#";

/// ActivityStreams plus the security vocabulary, which is where `publicKey` and
/// `publicKeyPem` are defined (Mastodon ignores a key it cannot find in the context), plus
/// Gotong's terms inline so no processor has to fetch them. `gotongData` is a JSON literal
/// (`@type: @json`): its inner keys are Gotong's structured fields, not linked data.
pub fn default_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        gotong_terms()
    ])
}

pub fn gotong_terms() -> Value {
    json!({
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "Hashtag": "as:Hashtag",
        "gotong": GOTONG_NS,
        "gotongType": "gotong:type",
        "gotongData": { "@id": "gotong:data", "@type": "@json" },
        "gotongDirectory": { "@id": "gotong:directory", "@type": "@id" },
        "Referral": "gotong:Referral",
        "program": { "@id": "gotong:program", "@type": "@id" },
        "referralOffer": { "@id": "gotong:referralOffer", "@type": "@id" },
        "urgency": "gotong:urgency",
        "status": "gotong:status",
        "needs": "gotong:needs",
        "person": { "@id": "gotong:person", "@type": "@json" },
        "consent": { "@id": "gotong:consent", "@type": "@json" },
        "note": "gotong:note"
    })
}
