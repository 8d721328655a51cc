//! Sending a referral: to a program found in the directory (through one of its open offers,
//! if the caseworker chose one) or to an organisation; checked, sealed, stored, then queued
//! as an `Offer` for the receiver's own inbox (`federation::referrals::send_offer`).

use super::invalid;
use crate::db::{PostRow, ReferralRow};
use crate::domain::accounts::Staff;
use crate::domain::casework::{self, Parties};
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::posts;
use crate::domain::referrals::{Sealed, Urgency};
use crate::federation::referrals::{parse_url, send_offer};
use crate::federation::{actors, FedData, FederationResult};

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
    send_offer(data, &org, &row, offer_id, &request.content).await?;
    Ok(row)
}
