//! Referrals over ActivityPub: `Offer` carries a referral to the receiving organisation's
//! personal inbox and nowhere else; `Accept`/`Reject` answer it; `Update` moves it on; a
//! private `Note` whose `context` is the referral is a message in its thread.

use super::delivery::enqueue_for;
use super::protocol::referral::{ReferralJson, REFERRAL_TYPE};
use super::protocol::{context::default_context, ActivityJson};
use super::{actors, render, FedData, FederationError, FederationResult, NodeContext};
use crate::db::{PostRow, ReferralRow};
use crate::domain::casework::{self, Change, Parties};
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::referrals::{ReferralStatus, Sealed, Side, Urgency};
use crate::domain::{accounts::Staff, posts, DomainError};
use serde_json::{json, Value};
use url::Url;

/// What a caseworker sends: to a program found in the directory, or to an organisation.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendRequest {
    /// The id (URL) of a program in this node's directory.
    pub program: Option<String>,
    /// The referral offer it answers, if any.
    pub referral_offer: Option<String>,
    /// `handle@domain` of the organisation, when not sending to a program.
    pub organisation: Option<String>,
    #[serde(default)]
    pub urgency: Urgency,
    #[serde(flatten)]
    pub content: Sealed,
}

fn invalid(message: &str) -> FederationError {
    DomainError::Invalid(message.to_string()).into()
}

fn parse_url(s: &str) -> FederationResult<Url> {
    Url::parse(s).map_err(|_| invalid(&format!("{s:?} is not a URL")))
}

/// A program (or offer) of another organisation, as this node holds it, if it takes referrals.
async fn program_accepting(data: &FedData, url: &str) -> FederationResult<PostRow> {
    let post = data
        .store
        .post_by_ap_id(url)
        .await?
        .filter(|p| p.kind == ObjectKind::Program.as_str() && p.deleted_at.is_none())
        .ok_or_else(|| invalid("program: no such program in the directory"))?;
    match posts::details_of(&post)? {
        Details::Program(p) if p.accepting_referrals && p.status == Default::default() => Ok(post),
        _ => Err(invalid(
            "program: this program does not accept referrals now",
        )),
    }
}

async fn offer_open(data: &FedData, url: &str, program: &str) -> FederationResult<PostRow> {
    let offer = data
        .store
        .post_by_ap_id(url)
        .await?
        .filter(|p| p.kind == ObjectKind::Offer.as_str() && p.deleted_at.is_none())
        .ok_or_else(|| invalid("referralOffer: no such referral offer"))?;
    if offer.expires_at.is_some_and(|t| t <= crate::db::now_ms()) {
        return Err(invalid("referralOffer: this offer has expired"));
    }
    match posts::details_of(&offer)? {
        Details::Offer(o) if o.program == program => Ok(offer),
        _ => Err(invalid("referralOffer: the offer is for another program")),
    }
}

/// Sends a referral: checked, sealed, stored, then queued for the receiver's own inbox.
pub async fn send(
    data: &FedData,
    staff: &Staff,
    request: SendRequest,
) -> FederationResult<ReferralRow> {
    let (receiver, program) = match (&request.program, &request.organisation) {
        (Some(program), _) => {
            let post = program_accepting(data, program).await?;
            if let Some(offer) = &request.referral_offer {
                offer_open(data, offer, program).await?;
            }
            (
                actors::fetch_actor(data, &parse_url(&post.author_ap_id)?).await?,
                Some(program.clone()),
            )
        }
        (None, Some(handle)) => (actors::resolve_handle(data, handle).await?, None),
        (None, None) => return Err(invalid("give a program or an organisation")),
    };
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    let ap_id = data.urls.new_referral();
    let offer_id = data.urls.new_activity();
    let row = casework::create(
        data.store.as_ref(),
        &data.sealer,
        staff,
        Parties {
            ap_id: ap_id.as_str(),
            offer_activity: offer_id.as_str(),
            counterpart: &receiver.row.ap_id,
            counterpart_inbox: &receiver.row.inbox,
            program: program.as_deref(),
            referral_offer: request.referral_offer.as_deref(),
            urgency: request.urgency,
        },
        &request.content,
    )
    .await?;
    let mut object = referral_json(data, &org.handle, &row, ReferralStatus::Sent)?;
    object.needs = Some(request.content.needs.clone());
    object.person = Some(request.content.person.clone());
    object.consent = Some(request.content.consent.clone());
    let mut offer = render::activity(
        &data.urls,
        "Offer",
        data.urls.actor(&org.handle),
        object,
        vec![parse_url(&row.counterpart)?],
        vec![],
    );
    offer.id = offer_id;
    offer
        .extra
        .insert("target".into(), Value::String(row.counterpart.clone()));
    let inbox = [row.counterpart_inbox.clone()];
    enqueue_for(data, org.id, &offer, inbox, Some(&row.ap_id)).await?;
    Ok(row)
}

/// The referral as the wire carries it, without the person's data.
fn referral_json(
    ctx: &NodeContext,
    our_handle: &str,
    row: &ReferralRow,
    status: ReferralStatus,
) -> FederationResult<ReferralJson> {
    let author = match Side::parse(&row.side)? {
        Side::Sender => ctx.urls.actor(our_handle),
        Side::Receiver => parse_url(&row.counterpart)?,
    };
    let to = match Side::parse(&row.side)? {
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
        urgency: serde_json::from_value(Value::String(row.urgency.clone())).unwrap_or_default(),
        status,
        needs: None,
        person: None,
        consent: None,
        note: None,
        published: Some(super::protocol::Timestamp::from_millis(row.created_at)),
    })
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

pub(super) async fn tell_counterpart(
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
    let mut object = referral_json(data, &org.handle, row, status)?;
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
