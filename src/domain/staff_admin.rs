//! Admins manage their organisation's staff: who has an account, and which role each holds.

use super::accounts::{Role, Staff};
use super::{DomainError, DomainResult};
use crate::db::{AccountRow, Store};

/// The accounts of the admin's organisation, by username.
pub async fn list_accounts(store: &dyn Store, admin: &Staff) -> DomainResult<Vec<AccountRow>> {
    admin.require(&[Role::Admin])?;
    Ok(store.accounts_of(admin.organisation_id).await?)
}

/// Gives the account `username` of the admin's organisation the role `role`. An admin cannot
/// take the admin role from themself, so an organisation is never left without one by
/// accident.
pub async fn change_role(
    store: &dyn Store,
    admin: &Staff,
    username: &str,
    role: Role,
) -> DomainResult<AccountRow> {
    admin.require(&[Role::Admin])?;
    let account = store
        .account_by_username(username)
        .await?
        .filter(|a| a.organisation_id == admin.organisation_id)
        .ok_or(DomainError::NotFound("account"))?;
    if account.id == admin.account_id && role != Role::Admin {
        return Err(DomainError::Forbidden(
            "you cannot remove your own admin role; ask another admin",
        ));
    }
    store.set_account_role(account.id, role).await?;
    Ok(store.account_by_id(account.id).await?)
}
