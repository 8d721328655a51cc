//! Remote actors we know of, whom local organisations follow, and who follows them.

use super::values::FollowState;
use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RemoteActorRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub name: String,
    pub summary: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub key_id: String,
    pub public_key_pem: String,
    pub url: Option<String>,
    pub icon_url: Option<String>,
    pub fetched_at: i64,
    /// Gotong's `gotongDirectory` collection, when the actor is a Gotong organisation.
    pub directory: Option<String>,
}

pub struct NewRemoteActor<'a> {
    pub ap_id: &'a str,
    pub kind: &'a str,
    pub username: &'a str,
    pub domain: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub inbox: &'a str,
    pub shared_inbox: Option<&'a str>,
    pub outbox: Option<&'a str>,
    pub followers: Option<&'a str>,
    pub key_id: &'a str,
    pub public_key_pem: &'a str,
    pub url: Option<&'a str>,
    pub icon_url: Option<&'a str>,
    pub directory: Option<&'a str>,
}

/// One follow relation, in either direction, joined with the remote actor's id and inboxes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowRow {
    pub id: i64,
    pub organisation_id: i64,
    pub actor_id: i64,
    pub follow_ap_id: String,
    pub state: FollowState,
    pub created_at: i64,
    pub updated_at: i64,
    pub actor_ap_id: String,
    pub actor_username: String,
    pub actor_domain: String,
    pub actor_inbox: String,
    pub actor_shared_inbox: Option<String>,
}

/// `following` holds follows a local organisation sent; `followers` those it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Following,
    Followers,
}

impl Direction {
    fn table(self) -> &'static str {
        match self {
            Direction::Following => "following",
            Direction::Followers => "followers",
        }
    }
}

fn select_follows(table: &str, condition: &str) -> String {
    format!(
        "SELECT f.*, a.ap_id AS actor_ap_id, a.username AS actor_username,
                a.domain AS actor_domain, a.inbox AS actor_inbox,
                a.shared_inbox AS actor_shared_inbox
         FROM {table} f JOIN remote_actors a ON a.id = f.actor_id WHERE {condition}"
    )
}

