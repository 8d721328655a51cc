//! Fetching a domain list this node subscribes to: a GET signed by the subscribing
//! organisation, through the node's checked HTTP client (timeouts, no redirects, no
//! non-public addresses outside development mode), with a size limit. When lists are
//! refreshed and how they are applied is `crate::app::subscriptions`.

use super::{signatures, NodeContext};
use crate::db::SubscriptionRow;
use crate::domain::policy::RuleAction;
use crate::domain::subscriptions;
use std::collections::BTreeSet;
use url::Url;

/// Largest list document read, in bytes.
pub const MAX_LIST_BYTES: usize = 1024 * 1024;

fn action_of(sub: &SubscriptionRow) -> RuleAction {
    if sub.kind == "allow" {
        RuleAction::Allow
    } else {
        RuleAction::Block
    }
}

/// Fetches and reads the list of `sub`; the error says why it could not be used.
pub async fn fetch_list(
    ctx: &NodeContext,
    sub: &SubscriptionRow,
) -> Result<BTreeSet<String>, String> {
    let url = Url::parse(&sub.url).map_err(|e| format!("invalid URL: {e}"))?;
    if !ctx.config.dev {
        if url.scheme() != "https" {
            return Err("the list is not served over https".into());
        }
        if super::addresses::literal_non_public(&url) {
            return Err("the list is on a non-public address".into());
        }
    }
    let policy = crate::domain::policy::load(ctx.store.as_ref())
        .await
        .map_err(|e| format!("federation policy: {e}"))?;
    if !policy.permits_url(&url) {
        return Err("this node does not federate with the list's server".into());
    }
    let org = ctx
        .store
        .organisation_by_id(sub.organisation_id)
        .await
        .map_err(|e| format!("signing organisation: {e}"))?;
    let private_key = crate::domain::organisations::signing_key(&ctx.sealer, &org)
        .map_err(|e| format!("signing organisation: {e}"))?;
    let accept = "application/json";
    let headers = signatures::sign_request(
        "GET",
        &url,
        None,
        Some(accept),
        &ctx.urls.key_id(&org.handle),
        &private_key,
    )
    .map_err(|e| e.to_string())?;
    let mut response = ctx
        .http
        .get(url)
        .headers(headers)
        .send()
        .await
        .map_err(|e| format!("connection: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading: {e}"))?
    {
        if body.len() + chunk.len() > MAX_LIST_BYTES {
            return Err(format!("the list is larger than {MAX_LIST_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    subscriptions::read_list(&body, action_of(sub))
}
