//! All SQL lives here: the `Store` trait, one implementation per database, and migrations.
//!
//! The store is split by concern into small traits (`OrganisationStore`, `PostStore`, ...)
//! that `Store` gathers. SQL that both databases understand is written once and expanded for
//! each backend by [`both_backends!`]; what differs is written in `sqlite.rs` or `postgres.rs`.

pub mod accounts;
pub mod actors;
pub mod deliveries;
pub mod directory;
pub mod inbox;
pub mod moderation;
pub mod organisations;
pub mod policy;
pub mod postgres;
pub mod posts;
pub mod referral_lifecycle;
pub mod referrals;
pub mod sealed;
pub mod sqlite;
pub mod subscriptions;
pub mod values;

pub use accounts::{AccountRow, AccountStore, NewAccount, TokenRow};
pub use actors::{ActorStore, FollowRow, NewRemoteActor, RemoteActorRow};
pub use deliveries::{DeliveryHead, DeliveryStore, DestinationState, NewActivity};
pub use directory::{DirectoryQuery, DirectoryStore, SearchHit};
pub use inbox::{InboxRow, InboxStore};
pub use moderation::{ModeratedActorRow, ModerationStore, NewReport, RemovedObjectRow, ReportRow};
pub use organisations::{NewOrganisation, OrganisationRow, OrganisationStore};
pub use policy::{DomainRuleRow, PolicyStore};
pub use posts::{NewPost, PostFields, PostRow, PostStore};
pub use referral_lifecycle::ReferralLifecycleStore;
pub use referrals::{
    AuditRow, NewEvent, NewReferral, ReferralEventRow, ReferralRow, ReferralStore,
};
pub use sealed::{NodeSecretRow, SealedColumn, SealedStore, SealedValue};
pub use subscriptions::{SubscriptionRow, SubscriptionStore};
pub use values::{EventKind, ReferralId};

use std::sync::Arc;

/// Everything the rest of the node may ask of the database.
#[async_trait::async_trait]
pub trait Store:
    OrganisationStore
    + AccountStore
    + ActorStore
    + PostStore
    + DirectoryStore
    + DeliveryStore
    + InboxStore
    + ReferralStore
    + ReferralLifecycleStore
    + PolicyStore
    + ModerationStore
    + SubscriptionStore
    + SealedStore
    + Send
    + Sync
{
    /// Which database this is, for logs and NodeInfo.
    fn backend(&self) -> &'static str;
    /// Refreshes the query planner's statistics (run hourly, and after bulk imports).
    async fn optimize(&self) -> DbResult<()>;
    /// Leaves no old copy of re-sealed values in the database's files (after an upgrade or a
    /// rotation of the secret key).
    async fn scrub(&self) -> DbResult<()>;
}

/// Errors of the storage layer. Callers see `NotFound` and `Conflict` as such; anything else
/// is an internal fault whose cause goes to the log, never to a client.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: expected sqlite:// or postgres://")]
    UnsupportedUrl(String),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                DbError::Conflict(db.message().to_string())
            }
            other => DbError::Sqlx(other),
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// Milliseconds since the Unix epoch: the one timestamp format of the schema.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Opens the database named by `url` (creating an SQLite file and its folder if needed) and
/// runs pending migrations. The URL scheme chooses the implementation.
pub async fn connect(url: &str) -> DbResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        Err(DbError::UnsupportedUrl(url.to_string()))
    }
}

/// Writes one trait implementation for both backends from a single body. Inside the body,
/// `self.pool` is the backend's `sqlx::Pool`; queries use `$1` placeholders, which SQLite and
/// PostgreSQL both accept.
macro_rules! both_backends {
    (impl $trait:ident { $($body:tt)* }) => {
        #[async_trait::async_trait]
        impl $trait for $crate::db::sqlite::SqliteStore { $($body)* }
        #[async_trait::async_trait]
        impl $trait for $crate::db::postgres::PgStore { $($body)* }
    };
}
pub(crate) use both_backends;
