//! Periodic jobs of a running node (hourly): expiry of unanswered referrals and retention of
//! referral data, and fresh statistics for the database's query planner.

use crate::app::referrals;
use crate::db::now_ms;
use crate::domain::retention;
use crate::federation::NodeContext;
use std::time::Duration;
use tokio::sync::watch;
use tracing::{info, warn};

const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// One run of the referral jobs at `now`: unanswered referrals expire (the other party is
/// told), then ended referrals past the retention period are erased.
pub async fn referral_jobs(
    ctx: &NodeContext,
    now: i64,
) -> anyhow::Result<retention::RetentionReport> {
    let expired = referrals::expire_unanswered(ctx, now, ctx.config.referral_expiry_days).await?;
    if expired > 0 {
        info!("expiry: {expired} unanswered referrals expired");
    }
    let report =
        retention::run_retention(ctx.store.as_ref(), now, ctx.config.referral_retention_days)
            .await?;
    if report.referrals_erased > 0 {
        info!(
            "retention: erased the personal fields of {} referrals",
            report.referrals_erased
        );
    }
    Ok(report)
}

/// Runs the hourly jobs at start and then every hour, until `shutdown`.
pub async fn run_hourly(ctx: NodeContext, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = referral_jobs(&ctx, now_ms()).await {
            warn!("retention job failed: {e}");
        }
        if let Err(e) = ctx.store.optimize().await {
            warn!("refreshing the query planner's statistics failed: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(RETENTION_EVERY) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
}
