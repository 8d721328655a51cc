//! Local organisations: the actors this node hosts, with their key pairs.

use super::{both_backends, now_ms, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub summary: String,
    pub icon_url: Option<String>,
    pub public_key_pem: String,
    /// The private signing key, sealed (see `domain::sealing`): never PEM in the database.
    pub private_key_sealed: String,
    pub manual_approval: bool,
    pub created_at: i64,
}

pub struct NewOrganisation<'a> {
    pub handle: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub public_key_pem: &'a str,
    /// Sealed by the caller with `Binding::organisation_key(handle)`.
    pub private_key_sealed: &'a str,
}

#[async_trait::async_trait]
pub trait OrganisationStore {
    async fn insert_organisation(&self, new: NewOrganisation<'_>) -> DbResult<OrganisationRow>;
    async fn organisation_by_handle(&self, handle: &str) -> DbResult<Option<OrganisationRow>>;
    async fn organisation_by_id(&self, id: i64) -> DbResult<OrganisationRow>;
    async fn list_organisations(&self) -> DbResult<Vec<OrganisationRow>>;
    async fn update_organisation_profile(
        &self,
        profile: &OrganisationRow,
    ) -> DbResult<OrganisationRow>;
    async fn set_organisation_keys(
        &self,
        id: i64,
        public_key_pem: &str,
        private_key_sealed: &str,
    ) -> DbResult<()>;
}

both_backends! { impl OrganisationStore {
    async fn insert_organisation(&self, new: NewOrganisation<'_>) -> DbResult<OrganisationRow> {
        Ok(sqlx::query_as(
            "INSERT INTO organisations (handle, name, summary, public_key_pem, private_key_sealed, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
        )
        .bind(new.handle)
        .bind(new.name)
        .bind(new.summary)
        .bind(new.public_key_pem)
        .bind(new.private_key_sealed)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    async fn organisation_by_handle(&self, handle: &str) -> DbResult<Option<OrganisationRow>> {
        Ok(sqlx::query_as("SELECT * FROM organisations WHERE handle = $1")
            .bind(handle)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn organisation_by_id(&self, id: i64) -> DbResult<OrganisationRow> {
        Ok(sqlx::query_as("SELECT * FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn list_organisations(&self) -> DbResult<Vec<OrganisationRow>> {
        Ok(sqlx::query_as("SELECT * FROM organisations ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Stores the row's name, summary, icon and approval setting (keys and handle stay).
    async fn update_organisation_profile(&self, p: &OrganisationRow) -> DbResult<OrganisationRow> {
        Ok(sqlx::query_as(
            "UPDATE organisations SET name = $2, summary = $3, icon_url = $4, manual_approval = $5
             WHERE id = $1 RETURNING *",
        )
        .bind(p.id)
        .bind(&p.name)
        .bind(&p.summary)
        .bind(&p.icon_url)
        .bind(p.manual_approval)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn set_organisation_keys(
        &self,
        id: i64,
        public_key_pem: &str,
        private_key_sealed: &str,
    ) -> DbResult<()> {
        sqlx::query("UPDATE organisations SET public_key_pem = $2, private_key_sealed = $3 WHERE id = $1")
            .bind(id)
            .bind(public_key_pem)
            .bind(private_key_sealed)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}}
