//! First-run setup, login, the caller's own account, and account creation by admins.

use super::ApiRoutes;
use crate::app::organisation;
use crate::domain::accounts::{self, Role, TokenPurpose};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, error::ErrorBody, JsonBody};
use axum::{
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::POST, "/api/v1/setup", setup)
        .on(Method::POST, "/api/v1/login", login)
        .on(Method::GET, "/api/v1/me", me)
        .on(Method::POST, "/api/v1/accounts", create_account)
        .on(Method::PATCH, "/api/v1/organisation", update_organisation)
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(setup, login, me, create_account, update_organisation))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(Deserialize, ToSchema)]
pub struct SetupRequest {
    /// The one-time token printed by `gotong setup`.
    token: String,
    password: String,
}

/// A staff member with a fresh API token.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    username: String,
    role: Role,
    /// Send as `Authorization: Bearer <token>`.
    token: String,
}

/// Spends the one-time setup token: sets the admin password, answers with an API token.
#[utoipa::path(post, path = "/api/v1/setup", tag = "accounts", request_body = SetupRequest,
    responses((status = 200, description = "The admin's API token", body = TokenResponse)))]
async fn setup(
    data: FedData,
    JsonBody(req): JsonBody<SetupRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let store = data.store.as_ref();
    let staff = accounts::complete_setup(store, &req.token, &req.password).await?;
    let token = accounts::mint_token(store, staff.account_id, TokenPurpose::Api, "setup").await?;
    Ok(Json(TokenResponse {
        username: staff.username,
        role: staff.role,
        token,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    username: String,
    password: String,
    /// A name for the token, shown where tokens are listed.
    #[serde(default)]
    label: String,
}

#[utoipa::path(post, path = "/api/v1/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, description = "A new API token", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
    ))]
async fn login(
    data: FedData,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let store = data.store.as_ref();
    let staff = accounts::login(store, &req.username, &req.password).await?;
    let token =
        accounts::mint_token(store, staff.account_id, TokenPurpose::Api, &req.label).await?;
    Ok(Json(TokenResponse {
        username: staff.username,
        role: staff.role,
        token,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    username: String,
    role: Role,
    organisation: Organisation,
}

/// An organisation of this node, as its staff see it.
#[derive(Serialize, ToSchema)]
pub struct Organisation {
    handle: String,
    /// `handle@domain`, how other servers find it.
    account: String,
    name: String,
    summary: String,
    /// The ActivityPub actor id.
    actor: String,
    icon_url: Option<String>,
    /// Followers wait for a decision instead of being accepted at once.
    manual_approval: bool,
}

impl Organisation {
    fn new(data: &FedData, org: &crate::db::OrganisationRow) -> Organisation {
        Organisation {
            handle: org.handle.clone(),
            account: format!("{}@{}", org.handle, data.config.domain),
            name: org.name.clone(),
            summary: org.summary.clone(),
            actor: data.urls.actor(&org.handle).to_string(),
            icon_url: org.icon_url.clone(),
            manual_approval: org.manual_approval,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The caller and their organisation", body = MeResponse)))]
async fn me(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<MeResponse>> {
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    Ok(Json(MeResponse {
        username: staff.username,
        role: staff.role,
        organisation: Organisation::new(&data, &org),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAccountRequest {
    username: String,
    password: String,
    role: Role,
}

/// A staff account.
#[derive(Serialize, ToSchema)]
pub struct Account {
    username: String,
    role: Role,
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])),
    request_body = NewAccountRequest,
    responses((status = 201, description = "Created (admins only)", body = Account)))]
async fn create_account(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<NewAccountRequest>,
) -> ApiResult<(StatusCode, Json<Account>)> {
    staff.require(&[Role::Admin])?;
    let account = accounts::create_account(
        data.store.as_ref(),
        staff.organisation_id,
        &req.username,
        Some(&req.password),
        req.role,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Account {
            username: account.username,
            role: account.role,
        }),
    ))
}

/// What may change in the organisation's profile; an absent field keeps its value.
#[derive(Deserialize, ToSchema)]
pub struct ProfileChangeRequest {
    name: Option<String>,
    /// Plain text, shown as paragraphs.
    summary: Option<String>,
    /// An http(s) image URL; an empty string removes the icon.
    icon_url: Option<String>,
    manual_approval: Option<bool>,
}

/// Changes the organisation's profile and tells followers with `Update`.
#[utoipa::path(patch, path = "/api/v1/organisation", tag = "accounts", security(("bearer" = [])),
    request_body = ProfileChangeRequest,
    responses((status = 200, description = "The changed profile (admins only)", body = Organisation)))]
async fn update_organisation(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(change): JsonBody<ProfileChangeRequest>,
) -> ApiResult<Json<Organisation>> {
    let change = organisation::ProfileChange {
        name: change.name,
        summary: change.summary,
        icon_url: change.icon_url,
        manual_approval: change.manual_approval,
    };
    let org = organisation::update_profile(&data, &staff, change).await?;
    Ok(Json(Organisation::new(&data, &org)))
}
