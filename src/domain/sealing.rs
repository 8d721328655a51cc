//! Encryption at rest of what is not public: referral person records, needs and messages, and
//! the queued copies of private activities. XChaCha20-Poly1305 (an AEAD) with a random 192-bit
//! nonce per value, under a 256-bit key kept outside the database.

use super::{DomainError, DomainResult};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// Sealed values start with this, so they are told apart from plain ones.
const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn from_key(key: &[u8; 32]) -> Sealer {
        Sealer {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// Reads the base64 key in `path`, creating it (readable by the owner only) on first use.
    pub fn from_key_file(path: &Path) -> DomainResult<Sealer> {
        let io = |e: std::io::Error| {
            DomainError::Internal(format!("secret key file {}: {e}", path.display()))
        };
        if !path.exists() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            let key = XChaCha20Poly1305::generate_key(&mut OsRng);
            write_private(path, &B64.encode(key)).map_err(io)?;
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let bytes = B64.decode(text.trim()).map_err(|_| {
            DomainError::Internal(format!("secret key file {} is not base64", path.display()))
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            DomainError::Internal(format!("secret key in {} is not 32 bytes", path.display()))
        })?;
        Ok(Sealer::from_key(&key))
    }

    pub fn seal(&self, plain: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption with a valid key and nonce cannot fail; an empty value is the fallback.
        let sealed = self
            .cipher
            .encrypt(&nonce, plain.as_bytes())
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}", B64.encode(bytes))
    }

    pub fn open(&self, sealed: &str) -> DomainResult<String> {
        let fail = || DomainError::Internal("a sealed value cannot be opened with this key".into());
        let bytes = B64
            .decode(sealed.strip_prefix(PREFIX).ok_or_else(fail)?)
            .map_err(|_| fail())?;
        if bytes.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, text) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), text)
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }

    /// Opens a sealed value and passes a plain one through (queues hold both).
    pub fn open_if_sealed(&self, value: &str) -> DomainResult<String> {
        if value.starts_with(PREFIX) {
            self.open(value)
        } else {
            Ok(value.to_string())
        }
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key() {
        let sealer = Sealer::from_key(&[7; 32]);
        let sealed = sealer.seal("survivor of trafficking, age 17");
        assert!(sealed.starts_with(PREFIX));
        assert!(!sealed.contains("trafficking"));
        assert_ne!(
            sealed,
            sealer.seal("survivor of trafficking, age 17"),
            "fresh nonce each time"
        );
        assert_eq!(
            sealer.open(&sealed).expect("open"),
            "survivor of trafficking, age 17"
        );
        assert!(Sealer::from_key(&[8; 32]).open(&sealed).is_err());
        assert_eq!(sealer.open_if_sealed("plain").expect("plain"), "plain");
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(sealer.open(&tampered).is_err());
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys/secret.key");
        let first = Sealer::from_key_file(&path).expect("create");
        let sealed = first.seal("x");
        let again = Sealer::from_key_file(&path).expect("read");
        assert_eq!(again.open(&sealed).expect("open"), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
