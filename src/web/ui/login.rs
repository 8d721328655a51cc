//! Signing in and out, first-run setup in the browser, and the language switch.

use super::cookies;
use super::forms::Posted;
use super::page::{local_path, Page, PageResult};
use crate::app::organisation;
use crate::domain::accounts::{self, TokenPurpose};
use crate::domain::DomainError;
use crate::federation::FedData;
use askama::Template;
use axum::{
    extract::{Path, Query},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    page: &'a Page,
    next: String,
    username: String,
    failed: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(page: Page, Query(q): Query<NextQuery>) -> Response {
    if page.signed_in() {
        return Redirect::to(&local_path(q.next.as_deref())).into_response();
    }
    page.render(&LoginPage {
        page: &page,
        next: local_path(q.next.as_deref()),
        username: String::new(),
        failed: false,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(data: FedData, posted: Posted<LoginForm>) -> PageResult {
    let Posted { page, form } = posted;
    let next = local_path(form.next.as_deref());
    match accounts::login(data.store.as_ref(), form.username.trim(), &form.password).await {
        Ok(staff) => start_session(&data, &page, staff.account_id, &next).await,
        Err(DomainError::Unauthenticated) => {
            let mut response = page.render(&LoginPage {
                page: &page,
                next,
                username: form.username,
                failed: true,
            });
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// Opens a session for the account and sends the browser on to `next`.
async fn start_session(data: &FedData, page: &Page, account_id: i64, next: &str) -> PageResult {
    let token = accounts::mint_token(
        data.store.as_ref(),
        account_id,
        TokenPurpose::Session,
        "browser",
    )
    .await?;
    let mut response = Redirect::to(next).into_response();
    let lifetime = accounts::SESSION_LIFETIME_MS / 1000;
    if let Some(cookie) = cookies::set(
        cookies::SESSION,
        &token,
        lifetime,
        "Lax",
        page.secure_cookies(),
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(data: FedData, posted: Posted<Empty>) -> PageResult {
    if let Some(token) = posted.page.session_token() {
        accounts::end_session(data.store.as_ref(), token).await?;
    }
    let mut response = Redirect::to("/").into_response();
    if let Some(cookie) = cookies::clear(cookies::SESSION, posted.page.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    page: &'a Page,
    token: String,
    admin_username: String,
    org_name: String,
    org_summary: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SetupQuery {
    #[serde(default)]
    token: String,
}

/// The page the link printed at first start opens: choose the admin's password and describe
/// the organisation.
pub async fn setup_form(page: Page, data: FedData, Query(q): Query<SetupQuery>) -> PageResult {
    let Some(admin) = accounts::setup_account(data.store.as_ref(), &q.token).await? else {
        return Ok(page.error(StatusCode::NOT_FOUND, "setup-link-invalid"));
    };
    let org = data.store.organisation_by_id(admin.organisation_id).await?;
    Ok(page.render(&SetupPage {
        page: &page,
        token: q.token,
        admin_username: admin.username,
        org_name: org.name,
        org_summary: crate::domain::text::html_text(&org.summary),
        error: None,
    }))
}

#[derive(Deserialize)]
pub struct SetupForm {
    token: String,
    password: String,
    org_name: String,
    #[serde(default)]
    org_summary: String,
}

pub async fn setup(data: FedData, posted: Posted<SetupForm>) -> PageResult {
    let Posted { page, form } = posted;
    let store = data.store.as_ref();
    let Some(admin) = accounts::setup_account(store, &form.token).await? else {
        return Ok(page.error(StatusCode::NOT_FOUND, "setup-link-invalid"));
    };
    let refuse = |message: String| {
        let mut response = page.render(&SetupPage {
            page: &page,
            token: form.token.clone(),
            admin_username: admin.username.clone(),
            org_name: form.org_name.clone(),
            org_summary: form.org_summary.clone(),
            error: Some(message),
        });
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        response
    };
    if form.org_name.trim().is_empty() {
        return Ok(refuse(page.t("setup-name-required")));
    }
    if let Err(e) = accounts::hash_password(&form.password) {
        return Ok(refuse(e.to_string()));
    }
    let staff = accounts::complete_setup(store, &form.token, &form.password).await?;
    let change = organisation::ProfileChange {
        name: Some(form.org_name.clone()),
        summary: Some(form.org_summary.clone()),
        ..Default::default()
    };
    organisation::update_profile(&data, &staff, change)
        .await
        .map_err(crate::web::error::ApiError::from)?;
    start_session(&data, &page, staff.account_id, "/staff").await
}

/// The language switch: remembers the choice for a year and returns to the page.
pub async fn choose_language(
    page: Page,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let mut response = Redirect::to(&local_path(q.next.as_deref())).into_response();
    if super::i18n::language_index(&code).is_some() {
        if let Some(cookie) = cookies::set(
            cookies::LANGUAGE,
            &code,
            365 * 24 * 3600,
            "Lax",
            page.secure_cookies(),
        ) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// The one stylesheet, cached for a day.
pub async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        include_str!("../static/gotong.css"),
    )
        .into_response()
}
