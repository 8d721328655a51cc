//! Where a refused form's errors go: each on the field it is about, with a message in the
//! reader's language chosen by the error's code (the server's English is never parsed).

use crate::domain::fields;

/// A field the form could not accept: the field's name (its `id` in the form), the catalogue
/// key of the message to show next to it, and the message's arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// The server's own explanation of a refusal that names no field (English).
    pub detail: String,
}

impl FieldError {
    /// A value the form itself could not read (a number, a date, a choice).
    pub fn new(field: &'static str) -> FieldError {
        FieldError {
            field,
            key: unreadable_key(field),
            args: Vec::new(),
            detail: String::new(),
        }
    }

    /// A refusal that names no field, shown at the top of the form.
    pub fn form(detail: String) -> FieldError {
        FieldError {
            field: "form",
            key: "compose-error-form",
            args: Vec::new(),
            detail,
        }
    }

    /// The domain's field error, translated by its code; a field this form does not have
    /// goes to the top of the form with the server's explanation.
    pub fn from_domain(e: &fields::FieldError) -> FieldError {
        let Some(field) = FIELDS.iter().copied().find(|f| *f == e.field) else {
            return FieldError::form(e.message.clone());
        };
        let args = e
            .params
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (*name, text)
            })
            .collect();
        FieldError {
            field,
            key: code_key(e.code),
            args,
            detail: String::new(),
        }
    }
}

/// The form's fields the domain validates, as the form's ids (the domain's JSON names).
const FIELDS: [&str; 11] = [
    "name",
    "text",
    "summary",
    "tags",
    "themes",
    "countries",
    "populations",
    "languages",
    "validUntil",
    "capacity",
    "program",
];

/// The message of each code of `domain::fields::CODES`.
fn code_key(code: &str) -> &'static str {
    match code {
        "required" => "field-error-required",
        "too_long" => "field-error-too-long",
        "unknown_code" => "field-error-unknown-code",
        "invalid_language" => "field-error-invalid-language",
        "invalid_tag" => "field-error-invalid-tag",
        "not_in_future" => "field-error-not-in-future",
        "too_small" => "field-error-too-small",
        "not_own_program" => "field-error-not-own-program",
        "consent_missing" => "field-error-consent-missing",
        _ => "compose-error-form",
    }
}

/// What to say when the form's own reading of a field failed.
fn unreadable_key(field: &str) -> &'static str {
    match field {
        "status" | "visibility" => "compose-error-choice",
        "validUntil" => "compose-error-valid-until",
        "capacity" => "compose-error-capacity",
        _ => "compose-error-form",
    }
}

#[cfg(test)]
mod tests {
    use super::FieldError;
    use crate::domain::fields;
    use crate::web::ui::i18n::{english_keys, Catalog};

    #[test]
    fn domain_errors_land_on_their_field_with_their_code() {
        let e = fields::FieldError::new("themes", "unknown_code", "themes: unknown code")
            .with("value", "knitting");
        let shown = FieldError::from_domain(&e);
        assert_eq!(shown.field, "themes");
        assert_eq!(shown.key, "field-error-unknown-code");
        assert_eq!(shown.args, vec![("value", "knitting".to_string())]);
        let long = fields::FieldError::check_length("name", "abcd", 3).unwrap_err();
        let shown = FieldError::from_domain(&long);
        assert_eq!(shown.key, "field-error-too-long");
        assert!(shown.args.contains(&("max", "3".to_string())));
        let elsewhere = fields::FieldError::required("person.reference", "reference required");
        let shown = FieldError::from_domain(&elsewhere);
        assert_eq!(
            (shown.field, shown.detail.as_str()),
            ("form", "reference required")
        );
    }

    #[test]
    fn every_code_has_a_message_in_every_language() {
        let keys = english_keys();
        let catalog = Catalog::load().expect("catalogues");
        for (code, _) in fields::CODES {
            let key = super::code_key(code);
            assert_ne!(key, "compose-error-form", "{code} has no message");
            assert!(keys.iter().any(|k| k == key), "{key} not in English");
            for lang in 0..crate::web::ui::i18n::LANGUAGES.len() {
                assert!(catalog.has(lang, key), "{key} missing in language {lang}");
            }
        }
    }
}
