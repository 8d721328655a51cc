//! The end of a referral between nodes: taking back what is still queued for it when it is
//! withdrawn, closed, expired or erased (so the receiver never gets personal data it should
//! not), expiring unanswered referrals and telling the other party, and erasing one referral
//! at once on both sides (`Delete` of the referral, sent to the other party only; received,
//! it is `activities/referral_erase.rs`).

use super::delivery::enqueue_for;
use super::{render, FedData, FederationResult, NodeContext};
use crate::db::ReferralRow;
use crate::domain::accounts::{Role, Staff};
use crate::domain::referrals::{ReferralStatus, Side};
use crate::domain::{casework, retention, DomainError};
use serde_json::json;
use url::Url;

/// Takes back what is queued for the referral and not yet delivered: messages always; the
/// `Offer` and everything else too when the Offer cannot have reached the receiver yet, or
/// when `everything` (erasure). Returns whether the other party knows of the referral (and
/// should hear what happens next): always for a referral this node received.
pub async fn take_back(
    ctx: &NodeContext,
    row: &ReferralRow,
    everything: bool,
) -> FederationResult<bool> {
    let offer_reached = ctx
        .store
        .take_back_queued(&row.ap_id, &row.offer_activity, everything)
        .await?;
    Ok(Side::parse(&row.side)? == Side::Receiver || offer_reached)
}

/// Whether the other party knows of the referral or will: a referral this node received, or
/// one whose `Offer` was not taken back before it left.
pub async fn counterpart_may_know(ctx: &NodeContext, row: &ReferralRow) -> FederationResult<bool> {
    Ok(Side::parse(&row.side)? == Side::Receiver
        || ctx.store.offer_may_reach(&row.offer_activity).await?)
}

/// After a status change: a withdrawn, expired or closed referral takes back what is still
/// queued for it. `false` when the other party never learnt of the referral: then it hears
/// nothing about it, now or later.
pub async fn after_change(
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
            super::referrals::tell_counterpart(ctx, row, ReferralStatus::Expired, "").await?;
        }
    }
    Ok(expired.len())
}

/// An admin erases one referral now (a person asked to be forgotten): its personal fields
/// here, everything still queued for it, and a request to the other party to erase its copy.
/// `false` when it was already erased: then nothing changes (no second audit entry, no second
/// request to the other party).
pub async fn erase_now(data: &FedData, staff: &Staff, row: &ReferralRow) -> FederationResult<bool> {
    staff.require(&[Role::Admin])?;
    casework::check_access(staff, row)?;
    if row.erased_at.is_some() {
        return Ok(false);
    }
    let known = take_back(data, row, true).await?;
    retention::erase(data.store.as_ref(), row, &staff.username).await?;
    if known {
        ask_to_erase(data, row).await?;
    }
    Ok(true)
}

/// `Delete` whose object is the referral, to the other party's own inbox only.
async fn ask_to_erase(ctx: &NodeContext, row: &ReferralRow) -> FederationResult<()> {
    let org = ctx.store.organisation_by_id(row.organisation_id).await?;
    let counterpart = Url::parse(&row.counterpart)
        .map_err(|_| DomainError::Internal("stored counterpart is not a URL".into()))?;
    let delete = render::activity(
        &ctx.urls,
        "Delete",
        ctx.urls.actor(&org.handle),
        json!({ "type": super::protocol::referral::REFERRAL_TYPE, "id": row.ap_id }),
        vec![counterpart],
        vec![],
    );
    enqueue_for(
        ctx,
        org.id,
        &delete,
        [row.counterpart_inbox.clone()],
        Some(&row.ap_id),
    )
    .await
}
