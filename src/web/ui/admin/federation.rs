//! `/admin/federation`: who this node federates with. The mode (open to all but the blocked
//! domains, or closed to all but the allowed ones) and the domain rules, changed with the
//! functions of `domain::policy` that the API and the CLI use. The subscribed lists' section
//! is the moderation area's (`moderation/lists.rs`).

use super::moderation::lists::ListsView;
use super::{done, notice, refused, when, AdminPage, AdminPost, DoneQuery};
use crate::domain::policy::{self, FederationMode, RuleAction};
use crate::domain::DomainError;
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use askama::Template;
use axum::{extract::Query, http::StatusCode};
use serde::Deserialize;

struct RuleLine {
    domain: String,
    action: String,
    reason: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin_federation.html")]
struct FederationPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    error: Option<String>,
    mode: &'static str,
    rules: Vec<RuleLine>,
    /// What was entered in the new-rule form, when it was refused.
    new_domain: String,
    new_reason: String,
    /// Subscribed lists and the rules they bring (the moderation area's section).
    lists: ListsView,
}

async fn render(
    page: &Page,
    data: &FedData,
    notice: Option<String>,
    error: Option<String>,
    entered: (String, String),
) -> PageResult {
    render_with_list(page, data, notice, error, entered, String::new()).await
}

async fn render_with_list(
    page: &Page,
    data: &FedData,
    notice: Option<String>,
    error: Option<String>,
    entered: (String, String),
    list_url: String,
) -> PageResult {
    let lists = super::moderation::lists::view(data, list_url).await?;
    let current = policy::load(data.store.as_ref()).await?;
    let rules = current
        .rules
        .into_iter()
        .map(|r| RuleLine {
            since: when(r.created_at),
            domain: r.domain,
            action: r.action,
            reason: r.reason,
        })
        .collect();
    Ok(page.render(&FederationPage {
        page,
        section: "federation",
        notice,
        error,
        mode: current.mode.as_str(),
        rules,
        new_domain: entered.0,
        new_reason: entered.1,
        lists,
    }))
}

pub async fn show(
    AdminPage(page, _): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let notice = notice(&page, q.done.as_deref());
    render(&page, &data, notice, None, Default::default()).await
}

/// The page again with a translated reason, for a post that could not be carried out.
async fn refuse(page: &Page, data: &FedData, key: &str, entered: (String, String)) -> PageResult {
    let response = render(page, data, None, Some(page.t(key)), entered).await?;
    Ok(refused(response, StatusCode::UNPROCESSABLE_ENTITY))
}

/// The page again with a translated reason and the list address that was typed, for a
/// subscription that could not be made.
pub(super) async fn refuse_list(page: &Page, data: &FedData, key: &str, url: String) -> PageResult {
    let error = Some(page.t(key));
    let response = render_with_list(page, data, None, error, Default::default(), url).await?;
    Ok(refused(response, StatusCode::UNPROCESSABLE_ENTITY))
}

#[derive(Deserialize)]
pub struct ModeForm {
    mode: String,
}

pub async fn set_mode(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<ModeForm>,
) -> PageResult {
    let mode = match form.mode.as_str() {
        "blocklist" => FederationMode::Blocklist,
        "allowlist" => FederationMode::Allowlist,
        _ => {
            return refuse(
                &page,
                &data,
                "admin-federation-mode-invalid",
                Default::default(),
            )
            .await
        }
    };
    policy::set_mode(data.store.as_ref(), Some(&staff), mode).await?;
    Ok(done("/admin/federation", "mode"))
}

#[derive(Deserialize)]
pub struct RuleForm {
    domain: String,
    action: String,
    #[serde(default)]
    reason: String,
    /// A checkbox: with a block, also delete what was received from the domain.
    purge: Option<String>,
}

pub async fn add_rule(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<RuleForm>,
) -> PageResult {
    let entered = (form.domain.clone(), form.reason.clone());
    let action = match form.action.as_str() {
        "allow" => RuleAction::Allow,
        "block" => RuleAction::Block,
        _ => return refuse(&page, &data, "admin-federation-action-invalid", entered).await,
    };
    let purge = form.purge.is_some();
    let store = data.store.as_ref();
    match policy::set_rule(
        store,
        Some(&staff),
        &form.domain,
        action,
        &form.reason,
        purge,
    )
    .await
    {
        Ok(_) if purge && action == RuleAction::Block => Ok(done("/admin/federation", "purged")),
        Ok(_) => Ok(done("/admin/federation", "rule")),
        Err(DomainError::Invalid(_)) => {
            refuse(&page, &data, "admin-federation-domain-invalid", entered).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    domain: String,
}

pub async fn remove_rule(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<RemoveForm>,
) -> PageResult {
    match policy::remove_rule(data.store.as_ref(), Some(&staff), &form.domain).await {
        Ok(()) => Ok(done("/admin/federation", "rule-removed")),
        Err(DomainError::Invalid(_) | DomainError::NotFound(_)) => {
            refuse(&page, &data, "admin-federation-no-rule", Default::default()).await
        }
        Err(e) => Err(e.into()),
    }
}
