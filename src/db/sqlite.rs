//! The SQLite backend: the zero-set-up default, one file under `data/`.

use super::{DbResult, Store};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::{str::FromStr, time::Duration};

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            // WAL lets readers work while the delivery worker writes; FULL sync makes a
            // committed row survive power loss, which durable delivery promises.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted and overwritten content is zeroed in the file, so an erased referral or
            // a key sealed anew leaves no readable copy in free pages.
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(10));
        // Readable by the owner only: created 0600 before SQLite opens it (its WAL and
        // shared-memory files then get the same mode), in a directory created 0700.
        let file = options.get_filename().to_path_buf();
        let on_disk = !file.as_os_str().is_empty() && file.as_os_str() != ":memory:";
        if on_disk {
            crate::private_files::prepare_sqlite(&file).map_err(sqlx::Error::Io)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        if on_disk {
            crate::private_files::restrict_sqlite(&file).map_err(sqlx::Error::Io)?;
        }
        Ok(SqliteStore { pool })
    }
}

impl SqliteStore {
    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so it
    /// waits its turn under the busy timeout instead of failing with "database is locked"
    /// when another writer commits first.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn scrub(&self) -> DbResult<()> {
        // Moves every page into the database file and empties the WAL, which may still hold
        // pages as they were before values were sealed anew.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn optimize(&self) -> DbResult<()> {
        // Bounded analysis of every table that needs it (SQLite's recommended upkeep).
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&self.pool)
            .await?;
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// SQLite's text match: the FTS5 index, ranked by bm25 (lower is better, so negated), each
/// word quoted (never FTS5 syntax) and matched as a prefix.
const FTS5: super::directory::TextMatch = super::directory::TextMatch {
    source: "posts_fts JOIN posts p ON p.id = posts_fts.rowid",
    condition: "posts_fts MATCH $1",
    // Titles weigh most, then summaries, then the rest.
    rank: "-bm25(posts_fts, 10.0, 4.0, 1.0)",
    no_rank: "0.0",
    word: |w| format!("\"{w}\"*"),
    joiner: " AND ",
};

#[async_trait::async_trait]
impl super::DirectoryStore for SqliteStore {
    async fn search_directory(&self, q: &super::DirectoryQuery) -> DbResult<Vec<super::SearchHit>> {
        let (sql, binds) = FTS5.query(q);
        let query = super::directory::bind_all!(sqlx::query_as(&sql), binds);
        Ok(query.fetch_all(&self.pool).await?)
    }
}
