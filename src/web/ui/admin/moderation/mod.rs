//! `/admin/moderation`: remote accounts suspended on this node and remote objects removed from
//! it (the actions, each confirmed first, are in `actions.rs`); and the routes
//! of the reports page and of the subscribed lists on the federation page.

mod actions;
pub(super) mod lists;
mod reports;

use super::{refused, when, AdminPage, DoneQuery};
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use actions::{confirm_remove, confirm_suspend, remove, suspend, unsuspend};
use askama::Template;
use axum::{
    extract::Query,
    http::StatusCode,
    routing::{get, post},
    Router,
};
use serde::Deserialize;

pub fn routes() -> Router {
    Router::new()
        .route("/admin/moderation", get(show))
        .route(
            "/admin/moderation/suspend",
            get(confirm_suspend).post(suspend),
        )
        .route("/admin/moderation/unsuspend", post(unsuspend))
        .route("/admin/moderation/remove", get(confirm_remove).post(remove))
        .merge(reports::routes())
        .merge(lists::routes())
}

/// The notices of this area's actions (`moderation-done-*`), for `admin::notice`.
const NOTICES: [&str; 9] = [
    "suspended",
    "unsuspended",
    "removed",
    "report-sent",
    "report-resolved",
    "subscribed",
    "list-failed",
    "refreshed",
    "unsubscribed",
];

pub(super) fn notice(page: &Page, done: &str) -> Option<String> {
    NOTICES
        .contains(&done)
        .then(|| page.t(&format!("moderation-done-{done}")))
}

struct ActorLine {
    actor: String,
    suspended: bool,
    reason: String,
    since: String,
}

struct ObjectLine {
    object: String,
    reason: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin_moderation.html")]
struct ModerationPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    error: Option<String>,
    actors: Vec<ActorLine>,
    objects: Vec<ObjectLine>,
    /// What was typed in the suspend and remove forms, when it was refused.
    entered: Entered,
}

#[derive(Default, Deserialize)]
pub struct Entered {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    reason: String,
}

async fn render(
    page: &Page,
    data: &FedData,
    notice: Option<String>,
    error: Option<String>,
    entered: Entered,
) -> PageResult {
    let store = data.store.as_ref();
    let actors = store
        .marked_actors()
        .await?
        .into_iter()
        .map(|m| ActorLine {
            suspended: m.state == "suspended",
            since: when(m.created_at),
            actor: m.ap_id,
            reason: m.reason,
        })
        .collect();
    let objects = store
        .removed_objects()
        .await?
        .into_iter()
        .map(|o| ObjectLine {
            since: when(o.created_at),
            object: o.ap_id,
            reason: o.reason,
        })
        .collect();
    Ok(page.render(&ModerationPage {
        page,
        section: "moderation",
        notice,
        error,
        actors,
        objects,
        entered,
    }))
}

pub async fn show(
    AdminPage(page, _): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let notice = super::notice(&page, q.done.as_deref());
    render(&page, &data, notice, None, Entered::default()).await
}

/// The moderation page again with a translated reason and what was typed.
async fn refuse(page: &Page, data: &FedData, key: &str, entered: Entered) -> PageResult {
    let response = render(page, data, None, Some(page.t(key)), entered).await?;
    Ok(refused(response, StatusCode::UNPROCESSABLE_ENTITY))
}
