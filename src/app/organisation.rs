//! Organisation settings: the profile others see, and the key pair that signs for it. Both
//! are sent to those who hold a copy, through `federation::outbound`.

use crate::db::OrganisationRow;

use crate::domain::{accounts::Role, accounts::Staff, organisations, posts, DomainError};
use crate::federation::{outbound, FederationResult, NodeContext};
use url::Url;

/// What staff may change in their organisation's profile; `None` keeps the current value.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ProfileChange {
    pub name: Option<String>,
    /// Plain text, shown as paragraphs.
    pub summary: Option<String>,
    /// An http(s) image URL; an empty string removes the icon.
    pub icon_url: Option<String>,
    pub manual_approval: Option<bool>,
}

/// Changes the organisation's profile and sends the new actor to followers with `Update`.
pub async fn update_profile(
    ctx: &NodeContext,
    staff: &Staff,
    change: ProfileChange,
) -> FederationResult<OrganisationRow> {
    staff.require(&[Role::Admin])?;
    let mut org = ctx.store.organisation_by_id(staff.organisation_id).await?;
    if let Some(name) = change.name {
        if name.trim().is_empty() {
            return Err(DomainError::Invalid("name must not be empty".into()).into());
        }
        org.name = name.trim().to_string();
    }
    if let Some(summary) = change.summary {
        org.summary = posts::text_to_html(&summary);
    }
    if let Some(icon) = change.icon_url {
        org.icon_url = match icon.trim() {
            "" => None,
            url if url.starts_with("https://") || url.starts_with("http://") => {
                Url::parse(url).map_err(|e| DomainError::Invalid(format!("icon_url: {e}")))?;
                Some(url.to_string())
            }
            _ => return Err(DomainError::Invalid("icon_url must be an http(s) URL".into()).into()),
        };
    }
    org.manual_approval = change.manual_approval.unwrap_or(org.manual_approval);
    let org = ctx.store.update_organisation_profile(&org).await?;
    outbound::announce_profile(ctx, &org).await?;
    Ok(org)
}

/// Replaces the organisation's key pair and announces the new key to everyone who verifies
/// our signatures: followers, and the other party of every open referral (who may not follow
/// us). Without it they would notice only when a signature fails.
pub async fn rotate_key(ctx: &NodeContext, staff: &Staff) -> FederationResult<OrganisationRow> {
    staff.require(&[Role::Admin])?;
    let before = ctx.store.organisation_by_id(staff.organisation_id).await?;
    let previous = organisations::signing_key(&ctx.sealer, &before)?;
    let org =
        organisations::rotate_keys(ctx.store.as_ref(), &ctx.sealer, staff.organisation_id).await?;
    let mut counterparts = Vec::new();
    for referral in ctx.store.list_referrals(org.id, None).await? {
        let open = !referral.status.is_final();
        if open && referral.erased_at.is_none() {
            counterparts.push(referral.counterpart_inbox);
        }
    }
    outbound::announce_key(ctx, &org, counterparts, &previous).await?;
    Ok(org)
}
