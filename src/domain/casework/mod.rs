//! Casework on referrals: creating and receiving them (here), moving them on and writing in
//! their thread ([`timeline`]), and reading them ([`view`]), with every step in the audit log
//! and every personal field sealed before it is stored.

mod timeline;
mod view;

pub(super) use timeline::record;
pub use timeline::{add_message, transition, Change};
pub use view::{open, EventView, ReferralView};

use super::accounts::{Role, Staff};
use super::referrals::{ReferralStatus, Sealed, Side, Urgency};
use super::sealing::{Binding, Sealer};
use super::{DomainError, DomainResult};
use crate::db::{NewReferral, ReferralRow, Store};

/// The staff member may work on this referral: a caseworker (or admin) of the party organisation.
/// Anyone else is told it does not exist.
pub fn check_access(staff: &Staff, row: &ReferralRow) -> DomainResult<()> {
    staff.require(&[Role::Caseworker])?;
    if staff.organisation_id != row.organisation_id {
        return Err(DomainError::NotFound("referral"));
    }
    Ok(())
}

pub async fn audit(
    store: &dyn Store,
    row: &ReferralRow,
    actor: &str,
    action: &str,
) -> DomainResult<()> {
    Ok(store
        .record_audit(row.organisation_id, actor, action, Some(row.id), "")
        .await?)
}

/// What a new referral needs besides its content.
pub struct Parties<'a> {
    pub ap_id: &'a str,
    pub offer_activity: &'a str,
    pub counterpart: &'a str,
    pub counterpart_inbox: &'a str,
    pub program: Option<&'a str>,
    pub referral_offer: Option<&'a str>,
    pub urgency: Urgency,
}

/// A referral a caseworker sends: checked (consent!), sealed, stored as `sent`.
pub async fn create(
    store: &dyn Store,
    sealer: &Sealer,
    staff: &Staff,
    parties: Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    staff.require(&[Role::Caseworker])?;
    content.validate()?;
    let row = insert(
        store,
        sealer,
        staff.organisation_id,
        Side::Sender,
        &parties,
        content,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Sent,
        &staff.username,
        None,
        None,
    )
    .await?;
    audit(store, &row, &staff.username, "create").await?;
    Ok(row)
}

/// A referral another organisation sent to `organisation_id`: stored as `received`.
pub async fn receive(
    store: &dyn Store,
    sealer: &Sealer,
    organisation_id: i64,
    parties: Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    content.validate()?;
    let row = insert(
        store,
        sealer,
        organisation_id,
        Side::Receiver,
        &parties,
        content,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Sent,
        parties.counterpart,
        Some(parties.offer_activity),
        None,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Received,
        "this node",
        None,
        None,
    )
    .await?;
    audit(store, &row, parties.counterpart, "receive").await?;
    Ok(store.referral_by_id(row.id).await?.unwrap_or(row))
}

async fn insert(
    store: &dyn Store,
    sealer: &Sealer,
    organisation_id: i64,
    side: Side,
    p: &Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    let plain = serde_json::to_string(content).map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(store
        .insert_referral(NewReferral {
            ap_id: p.ap_id,
            organisation_id,
            side,
            counterpart: p.counterpart,
            counterpart_inbox: p.counterpart_inbox,
            offer_activity: p.offer_activity,
            program: p.program,
            referral_offer: p.referral_offer,
            urgency: p.urgency,
            status: ReferralStatus::Sent,
            sealed: &sealer.seal(&plain, &Binding::referral(p.ap_id)),
        })
        .await?)
}
