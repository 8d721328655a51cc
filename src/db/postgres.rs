//! The PostgreSQL backend, for nodes that outgrow a single file.

use super::{DbResult, Store};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}

impl PgStore {
    /// A write transaction (PostgreSQL's row locks need nothing special).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

#[async_trait::async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn optimize(&self) -> DbResult<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    async fn scrub(&self) -> DbResult<()> {
        // Rewrites the tables that held values in clear before they were sealed, so the old
        // row versions are not left in their files until the space is reused.
        sqlx::query("VACUUM (FULL) organisations, referrals, referral_events, outgoing_activities, inbox_activities")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// PostgreSQL's text match: the generated `tsvector` with its GIN index, ranked by
/// `ts_rank`; words are letters and digits only, so the tsquery holds no syntax of the user's,
/// and each is matched as a prefix like the SQLite backend does.
const TSVECTOR: super::directory::TextMatch = super::directory::TextMatch {
    source: "posts p",
    condition: "p.search @@ to_tsquery('simple', $1)",
    rank: "ts_rank(p.search, to_tsquery('simple', $1))::float8",
    no_rank: "0.0::float8",
    word: |w| format!("{w}:*"),
    joiner: " & ",
};

#[async_trait::async_trait]
impl super::DirectoryStore for PgStore {
    async fn search_directory(&self, q: &super::DirectoryQuery) -> DbResult<Vec<super::SearchHit>> {
        let (sql, binds) = TSVECTOR.query(q);
        let query = super::directory::bind_all!(sqlx::query_as(&sql), binds);
        Ok(query.fetch_all(&self.pool).await?)
    }
}
