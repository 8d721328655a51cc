//! Publishing for editors: the organisation's own objects by kind, and forms to write, edit
//! and delete them. The handlers call the same publishing functions as the JSON API.

mod field_error;
mod form;
mod view;

pub use form::{FieldError, ObjectForm};

use super::forms::Posted;
use super::page::{Page, PageResult, StaffPage};
use crate::app::publishing;
use crate::domain::accounts::Staff;
use crate::domain::objects::ObjectKind;
use crate::domain::{posts, DomainError};
use crate::federation::{FedData, FederationError};
use crate::web::error::ApiError;
use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use serde::Deserialize;
use view::{ComposePage, DeletePage, ObjectsPage};

pub fn routes() -> Router {
    Router::new()
        .route("/staff/objects", get(list))
        .route("/staff/objects/new/{kind}", get(new_form).post(create))
        .route(
            "/staff/objects/{kind}/{uuid}/edit",
            get(edit_form).post(save),
        )
        .route(
            "/staff/objects/{kind}/{uuid}/delete",
            get(confirm_delete).post(delete),
        )
}

/// The staff member when they may publish; else the answer for them (sign in, or 403).
fn editor(page: &Page) -> Result<Staff, Box<Response>> {
    match &page.staff {
        None => Err(Box::new(
            Redirect::to(&format!(
                "/login?next={}",
                super::page::url_encode(&page.here)
            ))
            .into_response(),
        )),
        Some(staff) if page.can("editor") => Ok(staff.clone()),
        Some(_) => Err(Box::new(
            page.error(StatusCode::FORBIDDEN, "error-forbidden"),
        )),
    }
}

fn kind_of(page: &Page, kind: &str) -> Result<ObjectKind, Box<Response>> {
    ObjectKind::parse(kind)
        .map_err(|_| Box::new(page.error(StatusCode::NOT_FOUND, "error-not-found")))
}

/// An editor and a kind we publish, or the answer instead.
fn gate(page: &Page, kind: &str) -> Result<(Staff, ObjectKind), Box<Response>> {
    Ok((editor(page)?, kind_of(page, kind)?))
}

