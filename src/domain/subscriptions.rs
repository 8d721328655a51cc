//! Shared domain lists: a node publishes its own allow and block rules as a list, and others
//! subscribe to it. Subscribed domains apply as rules that yield to local ones; every domain
//! a refresh adds or removes is written to the audit log, and a failed fetch keeps the last
//! good list.

use super::accounts::{Role, Staff};
use super::policy::{normalise_domain, RuleAction};
use super::{DomainError, DomainResult};
use crate::db::{Store, SubscriptionRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Most domains taken from one list; a longer list is refused as a whole.
pub const MAX_LIST_DOMAINS: usize = 10_000;
/// The `type` of the published document.
pub const LIST_TYPE: &str = "GotongDomainList";

/// The list a node publishes at `/federation/allowlist` and `/federation/blocklist`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DomainList {
    #[serde(rename = "type")]
    pub kind_of_document: String,
    pub id: String,
    /// `allow` or `block`.
    pub action: RuleAction,
    /// The publishing node's federation mode, for information.
    #[serde(default)]
    pub mode: Option<String>,
    pub domains: Vec<String>,
}

/// The local rules of one action, as a published list.
pub async fn published_list(
    store: &dyn Store,
    id: &str,
    action: RuleAction,
) -> DomainResult<DomainList> {
    let policy = super::policy::load(store).await?;
    Ok(DomainList {
        kind_of_document: LIST_TYPE.into(),
        id: id.into(),
        action,
        mode: Some(policy.mode.as_str().into()),
        domains: policy
            .rules
            .into_iter()
            .filter(|r| r.action == action.as_str())
            .map(|r| r.domain)
            .collect(),
    })
}

/// Reads a fetched list: it must be a domain list of the subscribed action. Entries that are
/// not domains are skipped; duplicates are merged.
pub fn read_list(body: &[u8], expected: RuleAction) -> Result<BTreeSet<String>, String> {
    let list: DomainList =
        serde_json::from_slice(body).map_err(|e| format!("not a domain list: {e}"))?;
    if list.kind_of_document != LIST_TYPE {
        return Err(format!(
            "type is {:?}, not {LIST_TYPE}",
            list.kind_of_document
        ));
    }
    if list.action != expected {
        return Err(format!(
            "the list holds {} rules, subscribed as {}",
            list.action.as_str(),
            expected.as_str()
        ));
    }
    if list.domains.len() > MAX_LIST_DOMAINS {
        return Err(format!("more than {MAX_LIST_DOMAINS} domains"));
    }
    Ok(list
        .domains
        .iter()
        .filter_map(|d| normalise_domain(d).ok())
        .collect())
}

pub async fn subscribe(
    store: &dyn Store,
    staff: Option<&Staff>,
    organisation_id: i64,
    url: &str,
    action: RuleAction,
) -> DomainResult<SubscriptionRow> {
    if let Some(staff) = staff {
        staff.require(&[Role::Admin])?;
    }
    let parsed = url::Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| DomainError::Invalid(format!("{url:?} is not an http(s) URL")))?;
    let row = store
        .add_subscription(organisation_id, parsed.as_str(), action.as_str())
        .await?;
    store
        .record_audit(
            organisation_id,
            &audit_actor(staff),
            "policy_list:subscribe",
            None,
            &format!("{} list {}", action.as_str(), parsed),
        )
        .await?;
    Ok(row)
}

pub async fn unsubscribe(store: &dyn Store, staff: Option<&Staff>, id: i64) -> DomainResult<()> {
    if let Some(staff) = staff {
        staff.require(&[Role::Admin])?;
    }
    let row = store
        .subscription_by_id(id)
        .await?
        .ok_or(DomainError::NotFound("subscription"))?;
    store.remove_subscription(id).await?;
    store
        .record_audit(
            row.organisation_id,
            &audit_actor(staff),
            "policy_list:unsubscribe",
            None,
            &format!("{} list {}", row.kind, row.url),
        )
        .await?;
    Ok(())
}

fn audit_actor(staff: Option<&Staff>) -> String {
    staff.map_or_else(|| "cli".to_string(), |s| s.username.clone())
}

/// What one refresh changed.
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Stores a freshly fetched list in place of the last one, with one audit entry per domain
/// added or removed.
pub async fn apply_fetched(
    store: &dyn Store,
    sub: &SubscriptionRow,
    fetched: BTreeSet<String>,
) -> DomainResult<Changes> {
    let known: BTreeSet<String> = store
        .subscribed_domains(sub.id)
        .await?
        .into_iter()
        .collect();
    let changes = Changes {
        added: fetched.difference(&known).cloned().collect(),
        removed: known.difference(&fetched).cloned().collect(),
    };
    store
        .apply_subscription_fetch(sub.id, &changes.added, &changes.removed)
        .await?;
    for (action, domains) in [("add", &changes.added), ("remove", &changes.removed)] {
        for domain in domains {
            store
                .record_audit(
                    sub.organisation_id,
                    &sub.url,
                    &format!("policy_list:{action}"),
                    None,
                    &format!("{domain} ({} list)", sub.kind),
                )
                .await?;
        }
    }
    Ok(changes)
}
