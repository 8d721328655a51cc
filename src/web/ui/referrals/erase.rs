//! Erasing one referral's personal data at once, from its page (a person asked to be
//! forgotten). Only admins of the party organisation: a page of its own says what is about to
//! happen, and only a post with `confirm=yes` from that page does it, through
//! `app::referrals::erase_now` as the API does.

use super::case::load;
use super::{party, status_label};
use crate::app::referrals;
use crate::db::{ReferralId, ReferralRow};
use crate::domain::accounts::{Role, Staff};
use crate::domain::referrals::Side;
use crate::federation::{self, FedData};
use crate::web::ui::forms::Posted;
use crate::web::ui::page::{url_encode, Page, PageResult, StaffPage};
use askama::Template;
use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "referral_erase.html")]
struct ConfirmPage<'a> {
    page: &'a Page,
    id: ReferralId,
    is_sender: bool,
    /// The other organisation's name.
    theirs: String,
    status_label: String,
    /// Already erased: the page says so and offers no form.
    erased: bool,
    /// Whether the other organisation has or may have the referral (and is asked to erase).
    counterpart_knows: bool,
    error: Option<String>,
}

/// Erasing is for admins: caseworkers and editors are refused, whatever the referral.
fn admin(page: &Page, staff: &Staff) -> Result<(), Box<Response>> {
    if staff.role == Role::Admin {
        Ok(())
    } else {
        Err(Box::new(
            page.error(StatusCode::FORBIDDEN, "error-forbidden"),
        ))
    }
}

async fn render(
    page: &Page,
    data: &FedData,
    row: &ReferralRow,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let counterpart_knows = federation::referrals::counterpart_may_know(data, row)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    let mut response = page.render(&ConfirmPage {
        page,
        id: row.id,
        is_sender: row.side == Side::Sender,
        theirs: party(data, &row.counterpart).await.name,
        status_label: status_label(page, row.status),
        erased: row.erased_at.is_some(),
        counterpart_knows,
        error,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /staff/referrals/{id}/erase`: what erasing will do, and the form that does it.
pub async fn confirm(
    StaffPage(page, staff): StaffPage,
    data: FedData,
    Path(id): Path<ReferralId>,
) -> PageResult {
    if let Err(refused) = admin(&page, &staff) {
        return Ok(*refused);
    }
    match load(&page, &data, &staff, id).await {
        Ok(row) => render(&page, &data, &row, None, StatusCode::OK).await,
        Err(refused) => Ok(*refused),
    }
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /staff/referrals/{id}/erase`: erases here, asks the other party, back to the page.
pub async fn erase(
    data: FedData,
    Path(id): Path<ReferralId>,
    posted: Posted<EraseForm>,
) -> PageResult {
    let Posted { page, form } = posted;
    let here = format!("/staff/referrals/{id}/erase");
    let Some(staff) = page.staff.clone() else {
        let login = format!("/login?next={}", url_encode(&here));
        return Ok(Redirect::to(&login).into_response());
    };
    if let Err(refused) = admin(&page, &staff) {
        return Ok(*refused);
    }
    let row = match load(&page, &data, &staff, id).await {
        Ok(row) => row,
        Err(refused) => return Ok(*refused),
    };
    if form.confirm != "yes" {
        return Ok(Redirect::to(&here).into_response());
    }
    let erased = referrals::erase_now(&data, &staff, &row)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    if !erased {
        let message = Some(page.t("referral-erase-already"));
        return render(&page, &data, &row, message, StatusCode::CONFLICT).await;
    }
    Ok(Redirect::to(&format!("/staff/referrals/{id}")).into_response())
}
