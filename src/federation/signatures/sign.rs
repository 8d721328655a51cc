//! Signing an outgoing request: what Gotong covers, and with which key.

use super::{digest_header, SignatureError};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use http_signature_normalization::Config as SigConfig;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use url::Url;

/// The headers that sign a request to `url`: `Host`, `Date`, `Signature`, and for a body
/// `Digest` and `Content-Type`. For a GET, pass `None` and an `accept` value.
pub fn sign_request(
    method: &str,
    url: &Url,
    body: Option<&[u8]>,
    accept: Option<&str>,
    key_id: &str,
    private_key_pem: &str,
) -> Result<HeaderMap, SignatureError> {
    let key = RsaPrivateKey::from_pkcs8_pem(private_key_pem)
        .map_err(|e| SignatureError::Key(e.to_string()))?;
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let mut signed = BTreeMap::new();
    signed.insert("host".to_string(), host);
    signed.insert(
        "date".to_string(),
        httpdate::fmt_http_date(std::time::SystemTime::now()),
    );
    if let Some(body) = body {
        signed.insert("digest".to_string(), digest_header(body));
        signed.insert(
            "content-type".to_string(),
            crate::federation::protocol::ACTIVITY_JSON.to_string(),
        );
    }
    if let Some(accept) = accept {
        signed.insert("accept".to_string(), accept.to_string());
    }
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let signature = SigConfig::new()
        .mastodon_compat()
        .begin_sign(method, &path, signed.clone())
        .map_err(|e| SignatureError::Key(e.to_string()))?
        .sign(key_id.to_string(), |signing_string| {
            key.sign(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
            )
            .map(|sig| B64.encode(sig))
        })
        .map_err(|e| SignatureError::Key(e.to_string()))?
        .signature_header();
    signed.insert("signature".to_string(), signature);
    let mut headers = HeaderMap::new();
    for (name, value) in signed {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| SignatureError::Key(e.to_string()))?;
        let value =
            HeaderValue::from_str(&value).map_err(|e| SignatureError::Key(e.to_string()))?;
        headers.insert(name, value);
    }
    Ok(headers)
}
