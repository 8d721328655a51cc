//! Operator views: the delivery queue's state per destination.

use crate::domain::accounts::Role;
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult};
use axum::{routing::get, Json, Router};
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new().route("/api/v1/admin/deliveries", get(deliveries))
}

async fn deliveries(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let states = data.store.destination_states().await?;
    Ok(Json(json!(states)))
}
