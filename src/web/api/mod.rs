//! The staff JSON API under `/api/v1`: bearer tokens, JSON in and out, JSON errors.
//!
//! Every endpoint is registered through [`ApiRoutes`], which keeps the list of (method, path)
//! pairs it serves: axum cannot list a router's routes, and the OpenAPI test compares this
//! list with the generated document.

mod accounts;
mod admin;
pub mod directory;
mod follows;
mod moderation;
mod objects;
pub mod openapi;
mod referral_types;
mod referrals;
mod subscriptions;

use axum::{
    handler::Handler,
    http::Method,
    routing::{on, MethodFilter},
    Router,
};

/// A router that remembers what it serves.
#[derive(Default)]
pub struct ApiRoutes {
    router: Router,
    table: Vec<(Method, String)>,
}

impl ApiRoutes {
    /// Serves `handler` for `method` at `path` (axum merges several methods on one path).
    pub fn on<H, T>(mut self, method: Method, path: &str, handler: H) -> Self
    where
        H: Handler<T, ()>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone())
            .unwrap_or_else(|_| panic!("{method} cannot be routed"));
        self.router = self.router.route(path, on(filter, handler));
        self.table.push((method, path.to_string()));
        self
    }

    pub fn merge(mut self, other: ApiRoutes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }
}

fn all() -> ApiRoutes {
    ApiRoutes::default()
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(follows::routes())
        .merge(objects::routes())
        .merge(directory::routes())
        .merge(referrals::routes())
        .merge(moderation::routes())
        .merge(subscriptions::routes())
        .merge(openapi::routes())
}

pub fn routes() -> Router {
    all().router
}

/// Every (method, path) the API serves, paths in axum's `{param}` form (as OpenAPI writes
/// them).
pub fn route_table() -> Vec<(Method, String)> {
    all().table
}
