//! Fetching the domain lists this node subscribes to: a GET signed by the subscribing
//! organisation, through the node's checked HTTP client (timeouts, no redirects, no
//! non-public addresses outside development mode), with a size limit. Refreshed at start,
//! every `policy_refresh_secs`, and on demand.

use super::{signatures, NodeContext};
use crate::db::SubscriptionRow;
use crate::domain::policy::RuleAction;
use crate::domain::subscriptions::{self, Changes};
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::sync::watch;
use tracing::{info, warn};
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

/// Fetches one list and applies it. On failure the last good list stays in force and the
/// error is recorded on the subscription.
pub async fn refresh(ctx: &NodeContext, sub: &SubscriptionRow) -> Result<Changes, String> {
    match fetch_list(ctx, sub).await {
        Ok(domains) => {
            let changes = subscriptions::apply_fetched(ctx.store.as_ref(), sub, domains)
                .await
                .map_err(|e| e.to_string())?;
            if !(changes.added.is_empty() && changes.removed.is_empty()) {
                info!(
                    "list {}: {} domains added, {} removed",
                    sub.url,
                    changes.added.len(),
                    changes.removed.len()
                );
            }
            Ok(changes)
        }
        Err(why) => {
            warn!(
                "list {} not refreshed, keeping the last good copy: {why}",
                sub.url
            );
            if let Err(e) = ctx.store.record_subscription_error(sub.id, &why).await {
                warn!("cannot record the failure of {}: {e}", sub.url);
            }
            Err(why)
        }
    }
}

/// Refreshes every subscription; failures are logged and recorded, never fatal.
pub async fn refresh_all(ctx: &NodeContext) {
    match ctx.store.subscriptions().await {
        Ok(subs) => {
            for sub in subs {
                let _ = refresh(ctx, &sub).await;
            }
        }
        Err(e) => warn!("cannot read the list subscriptions: {e}"),
    }
}

/// Runs until `shutdown`: a refresh at start, then one every `policy_refresh_secs`.
pub async fn run_refresher(ctx: NodeContext, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_secs(ctx.config.policy_refresh_secs.max(1));
    loop {
        refresh_all(&ctx).await;
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
}
