//! `/admin/accounts`: the organisation's staff accounts and their roles; creating an account
//! and changing a role. An admin cannot take the admin role from themself.

use super::{done, notice, refused, AdminPage, AdminPost, DoneQuery};
use crate::domain::accounts::{self, Role, Staff};
use crate::domain::{staff_admin, DomainError};
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageResult};
use crate::web::ui::templates::date;
use askama::Template;
use axum::{extract::Query, http::StatusCode};
use serde::Deserialize;

/// One account as the list shows it.
struct AccountLine {
    username: String,
    role: Role,
    created: String,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage<'a> {
    page: &'a Page,
    section: &'static str,
    notice: Option<String>,
    error: Option<String>,
    accounts: Vec<AccountLine>,
    roles: [Role; 3],
    /// What was entered in the new-account form, when it was refused.
    new_username: String,
    /// `None` when none was chosen (or the form named no role).
    new_role: Option<Role>,
}

impl AccountsPage<'_> {
    /// The role the refused new-account form had chosen, to choose it again.
    fn is_new_role(&self, role: &Role) -> bool {
        self.new_role == Some(*role)
    }
}

const ROLES: [Role; 3] = [Role::Caseworker, Role::Editor, Role::Admin];

async fn render(
    page: &Page,
    staff: &Staff,
    data: &FedData,
    notice: Option<String>,
    error: Option<String>,
    entered: (String, String),
) -> PageResult {
    let rows = staff_admin::list_accounts(data.store.as_ref(), staff).await?;
    let accounts = rows
        .into_iter()
        .map(|a| AccountLine {
            is_me: a.id == staff.account_id,
            username: a.username,
            role: a.role,
            created: date(a.created_at),
        })
        .collect();
    Ok(page.render(&AccountsPage {
        page,
        section: "accounts",
        notice,
        error,
        accounts,
        roles: ROLES,
        new_username: entered.0,
        new_role: Role::from_stored(&entered.1),
    }))
}

pub async fn show(
    AdminPage(page, staff): AdminPage,
    data: FedData,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let notice = notice(&page, q.done.as_deref());
    let entered = (String::new(), "caseworker".to_string());
    render(&page, &staff, &data, notice, None, entered).await
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    username: String,
    role: String,
    password: String,
}

/// Creates an account with `accounts::create_account`, as the API and the CLI do.
pub async fn create(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<NewAccountForm>,
) -> PageResult {
    let username = form.username.trim();
    let role = Role::parse(&form.role);
    let problem = if accounts::validate_username(username).is_err() {
        Some("admin-accounts-username-invalid")
    } else if form.password.chars().count() < 10 {
        Some("admin-accounts-password-short")
    } else if role.is_err() {
        Some("admin-accounts-role-invalid")
    } else {
        None
    };
    let entered = (username.to_string(), form.role.clone());
    let status = match (problem, role) {
        (None, Ok(role)) => {
            let store = data.store.as_ref();
            let created = accounts::create_account(
                store,
                staff.organisation_id,
                username,
                Some(&form.password),
                role,
            )
            .await;
            match created {
                Ok(_) => return Ok(done("/admin/accounts", "account")),
                Err(DomainError::Conflict(_)) => {
                    let error = page.t1("admin-accounts-exists", "username", username);
                    let response = render(&page, &staff, &data, None, Some(error), entered).await?;
                    return Ok(refused(response, StatusCode::CONFLICT));
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let error = problem.map(|key| page.t(key));
    let response = render(&page, &staff, &data, None, error, entered).await?;
    Ok(refused(response, status))
}

#[derive(Deserialize)]
pub struct RoleForm {
    username: String,
    role: String,
}

/// Changes an account's role; refuses to take the admin role from the admin themself.
pub async fn change_role(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<RoleForm>,
) -> PageResult {
    let entered = (String::new(), "caseworker".to_string());
    let (status, key) = match Role::parse(&form.role) {
        Err(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin-accounts-role-invalid",
        ),
        Ok(role) => {
            match staff_admin::change_role(data.store.as_ref(), &staff, &form.username, role).await
            {
                Ok(_) => return Ok(done("/admin/accounts", "role")),
                Err(DomainError::Forbidden(_)) => {
                    (StatusCode::FORBIDDEN, "admin-accounts-cannot-demote-self")
                }
                Err(DomainError::NotFound(_)) => {
                    (StatusCode::NOT_FOUND, "admin-accounts-not-found")
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let response = render(&page, &staff, &data, None, Some(page.t(key)), entered).await?;
    Ok(refused(response, status))
}
