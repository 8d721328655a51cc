//! Who is calling the staff API: a bearer token, resolved to a staff member.

use super::error::ApiError;
use crate::domain::accounts::{authenticate_token, Staff};
use crate::federation::NodeContext;
use activitypub_federation::config::FederationConfig;
use axum::{extract::FromRequestParts, http::request::Parts, http::StatusCode};

/// A handler argument that requires `Authorization: Bearer <token>`.
pub struct Authenticated(pub Staff);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "missing bearer token"))?;
        let federation = parts
            .extensions
            .get::<FederationConfig<NodeContext>>()
            .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))?;
        let staff = authenticate_token(federation.store.as_ref(), token.trim())
            .await
            .map_err(|e| match e {
                crate::domain::DomainError::Unauthenticated => {
                    ApiError::new(StatusCode::UNAUTHORIZED, "invalid or revoked token")
                }
                other => other.into(),
            })?;
        Ok(Authenticated(staff))
    }
}
