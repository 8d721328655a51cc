//! Staff accounts of local organisations and their hashed tokens (API and one-time setup).

use super::values::Role;
use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub organisation_id: i64,
    pub username: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub account_id: i64,
    pub token_hash: String,
    pub purpose: String,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub struct NewAccount<'a> {
    pub organisation_id: i64,
    pub username: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
}

#[async_trait::async_trait]
pub trait AccountStore {
    async fn insert_account(&self, new: NewAccount<'_>) -> DbResult<AccountRow>;
    async fn account_by_username(&self, username: &str) -> DbResult<Option<AccountRow>>;
    async fn account_by_id(&self, id: i64) -> DbResult<AccountRow>;
    async fn count_accounts(&self) -> DbResult<i64>;
    /// The staff accounts of one organisation, by username.
    async fn accounts_of(&self, organisation_id: i64) -> DbResult<Vec<AccountRow>>;
    /// Changes an account's role; `false` when there is no such account.
    async fn set_account_role(&self, account_id: i64, role: Role) -> DbResult<bool>;
    async fn set_password_hash(&self, account_id: i64, hash: &str) -> DbResult<()>;
    async fn insert_token(
        &self,
        account_id: i64,
        token_hash: &str,
        purpose: &str,
        label: &str,
    ) -> DbResult<TokenRow>;
    /// The token with this hash and purpose, marking it used.
    async fn use_token(&self, token_hash: &str, purpose: &str) -> DbResult<Option<TokenRow>>;
    async fn delete_token(&self, id: i64) -> DbResult<()>;
}

both_backends! { impl AccountStore {
    async fn insert_account(&self, new: NewAccount<'_>) -> DbResult<AccountRow> {
        Ok(sqlx::query_as(
            "INSERT INTO accounts (organisation_id, username, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(new.organisation_id)
        .bind(new.username)
        .bind(new.password_hash)
        .bind(new.role)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn account_by_username(&self, username: &str) -> DbResult<Option<AccountRow>> {
        Ok(sqlx::query_as("SELECT * FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn account_by_id(&self, id: i64) -> DbResult<AccountRow> {
        Ok(sqlx::query_as("SELECT * FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn count_accounts(&self) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    async fn accounts_of(&self, organisation_id: i64) -> DbResult<Vec<AccountRow>> {
        Ok(sqlx::query_as("SELECT * FROM accounts WHERE organisation_id = $1 ORDER BY username")
            .bind(organisation_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn set_account_role(&self, account_id: i64, role: Role) -> DbResult<bool> {
        let done = sqlx::query("UPDATE accounts SET role = $2 WHERE id = $1")
            .bind(account_id)
            .bind(role)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_password_hash(&self, account_id: i64, hash: &str) -> DbResult<()> {
        sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
            .bind(account_id)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_token(
        &self,
        account_id: i64,
        token_hash: &str,
        purpose: &str,
        label: &str,
    ) -> DbResult<TokenRow> {
        Ok(sqlx::query_as(
            "INSERT INTO tokens (account_id, token_hash, purpose, label, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(account_id)
        .bind(token_hash)
        .bind(purpose)
        .bind(label)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn use_token(&self, token_hash: &str, purpose: &str) -> DbResult<Option<TokenRow>> {
        Ok(sqlx::query_as(
            "UPDATE tokens SET last_used_at = $3 WHERE token_hash = $1 AND purpose = $2 RETURNING *",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn delete_token(&self, id: i64) -> DbResult<()> {
        sqlx::query("DELETE FROM tokens WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}}
