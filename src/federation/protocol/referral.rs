//! The `Referral` object: private, addressed to the receiving organisation only. Carried by
//! `Offer` (sending), answered by `Accept`/`Reject`, moved on by `Update`.

use super::values::Timestamp;
use crate::domain::referrals::{Consent, Person, ReferralStatus, Urgency};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReferralJson {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub attributed_to: Url,
    pub to: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_offer: Option<Url>,
    #[serde(default)]
    pub urgency: Urgency,
    pub status: ReferralStatus,
    /// The person's needs; only in the `Offer` that sends the referral (and authorised fetches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// The reason or outcome that goes with a change of status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
}

pub const REFERRAL_TYPE: &str = "Referral";
