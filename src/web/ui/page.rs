//! What every page knows about its request: the reader's language, the signed-in staff member
//! if any, the CSRF token for its forms. Pages render through `Page::render`, which adds the
//! security and cache headers.

use super::{cookies, i18n, i18n::Catalog};
use crate::domain::accounts::{self, Role, Staff};
use crate::federation::NodeContext;
use activitypub_federation::config::FederationConfig;
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use fluent_bundle::FluentArgs;
use std::sync::Arc;

pub struct Page {
    catalog: Arc<Catalog>,
    /// Index into `i18n::LANGUAGES`.
    pub lang: usize,
    pub staff: Option<Staff>,
    /// The token every form on the page carries in `_csrf`.
    pub csrf: String,
    /// Set when the visitor had no CSRF cookie yet: `render` sends it.
    new_anon_csrf: Option<String>,
    pub domain: String,
    /// The request's path and query, for "come back here" links.
    pub here: String,
    secure_cookies: bool,
    session_token: Option<String>,
}

impl Page {
    /// The signed-in session's secret (for signing out).
    pub fn session_token(&self) -> Option<&str> {
        self.staff.as_ref().and(self.session_token.as_deref())
    }

    pub fn t(&self, key: &str) -> String {
        self.catalog.message(self.lang, key, None)
    }

    /// A message with one argument, `{ $name }` in the catalogue.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), value.to_string());
        self.catalog.message(self.lang, key, Some(&args))
    }

    /// A message with several arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(name.to_string(), value.clone());
        }
        self.catalog.message(self.lang, key, Some(&fluent))
    }

    pub fn lang_code(&self) -> &'static str {
        i18n::LANGUAGES
            .get(self.lang)
            .map_or("en", |(code, _)| code)
    }

    /// The language switch: (code, own name, link, is current).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, String, bool)> {
        let next = url_encode(&self.here);
        i18n::LANGUAGES
            .iter()
            .enumerate()
            .map(|(i, (code, name))| {
                (
                    *code,
                    *name,
                    format!("/lang/{code}?next={next}"),
                    i == self.lang,
                )
            })
            .collect()
    }

    pub fn signed_in(&self) -> bool {
        self.staff.is_some()
    }

    /// Whether the signed-in member has `role` (admins have every role).
    pub fn can(&self, role: &str) -> bool {
        let wanted = Role::parse(role).ok();
        self.staff
            .as_ref()
            .is_some_and(|s| s.role == Role::Admin || Some(s.role) == wanted)
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    /// The rendered template with the page headers. Pages for signed-in staff are never
    /// stored by caches (they may show casework); public pages are revalidated.
    pub fn render(&self, template: &impl askama::Template) -> Response {
        let html = match template.render() {
            Ok(html) => html,
            Err(e) => return PageError::internal(&e).into_response(),
        };
        let mut response = Html(html).into_response();
        let cache = if self.staff.is_some() {
            "no-store"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if let Some(secret) = &self.new_anon_csrf {
            if let Some(cookie) = cookies::set(
                cookies::ANON_CSRF,
                secret,
                24 * 3600,
                "Strict",
                self.secure_cookies,
            ) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        response
    }

    /// An error page in the reader's language, with a message from the catalogue.
    pub fn error(&self, status: StatusCode, key: &str) -> Response {
        let template = super::templates::ErrorPage {
            page: self,
            status: status.as_u16(),
            message: self.t(key),
        };
        let mut response = self.render(&template);
        *response.status_mut() = status;
        response
    }
}

#[cfg(test)]
impl Page {
    /// A page for template unit tests: English, with `staff` signed in (or a visitor).
    pub fn for_tests(staff: Option<Staff>) -> Page {
        Page {
            catalog: Arc::new(Catalog::load().expect("shipped catalogues")),
            lang: 0,
            staff,
            csrf: "test-csrf".into(),
            new_anon_csrf: None,
            domain: "a.example".into(),
            here: "/".into(),
            secure_cookies: true,
            session_token: None,
        }
    }
}

/// Percent-encodes a path for use as a query value.
pub fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub use super::next_path::local_path;

fn node(parts: &Parts) -> Result<FederationConfig<NodeContext>, PageError> {
    parts
        .extensions
        .get::<FederationConfig<NodeContext>>()
        .cloned()
        .ok_or_else(|| PageError::internal(&"federation config missing"))
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let node = node(parts)?;
        let catalog = parts
            .extensions
            .get::<Arc<Catalog>>()
            .cloned()
            .ok_or_else(|| PageError::internal(&"catalogue missing"))?;
        let headers = &parts.headers;
        let lang = cookies::read(headers, cookies::LANGUAGE)
            .and_then(|code| i18n::language_index(&code))
            .or_else(|| {
                let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
                Some(i18n::negotiate(accept))
            })
            .unwrap_or(0);
        let session = cookies::read(headers, cookies::SESSION);
        let staff = match &session {
            Some(token) => {
                match accounts::session_staff(node.store.as_ref(), token, crate::db::now_ms()).await
                {
                    Ok(staff) => Some(staff),
                    Err(crate::domain::DomainError::Unauthenticated) => None,
                    Err(e) => return Err(PageError::internal(&e)),
                }
            }
            None => None,
        };
        let anon = cookies::read(headers, cookies::ANON_CSRF);
        let (csrf, new_anon_csrf) = match (&staff, session.clone(), anon) {
            (Some(_), Some(token), _) => (accounts::derived_secret("csrf", &token), None),
            (_, _, Some(secret)) => (accounts::derived_secret("csrf-anonymous", &secret), None),
            _ => {
                let secret = accounts::random_secret();
                (
                    accounts::derived_secret("csrf-anonymous", &secret),
                    Some(secret),
                )
            }
        };
        Ok(Page {
            catalog,
            lang,
            staff,
            csrf,
            new_anon_csrf,
            domain: node.config.domain.clone(),
            here: parts
                .uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.as_str().to_string()),
            secure_cookies: !node.config.dev,
            session_token: session,
        })
    }
}

/// A page for signed-in staff: anyone else is sent to the sign-in page, and comes back here
/// afterwards.
pub struct StaffPage(pub Page, pub Staff);

impl<S: Send + Sync> FromRequestParts<S> for StaffPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let page = Page::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match page.staff.clone() {
            Some(staff) => Ok(StaffPage(page, staff)),
            None => Err(
                Redirect::to(&format!("/login?next={}", url_encode(&page.here))).into_response(),
            ),
        }
    }
}

/// Failures that happen before a page can be rendered in the reader's language.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn internal(cause: &dyn std::fmt::Display) -> PageError {
        tracing::error!("page failed: {cause}");
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "Something went wrong on this server.".into(),
        }
    }
}

impl From<crate::web::error::ApiError> for PageError {
    fn from(e: crate::web::error::ApiError) -> PageError {
        PageError {
            status: e.status,
            message: e.message,
        }
    }
}

impl From<crate::domain::DomainError> for PageError {
    fn from(e: crate::domain::DomainError) -> PageError {
        crate::web::error::ApiError::from(e).into()
    }
}

impl From<crate::db::DbError> for PageError {
    fn from(e: crate::db::DbError) -> PageError {
        crate::web::error::ApiError::from(e).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{status}</title><link rel=\"stylesheet\" href=\"/static/gotong.css\"></head>\
             <body><main id=\"main\"><h1>{status}</h1><p>{message}</p><p><a href=\"/\">Gotong</a></p>\
             </main></body></html>",
            status = self.status,
            message = super::escape(&self.message),
        );
        (self.status, Html(body)).into_response()
    }
}

pub type PageResult<T = Response> = Result<T, PageError>;
