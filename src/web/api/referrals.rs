//! Casework API: send referrals, follow them from both sides, move them on, exchange messages.
//! Only caseworkers and admins of the party organisation see a referral; to anyone else it
//! does not exist.

use super::referral_types::{AuditEntry, ReferralSummary, SendReferralRequest};
use super::ApiRoutes;
use crate::app::referrals;
use crate::db::ReferralRow;
use crate::domain::accounts::{Role, Staff};
use crate::domain::casework::{self, ReferralView};
use crate::domain::referrals::{ReferralStatus, Side};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::{auth::Authenticated, JsonBody};
use axum::{
    extract::{Path, Query},
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/referrals", list)
        .on(Method::POST, "/api/v1/referrals", send)
        .on(Method::GET, "/api/v1/referrals/{id}", show)
        .on(Method::POST, "/api/v1/referrals/{id}/status", change_status)
        .on(Method::POST, "/api/v1/referrals/{id}/messages", add_message)
        .on(Method::POST, "/api/v1/referrals/{id}/erase", erase)
        .on(Method::GET, "/api/v1/admin/audit", audit_log)
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(list, send, show, change_status, add_message, erase, audit_log))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// Referral pages must never be kept by a browser or a proxy.
fn private<T: Serialize>(status: StatusCode, body: T) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

async fn load(data: &FedData, staff: &Staff, id: i64) -> ApiResult<ReferralRow> {
    staff.require(&[Role::Caseworker])?;
    let row = data
        .store
        .referral_by_id(crate::db::ReferralId(id))
        .await?
        .ok_or_else(|| ApiError::not_found("referral"))?;
    casework::check_access(staff, &row)?;
    Ok(row)
}

#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", operation_id = "send_referral", security(("bearer" = [])),
    request_body = SendReferralRequest,
    responses(
        (status = 201, description = "Sent (caseworkers and admins)", body = ReferralSummary),
        (status = 422, description = "Refused, with the fields at fault", body = ErrorBody),
    ))]
async fn send(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<SendReferralRequest>,
) -> ApiResult<Response> {
    staff.require(&[Role::Caseworker])?;
    let row = referrals::send(&data, &staff, request.into()).await?;
    Ok(private(StatusCode::CREATED, ReferralSummary::from(&row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `sender` (outgoing) or `receiver` (incoming); both when absent.
    #[param(value_type = Option<Side>)]
    side: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", operation_id = "list_referrals", security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "The organisation's referrals", body = [ReferralSummary])))]
async fn list(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    staff.require(&[Role::Caseworker])?;
    let side = q
        .side
        .as_deref()
        .map(Side::parse)
        .transpose()
        .map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "side must be sender or receiver",
            )
        })?;
    let rows = data
        .store
        .list_referrals(staff.organisation_id, side)
        .await?;
    let list: Vec<ReferralSummary> = rows.iter().map(ReferralSummary::from).collect();
    Ok(private(StatusCode::OK, list))
}

/// One referral, opened: the person's data and the timeline. Each view is audited.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals", operation_id = "show_referral", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral", body = ReferralView),
        (status = 404, description = "No such referral for this organisation", body = ErrorBody),
    ))]
async fn show(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let row = load(&data, &staff, id).await?;
    let view = casework::open(data.store.as_ref(), &data.sealer, &row).await?;
    casework::audit(data.store.as_ref(), &row, &staff.username, "view").await?;
    Ok(private(StatusCode::OK, view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    #[schema(value_type = ReferralStatus)]
    status: String,
    /// The reason (declining, withdrawing) or the outcome (closing).
    #[serde(default)]
    note: String,
}

/// Moves the referral on; which side may make which change is in docs/referrals.md.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/status", tag = "referrals",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The referral's id")),
    request_body = StatusRequest,
    responses((status = 200, description = "The referral in its new status", body = ReferralSummary)))]
async fn change_status(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<StatusRequest>,
) -> ApiResult<Response> {
    let row = load(&data, &staff, id).await?;
    let next = ReferralStatus::parse(&request.status)?;
    referrals::change(&data, &staff, &row, next, &request.note).await?;
    let row = load(&data, &staff, id).await?;
    Ok(private(StatusCode::OK, ReferralSummary::from(&row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageSent {
    /// Always `true`.
    sent: bool,
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/messages", tag = "referrals",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The referral's id")),
    request_body = MessageRequest,
    responses((status = 201, description = "Sent to the other party", body = MessageSent)))]
async fn add_message(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<MessageRequest>,
) -> ApiResult<Response> {
    let row = load(&data, &staff, id).await?;
    referrals::message(&data, &staff, &row, &request.text).await?;
    Ok(private(StatusCode::CREATED, MessageSent { sent: true }))
}

/// An admin erases one referral's personal data now, here and at the other party.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/erase", tag = "referrals",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The referral's id")),
    responses((status = 200, description = "Erased (admins only)", body = ReferralSummary)))]
async fn erase(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    staff.require(&[Role::Admin])?;
    let row = load(&data, &staff, id).await?;
    referrals::erase_now(&data, &staff, &row).await?;
    let row = load(&data, &staff, id).await?;
    Ok(private(StatusCode::OK, ReferralSummary::from(&row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `id` of the last entry of the previous page.
    before: Option<i64>,
    /// 1 to 500, 100 when absent.
    limit: Option<i64>,
}

/// The audit log of the admin's organisation: who did what to which referral, and when.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "referrals", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "Newest first (admins only)", body = [AuditEntry])))]
async fn audit_log(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    staff.require(&[Role::Admin])?;
    let rows = data
        .store
        .audit_log(
            staff.organisation_id,
            q.before,
            q.limit.unwrap_or(100).clamp(1, 500),
        )
        .await?;
    Ok(Json(rows.into_iter().map(AuditEntry::from).collect()))
}
