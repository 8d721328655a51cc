//! The ActivityPub adapter: wire types (`protocol`), our JSON (`render`), signing and
//! verifying HTTP requests (`signatures`), the inbox's checks and what received activities
//! do (`inbox`, `processing`, `activities`), the activities we send (`outbound`,
//! `referrals`) and the durable delivery queue (`delivery`), fetching remote actors,
//! objects, subscribed lists and a followed actor's directory (`actors`, `objects`,
//! `lists`, `backfill`), and the addresses we refuse (`addresses`).
//!
//! It imports only `domain`, `db` and `config`: the use cases that decide what to send are
//! in `crate::app`, which calls down into this module.

pub mod activities;
pub mod actors;
pub mod addresses;
pub mod backfill;
pub mod delivery;
pub mod error;
pub mod fetch_signer;
pub mod inbox;
pub mod lists;
pub mod objects;
pub mod outbound;
pub mod processing;
pub mod protocol;
pub mod referrals;
pub mod render;
pub mod signatures;
pub mod urls;

pub use error::{FederationError, FederationResult};
pub use urls::Urls;

use crate::{config::Config, db::Store};
use activitypub_federation::config::{Data, FederationConfig};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// True when both URLs belong to the same server: scheme, host and port alike, a trailing
/// dot aside (`a.example.` is `a.example`). (The federation crate's `verify_domains_match`
/// ignores ports, which tells two servers on one host apart too loosely.)
pub fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    use crate::domain::policy::server_of;
    a.scheme() == b.scheme() && server_of(a).is_some_and(|server| server_of(b) == Some(server))
}

/// What every part of a running node shares: passed in, never global. It lives here rather
/// than in `app` because the federation crate carries it to the inbox handlers and the
/// workers of this module (as [`FedData`]), and `federation` must not import `app`.
#[derive(Clone)]
pub struct NodeContext {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub urls: Urls,
    /// Our own HTTP client for deliveries (the federation crate has its own for fetches).
    pub http: reqwest::Client,
    /// Woken when a delivery is queued, so it goes out at once rather than at the next tick.
    pub wake_delivery: Arc<Notify>,
    /// Woken when an activity is stored in the inbox.
    pub wake_inbox: Arc<Notify>,
    /// Encrypts what is not public before it is stored.
    pub sealer: Arc<crate::domain::sealing::Sealer>,
}

/// The federation crate's request data, carrying our context.
pub type FedData = Data<NodeContext>;

/// The HTTP client used for every outgoing request. Outside development mode, host names that
/// resolve to non-public addresses are refused (see [`addresses`]).
pub fn http_client(config: &Config) -> reqwest::Result<reqwest::Client> {
    let timeout = Duration::from_secs(config.http_timeout_secs);
    reqwest::Client::builder()
        .user_agent(format!(
            "Gotong/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            config.base_url()
        ))
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(addresses::CheckedResolver {
            validate: !config.dev,
        }))
        .build()
}

/// Refuses fetches from servers this node does not federate with (WebFinger, actors,
/// collections: everything the federation crate fetches goes through here).
#[derive(Clone)]
struct PolicyVerifier {
    store: Arc<dyn Store>,
    dev: bool,
}

#[async_trait::async_trait]
impl activitypub_federation::config::UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &url::Url) -> Result<(), activitypub_federation::error::Error> {
        use activitypub_federation::error::Error;
        if !self.dev && addresses::literal_non_public(url) {
            return Err(Error::UrlVerificationError(
                "refusing to fetch from a non-public address",
            ));
        }
        let policy = crate::domain::policy::load(self.store.as_ref())
            .await
            .map_err(|e| Error::Other(e.to_string()))?;
        if policy.permits_url(url) {
            Ok(())
        } else {
            Err(Error::UrlVerificationError(
                "blocked by this node's federation policy",
            ))
        }
    }
}

/// Builds the context and the federation crate's configuration around it. Opens the node's
/// secret key first and refuses (with the reason) when it is not the database's.
pub async fn federation_config(
    config: Arc<Config>,
    store: Arc<dyn Store>,
) -> anyhow::Result<FederationConfig<NodeContext>> {
    let http = http_client(&config)?;
    let sealer = Arc::new(
        crate::domain::secret_key::unlock(store.as_ref(), config.secret_key_file.as_ref()).await?,
    );
    let context = NodeContext {
        sealer: sealer.clone(),
        urls: Urls::new(&config),
        store: store.clone(),
        http: http.clone(),
        config: config.clone(),
        wake_delivery: Arc::new(Notify::new()),
        wake_inbox: Arc::new(Notify::new()),
    };
    // Fetches are signed by the node's first organisation with its current key (see
    // `fetch_signer`), so servers that serve only signed requests answer them.
    let client = reqwest_middleware::ClientBuilder::new(http)
        .with(fetch_signer::FetchSigner {
            store: store.clone(),
            sealer,
            urls: context.urls.clone(),
        })
        .build();
    Ok(FederationConfig::builder()
        .domain(config.domain.clone())
        .url_verifier(Box::new(PolicyVerifier {
            store,
            dev: config.dev,
        }))
        .app_data(context)
        .client(client)
        .debug(config.dev)
        .allow_http_urls(config.dev)
        .request_timeout(Duration::from_secs(config.http_timeout_secs))
        // At most this many fetches while handling one incoming activity.
        .http_fetch_limit(25)
        .build()
        .await?)
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn same_origin_ignores_a_trailing_dot_but_not_scheme_or_port() {
        let url = |s: &str| url::Url::parse(s).expect("url");
        assert!(same_origin(
            &url("https://a.example./u"),
            &url("https://a.example/u")
        ));
        assert!(same_origin(
            &url("https://A.example/u"),
            &url("https://a.example:443/x")
        ));
        assert!(same_origin(
            &url("http://a.example.:8080/u"),
            &url("http://a.example:8080/")
        ));
        // Controls: other servers stay other servers.
        assert!(!same_origin(
            &url("https://a.example/u"),
            &url("http://a.example/u")
        ));
        assert!(!same_origin(
            &url("https://a.example/u"),
            &url("https://a.example:8443/u")
        ));
        assert!(!same_origin(
            &url("https://a.example/u"),
            &url("https://b.a.example/u")
        ));
        assert!(!same_origin(&url("file:///u"), &url("file:///u")));
    }
}
