//! Sending a referral from the browser: the program (or offer) it goes to, the person record
//! and needs, then the consent step. A post without consent (or a justified override) is
//! refused with the form kept; only a complete one goes out, through the API's own `send`.

use super::{caseworker, party, poster, referable, Party, Referable};
use crate::app::referrals;
use crate::domain::referrals::{Consent, Person, Sealed, Urgency};
use crate::domain::vocab::COUNTRIES;
use crate::federation::FedData;
use crate::web::ui::forms::Posted;
use crate::web::ui::page::{Page, PageResult, StaffPage};
use crate::web::ui::templates::post_title;
use askama::Template;
use axum::{
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use serde::Deserialize;

/// The form's fields, kept as typed so a refused post shows them again.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SendForm {
    pub to: String,
    pub urgency: String,
    pub needs: String,
    pub reference: String,
    pub age_range: String,
    pub gender: String,
    pub nationality: String,
    pub stateless: Option<String>,
    pub languages: String,
    pub contact_channel: String,
    pub safety_notes: String,
    /// `given` or `override`: the consent step.
    pub consent: String,
    pub given_by: String,
    /// YYYY-MM-DD.
    pub given_at: String,
    pub scope: String,
    pub override_justification: String,
}

/// Where the referral goes.
pub struct Target {
    pub program_url: String,
    pub program_title: String,
    pub offer: Option<(String, String)>,
    pub org: Party,
}

#[derive(Template)]
#[template(path = "referral_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    target: Option<Target>,
    /// Why no referral can go there (a catalogue message), instead of the form.
    unavailable: Option<String>,
    form: SendForm,
    errors: Vec<String>,
    countries: &'static [(&'static str, &'static str)],
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    to: String,
}

/// The program (or the offer and its program), or the message to show instead of the form.
async fn target(
    data: &FedData,
    to: &str,
) -> PageResult<Result<Target, (StatusCode, &'static str)>> {
    let now = crate::db::now_ms();
    let Some(post) = data.store.post_by_ap_id(to).await? else {
        return Ok(Err((StatusCode::NOT_FOUND, "referral-target-unknown")));
    };
    let why = |r: Referable| match r {
        Referable::Yes => None,
        Referable::NotAccepting => Some("referral-target-not-accepting"),
        Referable::Expired => Some("referral-target-expired"),
        Referable::Local => Some("referral-target-local"),
        Referable::No => Some("referral-target-unknown"),
    };
    if let Some(key) = why(referable(&post, now)) {
        return Ok(Err((StatusCode::OK, key)));
    }
    let (program, offer) = match crate::domain::posts::details_of(&post)? {
        crate::domain::objects::Details::Offer(o) => {
            let program = data.store.post_by_ap_id(&o.program).await?;
            match program {
                Some(p) if referable(&p, now) == Referable::Yes => {
                    (p, Some((post.ap_id.clone(), post_title(&post))))
                }
                _ => return Ok(Err((StatusCode::OK, "referral-target-not-accepting"))),
            }
        }
        _ => (post, None),
    };
    Ok(Ok(Target {
        program_title: post_title(&program),
        org: party(data, &program.author_ap_id).await,
        program_url: program.ap_id,
        offer,
    }))
}

