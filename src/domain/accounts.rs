//! Staff accounts, roles, passwords (argon2) and bearer tokens (stored only as SHA-256).

use super::{DomainError, DomainResult};
use crate::db::{AccountRow, NewAccount, Store};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

// Stored in an account's row, so defined with the stored vocabulary (see `db::values`).
pub use crate::db::values::Role;

impl Role {
    /// A role named in a request or on the command line.
    pub fn parse(s: &str) -> DomainResult<Role> {
        match Role::from_stored(s) {
            Some(role) => Ok(role),
            None => Err(DomainError::Invalid(format!(
                "unknown role {s:?}: expected admin, editor or caseworker"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Api,
    Setup,
    /// A browser session: the cookie's value is the token.
    Session,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Api => "api",
            TokenPurpose::Setup => "setup",
            TokenPurpose::Session => "session",
        }
    }
}

/// A signed-in staff member, as the web layer sees them.
#[derive(Debug, Clone)]
pub struct Staff {
    pub account_id: i64,
    pub organisation_id: i64,
    pub username: String,
    pub role: Role,
}

impl Staff {
    pub fn from_row(row: &AccountRow) -> DomainResult<Staff> {
        Ok(Staff {
            account_id: row.id,
            organisation_id: row.organisation_id,
            username: row.username.clone(),
            role: row.role,
        })
    }

    /// Refuses unless the member has one of `roles` (admins always pass).
    pub fn require(&self, roles: &[Role]) -> DomainResult<()> {
        if self.role == Role::Admin || roles.contains(&self.role) {
            Ok(())
        } else {
            Err(DomainError::Forbidden("your role does not allow this"))
        }
    }
}

pub fn validate_username(username: &str) -> DomainResult<()> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(DomainError::Invalid(
            "username must be 1 to 64 characters of letters, digits, '_', '-' or '.'".into(),
        ))
    }
}

pub fn hash_password(password: &str) -> DomainResult<String> {
    if password.chars().count() < 10 {
        return Err(DomainError::Invalid(
            "password must be at least 10 characters".into(),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(format!("password hashing: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn create_account(
    store: &dyn Store,
    organisation_id: i64,
    username: &str,
    password: Option<&str>,
    role: Role,
) -> DomainResult<AccountRow> {
    validate_username(username)?;
    let hash = password.map(hash_password).transpose()?;
    store
        .insert_account(NewAccount {
            organisation_id,
            username,
            password_hash: hash.as_deref(),
            role,
        })
        .await
        .map_err(|e| match DomainError::from(e) {
            DomainError::Conflict(_) => {
                DomainError::Conflict(format!("account {username:?} already exists"))
            }
            other => other,
        })
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a random token, stores its hash, and returns the token itself (shown once).
pub async fn mint_token(
    store: &dyn Store,
    account_id: i64,
    purpose: TokenPurpose,
    label: &str,
) -> DomainResult<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = format!("gt_{}", URL_SAFE_NO_PAD.encode(bytes));
    store
        .insert_token(account_id, &token_hash(&token), purpose.as_str(), label)
        .await?;
    Ok(token)
}

/// The staff member an API bearer token belongs to.
pub async fn authenticate_token(store: &dyn Store, token: &str) -> DomainResult<Staff> {
    let row = store
        .use_token(&token_hash(token), TokenPurpose::Api.as_str())
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    Staff::from_row(&store.account_by_id(row.account_id).await?)
}

/// How long a browser session lasts from sign-in, whatever its use.
pub const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;

/// The staff member a browser session belongs to, while the session is young enough.
/// An expired session is deleted when it is presented.
pub async fn session_staff(store: &dyn Store, token: &str, now_ms: i64) -> DomainResult<Staff> {
    let row = store
        .use_token(&token_hash(token), TokenPurpose::Session.as_str())
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    if now_ms - row.created_at > SESSION_LIFETIME_MS {
        store.delete_token(row.id).await?;
        return Err(DomainError::Unauthenticated);
    }
    Staff::from_row(&store.account_by_id(row.account_id).await?)
}

/// Signs out: the session's token stops working at once.
pub async fn end_session(store: &dyn Store, token: &str) -> DomainResult<()> {
    if let Some(row) = store
        .use_token(&token_hash(token), TokenPurpose::Session.as_str())
        .await?
    {
        store.delete_token(row.id).await?;
    }
    Ok(())
}

/// A value derived from a secret that cannot be computed without it (forms carry it as
/// their CSRF token; the secret itself never leaves the cookie).
pub fn derived_secret(purpose: &str, secret: &str) -> String {
    let digest = Sha256::new()
        .chain_update(purpose.as_bytes())
        .chain_update([0u8])
        .chain_update(secret.as_bytes())
        .finalize();
    URL_SAFE_NO_PAD.encode(digest)
}

/// A fresh random value for cookies.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Username and password for a new API token.
pub async fn login(store: &dyn Store, username: &str, password: &str) -> DomainResult<Staff> {
    let account = store
        .account_by_username(username)
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    match &account.password_hash {
        Some(hash) if password_matches(password, hash) => Staff::from_row(&account),
        _ => Err(DomainError::Unauthenticated),
    }
}

/// The admin a setup token is for, while it is unspent (the setup page shows it).
pub async fn setup_account(store: &dyn Store, setup_token: &str) -> DomainResult<Option<Staff>> {
    if setup_token.is_empty() {
        return Ok(None);
    }
    match store
        .use_token(&token_hash(setup_token), TokenPurpose::Setup.as_str())
        .await?
    {
        Some(token) => Ok(Some(Staff::from_row(
            &store.account_by_id(token.account_id).await?,
        )?)),
        None => Ok(None),
    }
}

/// Spends the one-time setup token printed at first start: sets the admin's password and
/// returns the admin, whose API token the caller may then mint.
pub async fn complete_setup(
    store: &dyn Store,
    setup_token: &str,
    password: &str,
) -> DomainResult<Staff> {
    let hash = hash_password(password)?;
    let token = store
        .use_token(&token_hash(setup_token), TokenPurpose::Setup.as_str())
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    store.delete_token(token.id).await?;
    store.set_password_hash(token.account_id, &hash).await?;
    Staff::from_row(&store.account_by_id(token.account_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("wrong horse battery", &hash));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn roles_round_trip_and_admin_passes_everything() {
        for role in [Role::Admin, Role::Editor, Role::Caseworker] {
            assert_eq!(Role::parse(role.as_str()).expect("parse"), role);
        }
        assert!(Role::parse("owner").is_err());
        let staff = |role| Staff {
            account_id: 1,
            organisation_id: 1,
            username: "x".into(),
            role,
        };
        assert!(staff(Role::Admin).require(&[Role::Editor]).is_ok());
        assert!(staff(Role::Caseworker).require(&[Role::Editor]).is_err());
    }
}
