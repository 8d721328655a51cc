//! The policy as stored: loading it, and the admin's changes to its mode and rules.

use super::{normalise_host, FederationMode, Policy, RuleAction};
use crate::db::Store;
use crate::domain::accounts::{Role, Staff};
use crate::domain::{DomainError, DomainResult};

const MODE_KEY: &str = "federation_mode";

pub async fn load(store: &dyn Store) -> DomainResult<Policy> {
    let mode = match store.setting(MODE_KEY).await?.as_deref() {
        Some("allowlist") => FederationMode::Allowlist,
        _ => FederationMode::Blocklist,
    };
    Ok(Policy {
        mode,
        rules: store.domain_rules().await?,
        subscribed: store.subscribed_rules().await?,
    })
}

/// A domain as rules name it: lower case, no scheme or path, no trailing dot.
pub fn normalise_domain(input: &str) -> DomainResult<String> {
    let domain = normalise_host(input);
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !valid {
        return Err(DomainError::Invalid(format!(
            "{input:?} is not a domain (name it like example.org, or host:port)"
        )));
    }
    Ok(domain)
}

pub async fn set_mode(
    store: &dyn Store,
    staff: Option<&Staff>,
    mode: FederationMode,
) -> DomainResult<()> {
    if let Some(staff) = staff {
        staff.require(&[Role::Admin])?;
    }
    Ok(store.set_setting(MODE_KEY, mode.as_str()).await?)
}

/// Adds or changes a rule; with `purge`, a block also deletes what was received from the
/// domain. Returns how many posts were purged.
pub async fn set_rule(
    store: &dyn Store,
    staff: Option<&Staff>,
    domain: &str,
    action: RuleAction,
    reason: &str,
    purge: bool,
) -> DomainResult<u64> {
    if let Some(staff) = staff {
        staff.require(&[Role::Admin])?;
    }
    let domain = normalise_domain(domain)?;
    store
        .set_domain_rule(&domain, action.as_str(), reason.trim())
        .await?;
    if action == RuleAction::Block && purge {
        return Ok(store.purge_domain(&domain).await?);
    }
    Ok(0)
}

pub async fn remove_rule(
    store: &dyn Store,
    staff: Option<&Staff>,
    domain: &str,
) -> DomainResult<()> {
    if let Some(staff) = staff {
        staff.require(&[Role::Admin])?;
    }
    if store.remove_domain_rule(&normalise_domain(domain)?).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("rule"))
    }
}
