//! `/admin/reports`: reports (`Flag`s) other servers sent about this organisation and the ones
//! its admins sent, resolving them, and sending a new one about a remote account or object.

use super::super::{done, notice, refused, when, AdminPage, AdminPost};
use crate::app::moderation::send_report;
use crate::domain::accounts::Staff;
use crate::domain::moderation::{self, Report};
use crate::domain::DomainError;
use crate::federation::{FedData, FederationError};
use crate::web::ui::page::{Page, PageResult};
use askama::Template;
use axum::{extract::Query, http::StatusCode, routing::post, Router};
use serde::Deserialize;

pub fn routes() -> Router {
    Router::new()
        .route("/admin/reports", axum::routing::get(show).post(send))
        .route("/admin/reports/resolve", post(resolve))
}

struct ReportLine {
    id: i64,
    reporter: String,
    targets: Vec<String>,
    comment: String,
    created: String,
    open: bool,
    /// "Resolved by … on …", for resolved reports.
    resolved: Option<String>,
}

fn line(page: &Page, r: Report) -> ReportLine {
    let resolved = (r.state != "open").then(|| {
        page.t1(
            "moderation-report-resolved-by",
            "who",
            format!(
                "{} ({})",
                r.resolved_by.unwrap_or_default(),
                r.resolved_at.map(when).unwrap_or_default()
            ),
        )
    });
    ReportLine {
        id: r.id,
        reporter: r.reporter,
        targets: r.targets,
        comment: r.comment,
        created: when(r.created_at),
        open: r.state == "open",
        resolved,
    }
}

#[derive(Template)]
#[template(path = "admin_moderation_reports.html")]
struct ReportsPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    error: Option<String>,
    received: Vec<ReportLine>,
    sent: Vec<ReportLine>,
    /// The send form: prefilled from `?target=` or kept when refused.
    target: String,
    comment: String,
}

#[derive(Deserialize, Default)]
pub struct ReportsQuery {
    done: Option<String>,
    #[serde(default)]
    target: String,
}

async fn render(
    page: &Page,
    staff: &Staff,
    data: &FedData,
    notice: Option<String>,
    error: Option<String>,
    entered: (String, String),
) -> PageResult {
    let all = moderation::list_reports(data.store.as_ref(), staff, None).await?;
    let (received, sent): (Vec<Report>, Vec<Report>) =
        all.into_iter().partition(|r| r.direction == "received");
    Ok(page.render(&ReportsPage {
        page,
        section: "reports",
        notice,
        error,
        received: received.into_iter().map(|r| line(page, r)).collect(),
        sent: sent.into_iter().map(|r| line(page, r)).collect(),
        target: entered.0,
        comment: entered.1,
    }))
}

pub async fn show(
    AdminPage(page, staff): AdminPage,
    data: FedData,
    Query(q): Query<ReportsQuery>,
) -> PageResult {
    let notice = notice(&page, q.done.as_deref());
    render(
        &page,
        &staff,
        &data,
        notice,
        None,
        (q.target, String::new()),
    )
    .await
}

/// The page again with a translated reason (and what was typed), for a refused post.
async fn refuse(
    (page, staff, data): (&Page, &Staff, &FedData),
    key: &str,
    entered: (String, String),
    status: StatusCode,
) -> PageResult {
    let response = render(page, staff, data, None, Some(page.t(key)), entered).await?;
    Ok(refused(response, status))
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    comment: String,
}

/// Sends a `Flag` to the target's server, as `POST /api/v1/admin/reports`.
pub async fn send(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<SendForm>,
) -> PageResult {
    let entered = (form.target.clone(), form.comment.clone());
    match send_report(&data, &staff, &form.target, &form.comment).await {
        Ok(_) => Ok(done("/admin/reports", "report-sent")),
        Err(FederationError::BadRequest(m)) if m.contains("local post") => {
            let key = "moderation-report-local";
            refuse(
                (&page, &staff, &data),
                key,
                entered,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(FederationError::BadRequest(_) | FederationError::Domain(DomainError::Invalid(_))) => {
            let key = "moderation-report-target-invalid";
            refuse(
                (&page, &staff, &data),
                key,
                entered,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(FederationError::Domain(DomainError::Forbidden(_))) => {
            Ok(page.error(StatusCode::FORBIDDEN, "error-forbidden"))
        }
        Err(_) => {
            // Not reachable, refused by our rules, or no actor at that address.
            let key = "moderation-report-unreachable";
            refuse(
                (&page, &staff, &data),
                key,
                entered,
                StatusCode::BAD_GATEWAY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct ResolveForm {
    id: i64,
}

pub async fn resolve(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<ResolveForm>,
) -> PageResult {
    match moderation::resolve_report(data.store.as_ref(), &staff, form.id).await {
        Ok(()) => Ok(done("/admin/reports", "report-resolved")),
        Err(DomainError::NotFound(_)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let entered = Default::default();
            refuse(
                (&page, &staff, &data),
                "moderation-report-not-found",
                entered,
                status,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
