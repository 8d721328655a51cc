//! HTTP Signatures (draft-cavage-http-signatures-12), as Mastodon signs and checks them.
//!
//! We sign `(request-target)`, `host`, `date` and, with a body, `digest` and `content-type`,
//! with RSA-SHA256 and `algorithm="hs2019"`. RFC 9421 signatures are not verified: such a
//! request gets 401, and a sender that supports both (Fedify, GoToSocial) retries with this one.
//!
//! An incoming signature must cover the same `(request-target)`, `host` and `date` (and
//! `digest` with a body), and its `host` must be this node: a signature captured on the way
//! is then good for one method, path, server and body only, and for 12 hours.

mod sign;
mod verify;

pub use sign::sign_request;
pub use verify::{parse_signature, verify_digest, UnverifiedSignature};

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use sha2::{Digest, Sha256};
use std::time::Duration;
use url::Url;

/// How old a signature's `Date` may be. Mastodon allows 12 hours (and one hour of skew).
pub const MAX_SIGNATURE_AGE: Duration = Duration::from_secs(12 * 3600);
/// How far in the future a `Date` may be, for clocks that run fast.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(3600);

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SignatureError {
    #[error("request is not signed (send a draft-cavage HTTP Signature)")]
    Missing,
    #[error(
        "RFC 9421 signatures are not supported here; sign with draft-cavage-http-signatures-12"
    )]
    Rfc9421,
    #[error("malformed signature: {0}")]
    Malformed(String),
    #[error("signature is too old or dated in the future")]
    Expired,
    #[error("the signature is for host {signed:?}, not for this node ({expected})")]
    WrongHost { signed: String, expected: String },
    #[error("signature does not verify")]
    Invalid,
    #[error(
        "signature does not verify with the actor's key, which this node fetched less than \
         an hour ago (it is fetched again only once that copy is an hour old)"
    )]
    KeyRecentlyFetched,
    #[error("body digest does not match")]
    Digest,
    #[error("cannot sign: {0}")]
    Key(String),
}

/// `SHA-256=<base64>` of a body, the `Digest` header value (RFC 3230).
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

/// The actor URL a key id belongs to, by convention: the key id without its fragment.
pub fn key_owner_guess(key_id: &str) -> Option<Url> {
    let mut url = Url::parse(key_id).ok()?;
    url.set_fragment(None);
    Some(url)
}
