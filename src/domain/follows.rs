//! Follow relations between local organisations and remote actors, and their states.

use super::{DomainError, DomainResult};

/// A follow starts `Pending` until the followed side answers `Accept` or `Reject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowState {
    Pending,
    Accepted,
    Rejected,
}

impl FollowState {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowState::Pending => "pending",
            FollowState::Accepted => "accepted",
            FollowState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> DomainResult<FollowState> {
        match s {
            "pending" => Ok(FollowState::Pending),
            "accepted" => Ok(FollowState::Accepted),
            "rejected" => Ok(FollowState::Rejected),
            other => Err(DomainError::Internal(format!(
                "unknown follow state {other:?}"
            ))),
        }
    }
}

/// Splits `handle@domain` (an optional leading `@` and `acct:` are allowed).
pub fn parse_account_handle(input: &str) -> DomainResult<(String, String)> {
    let trimmed = input
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    match trimmed.split_once('@') {
        Some((user, domain)) if !user.is_empty() && !domain.is_empty() && !domain.contains('@') => {
            Ok((user.to_string(), domain.to_lowercase()))
        }
        _ => Err(DomainError::Invalid(format!(
            "{input:?} is not a handle of the form name@domain"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_parse() {
        assert_eq!(
            parse_account_handle("@ngo@Node.Example:8080").expect("ok"),
            ("ngo".to_string(), "node.example:8080".to_string())
        );
        assert!(parse_account_handle("no-domain").is_err());
        assert!(parse_account_handle("a@b@c").is_err());
    }
}
