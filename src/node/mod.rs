//! A running node: its start-up and every long-running task in one place. `serve` opens the
//! node's secret key (refusing a wrong one), builds the federation context, starts the
//! workers (deliveries, the inbox processor, the refresher of subscribed lists, the hourly
//! jobs) and serves HTTP until `shutdown` completes; then the workers stop, and unfinished
//! work stays queued in the database.
//!
//! It starts from a bound listener and a shutdown future, so tests run several nodes in one
//! process.

pub mod jobs;

use crate::{app, config::Config, db::Store, federation, web};
use std::{future::Future, sync::Arc};
use tokio::{net::TcpListener, sync::watch};

/// Serves a node on `listener` until `shutdown` completes, with its workers.
pub async fn serve(
    config: Config,
    store: Arc<dyn Store>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if config.dev {
        tracing::warn!(
            "DEVELOPMENT MODE: federating over plain http and to loopback addresses; never use this on a public server"
        );
    }
    let federation = federation::federation_config(Arc::new(config), store).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let context = (*federation).clone();
    let delivery = tokio::spawn(federation::delivery::run_worker(context, stop_rx.clone()));
    let processor = tokio::spawn(federation::processing::run_processor(
        federation.clone(),
        stop_rx.clone(),
    ));
    let lists = tokio::spawn(app::subscriptions::run_refresher(
        (*federation).clone(),
        stop_rx.clone(),
    ));
    let hourly = tokio::spawn(jobs::run_hourly((*federation).clone(), stop_rx));
    let app = web::router(federation)?;
    tracing::info!("listening on {}", listener.local_addr()?);
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
        })
        .await;
    let _ = stop_tx.send(true);
    let _ = delivery.await;
    let _ = processor.await;
    let _ = hourly.await;
    let _ = lists.await;
    Ok(served?)
}
