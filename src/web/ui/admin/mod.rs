//! The administration pages, for admins only: node settings, accounts and roles, federation
//! rules and subscribed lists, reports, moderation of remote content, the delivery queue and
//! the audit log. Anonymous visitors are sent to sign in, other staff get 403. Every action is
//! a CSRF-checked form post that calls the same functions as the JSON API and the CLI, then
//! sends the browser back to the page (post/redirect/get).

mod accounts;
mod audit;
mod deliveries;
mod federation;
mod moderation;
mod settings;

use super::forms::Posted;
use super::page::{url_encode, Page, PageResult, StaffPage};
use crate::domain::accounts::{Role, Staff};
use crate::federation::FedData;
use askama::Template;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use serde::{de::DeserializeOwned, Deserialize};

pub fn routes() -> Router {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/settings", get(settings::show))
        .route("/admin/settings/profile", post(settings::save_profile))
        .route("/admin/settings/referrals", post(settings::save_intake))
        .route(
            "/admin/settings/rotate-key",
            get(settings::confirm_rotation).post(settings::rotate_key),
        )
        .route(
            "/admin/accounts",
            get(accounts::show).post(accounts::create),
        )
        .route("/admin/accounts/role", post(accounts::change_role))
        .route("/admin/federation", get(federation::show))
        .route("/admin/federation/mode", post(federation::set_mode))
        .route("/admin/federation/rules", post(federation::add_rule))
        .route(
            "/admin/federation/rules/remove",
            post(federation::remove_rule),
        )
        .route("/admin/deliveries", get(deliveries::show))
        .route("/admin/deliveries/retry", post(deliveries::retry))
        .route("/admin/deliveries/drop", post(deliveries::drop_backlog))
        .route("/admin/audit", get(audit::show))
        .merge(moderation::routes())
}

/// A page for admins: anonymous visitors go to the sign-in page, other staff get 403.
pub struct AdminPage(pub Page, pub Staff);

impl<S: Send + Sync> FromRequestParts<S> for AdminPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let StaffPage(page, staff) = StaffPage::from_request_parts(parts, state).await?;
        if staff.role != Role::Admin {
            return Err(page.error(StatusCode::FORBIDDEN, "error-forbidden"));
        }
        Ok(AdminPage(page, staff))
    }
}

/// A form post by an admin: the CSRF check of `Posted`, then the role. Anonymous visitors
/// are sent to sign in, other staff get 403.
pub struct AdminPost<T> {
    pub page: Page,
    pub staff: Staff,
    pub form: T,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AdminPost<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Posted { page, form } = Posted::<T>::from_request(req, state).await?;
        match page.staff.clone() {
            Some(staff) if staff.role == Role::Admin => Ok(AdminPost { page, staff, form }),
            Some(_) => Err(page.error(StatusCode::FORBIDDEN, "error-forbidden")),
            None => Err(
                Redirect::to(&format!("/login?next={}", url_encode(&page.here))).into_response(),
            ),
        }
    }
}

/// Back to `path` after an action, with the notice `admin-done-{done}` to show there.
fn done(path: &str, done: &str) -> Response {
    Redirect::to(&format!("{path}?done={done}")).into_response()
}

/// What happened, when a page is shown after an action.
#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
    before: Option<i64>,
}

/// Notices pages may show: only these keys, so a link cannot put arbitrary text on a page.
const NOTICES: [&str; 11] = [
    "profile",
    "intake",
    "key",
    "account",
    "role",
    "mode",
    "rule",
    "rule-removed",
    "retry",
    "dropped",
    "purged",
];

fn notice(page: &Page, done: Option<&str>) -> Option<String> {
    let done = done?;
    if NOTICES.contains(&done) {
        Some(page.t(&format!("admin-done-{done}")))
    } else {
        moderation::notice(page, done)
    }
}

/// A form's answer when what was entered cannot be used: the page again, with the reason.
fn refused(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// Milliseconds since the epoch as date and time in UTC, the same in every language.
fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "admin_overview.html")]
struct Overview<'a> {
    page: &'a Page,
    section: &'static str,
    failing: usize,
    accounts: usize,
}

/// `GET /admin`: what there is to administer, and whether anything needs attention.
pub async fn overview(AdminPage(page, staff): AdminPage, data: FedData) -> PageResult {
    let failing = data
        .store
        .destination_states()
        .await?
        .iter()
        .filter(|d| d.failing_since.is_some())
        .count();
    let accounts = crate::domain::staff_admin::list_accounts(data.store.as_ref(), &staff)
        .await?
        .len();
    Ok(page.render(&Overview {
        page: &page,
        section: "overview",
        failing,
        accounts,
    }))
}

/// Shown on each admin page below its heading.
pub(crate) fn sections() -> [(&'static str, &'static str); 8] {
    [
        ("overview", "/admin"),
        ("settings", "/admin/settings"),
        ("accounts", "/admin/accounts"),
        ("federation", "/admin/federation"),
        ("reports", "/admin/reports"),
        ("moderation", "/admin/moderation"),
        ("deliveries", "/admin/deliveries"),
        ("audit", "/admin/audit"),
    ]
}
