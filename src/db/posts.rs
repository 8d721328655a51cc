//! Posts: everything organisations publish (updates, programs, practices, advocacy notes,
//! referral offers), local ones and copies of remote ones, with their filter facets.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub organisation_id: Option<i64>,
    pub author_ap_id: String,
    pub visibility: String,
    pub name: String,
    pub summary: String,
    pub content: String,
    pub source: Option<String>,
    /// The kind's structured fields as JSON.
    pub data: Option<String>,
    /// Free tags, space-separated.
    pub tags: String,
    pub search_text: String,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub received_at: i64,
    /// A remote object's text in several languages: `domain::languages::LanguageMaps` as JSON.
    pub language_maps: Option<String>,
}

/// What a write sets, for a new post and for an edit alike.
pub struct PostFields<'a> {
    pub kind: &'a str,
    pub visibility: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub content: &'a str,
    pub source: Option<&'a str>,
    pub data: Option<&'a str>,
    pub tags: &'a str,
    /// Extra words search should find the post by (vocabulary labels, areas...).
    pub search_text: &'a str,
    pub expires_at: Option<i64>,
    pub facets: &'a [(&'static str, String)],
    /// Kept only by inserts and remote upserts; edits of local posts leave it alone.
    pub language_maps: Option<&'a str>,
}

pub struct NewPost<'a> {
    pub ap_id: &'a str,
    /// Set for posts written on this node.
    pub organisation_id: Option<i64>,
    pub author_ap_id: &'a str,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub fields: PostFields<'a>,
}

