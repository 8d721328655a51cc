//! Operator views and controls: the delivery queue per destination, and who this node
//! federates with (mode and domain rules).

use crate::domain::accounts::Role;
use crate::domain::policy::{self, FederationMode, RuleAction};
use crate::domain::referral_intake::{self, ReferralsFrom};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::Path,
    http::StatusCode,
    routing::{delete, get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/admin/deliveries", get(deliveries))
        .route("/api/v1/admin/federation", get(federation).put(set_mode))
        .route("/api/v1/admin/domains", post(set_rule))
        .route("/api/v1/admin/domains/{domain}", delete(remove_rule))
        .route("/api/v1/admin/rotate-key", post(rotate_key))
        .route(
            "/api/v1/admin/referral-intake",
            get(referral_intake).put(set_referral_intake),
        )
}

/// Who may refer people to the admin's organisation.
async fn referral_intake(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let from = referral_intake::load(data.store.as_ref(), staff.organisation_id).await?;
    Ok(Json(json!({ "referrals_from": from })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeRequest {
    referrals_from: ReferralsFrom,
}

async fn set_referral_intake(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<IntakeRequest>,
) -> ApiResult<Json<Value>> {
    referral_intake::set(data.store.as_ref(), &staff, request.referrals_from).await?;
    referral_intake(data, Authenticated(staff)).await
}

async fn deliveries(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let states = data.store.destination_states().await?;
    Ok(Json(json!(states)))
}

async fn federation(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let policy = policy::load(data.store.as_ref()).await?;
    let subscribed: Vec<Value> = policy
        .subscribed
        .iter()
        .map(|(domain, action)| json!({ "domain": domain, "action": action }))
        .collect();
    Ok(Json(
        json!({ "mode": policy.mode, "rules": policy.rules, "subscribed": subscribed }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModeRequest {
    mode: FederationMode,
}

async fn set_mode(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<ModeRequest>,
) -> ApiResult<Json<Value>> {
    policy::set_mode(data.store.as_ref(), Some(&staff), request.mode).await?;
    federation(data, Authenticated(staff)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRequest {
    domain: String,
    action: RuleAction,
    #[serde(default)]
    reason: String,
    /// With a block: delete what was received from the domain.
    #[serde(default)]
    purge: bool,
}

async fn set_rule(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<RuleRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let purged = policy::set_rule(
        data.store.as_ref(),
        Some(&staff),
        &r.domain,
        r.action,
        &r.reason,
        r.purge,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "domain": r.domain, "action": r.action, "purged_posts": purged })),
    ))
}

async fn remove_rule(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(domain): Path<String>,
) -> ApiResult<StatusCode> {
    policy::remove_rule(data.store.as_ref(), Some(&staff), &domain).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new key pair for the organisation, announced to its followers.
async fn rotate_key(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    let org = crate::app::organisation::rotate_key(&data, &staff).await?;
    Ok(Json(
        json!({ "key_id": data.urls.key_id(&org.handle), "public_key_pem": org.public_key_pem }),
    ))
}
