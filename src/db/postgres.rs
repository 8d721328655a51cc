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
}

#[async_trait::async_trait]
impl super::DirectoryStore for PgStore {
    async fn search_directory(&self, q: &super::DirectoryQuery) -> DbResult<Vec<super::SearchHit>> {
        use super::directory::{bind_all, filter_sql, search_tokens};
        let tokens = search_tokens(q.text.as_deref().unwrap_or_default());
        let first = if tokens.is_empty() { 1 } else { 2 };
        let (filters, binds, next) = filter_sql(q, first);
        let page = format!("LIMIT ${next} OFFSET ${}", next + 1);
        if tokens.is_empty() {
            let sql = format!(
                "SELECT p.*, 0.0::float8 AS rank FROM posts p WHERE {filters}
                 ORDER BY p.id DESC {page}"
            );
            let query = bind_all!(sqlx::query_as(&sql), binds);
            return Ok(query
                .bind(q.limit)
                .bind(q.offset)
                .fetch_all(&self.pool)
                .await?);
        }
        // Words are letters and digits only, so the tsquery has no syntax of the user's;
        // each is matched as a prefix, like the SQLite backend does.
        let matching = tokens
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & ");
        let sql = format!(
            "SELECT p.*, ts_rank(p.search, to_tsquery('simple', $1))::float8 AS rank
             FROM posts p
             WHERE p.search @@ to_tsquery('simple', $1) AND {filters}
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
