//! The browser interface: server-rendered pages (askama templates in `web/templates`), one
//! stylesheet, interface text from Fluent catalogues (`web/locales`). Every page works without
//! JavaScript.

pub mod admin;
pub mod compose;
pub mod cookies;
pub mod directory;
pub mod directory_remote;
pub mod directory_view;
pub mod forms;
pub mod i18n;
pub mod login;
pub mod network;
pub mod next_path;
pub mod page;
pub mod public;
pub mod referrals;
pub mod staff;
pub mod templates;

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
    routing::{get, post},
    Extension, Router,
};
use std::sync::Arc;

pub fn routes(catalog: Arc<i18n::Catalog>) -> Router {
    Router::new()
        .route("/", get(public::home))
        .route("/login", get(login::login_form).post(login::login))
        .route("/logout", post(login::logout))
        .route("/setup", get(login::setup_form).post(login::setup))
        .route("/lang/{code}", get(login::choose_language))
        .route("/static/gotong.css", get(login::stylesheet))
        .route("/staff", get(staff::home))
        .merge(directory::routes())
        .merge(compose::routes())
        .merge(network::routes())
        .merge(referrals::routes())
        .merge(admin::routes())
        .layer(axum::middleware::from_fn(page_headers))
        .layer(Extension(catalog))
}

/// Headers for every HTML page. The content security policy allows no script but our own
/// and no inline script, so remote HTML that slipped a script past sanitising stays inert;
/// pages cannot be framed (clickjacking) and send no referrer to other sites.
pub async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

/// Escapes text for HTML outside templates (templates escape by themselves).
pub fn escape(text: &str) -> String {
    crate::domain::text::escape(text)
}
