//! Signed GETs: who is fetching, proven by an HTTP signature. Used by authorised fetch (when
//! `authorized_fetch` is on, ActivityPub JSON is served only to signed requests from servers
//! this node federates with) and by referrals (served to the other party only).

use super::error::ApiError;
use super::wants_activity_json;
use crate::federation::actors::RemoteActor;
use crate::federation::{
    inbox, signatures, FedData, FederationError, FederationResult, NodeContext,
};
use activitypub_federation::config::FederationConfig;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::{http::request::Parts, http::StatusCode};
use std::collections::BTreeMap;

/// The remote actor whose signature this GET carries.
pub async fn verify_get(data: &FedData, parts: &Parts) -> FederationResult<RemoteActor> {
    let headers: BTreeMap<String, String> = parts
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    // The path as the client sent it (a nested router would strip its prefix from `uri`),
    // since that is what the signature's `(request-target)` names.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string());
    let signature = signatures::parse_signature("GET", &path, &headers, false, &data.config.domain)
        .map_err(|e| FederationError::Unauthorized(e.to_string()))?;
    let policy = crate::domain::policy::load(data.store.as_ref()).await?;
    let signer = inbox::verified_signer(data, &signature, crate::db::now_ms()).await?;
    let signer_url =
        url::Url::parse(&signer.row.ap_id).map_err(|e| FederationError::Remote(e.to_string()))?;
    if !policy.permits_url(&signer_url) {
        return Err(FederationError::Forbidden(
            "this node does not federate with the signer".into(),
        ));
    }
    Ok(signer)
}

pub fn data_of(parts: &Parts) -> Result<FedData, ApiError> {
    parts
        .extensions
        .get::<FederationConfig<NodeContext>>()
        .map(FederationConfig::to_request_data)
        .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))
}

/// A handler argument for ActivityPub collections, which answer JSON whatever the request
/// asks: with authorised fetch on, a request without a valid signature is refused (401).
pub struct SignedFetch;

/// The same for objects that also have a page for browsers: a request that does not ask for
/// ActivityPub JSON gets the page, which is public.
pub struct SignedFetchUnlessPage;

impl<S: Send + Sync> FromRequestParts<S> for SignedFetch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        require_signature(parts).await.map(|()| SignedFetch)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedFetchUnlessPage {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if !wants_activity_json(&parts.headers) {
            return Ok(SignedFetchUnlessPage);
        }
        require_signature(parts)
            .await
            .map(|()| SignedFetchUnlessPage)
    }
}

async fn require_signature(parts: &Parts) -> Result<(), ApiError> {
    let data = data_of(parts)?;
    if !data.config.authorized_fetch {
        return Ok(());
    }
    match verify_get(&data, parts).await {
        Ok(_) => Ok(()),
        Err(FederationError::Forbidden(m)) => Err(ApiError::new(StatusCode::FORBIDDEN, m)),
        Err(FederationError::Unauthorized(reason)) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            format!(
                "this node serves ActivityPub only to signed requests (authorised fetch): {reason}"
            ),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this node serves ActivityPub only to signed requests (authorised fetch)",
        )),
    }
}
