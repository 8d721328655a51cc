//! Backfill: when another Gotong organisation accepts our follow, its current programs,
//! practices, advocacy notes and open offers are fetched from its `gotongDirectory`
//! collection, so the new follower's directory is complete at once.

use super::actors::RemoteActor;
use super::objects::store_remote_object;
use super::protocol::{NoteJson, OrderedCollection, OrderedCollectionPage};
use super::{FedData, FederationError, FederationResult};
use activitypub_federation::fetch::fetch_object_http;
use tracing::{debug, info};
use url::Url;

/// Most pages fetched for one backfill (each holds up to 50 objects).
const MAX_PAGES: usize = 20;

/// Fetches and stores the actor's directory objects; returns how many were stored. Actors
/// that are not Gotong organisations have no directory, and nothing happens.
pub async fn backfill_directory(data: &FedData, actor: &RemoteActor) -> FederationResult<usize> {
    let Some(directory) = actor.row.directory.as_deref() else {
        return Ok(0);
    };
    let author =
        Url::parse(&actor.row.ap_id).map_err(|e| FederationError::Remote(e.to_string()))?;
    let start = Url::parse(directory).map_err(|e| FederationError::Remote(e.to_string()))?;
    let collection: OrderedCollection = fetch_object_http(&start, data).await?.object;
    let mut next = collection.first;
    let mut stored = 0;
    for _ in 0..MAX_PAGES {
        let Some(page_url) = next.take() else { break };
        if !super::same_origin(&page_url, &author) {
            break;
        }
        let page: OrderedCollectionPage = fetch_object_http(&page_url, data).await?.object;
        for item in page.ordered_items {
            let outcome = match serde_json::from_value::<NoteJson>(item) {
                Ok(note) => store_remote_object(data.store.as_ref(), &author, &note).await,
                Err(e) => Err(FederationError::BadRequest(e.to_string())),
            };
            match outcome {
                Ok(()) => stored += 1,
                Err(e) => debug!("backfill from {author}: item skipped: {e}"),
            }
        }
        next = page.next;
    }
    info!("backfilled {stored} directory objects from {author}");
    Ok(stored)
}
