//! Who may refer people to an organisation: those it is connected with (it follows them or
//! they follow it, accepted), the default, or any server this node federates with.

use super::accounts::{Role, Staff};
use super::{DomainError, DomainResult};
use crate::db::Store;
use serde::{Deserialize, Serialize};

/// An organisation's `referrals_from` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReferralsFrom {
    /// Organisations it follows or that follow it.
    #[default]
    Connected,
    /// Any organisation on a server this node federates with.
    Anyone,
}

impl ReferralsFrom {
    pub const ALL: [ReferralsFrom; 2] = [ReferralsFrom::Connected, ReferralsFrom::Anyone];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralsFrom::Connected => "connected",
            ReferralsFrom::Anyone => "anyone",
        }
    }

    pub fn parse(s: &str) -> DomainResult<ReferralsFrom> {
        ReferralsFrom::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                DomainError::Invalid(format!(
                    "referrals_from must be connected or anyone, not {s:?}"
                ))
            })
    }
}

pub async fn load(store: &dyn Store, organisation_id: i64) -> DomainResult<ReferralsFrom> {
    ReferralsFrom::parse(&store.referrals_from(organisation_id).await?)
}

/// An admin changes who may refer people to the organisation; audited.
pub async fn set(store: &dyn Store, staff: &Staff, value: ReferralsFrom) -> DomainResult<()> {
    staff.require(&[Role::Admin])?;
    store
        .set_referrals_from(staff.organisation_id, value.as_str())
        .await?;
    store
        .record_audit(
            staff.organisation_id,
            &staff.username,
            "settings:referrals_from",
            None,
            value.as_str(),
        )
        .await?;
    Ok(())
}

/// Refuses a referral from `sender` unless the organisation's setting lets it in.
pub async fn check_sender(
    store: &dyn Store,
    organisation_id: i64,
    sender: &str,
) -> DomainResult<()> {
    match load(store, organisation_id).await? {
        ReferralsFrom::Anyone => Ok(()),
        ReferralsFrom::Connected if store.connected_with(organisation_id, sender).await? => Ok(()),
        ReferralsFrom::Connected => Err(DomainError::Forbidden(
            "this organisation accepts referrals only from organisations it follows or that follow it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::ReferralsFrom;

    #[test]
    fn settings_read_back_and_bad_values_are_refused() {
        for v in ReferralsFrom::ALL {
            assert_eq!(ReferralsFrom::parse(v.as_str()).ok(), Some(v));
        }
        assert!(ReferralsFrom::parse("everyone").is_err());
    }
}
