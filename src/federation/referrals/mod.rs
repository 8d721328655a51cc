//! Referrals over ActivityPub: `Offer` carries a referral to the receiving organisation's
//! personal inbox and nowhere else ([`send_offer`]); `Accept`/`Reject` answer it and
//! `Update` moves it on ([`tell_counterpart`]); a private `Note` whose `context` is the
//! referral is a message in its thread ([`send_message`]); `Delete` of the referral asks
//! the other party to erase its copy ([`ask_to_erase`]). What is still queued for a referral
//! can be taken back ([`take_back`]). The use cases that decide when each is sent are
//! `crate::app::referrals`; what arrives from the other party is handled in `activities/`.

mod offer;
mod tell;

pub use offer::send_offer;
pub use tell::{acknowledge, ask_to_erase, refuse, send_message, tell_counterpart};

use super::protocol::context::default_context;
use super::{FedData, FederationError, FederationResult, NodeContext};
use crate::db::ReferralRow;
use crate::domain::casework;
use crate::domain::referrals::Side;
use crate::domain::DomainError;
use serde_json::Value;
use url::Url;

/// A URL from a referral's fields; one that is not a URL is refused as invalid.
pub fn parse_url(s: &str) -> FederationResult<Url> {
    Url::parse(s).map_err(|_| DomainError::Invalid(format!("{s:?} is not a URL")).into())
}

/// Takes back what is queued for the referral and not yet delivered: messages always; the
/// `Offer` and everything else too when the Offer cannot have reached the receiver yet, or
/// when `everything` (erasure). Returns whether the other party knows of the referral (and
/// should hear what happens next): always for a referral this node received.
pub async fn take_back(
    ctx: &NodeContext,
    row: &ReferralRow,
    everything: bool,
) -> FederationResult<bool> {
    // An attempt to deliver the Offer may be under way this very moment. Its outcome tells
    // whether the receiver can know of the referral: wait for it (at most one request's
    // timeout), so a refused connection does not count as "may have arrived" and carry the
    // withdrawal and its note to a node that never got the referral.
    let patience = std::time::Duration::from_secs(ctx.config.http_timeout_secs + 1);
    let started = std::time::Instant::now();
    while ctx.store.offer_in_flight(&row.offer_activity).await? && started.elapsed() < patience {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let offer_reached = ctx
        .store
        .take_back_queued(&row.ap_id, &row.offer_activity, everything)
        .await?;
    Ok(row.side == Side::Receiver || offer_reached)
}

/// Whether the other party knows of the referral or will: a referral this node received, or
/// one whose `Offer` was not taken back before it left.
pub async fn counterpart_may_know(ctx: &NodeContext, row: &ReferralRow) -> FederationResult<bool> {
    Ok(row.side == Side::Receiver || ctx.store.offer_may_reach(&row.offer_activity).await?)
}

/// The referral for an authorised fetch by the other party: current status and content.
pub async fn fetched(data: &FedData, row: &ReferralRow) -> FederationResult<Value> {
    let org = data.store.organisation_by_id(row.organisation_id).await?;
    let mut object = tell::referral_json(data, &org.handle, row, row.status)?;
    if let Some(content) = casework::open(data.store.as_ref(), &data.sealer, row)
        .await?
        .content
    {
        object.needs = Some(content.needs);
        object.person = Some(content.person);
        object.consent = Some(content.consent);
    }
    object.context = Some(default_context());
    casework::audit(data.store.as_ref(), row, &row.counterpart, "fetch").await?;
    serde_json::to_value(object).map_err(|e| FederationError::Remote(e.to_string()))
}
