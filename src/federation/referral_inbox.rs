//! Referral activities arriving from the other party: a new referral (`Offer`), its answer
//! (`Accept`/`Reject`), a change of status (`Update`), a message (`Create` of a `Note` whose
//! `context` is the referral). They are applied while the sender waits, so a transition the
//! rules forbid is answered with a clear error.

use super::protocol::referral::{ReferralJson, REFERRAL_TYPE};
use super::protocol::{is_public, values, ActivityJson, ObjectRef};
use super::{actors, FedData, FederationError, FederationResult};
use crate::db::ReferralRow;
use crate::domain::casework::{self, Change, Parties};
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::referrals::{ReferralStatus, Sealed, Side};
use crate::domain::{posts, referral_intake, DomainError};
use serde_json::Value;

type Incoming = ActivityJson<Option<ObjectRef>>;

fn embedded(activity: &Incoming) -> Option<&serde_json::Map<String, Value>> {
    match activity.object.as_ref()? {
        ObjectRef::Embedded(map) => Some(map),
        ObjectRef::Id(_) | ObjectRef::Many(_) => None,
    }
}

pub(super) fn object_id(activity: &Incoming) -> Option<String> {
    activity.object.as_ref()?.id().map(String::from)
}

/// The referral a message (a Note's `context`) belongs to.
fn context_of(activity: &Incoming) -> Option<&str> {
    embedded(activity)?.get("context")?.as_str()
}

/// True when the activity belongs to a referral (and is applied while the sender waits).
pub async fn concerns_referral(data: &FedData, activity: &Incoming) -> FederationResult<bool> {
    let object_kind = activity.object.as_ref().and_then(ObjectRef::kind);
    Ok(match activity.kind.as_str() {
        "Offer" => true,
        "Update" => object_kind == Some(REFERRAL_TYPE),
        "Accept" | "Reject" => match object_id(activity) {
            Some(id) => data.store.referral_by_offer_activity(&id).await?.is_some(),
            None => false,
        },
        "Delete" => match object_id(activity) {
            Some(id) => data.store.referral_by_ap_id(None, &id).await?.is_some(),
            None => false,
        },
        "Create" => match context_of(activity) {
            Some(context) => data.store.referral_by_ap_id(None, context).await?.is_some(),
            None => false,
        },
        _ => false,
    })
}

fn referral_object(activity: &Incoming) -> FederationResult<ReferralJson> {
    let map = embedded(activity).ok_or_else(|| bad("the referral must be embedded"))?;
    serde_json::from_value(Value::Object(map.clone()))
        .map_err(|_| bad("the referral object is not readable"))
}

fn bad(message: &str) -> FederationError {
    FederationError::BadRequest(message.to_string())
}

/// The referral of this node that `actor` may act on as the other party.
pub(super) fn check_counterpart(row: &ReferralRow, activity: &Incoming) -> FederationResult<()> {
    if row.counterpart != activity.actor.as_str() {
        return Err(FederationError::Forbidden(
            "not a party to this referral".into(),
        ));
    }
    Ok(())
}

/// A new referral for one of this node's organisations.
pub async fn on_offer(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let referral = referral_object(activity)?;
    if referral.kind != REFERRAL_TYPE {
        return Ok(());
    }
    if referral.attributed_to != activity.actor
        || !super::same_origin(&referral.id, &activity.actor)
    {
        return Err(FederationError::Forbidden(
            "a referral must come from its author".into(),
        ));
    }
    let public = values::all(&activity.to)
        .chain(values::all(&activity.cc))
        .any(is_public);
    let [receiver] = referral.to.as_slice() else {
        return Err(bad("a referral is addressed to exactly one organisation"));
    };
    let handle = data
        .urls
        .handle_of_actor(receiver.as_str())
        .filter(|_| !public)
        .ok_or_else(|| {
            bad("a referral is addressed to one organisation of this node, privately")
        })?;
    let store = data.store.as_ref();
    let org = crate::domain::organisations::by_handle(store, handle).await?;
    if data
        .store
        .referral_by_ap_id(None, referral.id.as_str())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let sender = actors::fetch_actor(data, &activity.actor).await?;
    let content = Sealed {
        needs: referral.needs.clone().unwrap_or_default(),
        person: referral.person.clone().unwrap_or_default(),
        consent: referral.consent.clone().unwrap_or_default(),
    };
    let parties = Parties {
        ap_id: referral.id.as_str(),
        offer_activity: activity.id.as_str(),
        counterpart: activity.actor.as_str(),
        counterpart_inbox: &sender.row.inbox,
        program: referral.program.as_ref().map(|u| u.as_str()),
        referral_offer: referral.referral_offer.as_ref().map(|u| u.as_str()),
        urgency: referral.urgency,
    };
    let admitted = match referral_intake::check_sender(store, org.id, activity.actor.as_str()).await
    {
        Ok(()) => admissible(data, org.id, &referral, &content).await,
        Err(refused) => Err(refused),
    };
    if let Err(refusal) = admitted {
        // Refused at the door: nothing is stored, and the sender learns why.
        let reason = refusal.to_string();
        let row = unsaved(&parties, org.id);
        return super::referrals::refuse(data, &row, &reason).await;
    }
    let row =
        casework::receive(data.store.as_ref(), &data.sealer, org.id, parties, &content).await?;
    super::referrals::acknowledge(data, &row).await
}

