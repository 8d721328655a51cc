//! A referral opened for its parties: content and timeline unsealed.

use crate::db::{EventKind, ReferralId, ReferralRow, Store};
use crate::domain::referrals::{ReferralStatus, Sealed, Side, Urgency};
use crate::domain::sealing::{Binding, Sealer};
use crate::domain::{DomainError, DomainResult};
use serde::Serialize;

/// A referral as its parties see it, opened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralView {
    pub id: ReferralId,
    pub url: String,
    pub side: Side,
    pub counterpart: String,
    pub program: Option<String>,
    pub referral_offer: Option<String>,
    pub urgency: Urgency,
    pub status: ReferralStatus,
    /// `None` once erased after the retention period.
    pub content: Option<Sealed>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub erased_at: Option<i64>,
    pub timeline: Vec<EventView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: i64,
    pub by: String,
    pub kind: EventKind,
    pub status: Option<ReferralStatus>,
    /// A message, a decline reason or an outcome; `None` once erased.
    pub text: Option<String>,
}

/// The referral with its content and timeline opened.
pub async fn open(
    store: &dyn Store,
    sealer: &Sealer,
    row: &ReferralRow,
) -> DomainResult<ReferralView> {
    let content = match &row.sealed {
        Some(sealed) => Some(
            serde_json::from_str(&sealer.open(sealed, &Binding::referral(&row.ap_id))?)
                .map_err(|e| DomainError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let mut timeline = Vec::new();
    for e in store.referral_events(row.id).await? {
        let at = Binding::referral_event(&row.ap_id, &e.uid);
        let text = e
            .sealed
            .as_deref()
            .map(|s| sealer.open(s, &at))
            .transpose()?;
        timeline.push(EventView {
            at: e.at,
            by: e.by_actor,
            kind: e.kind,
            status: e.status,
            text,
        });
    }
    Ok(ReferralView {
        id: row.id,
        url: row.ap_id.clone(),
        side: row.side,
        counterpart: row.counterpart.clone(),
        program: row.program.clone(),
        referral_offer: row.referral_offer.clone(),
        urgency: row.urgency,
        status: row.status,
        content,
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
        erased_at: row.erased_at,
        timeline,
    })
}
