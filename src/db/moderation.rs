//! Local moderation: remote actors suspended or gone, remote objects removed, and reports
//! (Flag activities) received and sent.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ModeratedActorRow {
    pub ap_id: String,
    /// `suspended` (by an admin, reversible) or `gone` (the actor deleted itself).
    pub state: String,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RemovedObjectRow {
    pub ap_id: String,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub organisation_id: i64,
    /// `received` or `sent`.
    pub direction: String,
    pub activity_ap_id: String,
    pub reporter: String,
    /// The reported actor and object ids, as a JSON array of strings.
    pub targets: String,
    pub comment: String,
    /// `open` or `resolved`.
    pub state: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

pub struct NewReport<'a> {
    pub organisation_id: i64,
    pub direction: &'a str,
    pub activity_ap_id: &'a str,
    pub reporter: &'a str,
    pub targets: &'a str,
    pub comment: &'a str,
}

#[async_trait::async_trait]
pub trait ModerationStore {
    /// Marks an actor `suspended` or `gone` (a later mark replaces an earlier one).
    async fn mark_actor(&self, ap_id: &str, state: &str, reason: &str) -> DbResult<()>;
    /// Lifts a suspension; `false` when the actor was not suspended (`gone` stays).
    async fn lift_suspension(&self, ap_id: &str) -> DbResult<bool>;
    async fn actor_mark(&self, ap_id: &str) -> DbResult<Option<ModeratedActorRow>>;
    async fn marked_actors(&self) -> DbResult<Vec<ModeratedActorRow>>;
    /// Personal inboxes of suspended and gone actors, which nothing is delivered to.
    async fn marked_inboxes(&self) -> DbResult<Vec<String>>;
    /// Deletes the copies of the actor's posts, its follows both ways and the pending
    /// deliveries to its personal inbox; returns how many posts went.
    async fn forget_actor(&self, ap_id: &str) -> DbResult<u64>;
    /// Records the removal and deletes the remote copy; `false` when there was no copy.
    async fn remove_object(&self, ap_id: &str, reason: &str) -> DbResult<bool>;
    async fn is_object_removed(&self, ap_id: &str) -> DbResult<bool>;
    async fn removed_objects(&self) -> DbResult<Vec<RemovedObjectRow>>;
    /// `None` when a report with this activity id exists already.
    async fn insert_report(&self, report: NewReport<'_>) -> DbResult<Option<ReportRow>>;
    async fn list_reports(
        &self,
        organisation_id: i64,
        state: Option<&str>,
    ) -> DbResult<Vec<ReportRow>>;
    async fn resolve_report(&self, organisation_id: i64, id: i64, by: &str) -> DbResult<bool>;
}

both_backends! { impl ModerationStore {
    async fn mark_actor(&self, ap_id: &str, state: &str, reason: &str) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO moderated_actors (ap_id, state, reason, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (ap_id) DO UPDATE SET state = $2, reason = $3, created_at = $4",
        )
        .bind(ap_id)
        .bind(state)
        .bind(reason)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn lift_suspension(&self, ap_id: &str) -> DbResult<bool> {
        let done = sqlx::query("DELETE FROM moderated_actors WHERE ap_id = $1 AND state = 'suspended'")
            .bind(ap_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn actor_mark(&self, ap_id: &str) -> DbResult<Option<ModeratedActorRow>> {
        Ok(sqlx::query_as("SELECT * FROM moderated_actors WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn marked_actors(&self) -> DbResult<Vec<ModeratedActorRow>> {
        Ok(sqlx::query_as("SELECT * FROM moderated_actors ORDER BY created_at DESC")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn marked_inboxes(&self) -> DbResult<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT a.inbox FROM remote_actors a JOIN moderated_actors m ON m.ap_id = a.ap_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(inbox,)| inbox).collect())
    }

    async fn forget_actor(&self, ap_id: &str) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        for table in ["following", "followers"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE actor_id IN (SELECT id FROM remote_actors WHERE ap_id = $1)"
            ))
            .bind(ap_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE deliveries SET state = 'dropped', updated_at = $2,
                 last_error = 'the recipient is suspended or gone'
             WHERE state = 'pending' AND inbox IN (SELECT inbox FROM remote_actors WHERE ap_id = $1)",
        )
        .bind(ap_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let posts = sqlx::query("DELETE FROM posts WHERE organisation_id IS NULL AND author_ap_id = $1")
            .bind(ap_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(posts)
    }

    async fn remove_object(&self, ap_id: &str, reason: &str) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO removed_objects (ap_id, reason, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (ap_id) DO UPDATE SET reason = $2",
        )
        .bind(ap_id)
        .bind(reason)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let removed = sqlx::query("DELETE FROM posts WHERE organisation_id IS NULL AND ap_id = $1")
            .bind(ap_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(removed > 0)
    }

    async fn is_object_removed(&self, ap_id: &str) -> DbResult<bool> {
        let row: Option<(String,)> = sqlx::query_as("SELECT ap_id FROM removed_objects WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn removed_objects(&self) -> DbResult<Vec<RemovedObjectRow>> {
        Ok(sqlx::query_as("SELECT * FROM removed_objects ORDER BY created_at DESC")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn insert_report(&self, r: NewReport<'_>) -> DbResult<Option<ReportRow>> {
        Ok(sqlx::query_as(
            "INSERT INTO reports (organisation_id, direction, activity_ap_id, reporter, targets,
                 comment, state, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)
             ON CONFLICT (activity_ap_id) DO NOTHING RETURNING *",
        )
        .bind(r.organisation_id)
        .bind(r.direction)
        .bind(r.activity_ap_id)
        .bind(r.reporter)
        .bind(r.targets)
        .bind(r.comment)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_reports(&self, organisation_id: i64, state: Option<&str>) -> DbResult<Vec<ReportRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM reports WHERE organisation_id = $1 AND ($2 IS NULL OR state = $2)
             ORDER BY id DESC LIMIT 500",
        )
        .bind(organisation_id)
        .bind(state)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn resolve_report(&self, organisation_id: i64, id: i64, by: &str) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE reports SET state = 'resolved', resolved_by = $3, resolved_at = $4
             WHERE organisation_id = $1 AND id = $2",
        )
        .bind(organisation_id)
        .bind(id)
        .bind(by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}}
