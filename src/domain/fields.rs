//! Field-level validation errors: which field, a stable code, and the values a message needs.
//! The API returns them as they are; the pages translate them by code, never by reading the
//! English text.

use super::DomainError;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The codes, each with what its parameters are. Clients and translations rely on them.
pub const CODES: [(&str, &str); 9] = [
    ("required", "the field is empty"),
    ("too_long", "`length` characters; the limit is `max`"),
    ("unknown_code", "`value` is not in the field's vocabulary"),
    ("invalid_language", "`value` is not a BCP 47 language tag"),
    (
        "invalid_tag",
        "`value` is not 1 to 40 letters, digits, '-' or '_'",
    ),
    ("not_in_future", "the date must be in the future"),
    ("too_small", "the number must be at least `min`"),
    (
        "not_own_program",
        "not one of the organisation's own programs",
    ),
    (
        "consent_missing",
        "neither consent given nor an override justification",
    ),
];

/// One field a request got wrong.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's name in the JSON request (`themes`, `validUntil`, `person.reference`).
    pub field: &'static str,
    /// What is wrong: `required`, `too_long`, `unknown_code`, `invalid_language`,
    /// `invalid_tag`, `not_in_future`, `too_small`, `not_own_program`, `consent_missing`.
    pub code: &'static str,
    /// The values the message needs: `value`, `length`, `max`, `min`.
    #[schema(value_type = Object)]
    pub params: BTreeMap<&'static str, Value>,
    /// The English explanation, for the API's `error` and for logs.
    #[serde(skip)]
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(CODES.iter().any(|(c, _)| *c == code), "undocumented {code}");
        FieldError {
            field,
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.params.insert(name, value.into());
        self
    }

    pub fn required(field: &'static str, message: impl Into<String>) -> Self {
        FieldError::new(field, "required", message)
    }

    /// `value` may be at most `max` characters.
    pub fn check_length(field: &'static str, value: &str, max: usize) -> Result<(), FieldError> {
        let length = value.chars().count();
        if length > max {
            let message = format!("{field} is {length} characters; the limit is {max}");
            return Err(FieldError::new(field, "too_long", message)
                .with("length", length)
                .with("max", max));
        }
        Ok(())
    }
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Fields(vec![e])
    }
}

/// Collects every field error of a validation, so a form can show them all at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn check(&mut self, result: Result<(), FieldError>) {
        if let Err(e) = result {
            self.0.push(e);
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Adds the field errors of `result`; any other error is returned at once.
    pub fn absorb(&mut self, result: Result<(), DomainError>) -> Result<(), DomainError> {
        match result {
            Ok(()) => Ok(()),
            Err(DomainError::Fields(list)) => {
                self.0.extend(list);
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Fields(self.0))
        }
    }
}

/// The English messages of `errors`, one sentence after another.
pub fn messages(errors: &[FieldError]) -> String {
    let list: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    list.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_collect_and_keep_their_parameters() {
        let mut errors = FieldErrors::default();
        errors.check(FieldError::check_length("name", "abc", 3));
        assert!(errors.0.is_empty(), "at the limit is fine");
        errors.check(FieldError::check_length("name", "abcd", 3));
        errors.push(FieldError::required("text", "text must not be empty"));
        let Err(DomainError::Fields(list)) = errors.finish() else {
            panic!("two errors expected");
        };
        assert_eq!(list[0].code, "too_long");
        assert_eq!(list[0].params["length"], 4);
        assert_eq!(list[0].params["max"], 3);
        assert_eq!(
            DomainError::Fields(list).to_string(),
            "name is 4 characters; the limit is 3; text must not be empty"
        );
    }

    #[test]
    fn the_json_has_field_code_and_params_only() {
        let e = FieldError::new("themes", "unknown_code", "themes: unknown").with("value", "x");
        assert_eq!(
            serde_json::to_value(&e).expect("json"),
            serde_json::json!({ "field": "themes", "code": "unknown_code", "params": { "value": "x" } })
        );
    }
}
