//! The organisation's network: follow another organisation by its handle, unfollow, see who
//! follows us and approve or decline follow requests. The same functions as the JSON API.

use super::forms::Posted;
use super::page::{Page, PageResult, StaffPage};
use super::templates::date;
use crate::app::following;
use crate::db::{actors::Direction, FollowRow};
use crate::domain::{follows::FollowState, DomainError};
use crate::federation::{FedData, FederationError};
use crate::web::error::ApiError;
use askama::Template;
use axum::{
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use serde::Deserialize;

pub fn routes() -> Router {
    Router::new()
        .route("/staff/follows", get(network).post(follow))
        .route("/staff/follows/unfollow", post(unfollow))
        .route("/staff/followers/approve", post(approve))
        .route("/staff/followers/reject", post(reject))
}

/// One relation in a list.
pub struct Relation {
    pub actor: String,
    pub account: String,
    pub state_label: String,
    pub since: String,
}

impl Relation {
    fn of(page: &Page, f: &FollowRow) -> Relation {
        Relation {
            actor: f.actor_ap_id.clone(),
            account: format!("@{}@{}", f.actor_username, f.actor_domain),
            state_label: page.t(&format!("network-state-{}", f.state)),
            since: date(f.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "staff_network.html")]
struct NetworkPage<'a> {
    page: &'a Page,
    address: String,
    manual_approval: bool,
    following: Vec<Relation>,
    followers: Vec<Relation>,
    requests: Vec<Relation>,
    notice: Option<String>,
    handle: String,
    /// The catalogue key of the error next to the handle field.
    handle_error: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct NetworkQuery {
    done: Option<String>,
}

pub async fn network(
    StaffPage(page, _): StaffPage,
    data: FedData,
    Query(q): Query<NetworkQuery>,
) -> PageResult {
    show(&page, &data, q.done.as_deref(), String::new(), None).await
}

async fn show(
    page: &Page,
    data: &FedData,
    done: Option<&str>,
    handle: String,
    handle_error: Option<&'static str>,
) -> PageResult {
    let Some(staff) = &page.staff else {
        return Ok(sign_in());
    };
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    let following = data
        .store
        .list_follows(Direction::Following, org.id)
        .await?
        .iter()
        .map(|f| Relation::of(page, f))
        .collect();
    // Who follows us is for editors, as in the API.
    let (mut followers, mut requests) = (Vec::new(), Vec::new());
    if page.can("editor") {
        for f in data
            .store
            .list_follows(Direction::Followers, org.id)
            .await?
        {
            if f.state == FollowState::Pending {
                requests.push(Relation::of(page, &f));
            } else if f.state == FollowState::Accepted {
                followers.push(Relation::of(page, &f));
            }
        }
    }
    let notice = match done {
        Some(d @ ("requested" | "unfollowed" | "approved" | "rejected")) => {
            Some(page.t(&format!("network-done-{d}")))
        }
        _ => None,
    };
    let view = NetworkPage {
        page,
        address: format!("@{}@{}", org.handle, data.config.domain),
        manual_approval: org.manual_approval,
        following,
        followers,
        requests,
        notice,
        handle,
        handle_error,
    };
    let mut response = page.render(&view);
    if handle_error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// Where a visitor without a session is sent (a session can end between page and post).
fn sign_in() -> Response {
    Redirect::to("/login?next=%2Fstaff%2Ffollows").into_response()
}

/// Why a follow failed, as the catalogue key shown next to the handle field; `None` for
/// failures that are not about the handle.
fn handle_problem(error: &FederationError) -> Option<&'static str> {
    match error {
        FederationError::Domain(DomainError::Invalid(_)) | FederationError::BadRequest(_) => {
            Some("follow-error-handle")
        }
        // `resolve_handle` turns "the server has no such actor" into NotFound.
        FederationError::Domain(DomainError::NotFound(_)) => Some("follow-error-unknown"),
        FederationError::Forbidden(_) => Some("follow-error-refused"),
        FederationError::Remote(_) => Some("follow-error-unreachable"),
        _ => None,
    }
}

/// A refusal for a role that may not do this, or the API's error.
fn failure(page: &Page, error: FederationError) -> PageResult {
    match error {
        FederationError::Domain(DomainError::Forbidden(_)) => {
            Ok(page.error(StatusCode::FORBIDDEN, "error-forbidden"))
        }
        FederationError::Domain(DomainError::NotFound(_)) => {
            Ok(page.error(StatusCode::NOT_FOUND, "error-not-found"))
        }
        other => Err(ApiError::from(other).into()),
    }
}

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    handle: String,
}

pub async fn follow(data: FedData, Posted { page, form }: Posted<FollowForm>) -> PageResult {
    let Some(staff) = page.staff.clone() else {
        return Ok(sign_in());
    };
    if !page.can("editor") {
        return Ok(page.error(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    match following::follow(&data, &staff, &form.handle).await {
        Ok(_) => Ok(Redirect::to("/staff/follows?done=requested").into_response()),
        Err(e) => match handle_problem(&e) {
            Some(key) => {
                tracing::info!("follow {:?} failed: {e}", form.handle);
                show(&page, &data, None, form.handle, Some(key)).await
            }
            None => failure(&page, e),
        },
    }
}

#[derive(Deserialize)]
pub struct ActorForm {
    #[serde(default)]
    actor: String,
}

pub async fn unfollow(data: FedData, Posted { page, form }: Posted<ActorForm>) -> PageResult {
    let Some(staff) = page.staff.clone() else {
        return Ok(sign_in());
    };
    match following::unfollow(&data, &staff, &form.actor).await {
        Ok(()) => Ok(Redirect::to("/staff/follows?done=unfollowed").into_response()),
        Err(e) => failure(&page, e),
    }
}

async fn decide(data: FedData, page: Page, actor: &str, accept: bool) -> PageResult {
    let Some(staff) = page.staff.clone() else {
        return Ok(sign_in());
    };
    match following::decide_follower(&data, &staff, actor, accept).await {
        Ok(()) => {
            let done = if accept { "approved" } else { "rejected" };
            Ok(Redirect::to(&format!("/staff/follows?done={done}")).into_response())
        }
        Err(e) => failure(&page, e),
    }
}

pub async fn approve(data: FedData, Posted { page, form }: Posted<ActorForm>) -> PageResult {
    decide(data, page, &form.actor, true).await
}

pub async fn reject(data: FedData, Posted { page, form }: Posted<ActorForm>) -> PageResult {
    decide(data, page, &form.actor, false).await
}
