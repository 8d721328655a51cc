//! Follow relations between local organisations and remote actors, and their states.

use super::{DomainError, DomainResult};

// Stored in a follow's row, so defined with the stored vocabulary (see `db::values`).
pub use crate::db::values::FollowState;

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
