//! The durable outbox: every outgoing activity and one delivery row per destination inbox.
//!
//! A delivery row is written in the same transaction as its activity, before anything is sent,
//! so a crash can delay a delivery but never lose it. Rows of one inbox are delivered in id
//! order: only the oldest pending row of an inbox (its "head") is ever due.

use super::{both_backends, now_ms, DbResult};

pub struct NewActivity<'a> {
    pub ap_id: &'a str,
    pub organisation_id: i64,
    pub kind: &'a str,
    pub body: &'a str,
    /// A key to sign with instead of the organisation's current one (sealed): the previous
    /// key, for the `Update` that announces a new one to servers that know only the old.
    pub signing_key_sealed: Option<&'a str>,
    /// The referral (its id) the activity belongs to, so it can be taken back.
    pub referral: Option<&'a str>,
}

/// The oldest pending delivery of one inbox, with what is needed to send it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryHead {
    pub id: i64,
    pub inbox: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub organisation_id: i64,
    pub activity_ap_id: String,
    pub body: String,
    pub signing_key_sealed: Option<String>,
}

/// How delivery to one inbox is going, for operators.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DestinationState {
    pub inbox: String,
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<String>,
    /// When the oldest pending delivery that has already failed was queued: the destination
    /// has been failing since about then (`None` while nothing pending has failed).
    pub failing_since: Option<i64>,
}

const HEAD_SELECT: &str = "SELECT d.id, d.inbox, d.attempts, d.next_attempt_at, d.created_at,
        a.organisation_id, a.ap_id AS activity_ap_id, a.body, a.signing_key_sealed
     FROM deliveries d JOIN outgoing_activities a ON a.id = d.activity_id
     WHERE d.state = 'pending'";

