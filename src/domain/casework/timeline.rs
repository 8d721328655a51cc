//! A referral's timeline: changes of status (checked against the rules, with their note) and
//! messages, each an event whose text is sealed to the referral and the event.

use super::audit;
use crate::db::{EventKind, NewEvent, ReferralRow, Store};
use crate::domain::referrals::{check_note, ReferralStatus, Side};
use crate::domain::sealing::{Binding, Sealer};
use crate::domain::{DomainError, DomainResult};

/// A fresh unique name for an event, and its note sealed bound to the referral and event.
fn sealed_event(row: &ReferralRow, note: Option<(&Sealer, &str)>) -> (String, Option<String>) {
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let sealed = note.map(|(sealer, n)| sealer.seal(n, &Binding::referral_event(&row.ap_id, &uid)));
    (uid, sealed)
}

/// Records a change of status, with its note (a reason or outcome) sealed by `note`'s sealer.
pub(in crate::domain) async fn record(
    store: &dyn Store,
    row: &ReferralRow,
    status: ReferralStatus,
    by: &str,
    activity: Option<&str>,
    note: Option<(&Sealer, &str)>,
) -> DomainResult<bool> {
    let (uid, sealed) = sealed_event(row, note);
    Ok(store
        .record_status(
            row.id,
            status,
            status.is_ended(),
            NewEvent {
                referral_id: row.id,
                uid: &uid,
                activity,
                by_actor: by,
                kind: EventKind::Status,
                status: Some(status),
                sealed: sealed.as_deref(),
            },
        )
        .await?)
}

/// A change of status: who makes it, as which party, and with what note (the reason when
/// declining or withdrawing, the outcome when closing).
pub struct Change<'a> {
    pub side: Side,
    pub next: ReferralStatus,
    pub by: &'a str,
    pub note: &'a str,
    /// The activity that carried the change, for a remote party.
    pub activity: Option<&'a str>,
}

/// Applies a change. `Ok(false)` when its activity was applied before (a replay changes
/// nothing); an error when the rules do not allow it.
pub async fn transition(
    store: &dyn Store,
    sealer: &Sealer,
    row: &ReferralRow,
    change: Change<'_>,
) -> DomainResult<bool> {
    if let Some(activity) = change.activity {
        let events = store.referral_events(row.id).await?;
        if events
            .iter()
            .any(|e| e.activity.as_deref() == Some(activity))
        {
            return Ok(false);
        }
    }
    let next = change.next;
    row.status.check_transition(next, change.side)?;
    let required = matches!(next, ReferralStatus::Declined | ReferralStatus::Closed);
    let field = if next == ReferralStatus::Closed {
        "outcome"
    } else {
        "reason"
    };
    check_note(field, change.note, required)?;
    let note = change.note.trim();
    // Once erased, a referral keeps no new personal text either (a late outcome).
    let kept = (!note.is_empty() && row.erased_at.is_none()).then_some(note);
    let applied = record(
        store,
        row,
        next,
        change.by,
        change.activity,
        kept.map(|note| (sealer, note)),
    )
    .await?;
    if applied {
        audit(store, row, change.by, &format!("status:{}", next.as_str())).await?;
    }
    Ok(applied)
}

pub async fn add_message(
    store: &dyn Store,
    sealer: &Sealer,
    row: &ReferralRow,
    by: &str,
    text: &str,
    activity: Option<&str>,
) -> DomainResult<bool> {
    check_note("text", text, true)?;
    if row.erased_at.is_some() || row.status.is_final() {
        return Err(DomainError::Conflict("the referral is closed".into()));
    }
    let (uid, sealed) = sealed_event(row, Some((sealer, text.trim())));
    let added = store
        .add_referral_event(NewEvent {
            referral_id: row.id,
            uid: &uid,
            activity,
            by_actor: by,
            kind: EventKind::Message,
            status: None,
            sealed: sealed.as_deref(),
        })
        .await?;
    if added {
        audit(store, row, by, "message").await?;
    }
    Ok(added)
}
