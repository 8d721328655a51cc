//! Subscribed domain lists: each is fetched (`federation::lists`) and applied to the
//! federation policy at start, every `policy_refresh_secs`, and on demand. Subscribing and
//! unsubscribing touch only this node and are `domain::subscriptions`.

use crate::db::SubscriptionRow;
use crate::domain::subscriptions::{self, Changes};
use crate::federation::{lists::fetch_list, NodeContext};
use std::time::Duration;
use tokio::sync::watch;
use tracing::{info, warn};

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
