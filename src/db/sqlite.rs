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
            .busy_timeout(Duration::from_secs(10));
        if let Some(parent) = std::path::Path::new(options.get_filename()).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
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

#[async_trait::async_trait]
impl super::DirectoryStore for SqliteStore {
    async fn search_directory(&self, q: &super::DirectoryQuery) -> DbResult<Vec<super::SearchHit>> {
        use super::directory::{bind_all, filter_sql, search_tokens};
        let tokens = search_tokens(q.text.as_deref().unwrap_or_default());
        let first = if tokens.is_empty() { 1 } else { 2 };
        let (filters, binds, next) = filter_sql(q, first);
        let page = format!("LIMIT ${next} OFFSET ${}", next + 1);
        if tokens.is_empty() {
            let sql = format!(
                "SELECT p.*, 0.0 AS rank FROM posts p WHERE {filters}
                 ORDER BY p.id DESC {page}"
            );
            let query = bind_all!(sqlx::query_as(&sql), binds);
            return Ok(query
                .bind(q.limit)
                .bind(q.offset)
                .fetch_all(&self.pool)
                .await?);
        }
        // Each word quoted (so it is never FTS5 syntax) and matched as a prefix.
        let matching = tokens
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ");
        // bm25 is lower for better matches; titles weigh most, then summaries.
        let sql = format!(
            "SELECT p.*, -bm25(posts_fts, 10.0, 4.0, 1.0) AS rank
             FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
             WHERE posts_fts MATCH $1 AND {filters}
             ORDER BY rank DESC, p.id DESC {page}"
        );
        let query = bind_all!(sqlx::query_as(&sql).bind(matching), binds);
        Ok(query
            .bind(q.limit)
            .bind(q.offset)
            .fetch_all(&self.pool)
            .await?)
    }
}
