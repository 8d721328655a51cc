//! The interface's cookies: the staff session, the anonymous CSRF secret and the language.
//! All are `HttpOnly` and `SameSite`; `Secure` outside development mode (where nodes run on
//! plain http).

use axum::http::{header, HeaderMap, HeaderValue};

pub const SESSION: &str = "gotong_session";
pub const ANON_CSRF: &str = "gotong_csrf";
pub const LANGUAGE: &str = "gotong_lang";

/// The value of cookie `name` in the request, if present and non-empty.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value. `same_site` is `Strict` for the CSRF secret, `Lax` for the session
/// so that a link to the node from elsewhere still arrives signed in (every form checks its
/// CSRF token, so Lax does not open forms to other sites).
pub fn set(
    name: &str,
    value: &str,
    max_age_secs: i64,
    same_site: &str,
    secure: bool,
) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .ok()
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> Option<HeaderValue> {
    set(name, "", 0, "Lax", secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; gotong_session=abc; gotong_lang=th"),
        );
        assert_eq!(read(&headers, SESSION).as_deref(), Some("abc"));
        assert_eq!(read(&headers, LANGUAGE).as_deref(), Some("th"));
        assert_eq!(read(&headers, ANON_CSRF), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_outside_dev() {
        let value = set(SESSION, "x", 60, "Lax", true).expect("valid");
        let text = value.to_str().expect("ascii");
        assert!(
            text.contains("HttpOnly") && text.contains("Secure") && text.contains("SameSite=Lax")
        );
        let dev = set(SESSION, "x", 60, "Lax", false).expect("valid");
        assert!(!dev.to_str().expect("ascii").contains("Secure"));
    }
}
