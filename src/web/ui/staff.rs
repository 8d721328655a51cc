//! The signed-in staff member's home: the feed of what followed organisations publish.

use super::page::{PageResult, StaffPage};
use super::templates::{origin_of, Card};
use crate::federation::FedData;
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomeFeed<'a> {
    page: &'a super::page::Page,
    username: String,
    items: Vec<Card>,
    older: Option<String>,
}

#[derive(Deserialize)]
pub struct FeedQuery {
    before: Option<i64>,
}

const FEED_PAGE: i64 = 30;

pub async fn home(
    StaffPage(page, staff): StaffPage,
    data: FedData,
    Query(q): Query<FeedQuery>,
) -> PageResult {
    let rows = data
        .store
        .home_feed(staff.organisation_id, q.before, FEED_PAGE)
        .await?;
    let older = (rows.len() as i64 == FEED_PAGE)
        .then(|| rows.last().map(|p| format!("/staff?before={}", p.id)))
        .flatten();
    let items = rows
        .iter()
        .map(|p| {
            Card::of_post(
                p,
                format!("/remote?id={}", super::page::url_encode(&p.ap_id)),
                origin_of(&p.ap_id),
            )
        })
        .collect();
    Ok(page.render(&HomeFeed {
        username: staff.username.clone(),
        page: &page,
        items,
        older,
    }))
}