#[async_trait::async_trait]
pub trait ActorStore {
    /// Inserts or refreshes a remote actor (keyed by its ActivityPub id).
    async fn upsert_remote_actor(&self, actor: NewRemoteActor<'_>) -> DbResult<RemoteActorRow>;
    async fn remote_actor_by_ap_id(&self, ap_id: &str) -> DbResult<Option<RemoteActorRow>>;
    async fn remote_actor_by_key_id(&self, key_id: &str) -> DbResult<Option<RemoteActorRow>>;
    async fn remote_actor_by_handle(
        &self,
        username: &str,
        domain: &str,
    ) -> DbResult<Option<RemoteActorRow>>;
    /// Creates or replaces the relation between a local organisation and a remote actor.
    async fn upsert_follow(
        &self,
        direction: Direction,
        organisation_id: i64,
        actor_id: i64,
        follow_ap_id: &str,
        state: FollowState,
    ) -> DbResult<FollowRow>;
    async fn follow_by_actor(
        &self,
        direction: Direction,
        organisation_id: i64,
        actor_id: i64,
    ) -> DbResult<Option<FollowRow>>;
    async fn follow_by_ap_id(
        &self,
        direction: Direction,
        follow_ap_id: &str,
    ) -> DbResult<Option<FollowRow>>;
    async fn set_follow_state(
        &self,
        direction: Direction,
        id: i64,
        state: FollowState,
    ) -> DbResult<()>;
    async fn delete_follow(&self, direction: Direction, id: i64) -> DbResult<()>;
    async fn list_follows(
        &self,
        direction: Direction,
        organisation_id: i64,
    ) -> DbResult<Vec<FollowRow>>;
    async fn count_follows(
        &self,
        direction: Direction,
        organisation_id: i64,
        state: FollowState,
    ) -> DbResult<i64>;
    /// Local organisations that follow `actor_ap_id` with an accepted follow.
    async fn organisations_following(&self, actor_ap_id: &str) -> DbResult<Vec<i64>>;
}

both_backends! { impl ActorStore {
    async fn upsert_remote_actor(&self, a: NewRemoteActor<'_>) -> DbResult<RemoteActorRow> {
        Ok(sqlx::query_as(
            "INSERT INTO remote_actors (ap_id, kind, username, domain, name, summary, inbox,
                 shared_inbox, outbox, followers, key_id, public_key_pem, url, icon_url, fetched_at,
                 directory)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (ap_id) DO UPDATE SET kind = $2, username = $3, domain = $4, name = $5,
                 summary = $6, inbox = $7, shared_inbox = $8, outbox = $9, followers = $10,
                 key_id = $11, public_key_pem = $12, url = $13, icon_url = $14, fetched_at = $15,
                 directory = $16
             RETURNING *",
        )
        .bind(a.ap_id)
        .bind(a.kind)
        .bind(a.username)
        .bind(a.domain)
        .bind(a.name)
        .bind(a.summary)
        .bind(a.inbox)
        .bind(a.shared_inbox)
        .bind(a.outbox)
        .bind(a.followers)
        .bind(a.key_id)
        .bind(a.public_key_pem)
        .bind(a.url)
        .bind(a.icon_url)
        .bind(now_ms())
        .bind(a.directory)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn remote_actor_by_ap_id(&self, ap_id: &str) -> DbResult<Option<RemoteActorRow>> {
        Ok(sqlx::query_as("SELECT * FROM remote_actors WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn remote_actor_by_key_id(&self, key_id: &str) -> DbResult<Option<RemoteActorRow>> {
        Ok(sqlx::query_as("SELECT * FROM remote_actors WHERE key_id = $1")
            .bind(key_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn remote_actor_by_handle(
        &self,
        username: &str,
        domain: &str,
    ) -> DbResult<Option<RemoteActorRow>> {
        Ok(sqlx::query_as("SELECT * FROM remote_actors WHERE username = $1 AND domain = $2")
            .bind(username)
            .bind(domain)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn upsert_follow(
        &self,
        direction: Direction,
        organisation_id: i64,
        actor_id: i64,
        follow_ap_id: &str,
        state: FollowState,
    ) -> DbResult<FollowRow> {
        let table = direction.table();
        let sql = format!(
            "INSERT INTO {table} (organisation_id, actor_id, follow_ap_id, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (organisation_id, actor_id)
             DO UPDATE SET follow_ap_id = $3, state = $4, updated_at = $5"
        );
        sqlx::query(&sql)
            .bind(organisation_id)
            .bind(actor_id)
            .bind(follow_ap_id)
            .bind(state)
            .bind(now_ms())
            .execute(&self.pool)
            .await?;
        self.follow_by_actor(direction, organisation_id, actor_id)
            .await?
            .ok_or(super::DbError::NotFound)
    }

    async fn follow_by_actor(
        &self,
        direction: Direction,
        organisation_id: i64,
        actor_id: i64,
    ) -> DbResult<Option<FollowRow>> {
        let sql = select_follows(direction.table(), "f.organisation_id = $1 AND f.actor_id = $2");
        Ok(sqlx::query_as(&sql)
            .bind(organisation_id)
            .bind(actor_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn follow_by_ap_id(
        &self,
        direction: Direction,
        follow_ap_id: &str,
    ) -> DbResult<Option<FollowRow>> {
        let sql = select_follows(direction.table(), "f.follow_ap_id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(follow_ap_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_follow_state(&self, direction: Direction, id: i64, state: FollowState) -> DbResult<()> {
        let sql = format!("UPDATE {} SET state = $2, updated_at = $3 WHERE id = $1", direction.table());
        sqlx::query(&sql)
            .bind(id)
            .bind(state)
            .bind(now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_follow(&self, direction: Direction, id: i64) -> DbResult<()> {
        let sql = format!("DELETE FROM {} WHERE id = $1", direction.table());
        sqlx::query(&sql).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn list_follows(
        &self,
        direction: Direction,
        organisation_id: i64,
    ) -> DbResult<Vec<FollowRow>> {
        let sql = select_follows(direction.table(), "f.organisation_id = $1 ORDER BY f.id");
        Ok(sqlx::query_as(&sql)
            .bind(organisation_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn count_follows(
        &self,
        direction: Direction,
        organisation_id: i64,
        state: FollowState,
    ) -> DbResult<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE organisation_id = $1 AND state = $2",
            direction.table()
        );
        let (n,): (i64,) = sqlx::query_as(&sql)
            .bind(organisation_id)
            .bind(state)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    async fn organisations_following(&self, actor_ap_id: &str) -> DbResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT f.organisation_id FROM following f JOIN remote_actors a ON a.id = f.actor_id
             WHERE a.ap_id = $1 AND f.state = 'accepted'",
        )
        .bind(actor_ap_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}}
