//! The end of a referral: expiring unanswered referrals and telling the other party, and
//! erasing one referral at once on both sides. Both take back what is still queued for it,
//! so the receiver never gets personal data it should not.

use super::after_change;
use crate::db::ReferralRow;
use crate::domain::accounts::{Role, Staff};
use crate::domain::referrals::ReferralStatus;
use crate::domain::{casework, retention};
use crate::federation::referrals::{ask_to_erase, take_back, tell_counterpart};
use crate::federation::{FederationResult, NodeContext};

/// The hourly expiry: referrals of this node nobody answered within `expiry_days` become
/// `expired`; the other party, if it knows of the referral, hears it with an `Update`.
pub async fn expire_unanswered(
    ctx: &NodeContext,
    now: i64,
    expiry_days: i64,
) -> FederationResult<usize> {
    let expired = retention::expire_unanswered(ctx.store.as_ref(), now, expiry_days).await?;
    for row in &expired {
        if after_change(ctx, row, ReferralStatus::Expired).await? {
            tell_counterpart(ctx, row, ReferralStatus::Expired, "").await?;
        }
    }
    Ok(expired.len())
}

/// An admin erases one referral now (a person asked to be forgotten): its personal fields
/// here, everything still queued for it, and a request to the other party to erase its copy.
/// `false` when it was already erased: then nothing changes (no second audit entry, no second
/// request to the other party).
pub async fn erase_now(
    ctx: &NodeContext,
    staff: &Staff,
    row: &ReferralRow,
) -> FederationResult<bool> {
    staff.require(&[Role::Admin])?;
    casework::check_access(staff, row)?;
    if row.erased_at.is_some() {
        return Ok(false);
    }
    let known = take_back(ctx, row, true).await?;
    retention::erase(ctx.store.as_ref(), row, &staff.username).await?;
    if known {
        ask_to_erase(ctx, row).await?;
    }
    Ok(true)
}
