//! Referrals of a person from one organisation to another's program: what they carry and
//! the consent rule; the life a referral may lead is in [`status`].

mod status;

pub use status::{ReferralStatus, Side};

use super::{DomainError, DomainResult};
use crate::domain::fields::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

// Stored in a referral's row, so defined with the stored vocabulary (see `db::values`).
pub use crate::db::values::Urgency;

/// The smallest record of the person that lets the receiver help: no name, a pseudonymous
/// reference both sides use when they talk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Person {
    pub reference: String,
    pub age_range: String,
    pub gender: String,
    /// ISO 3166-1 alpha-2, or empty when `stateless`.
    pub nationality: String,
    pub stateless: bool,
    pub languages: Vec<String>,
    pub contact_channel: String,
    pub safety_notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Consent {
    pub given: bool,
    /// Who gave it: "the person", "a parent", "a legal guardian"...
    pub given_by: String,
    /// Unix milliseconds.
    pub given_at: Option<i64>,
    /// Which organisations may receive which data, in the words agreed with the person.
    pub scope: String,
    /// Why the referral goes without consent (for example, a child in danger); shown to both
    /// organisations.
    pub override_justification: String,
}

/// What is sealed: everything about the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Sealed {
    pub needs: String,
    pub person: Person,
    pub consent: Consent,
}

pub const MAX_TEXT: usize = 4000;

impl Sealed {
    /// The consent rule: consent given (by someone, at a time), or an override with a written
    /// justification. Without either the referral cannot be sent.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errors = FieldErrors::default();
        if self.person.reference.trim().is_empty() {
            errors.push(FieldError::required(
                "person.reference",
                "person.reference (a pseudonymous reference) is required",
            ));
        }
        if self.needs.trim().is_empty() {
            errors.push(FieldError::required(
                "needs",
                "needs must describe what the person needs",
            ));
        }
        for (field, text) in [
            ("needs", &self.needs),
            ("person.safetyNotes", &self.person.safety_notes),
            ("consent.scope", &self.consent.scope),
            (
                "consent.overrideJustification",
                &self.consent.override_justification,
            ),
        ] {
            let length = text.chars().count();
            if length > MAX_TEXT {
                let message = format!("{field} is longer than {MAX_TEXT} characters");
                errors.push(
                    FieldError::new(field, "too_long", message)
                        .with("length", length)
                        .with("max", MAX_TEXT),
                );
            }
        }
        let consented = self.consent.given
            && !self.consent.given_by.trim().is_empty()
            && self.consent.given_at.is_some();
        let overridden = !self.consent.override_justification.trim().is_empty();
        if self.consent.given && !consented {
            let message = "consent.givenBy and consent.givenAt are required when consent is given";
            if self.consent.given_by.trim().is_empty() {
                errors.push(FieldError::required("consent.givenBy", message));
            }
            if self.consent.given_at.is_none() {
                errors.push(FieldError::required("consent.givenAt", message));
            }
        } else if !consented && !overridden {
            errors.push(FieldError::new(
                "consent",
                "consent_missing",
                "consent is required: set consent.given with givenBy and givenAt, or write consent.overrideJustification",
            ));
        }
        errors.finish()
    }
}

/// A short text that may carry personal details (a decline reason, an outcome, a message).
pub fn check_note(field: &str, text: &str, required: bool) -> DomainResult<()> {
    if required && text.trim().is_empty() {
        return Err(DomainError::Invalid(format!("{field} is required")));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(DomainError::Invalid(format!(
            "{field} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed() -> Sealed {
        Sealed {
            needs: "Legal advice".into(),
            person: Person {
                reference: "AB-12".into(),
                ..Person::default()
            },
            consent: Consent {
                given: true,
                given_by: "the person".into(),
                given_at: Some(1),
                ..Consent::default()
            },
        }
    }

    #[test]
    fn consent_or_a_justified_override_is_required() {
        assert!(sealed().validate().is_ok());
        let mut none = sealed();
        none.consent = Consent::default();
        assert!(none
            .validate()
            .unwrap_err()
            .to_string()
            .contains("consent is required"));
        none.consent.override_justification =
            "Child at immediate risk; guardian unreachable".into();
        assert!(none.validate().is_ok());
        let mut half = sealed();
        half.consent.given_by.clear();
        let Err(DomainError::Fields(errors)) = half.validate() else {
            panic!("field errors expected");
        };
        assert_eq!(
            (errors[0].field, errors[0].code),
            ("consent.givenBy", "required")
        );
        let mut none = sealed();
        none.consent = Consent::default();
        let Err(DomainError::Fields(errors)) = none.validate() else {
            panic!("field errors expected");
        };
        assert_eq!(
            (errors[0].field, errors[0].code),
            ("consent", "consent_missing")
        );
    }
}
