//! Organisations, accounts, posts and follows: types and rules, no HTTP and no SQL.
//!
//! Functions here take the `Store` and enforce the rules; they never send anything over the
//! network (that is `federation`'s job, started by the use cases in `app` or by the inbox)
//! and never write SQL (that is `db`'s). What touches only this node (accounts and roles,
//! the federation policy, referral intake, subscribing to a list) is called from here
//! directly by the pages, the API and the command line.

pub mod accounts;
pub mod casework;
pub mod export;
pub mod fields;
pub mod follows;
pub mod languages;
pub mod moderation;
pub mod objects;
pub mod organisations;
pub mod policy;
pub mod posts;
pub mod referral_intake;
pub mod referrals;
pub mod remote;
pub mod retention;
pub mod sealing;
pub mod secret_key;
pub mod staff_admin;
pub mod subscriptions;
pub mod text;
pub mod vocab;

use crate::db::DbError;

/// What went wrong in a domain operation. The web layer maps each kind to a status code;
/// only `Db` and `Internal` carry causes that must stay out of responses.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(String),
    /// Fields the request got wrong, each with a code the pages translate.
    #[error("{}", fields::messages(.0))]
    Fields(Vec<fields::FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Db(DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for DomainError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Conflict(what) => DomainError::Conflict(what),
            other => DomainError::Db(other),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
