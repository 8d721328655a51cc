//! The life a referral may lead: its statuses, the two sides, and which side may move it
//! from which status to which.

use crate::domain::{DomainError, DomainResult};

// The enums are defined with the stored vocabulary in `db::values` (the rows hold them);
// their rules are here.
pub use crate::db::values::{ReferralStatus, Side};

impl Side {
    /// A side named in a request.
    pub fn parse(s: &str) -> DomainResult<Side> {
        Side::from_stored(s).ok_or_else(|| DomainError::Invalid(format!("unknown side {s:?}")))
    }

    pub fn other(self) -> Side {
        match self {
            Side::Sender => Side::Receiver,
            Side::Receiver => Side::Sender,
        }
    }
}

impl ReferralStatus {
    /// Not answered yet: neither accepted nor declined. Such a referral expires.
    pub const UNANSWERED: [ReferralStatus; 2] = [ReferralStatus::Sent, ReferralStatus::Received];

    /// A status named in a request or an activity.
    pub fn parse(s: &str) -> DomainResult<ReferralStatus> {
        ReferralStatus::from_stored(s)
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

#[cfg(test)]
mod tests {
    use super::ReferralStatus::*;
    use super::*;
    use crate::domain::DomainError;

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
}
