//! `/admin/settings`: the organisation's public profile (followers receive an `Update`), a
//! read-only summary of the node's configuration, and rotating the signing key.

use super::{done, notice, refused, AdminPage, AdminPost, DoneQuery};
use crate::app::organisation;
use crate::db::OrganisationRow;
use crate::domain::referral_intake::{self, ReferralsFrom};
use crate::domain::{accounts::Staff, policy};
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use askama::Template;
use axum::{extract::Query, http::StatusCode, response::IntoResponse, response::Redirect};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    error: Option<String>,
    handle: String,
    name: String,
    summary: String,
    icon_url: String,
    manual_approval: bool,
    domain: String,
    mode: &'static str,
    authorized_fetch: bool,
    retention_days: i64,
    expiry_days: i64,
    /// Who may refer people here: anyone (`true`) or connected organisations only.
    intake_anyone: bool,
    key_fingerprint: String,
}

/// The first 16 bytes of the public key's SHA-256, for telling keys apart.
fn fingerprint(org: &OrganisationRow) -> String {
    let digest = Sha256::digest(org.public_key_pem.as_bytes());
    digest
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// What the form shows: the stored profile, or what was entered when it was refused.
struct Entered {
    name: String,
    summary: String,
    icon_url: String,
    manual_approval: bool,
}

async fn render(
    page: &Page,
    staff: &Staff,
    data: &FedData,
    entered: Option<Entered>,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    let policy = policy::load(data.store.as_ref()).await?;
    let entered = entered.unwrap_or_else(|| Entered {
        name: org.name.clone(),
        summary: crate::domain::text::html_text(&org.summary),
        icon_url: org.icon_url.clone().unwrap_or_default(),
        manual_approval: org.manual_approval,
    });
    Ok(page.render(&SettingsPage {
        page,
        section: "settings",
        notice,
        error,
        handle: format!("@{}@{}", org.handle, data.config.domain),
        name: entered.name,
        summary: entered.summary,
        icon_url: entered.icon_url,
        manual_approval: entered.manual_approval,
        domain: data.config.domain.clone(),
        mode: policy.mode.as_str(),
        authorized_fetch: data.config.authorized_fetch,
        retention_days: data.config.referral_retention_days,
        expiry_days: data.config.referral_expiry_days,
        intake_anyone: referral_intake::load(data.store.as_ref(), org.id).await?
            == ReferralsFrom::Anyone,
        key_fingerprint: fingerprint(&org),
    }))
}

pub async fn show(
    AdminPage(page, staff): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let notice = notice(&page, q.done.as_deref());
    render(&page, &staff, &data, None, notice, None).await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    icon_url: String,
    /// A checkbox: present when ticked.
    manual_approval: Option<String>,
}

/// Saves the profile with `organisation::update_profile`, which sends followers an `Update`.
pub async fn save_profile(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<ProfileForm>,
) -> PageResult {
    let icon = form.icon_url.trim();
    let icon_ok = icon.is_empty()
        || ((icon.starts_with("https://") || icon.starts_with("http://"))
            && url::Url::parse(icon).is_ok());
    let problem = if form.name.trim().is_empty() {
        Some("admin-settings-name-required")
    } else if !icon_ok {
        Some("admin-settings-icon-invalid")
    } else {
        None
    };
    if let Some(key) = problem {
        let entered = Entered {
            name: form.name,
            summary: form.summary,
            icon_url: form.icon_url,
            manual_approval: form.manual_approval.is_some(),
        };
        let response = render(&page, &staff, &data, Some(entered), None, Some(page.t(key))).await?;
        return Ok(refused(response, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let change = organisation::ProfileChange {
        name: Some(form.name),
        summary: Some(form.summary),
        icon_url: Some(form.icon_url),
        manual_approval: Some(form.manual_approval.is_some()),
    };
    organisation::update_profile(&data, &staff, change)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    Ok(done("/admin/settings", "profile"))
}

#[derive(Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    referrals_from: String,
}

/// Who may refer people to the organisation: connected organisations, or anyone.
pub async fn save_intake(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<IntakeForm>,
) -> PageResult {
    let Ok(value) = ReferralsFrom::parse(&form.referrals_from) else {
        let error = Some(page.t("admin-settings-intake-invalid"));
        let response = render(&page, &staff, &data, None, None, error).await?;
        return Ok(refused(response, StatusCode::UNPROCESSABLE_ENTITY));
    };
    referral_intake::set(data.store.as_ref(), &staff, value)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    Ok(done("/admin/settings", "intake"))
}

#[derive(Template)]
#[template(path = "admin_rotate.html")]
struct RotatePage<'a> {
    page: &'a Page,
    section: &'static str,
    key_fingerprint: String,
}

/// The confirmation step before a new key pair replaces the current one.
pub async fn confirm_rotation(AdminPage(page, staff): AdminPage, data: FedData) -> PageResult {
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    Ok(page.render(&RotatePage {
        page: &page,
        section: "settings",
        key_fingerprint: fingerprint(&org),
    }))
}

#[derive(Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    confirm: String,
}

/// Replaces the key pair and announces the new key to followers (as the API's rotate-key).
pub async fn rotate_key(
    data: FedData,
    AdminPost { staff, form, .. }: AdminPost<RotateForm>,
) -> PageResult {
    if form.confirm != "yes" {
        return Ok(Redirect::to("/admin/settings/rotate-key").into_response());
    }
    organisation::rotate_key(&data, &staff)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    Ok(done("/admin/settings", "key"))
}
