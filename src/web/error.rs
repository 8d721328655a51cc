//! The one place where errors become HTTP responses: `{"error": "..."}` with a status code.
//! Clients get a safe message; internal causes go to the log only.

use crate::domain::{fields::FieldError, DomainError};
use crate::{db::DbError, federation::FederationError};
use axum::{http::StatusCode, response::IntoResponse, Json};

/// What every refusal carries.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A human-readable explanation (English).
    pub error: String,
    /// With 422: each field at fault, with a stable code to translate; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub fields: Vec<FieldError>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Set when the domain named the fields at fault.
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!("internal error: {cause}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let status = match &e {
            DomainError::NotFound(_) => StatusCode::NOT_FOUND,
            DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            DomainError::Fields(fields) => {
                let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string());
                error.fields = fields.clone();
                return error;
            }
            DomainError::Conflict(_) => StatusCode::CONFLICT,
            DomainError::Unauthenticated => StatusCode::UNAUTHORIZED,
            DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
            DomainError::Db(DbError::NotFound) => StatusCode::NOT_FOUND,
            DomainError::Db(_) | DomainError::Internal(_) => return ApiError::internal(&e),
        };
        let message = match &e {
            DomainError::Db(DbError::NotFound) => "not found".to_string(),
            other => other.to_string(),
        };
        ApiError::new(status, message)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        DomainError::from(e).into()
    }
}

impl From<FederationError> for ApiError {
    fn from(e: FederationError) -> Self {
        match e {
            FederationError::Unauthorized(m) => ApiError::new(StatusCode::UNAUTHORIZED, m),
            FederationError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, m),
            FederationError::BadRequest(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            FederationError::PayloadTooLarge(m) => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, m),
            FederationError::Remote(m) => {
                tracing::info!("remote failure: {m}");
                ApiError::new(StatusCode::BAD_GATEWAY, format!("remote server: {m}"))
            }
            FederationError::Domain(d) => d.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        let body = ErrorBody {
            error: self.message,
            fields: self.fields,
        };
        (self.status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
