//! Referrals, their timeline of events, and the audit log. Personal data only ever arrives
//! here already sealed (encrypted) by the domain.

use super::values::{EventKind, ReferralId, ReferralStatus, Side, Urgency};
use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub ap_id: String,
    pub organisation_id: i64,
    pub side: Side,
    pub counterpart: String,
    pub counterpart_inbox: String,
    pub offer_activity: String,
    pub program: Option<String>,
    pub referral_offer: Option<String>,
    pub urgency: Urgency,
    pub status: ReferralStatus,
    pub sealed: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub erased_at: Option<i64>,
    /// When it reached an end state; retention counts from here.
    pub ended_at: Option<i64>,
}

pub struct NewReferral<'a> {
    pub ap_id: &'a str,
    pub organisation_id: i64,
    pub side: Side,
    pub counterpart: &'a str,
    pub counterpart_inbox: &'a str,
    pub offer_activity: &'a str,
    pub program: Option<&'a str>,
    pub referral_offer: Option<&'a str>,
    pub urgency: Urgency,
    pub status: ReferralStatus,
    pub sealed: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReferralEventRow {
    pub id: i64,
    pub referral_id: ReferralId,
    /// A unique name for the event, to which its sealed note is bound.
    pub uid: String,
    pub activity: Option<String>,
    pub at: i64,
    pub by_actor: String,
    pub kind: EventKind,
    /// The status reached, for a `Status` event.
    pub status: Option<ReferralStatus>,
    pub sealed: Option<String>,
}

pub struct NewEvent<'a> {
    pub referral_id: ReferralId,
    /// A fresh unique name (see `ReferralEventRow::uid`).
    pub uid: &'a str,
    /// The activity that carried it, so a replay is stored once.
    pub activity: Option<&'a str>,
    pub by_actor: &'a str,
    pub kind: EventKind,
    pub status: Option<ReferralStatus>,
    pub sealed: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub organisation_id: i64,
    pub actor: String,
    pub action: String,
    pub referral_id: Option<ReferralId>,
    pub detail: String,
}

