//! The delivery worker: takes due deliveries from the queue, signs and POSTs them, one inbox
//! at a time in order, and records each outcome (delivered, refused for good, or retried
//! with exponential backoff until the configured limit).

use crate::db::{now_ms, DeliveryHead};
use crate::domain::sealing::Binding;
use crate::federation::{addresses, signatures, NodeContext};
use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{sync::watch, task::JoinSet};
use tracing::{debug, info, warn};
use url::Url;

/// Longest wait between two attempts at one inbox.
const MAX_BACKOFF_SECS: i64 = 6 * 3600;
/// How often the worker looks for due deliveries when nothing wakes it.
const TICK: Duration = Duration::from_millis(500);

/// What one attempt came to.
enum Outcome {
    Delivered(i64),
    /// The receiver refused it for good (a 4xx other than 408 or 429); retrying is useless.
    Rejected(Option<i64>, String),
    /// Worth retrying; `true` when the request may have reached the receiver all the same.
    Failed(Option<i64>, String, bool),
}

/// Runs until `shutdown` turns true, then stops every delivery in flight; whatever was not
/// finished stays pending in the database for the next start.
pub async fn run_worker(ctx: NodeContext, mut shutdown: watch::Receiver<bool>) {
    // Whatever was in flight when the node stopped goes back to the queue.
    if let Err(e) = ctx.store.release_claims().await {
        warn!("delivery worker cannot release deliveries left in flight: {e}");
    }
    let in_flight: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut tasks = JoinSet::new();
    loop {
        match ctx.store.due_heads(now_ms(), 200).await {
            Ok(heads) => {
                for head in heads {
                    let fresh = in_flight
                        .lock()
                        .map(|mut set| set.insert(head.inbox.clone()))
                        .unwrap_or(false);
                    let busy = tasks.len() >= ctx.config.delivery_concurrency;
                    if fresh && !busy {
                        tasks.spawn(drain_inbox(ctx.clone(), head.inbox, in_flight.clone()));
                    } else if fresh {
                        forget(&in_flight, &head.inbox);
                    }
                }
            }
            Err(e) => warn!("delivery worker cannot read the queue: {e}"),
        }
        while tasks.try_join_next().is_some() {}
        tokio::select! {
            _ = ctx.wake_delivery.notified() => {}
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

fn forget(in_flight: &Mutex<HashSet<String>>, inbox: &str) {
    if let Ok(mut set) = in_flight.lock() {
        set.remove(inbox);
    }
}

/// Delivers the pending activities of one inbox in order until it is empty, a head is not
/// yet due, or an attempt fails (then the whole inbox waits for the retry).
async fn drain_inbox(ctx: NodeContext, inbox: String, in_flight: Arc<Mutex<HashSet<String>>>) {
    loop {
        let head = match ctx.store.head_of(&inbox).await {
            Ok(Some(head)) if head.next_attempt_at <= now_ms() => head,
            Ok(_) => break,
            Err(e) => {
                warn!("delivery to {inbox}: cannot read the queue: {e}");
                break;
            }
        };
        // Claimed just before sending: a delivery taken back meanwhile (a withdrawn referral)
        // is never sent, and one taken back while in flight is not put back in the queue.
        match ctx.store.claim_delivery(head.id).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                warn!("delivery to {inbox}: cannot claim: {e}");
                break;
            }
        }
        if !record(&ctx, &head, attempt(&ctx, &head).await).await {
            break;
        }
    }
    forget(&in_flight, &inbox);
}

/// Stores the outcome; `true` when the next activity of the inbox may go now.
async fn record(ctx: &NodeContext, head: &DeliveryHead, outcome: Outcome) -> bool {
    let store = &ctx.store;
    let result = match outcome {
        Outcome::Delivered(status) => {
            debug!("delivered {} to {}", head.activity_ap_id, head.inbox);
            store
                .finish_delivery(head.id, "delivered", Some(status), None)
                .await
        }
        Outcome::Rejected(status, error) => {
            info!("{} refused {}: {error}", head.inbox, head.activity_ap_id);
            store
                .finish_delivery(head.id, "rejected", status, Some(&error))
                .await
        }
        Outcome::Failed(status, error, maybe_received) => {
            let age_secs = (now_ms() - head.created_at) / 1000;
            if age_secs > ctx.config.delivery_give_up_after_secs {
                warn!(
                    "giving up {} to {}: {error}",
                    head.activity_ap_id, head.inbox
                );
                store
                    .finish_delivery(head.id, "abandoned", status, Some(&error))
                    .await
            } else {
                let wait = backoff_secs(ctx.config.delivery_retry_base_secs, head.attempts + 1);
                info!(
                    "delivery to {} failed ({error}); retry in {wait}s",
                    head.inbox
                );
                let next = now_ms() + wait * 1000;
                let _ = store
                    .retry_delivery(head.id, next, status, &error, maybe_received)
                    .await;
                return false;
            }
        }
    };
    match result {
        Ok(()) => true,
        Err(e) => {
            warn!("delivery to {}: cannot record the outcome: {e}", head.inbox);
            false
        }
    }
}

/// `base`, `2 × base`, `4 × base`... capped at six hours.
pub fn backoff_secs(base: i64, attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 30) - 1;
    base.saturating_mul(1i64 << doublings).min(MAX_BACKOFF_SECS)
}

