// One input through the inbox's parsing and verification path, without network or database.
// Included (`include!`) by the cargo-fuzz target fuzz/fuzz_targets/inbox.rs and by the corpus
// replay test tests/fuzz_corpus.rs, so both run exactly this.
//
// An input is optional header lines (`name: value`), an empty line, then the body; without an
// empty line the whole input is the body. Two header values are placeholders, so that seeds
// get past the date and digest checks to the parsers behind them: `date: now` becomes the
// current date and `digest: auto` the body's digest.

/// What became of one input.
#[derive(Debug, Default)]
#[allow(dead_code)]
pub struct InboxCase {
    pub shape_ok: bool,
    pub parsed: bool,
    pub signature_parsed: bool,
    pub signature_verified: bool,
    pub digest_ok: bool,
}

/// The key signatures are checked against (its private half is not kept anywhere).
const FUZZ_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoOy8eXjnCZ3SV0by+EZy
ukbiL6FfARavpFX8KmMh8XAaHCeqa/cmZ0A9qCj2nOG1C26Ad1HYsS2UcABLZNlH
U2B9M8NcrN33yy1OrMAmuGNf6/VDhjtvsN3myrx8pJ4j/F4aqrjh6VUHhmj8KC5u
u4T1HbGffRlLgkez6ZIv4SJBsHrTTi+gFueYDo0Dr95IEa/p7SSdU1cM3aBrWyvv
KpzQV6nKJB31wrppRGNwBMGIZWm77jw6GA6tDz//rRr7DrHJK1QGBGQLLwl6qZwn
oW/5G2TGvbqs85mqkSRSsrfPZ6kLGhOEXt13BJl1Y0VYrsRticjnmjbLeM2vtvbY
2QIDAQAB
-----END PUBLIC KEY-----
";

/// Runs every check on `data` (each whatever the others said, to reach every parser) and
/// asserts what must hold between them. Panics on a broken invariant.
pub fn inbox_case(data: &[u8]) -> InboxCase {
    use gotong::federation::{inbox, signatures, FederationError};
    use std::collections::BTreeMap;

    let (head, body) = match data.windows(2).position(|pair| pair == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (&data[..0], data),
    };
    let mut headers = BTreeMap::new();
    for line in head.split(|byte| *byte == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = match (name.as_str(), value.trim()) {
            ("date", "now") => httpdate::fmt_http_date(std::time::SystemTime::now()),
            ("digest", "auto") => signatures::digest_header(body),
            (_, other) => other.to_string(),
        };
        headers.insert(name, value);
    }
    let mut case = InboxCase::default();

    // Signature and digest, as `inbox::receive` checks them first, for a node whose domain
    // is the one the seeds' `host` names.
    if let Ok(signature) =
        signatures::parse_signature("POST", "/inbox", &headers, true, "gotong.example")
    {
        case.signature_parsed = true;
        case.signature_verified = signature.verify(FUZZ_PUBLIC_KEY_PEM).is_ok();
        let _ = signatures::key_owner_guess(&signature.key_id);
    }
    case.digest_ok = signatures::verify_digest(headers.get("digest"), body).is_ok();
    assert!(
        signatures::verify_digest(Some(&signatures::digest_header(body)), body).is_ok(),
        "a body's own digest must match it"
    );

    // The body: shape limits, then the parser, which runs the shape check itself.
    let shape = inbox::check_json_shape(body);
    let parsed = inbox::parse_activity(body);
    case.shape_ok = shape.is_ok();
    case.parsed = parsed.is_ok();
    match (&shape, &parsed) {
        (Err(why), Err(FederationError::BadRequest(message))) => {
            assert_eq!(why, message, "a shape refusal is reported as such")
        }
        (Err(why), other) => panic!("shape refused ({why}) but the parser said {other:?}"),
        (Ok(()), Err(FederationError::BadRequest(message))) => assert!(
            message.starts_with("not an ActivityPub activity"),
            "{message}"
        ),
        (Ok(()), Err(other)) => panic!("the parser may only answer 400: {other:?}"),
        (Ok(()), Ok(activity)) => {
            let _ = activity.is_public();
            if let Some(object) = &activity.object {
                let _ = (object.id(), object.kind(), object.field("attributedTo"));
            }
        }
    }
    case
}