#[async_trait::async_trait]
pub trait DeliveryStore {
    /// Stores the activity and a pending delivery to each inbox, atomically.
    async fn enqueue_activity(&self, activity: NewActivity<'_>, inboxes: &[String])
        -> DbResult<()>;
    /// Marks a pending delivery as in flight (`sending`); `false` when it is no longer pending
    /// (taken back meanwhile), and then it must not be sent.
    async fn claim_delivery(&self, id: i64) -> DbResult<bool>;
    /// Puts deliveries left in flight by a stopped worker back in the queue; they may have
    /// reached their receiver.
    async fn release_claims(&self) -> DbResult<u64>;
    /// Heads of inboxes whose head is due at `now`, oldest first.
    async fn due_heads(&self, now: i64, limit: i64) -> DbResult<Vec<DeliveryHead>>;
    /// The current head of one inbox, due or not.
    async fn head_of(&self, inbox: &str) -> DbResult<Option<DeliveryHead>>;
    /// Ends a delivery: `delivered`, `rejected` (the receiver refused it for good) or
    /// `abandoned` (retried for too long).
    async fn finish_delivery(
        &self,
        id: i64,
        state: &str,
        status: Option<i64>,
        error: Option<&str>,
    ) -> DbResult<()>;
    /// Records a failed attempt and when to try again; `maybe_received` when the request may
    /// have reached the receiver all the same.
    async fn retry_delivery(
        &self,
        id: i64,
        next_attempt_at: i64,
        status: Option<i64>,
        error: &str,
        maybe_received: bool,
    ) -> DbResult<()>;
    async fn destination_states(&self) -> DbResult<Vec<DestinationState>>;
    /// Every queued or sent activity body (sealed when not public) with its destination inbox,
    /// newest first: what this node sent where.
    /// The latest deliveries as (activity id, body, inbox).
    async fn sent_activities(&self, limit: i64) -> DbResult<Vec<(String, String, String)>>;
    /// Makes the pending deliveries to `inbox` due now; returns how many.
    async fn retry_destination(&self, inbox: &str) -> DbResult<u64>;
    /// Gives up the pending deliveries to `inbox` (state `dropped`), an attempt in flight
    /// included (it is not retried); returns how many.
    async fn drop_destination(&self, inbox: &str) -> DbResult<u64>;
    /// Empties the sealed bodies of activities created before `before` that nobody waits for
    /// any more; returns how many.
    async fn purge_sealed_outgoing_bodies(&self, before: i64) -> DbResult<u64>;
}

both_backends! { impl DeliveryStore {
    async fn enqueue_activity(
        &self,
        activity: NewActivity<'_>,
        inboxes: &[String],
    ) -> DbResult<()> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let (activity_id,): (i64,) = sqlx::query_as(
            "INSERT INTO outgoing_activities (ap_id, organisation_id, kind, body, created_at, signing_key_sealed, referral)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(activity.ap_id)
        .bind(activity.organisation_id)
        .bind(activity.kind)
        .bind(activity.body)
        .bind(now)
        .bind(activity.signing_key_sealed)
        .bind(activity.referral)
        .fetch_one(&mut *tx)
        .await?;
        for inbox in inboxes {
            sqlx::query(
                "INSERT INTO deliveries (activity_id, inbox, state, next_attempt_at, created_at, updated_at)
                 VALUES ($1, $2, 'pending', $3, $3, $3)",
            )
            .bind(activity_id)
            .bind(inbox)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_delivery(&self, id: i64) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE deliveries SET state = 'sending', updated_at = $2 WHERE id = $1 AND state = 'pending'",
        )
        .bind(id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_claims(&self) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE deliveries SET state = 'pending', maybe_received = TRUE WHERE state = 'sending'",
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn due_heads(&self, now: i64, limit: i64) -> DbResult<Vec<DeliveryHead>> {
        let sql = format!(
            "{HEAD_SELECT} AND d.next_attempt_at <= $1
               AND d.id = (SELECT MIN(d2.id) FROM deliveries d2
                           WHERE d2.inbox = d.inbox AND d2.state = 'pending')
             ORDER BY d.id LIMIT $2"
        );
        Ok(sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(&self.pool).await?)
    }

    async fn head_of(&self, inbox: &str) -> DbResult<Option<DeliveryHead>> {
        let sql = format!("{HEAD_SELECT} AND d.inbox = $1 ORDER BY d.id LIMIT 1");
        Ok(sqlx::query_as(&sql).bind(inbox).fetch_optional(&self.pool).await?)
    }

    async fn finish_delivery(
        &self,
        id: i64,
        state: &str,
        status: Option<i64>,
        error: Option<&str>,
    ) -> DbResult<()> {
        sqlx::query(
            "UPDATE deliveries SET state = $2, attempts = attempts + 1, last_status = $3,
                 last_error = $4, updated_at = $5, maybe_received = (maybe_received OR $2 <> 'abandoned')
             WHERE id = $1 AND state IN ('pending', 'sending')",
        )
        .bind(id)
        .bind(state)
        .bind(status)
        .bind(error)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn retry_delivery(
        &self,
        id: i64,
        next_attempt_at: i64,
        status: Option<i64>,
        error: &str,
        maybe_received: bool,
    ) -> DbResult<()> {
        // Only a delivery still in flight goes back to the queue: one taken back meanwhile
        // stays withdrawn.
        sqlx::query(
            "UPDATE deliveries SET state = 'pending', attempts = attempts + 1, next_attempt_at = $2,
                 last_status = $3, last_error = $4, updated_at = $5,
                 maybe_received = (maybe_received OR $6)
             WHERE id = $1 AND state IN ('pending', 'sending')",
        )
        .bind(id)
        .bind(next_attempt_at)
        .bind(status)
        .bind(error)
        .bind(now_ms())
        .bind(maybe_received)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn destination_states(&self) -> DbResult<Vec<DestinationState>> {
        Ok(sqlx::query_as(
            "SELECT d.inbox,
                 SUM(CASE WHEN d.state IN ('pending', 'sending') THEN 1 ELSE 0 END) AS pending,
                 SUM(CASE WHEN d.state = 'delivered' THEN 1 ELSE 0 END) AS delivered,
                 SUM(CASE WHEN d.state IN ('rejected', 'abandoned', 'dropped') THEN 1 ELSE 0 END) AS failed,
                 MIN(CASE WHEN d.state = 'pending' THEN d.next_attempt_at END) AS next_attempt_at,
                 MIN(CASE WHEN d.state = 'pending' AND d.attempts > 0 THEN d.created_at END) AS failing_since,
                 (SELECT l.last_error FROM deliveries l WHERE l.inbox = d.inbox
                    AND l.last_error IS NOT NULL ORDER BY l.updated_at DESC LIMIT 1) AS last_error
             FROM deliveries d GROUP BY d.inbox ORDER BY d.inbox",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn sent_activities(&self, limit: i64) -> DbResult<Vec<(String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT a.ap_id, a.body, d.inbox FROM deliveries d JOIN outgoing_activities a ON a.id = d.activity_id
             ORDER BY d.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn purge_sealed_outgoing_bodies(&self, before: i64) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE outgoing_activities SET body = '' WHERE body LIKE 'sealed:%' AND created_at < $1
               AND NOT EXISTS (SELECT 1 FROM deliveries d
                               WHERE d.activity_id = outgoing_activities.id AND d.state = 'pending')",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        // A previous signing key is kept only while its announcement waits to be delivered.
        let keys = sqlx::query(
            "UPDATE outgoing_activities SET signing_key_sealed = NULL WHERE signing_key_sealed IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM deliveries d
                               WHERE d.activity_id = outgoing_activities.id AND d.state = 'pending')",
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() + keys.rows_affected())
    }

    async fn retry_destination(&self, inbox: &str) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE deliveries SET next_attempt_at = $2 WHERE inbox = $1 AND state = 'pending'",
        )
        .bind(inbox)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn drop_destination(&self, inbox: &str) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE deliveries SET state = 'dropped', updated_at = $2, last_error = 'dropped by an operator'
             WHERE inbox = $1 AND state IN ('pending', 'sending')",
        )
        .bind(inbox)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}}
