//! Retention: a referral nobody answered in time expires; the personal data of every referral
//! that reached an end state is erased after the retention period; the sealed copies of
//! private activities are emptied once delivered or applied.

use super::casework::{audit, record};
use super::referrals::ReferralStatus;
use super::DomainResult;
use crate::db::{ReferralRow, Store};

const DAY_MS: i64 = 86_400_000;

/// Erases the personal fields of referrals that reached an end state (completed, declined,
/// withdrawn, expired, closed) more than `retention_days` before `now`, leaving dates and
/// statuses; each erasure is in the audit log. Returns how many were erased.
pub async fn erase_expired(
    store: &dyn Store,
    now: i64,
    retention_days: i64,
) -> DomainResult<usize> {
    let cutoff = now - retention_days * DAY_MS;
    let due = store.referrals_to_erase(cutoff).await?;
    for row in &due {
        erase(store, row, "retention").await?;
    }
    Ok(due.len())
}

/// Erases one referral's personal fields now (a person asked to be forgotten, or the other
/// party asked), audited as `erase` by `actor`.
pub async fn erase(store: &dyn Store, row: &ReferralRow, actor: &str) -> DomainResult<()> {
    store.erase_referral(row.id).await?;
    audit(store, row, actor, "erase").await
}

/// Marks `expired` every referral of this node still unanswered (sent or received, neither
/// accepted nor declined) `expiry_days` after it was created. Returns the referrals expired.
pub async fn expire_unanswered(
    store: &dyn Store,
    now: i64,
    expiry_days: i64,
) -> DomainResult<Vec<ReferralRow>> {
    let due = store
        .referrals_created_before(&ReferralStatus::UNANSWERED, now - expiry_days * DAY_MS)
        .await?;
    let mut expired = Vec::new();
    for row in due {
        if row
            .status
            .check_transition(ReferralStatus::Expired, row.side)
            .is_err()
        {
            continue;
        }
        let by = "this node";
        if record(store, &row, ReferralStatus::Expired, by, None, None).await? {
            audit(store, &row, by, "status:expired").await?;
            expired.push(row);
        }
    }
    Ok(expired)
}

/// What one retention run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub referrals_erased: usize,
    pub queue_bodies_purged: u64,
}

/// How long a processed private activity keeps its (sealed) body in the queues.
const QUEUE_BODY_DAYS: i64 = 1;

/// The retention job: erases the personal fields of referrals that ended more than
/// `retention_days` ago, and empties the sealed copies of private activities once they have
/// been delivered or applied. (Expiry runs before it, in the federation layer, which also
/// tells the other party.)
pub async fn run_retention(
    store: &dyn Store,
    now: i64,
    retention_days: i64,
) -> DomainResult<RetentionReport> {
    let referrals_erased = erase_expired(store, now, retention_days).await?;
    let cutoff = now - QUEUE_BODY_DAYS * DAY_MS;
    let queue_bodies_purged = store.purge_sealed_inbox_bodies(cutoff).await?
        + store.purge_sealed_outgoing_bodies(cutoff).await?;
    Ok(RetentionReport {
        referrals_erased,
        queue_bodies_purged,
    })
}
