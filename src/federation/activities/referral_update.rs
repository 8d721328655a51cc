//! `Update` of a `Referral` (Gotong's referral vocabulary, docs/federation.md "Update
//! (Referral)"; ActivityPub §7.3): a change of status by the other party, with its `note`.

use super::{check_counterpart, referral_object, Incoming};
use crate::domain::casework::{self, Change};
use crate::domain::referrals::ReferralStatus;
use crate::domain::DomainError;
use crate::federation::{FedData, FederationResult};

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let referral = referral_object(activity)?;
    let row = data
        .store
        .referral_by_ap_id(None, referral.id.as_str())
        .await?
        .ok_or(DomainError::NotFound("referral"))?;
    check_counterpart(&row, activity)?;
    if referral.status == ReferralStatus::Expired && row.status == ReferralStatus::Expired {
        // Both nodes expired their copies on their own clocks.
        return Ok(());
    }
    let change = Change {
        side: row.side.other(),
        next: referral.status,
        by: activity.actor.as_str(),
        note: referral.note.as_deref().unwrap_or_default(),
        activity: Some(activity.id.as_str()),
    };
    casework::transition(data.store.as_ref(), &data.sealer, &row, change).await?;
    Ok(())
}
