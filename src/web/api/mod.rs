//! The staff JSON API under `/api/v1`: bearer tokens, JSON in and out, JSON errors.

mod accounts;
mod admin;
pub mod directory;
mod follows;
mod objects;
mod referrals;

use axum::Router;

pub fn routes() -> Router {
    Router::new()
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(follows::routes())
        .merge(objects::routes())
        .merge(directory::routes())
        .merge(referrals::routes())
}
