//! `Accept` or `Reject` of the `Offer` that carried a referral (Gotong's referral vocabulary,
//! docs/federation.md "Accept and Reject (of the Offer)"; ActivityPub §7.6 and §7.7): the
//! referral becomes accepted or declined, with the reason from `content`.

use super::{check_counterpart, object_id, Incoming};
use crate::domain::casework::{self, Change};
use crate::domain::referrals::ReferralStatus;
use crate::domain::{posts, DomainError};
use crate::federation::{FedData, FederationResult};
use serde_json::Value;

pub(super) async fn receive(
    data: &FedData,
    activity: &Incoming,
    accepted: bool,
) -> FederationResult<()> {
    let id = object_id(activity).ok_or(DomainError::NotFound("referral"))?;
    let row = data
        .store
        .referral_by_offer_activity(&id)
        .await?
        .ok_or(DomainError::NotFound("referral"))?;
    check_counterpart(&row, activity)?;
    let reason = activity
        .extra
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let change = Change {
        side: row.side.other(),
        next: if accepted {
            ReferralStatus::Accepted
        } else {
            ReferralStatus::Declined
        },
        by: activity.actor.as_str(),
        note: &posts::html_text(reason),
        activity: Some(activity.id.as_str()),
    };
    casework::transition(data.store.as_ref(), &data.sealer, &row, change).await?;
    Ok(())
}
