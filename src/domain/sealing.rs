//! Encryption at rest of what is not public: organisation private keys, referral person
//! records, needs and messages, and the queued copies of private activities.
//!
//! XChaCha20-Poly1305 (an AEAD) with a random 192-bit nonce per value, under a 256-bit key
//! kept outside the database (see [`super::secret_key`]). Each sealed value
//! * names the key that sealed it (`sealed:v2:<key id>:<base64 nonce+ciphertext>`), so a
//!   database re-encrypted halfway by `gotong secret rotate` stays readable, and
//! * is bound to where it lives: its table, column and row are the AEAD's associated data,
//!   so a value copied into another row, column or table no longer opens.
//!
//! Values sealed by earlier versions (`sealed:v1:`, no binding, no key id) still open, and
//! are re-sealed in the new form at start-up.

use super::{DomainError, DomainResult};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

const PREFIX_V1: &str = "sealed:v1:";
const PREFIX_V2: &str = "sealed:v2:";
/// Every sealed value starts with this; plain values never do.
pub const PREFIX: &str = "sealed:";
const NONCE_LEN: usize = 24;

/// Where a sealed value lives: its table, its column and the row's unique key (a handle, an
/// activity or referral id). Becomes the AEAD's associated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    table: &'static str,
    column: &'static str,
    row: String,
}

impl Binding {
    pub fn new(table: &'static str, column: &'static str, row: impl Into<String>) -> Binding {
        Binding {
            table,
            column,
            row: row.into(),
        }
    }

    /// An organisation's private signing key, by handle.
    pub fn organisation_key(handle: &str) -> Binding {
        Binding::new("organisations", "private_key_sealed", handle)
    }

    /// A referral's person record, needs and consent, by the referral's id (URL).
    pub fn referral(ap_id: &str) -> Binding {
        Binding::new("referrals", "sealed", ap_id)
    }

    /// A message, reason or outcome in a referral's timeline: the referral and the event.
    pub fn referral_event(referral_ap_id: &str, event_uid: &str) -> Binding {
        Binding::new(
            "referral_events",
            "sealed",
            format!("{referral_ap_id}#{event_uid}"),
        )
    }

    /// The queued copy of a private activity this node sends, by activity id.
    pub fn outgoing(activity_id: &str) -> Binding {
        Binding::new("outgoing_activities", "body", activity_id)
    }

    /// The previous signing key kept to sign the announcement of a new one, by activity id.
    pub fn outgoing_signing_key(activity_id: &str) -> Binding {
        Binding::new("outgoing_activities", "signing_key_sealed", activity_id)
    }

    /// The stored copy of a private activity this node received, by activity id.
    pub fn inbox(activity_id: &str) -> Binding {
        Binding::new("inbox_activities", "body", activity_id)
    }

    /// The value by which a node checks at start that it holds the right key.
    pub fn key_check() -> Binding {
        Binding::new("node_secret", "key_check", "1")
    }

    fn associated_data(&self) -> Vec<u8> {
        // Lengths first, so no two different bindings give the same bytes.
        let mut aad = b"gotong-sealed-v2".to_vec();
        for part in [self.table, self.column, self.row.as_str()] {
            aad.extend((part.len() as u64).to_be_bytes());
            aad.extend(part.as_bytes());
        }
        aad
    }
}

/// One 256-bit secret key and its public name.
#[derive(Clone)]
pub struct SecretKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl SecretKey {
    pub fn from_bytes(key: &[u8; 32]) -> SecretKey {
        // A name for the key that reveals nothing about it: a hash, truncated.
        let digest = Sha256::new()
            .chain_update(b"gotong-secret-key-id")
            .chain_update(key)
            .finalize();
        let id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        SecretKey {
            id,
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    pub fn generate() -> [u8; 32] {
        XChaCha20Poly1305::generate_key(&mut OsRng).into()
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Seals with the current key; opens with any key it holds (the current one, and during a
/// rotation the previous one).
#[derive(Clone)]
pub struct Sealer {
    current: SecretKey,
    others: Vec<SecretKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(key {})", self.current.id)
    }
}

fn cannot_open() -> DomainError {
    DomainError::Internal("a sealed value cannot be opened with this node's secret key".into())
}

impl Sealer {
    pub fn from_key(key: &[u8; 32]) -> Sealer {
        Sealer::with_keys(SecretKey::from_bytes(key), Vec::new())
    }

    pub fn with_keys(current: SecretKey, others: Vec<SecretKey>) -> Sealer {
        Sealer { current, others }
    }

    /// The id of the key new values are sealed with.
    pub fn key_id(&self) -> &str {
        self.current.id()
    }

    pub fn seal(&self, plain: &str, at: &Binding) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = at.associated_data();
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: &aad,
        };
        // Encryption with a valid key and nonce cannot fail; an empty value is the fallback.
        let sealed = self
            .current
            .cipher
            .encrypt(&nonce, payload)
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX_V2}{}:{}", self.current.id, B64.encode(bytes))
    }

    pub fn open(&self, sealed: &str, at: &Binding) -> DomainResult<String> {
        if let Some(rest) = sealed.strip_prefix(PREFIX_V2) {
            let (key_id, body) = rest.split_once(':').ok_or_else(cannot_open)?;
            let key = self.key(key_id).ok_or_else(|| {
                DomainError::Internal(format!(
                    "a value is sealed with secret key {key_id}, which this node does not hold"
                ))
            })?;
            return decrypt(key, body, &at.associated_data());
        }
        // Sealed before values were bound and keys named: any key we hold, no binding.
        let body = sealed.strip_prefix(PREFIX_V1).ok_or_else(cannot_open)?;
        std::iter::once(&self.current)
            .chain(&self.others)
            .find_map(|key| decrypt(key, body, b"").ok())
            .ok_or_else(cannot_open)
    }

    /// Opens a sealed value and passes a plain one through (queues hold both).
    pub fn open_if_sealed(&self, value: &str, at: &Binding) -> DomainResult<String> {
        if value.starts_with(PREFIX) {
            self.open(value, at)
        } else {
            Ok(value.to_string())
        }
    }

    /// True when `value` is sealed in the current form with the current key.
    pub fn is_current(&self, value: &str) -> bool {
        value.starts_with(&self.current_prefix())
    }

    /// What every value sealed with the current key starts with.
    pub fn current_prefix(&self) -> String {
        format!("{PREFIX_V2}{}:", self.current.id)
    }

    fn key(&self, id: &str) -> Option<&SecretKey> {
        std::iter::once(&self.current)
            .chain(&self.others)
            .find(|k| k.id == id)
    }
}

fn decrypt(key: &SecretKey, body: &str, aad: &[u8]) -> DomainResult<String> {
    let bytes = B64.decode(body).map_err(|_| cannot_open())?;
    if bytes.len() < NONCE_LEN {
        return Err(cannot_open());
    }
    let (nonce, text) = bytes.split_at(NONCE_LEN);
    let plain = key
        .cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: text, aad })
        .map_err(|_| cannot_open())?;
    String::from_utf8(plain).map_err(|_| cannot_open())
}

