//! Posts: local organisation updates and copies of remote ones received from followed actors.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub organisation_id: Option<i64>,
    pub author_ap_id: String,
    pub visibility: String,
    pub content: String,
    pub source: Option<String>,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub received_at: i64,
}

pub struct NewPost<'a> {
    pub ap_id: &'a str,
    pub kind: &'a str,
    /// Set for posts written on this node.
    pub organisation_id: Option<i64>,
    pub author_ap_id: &'a str,
    pub visibility: &'a str,
    pub content: &'a str,
    pub source: Option<&'a str>,
    pub published_at: i64,
    pub updated_at: Option<i64>,
}

#[async_trait::async_trait]
pub trait PostStore {
    async fn insert_post(&self, post: NewPost<'_>) -> DbResult<PostRow>;
    /// Stores a remote post, or refreshes the stored copy when the id is known.
    async fn upsert_remote_post(&self, post: NewPost<'_>) -> DbResult<PostRow>;
    async fn post_by_ap_id(&self, ap_id: &str) -> DbResult<Option<PostRow>>;
    async fn update_post_content(
        &self,
        id: i64,
        content: &str,
        source: Option<&str>,
        updated_at: i64,
    ) -> DbResult<PostRow>;
    /// Keeps a local post's id as a tombstone: content gone, `deleted_at` set.
    async fn tombstone_post(&self, id: i64) -> DbResult<()>;
    async fn delete_post(&self, id: i64) -> DbResult<()>;
    /// A local organisation's posts, newest first, ids below `before` when given.
    async fn organisation_posts(
        &self,
        organisation_id: i64,
        public_only: bool,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<PostRow>>;
    async fn count_organisation_posts(
        &self,
        organisation_id: i64,
        public_only: bool,
    ) -> DbResult<i64>;
    async fn count_local_posts(&self) -> DbResult<i64>;
    /// Remote posts by actors the organisation follows (accepted), newest first.
    async fn home_feed(
        &self,
        organisation_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<PostRow>>;
}

both_backends! { impl PostStore {
    async fn insert_post(&self, p: NewPost<'_>) -> DbResult<PostRow> {
        Ok(sqlx::query_as(
            "INSERT INTO posts (ap_id, kind, organisation_id, author_ap_id, visibility, content,
                 source, published_at, updated_at, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *",
        )
        .bind(p.ap_id)
        .bind(p.kind)
        .bind(p.organisation_id)
        .bind(p.author_ap_id)
        .bind(p.visibility)
        .bind(p.content)
        .bind(p.source)
        .bind(p.published_at)
        .bind(p.updated_at)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn upsert_remote_post(&self, p: NewPost<'_>) -> DbResult<PostRow> {
        Ok(sqlx::query_as(
            "INSERT INTO posts (ap_id, kind, organisation_id, author_ap_id, visibility, content,
                 source, published_at, updated_at, received_at)
             VALUES ($1, $2, NULL, $3, $4, $5, NULL, $6, $7, $8)
             ON CONFLICT (ap_id) DO UPDATE SET visibility = $4, content = $5, updated_at = $7
             RETURNING *",
        )
        .bind(p.ap_id)
        .bind(p.kind)
        .bind(p.author_ap_id)
        .bind(p.visibility)
        .bind(p.content)
        .bind(p.published_at)
        .bind(p.updated_at)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn post_by_ap_id(&self, ap_id: &str) -> DbResult<Option<PostRow>> {
        Ok(sqlx::query_as("SELECT * FROM posts WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn update_post_content(
        &self,
        id: i64,
        content: &str,
        source: Option<&str>,
        updated_at: i64,
    ) -> DbResult<PostRow> {
        Ok(sqlx::query_as(
            "UPDATE posts SET content = $2, source = $3, updated_at = $4 WHERE id = $1 RETURNING *",
        )
        .bind(id)
        .bind(content)
        .bind(source)
        .bind(updated_at)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn tombstone_post(&self, id: i64) -> DbResult<()> {
        sqlx::query("UPDATE posts SET content = '', source = NULL, deleted_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_post(&self, id: i64) -> DbResult<()> {
        sqlx::query("DELETE FROM posts WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn organisation_posts(
        &self,
        organisation_id: i64,
        public_only: bool,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<PostRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM posts WHERE organisation_id = $1 AND deleted_at IS NULL
               AND ($2 = FALSE OR visibility = 'public') AND ($3 IS NULL OR id < $3)
             ORDER BY id DESC LIMIT $4",
        )
        .bind(organisation_id)
        .bind(public_only)
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn count_organisation_posts(
        &self,
        organisation_id: i64,
        public_only: bool,
    ) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM posts WHERE organisation_id = $1 AND deleted_at IS NULL
               AND ($2 = FALSE OR visibility = 'public')",
        )
        .bind(organisation_id)
        .bind(public_only)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn count_local_posts(&self) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM posts WHERE organisation_id IS NOT NULL AND deleted_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn home_feed(
        &self,
        organisation_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<PostRow>> {
        Ok(sqlx::query_as(
            "SELECT p.* FROM posts p
             WHERE p.organisation_id IS NULL AND p.deleted_at IS NULL
               AND p.author_ap_id IN (
                   SELECT a.ap_id FROM following f JOIN remote_actors a ON a.id = f.actor_id
                   WHERE f.organisation_id = $1 AND f.state = 'accepted')
               AND ($2 IS NULL OR p.id < $2)
             ORDER BY p.id DESC LIMIT $3",
        )
        .bind(organisation_id)
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}}
