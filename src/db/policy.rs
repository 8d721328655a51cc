//! Federation policy: per-domain allow and block rules, node-wide settings, and purging what
//! was received from a blocked domain.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DomainRuleRow {
    pub domain: String,
    pub action: String,
    pub reason: String,
    pub created_at: i64,
}

#[async_trait::async_trait]
pub trait PolicyStore {
    async fn domain_rules(&self) -> DbResult<Vec<DomainRuleRow>>;
    async fn set_domain_rule(&self, domain: &str, action: &str, reason: &str) -> DbResult<()>;
    /// `false` when there was no rule for the domain.
    async fn remove_domain_rule(&self, domain: &str) -> DbResult<bool>;
    async fn setting(&self, key: &str) -> DbResult<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str) -> DbResult<()>;
    /// Deletes the copies of posts by actors of `domain` and the follow relations with them;
    /// returns how many posts went.
    async fn purge_domain(&self, domain: &str) -> DbResult<u64>;
}

both_backends! { impl PolicyStore {
    async fn domain_rules(&self) -> DbResult<Vec<DomainRuleRow>> {
        Ok(sqlx::query_as("SELECT * FROM domain_rules ORDER BY domain")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn set_domain_rule(&self, domain: &str, action: &str, reason: &str) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO domain_rules (domain, action, reason, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (domain) DO UPDATE SET action = $2, reason = $3",
        )
        .bind(domain)
        .bind(action)
        .bind(reason)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn remove_domain_rule(&self, domain: &str) -> DbResult<bool> {
        let done = sqlx::query("DELETE FROM domain_rules WHERE domain = $1")
            .bind(domain)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn setting(&self, key: &str) -> DbResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM node_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(v,)| v))
    }

    async fn set_setting(&self, key: &str, value: &str) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO node_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = $2",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn purge_domain(&self, domain: &str) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        for table in ["following", "followers"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE actor_id IN (SELECT id FROM remote_actors WHERE domain = $1)"
            ))
            .bind(domain)
            .execute(&mut *tx)
            .await?;
        }
        let posts = sqlx::query(
            "DELETE FROM posts WHERE organisation_id IS NULL
               AND author_ap_id IN (SELECT ap_id FROM remote_actors WHERE domain = $1)",
        )
        .bind(domain)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(posts)
    }
}}
