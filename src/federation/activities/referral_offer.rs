//! `Offer` of a `Referral` (Gotong's referral vocabulary, docs/federation.md "Offer (sending a
//! referral)"; ActivityStreams Vocabulary §Offer): a new referral for one of this node's
//! organisations, addressed to it alone. Checked while the sender waits: stored and
//! acknowledged with an `Update` (`received`), or refused at the door with a `Reject` that
//! says why, leaving nothing stored.

use super::{bad, referral_object, Incoming};
use crate::db::{ReferralId, ReferralRow};
use crate::domain::casework::{self, Parties};
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::referrals::{ReferralStatus, Sealed, Side};
use crate::domain::{posts, referral_intake, DomainError};
use crate::federation::protocol::referral::{ReferralJson, REFERRAL_TYPE};
use crate::federation::FederationResult;
use crate::federation::{actors, referrals, same_origin, FedData, FederationError};

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let referral = referral_object(activity)?;
    if referral.kind != REFERRAL_TYPE {
        return Ok(());
    }
    if referral.attributed_to != activity.actor || !same_origin(&referral.id, &activity.actor) {
        return Err(FederationError::Forbidden(
            "a referral must come from its author".into(),
        ));
    }
    let [receiver] = referral.to.as_slice() else {
        return Err(bad("a referral is addressed to exactly one organisation"));
    };
    let handle = data
        .urls
        .handle_of_actor(receiver.as_str())
        .filter(|_| !activity.is_public())
        .ok_or_else(|| {
            bad("a referral is addressed to one organisation of this node, privately")
        })?;
    let store = data.store.as_ref();
    let org = crate::domain::organisations::by_handle(store, handle).await?;
    if store
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
        return referrals::refuse(data, &row, &reason).await;
    }
    let row = casework::receive(store, &data.sealer, org.id, parties, &content).await?;
    referrals::acknowledge(data, &row).await
}

/// The referral as it would be stored, to address a refusal to its sender.
fn unsaved(p: &Parties<'_>, organisation_id: i64) -> ReferralRow {
    ReferralRow {
        id: ReferralId(0),
        ap_id: p.ap_id.to_string(),
        organisation_id,
        side: Side::Receiver,
        counterpart: p.counterpart.to_string(),
        counterpart_inbox: p.counterpart_inbox.to_string(),
        offer_activity: p.offer_activity.to_string(),
        program: p.program.map(String::from),
        referral_offer: p.referral_offer.map(String::from),
        urgency: p.urgency,
        status: ReferralStatus::Sent,
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