async fn render(
    page: &Page,
    data: &FedData,
    form: SendForm,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let (target, unavailable, status) = match target(data, &form.to).await? {
        Ok(target) => (Some(target), None, status),
        // A refused post stays a refusal; the form page says why with its own status.
        Err((code, key)) if status == StatusCode::OK => (None, Some(page.t(key)), code),
        Err((_, key)) => (None, Some(page.t(key)), status),
    };
    let mut response = page.render(&NewPage {
        page,
        target,
        unavailable,
        form,
        errors,
        countries: COUNTRIES,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn form(
    StaffPage(page, staff): StaffPage,
    data: FedData,
    Query(q): Query<NewQuery>,
) -> PageResult {
    if let Err(refused) = caseworker(&page, &staff) {
        return Ok(*refused);
    }
    let form = SendForm {
        to: q.to,
        urgency: "routine".into(),
        ..SendForm::default()
    };
    render(&page, &data, form, vec![], StatusCode::OK).await
}

/// The form's own checks, in the reader's language, before anything is sent.
fn check(page: &Page, form: &SendForm) -> (Vec<String>, Option<i64>) {
    let mut errors = Vec::new();
    let mut need = |ok: bool, key: &str| {
        if !ok {
            errors.push(page.t(key));
        }
    };
    need(
        !form.reference.trim().is_empty(),
        "referral-error-reference",
    );
    need(!form.needs.trim().is_empty(), "referral-error-needs");
    let nationality = form.nationality.trim();
    need(
        nationality.is_empty() || COUNTRIES.iter().any(|(c, _)| *c == nationality),
        "referral-error-nationality",
    );
    let mut given_at = None;
    match form.consent.as_str() {
        "given" => {
            need(!form.given_by.trim().is_empty(), "referral-error-given-by");
            given_at = chrono::NaiveDate::parse_from_str(form.given_at.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_millis())
                // A day's grace for time zones ahead of UTC; never a date to come.
                .filter(|ms| *ms <= crate::db::now_ms() + 24 * 3600 * 1000);
            need(given_at.is_some(), "referral-error-given-at");
        }
        "override" => need(
            !form.override_justification.trim().is_empty(),
            "referral-error-justification",
        ),
        _ => need(false, "referral-error-consent"),
    }
    (errors, given_at)
}

fn content(form: &SendForm, given_at: Option<i64>) -> Sealed {
    let given = form.consent == "given";
    Sealed {
        needs: form.needs.trim().to_string(),
        person: Person {
            reference: form.reference.trim().to_string(),
            age_range: form.age_range.trim().to_string(),
            gender: form.gender.trim().to_string(),
            nationality: form.nationality.trim().to_string(),
            stateless: form.stateless.is_some(),
            languages: form
                .languages
                .split([',', ';', ' '])
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            contact_channel: form.contact_channel.trim().to_string(),
            safety_notes: form.safety_notes.trim().to_string(),
        },
        consent: Consent {
            given,
            given_by: if given { form.given_by.trim() } else { "" }.to_string(),
            given_at: if given { given_at } else { None },
            scope: form.scope.trim().to_string(),
            override_justification: if given {
                ""
            } else {
                form.override_justification.trim()
            }
            .to_string(),
        },
    }
}

pub async fn submit(data: FedData, posted: Posted<SendForm>) -> PageResult {
    let Posted { page, form } = posted;
    let staff = match poster(&page) {
        Ok(staff) => staff,
        Err(refused) => return Ok(*refused),
    };
    let target = match target(&data, &form.to).await? {
        Ok(target) => target,
        Err(_) => {
            return render(&page, &data, form, vec![], StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let (errors, given_at) = check(&page, &form);
    if !errors.is_empty() {
        return render(&page, &data, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let urgency = match form.urgency.as_str() {
        "urgent" => Urgency::Urgent,
        "emergency" => Urgency::Emergency,
        _ => Urgency::Routine,
    };
    let request = referrals::SendRequest {
        program: Some(target.program_url),
        referral_offer: target.offer.map(|(url, _)| url),
        organisation: None,
        urgency,
        content: content(&form, given_at),
    };
    match referrals::send(&data, &staff, request).await {
        Ok(row) => Ok(Redirect::to(&format!("/staff/referrals/{}", row.id)).into_response()),
        Err(e) => {
            let e = crate::web::error::ApiError::from(e);
            let message = page.t1("referral-error-not-sent", "reason", &e.message);
            let status = if e.status.is_server_error() {
                e.status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render(&page, &data, form, vec![message], status).await
        }
    }
}