/// The referral as it would be stored, to address a refusal to its sender.
fn unsaved(p: &Parties<'_>, organisation_id: i64) -> ReferralRow {
    ReferralRow {
        id: 0,
        ap_id: p.ap_id.to_string(),
        organisation_id,
        side: Side::Receiver.as_str().into(),
        counterpart: p.counterpart.to_string(),
        counterpart_inbox: p.counterpart_inbox.to_string(),
        offer_activity: p.offer_activity.to_string(),
        program: p.program.map(String::from),
        referral_offer: p.referral_offer.map(String::from),
        urgency: p.urgency.as_str().into(),
        status: ReferralStatus::Sent.as_str().into(),
        sealed: None,
        created_at: crate::db::now_ms(),
        updated_at: crate::db::now_ms(),
        closed_at: None,
        erased_at: None,
        ended_at: None,
    }
}

/// Whether the organisation can take this referral: consent, a program that takes referrals,
/// an offer that is open and not full.
async fn admissible(
    data: &FedData,
    organisation_id: i64,
    referral: &ReferralJson,
    content: &Sealed,
) -> Result<(), DomainError> {
    content.validate()?;
    let Some(program_url) = &referral.program else {
        return Ok(());
    };
    let refuse = |m: &str| Err(DomainError::Invalid(m.to_string()));
    let program = data.store.post_by_ap_id(program_url.as_str()).await?;
    let accepting = match &program {
        Some(p) if p.organisation_id == Some(organisation_id) && p.deleted_at.is_none() => {
            matches!(posts::details_of(p)?, Details::Program(d) if d.accepting_referrals && d.status == Default::default())
        }
        _ => return refuse("the program does not exist here"),
    };
    if !accepting {
        return refuse("the program does not accept referrals now");
    }
    let Some(offer_url) = &referral.referral_offer else {
        return Ok(());
    };
    let offer = data.store.post_by_ap_id(offer_url.as_str()).await?;
    let capacity = match &offer {
        Some(o)
            if o.organisation_id == Some(organisation_id)
                && o.kind == ObjectKind::Offer.as_str()
                && o.deleted_at.is_none() =>
        {
            if o.expires_at.is_some_and(|t| t <= crate::db::now_ms()) {
                return refuse("the referral offer has expired");
            }
            match posts::details_of(o)? {
                Details::Offer(d) if d.program == program_url.as_str() => d.capacity,
                _ => return refuse("the referral offer is for another program"),
            }
        }
        _ => return refuse("the referral offer does not exist here"),
    };
    if let Some(capacity) = capacity {
        if data.store.count_offer_referrals(offer_url.as_str()).await? >= i64::from(capacity) {
            return refuse("the referral offer is full");
        }
    }
    Ok(())
}

/// The other party's answer to a referral this node sent. `false` when the object is not a
/// referral's Offer (then it is a Follow's answer).
pub async fn on_answer(
    data: &FedData,
    activity: &Incoming,
    accepted: bool,
) -> FederationResult<bool> {
    let Some(id) = object_id(activity) else {
        return Ok(false);
    };
    let Some(row) = data.store.referral_by_offer_activity(&id).await? else {
        return Ok(false);
    };
    check_counterpart(&row, activity)?;
    let reason = activity
        .extra
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let change = Change {
        side: Side::parse(&row.side)?.other(),
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
    Ok(true)
}

/// A change of status by the other party.
pub async fn on_update(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let referral = referral_object(activity)?;
    let row = data
        .store
        .referral_by_ap_id(None, referral.id.as_str())
        .await?
        .ok_or(DomainError::NotFound("referral"))?;
    check_counterpart(&row, activity)?;
    let current = ReferralStatus::parse(&row.status)?;
    if referral.status == ReferralStatus::Expired && current == ReferralStatus::Expired {
        // Both nodes expired their copies on their own clocks.
        return Ok(());
    }
    let change = Change {
        side: Side::parse(&row.side)?.other(),
        next: referral.status,
        by: activity.actor.as_str(),
        note: referral.note.as_deref().unwrap_or_default(),
        activity: Some(activity.id.as_str()),
    };
    casework::transition(data.store.as_ref(), &data.sealer, &row, change).await?;
    Ok(())
}

/// A message from the other party in a referral's thread.
pub async fn on_message(data: &FedData, activity: &Incoming) -> FederationResult<()> {
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
