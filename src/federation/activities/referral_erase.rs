//! `Delete` of a `Referral` (Gotong's referral vocabulary, docs/federation.md "Delete
//! (Referral): erase it now"; ActivityPub §7.4): the other party asks this node to erase its
//! copy. Done at once and audited if it comes from that party; anyone else is refused and
//! nothing is erased.

use super::{check_counterpart, object_id, Incoming};
use crate::domain::{retention, DomainError};
use crate::federation::referrals::take_back;
use crate::federation::{FedData, FederationResult};

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let id = object_id(activity).ok_or(DomainError::NotFound("referral"))?;
    let row = data
        .store
        .referral_by_ap_id(None, &id)
        .await?
        .ok_or(DomainError::NotFound("referral"))?;
    check_counterpart(&row, activity)?;
    if row.erased_at.is_some() {
        return Ok(());
    }
    take_back(data, &row, true).await?;
    retention::erase(data.store.as_ref(), &row, activity.actor.as_str()).await?;
    Ok(())
}
