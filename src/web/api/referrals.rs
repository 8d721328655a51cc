//! Casework API: send referrals, follow them from both sides, move them on, exchange messages.
//! Only caseworkers and admins of the party organisation see a referral; to anyone else it
//! does not exist.

use crate::app::referrals;
use crate::db::ReferralRow;
use crate::domain::accounts::{Role, Staff};
use crate::domain::casework;
use crate::domain::referrals::{ReferralStatus, Side};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use crate::web::{auth::Authenticated, JsonBody};
use axum::{
    extract::{Path, Query},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/referrals", get(list).post(send))
        .route("/api/v1/referrals/{id}", get(show))
        .route("/api/v1/referrals/{id}/status", post(change_status))
        .route("/api/v1/referrals/{id}/messages", post(add_message))
        .route("/api/v1/referrals/{id}/erase", post(erase))
        .route("/api/v1/admin/audit", get(audit_log))
}

/// Referral pages must never be kept by a browser or a proxy.
fn private(body: Value) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
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

fn summary(row: &ReferralRow) -> Value {
    json!({
        "id": row.id, "url": row.ap_id, "side": row.side, "counterpart": row.counterpart,
        "program": row.program, "referral_offer": row.referral_offer, "urgency": row.urgency,
        "status": row.status, "created_at": row.created_at, "updated_at": row.updated_at,
        "closed_at": row.closed_at, "ended_at": row.ended_at,
        "erased": row.erased_at.is_some(),
    })
}

async fn send(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(request): JsonBody<referrals::SendRequest>,
) -> ApiResult<Response> {
    staff.require(&[Role::Caseworker])?;
    let row = referrals::send(&data, &staff, request).await?;
    let mut response = private(summary(&row));
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

#[derive(Deserialize)]
struct ListQuery {
    /// `sender` (outgoing) or `receiver` (incoming); both when absent.
    side: Option<String>,
}

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
    Ok(private(Value::Array(rows.iter().map(summary).collect())))
}

async fn show(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let row = load(&data, &staff, id).await?;
    let view = casework::open(data.store.as_ref(), &data.sealer, &row).await?;
    casework::audit(data.store.as_ref(), &row, &staff.username, "view").await?;
    Ok(private(serde_json::to_value(view).map_err(|e| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    })?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRequest {
    status: String,
    /// The reason (declining, withdrawing) or the outcome (closing).
    #[serde(default)]
    note: String,
}

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
    Ok(private(summary(&row)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageRequest {
    text: String,
}

async fn add_message(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<MessageRequest>,
) -> ApiResult<Response> {
    let row = load(&data, &staff, id).await?;
    referrals::message(&data, &staff, &row, &request.text).await?;
    let mut response = private(json!({ "sent": true }));
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// An admin erases one referral's personal data now, here and at the other party.
async fn erase(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    staff.require(&[Role::Admin])?;
    let row = load(&data, &staff, id).await?;
    referrals::erase_now(&data, &staff, &row).await?;
    let row = load(&data, &staff, id).await?;
    Ok(private(summary(&row)))
}

#[derive(Deserialize)]
struct AuditQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

/// The audit log of the admin's organisation: who did what to which referral, and when.
async fn audit_log(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let rows = data
        .store
        .audit_log(
            staff.organisation_id,
            q.before,
            q.limit.unwrap_or(100).clamp(1, 500),
        )
        .await?;
    Ok(Json(json!(rows)))
}
