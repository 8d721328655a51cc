//! What happens to a referral around its end: taking back what is queued for it, finding the
//! referrals nobody answered, and who may refer people to an organisation.

use super::values::ReferralStatus;
use super::{both_backends, DbResult, ReferralRow};

/// The deliveries of the referral's `Offer` that mean the receiver may hold it: in flight,
/// delivered, answered (even with a refusal), or an attempt that may have arrived.
const OFFER_MAY_HAVE_ARRIVED: &str = "SELECT COUNT(*) FROM deliveries d
     JOIN outgoing_activities a ON a.id = d.activity_id
     WHERE a.ap_id = $1
       AND (d.state IN ('sending', 'delivered', 'rejected') OR d.maybe_received)";

#[async_trait::async_trait]
pub trait ReferralLifecycleStore {
    /// Takes back what is queued for `referral` and not yet delivered, atomically: its
    /// `Offer` (`offer_activity`) first, then everything else when `everything` or when the
    /// Offer cannot have arrived, otherwise only messages (`Create`). Taken-back deliveries
    /// become `withdrawn` and their sealed bodies are emptied (every body of the referral when
    /// `everything`). Returns whether the Offer may have reached the receiver.
    async fn take_back_queued(
        &self,
        referral: &str,
        offer_activity: &str,
        everything: bool,
    ) -> DbResult<bool>;
    /// Whether the receiver may know of the referral: its `Offer` is queued, in flight,
    /// delivered or may have arrived (so it was not taken back before it left).
    async fn offer_may_reach(&self, offer_activity: &str) -> DbResult<bool>;
    /// Whether an attempt to deliver the `Offer` is under way (claimed by the worker).
    async fn offer_in_flight(&self, offer_activity: &str) -> DbResult<bool>;
    /// Referrals in one of `statuses` created before `created_before`, not yet erased.
    async fn referrals_created_before(
        &self,
        statuses: &[ReferralStatus],
        created_before: i64,
    ) -> DbResult<Vec<ReferralRow>>;
    /// The organisation's `referrals_from` setting as stored.
    async fn referrals_from(&self, organisation_id: i64) -> DbResult<String>;
    async fn set_referrals_from(&self, organisation_id: i64, value: &str) -> DbResult<()>;
    /// Whether the organisation follows `actor_ap_id` or is followed by it (accepted).
    async fn connected_with(&self, organisation_id: i64, actor_ap_id: &str) -> DbResult<bool>;
}

both_backends! { impl ReferralLifecycleStore {
    async fn take_back_queued(
        &self,
        referral: &str,
        offer_activity: &str,
        everything: bool,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        // A delivery in flight is taken back too (so a failed attempt cannot put it back in
        // the queue), but it may still arrive: that is remembered.
        let withdraw = "UPDATE deliveries SET state = 'withdrawn', updated_at = $2,
                 maybe_received = (maybe_received OR state = 'sending')
             WHERE state IN ('pending', 'sending') AND activity_id IN
                 (SELECT id FROM outgoing_activities WHERE referral = $1 AND ";
        sqlx::query(&format!("{withdraw} ap_id = $3)"))
            .bind(referral)
            .bind(super::now_ms())
            .bind(offer_activity)
            .execute(&mut *tx)
            .await?;
        let (reached,): (i64,) = sqlx::query_as(OFFER_MAY_HAVE_ARRIVED)
            .bind(offer_activity)
            .fetch_one(&mut *tx)
            .await?;
        let reached = reached > 0;
        let kinds = if everything || !reached { "TRUE" } else { "kind = 'Create'" };
        sqlx::query(&format!("{withdraw} {kinds})"))
            .bind(referral)
            .bind(super::now_ms())
            .execute(&mut *tx)
            .await?;
        let still_queued = if everything {
            "FALSE"
        } else {
            "EXISTS (SELECT 1 FROM deliveries d WHERE d.activity_id = outgoing_activities.id
                       AND d.state IN ('pending', 'sending'))"
        };
        sqlx::query(&format!(
            "UPDATE outgoing_activities SET body = '' WHERE referral = $1 AND NOT {still_queued}"
        ))
        .bind(referral)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(reached)
    }

    async fn offer_in_flight(&self, offer_activity: &str) -> DbResult<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM deliveries d JOIN outgoing_activities a ON a.id = d.activity_id
             WHERE a.ap_id = $1 AND d.state = 'sending'",
        )
        .bind(offer_activity)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn offer_may_reach(&self, offer_activity: &str) -> DbResult<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM deliveries d JOIN outgoing_activities a ON a.id = d.activity_id
             WHERE a.ap_id = $1
               AND (d.state IN ('pending', 'sending', 'delivered', 'rejected') OR d.maybe_received)",
        )
        .bind(offer_activity)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn referrals_created_before(
        &self,
        statuses: &[ReferralStatus],
        created_before: i64,
    ) -> DbResult<Vec<ReferralRow>> {
        let mut found = Vec::new();
        for status in statuses {
            let rows: Vec<ReferralRow> = sqlx::query_as(
                "SELECT * FROM referrals WHERE status = $1 AND created_at < $2 AND erased_at IS NULL
                 ORDER BY id",
            )
            .bind(status)
            .bind(created_before)
            .fetch_all(&self.pool)
            .await?;
            found.extend(rows);
        }
        Ok(found)
    }

    async fn referrals_from(&self, organisation_id: i64) -> DbResult<String> {
        let (value,): (String,) =
            sqlx::query_as("SELECT referrals_from FROM organisations WHERE id = $1")
                .bind(organisation_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(value)
    }

    async fn set_referrals_from(&self, organisation_id: i64, value: &str) -> DbResult<()> {
        sqlx::query("UPDATE organisations SET referrals_from = $2 WHERE id = $1")
            .bind(organisation_id)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn connected_with(&self, organisation_id: i64, actor_ap_id: &str) -> DbResult<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM following f JOIN remote_actors a ON a.id = f.actor_id
                     WHERE f.organisation_id = $1 AND a.ap_id = $2 AND f.state = 'accepted')
                  + (SELECT COUNT(*) FROM followers f JOIN remote_actors a ON a.id = f.actor_id
                     WHERE f.organisation_id = $1 AND a.ap_id = $2 AND f.state = 'accepted')",
        )
        .bind(organisation_id)
        .bind(actor_ap_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}}
