//! Domain lists this node subscribes to: where each is published, whether it allows or
//! blocks, and the domains its last good copy held.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SubscriptionRow {
    pub id: i64,
    pub organisation_id: i64,
    pub url: String,
    /// `allow` or `block`: what the listed domains become here.
    pub kind: String,
    pub last_fetched_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

#[async_trait::async_trait]
pub trait SubscriptionStore {
    async fn add_subscription(
        &self,
        organisation_id: i64,
        url: &str,
        kind: &str,
    ) -> DbResult<SubscriptionRow>;
    async fn subscriptions(&self) -> DbResult<Vec<SubscriptionRow>>;
    async fn subscription_by_id(&self, id: i64) -> DbResult<Option<SubscriptionRow>>;
    /// Forgets the subscription and its domains; `false` when there was none.
    async fn remove_subscription(&self, id: i64) -> DbResult<bool>;
    async fn subscribed_domains(&self, id: i64) -> DbResult<Vec<String>>;
    /// Every subscribed domain with the kind of its list: `(domain, kind)`.
    async fn subscribed_rules(&self) -> DbResult<Vec<(String, String)>>;
    /// Applies a successful fetch: adds and removes domains, records the time, clears the error.
    async fn apply_subscription_fetch(
        &self,
        id: i64,
        added: &[String],
        removed: &[String],
    ) -> DbResult<()>;
    async fn record_subscription_error(&self, id: i64, error: &str) -> DbResult<()>;
}

both_backends! { impl SubscriptionStore {
    async fn add_subscription(&self, organisation_id: i64, url: &str, kind: &str) -> DbResult<SubscriptionRow> {
        Ok(sqlx::query_as(
            "INSERT INTO policy_subscriptions (organisation_id, url, kind, created_at)
             VALUES ($1, $2, $3, $4) RETURNING *",
        )
        .bind(organisation_id)
        .bind(url)
        .bind(kind)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn subscriptions(&self) -> DbResult<Vec<SubscriptionRow>> {
        Ok(sqlx::query_as("SELECT * FROM policy_subscriptions ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn subscription_by_id(&self, id: i64) -> DbResult<Option<SubscriptionRow>> {
        Ok(sqlx::query_as("SELECT * FROM policy_subscriptions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn remove_subscription(&self, id: i64) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM subscribed_domains WHERE subscription_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM policy_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn subscribed_domains(&self, id: i64) -> DbResult<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT domain FROM subscribed_domains WHERE subscription_id = $1 ORDER BY domain",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(d,)| d).collect())
    }

    async fn subscribed_rules(&self) -> DbResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT d.domain, s.kind FROM subscribed_domains d
             JOIN policy_subscriptions s ON s.id = d.subscription_id ORDER BY d.domain",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn apply_subscription_fetch(&self, id: i64, added: &[String], removed: &[String]) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        for domain in added {
            sqlx::query(
                "INSERT INTO subscribed_domains (subscription_id, domain) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(domain)
            .execute(&mut *tx)
            .await?;
        }
        for domain in removed {
            sqlx::query("DELETE FROM subscribed_domains WHERE subscription_id = $1 AND domain = $2")
                .bind(id)
                .bind(domain)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE policy_subscriptions SET last_fetched_at = $2, last_error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_subscription_error(&self, id: i64, error: &str) -> DbResult<()> {
        sqlx::query("UPDATE policy_subscriptions SET last_error = $2 WHERE id = $1")
            .bind(id)
            .bind(error)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}}
