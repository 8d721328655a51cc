//! The federation layer's error: what a remote server or a local caller is told, and why.

use crate::domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// The request is not signed, or not by whom it claims (401 lets a sender retry with
    /// another signature scheme).
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A remote server could not be reached or answered nonsense.
    #[error("remote server: {0}")]
    Remote(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<crate::db::DbError> for FederationError {
    fn from(e: crate::db::DbError) -> Self {
        FederationError::Domain(e.into())
    }
}

impl From<activitypub_federation::error::Error> for FederationError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error;
        match e {
            // Refused by this node's own rules (a non-public address, a blocked server): no
            // retry will change that, so it is not a remote failure.
            Error::UrlVerificationError(_)
            | Error::DomainResolveError(_)
            | Error::ResolveInternalIpError(..) => FederationError::Forbidden(e.to_string()),
            other => FederationError::Remote(other.to_string()),
        }
    }
}

impl FederationError {
    /// Worth trying again later: the network or the database failed, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FederationError::Remote(_)
                | FederationError::Domain(DomainError::Db(crate::db::DbError::Sqlx(_)))
        )
    }
}

pub type FederationResult<T> = Result<T, FederationError>;
