//! Referrals over ActivityPub: `Offer` carries a referral to the receiving organisation's
//! personal inbox and nowhere else (sending it: [`send`]); `Accept`/`Reject` answer it and
//! `Update` moves it on (telling the other party: [`tell`]); a private `Note` whose `context`
//! is the referral is a message in its thread. What arrives from the other party is handled
//! in `activities/`.

mod send;
mod tell;

pub use send::{send, SendRequest};
pub(super) use tell::tell_counterpart;
pub use tell::{acknowledge, refuse};

use super::delivery::enqueue_for;
use super::protocol::context::default_context;
use super::{render, FedData, FederationError, FederationResult};
use crate::db::ReferralRow;
use crate::domain::casework::{self, Change};
use crate::domain::referrals::{ReferralStatus, Side};
use crate::domain::{accounts::Staff, posts, DomainError};
use serde_json::{json, Value};
use url::Url;

fn invalid(message: &str) -> FederationError {
    DomainError::Invalid(message.to_string()).into()
}

fn parse_url(s: &str) -> FederationResult<Url> {
    Url::parse(s).map_err(|_| invalid(&format!("{s:?} is not a URL")))
}

/// A staff member moves a referral; the other party hears it as Accept, Reject or Update.
pub async fn change(
    data: &FedData,
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
    let side = Side::parse(&row.side)?;
    let change = Change {
        side,
        next,
        by: &staff.username,
        note,
        activity: None,
    };
    casework::transition(data.store.as_ref(), &data.sealer, row, change).await?;
    if !super::referral_lifecycle::after_change(data, row, next).await? {
        // Taken back before the receiver got it: it never hears of the referral.
        return Ok(());
    }
    tell_counterpart(data, row, next, note).await
}

/// A message in the referral's thread, to the other party only.
pub async fn message(
    data: &FedData,
    staff: &Staff,
    row: &ReferralRow,
    text: &str,
) -> FederationResult<()> {
    casework::check_access(staff, row)?;
    if !super::referral_lifecycle::counterpart_may_know(data, row).await? {
        return Err(DomainError::Conflict(
            "the referral was taken back before the other organisation received it".into(),
        )
        .into());
    }
    casework::add_message(
        data.store.as_ref(),
        &data.sealer,
        row,
        &staff.username,
        text,
        None,
    )
    .await?;
    let org = data.store.organisation_by_id(row.organisation_id).await?;
    let actor = data.urls.actor(&org.handle);
    let note = json!({
        "type": "Note",
        "id": data.urls.new_activity(),
        "attributedTo": actor,
        "to": [row.counterpart],
        "context": row.ap_id,
        "content": posts::text_to_html(text),
    });
    let create = render::activity(
        &data.urls,
        "Create",
        actor,
        note,
        vec![parse_url(&row.counterpart)?],
        vec![],
    );
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(data, org.id, &create, inbox, Some(&row.ap_id)).await
}

/// The referral for an authorised fetch by the other party: current status and content.
pub async fn fetched(data: &FedData, row: &ReferralRow) -> FederationResult<Value> {
    let org = data.store.organisation_by_id(row.organisation_id).await?;
    let status = ReferralStatus::parse(&row.status)?;
    let mut object = tell::referral_json(data, &org.handle, row, status)?;
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
