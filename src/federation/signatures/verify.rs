//! Checking an incoming request's signature: what it must cover, how old it may be, and
//! whether a public key verifies it; and the body's `Digest`.

use super::{SignatureError, MAX_CLOCK_SKEW, MAX_SIGNATURE_AGE};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use http_signature_normalization::Config as SigConfig;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A parsed, not yet verified signature: who claims to have signed, and what to check.
#[derive(Debug)]
pub struct UnverifiedSignature {
    pub key_id: String,
    signing_string: String,
    signature: String,
}

/// Reads the signature of an incoming request. `headers` are the request's headers with
/// lower-case names; `require_digest` is set for requests with a body; `this_host` is this
/// node's domain (`host` or `host:port`), which the signed `Host` must name.
pub fn parse_signature(
    method: &str,
    path_and_query: &str,
    headers: &BTreeMap<String, String>,
    require_digest: bool,
    this_host: &str,
) -> Result<UnverifiedSignature, SignatureError> {
    if headers.contains_key("signature-input") {
        return Err(SignatureError::Rfc9421);
    }
    if !headers.contains_key("signature") && !headers.contains_key("authorization") {
        return Err(SignatureError::Missing);
    }
    check_date(headers.get("date"))?;
    // The Host header is what the signature covers (required below), so it must be us:
    // otherwise a request signed for another server could be replayed here.
    let signed_host = headers.get("host").map(String::as_str).unwrap_or_default();
    if !signed_host.eq_ignore_ascii_case(this_host) {
        return Err(SignatureError::WrongHost {
            signed: signed_host.to_string(),
            expected: this_host.to_string(),
        });
    }
    let mut config = SigConfig::new()
        .set_expiration(MAX_SIGNATURE_AGE)
        .require_header("(request-target)")
        .require_header("host")
        .require_header("date");
    if require_digest {
        config = config.require_digest();
    }
    let unverified = config
        .begin_verify(method, path_and_query, headers.clone())
        .map_err(|e| match e {
            http_signature_normalization::PrepareVerifyError::Validate(_) => {
                SignatureError::Expired
            }
            http_signature_normalization::PrepareVerifyError::Required(missing) => {
                let mut missing: Vec<&str> = missing.headers().iter().map(String::as_str).collect();
                missing.sort_unstable();
                SignatureError::Malformed(format!(
                    "it must cover (request-target), host and date (and digest with a body), \
                     each sent with the request; not covered or not sent: {}",
                    missing.join(", ")
                ))
            }
            other => SignatureError::Malformed(other.to_string()),
        })?;
    Ok(UnverifiedSignature {
        key_id: unverified.key_id().to_string(),
        signing_string: unverified.signing_string().to_string(),
        signature: unverified.signature().to_string(),
    })
}

fn check_date(date: Option<&String>) -> Result<(), SignatureError> {
    let date = date.ok_or(SignatureError::Malformed("missing Date header".into()))?;
    let when = httpdate::parse_http_date(date)
        .map_err(|_| SignatureError::Malformed("unreadable Date header".into()))?;
    let now = std::time::SystemTime::now();
    let too_old = now
        .duration_since(when)
        .is_ok_and(|age| age > MAX_SIGNATURE_AGE);
    let too_new = when
        .duration_since(now)
        .is_ok_and(|ahead| ahead > MAX_CLOCK_SKEW);
    if too_old || too_new {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

impl UnverifiedSignature {
    /// Checks the signature against a PEM public key (SPKI, or PKCS#1 as some servers send).
    pub fn verify(&self, public_key_pem: &str) -> Result<(), SignatureError> {
        let key = RsaPublicKey::from_public_key_pem(public_key_pem)
            .or_else(|_| {
                use rsa::pkcs1::DecodeRsaPublicKey;
                RsaPublicKey::from_pkcs1_pem(public_key_pem)
            })
            .map_err(|_| SignatureError::Invalid)?;
        let signature = B64
            .decode(self.signature.trim())
            .map_err(|_| SignatureError::Malformed("signature is not base64".into()))?;
        key.verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(self.signing_string.as_bytes()),
            &signature,
        )
        .map_err(|_| SignatureError::Invalid)
    }
}

/// Checks a `Digest` header against the body; any SHA-256 entry must match.
pub fn verify_digest(header: Option<&String>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Digest)?;
    let expected = B64.encode(Sha256::digest(body));
    let matches = header.split(',').any(|part| {
        part.trim()
            .split_once('=')
            .is_some_and(|(alg, value)| alg.eq_ignore_ascii_case("sha-256") && value == expected)
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Digest)
    }
}

#[cfg(test)]
mod tests {
    use super::super::sign_request;
    use super::*;
    use reqwest::header::HeaderMap;
    use std::time::Duration;
    use url::Url;

    fn lower(headers: &HeaderMap) -> BTreeMap<String, String> {
        headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().expect("ascii").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn signed_post_verifies_and_tampering_fails() {
        let (public, private) = crate::domain::organisations::generate_key_pair().expect("keys");
        let url = Url::parse("http://localhost:9000/inbox").expect("url");
        let body = br#"{"type":"Follow"}"#;
        let headers = sign_request(
            "POST",
            &url,
            Some(body),
            None,
            "http://a/o/x#main-key",
            &private,
        )
        .expect("sign");
        let map = lower(&headers);
        let parsed =
            parse_signature("POST", "/inbox", &map, true, "localhost:9000").expect("parse");
        assert_eq!(parsed.key_id, "http://a/o/x#main-key");
        parsed.verify(&public).expect("verifies");
        verify_digest(map.get("digest"), body).expect("digest");
        assert_eq!(
            verify_digest(map.get("digest"), b"{}"),
            Err(SignatureError::Digest)
        );
        let other = parse_signature("POST", "/other", &map, true, "localhost:9000").expect("parse");
        assert_eq!(other.verify(&public), Err(SignatureError::Invalid));
        // Host names compare without regard to case, the port exactly.
        assert!(parse_signature("POST", "/inbox", &map, true, "LocalHost:9000").is_ok());
        for elsewhere in ["localhost:9001", "localhost", "other.example:9000"] {
            assert!(matches!(
                parse_signature("POST", "/inbox", &map, true, elsewhere),
                Err(SignatureError::WrongHost { .. })
            ));
        }
    }

    #[test]
    fn unsigned_and_rfc9421_are_told_apart() {
        let mut map = BTreeMap::new();
        map.insert(
            "date".to_string(),
            httpdate::fmt_http_date(std::time::SystemTime::now()),
        );
        assert_eq!(
            parse_signature("POST", "/", &map, true, "h").unwrap_err(),
            SignatureError::Missing
        );
        map.insert("signature-input".into(), "sig1=(\"@method\")".into());
        map.insert("signature".into(), "sig1=:AAAA:".into());
        assert_eq!(
            parse_signature("POST", "/", &map, true, "h").unwrap_err(),
            SignatureError::Rfc9421
        );
    }

    #[test]
    fn old_and_future_dates_are_refused() {
        let old = std::time::SystemTime::now() - Duration::from_secs(13 * 3600);
        let future = std::time::SystemTime::now() + Duration::from_secs(2 * 3600);
        for when in [old, future] {
            let date = httpdate::fmt_http_date(when);
            assert_eq!(check_date(Some(&date)), Err(SignatureError::Expired));
        }
    }
}
