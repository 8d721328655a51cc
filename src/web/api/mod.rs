//! The staff JSON API under `/api/v1`: bearer tokens, JSON in and out, JSON errors.

mod accounts;
mod admin;
pub mod directory;
mod follows;
mod moderation;
mod objects;
mod referrals;
mod subscriptions;

use axum::Router;

pub fn routes() -> Router {
    Router::new()
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(follows::routes())
        .merge(objects::routes())
        .merge(directory::routes())
        .merge(referrals::routes())
        .merge(moderation::routes())
        .merge(subscriptions::routes())
}
