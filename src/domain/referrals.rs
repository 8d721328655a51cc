//! Referrals of a person from one organisation to another's program: what they carry, the
//! consent rule, and the life a referral may lead (which side may move it from which state).

use super::fields::{FieldError, FieldErrors};
use super::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// Where a referral stands. Both parties hold a copy and move it with the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Sent,
    Received,
    Accepted,
    InProgress,
    Completed,
    Declined,
    Withdrawn,
    /// Never answered (neither accepted nor declined) within the expiry period.
    Expired,
    Closed,
}

/// Which party this organisation is in a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Sender,
    Receiver,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Sender => "sender",
            Side::Receiver => "receiver",
        }
    }

    pub fn parse(s: &str) -> DomainResult<Side> {
        match s {
            "sender" => Ok(Side::Sender),
            "receiver" => Ok(Side::Receiver),
            other => Err(DomainError::Internal(format!("unknown side {other:?}"))),
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Sender => Side::Receiver,
            Side::Receiver => Side::Sender,
        }
    }
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 9] = [
        ReferralStatus::Sent,
        ReferralStatus::Received,
        ReferralStatus::Accepted,
        ReferralStatus::InProgress,
        ReferralStatus::Completed,
        ReferralStatus::Declined,
        ReferralStatus::Withdrawn,
        ReferralStatus::Expired,
        ReferralStatus::Closed,
    ];

    /// Not answered yet: neither accepted nor declined. Such a referral expires.
    pub const UNANSWERED: [ReferralStatus; 2] = [ReferralStatus::Sent, ReferralStatus::Received];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "sent",
            ReferralStatus::Received => "received",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::InProgress => "in_progress",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Withdrawn => "withdrawn",
            ReferralStatus::Expired => "expired",
            ReferralStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> DomainResult<ReferralStatus> {
        ReferralStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| DomainError::Invalid(format!("unknown referral status {s:?}")))
    }

    /// Who may move a referral into this status, and from which statuses.
    fn rule(self) -> (Option<Side>, &'static [ReferralStatus]) {
        use ReferralStatus::*;
        match self {
            Sent => (None, &[]),
            Received => (Some(Side::Receiver), &[Sent]),
            Accepted | Declined => (Some(Side::Receiver), &[Sent, Received]),
            InProgress => (Some(Side::Receiver), &[Accepted]),
            Completed => (Some(Side::Receiver), &[Accepted, InProgress]),
            Withdrawn => (Some(Side::Sender), &[Sent, Received, Accepted, InProgress]),
            // Each node expires its own copy when nobody answered in time.
            Expired => (None, &Self::UNANSWERED),
            // Either party may close a referral that has ended, recording the outcome.
            Closed => (None, &[Completed, Declined, Withdrawn, Expired]),
        }
    }

    /// Checks that `side` may move a referral from `self` to `next`.
    pub fn check_transition(self, next: ReferralStatus, side: Side) -> DomainResult<()> {
        let (who, from) = next.rule();
        if next == ReferralStatus::Sent {
            return Err(DomainError::Conflict("a referral is only sent once".into()));
        }
        if who.is_some_and(|w| w != side) {
            return Err(DomainError::Forbidden(match side {
                Side::Sender => "only the receiving organisation may make this change",
                Side::Receiver => "only the referring organisation may make this change",
            }));
        }
        if !from.contains(&self) {
            return Err(DomainError::Conflict(format!(
                "a {} referral cannot become {}",
                self.as_str(),
                next.as_str()
            )));
        }
        Ok(())
    }

    /// Closed: nothing more happens in it, not even a message.
    pub fn is_final(self) -> bool {
        self == ReferralStatus::Closed
    }

    /// An end state: retention counts from the first one a referral reaches, and what is
    /// still queued for it is taken back.
    pub fn is_ended(self) -> bool {
        use ReferralStatus::*;
        matches!(self, Completed | Declined | Withdrawn | Expired | Closed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    #[default]
    Routine,
    Urgent,
    Emergency,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }
}

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
    use super::ReferralStatus::*;
    use super::*;

    #[test]
    fn transitions_follow_the_rules() {
        assert!(Sent.check_transition(Received, Side::Receiver).is_ok());
        assert!(Received.check_transition(Accepted, Side::Receiver).is_ok());
        assert!(Accepted
            .check_transition(InProgress, Side::Receiver)
            .is_ok());
        assert!(InProgress
            .check_transition(Completed, Side::Receiver)
            .is_ok());
        assert!(Completed.check_transition(Closed, Side::Sender).is_ok());
        assert!(InProgress.check_transition(Withdrawn, Side::Sender).is_ok());
        // The wrong party, or a state that does not allow it.
        assert!(matches!(
            Sent.check_transition(Accepted, Side::Sender),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(
            Sent.check_transition(Withdrawn, Side::Receiver),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(
            Declined.check_transition(Accepted, Side::Receiver),
            Err(DomainError::Conflict(_))
        ));
        assert!(matches!(
            Accepted.check_transition(Accepted, Side::Receiver),
            Err(DomainError::Conflict(_))
        ));
        assert!(matches!(
            Closed.check_transition(Closed, Side::Sender),
            Err(DomainError::Conflict(_))
        ));
        assert!(Sent.check_transition(InProgress, Side::Receiver).is_err());
        // Only an unanswered referral expires, on either side; an expired one can be closed.
        assert!(Sent.check_transition(Expired, Side::Sender).is_ok());
        assert!(Received.check_transition(Expired, Side::Receiver).is_ok());
        assert!(Accepted.check_transition(Expired, Side::Sender).is_err());
        assert!(Expired.check_transition(Accepted, Side::Receiver).is_err());
        assert!(Expired.check_transition(Closed, Side::Receiver).is_ok());
        assert!(Expired.is_ended() && Completed.is_ended() && !InProgress.is_ended());
    }

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
