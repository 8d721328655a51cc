//! Where a refused form's error goes: the field it is about, and the message to show there
//! in the reader's language.

/// A field the form could not accept: the field's name (its `id` in the form) and the
/// catalogue key of the message to show next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
    /// The server's own explanation when no field matches (English).
    pub detail: String,
}

impl FieldError {
    pub fn new(field: &'static str) -> FieldError {
        FieldError {
            field,
            key: message_key(field),
            detail: String::new(),
        }
    }

    /// Places a validation message of the domain (`"themes: unknown code..."`) on its field.
    pub fn from_domain(message: &str) -> FieldError {
        let rest = message.strip_prefix("offer: ").unwrap_or(message);
        let field = FIELDS
            .iter()
            .find(|f| {
                rest.strip_prefix(**f)
                    .is_some_and(|after| after.starts_with([':', ' ']))
            })
            .copied()
            // "program: invalid type..." is the whole program's JSON, not the offer's field.
            .filter(|f| *f != "program" || rest.starts_with("program must"))
            .unwrap_or("form");
        FieldError {
            field,
            key: message_key(field),
            detail: message.to_string(),
        }
    }
}

/// Fields the domain's messages name, as the form's ids.
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

fn message_key(field: &str) -> &'static str {
    match field {
        "name" => "compose-error-name",
        "text" => "compose-error-text",
        "summary" => "compose-error-summary",
        "tags" => "compose-error-tags",
        "themes" | "countries" | "populations" | "status" | "visibility" => "compose-error-choice",
        "languages" => "compose-error-languages",
        "validUntil" => "compose-error-valid-until",
        "capacity" => "compose-error-capacity",
        "program" => "compose-error-program",
        _ => "compose-error-form",
    }
}

#[cfg(test)]
mod tests {
    use super::FieldError;

    #[test]
    fn domain_messages_land_on_their_field() {
        assert_eq!(
            FieldError::from_domain("name must not be empty").field,
            "name"
        );
        assert_eq!(
            FieldError::from_domain("offer: validUntil must be in the future").field,
            "validUntil"
        );
        assert_eq!(
            FieldError::from_domain("program: invalid type").field,
            "form"
        );
        assert_eq!(
            FieldError::from_domain("tags: \"a b\" must be").field,
            "tags"
        );
        assert_eq!(FieldError::new("capacity").key, "compose-error-capacity");
    }
}
