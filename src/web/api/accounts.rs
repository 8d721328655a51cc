//! First-run setup, login, the caller's own account, and account creation by admins.

use crate::app::organisation;
use crate::domain::accounts::{self, Role, TokenPurpose};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    http::StatusCode,
    routing::{get, patch, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/setup", post(setup))
        .route("/api/v1/login", post(login))
        .route("/api/v1/me", get(me))
        .route("/api/v1/accounts", post(create_account))
        .route("/api/v1/organisation", patch(update_organisation))
}

#[derive(Deserialize)]
struct SetupRequest {
    token: String,
    password: String,
}

/// Spends the one-time setup token: sets the admin password, answers with an API token.
async fn setup(data: FedData, JsonBody(req): JsonBody<SetupRequest>) -> ApiResult<Json<Value>> {
    let store = data.store.as_ref();
    let staff = accounts::complete_setup(store, &req.token, &req.password).await?;
    let token = accounts::mint_token(store, staff.account_id, TokenPurpose::Api, "setup").await?;
    Ok(Json(
        json!({ "username": staff.username, "role": staff.role, "token": token }),
    ))
}

#[derive(Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
    #[serde(default)]
    label: String,
}

async fn login(data: FedData, JsonBody(req): JsonBody<LoginRequest>) -> ApiResult<Json<Value>> {
    let store = data.store.as_ref();
    let staff = accounts::login(store, &req.username, &req.password).await?;
    let token =
        accounts::mint_token(store, staff.account_id, TokenPurpose::Api, &req.label).await?;
    Ok(Json(
        json!({ "username": staff.username, "role": staff.role, "token": token }),
    ))
}

async fn me(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    let org = data.store.organisation_by_id(staff.organisation_id).await?;
    Ok(Json(json!({
        "username": staff.username,
        "role": staff.role,
        "organisation": organisation_json(&data, &org),
    })))
}

pub fn organisation_json(data: &FedData, org: &crate::db::OrganisationRow) -> Value {
    json!({
        "handle": org.handle,
        "account": format!("{}@{}", org.handle, data.config.domain),
        "name": org.name,
        "summary": org.summary,
        "actor": data.urls.actor(&org.handle),
        "icon_url": org.icon_url,
        "manual_approval": org.manual_approval,
    })
}

#[derive(Deserialize)]
struct NewAccountRequest {
    username: String,
    password: String,
    role: Role,
}

async fn create_account(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<NewAccountRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
        Json(json!({ "username": account.username, "role": account.role })),
    ))
}

/// Changes the organisation's profile and tells followers with `Update`.
async fn update_organisation(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(change): JsonBody<organisation::ProfileChange>,
) -> ApiResult<Json<Value>> {
    let org = organisation::update_profile(&data, &staff, change).await?;
    Ok(Json(organisation_json(&data, &org)))
}
