//! `Create` of a private `Note` whose `context` is a referral (Gotong's referral vocabulary,
//! docs/federation.md "Create (Note): a message in the referral's thread"; ActivityPub §7.2):
//! a message from the other party in that referral's thread.

use super::{bad, check_counterpart, context_of, embedded, Incoming};
use crate::domain::{casework, posts, DomainError};
use crate::federation::{FedData, FederationResult};
use serde_json::Value;

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let context = context_of(activity).ok_or_else(|| bad("a message needs a context"))?;
    let row = data
        .store
        .referral_by_ap_id(None, context)
        .await?
        .ok_or(DomainError::NotFound("referral"))?;
    check_counterpart(&row, activity)?;
    let html = embedded(activity)
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = posts::html_text(html);
    casework::add_message(
        data.store.as_ref(),
        &data.sealer,
        &row,
        activity.actor.as_str(),
        &text,
        Some(activity.id.as_str()),
    )
    .await?;
    Ok(())
}
