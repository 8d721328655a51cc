//! Periodic jobs of a running node (hourly): retention of referral data, and fresh statistics
//! for the database's query planner.

use crate::db::Store;
use crate::domain::retention;
use std::{sync::Arc, time::Duration};
use tokio::sync::watch;
use tracing::{info, warn};

const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Runs the hourly jobs at start and then every hour, until `shutdown`.
pub async fn run_hourly(
    store: Arc<dyn Store>,
    retention_days: i64,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        match retention::run_retention(store.as_ref(), crate::db::now_ms(), retention_days).await {
            Ok(report) if report.referrals_erased > 0 => {
                info!(
                    "retention: erased the personal fields of {} referrals",
                    report.referrals_erased
                )
            }
            Ok(_) => {}
            Err(e) => warn!("retention job failed: {e}"),
        }
        if let Err(e) = store.optimize().await {
            warn!("refreshing the query planner's statistics failed: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(RETENTION_EVERY) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
}
