//! One referral's page: the parties, where it stands, its history, the private message thread,
//! and a form for every change the rules allow this side to make now. Opening it is recorded
//! in the audit log as a view, as the API does.

use super::{caseworker, party, poster, status_label, title_of, Party, Refused};
use crate::app::referrals;
use crate::db::{EventKind, ReferralId, ReferralRow};
use crate::domain::accounts::{Role, Staff};
use crate::domain::casework;
use crate::domain::referrals::{ReferralStatus, Sealed, Side};
use crate::federation::FedData;
use crate::web::ui::forms::Posted;
use crate::web::ui::page::{Page, PageResult, StaffPage};
use crate::web::ui::templates::{date, iso_time};
use askama::Template;
use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use serde::Deserialize;

/// A step in the referral's history, or a message in its thread.
pub struct Event {
    pub at_iso: String,
    pub at: String,
    pub by: String,
    pub status: Option<String>,
    /// The reason, outcome or message; `None` once erased.
    pub text: Option<String>,
}

/// A change this side may make now.
pub struct Action {
    pub status: &'static str,
    pub label: String,
    /// The note's label, and whether it is required (declining, closing).
    pub note: Option<(String, bool)>,
}

#[derive(Template)]
#[template(path = "referral_show.html")]
struct CasePage<'a> {
    page: &'a Page,
    id: ReferralId,
    is_sender: bool,
    ours: String,
    theirs: Party,
    program: Option<(String, String)>,
    offer: Option<(String, String)>,
    urgency: String,
    status: ReferralStatus,
    status_label: String,
    sent_iso: String,
    sent_date: String,
    content: Option<Sealed>,
    consent_date: String,
    /// The person's nationality by name.
    nationality: String,
    timeline: Vec<Event>,
    messages: Vec<Event>,
    actions: Vec<Action>,
    can_message: bool,
    /// An admin may erase the personal data now (not yet erased).
    can_erase: bool,
    error: Option<String>,
}

