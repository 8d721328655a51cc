//! Retention: personal data of closed referrals is erased after the retention period, and the
//! sealed copies of private activities are emptied once delivered or applied.

use super::casework::audit;
use super::DomainResult;
use crate::db::Store;

/// Erases the personal fields of referrals closed more than `retention_days` ago, leaving
/// dates and statuses; each erasure is in the audit log. Returns how many were erased.
pub async fn erase_expired(
    store: &dyn Store,
    now: i64,
    retention_days: i64,
) -> DomainResult<usize> {
    let cutoff = now - retention_days * 86_400_000;
    let due = store.referrals_to_erase(cutoff).await?;
    for row in &due {
        store.erase_referral(row.id).await?;
        audit(store, row, "retention", "erase").await?;
    }
    Ok(due.len())
}

/// What one retention run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub referrals_erased: usize,
    pub queue_bodies_purged: u64,
}

/// How long a processed private activity keeps its (sealed) body in the queues.
const QUEUE_BODY_DAYS: i64 = 1;

/// The retention job: erases the personal fields of referrals closed more than
/// `retention_days` ago, and empties the sealed copies of private activities once they have
/// been delivered or applied.
pub async fn run_retention(
    store: &dyn Store,
    now: i64,
    retention_days: i64,
) -> DomainResult<RetentionReport> {
    let referrals_erased = erase_expired(store, now, retention_days).await?;
    let cutoff = now - QUEUE_BODY_DAYS * 86_400_000;
    let queue_bodies_purged = store.purge_sealed_inbox_bodies(cutoff).await?
        + store.purge_sealed_outgoing_bodies(cutoff).await?;
    Ok(RetentionReport {
        referrals_erased,
        queue_bodies_purged,
    })
}
