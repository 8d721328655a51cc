//! Form posts from the interface. Every form carries the page's CSRF token in `_csrf`; a post
//! without it, with another token, or from another site's page (its `Origin`) is refused
//! before the handler runs (OWASP's synchronizer-token pattern, with an origin check).

use super::page::Page;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

/// A checked form post: the page it came from and the fields, parsed as `T`.
pub struct Posted<T> {
    pub page: Page,
    pub form: T,
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !same_origin(&parts.headers, &page) {
            return Err(page.error(StatusCode::FORBIDDEN, "error-csrf"));
        }
        let req = Request::from_parts(parts, body);
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(_) => return Err(page.error(StatusCode::PAYLOAD_TOO_LARGE, "error-too-large")),
        };
        let token = serde_html_form::from_bytes::<CsrfField>(&bytes)
            .map(|f| f.csrf)
            .unwrap_or_default();
        if !constant_time_eq(token.as_bytes(), page.csrf.as_bytes()) {
            return Err(page.error(StatusCode::FORBIDDEN, "error-csrf"));
        }
        match serde_html_form::from_bytes::<T>(&bytes) {
            Ok(form) => Ok(Posted { page, form }),
            Err(e) => {
                tracing::debug!("unreadable form: {e}");
                Err(page.error(StatusCode::BAD_REQUEST, "error-bad-form"))
            }
        }
    }
}

/// When the browser names the page's origin, it must be this node (any scheme: behind a
/// TLS-terminating proxy the node may not know which one the visitor used).
fn same_origin(headers: &axum::http::HeaderMap, page: &Page) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .is_some_and(|host| host.eq_ignore_ascii_case(&page.domain))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
