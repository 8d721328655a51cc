//! The domain lists this node publishes for others to subscribe to: its local allow and
//! block rules, as JSON. With authorised fetch on, only signed requests from servers this
//! node federates with are answered.

use super::error::ApiResult;
use super::signed_fetch::SignedFetch;
use crate::domain::policy::RuleAction;
use crate::domain::subscriptions::published_list;
use crate::federation::FedData;
use axum::{routing::get, Json, Router};
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/federation/allowlist", get(allowlist))
        .route("/federation/blocklist", get(blocklist))
}

async fn list(data: &FedData, name: &str, action: RuleAction) -> ApiResult<Json<Value>> {
    let id = format!("{}/federation/{name}", data.urls.base());
    let list = published_list(data.store.as_ref(), &id, action).await?;
    Ok(Json(json!(list)))
}

async fn allowlist(data: FedData, _signed: SignedFetch) -> ApiResult<Json<Value>> {
    list(&data, "allowlist", RuleAction::Allow).await
}

async fn blocklist(data: FedData, _signed: SignedFetch) -> ApiResult<Json<Value>> {
    list(&data, "blocklist", RuleAction::Block).await
}