/// Errors the page cannot show next to a field: a page in the reader's language where we
/// have one, else the API's message.
fn failure(page: &Page, error: FederationError) -> PageResult {
    Ok(match error {
        FederationError::Domain(DomainError::NotFound(_))
        | FederationError::Domain(DomainError::Db(crate::db::DbError::NotFound)) => {
            page.error(StatusCode::NOT_FOUND, "error-not-found")
        }
        FederationError::Domain(DomainError::Forbidden(_)) => {
            page.error(StatusCode::FORBIDDEN, "error-forbidden")
        }
        other => return Err(ApiError::from(other).into()),
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    before: Option<i64>,
    done: Option<String>,
}

pub async fn list(
    StaffPage(page, _): StaffPage,
    data: FedData,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let staff = match editor(&page) {
        Ok(staff) => staff,
        Err(response) => return Ok(*response),
    };
    let only = match q.kind.as_deref().map(|k| kind_of(&page, k)).transpose() {
        Ok(only) => only,
        Err(response) => return Ok(*response),
    };
    let view = ObjectsPage::load(&page, &data, &staff, only, q.before, q.done).await?;
    Ok(page.render(&view))
}

pub async fn new_form(
    StaffPage(page, _): StaffPage,
    data: FedData,
    Path(kind): Path<String>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    let form = ObjectForm {
        visibility: "public".into(),
        ..ObjectForm::default()
    };
    let view = ComposePage::new(&page, &data, &staff, kind, None, form, vec![]).await?;
    Ok(page.render(&view))
}

pub async fn create(
    data: FedData,
    Path(kind): Path<String>,
    Posted { page, form }: Posted<ObjectForm>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    let result = match form.to_draft(kind) {
        Ok(draft) => publishing::publish(&data, &staff, &draft).await,
        Err(e) => return refuse(&page, &data, &staff, kind, None, form, vec![e]).await,
    };
    match result {
        Ok(_) => Ok(Redirect::to("/staff/objects?done=published").into_response()),
        Err(e) => match form_errors(e) {
            Ok(errors) => refuse(&page, &data, &staff, kind, None, form, errors).await,
            Err(e) => failure(&page, e),
        },
    }
}

/// What of a refusal goes back into the form: the domain's field errors, each on its field,
/// or a refusal naming no field; anything else is a failure page.
fn form_errors(e: FederationError) -> Result<Vec<FieldError>, FederationError> {
    match e {
        FederationError::Domain(DomainError::Fields(list)) => {
            Ok(list.iter().map(FieldError::from_domain).collect())
        }
        FederationError::Domain(DomainError::Invalid(message)) => {
            Ok(vec![FieldError::form(message)])
        }
        other => Err(other),
    }
}

/// The form again, as it was posted, with each error next to its field.
async fn refuse(
    page: &Page,
    data: &FedData,
    staff: &Staff,
    kind: ObjectKind,
    uuid: Option<&str>,
    form: ObjectForm,
    errors: Vec<FieldError>,
) -> PageResult {
    let view = ComposePage::new(page, data, staff, kind, uuid, form, errors).await?;
    let mut response = page.render(&view);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// The organisation's own post of this kind and id, or the page to answer instead.
async fn own(
    page: &Page,
    data: &FedData,
    staff: &Staff,
    kind: ObjectKind,
    uuid: &str,
) -> Result<crate::db::PostRow, Box<PageResult>> {
    let ap_id = data.urls.object(kind, uuid);
    posts::own_post(data.store.as_ref(), staff, kind, ap_id.as_str())
        .await
        .map_err(|e| Box::new(failure(page, e.into())))
}

pub async fn edit_form(
    StaffPage(page, _): StaffPage,
    data: FedData,
    Path((kind, uuid)): Path<(String, String)>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    let post = match own(&page, &data, &staff, kind, &uuid).await {
        Ok(post) => post,
        Err(answer) => return *answer,
    };
    let form = ObjectForm::of_post(&post);
    let view = ComposePage::new(&page, &data, &staff, kind, Some(&uuid), form, vec![]).await?;
    Ok(page.render(&view))
}

pub async fn save(
    data: FedData,
    Path((kind, uuid)): Path<(String, String)>,
    Posted { page, form }: Posted<ObjectForm>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    let ap_id = data.urls.object(kind, &uuid);
    let result = match form.to_draft(kind) {
        Ok(draft) => publishing::edit(&data, &staff, ap_id.as_str(), &draft).await,
        Err(e) => return refuse(&page, &data, &staff, kind, Some(&uuid), form, vec![e]).await,
    };
    match result {
        Ok(_) => Ok(Redirect::to("/staff/objects?done=saved").into_response()),
        Err(e) => match form_errors(e) {
            Ok(errors) => refuse(&page, &data, &staff, kind, Some(&uuid), form, errors).await,
            Err(e) => failure(&page, e),
        },
    }
}

pub async fn confirm_delete(
    StaffPage(page, _): StaffPage,
    data: FedData,
    Path((kind, uuid)): Path<(String, String)>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    match own(&page, &data, &staff, kind, &uuid).await {
        Ok(post) => Ok(page.render(&DeletePage::new(&page, kind, &uuid, &post))),
        Err(answer) => *answer,
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// Deletes only with the confirmation page's `confirm=yes`; any other post shows that page.
pub async fn delete(
    data: FedData,
    Path((kind, uuid)): Path<(String, String)>,
    Posted { page, form }: Posted<DeleteForm>,
) -> PageResult {
    let (staff, kind) = match gate(&page, &kind) {
        Ok(found) => found,
        Err(response) => return Ok(*response),
    };
    let post = match own(&page, &data, &staff, kind, &uuid).await {
        Ok(post) => post,
        Err(answer) => return *answer,
    };
    if form.confirm != "yes" {
        return Ok(page.render(&DeletePage::new(&page, kind, &uuid, &post)));
    }
    match publishing::delete(&data, &staff, kind, &post.ap_id).await {
        Ok(()) => Ok(Redirect::to("/staff/objects?done=deleted").into_response()),
        Err(e) => failure(&page, e),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::vocab::{POPULATIONS, THEMES};
    use crate::web::ui::i18n::{Catalog, LANGUAGES};

    #[test]
    fn every_theme_and_population_has_a_label_in_every_language() {
        let catalog = Catalog::load().expect("catalogues parse");
        for (index, (lang, _)) in LANGUAGES.iter().enumerate() {
            let keys = THEMES
                .iter()
                .map(|(code, _)| format!("theme-{code}"))
                .chain(
                    POPULATIONS
                        .iter()
                        .map(|(code, _)| format!("population-{code}")),
                );
            for key in keys {
                assert!(catalog.has(index, &key), "{lang} lacks {key}");
            }
        }
        // English says what the vocabulary says; the others are translations, not copies.
        let labels = THEMES
            .iter()
            .map(|(code, label)| (format!("theme-{code}"), *label))
            .chain(
                POPULATIONS
                    .iter()
                    .map(|(c, l)| (format!("population-{c}"), *l)),
            );
        for (key, english) in labels {
            assert_eq!(catalog.message(0, &key, None), english);
            if key != "population-lgbtiq" {
                assert_ne!(catalog.message(1, &key, None), english, "id {key}");
                assert_ne!(catalog.message(2, &key, None), english, "th {key}");
            }
        }
        assert_eq!(catalog.message(1, "theme-legal-aid", None), "Bantuan hukum");
    }
}
