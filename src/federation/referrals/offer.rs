//! The `Offer` that carries a new referral, with the person's data, to the receiving
//! organisation's own inbox and nowhere else.

use super::{parse_url, tell::referral_json};
use crate::db::{OrganisationRow, ReferralRow};
use crate::domain::referrals::{ReferralStatus, Sealed};
use crate::federation::delivery::enqueue_for;
use crate::federation::{render, FederationResult, NodeContext};
use serde_json::Value;
use url::Url;

/// Queues the `Offer` of the stored referral `row` (its id is `offer_id`, stored with the
/// referral) with its `content`, for the receiver's own inbox.
pub async fn send_offer(
    ctx: &NodeContext,
    org: &OrganisationRow,
    row: &ReferralRow,
    offer_id: Url,
    content: &Sealed,
) -> FederationResult<()> {
    let mut object = referral_json(ctx, &org.handle, row, ReferralStatus::Sent)?;
    object.needs = Some(content.needs.clone());
    object.person = Some(content.person.clone());
    object.consent = Some(content.consent.clone());
    let mut offer = render::activity(
        &ctx.urls,
        "Offer",
        ctx.urls.actor(&org.handle),
        object,
        vec![parse_url(&row.counterpart)?],
        vec![],
    );
    offer.id = offer_id;
    offer
        .extra
        .insert("target".into(), Value::String(row.counterpart.clone()));
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(ctx, org.id, &offer, inbox, Some(&row.ap_id)).await
}