#[async_trait::async_trait]
pub trait PostStore {
    async fn insert_post(&self, post: NewPost<'_>) -> DbResult<PostRow>;
    /// Stores many posts in one transaction (imports, benchmarks); returns how many.
    async fn insert_posts(&self, posts: &[NewPost<'_>]) -> DbResult<usize>;
    /// Stores a remote post, or refreshes the stored copy when the id is known.
    async fn upsert_remote_post(&self, post: NewPost<'_>) -> DbResult<PostRow>;
    async fn post_by_ap_id(&self, ap_id: &str) -> DbResult<Option<PostRow>>;
    async fn update_post(
        &self,
        id: i64,
        fields: PostFields<'_>,
        updated_at: i64,
    ) -> DbResult<PostRow>;
    /// Keeps a local post's id as a tombstone: content gone, `deleted_at` set.
    async fn tombstone_post(&self, id: i64) -> DbResult<()>;
    async fn delete_post(&self, id: i64) -> DbResult<()>;
    /// A local organisation's posts of one kind (or all), newest first, ids below `before`.
    async fn organisation_posts(
        &self,
        organisation_id: i64,
        kind: Option<&str>,
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
    async fn post_facets(&self, post_id: i64) -> DbResult<Vec<(String, String)>>;
}

/// Replaces a post's facets inside the caller's transaction.
macro_rules! replace_facets {
    ($tx:expr, $post_id:expr, $facets:expr) => {{
        sqlx::query("DELETE FROM post_facets WHERE post_id = $1")
            .bind($post_id)
            .execute(&mut *$tx)
            .await?;
        for (facet, value) in $facets {
            sqlx::query(
                "INSERT INTO post_facets (post_id, facet, value) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind($post_id)
            .bind(*facet)
            .bind(value)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Binds a `NewPost` to the placeholders of [`INSERT_POST`], in order.
macro_rules! bind_new_post {
    ($query:expr, $p:expr) => {{
        let (p, f) = (&$p, &$p.fields);
        $query
            .bind(p.ap_id)
            .bind(p.organisation_id)
            .bind(p.author_ap_id)
            .bind(p.published_at)
            .bind(p.updated_at)
            .bind(now_ms())
            .bind(f.kind)
            .bind(f.visibility)
            .bind(f.name)
            .bind(f.summary)
            .bind(f.content)
            .bind(f.source)
            .bind(f.data)
            .bind(f.tags)
            .bind(f.search_text)
            .bind(f.expires_at)
            .bind(f.language_maps)
    }};
}

const INSERT_POST: &str = "INSERT INTO posts (ap_id, organisation_id, author_ap_id, published_at,
        updated_at, received_at, kind, visibility, name, summary, content, source, data, tags,
        search_text, expires_at, language_maps)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

both_backends! { impl PostStore {
    async fn insert_post(&self, p: NewPost<'_>) -> DbResult<PostRow> {
        let f = &p.fields;
        let mut tx = self.begin_write().await?;
        let insert = format!("{INSERT_POST} RETURNING *");
        let row: PostRow = bind_new_post!(sqlx::query_as(&insert), p)
            .fetch_one(&mut *tx)
            .await?;
        replace_facets!(tx, row.id, f.facets);
        tx.commit().await?;
        Ok(row)
    }

    async fn insert_posts(&self, posts: &[NewPost<'_>]) -> DbResult<usize> {
        let mut tx = self.begin_write().await?;
        for p in posts {
            let f = &p.fields;
            let insert = format!("{INSERT_POST} RETURNING id");
            let (id,): (i64,) = bind_new_post!(sqlx::query_as(&insert), p)
                .fetch_one(&mut *tx)
                .await?;
            replace_facets!(tx, id, f.facets);
        }
        tx.commit().await?;
        Ok(posts.len())
    }

    async fn upsert_remote_post(&self, p: NewPost<'_>) -> DbResult<PostRow> {
        let f = &p.fields;
        let mut tx = self.begin_write().await?;
        let upsert = format!(
            "{INSERT_POST} ON CONFLICT (ap_id) DO UPDATE SET updated_at = $5, kind = $7,
                 visibility = $8, name = $9, summary = $10, content = $11, data = $13,
                 tags = $14, search_text = $15, expires_at = $16,
                 language_maps = $17
             RETURNING *"
        );
        let row: PostRow = bind_new_post!(sqlx::query_as(&upsert), p)
            .fetch_one(&mut *tx)
            .await?;
        replace_facets!(tx, row.id, f.facets);
        tx.commit().await?;
        Ok(row)
    }

    async fn post_by_ap_id(&self, ap_id: &str) -> DbResult<Option<PostRow>> {
        Ok(sqlx::query_as("SELECT * FROM posts WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn update_post(&self, id: i64, f: PostFields<'_>, updated_at: i64) -> DbResult<PostRow> {
        let mut tx = self.begin_write().await?;
        let row: PostRow = sqlx::query_as(
            "UPDATE posts SET updated_at = $2, kind = $3, visibility = $4, name = $5, summary = $6,
                 content = $7, source = $8, data = $9, tags = $10, search_text = $11,
                 expires_at = $12
             WHERE id = $1 RETURNING *",
        )
        .bind(id).bind(updated_at).bind(f.kind).bind(f.visibility).bind(f.name).bind(f.summary)
        .bind(f.content).bind(f.source).bind(f.data).bind(f.tags).bind(f.search_text)
        .bind(f.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        replace_facets!(tx, row.id, f.facets);
        tx.commit().await?;
        Ok(row)
    }

    async fn tombstone_post(&self, id: i64) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE posts SET name = '', summary = '', content = '', source = NULL, data = NULL,
                 tags = '', search_text = '', deleted_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let none: &[(&'static str, String)] = &[];
        replace_facets!(tx, id, none);
        tx.commit().await?;
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
        kind: Option<&str>,
        public_only: bool,
        before: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<PostRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM posts WHERE organisation_id = $1 AND deleted_at IS NULL
               AND ($2 = FALSE OR visibility = 'public') AND ($3 IS NULL OR id < $3)
               AND ($5 IS NULL OR kind = $5)
             ORDER BY id DESC LIMIT $4",
        )
        .bind(organisation_id)
        .bind(public_only)
        .bind(before)
        .bind(limit)
        .bind(kind)
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

    async fn post_facets(&self, post_id: i64) -> DbResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT facet, value FROM post_facets WHERE post_id = $1 ORDER BY facet, value",
        )
        .bind(post_id)
        .fetch_all(&self.pool)
        .await?)
    }
}}
