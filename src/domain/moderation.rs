//! Local moderation: suspending remote actors, removing remote objects, actors that deleted
//! themselves, and reports. Only what this node keeps and accepts changes; nothing here asks
//! the other server for anything.

use super::accounts::{Role, Staff};
use super::{DomainError, DomainResult};
use crate::db::{NewReport, ReportRow, Store};
use serde::Serialize;

/// Longest report comment kept, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// Most actor and object ids kept from one report.
pub const MAX_TARGETS: usize = 50;

fn admin(staff: Option<&Staff>) -> DomainResult<()> {
    match staff {
        Some(staff) => staff.require(&[Role::Admin]),
        None => Ok(()),
    }
}

fn web_url(input: &str, what: &str) -> DomainResult<String> {
    match url::Url::parse(input.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => Err(DomainError::Invalid(format!(
            "{what} must be an http(s) URL, got {input:?}"
        ))),
    }
}

/// True when this node refuses everything from the actor (suspended or gone).
pub async fn is_refused(store: &dyn Store, actor_ap_id: &str) -> DomainResult<bool> {
    Ok(store.actor_mark(actor_ap_id).await?.is_some())
}

/// Suspends a remote actor: its copies and follows go, its activities are refused and
/// nothing more is delivered to it. Returns how many posts were removed.
pub async fn suspend_actor(
    store: &dyn Store,
    staff: Option<&Staff>,
    actor_ap_id: &str,
    reason: &str,
) -> DomainResult<u64> {
    admin(staff)?;
    let id = web_url(actor_ap_id, "actor")?;
    if store
        .actor_mark(&id)
        .await?
        .is_some_and(|m| m.state == "gone")
    {
        return Err(DomainError::Conflict("the actor deleted itself".into()));
    }
    store.mark_actor(&id, "suspended", reason.trim()).await?;
    Ok(store.forget_actor(&id).await?)
}

pub async fn unsuspend_actor(
    store: &dyn Store,
    staff: Option<&Staff>,
    actor_ap_id: &str,
) -> DomainResult<()> {
    admin(staff)?;
    if store
        .lift_suspension(&web_url(actor_ap_id, "actor")?)
        .await?
    {
        Ok(())
    } else {
        Err(DomainError::NotFound("suspension"))
    }
}

/// An actor deleted its own account: forget what we kept of it and refuse it from now on.
/// Referrals it took part in stay: they are casework records.
pub async fn actor_gone(store: &dyn Store, actor_ap_id: &str) -> DomainResult<u64> {
    store
        .mark_actor(actor_ap_id, "gone", "the actor deleted its account")
        .await?;
    Ok(store.forget_actor(actor_ap_id).await?)
}

/// Removes a remote object here; later Creates and Updates of it are ignored.
pub async fn remove_object(
    store: &dyn Store,
    staff: Option<&Staff>,
    object_ap_id: &str,
    reason: &str,
) -> DomainResult<bool> {
    admin(staff)?;
    let id = web_url(object_ap_id, "object")?;
    if store
        .post_by_ap_id(&id)
        .await?
        .is_some_and(|p| p.organisation_id.is_some())
    {
        return Err(DomainError::Invalid(
            "this is a local post: delete it instead".into(),
        ));
    }
    Ok(store.remove_object(&id, reason.trim()).await?)
}

/// A report as admins see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub id: i64,
    pub direction: String,
    pub activity: String,
    pub reporter: String,
    pub targets: Vec<String>,
    pub comment: String,
    pub state: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

impl From<ReportRow> for Report {
    fn from(r: ReportRow) -> Report {
        Report {
            targets: serde_json::from_str(&r.targets).unwrap_or_default(),
            id: r.id,
            direction: r.direction,
            activity: r.activity_ap_id,
            reporter: r.reporter,
            comment: r.comment,
            state: r.state,
            resolved_by: r.resolved_by,
            resolved_at: r.resolved_at,
            created_at: r.created_at,
        }
    }
}

/// Stores a report; `None` when its activity was recorded before. The comment is kept as
/// plain text, shortened to [`MAX_COMMENT_CHARS`]; at most [`MAX_TARGETS`] ids are kept.
pub async fn record_report(
    store: &dyn Store,
    organisation_id: i64,
    direction: &str,
    activity: &str,
    reporter: &str,
    targets: &[String],
    comment: &str,
) -> DomainResult<Option<Report>> {
    let comment: String = super::text::html_text(comment)
        .chars()
        .take(MAX_COMMENT_CHARS)
        .collect();
    let targets: Vec<&String> = targets.iter().take(MAX_TARGETS).collect();
    let targets =
        serde_json::to_string(&targets).map_err(|e| DomainError::Internal(e.to_string()))?;
    let row = store
        .insert_report(NewReport {
            organisation_id,
            direction,
            activity_ap_id: activity,
            reporter,
            targets: &targets,
            comment: &comment,
        })
        .await?;
    Ok(row.map(Report::from))
}

pub async fn list_reports(
    store: &dyn Store,
    staff: &Staff,
    state: Option<&str>,
) -> DomainResult<Vec<Report>> {
    staff.require(&[Role::Admin])?;
    let rows = store.list_reports(staff.organisation_id, state).await?;
    Ok(rows.into_iter().map(Report::from).collect())
}

pub async fn resolve_report(store: &dyn Store, staff: &Staff, id: i64) -> DomainResult<()> {
    staff.require(&[Role::Admin])?;
    if store
        .resolve_report(staff.organisation_id, id, &staff.username)
        .await?
    {
        Ok(())
    } else {
        Err(DomainError::NotFound("report"))
    }
}
