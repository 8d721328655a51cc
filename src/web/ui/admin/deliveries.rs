//! `/admin/deliveries`: the outgoing queue per destination inbox (what waits, since when it
//! fails, the last error, the next attempt), with "retry now" and "drop the backlog" as the
//! CLI's `deliveries retry` and `deliveries drop`.

use super::{done, notice, when, AdminPage, AdminPost, DoneQuery};
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use crate::web::ui::templates::origin_of;
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

struct DestinationLine {
    inbox: String,
    server: String,
    pending: i64,
    delivered: i64,
    failed: i64,
    failing_since: Option<String>,
    next_attempt: Option<String>,
    last_error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_deliveries.html")]
struct DeliveriesPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    destinations: Vec<DestinationLine>,
}

pub async fn show(
    AdminPage(page, _): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let mut destinations: Vec<DestinationLine> = data
        .store
        .destination_states()
        .await?
        .into_iter()
        .map(|d| DestinationLine {
            server: origin_of(&d.inbox).unwrap_or_else(|| d.inbox.clone()),
            pending: d.pending,
            delivered: d.delivered,
            failed: d.failed,
            failing_since: d.failing_since.map(when),
            next_attempt: (d.pending > 0)
                .then_some(d.next_attempt_at)
                .flatten()
                .map(when),
            last_error: d.last_error,
            inbox: d.inbox,
        })
        .collect();
    // Failing destinations first, then those with a backlog, then the rest by name.
    destinations.sort_by_key(|d| (d.failing_since.is_none(), d.pending == 0));
    Ok(page.render(&DeliveriesPage {
        page: &page,
        section: "deliveries",
        notice: notice(&page, q.done.as_deref()),
        destinations,
    }))
}

#[derive(Deserialize)]
pub struct InboxForm {
    inbox: String,
}

/// Makes the destination's pending deliveries due now and wakes the delivery worker.
pub async fn retry(data: FedData, AdminPost { form, .. }: AdminPost<InboxForm>) -> PageResult {
    data.store.retry_destination(&form.inbox).await?;
    data.wake_delivery.notify_one();
    Ok(done("/admin/deliveries", "retry"))
}

/// Gives up every pending delivery to the destination (they are kept as `dropped`).
pub async fn drop_backlog(
    data: FedData,
    AdminPost { form, .. }: AdminPost<InboxForm>,
) -> PageResult {
    data.store.drop_destination(&form.inbox).await?;
    Ok(done("/admin/deliveries", "dropped"))
}
