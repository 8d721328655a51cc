//! Casework pages: send a referral (with a consent step that cannot be skipped), list incoming
//! and outgoing referrals, open one to follow and move it. Only caseworkers and admins reach
//! these pages; every answer is `Cache-Control: no-store` (signed-in pages) and no referral
//! content is ever shown on a public page.

mod case;
mod erase;
mod send;

use super::page::{url_encode, Page, PageResult, StaffPage};
use super::templates::{date, iso_time, origin_of, post_title};
use crate::db::{PostRow, ReferralRow};
use crate::domain::accounts::{Role, Staff};
use crate::domain::objects::Details;
use crate::domain::posts;
use crate::domain::referrals::{ReferralStatus, Side};
use crate::federation::FedData;
use askama::Template;
use axum::{
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use serde::Deserialize;

pub fn routes() -> Router {
    Router::new()
        .route("/staff/referrals", get(list).post(send::submit))
        .route("/staff/referrals/new", get(send::form))
        .route("/staff/referrals/{id}", get(case::show))
        .route("/staff/referrals/{id}/status", post(case::change_status))
        .route("/staff/referrals/{id}/messages", post(case::add_message))
        .route(
            "/staff/referrals/{id}/erase",
            get(erase::confirm).post(erase::erase),
        )
}

/// A response that ends a handler early: a refusal or a redirect to sign in.
type Refused = Box<Response>;

/// Casework is for caseworkers and admins: an editor is refused.
fn caseworker(page: &Page, staff: &Staff) -> Result<(), Refused> {
    staff
        .require(&[Role::Caseworker])
        .map_err(|_| Box::new(page.error(StatusCode::FORBIDDEN, "error-forbidden")))
}

/// The signed-in caseworker behind a form post; anyone else goes to sign in or is refused.
fn poster(page: &Page) -> Result<Staff, Refused> {
    let Some(staff) = page.staff.clone() else {
        return Err(Box::new(
            Redirect::to("/login?next=%2Fstaff%2Freferrals").into_response(),
        ));
    };
    caseworker(page, &staff)?;
    Ok(staff)
}

/// Whether a program or an offer can receive a referral from this node now.
#[derive(Debug, PartialEq, Eq)]
pub enum Referable {
    Yes,
    /// A program not taking referrals (closed, inactive or not accepting).
    NotAccepting,
    Expired,
    /// Published on this node: referrals within one node are not supported yet.
    Local,
    /// Not a program or an offer, or withdrawn.
    No,
}

pub fn referable(post: &PostRow, now: i64) -> Referable {
    if post.deleted_at.is_some() {
        return Referable::No;
    }
    if post.organisation_id.is_some() {
        return Referable::Local;
    }
    match posts::details_of(post) {
        Ok(Details::Program(p)) if p.accepting_referrals && p.status == Default::default() => {
            Referable::Yes
        }
        Ok(Details::Program(_)) => Referable::NotAccepting,
        Ok(Details::Offer(_)) if post.expires_at.is_some_and(|t| t <= now) => Referable::Expired,
        Ok(Details::Offer(_)) => Referable::Yes,
        _ => Referable::No,
    }
}

/// The "Refer a person" link of an object page: for caseworkers, on programs that take
/// referrals and on open offers.
pub fn refer_link(page: &Page, post: &PostRow) -> Option<String> {
    (page.can("caseworker") && referable(post, crate::db::now_ms()) == Referable::Yes)
        .then(|| format!("/staff/referrals/new?to={}", url_encode(&post.ap_id)))
}

/// The other organisation as this node knows it.
pub struct Party {
    pub name: String,
    pub address: String,
    pub url: String,
}

async fn party(data: &FedData, ap_id: &str) -> Party {
    let known = data.store.remote_actor_by_ap_id(ap_id).await.ok().flatten();
    match known {
        Some(actor) => Party {
            name: if actor.name.trim().is_empty() {
                actor.username.clone()
            } else {
                actor.name.clone()
            },
            address: format!("@{}@{}", actor.username, actor.domain),
            // A profile URL that is not a web address is not made a link.
            url: actor
                .url
                .as_deref()
                .and_then(crate::domain::text::web_url)
                .unwrap_or_else(|| actor.ap_id.clone()),
        },
        None => Party {
            name: origin_of(ap_id).unwrap_or_else(|| ap_id.to_string()),
            address: String::new(),
            url: ap_id.to_string(),
        },
    }
}

/// The title of a program or offer this node holds, else its address.
async fn title_of(data: &FedData, ap_id: &str) -> String {
    match data.store.post_by_ap_id(ap_id).await.ok().flatten() {
        Some(post) => post_title(&post),
        None => ap_id.to_string(),
    }
}

fn status_label(page: &Page, status: ReferralStatus) -> String {
    page.t(&format!("referral-status-{status}"))
}

/// One referral in a list: no personal data, only what the API's list shows.
pub struct Row {
    pub href: String,
    pub status: ReferralStatus,
    pub status_label: String,
    pub counterpart: String,
    pub program: String,
    pub urgency: String,
    pub updated_iso: String,
    pub updated_date: String,
}

#[derive(Template)]
#[template(path = "referral_list.html")]
struct ListPage<'a> {
    page: &'a Page,
    /// Incoming, then outgoing: (id, heading, rows).
    sections: Vec<(&'static str, String, Vec<Row>)>,
    /// (code, label, selected)
    statuses: Vec<(&'static str, String, bool)>,
    filtered: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
}

async fn list(
    StaffPage(page, staff): StaffPage,
    data: FedData,
    Query(q): Query<ListQuery>,
) -> PageResult {
    if let Err(refused) = caseworker(&page, &staff) {
        return Ok(*refused);
    }
    let wanted = q
        .status
        .as_deref()
        .and_then(|s| ReferralStatus::parse(s).ok());
    let rows = data
        .store
        .list_referrals(staff.organisation_id, None)
        .await?;
    let (mut incoming, mut outgoing) = (Vec::new(), Vec::new());
    for row in rows.iter().filter(|r| wanted.is_none_or(|w| w == r.status)) {
        let item = list_row(&page, &data, row).await;
        if row.side == Side::Receiver {
            incoming.push(item);
        } else {
            outgoing.push(item);
        }
    }
    let statuses = ReferralStatus::ALL
        .iter()
        .map(|s| (s.as_str(), status_label(&page, *s), Some(*s) == wanted))
        .collect();
    Ok(page.render(&ListPage {
        page: &page,
        sections: vec![
            ("incoming", page.t("referral-incoming"), incoming),
            ("outgoing", page.t("referral-outgoing"), outgoing),
        ],
        statuses,
        filtered: wanted.is_some(),
    }))
}

async fn list_row(page: &Page, data: &FedData, row: &ReferralRow) -> Row {
    let program = match &row.program {
        Some(url) => title_of(data, url).await,
        None => String::new(),
    };
    Row {
        href: format!("/staff/referrals/{}", row.id),
        status: row.status,
        status_label: status_label(page, row.status),
        counterpart: party(data, &row.counterpart).await.name,
        program,
        urgency: page.t(&format!("referral-urgency-{}", row.urgency)),
        updated_iso: iso_time(row.updated_at),
        updated_date: date(row.updated_at),
    }
}

#[cfg(test)]
mod tests;
