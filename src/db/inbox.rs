//! Received activities, stored once per id as soon as their signature checks out, then
//! processed out of the request. A crash after the 202 leaves them pending, not lost.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub id: i64,
    pub ap_id: String,
    pub actor: String,
    pub kind: String,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

#[async_trait::async_trait]
pub trait InboxStore {
    /// Stores a verified activity (`pending`, or `done` when applied already); `false` when its
    /// id was already stored (a replay).
    async fn insert_inbox_activity(
        &self,
        ap_id: &str,
        actor: &str,
        kind: &str,
        body: &str,
        state: &str,
    ) -> DbResult<bool>;
    async fn inbox_activity_seen(&self, ap_id: &str) -> DbResult<bool>;
    async fn pending_inbox_activities(&self, limit: i64) -> DbResult<Vec<InboxRow>>;
    /// Marks an activity `done` or `failed`, or keeps it `pending` with one more attempt.
    async fn set_inbox_state(&self, id: i64, state: &str, error: Option<&str>) -> DbResult<()>;
    async fn count_inbox_activities(&self) -> DbResult<i64>;
    /// Empties the sealed bodies of activities processed before `before` (their ids stay, to
    /// recognise replays); returns how many.
    async fn purge_sealed_inbox_bodies(&self, before: i64) -> DbResult<u64>;
}

both_backends! { impl InboxStore {
    async fn insert_inbox_activity(
        &self,
        ap_id: &str,
        actor: &str,
        kind: &str,
        body: &str,
        state: &str,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "INSERT INTO inbox_activities (ap_id, actor, kind, body, state, received_at)
             VALUES ($1, $2, $3, $4, $6, $5) ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(ap_id)
        .bind(actor)
        .bind(kind)
        .bind(body)
        .bind(now_ms())
        .bind(state)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn inbox_activity_seen(&self, ap_id: &str) -> DbResult<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM inbox_activities WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn pending_inbox_activities(&self, limit: i64) -> DbResult<Vec<InboxRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM inbox_activities WHERE state = 'pending' ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn set_inbox_state(&self, id: i64, state: &str, error: Option<&str>) -> DbResult<()> {
        sqlx::query(
            "UPDATE inbox_activities SET state = $2, last_error = $3, attempts = attempts + 1,
                 processed_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(error)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn count_inbox_activities(&self) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inbox_activities")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    async fn purge_sealed_inbox_bodies(&self, before: i64) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE inbox_activities SET body = '' WHERE body LIKE 'sealed:%'
               AND state IN ('done', 'failed') AND received_at < $1",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}}