/// The referral, if this caseworker's organisation is a party; to anyone else it does not exist.
pub(super) async fn load(
    page: &Page,
    data: &FedData,
    staff: &Staff,
    id: ReferralId,
) -> Result<ReferralRow, Refused> {
    caseworker(page, staff)?;
    let row = match data.store.referral_by_id(id).await {
        Ok(row) => row,
        Err(e) => {
            return Err(Box::new(
                crate::web::ui::page::PageError::from(e).into_response(),
            ))
        }
    };
    row.filter(|r| casework::check_access(staff, r).is_ok())
        .ok_or_else(|| Box::new(page.error(StatusCode::NOT_FOUND, "error-not-found")))
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn actions(page: &Page, row: &ReferralRow) -> Vec<Action> {
    let (now, side) = (row.status, row.side);
    ReferralStatus::ALL
        .iter()
        .copied()
        // Expiry is the node's, never a caseworker's.
        .filter(|next| {
            *next != ReferralStatus::Expired && now.check_transition(*next, side).is_ok()
        })
        .map(|next| {
            let note = match next {
                ReferralStatus::Declined => Some(("referral-note-reason", true)),
                ReferralStatus::Withdrawn => Some(("referral-note-reason", false)),
                ReferralStatus::Closed => Some(("referral-note-outcome", true)),
                _ => None,
            };
            Action {
                status: next.as_str(),
                label: page.t(&format!("referral-action-{}", next.as_str())),
                note: note.map(|(key, required)| (page.t(key), required)),
            }
        })
        .collect()
}

/// Renders the referral for its party, recording the view.
async fn render(
    page: &Page,
    data: &FedData,
    staff: &Staff,
    row: &ReferralRow,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let view = casework::open(data.store.as_ref(), &data.sealer, row).await?;
    casework::audit(data.store.as_ref(), row, &staff.username, "view").await?;
    let ours = data.store.organisation_by_id(row.organisation_id).await?;
    let theirs = party(data, &row.counterpart).await;
    let who = |by: &str| {
        if by == row.counterpart {
            theirs.name.clone()
        } else if by == "this node" {
            page.t("referral-by-node")
        } else {
            by.to_string()
        }
    };
    let (mut timeline, mut messages) = (Vec::new(), Vec::new());
    for e in view.timeline {
        let event = Event {
            at_iso: iso_time(e.at),
            at: time(e.at),
            by: who(&e.by),
            status: e.status.map(|s| status_label(page, s)),
            text: e.text,
        };
        if e.kind == EventKind::Message {
            messages.push(event);
        } else {
            timeline.push(event);
        }
    }
    let program = match &row.program {
        Some(url) => Some((url.clone(), title_of(data, url).await)),
        None => None,
    };
    let offer = match &row.referral_offer {
        Some(url) => Some((url.clone(), title_of(data, url).await)),
        None => None,
    };
    let consent_date = view
        .content
        .as_ref()
        .and_then(|c| c.consent.given_at)
        .map(date)
        .unwrap_or_default();
    let nationality = view
        .content
        .as_ref()
        .map(|c| c.person.nationality.as_str())
        .map(|code| {
            crate::domain::vocab::country_name(code)
                .unwrap_or(code)
                .to_string()
        })
        .unwrap_or_default();
    let final_or_erased = row.erased_at.is_some() || row.status.is_final();
    let mut response = page.render(&CasePage {
        page,
        id: row.id,
        is_sender: row.side == Side::Sender,
        ours: ours.name,
        theirs,
        program,
        offer,
        urgency: page.t(&format!("referral-urgency-{}", row.urgency)),
        status: row.status,
        status_label: status_label(page, row.status),
        sent_iso: iso_time(row.created_at),
        sent_date: date(row.created_at),
        content: view.content,
        consent_date,
        nationality,
        timeline,
        messages,
        actions: actions(page, row),
        can_message: !final_or_erased,
        can_erase: staff.role == Role::Admin && row.erased_at.is_none(),
        error,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    StaffPage(page, staff): StaffPage,
    data: FedData,
    Path(id): Path<ReferralId>,
) -> PageResult {
    match load(&page, &data, &staff, id).await {
        Ok(row) => render(&page, &data, &staff, &row, None, StatusCode::OK).await,
        Err(refused) => Ok(*refused),
    }
}

/// A refused change or message: the page again, with why, in the reader's language when the
/// rules said no.
async fn refused(
    page: &Page,
    data: &FedData,
    staff: &Staff,
    id: ReferralId,
    e: crate::federation::FederationError,
) -> PageResult {
    let api = crate::web::error::ApiError::from(e);
    let status = if api.status.is_server_error() {
        api.status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let message = page.t1("referral-error-refused", "reason", &api.message);
    match load(page, data, staff, id).await {
        Ok(row) => render(page, data, staff, &row, Some(message), status).await,
        Err(refused) => Ok(*refused),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn change_status(
    data: FedData,
    Path(id): Path<ReferralId>,
    posted: Posted<StatusForm>,
) -> PageResult {
    let Posted { page, form } = posted;
    let staff = match poster(&page) {
        Ok(staff) => staff,
        Err(refused) => return Ok(*refused),
    };
    let row = match load(&page, &data, &staff, id).await {
        Ok(row) => row,
        Err(refused) => return Ok(*refused),
    };
    let result = match ReferralStatus::parse(&form.status) {
        Ok(next) => referrals::change(&data, &staff, &row, next, &form.note).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/staff/referrals/{id}")).into_response()),
        Err(e) => refused(&page, &data, &staff, id, e).await,
    }
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    text: String,
}

pub async fn add_message(
    data: FedData,
    Path(id): Path<ReferralId>,
    posted: Posted<MessageForm>,
) -> PageResult {
    let Posted { page, form } = posted;
    let staff = match poster(&page) {
        Ok(staff) => staff,
        Err(refused) => return Ok(*refused),
    };
    let row = match load(&page, &data, &staff, id).await {
        Ok(row) => row,
        Err(refused) => return Ok(*refused),
    };
    match referrals::message(&data, &staff, &row, &form.text).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/referrals/{id}#messages")).into_response()),
        Err(e) => refused(&page, &data, &staff, id, e).await,
    }
}
