//! Telling the other party what became of a referral: `Accept` or `Reject` of its `Offer`,
//! or an `Update` carrying the referral (without the person's data) and its new status; a
//! message in its thread; and asking it to erase its copy. Each goes to the other party's
//! own inbox only, queued as belonging to the referral so it can be taken back.

use super::parse_url;
use crate::db::ReferralRow;
use crate::domain::referrals::{ReferralStatus, Side};
use crate::domain::{posts, DomainError};
use crate::federation::delivery::enqueue_for;
use crate::federation::protocol::referral::{ReferralJson, REFERRAL_TYPE};
use crate::federation::protocol::ActivityJson;
use crate::federation::{render, FedData, FederationError, FederationResult, NodeContext};
use serde_json::{json, Value};
use url::Url;

/// The referral as the wire carries it, without the person's data.
pub(super) fn referral_json(
    ctx: &NodeContext,
    our_handle: &str,
    row: &ReferralRow,
    status: ReferralStatus,
) -> FederationResult<ReferralJson> {
    let author = match row.side {
        Side::Sender => ctx.urls.actor(our_handle),
        Side::Receiver => parse_url(&row.counterpart)?,
    };
    let to = match row.side {
        Side::Sender => parse_url(&row.counterpart)?,
        Side::Receiver => ctx.urls.actor(our_handle),
    };
    Ok(ReferralJson {
        context: None,
        kind: REFERRAL_TYPE.into(),
        id: parse_url(&row.ap_id)?,
        attributed_to: author,
        to: vec![to],
        program: row.program.as_deref().map(parse_url).transpose()?,
        referral_offer: row.referral_offer.as_deref().map(parse_url).transpose()?,
        urgency: row.urgency,
        status,
        needs: None,
        person: None,
        consent: None,
        note: None,
        published: Some(crate::federation::protocol::Timestamp::from_millis(
            row.created_at,
        )),
    })
}

/// Tells the other party the referral moved to `next`, with the staff member's `note`:
/// `Accept` or `Reject` of its `Offer`, otherwise an `Update`.
pub async fn tell_counterpart(
    data: &NodeContext,
    row: &ReferralRow,
    next: ReferralStatus,
    note: &str,
) -> FederationResult<()> {
    let org = data.store.organisation_by_id(row.organisation_id).await?;
    let actor = data.urls.actor(&org.handle);
    let to = vec![parse_url(&row.counterpart)?];
    let note = (!note.trim().is_empty()).then(|| note.trim().to_string());
    let activity = match next {
        ReferralStatus::Accepted | ReferralStatus::Declined => {
            let kind = if next == ReferralStatus::Accepted {
                "Accept"
            } else {
                "Reject"
            };
            let mut answer = render::activity(
                &data.urls,
                kind,
                actor,
                json!(row.offer_activity),
                to,
                vec![],
            );
            if let Some(reason) = note {
                answer.extra.insert("content".into(), Value::String(reason));
            }
            serde_json::to_value(answer)
        }
        _ => {
            let mut object = referral_json(data, &org.handle, row, next)?;
            object.note = note;
            serde_json::to_value(render::activity(
                &data.urls,
                "Update",
                actor,
                object,
                to,
                vec![],
            ))
        }
    }
    .map_err(|e| FederationError::Remote(e.to_string()))?;
    let activity: ActivityJson<Value> =
        serde_json::from_value(activity).map_err(|e| FederationError::Remote(e.to_string()))?;
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(data, org.id, &activity, inbox, Some(&row.ap_id)).await
}

/// Tells the sender a referral arrived (`Update` to `received`).
pub async fn acknowledge(data: &FedData, row: &ReferralRow) -> FederationResult<()> {
    tell_counterpart(data, row, ReferralStatus::Received, "").await
}

/// Refuses a referral at the door with a `Reject` that says why; nothing is stored.
pub async fn refuse(data: &FedData, row: &ReferralRow, reason: &str) -> FederationResult<()> {
    tell_counterpart(data, row, ReferralStatus::Declined, reason).await
}

/// A message `text` in the referral's thread: a private `Note` whose `context` is the
/// referral, to the other party only.
pub async fn send_message(
    ctx: &NodeContext,
    row: &ReferralRow,
    text: &str,
) -> FederationResult<()> {
    let org = ctx.store.organisation_by_id(row.organisation_id).await?;
    let actor = ctx.urls.actor(&org.handle);
    let note = json!({
        "type": "Note",
        "id": ctx.urls.new_activity(),
        "attributedTo": actor,
        "to": [row.counterpart],
        "context": row.ap_id,
        "content": posts::text_to_html(text),
    });
    let create = render::activity(
        &ctx.urls,
        "Create",
        actor,
        note,
        vec![parse_url(&row.counterpart)?],
        vec![],
    );
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(ctx, org.id, &create, inbox, Some(&row.ap_id)).await
}

/// `Delete` whose object is the referral, to the other party's own inbox only: it erases
/// its copy too (received, this is `activities/referral_erase.rs`).
pub async fn ask_to_erase(ctx: &NodeContext, row: &ReferralRow) -> FederationResult<()> {
    let org = ctx.store.organisation_by_id(row.organisation_id).await?;
    let counterpart = Url::parse(&row.counterpart)
        .map_err(|_| DomainError::Internal("stored counterpart is not a URL".into()))?;
    let delete = render::activity(
        &ctx.urls,
        "Delete",
        ctx.urls.actor(&org.handle),
        json!({ "type": REFERRAL_TYPE, "id": row.ap_id }),
        vec![counterpart],
        vec![],
    );
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(ctx, org.id, &delete, inbox, Some(&row.ap_id)).await
}
