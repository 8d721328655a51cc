//! Signs every GET this node sends through the federation crate (actors, objects,
//! collections, WebFinger), so servers that serve only signed requests (authorised fetch)
//! answer them. The key is read from the database at each fetch, not held from start-up: a
//! rotated key is used from the next fetch on, by every process sharing the database.

use super::{signatures, Urls};
use crate::db::Store;
use crate::domain::{organisations, sealing::Sealer};
use axum::http::Extensions;
use reqwest::header::ACCEPT;
use reqwest::{Method, Request, Response};
use reqwest_middleware::{Middleware, Next};
use std::sync::Arc;
use tracing::warn;

pub struct FetchSigner {
    pub store: Arc<dyn Store>,
    pub sealer: Arc<Sealer>,
    pub urls: Urls,
}

impl FetchSigner {
    /// The key id and private key of the node's first organisation, the one that signs
    /// fetches; `None` before any organisation exists.
    async fn signing_key(&self) -> anyhow::Result<Option<(String, String)>> {
        let Some(org) = self.store.list_organisations().await?.into_iter().next() else {
            return Ok(None);
        };
        let pem = organisations::signing_key(&self.sealer, &org)?;
        Ok(Some((self.urls.key_id(&org.handle), pem)))
    }
}

#[async_trait::async_trait]
impl Middleware for FetchSigner {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if request.method() == Method::GET && !request.headers().contains_key("signature") {
            match self.signing_key().await {
                Ok(Some((key_id, pem))) => {
                    let accept = request
                        .headers()
                        .get(ACCEPT)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let url = request.url().clone();
                    match signatures::sign_request(
                        "GET",
                        &url,
                        None,
                        accept.as_deref(),
                        &key_id,
                        &pem,
                    ) {
                        Ok(headers) => request.headers_mut().extend(headers),
                        Err(e) => warn!("cannot sign the fetch of {url}: {e}"),
                    }
                }
                Ok(None) => {}
                Err(e) => warn!("cannot sign fetches: {e}"),
            }
        }
        next.run(request, extensions).await
    }
}
