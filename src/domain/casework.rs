//! Casework on referrals: creating, receiving, moving and reading them, with every step in the
//! audit log and every personal field sealed before it is stored.

use super::accounts::{Role, Staff};
use super::referrals::{check_note, ReferralStatus, Sealed, Side, Urgency};
use super::sealing::{Binding, Sealer};
use super::{DomainError, DomainResult};
use crate::db::{NewEvent, NewReferral, ReferralRow, Store};
use serde::Serialize;

/// A referral as its parties see it, opened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralView {
    pub id: i64,
    pub url: String,
    pub side: String,
    pub counterpart: String,
    pub program: Option<String>,
    pub referral_offer: Option<String>,
    pub urgency: String,
    pub status: String,
    /// `None` once erased after the retention period.
    pub content: Option<Sealed>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub erased_at: Option<i64>,
    pub timeline: Vec<EventView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: i64,
    pub by: String,
    pub kind: String,
    pub status: Option<String>,
    /// A message, a decline reason or an outcome; `None` once erased.
    pub text: Option<String>,
}

/// The staff member may work on this referral: a caseworker (or admin) of the party organisation.
/// Anyone else is told it does not exist.
pub fn check_access(staff: &Staff, row: &ReferralRow) -> DomainResult<()> {
    staff.require(&[Role::Caseworker])?;
    if staff.organisation_id != row.organisation_id {
        return Err(DomainError::NotFound("referral"));
    }
    Ok(())
}

pub async fn audit(
    store: &dyn Store,
    row: &ReferralRow,
    actor: &str,
    action: &str,
) -> DomainResult<()> {
    Ok(store
        .record_audit(row.organisation_id, actor, action, Some(row.id), "")
        .await?)
}

/// What a new referral needs besides its content.
pub struct Parties<'a> {
    pub ap_id: &'a str,
    pub offer_activity: &'a str,
    pub counterpart: &'a str,
    pub counterpart_inbox: &'a str,
    pub program: Option<&'a str>,
    pub referral_offer: Option<&'a str>,
    pub urgency: Urgency,
}

/// A referral a caseworker sends: checked (consent!), sealed, stored as `sent`.
pub async fn create(
    store: &dyn Store,
    sealer: &Sealer,
    staff: &Staff,
    parties: Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    staff.require(&[Role::Caseworker])?;
    content.validate()?;
    let row = insert(
        store,
        sealer,
        staff.organisation_id,
        Side::Sender,
        &parties,
        content,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Sent,
        &staff.username,
        None,
        None,
    )
    .await?;
    audit(store, &row, &staff.username, "create").await?;
    Ok(row)
}

/// A referral another organisation sent to `organisation_id`: stored as `received`.
pub async fn receive(
    store: &dyn Store,
    sealer: &Sealer,
    organisation_id: i64,
    parties: Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    content.validate()?;
    let row = insert(
        store,
        sealer,
        organisation_id,
        Side::Receiver,
        &parties,
        content,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Sent,
        parties.counterpart,
        Some(parties.offer_activity),
        None,
    )
    .await?;
    record(
        store,
        &row,
        ReferralStatus::Received,
        "this node",
        None,
        None,
    )
    .await?;
    audit(store, &row, parties.counterpart, "receive").await?;
    Ok(store.referral_by_id(row.id).await?.unwrap_or(row))
}

async fn insert(
    store: &dyn Store,
    sealer: &Sealer,
    organisation_id: i64,
    side: Side,
    p: &Parties<'_>,
    content: &Sealed,
) -> DomainResult<ReferralRow> {
    let plain = serde_json::to_string(content).map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(store
        .insert_referral(NewReferral {
            ap_id: p.ap_id,
            organisation_id,
            side: side.as_str(),
            counterpart: p.counterpart,
            counterpart_inbox: p.counterpart_inbox,
            offer_activity: p.offer_activity,
            program: p.program,
            referral_offer: p.referral_offer,
            urgency: p.urgency.as_str(),
            status: ReferralStatus::Sent.as_str(),
            sealed: &sealer.seal(&plain, &Binding::referral(p.ap_id)),
        })
        .await?)
}

/// A fresh unique name for an event, and its note sealed bound to the referral and event.
fn sealed_event(row: &ReferralRow, note: Option<(&Sealer, &str)>) -> (String, Option<String>) {
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let sealed = note.map(|(sealer, n)| sealer.seal(n, &Binding::referral_event(&row.ap_id, &uid)));
    (uid, sealed)
}

/// Records a change of status, with its note (a reason or outcome) sealed by `note`'s sealer.
pub(super) async fn record(
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
            status.as_str(),
            status.is_ended(),
            NewEvent {
                referral_id: row.id,
                uid: &uid,
                activity,
                by_actor: by,
                kind: "status",
                status: Some(status.as_str()),
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
    ReferralStatus::parse(&row.status)?.check_transition(next, change.side)?;
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
    if row.erased_at.is_some() || ReferralStatus::parse(&row.status)?.is_final() {
        return Err(DomainError::Conflict("the referral is closed".into()));
    }
    let (uid, sealed) = sealed_event(row, Some((sealer, text.trim())));
    let added = store
        .add_referral_event(NewEvent {
            referral_id: row.id,
            uid: &uid,
            activity,
            by_actor: by,
            kind: "message",
            status: None,
            sealed: sealed.as_deref(),
        })
        .await?;
    if added {
        audit(store, row, by, "message").await?;
    }
    Ok(added)
}

/// The referral with its content and timeline opened.
pub async fn open(
    store: &dyn Store,
    sealer: &Sealer,
    row: &ReferralRow,
) -> DomainResult<ReferralView> {
    let content = match &row.sealed {
        Some(sealed) => Some(
            serde_json::from_str(&sealer.open(sealed, &Binding::referral(&row.ap_id))?)
                .map_err(|e| DomainError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let mut timeline = Vec::new();
    for e in store.referral_events(row.id).await? {
        let at = Binding::referral_event(&row.ap_id, &e.uid);
        let text = e
            .sealed
            .as_deref()
            .map(|s| sealer.open(s, &at))
            .transpose()?;
        timeline.push(EventView {
            at: e.at,
            by: e.by_actor,
            kind: e.kind,
            status: e.status,
            text,
        });
    }
    Ok(ReferralView {
        id: row.id,
        url: row.ap_id.clone(),
        side: row.side.clone(),
        counterpart: row.counterpart.clone(),
        program: row.program.clone(),
        referral_offer: row.referral_offer.clone(),
        urgency: row.urgency.clone(),
        status: row.status.clone(),
        content,
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
        erased_at: row.erased_at,
        timeline,
    })
}
