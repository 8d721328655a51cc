//! Signed requests made by hand, so that each part of a draft-cavage signature can be
//! forged (tests/hostile/, tests/signatures.rs).

use super::{send, TestNode};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use gotong::federation::signatures::digest_header;
use gotong::web::ACTIVITY_JSON;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime};

pub fn http_date(offset_secs: i64) -> String {
    let now = SystemTime::now();
    let when = if offset_secs >= 0 {
        now + Duration::from_secs(offset_secs.unsigned_abs())
    } else {
        now - Duration::from_secs(offset_secs.unsigned_abs())
    };
    httpdate::fmt_http_date(when)
}

pub fn rsa_sign(pem: &str, signing_string: &str) -> String {
    let key = RsaPrivateKey::from_pkcs8_pem(pem).expect("private key");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .expect("sign");
    B64.encode(signature)
}

/// A draft-cavage signed POST made by hand, so that each part of it can be forged.
pub struct Forgery {
    /// Where it is sent.
    pub path: String,
    /// The `(request-target)` that is signed.
    pub signed_method: &'static str,
    pub signed_path: String,
    /// The `Host` that is signed, and the one sent.
    pub host: String,
    pub sent_host: String,
    pub date: Option<String>,
    pub digest: Option<String>,
    /// The headers the signature covers, in order.
    pub covered: Vec<&'static str>,
    pub key_id: String,
    pub algorithm: &'static str,
    /// Replaces the computed signature value.
    pub signature: Option<String>,
    /// Replaces the whole `Signature` header.
    pub header: Option<String>,
    pub body: Vec<u8>,
}

impl Forgery {
    /// A valid signature by `signer` of `body` for `to`'s shared inbox.
    pub fn new(signer: &TestNode, to: &TestNode, body: Vec<u8>) -> Forgery {
        Forgery {
            path: "/inbox".into(),
            signed_method: "post",
            signed_path: "/inbox".into(),
            host: to.domain.clone(),
            sent_host: to.domain.clone(),
            date: Some(http_date(0)),
            digest: Some(digest_header(&body)),
            covered: vec!["(request-target)", "host", "date", "digest", "content-type"],
            key_id: format!("{}#main-key", signer.actor),
            algorithm: "hs2019",
            signature: None,
            header: None,
            body,
        }
    }

    pub fn signing_string(&self) -> String {
        self.covered
            .iter()
            .map(|name| {
                let value = match *name {
                    "(request-target)" => format!("{} {}", self.signed_method, self.signed_path),
                    "host" => self.host.clone(),
                    "date" => self.date.clone().unwrap_or_default(),
                    "digest" => self.digest.clone().unwrap_or_default(),
                    "content-type" => ACTIVITY_JSON.to_string(),
                    _ => String::new(),
                };
                format!("{name}: {value}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn signature_header(&self, pem: &str) -> String {
        if let Some(header) = &self.header {
            return header.clone();
        }
        let signature = self
            .signature
            .clone()
            .unwrap_or_else(|| rsa_sign(pem, &self.signing_string()));
        format!(
            r#"keyId="{}",algorithm="{}",headers="{}",signature="{signature}""#,
            self.key_id,
            self.algorithm,
            self.covered.join(" ")
        )
    }

    pub async fn send(&self, to: &TestNode, pem: &str) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .post(format!("{}{}", to.base, self.path))
            .header("host", &self.sent_host)
            .header("content-type", ACTIVITY_JSON)
            .header("signature", self.signature_header(pem));
        if let Some(date) = &self.date {
            request = request.header("date", date);
        }
        if let Some(digest) = &self.digest {
            request = request.header("digest", digest);
        }
        send(request.body(self.body.clone())).await
    }
}
