//! Organisations hosted on this node: handles, key pairs, first-start bootstrap.

use super::sealing::{Binding, Sealer};
use super::{accounts, DomainError, DomainResult};
use crate::db::{NewOrganisation, OrganisationRow, Store};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

pub type Organisation = OrganisationRow;

/// Handles are the local part of `acct:handle@domain`: short, lower-case, URL-safe.
pub fn validate_handle(handle: &str) -> DomainResult<()> {
    let ok_chars = handle
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if handle.is_empty() || handle.len() > 64 || !ok_chars {
        return Err(DomainError::Invalid(format!(
            "handle {handle:?} must be 1 to 64 characters of a-z, 0-9, '_' or '-'"
        )));
    }
    Ok(())
}

/// An RSA-2048 key pair as PKCS#8 / SPKI PEM, the format Mastodon publishes in `publicKeyPem`.
pub fn generate_key_pair() -> DomainResult<(String, String)> {
    let mut rng = rand::thread_rng();
    let private = rsa::RsaPrivateKey::new(&mut rng, 2048)
        .map_err(|e| DomainError::Internal(format!("key generation: {e}")))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| DomainError::Internal(format!("public key encoding: {e}")))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| DomainError::Internal(format!("private key encoding: {e}")))?
        .to_string();
    Ok((public_pem, private_pem))
}

/// The organisation's private signing key (PKCS#8 PEM), opened from its sealed form.
pub fn signing_key(sealer: &Sealer, org: &OrganisationRow) -> DomainResult<String> {
    sealer.open(
        &org.private_key_sealed,
        &Binding::organisation_key(&org.handle),
    )
}

pub async fn create_organisation(
    store: &dyn Store,
    sealer: &Sealer,
    handle: &str,
    name: &str,
) -> DomainResult<Organisation> {
    validate_handle(handle)?;
    if name.trim().is_empty() {
        return Err(DomainError::Invalid(
            "organisation name must not be empty".into(),
        ));
    }
    let (public_key_pem, private_key_pem) = tokio::task::spawn_blocking(generate_key_pair)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))??;
    Ok(store
        .insert_organisation(NewOrganisation {
            handle,
            name: name.trim(),
            summary: "",
            public_key_pem: &public_key_pem,
            private_key_sealed: &sealer.seal(&private_key_pem, &Binding::organisation_key(handle)),
        })
        .await?)
}

/// Replaces the organisation's key pair. Peers notice when our next signature fails with the
/// key they cached and fetch the actor again; `app::organisation::rotate_key` also announces it.
pub async fn rotate_keys(
    store: &dyn Store,
    sealer: &Sealer,
    organisation_id: i64,
) -> DomainResult<Organisation> {
    let org = store.organisation_by_id(organisation_id).await?;
    let (public_key_pem, private_key_pem) = tokio::task::spawn_blocking(generate_key_pair)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))??;
    let sealed = sealer.seal(&private_key_pem, &Binding::organisation_key(&org.handle));
    store
        .set_organisation_keys(organisation_id, &public_key_pem, &sealed)
        .await?;
    Ok(store.organisation_by_id(organisation_id).await?)
}

pub async fn by_handle(store: &dyn Store, handle: &str) -> DomainResult<Organisation> {
    store
        .organisation_by_handle(handle)
        .await?
        .ok_or(DomainError::NotFound("organisation"))
}

/// What the first start of an empty node created, so the CLI can tell the operator.
pub struct Bootstrap {
    pub organisation: Organisation,
    pub admin_username: String,
    pub setup_token: String,
}

/// On an empty database: creates the configured organisation and an `admin` account without a
/// password, plus a one-time setup token to choose it. Does nothing when accounts exist, so a
/// restart never creates anything twice.
pub async fn bootstrap(
    store: &dyn Store,
    sealer: &Sealer,
    handle: &str,
    name: &str,
) -> DomainResult<Option<Bootstrap>> {
    if store.count_accounts().await? > 0 {
        return Ok(None);
    }
    let organisation = match store.organisation_by_handle(handle).await? {
        Some(existing) => existing,
        None => create_organisation(store, sealer, handle, name).await?,
    };
    let admin_username = "admin".to_string();
    let admin = accounts::create_account(
        store,
        organisation.id,
        &admin_username,
        None,
        accounts::Role::Admin,
    )
    .await?;
    let setup_token =
        accounts::mint_token(store, admin.id, accounts::TokenPurpose::Setup, "setup").await?;
    Ok(Some(Bootstrap {
        organisation,
        admin_username,
        setup_token,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert!(validate_handle("redcross-ph").is_ok());
        assert!(validate_handle("").is_err());
        assert!(validate_handle("Red Cross").is_err());
        assert!(validate_handle("a/b").is_err());
    }
}
