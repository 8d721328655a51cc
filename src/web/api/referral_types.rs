//! What the referral endpoints take and answer, besides the opened referral
//! (`casework::ReferralView`).

use crate::app::referrals;
use crate::db::{AuditRow, ReferralRow};
use crate::domain::referrals::{Consent, Person, ReferralStatus, Sealed, Side, Urgency};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A referral without its sealed content: what lists show.
#[derive(Serialize, ToSchema)]
pub struct ReferralSummary {
    id: i64,
    /// The referral's ActivityPub id.
    url: String,
    side: Side,
    /// The other organisation's actor id.
    counterpart: String,
    program: Option<String>,
    referral_offer: Option<String>,
    urgency: Urgency,
    status: ReferralStatus,
    created_at: i64,
    updated_at: i64,
    closed_at: Option<i64>,
    /// When it reached an end state; retention counts from here.
    ended_at: Option<i64>,
    /// Its personal data is erased.
    erased: bool,
}

impl From<&ReferralRow> for ReferralSummary {
    fn from(row: &ReferralRow) -> ReferralSummary {
        ReferralSummary {
            id: row.id.0,
            url: row.ap_id.clone(),
            side: row.side,
            counterpart: row.counterpart.clone(),
            program: row.program.clone(),
            referral_offer: row.referral_offer.clone(),
            urgency: row.urgency,
            status: row.status,
            created_at: row.created_at,
            updated_at: row.updated_at,
            closed_at: row.closed_at,
            ended_at: row.ended_at,
            erased: row.erased_at.is_some(),
        }
    }
}

/// What a caseworker sends: to a program found in the directory, or to an organisation.
/// The person's data is sealed before it is stored.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendReferralRequest {
    /// The id (URL) of a program in this node's directory.
    program: Option<String>,
    /// The referral offer it answers, if any.
    referral_offer: Option<String>,
    /// `handle@domain` of the organisation, when not sending to a program.
    organisation: Option<String>,
    #[serde(default)]
    urgency: Urgency,
    #[serde(default)]
    needs: String,
    #[serde(default)]
    person: Person,
    #[serde(default)]
    consent: Consent,
}

impl From<SendReferralRequest> for referrals::SendRequest {
    fn from(r: SendReferralRequest) -> referrals::SendRequest {
        referrals::SendRequest {
            program: r.program,
            referral_offer: r.referral_offer,
            organisation: r.organisation,
            urgency: r.urgency,
            content: Sealed {
                needs: r.needs,
                person: r.person,
                consent: r.consent,
            },
        }
    }
}

/// One entry of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    id: i64,
    at: i64,
    organisation_id: i64,
    /// Who: a username, or the other party's actor id.
    actor: String,
    action: String,
    referral_id: Option<i64>,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry {
            id: r.id,
            at: r.at,
            organisation_id: r.organisation_id,
            actor: r.actor,
            action: r.action,
            referral_id: r.referral_id.map(|id| id.0),
            detail: r.detail,
        }
    }
}