/// Seals the way version 1 did (no binding, no key id): only to test the upgrade.
#[doc(hidden)]
pub fn seal_v1_for_tests(key: &[u8; 32], plain: &str) -> String {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut bytes = nonce.to_vec();
    bytes.extend(cipher.encrypt(&nonce, plain.as_bytes()).unwrap_or_default());
    format!("{PREFIX_V1}{}", B64.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_binding() {
        let sealer = Sealer::from_key(&[7; 32]);
        let here = Binding::referral("https://a.example/referrals/1");
        let sealed = sealer.seal("survivor of trafficking, age 17", &here);
        assert!(sealed.starts_with(&format!("sealed:v2:{}:", sealer.key_id())));
        assert!(!sealed.contains("trafficking"));
        assert_ne!(
            sealed,
            sealer.seal("survivor of trafficking, age 17", &here),
            "fresh nonce each time"
        );
        assert_eq!(
            sealer.open(&sealed, &here).expect("open"),
            "survivor of trafficking, age 17"
        );
        // Another key, another row, another column or table: refused.
        assert!(Sealer::from_key(&[8; 32]).open(&sealed, &here).is_err());
        let elsewhere = [
            Binding::referral("https://a.example/referrals/2"),
            Binding::new("referrals", "other", "https://a.example/referrals/1"),
            Binding::new("other", "sealed", "https://a.example/referrals/1"),
        ];
        for other in elsewhere {
            assert!(sealer.open(&sealed, &other).is_err(), "{other:?}");
        }
        assert_eq!(
            sealer.open_if_sealed("plain", &here).expect("plain"),
            "plain"
        );
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(sealer.open(&tampered, &here).is_err());
    }

    #[test]
    fn bindings_of_different_parts_never_collide() {
        // "a" + "bc" and "ab" + "c" would collide if the parts were only concatenated.
        let one = Binding::new("t", "a", "bc").associated_data();
        let two = Binding::new("t", "ab", "c").associated_data();
        assert_ne!(one, two);
    }

    #[test]
    fn a_keyring_opens_values_of_each_key_and_seals_with_the_current_one() {
        let old = SecretKey::from_bytes(&[1; 32]);
        let new = SecretKey::from_bytes(&[2; 32]);
        let at = Binding::outgoing("https://a.example/activities/9");
        let by_old = Sealer::with_keys(old.clone(), vec![]).seal("x", &at);
        let ring = Sealer::with_keys(new.clone(), vec![old.clone()]);
        assert_eq!(ring.open(&by_old, &at).expect("old value"), "x");
        assert!(!ring.is_current(&by_old));
        let by_new = ring.seal("y", &at);
        assert!(ring.is_current(&by_new));
        assert!(Sealer::with_keys(new, vec![])
            .open(&by_old, &at)
            .unwrap_err()
            .to_string()
            .contains(old.id()));
    }

    #[test]
    fn version_1_values_still_open() {
        let v1 = seal_v1_for_tests(&[7; 32], "legacy");
        let sealer = Sealer::from_key(&[7; 32]);
        assert_eq!(
            sealer.open(&v1, &Binding::key_check()).expect("v1"),
            "legacy"
        );
        assert!(!sealer.is_current(&v1));
        assert!(Sealer::from_key(&[9; 32])
            .open(&v1, &Binding::key_check())
            .is_err());
    }
}