#[async_trait::async_trait]
pub trait ReferralStore {
    async fn insert_referral(&self, new: NewReferral<'_>) -> DbResult<ReferralRow>;
    async fn referral_by_id(&self, id: ReferralId) -> DbResult<Option<ReferralRow>>;
    async fn referral_by_ap_id(
        &self,
        organisation_id: Option<i64>,
        ap_id: &str,
    ) -> DbResult<Option<ReferralRow>>;
    async fn referral_by_offer_activity(
        &self,
        offer_activity: &str,
    ) -> DbResult<Option<ReferralRow>>;
    async fn list_referrals(
        &self,
        organisation_id: i64,
        side: Option<Side>,
    ) -> DbResult<Vec<ReferralRow>>;
    /// Moves a referral to `status` and records the event, atomically; `ended` when the
    /// status is an end state (the first one reached is kept as `ended_at`). `false` (nothing
    /// written) when the event's activity was recorded before.
    async fn record_status(
        &self,
        id: ReferralId,
        status: ReferralStatus,
        ended: bool,
        event: NewEvent<'_>,
    ) -> DbResult<bool>;
    /// Records a message or note; `false` when its activity was recorded before.
    async fn add_referral_event(&self, event: NewEvent<'_>) -> DbResult<bool>;
    async fn referral_events(&self, referral_id: ReferralId) -> DbResult<Vec<ReferralEventRow>>;
    /// Referrals of `referral_offer` that still take a place (not declined, withdrawn or
    /// expired).
    async fn count_offer_referrals(&self, referral_offer: &str) -> DbResult<i64>;
    /// Referrals that reached an end state before `ended_before` and are not yet erased.
    async fn referrals_to_erase(&self, ended_before: i64) -> DbResult<Vec<ReferralRow>>;
    /// Erases the sealed fields of a referral and its events, keeping dates and statuses.
    async fn erase_referral(&self, id: ReferralId) -> DbResult<()>;
    async fn record_audit(
        &self,
        organisation_id: i64,
        actor: &str,
        action: &str,
        referral_id: Option<ReferralId>,
        detail: &str,
    ) -> DbResult<()>;
    async fn audit_log(
        &self,
        organisation_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<AuditRow>>;
}

const INSERT_EVENT: &str =
    "INSERT INTO referral_events (referral_id, activity, at, by_actor, kind, status, sealed, uid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (activity) DO NOTHING";

both_backends! { impl ReferralStore {
    async fn insert_referral(&self, r: NewReferral<'_>) -> DbResult<ReferralRow> {
        let now = now_ms();
        Ok(sqlx::query_as(
            "INSERT INTO referrals (ap_id, organisation_id, side, counterpart, counterpart_inbox,
                 offer_activity, program, referral_offer, urgency, status, sealed, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *",
        )
        .bind(r.ap_id).bind(r.organisation_id).bind(r.side).bind(r.counterpart)
        .bind(r.counterpart_inbox).bind(r.offer_activity).bind(r.program).bind(r.referral_offer)
        .bind(r.urgency).bind(r.status).bind(r.sealed).bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn referral_by_id(&self, id: ReferralId) -> DbResult<Option<ReferralRow>> {
        Ok(sqlx::query_as("SELECT * FROM referrals WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn referral_by_ap_id(&self, organisation_id: Option<i64>, ap_id: &str) -> DbResult<Option<ReferralRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM referrals WHERE ap_id = $1 AND ($2 IS NULL OR organisation_id = $2)",
        )
        .bind(ap_id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn referral_by_offer_activity(&self, offer_activity: &str) -> DbResult<Option<ReferralRow>> {
        Ok(sqlx::query_as("SELECT * FROM referrals WHERE offer_activity = $1")
            .bind(offer_activity)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_referrals(&self, organisation_id: i64, side: Option<Side>) -> DbResult<Vec<ReferralRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM referrals WHERE organisation_id = $1 AND ($2 IS NULL OR side = $2)
             ORDER BY updated_at DESC, id DESC",
        )
        .bind(organisation_id)
        .bind(side)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn record_status(&self, id: ReferralId, status: ReferralStatus, ended: bool, e: NewEvent<'_>) -> DbResult<bool> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(INSERT_EVENT)
            .bind(e.referral_id).bind(e.activity).bind(now).bind(e.by_actor).bind(e.kind)
            .bind(e.status).bind(e.sealed).bind(e.uid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE referrals SET status = $2, updated_at = $3,
                 closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_at END,
                 ended_at = CASE WHEN $4 THEN COALESCE(ended_at, $3) ELSE ended_at END
             WHERE id = $1",
        )
        .bind(id)
        .bind(status)
        .bind(now)
        .bind(ended)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn add_referral_event(&self, e: NewEvent<'_>) -> DbResult<bool> {
        let done = sqlx::query(INSERT_EVENT)
            .bind(e.referral_id).bind(e.activity).bind(now_ms()).bind(e.by_actor).bind(e.kind)
            .bind(e.status).bind(e.sealed).bind(e.uid)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn referral_events(&self, referral_id: ReferralId) -> DbResult<Vec<ReferralEventRow>> {
        Ok(sqlx::query_as("SELECT * FROM referral_events WHERE referral_id = $1 ORDER BY id")
            .bind(referral_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn count_offer_referrals(&self, referral_offer: &str) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM referrals WHERE referral_offer = $1
               AND status NOT IN ('declined', 'withdrawn', 'expired')",
        )
        .bind(referral_offer)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn referrals_to_erase(&self, ended_before: i64) -> DbResult<Vec<ReferralRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM referrals WHERE ended_at IS NOT NULL AND ended_at < $1 AND erased_at IS NULL",
        )
        .bind(ended_before)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn erase_referral(&self, id: ReferralId) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE referrals SET sealed = NULL, erased_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE referral_events SET sealed = NULL WHERE referral_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_audit(
        &self,
        organisation_id: i64,
        actor: &str,
        action: &str,
        referral_id: Option<ReferralId>,
        detail: &str,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, organisation_id, actor, action, referral_id, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now_ms())
        .bind(organisation_id)
        .bind(actor)
        .bind(action)
        .bind(referral_id)
        .bind(detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn audit_log(&self, organisation_id: i64, before: Option<i64>, limit: i64) -> DbResult<Vec<AuditRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM audit_log WHERE organisation_id = $1 AND ($2 IS NULL OR id < $2)
             ORDER BY id DESC LIMIT $3",
        )
        .bind(organisation_id)
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}}
