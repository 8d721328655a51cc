//! Every column that holds sealed (encrypted) values, walked as one, so that the node can
//! re-seal them all: at start for values of older versions, and when the secret key rotates.
//! Also the one row recording which secret key sealed this database.

use super::{both_backends, now_ms, DbResult};

/// A column holding sealed values, with what identifies its row for the binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    OrganisationKey,
    Referral,
    ReferralEvent,
    OutgoingBody,
    OutgoingSigningKey,
    InboxBody,
}

impl SealedColumn {
    pub const ALL: [SealedColumn; 6] = [
        SealedColumn::OrganisationKey,
        SealedColumn::Referral,
        SealedColumn::ReferralEvent,
        SealedColumn::OutgoingBody,
        SealedColumn::OutgoingSigningKey,
        SealedColumn::InboxBody,
    ];

    /// The rows whose value is not yet sealed with the current key (`$2` is the current
    /// key's prefix), after id `$1`, at most `$3`; as (id, row key, value).
    fn select(self) -> &'static str {
        match self {
            // Plain PEM keys of earlier versions are picked up too: they are to be sealed.
            SealedColumn::OrganisationKey => {
                "SELECT id, handle AS row_key, private_key_sealed AS value FROM organisations
                 WHERE id > $1 AND private_key_sealed NOT LIKE $2 ORDER BY id LIMIT $3"
            }
            SealedColumn::Referral => {
                "SELECT id, ap_id AS row_key, sealed AS value FROM referrals
                 WHERE id > $1 AND sealed IS NOT NULL AND sealed NOT LIKE $2 ORDER BY id LIMIT $3"
            }
            SealedColumn::ReferralEvent => {
                "SELECT e.id AS id, r.ap_id || '#' || e.uid AS row_key, e.sealed AS value
                 FROM referral_events e JOIN referrals r ON r.id = e.referral_id
                 WHERE e.id > $1 AND e.sealed IS NOT NULL AND e.sealed NOT LIKE $2
                 ORDER BY e.id LIMIT $3"
            }
            // Public activities are queued in clear; only sealed ones are re-sealed.
            SealedColumn::OutgoingBody => {
                "SELECT id, ap_id AS row_key, body AS value FROM outgoing_activities
                 WHERE id > $1 AND body LIKE 'sealed:%' AND body NOT LIKE $2 ORDER BY id LIMIT $3"
            }
            SealedColumn::OutgoingSigningKey => {
                "SELECT id, ap_id AS row_key, signing_key_sealed AS value FROM outgoing_activities
                 WHERE id > $1 AND signing_key_sealed IS NOT NULL AND signing_key_sealed NOT LIKE $2
                 ORDER BY id LIMIT $3"
            }
            SealedColumn::InboxBody => {
                "SELECT id, ap_id AS row_key, body AS value FROM inbox_activities
                 WHERE id > $1 AND body LIKE 'sealed:%' AND body NOT LIKE $2 ORDER BY id LIMIT $3"
            }
        }
    }

    /// Replaces the value of row `$1` with `$3` if it still is `$2`.
    fn replace(self) -> &'static str {
        match self {
            SealedColumn::OrganisationKey => {
                "UPDATE organisations SET private_key_sealed = $3 WHERE id = $1 AND private_key_sealed = $2"
            }
            SealedColumn::Referral => {
                "UPDATE referrals SET sealed = $3 WHERE id = $1 AND sealed = $2"
            }
            SealedColumn::ReferralEvent => {
                "UPDATE referral_events SET sealed = $3 WHERE id = $1 AND sealed = $2"
            }
            SealedColumn::OutgoingBody => {
                "UPDATE outgoing_activities SET body = $3 WHERE id = $1 AND body = $2"
            }
            SealedColumn::OutgoingSigningKey => {
                "UPDATE outgoing_activities SET signing_key_sealed = $3 WHERE id = $1 AND signing_key_sealed = $2"
            }
            SealedColumn::InboxBody => {
                "UPDATE inbox_activities SET body = $3 WHERE id = $1 AND body = $2"
            }
        }
    }
}

/// One stored sealed value (or a plain private key of an earlier version).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedValue {
    pub id: i64,
    pub row_key: String,
    pub value: String,
}

/// Which secret key sealed this database, and a value sealed with it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeSecretRow {
    pub key_id: String,
    pub key_check: String,
    pub updated_at: i64,
}

#[async_trait::async_trait]
pub trait SealedStore {
    async fn node_secret(&self) -> DbResult<Option<NodeSecretRow>>;
    async fn set_node_secret(&self, key_id: &str, key_check: &str) -> DbResult<()>;
    /// Values of `column` not sealed with the key whose values start with `current_prefix`.
    async fn values_to_reseal(
        &self,
        column: SealedColumn,
        current_prefix: &str,
        after_id: i64,
        limit: i64,
    ) -> DbResult<Vec<SealedValue>>;
    /// Replaces one value if nobody changed it meanwhile; `false` otherwise.
    async fn replace_sealed(
        &self,
        column: SealedColumn,
        id: i64,
        old: &str,
        new: &str,
    ) -> DbResult<bool>;
}

both_backends! { impl SealedStore {
    async fn node_secret(&self) -> DbResult<Option<NodeSecretRow>> {
        Ok(sqlx::query_as("SELECT key_id, key_check, updated_at FROM node_secret WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_node_secret(&self, key_id: &str, key_check: &str) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO node_secret (id, key_id, key_check, updated_at) VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET key_id = $1, key_check = $2, updated_at = $3",
        )
        .bind(key_id)
        .bind(key_check)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn values_to_reseal(
        &self,
        column: SealedColumn,
        current_prefix: &str,
        after_id: i64,
        limit: i64,
    ) -> DbResult<Vec<SealedValue>> {
        Ok(sqlx::query_as(column.select())
            .bind(after_id)
            .bind(format!("{current_prefix}%"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn replace_sealed(&self, column: SealedColumn, id: i64, old: &str, new: &str) -> DbResult<bool> {
        let done = sqlx::query(column.replace())
            .bind(id)
            .bind(old)
            .bind(new)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}}
