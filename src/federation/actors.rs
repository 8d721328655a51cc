//! Remote actors: fetched over signed-free GETs through the federation crate, cached in the
//! database, refreshed when stale or when their key stops verifying (key rotation).

use super::{protocol::ActorJson, FedData, FederationError, FederationResult, NodeContext};
use crate::db::{NewRemoteActor, RemoteActorRow};
use activitypub_federation::{
    config::Data,
    fetch::{object_id::ObjectId, webfinger::webfinger_resolve_actor},
    traits::{Actor, Object},
};
use chrono::{DateTime, Utc};
use url::Url;

/// A remote actor as the federation crate handles it: the stored row and its parsed id.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    pub row: RemoteActorRow,
    id: Url,
    inbox: Url,
}

impl RemoteActor {
    pub(crate) fn from_row(row: RemoteActorRow) -> FederationResult<Self> {
        let id = Url::parse(&row.ap_id).map_err(|e| FederationError::Remote(e.to_string()))?;
        let inbox = Url::parse(&row.inbox).map_err(|e| FederationError::Remote(e.to_string()))?;
        Ok(RemoteActor { row, id, inbox })
    }

    /// Where to deliver what is meant for everyone on that server: the shared inbox when the
    /// actor has one, so a server with many followers receives each activity once.
    pub fn delivery_inbox(&self) -> String {
        self.row
            .shared_inbox
            .clone()
            .unwrap_or_else(|| self.row.inbox.clone())
    }
}

/// The actor with this id: from the database when fresh, otherwise fetched and stored.
pub async fn fetch_actor(data: &FedData, id: &Url) -> FederationResult<RemoteActor> {
    ObjectId::<RemoteActor>::from(id.clone())
        .dereference(data)
        .await
}

/// The actor with this id, fetched again even if stored (its key may have changed).
pub async fn refetch_actor(data: &FedData, id: &Url) -> FederationResult<RemoteActor> {
    ObjectId::<RemoteActor>::from(id.clone())
        .dereference_forced(data)
        .await
}

/// Resolves `name@domain` with WebFinger, then fetches the actor it points to.
pub async fn resolve_handle(data: &FedData, handle: &str) -> FederationResult<RemoteActor> {
    let (user, domain) = crate::domain::follows::parse_account_handle(handle)?;
    webfinger_resolve_actor::<NodeContext, RemoteActor>(&format!("{user}@{domain}"), data)
        .await
        .map_err(unknown_handle)
}

/// The server answered, but has no actor by that name (WebFinger 404, no usable link, a
/// deleted actor): a plain "not found" for the caller, not a remote failure to retry.
fn unknown_handle(error: FederationError) -> FederationError {
    match error {
        FederationError::Remote(m)
            if !m.starts_with("error sending request")
                && (m.starts_with("Failed to parse object")
                    || m.contains("did not contain any link")
                    || m.contains("which was deleted")
                    || m.contains("not found")
                    || m.contains("Not found")) =>
        {
            crate::domain::DomainError::NotFound("no organisation or account with that handle")
                .into()
        }
        other => other,
    }
}

#[async_trait::async_trait]
impl Object for RemoteActor {
    type DataType = NodeContext;
    type Kind = ActorJson;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.row.fetched_at)
    }

    async fn read_from_id(id: Url, data: &Data<NodeContext>) -> FederationResult<Option<Self>> {
        match data.store.remote_actor_by_ap_id(id.as_str()).await? {
            Some(row) => Ok(Some(RemoteActor::from_row(row)?)),
            None => Ok(None),
        }
    }

    async fn into_json(self, _data: &Data<NodeContext>) -> FederationResult<ActorJson> {
        Err(FederationError::BadRequest(
            "remote actors are not served by this node".into(),
        ))
    }

    async fn verify(
        json: &ActorJson,
        expected_domain: &Url,
        _data: &Data<NodeContext>,
    ) -> FederationResult<()> {
        if !super::same_origin(&json.id, expected_domain) {
            return Err(FederationError::Forbidden(
                "actor id is on another server".into(),
            ));
        }
        let key_id_here =
            Url::parse(&json.public_key.id).is_ok_and(|k| super::same_origin(&k, &json.id));
        if json.public_key.owner != json.id || !key_id_here {
            return Err(FederationError::Forbidden(
                "actor's public key belongs to someone else".into(),
            ));
        }
        if !super::same_origin(&json.inbox, &json.id) {
            return Err(FederationError::Forbidden(
                "actor's inbox is on another host".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ActorJson, data: &Data<NodeContext>) -> FederationResult<Self> {
        let domain = crate::domain::policy::server_of(&json.id).unwrap_or_default();
        // A shared inbox elsewhere than the actor's server is ignored: deliveries go there.
        let shared_inbox = json
            .shared_inbox()
            .filter(|s| super::same_origin(s, &json.id))
            .map(Url::to_string);
        let outbox = json.outbox.as_ref().map(Url::to_string);
        let followers = json.followers.as_ref().map(Url::to_string);
        let url = json.profile_url();
        let icon_url = json.icon_url();
        // Only a collection on the actor's own server is followed for backfill.
        let directory = json
            .extra
            .get("gotongDirectory")
            .and_then(serde_json::Value::as_str)
            .and_then(|d| Url::parse(d).ok())
            .filter(|d| super::same_origin(d, &json.id))
            .map(String::from);
        let row = data
            .store
            .upsert_remote_actor(NewRemoteActor {
                ap_id: json.id.as_str(),
                kind: &json.kind,
                username: &json.preferred_username,
                domain: &domain,
                name: json.name.as_deref().unwrap_or_default(),
                summary: &crate::domain::posts::sanitize_html(
                    json.summary.as_deref().unwrap_or_default(),
                ),
                inbox: json.inbox.as_str(),
                shared_inbox: shared_inbox.as_deref(),
                outbox: outbox.as_deref(),
                followers: followers.as_deref(),
                key_id: &json.public_key.id,
                public_key_pem: &json.public_key.public_key_pem,
                url: url.as_deref(),
                icon_url: icon_url.as_deref(),
                directory: directory.as_deref(),
            })
            .await?;
        RemoteActor::from_row(row)
    }
}

impl Actor for RemoteActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        None
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}
