//! The staff JSON API under `/api/v1`: bearer tokens, JSON in and out, JSON errors.

mod accounts;
mod admin;
mod follows;
mod updates;

use axum::Router;

pub fn routes() -> Router {
    Router::new()
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(follows::routes())
        .merge(updates::routes())
}
