//! Request rate limits: per remote server on inboxes, per client address on the API, and a
//! tighter one on logins. Over the limit, a request gets 429 with `Retry-After`.

use super::error::ApiError;
use crate::config::Config;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const WINDOW: Duration = Duration::from_secs(60);

/// Fixed one-minute windows per key. Memory stays bounded: windows that ended are dropped
/// whenever the table grows large.
#[derive(Clone)]
pub struct RateLimits {
    windows: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
    /// Sender hosts whose signatures have verified here (an inbox answered 2xx): only they
    /// are counted by host; a host never seen is counted by the client's address, so
    /// inventing a new host per request does not escape the limit.
    verified_hosts: Arc<Mutex<std::collections::HashSet<String>>>,
    inbox_per_minute: u32,
    api_per_minute: u32,
    login_per_minute: u32,
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        RateLimits {
            windows: Arc::default(),
            verified_hosts: Arc::default(),
            inbox_per_minute: config.inbox_rate_per_minute,
            api_per_minute: config.api_rate_per_minute,
            login_per_minute: config.login_rate_per_minute,
        }
    }

    /// Counts one request for `key`; `Err(seconds)` to wait when over `limit`.
    fn hit(&self, key: String, limit: u32) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > limit {
            let left = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        Ok(())
    }
}

/// The server a signed request says it comes from (its keyId's host), unverified: enough to
/// count requests by sender.
fn signer_host(request: &Request) -> Option<String> {
    let signature = request.headers().get("signature")?.to_str().ok()?;
    let start = signature.find("keyId=\"")? + 7;
    let key_id = &signature[start..];
    let url = url::Url::parse(&key_id[..key_id.find('"')?]).ok()?;
    // Normalised, so `a.example.` is counted with `a.example`.
    crate::domain::policy::server_of(&url)
}

pub async fn limit(
    State(limits): State<RateLimits>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let ip = peer.ip().to_string();
    let inbox = request.method() == Method::POST && (path == "/inbox" || path.ends_with("/inbox"));
    let sender = if inbox { signer_host(&request) } else { None };
    let verdict = if inbox {
        let known = sender.as_ref().is_some_and(|host| {
            limits
                .verified_hosts
                .lock()
                .map(|set| set.contains(host))
                .unwrap_or(false)
        });
        let key = match (&sender, known) {
            (Some(host), true) => format!("inbox:{host}"),
            _ => format!("inbox-address:{ip}"),
        };
        limits.hit(key, limits.inbox_per_minute)
    } else if path == "/api/v1/login"
        || path == "/api/v1/setup"
        || (request.method() == Method::POST && (path == "/login" || path == "/setup"))
    {
        limits.hit(format!("login:{ip}"), limits.login_per_minute)
    } else if path.starts_with("/api/") {
        limits.hit(format!("api:{ip}"), limits.api_per_minute)
    } else {
        Ok(())
    };
    match verdict {
        Ok(()) => {
            let response = next.run(request).await;
            if let (Some(host), true) = (sender, response.status().is_success()) {
                let newly_verified = limits
                    .verified_hosts
                    .lock()
                    .map(|mut set| set.len() < 100_000 && set.insert(host.clone()))
                    .unwrap_or(false);
                if newly_verified {
                    // Its first request counts for the host too, as later ones will.
                    let _ = limits.hit(format!("inbox:{host}"), limits.inbox_per_minute);
                }
            }
            response
        }
        Err(wait) => {
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests; retry in {wait} s"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}
