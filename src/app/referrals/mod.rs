//! Referrals between organisations: sending one ([`send`]), moving it on and writing in its
//! thread (here), and its end: expiry and erasure ([`lifecycle`]). Each checks the staff
//! member's access, changes the referral through `domain::casework`, then tells the other
//! party through `federation::referrals`, unless that party never learnt of the referral.

mod lifecycle;
mod send;

pub use lifecycle::{erase_now, expire_unanswered};
pub use send::{send, SendRequest};

use crate::db::ReferralRow;
use crate::domain::casework::{self, Change};
use crate::domain::referrals::ReferralStatus;
use crate::domain::{accounts::Staff, DomainError};
use crate::federation::referrals::{self as wire, counterpart_may_know, take_back};
use crate::federation::{FederationError, FederationResult, NodeContext};

fn invalid(message: &str) -> FederationError {
    DomainError::Invalid(message.to_string()).into()
}

/// After a status change: a withdrawn, expired or closed referral takes back what is still
/// queued for it. `false` when the other party never learnt of the referral: then it hears
/// nothing about it, now or later.
async fn after_change(
    ctx: &NodeContext,
    row: &ReferralRow,
    next: ReferralStatus,
) -> FederationResult<bool> {
    if matches!(
        next,
        ReferralStatus::Withdrawn | ReferralStatus::Expired | ReferralStatus::Closed
    ) {
        take_back(ctx, row, false).await
    } else {
        counterpart_may_know(ctx, row).await
    }
}

/// A staff member moves a referral; the other party hears it as Accept, Reject or Update.
pub async fn change(
    ctx: &NodeContext,
    staff: &Staff,
    row: &ReferralRow,
    next: ReferralStatus,
    note: &str,
) -> FederationResult<()> {
    casework::check_access(staff, row)?;
    if next == ReferralStatus::Expired {
        return Err(invalid(
            "a referral expires by itself when nobody answers it in time",
        ));
    }
    let change = Change {
        side: row.side,
        next,
        by: &staff.username,
        note,
        activity: None,
    };
    casework::transition(ctx.store.as_ref(), &ctx.sealer, row, change).await?;
    if !after_change(ctx, row, next).await? {
        // Taken back before the receiver got it: it never hears of the referral.
        return Ok(());
    }
    wire::tell_counterpart(ctx, row, next, note).await
}

/// A message in the referral's thread, to the other party only.
pub async fn message(
    ctx: &NodeContext,
    staff: &Staff,
    row: &ReferralRow,
    text: &str,
) -> FederationResult<()> {
    casework::check_access(staff, row)?;
    if !counterpart_may_know(ctx, row).await? {
        return Err(DomainError::Conflict(
            "the referral was taken back before the other organisation received it".into(),
        )
        .into());
    }
    casework::add_message(
        ctx.store.as_ref(),
        &ctx.sealer,
        row,
        &staff.username,
        text,
        None,
    )
    .await?;
    wire::send_message(ctx, row, text).await
}
