//! Operator views and controls: the delivery queue per destination, and who this node
//! federates with (mode and domain rules).

use super::ApiRoutes;
use crate::domain::accounts::Role;
use crate::domain::policy::{self, FederationMode, RuleAction};
use crate::domain::referral_intake::{self, ReferralsFrom};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::Path,
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/admin/deliveries", deliveries)
        .on(Method::GET, "/api/v1/admin/federation", federation)
        .on(Method::PUT, "/api/v1/admin/federation", set_mode)
        .on(Method::POST, "/api/v1/admin/domains", set_rule)
        .on(
            Method::DELETE,
            "/api/v1/admin/domains/{domain}",
            remove_rule,
        )
        .on(Method::POST, "/api/v1/admin/rotate-key", rotate_key)
        .on(
            Method::GET,
            "/api/v1/admin/referral-intake",
            referral_intake,
        )
        .on(
            Method::PUT,
            "/api/v1/admin/referral-intake",
            set_referral_intake,
        )
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(
        deliveries,
        federation,
        set_mode,
        set_rule,
        remove_rule,
        rotate_key,
        referral_intake,
        set_referral_intake
    ))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralIntake {
    referrals_from: ReferralsFrom,
}

/// Who may refer people to the admin's organisation.
#[utoipa::path(get, path = "/api/v1/admin/referral-intake", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "The organisation's setting", body = ReferralIntake)))]
async fn referral_intake(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<ReferralIntake>> {
    staff.require(&[Role::Admin])?;
    let referrals_from = referral_intake::load(data.store.as_ref(), staff.organisation_id).await?;
    Ok(Json(ReferralIntake { referrals_from }))
}

#[utoipa::path(put, path = "/api/v1/admin/referral-intake", tag = "admin", security(("bearer" = [])),
    request_body = ReferralIntake,
    responses((status = 200, description = "The new setting", body = ReferralIntake)))]
async fn set_referral_intake(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<ReferralIntake>,
) -> ApiResult<Json<ReferralIntake>> {
    referral_intake::set(data.store.as_ref(), &staff, request.referrals_from).await?;
    referral_intake(data, Authenticated(staff)).await
}

/// How delivery to one inbox is going.
#[derive(Serialize, ToSchema)]
pub struct DestinationState {
    inbox: String,
    pending: i64,
    delivered: i64,
    failed: i64,
    next_attempt_at: Option<i64>,
    last_error: Option<String>,
    /// When the oldest pending delivery that has already failed was queued.
    failing_since: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/admin/deliveries", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "The delivery queue per destination", body = [DestinationState])))]
async fn deliveries(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<DestinationState>>> {
    staff.require(&[Role::Admin])?;
    let states = data.store.destination_states().await?;
    Ok(Json(
        states
            .into_iter()
            .map(|s| DestinationState {
                inbox: s.inbox,
                pending: s.pending,
                delivered: s.delivered,
                failed: s.failed,
                next_attempt_at: s.next_attempt_at,
                last_error: s.last_error,
                failing_since: s.failing_since,
            })
            .collect(),
    ))
}

/// A local rule about one domain.
#[derive(Serialize, ToSchema)]
pub struct DomainRule {
    domain: String,
    #[schema(value_type = RuleAction)]
    action: String,
    reason: String,
    created_at: i64,
}

/// A rule taken from a subscribed list.
#[derive(Serialize, ToSchema)]
pub struct SubscribedRule {
    domain: String,
    #[schema(value_type = RuleAction)]
    action: String,
}

/// The federation policy in force.
#[derive(Serialize, ToSchema)]
pub struct FederationPolicy {
    mode: FederationMode,
    rules: Vec<DomainRule>,
    /// Rules from subscribed lists; local rules win over them.
    subscribed: Vec<SubscribedRule>,
}

#[utoipa::path(get, path = "/api/v1/admin/federation", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Mode and domain rules", body = FederationPolicy)))]
async fn federation(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<FederationPolicy>> {
    staff.require(&[Role::Admin])?;
    let policy = policy::load(data.store.as_ref()).await?;
    Ok(Json(FederationPolicy {
        mode: policy.mode,
        rules: policy
            .rules
            .into_iter()
            .map(|r| DomainRule {
                domain: r.domain,
                action: r.action,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect(),
        subscribed: policy
            .subscribed
            .into_iter()
            .map(|(domain, action)| SubscribedRule { domain, action })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeRequest {
    mode: FederationMode,
}

#[utoipa::path(put, path = "/api/v1/admin/federation", tag = "admin", security(("bearer" = [])),
    request_body = ModeRequest,
    responses((status = 200, description = "The policy with its new mode", body = FederationPolicy)))]
async fn set_mode(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<ModeRequest>,
) -> ApiResult<Json<FederationPolicy>> {
    policy::set_mode(data.store.as_ref(), Some(&staff), request.mode).await?;
    federation(data, Authenticated(staff)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    domain: String,
    action: RuleAction,
    #[serde(default)]
    reason: String,
    /// With a block: delete what was received from the domain.
    #[serde(default)]
    purge: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RuleSet {
    domain: String,
    action: RuleAction,
    /// Posts deleted by `purge`.
    purged_posts: u64,
}

#[utoipa::path(post, path = "/api/v1/admin/domains", tag = "admin", security(("bearer" = [])),
    request_body = RuleRequest,
    responses((status = 201, description = "The rule is in force", body = RuleSet)))]
async fn set_rule(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<RuleRequest>,
) -> ApiResult<(StatusCode, Json<RuleSet>)> {
    let purged_posts = policy::set_rule(
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
        Json(RuleSet {
            domain: r.domain,
            action: r.action,
            purged_posts,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/admin/domains/{domain}", tag = "admin",
    security(("bearer" = [])), params(("domain" = String, Path, description = "The domain")),
    responses((status = 204, description = "The rule is gone")))]
async fn remove_rule(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(domain): Path<String>,
) -> ApiResult<StatusCode> {
    policy::remove_rule(data.store.as_ref(), Some(&staff), &domain).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RotatedKey {
    key_id: String,
    public_key_pem: String,
}

/// A new key pair for the organisation, announced to its followers.
#[utoipa::path(post, path = "/api/v1/admin/rotate-key", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "The new public key", body = RotatedKey)))]
async fn rotate_key(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<RotatedKey>> {
    let org = crate::app::organisation::rotate_key(&data, &staff).await?;
    Ok(Json(RotatedKey {
        key_id: data.urls.key_id(&org.handle),
        public_key_pem: org.public_key_pem,
    }))
}
