//! `/admin/audit`: the audit log of the organisation's referrals (the data of
//! `GET /api/v1/admin/audit`), newest first, in pages, worded for a data-protection officer:
//! who did what to which referral, and when. It shows no personal data: entries name staff
//! accounts, partner servers and referral numbers, never the people referred.

use super::{when, AdminPage, DoneQuery};
use crate::db::AuditRow;
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use crate::web::ui::templates::origin_of;
use askama::Template;
use axum::extract::Query;

struct AuditLine {
    at: String,
    /// A staff account, or a partner organisation's actor id.
    who: String,
    /// The partner server, when `who` is a remote organisation.
    server: Option<String>,
    what: String,
    referral: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage<'a> {
    page: &'a Page,
    section: &'static str,
    entries: Vec<AuditLine>,
    older: Option<String>,
}

const AUDIT_PAGE: i64 = 50;

/// The entry's action in the reader's language (`status:accepted` names the new status).
fn what(page: &Page, action: &str) -> String {
    if let Some(status) = action.strip_prefix("status:") {
        return page.t1("admin-audit-action-status", "status", status);
    }
    match action {
        "create" | "view" | "receive" | "fetch" | "message" | "erase" => {
            page.t(&format!("admin-audit-action-{action}"))
        }
        other => other.to_string(),
    }
}

fn line(page: &Page, row: AuditRow) -> AuditLine {
    let remote = row.actor.starts_with("https://") || row.actor.starts_with("http://");
    let who = if row.actor == "retention" {
        page.t("admin-audit-who-retention")
    } else {
        row.actor.clone()
    };
    AuditLine {
        at: when(row.at),
        server: remote.then(|| origin_of(&row.actor)).flatten(),
        who,
        what: what(page, &row.action),
        referral: row.referral_id.map(|id| id.0),
    }
}

pub async fn show(
    AdminPage(page, staff): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let rows = data
        .store
        .audit_log(staff.organisation_id, q.before, AUDIT_PAGE)
        .await?;
    let older = (rows.len() as i64 == AUDIT_PAGE)
        .then(|| rows.last().map(|r| format!("/admin/audit?before={}", r.id)))
        .flatten();
    let entries = rows.into_iter().map(|r| line(&page, r)).collect();
    Ok(page.render(&AuditPage {
        page: &page,
        section: "audit",
        entries,
        older,
    }))
}
