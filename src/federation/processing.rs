//! The inbox worker: applies stored activities out of the request, in the order they
//! arrived (what each kind does is in `activities/`).

use super::activities::{self, Incoming};
use super::{FedData, FederationError, NodeContext};
use crate::db::InboxRow;
use crate::domain::sealing::Binding;
use activitypub_federation::config::FederationConfig;
use std::time::Duration;
use tokio::sync::watch;
use tracing::{debug, warn};

/// Attempts before an activity whose processing keeps failing on the network is given up.
const MAX_ATTEMPTS: i64 = 5;
const TICK: Duration = Duration::from_millis(500);

/// Runs until `shutdown`; anything not yet processed stays pending for the next start.
pub async fn run_processor(
    federation: FederationConfig<NodeContext>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let data = federation.to_request_data();
        match data.store.pending_inbox_activities(50).await {
            Ok(rows) => {
                for row in rows {
                    process_row(&data.reset_request_count(), &row).await;
                }
            }
            Err(e) => warn!("inbox processor cannot read the queue: {e}"),
        }
        tokio::select! {
            _ = data.wake_inbox.notified() => {}
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
}

async fn process_row(data: &FedData, row: &InboxRow) {
    let outcome = match data
        .sealer
        .open_if_sealed(&row.body, &Binding::inbox(&row.ap_id))
    {
        Ok(body) => match serde_json::from_str::<Incoming>(&body) {
            Ok(activity) => activities::receive(data, &activity).await,
            Err(e) => Err(FederationError::BadRequest(format!(
                "unreadable activity: {e}"
            ))),
        },
        Err(e) => Err(FederationError::Domain(e)),
    };
    let (state, error) = match outcome {
        Ok(()) => ("done", None),
        Err(e) if e.is_transient() && row.attempts + 1 < MAX_ATTEMPTS => {
            ("pending", Some(e.to_string()))
        }
        Err(e) => {
            debug!("activity {} not applied: {e}", row.ap_id);
            ("failed", Some(e.to_string()))
        }
    };
    if let Err(e) = data
        .store
        .set_inbox_state(row.id, state, error.as_deref())
        .await
    {
        warn!("cannot record processing of {}: {e}", row.ap_id);
    }
}