async fn attempt(ctx: &NodeContext, head: &DeliveryHead) -> Outcome {
    let url = match deliverable_url(ctx, &head.inbox) {
        Ok(url) => url,
        Err(why) => return Outcome::Rejected(None, why),
    };
    match crate::domain::policy::load(ctx.store.as_ref()).await {
        Ok(policy) if !policy.permits_url(&url) => {
            return Outcome::Rejected(None, "blocked by this node's federation policy".into())
        }
        Ok(_) => {}
        Err(e) => return Outcome::Failed(None, format!("federation policy: {e}"), false),
    }
    let org = match ctx.store.organisation_by_id(head.organisation_id).await {
        Ok(org) => org,
        Err(e) => return Outcome::Failed(None, format!("signing organisation: {e}"), false),
    };
    let key_id = ctx.urls.key_id(&org.handle);
    let body = match ctx
        .sealer
        .open_if_sealed(&head.body, &Binding::outgoing(&head.activity_ap_id))
    {
        Ok(body) => body,
        Err(e) => return Outcome::Rejected(None, e.to_string()),
    };
    let private_key = match &head.signing_key_sealed {
        Some(sealed) => ctx
            .sealer
            .open(sealed, &Binding::outgoing_signing_key(&head.activity_ap_id)),
        None => crate::domain::organisations::signing_key(&ctx.sealer, &org),
    };
    let private_key = match private_key {
        Ok(key) => key,
        Err(e) => return Outcome::Failed(None, e.to_string(), false),
    };
    let body = body.as_bytes();
    let headers =
        match signatures::sign_request("POST", &url, Some(body), None, &key_id, &private_key) {
            Ok(h) => h,
            Err(e) => return Outcome::Failed(None, e.to_string(), false),
        };
    let response = ctx
        .http
        .post(url)
        .headers(headers)
        .body(body.to_vec())
        .send()
        .await;
    match response {
        Err(e) => Outcome::Failed(None, format!("connection: {e}"), !e.is_connect()),
        Ok(r) => {
            let status = r.status();
            let code = i64::from(status.as_u16());
            // 401 is retried: a receiver holding a copy of our key from before a rotation
            // fetches it again only once that copy is an hour old (as this node does).
            if status.is_success() {
                Outcome::Delivered(code)
            } else if status.is_client_error() && ![401, 408, 429].contains(&code) {
                Outcome::Rejected(Some(code), format!("HTTP {status}"))
            } else {
                Outcome::Failed(Some(code), format!("HTTP {status}"), true)
            }
        }
    }
}

/// Refuses plain http and literal non-public addresses outside development mode (see
/// [`addresses`]); host names are checked by the client's resolver when it connects.
pub fn deliverable_url(ctx: &NodeContext, inbox: &str) -> Result<Url, String> {
    let url = Url::parse(inbox).map_err(|e| format!("invalid inbox URL: {e}"))?;
    if ctx.config.dev {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err("inbox is not https".into());
    }
    if addresses::literal_non_public(&url) {
        return Err("inbox is on a private address".into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_secs(30, 1), 30);
        assert_eq!(backoff_secs(30, 2), 60);
        assert_eq!(backoff_secs(30, 5), 480);
        assert_eq!(backoff_secs(30, 40), 6 * 3600);
    }
}
