//! `Delete` (ActivityPub §7.4): of a post, whose copy goes when the sender is its author; of
//! the sender itself (Mastodon's account deletion), whose follows and copies go and who is
//! refused from then on.

use super::{bad, object, Incoming};
use crate::domain::{moderation, remote, DomainError};
use crate::federation::{FedData, FederationError, FederationResult};

/// The copy of a remote post goes; a `Delete` of something never stored is ignored.
pub(super) async fn receive_post(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let target = object(activity)?
        .id()
        .ok_or_else(|| bad("Delete object has no id"))?;
    match remote::remove_remote_post(
        data.store.as_ref(),
        activity.actor.as_str(),
        target.as_str(),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(DomainError::Forbidden(why)) => Err(FederationError::Forbidden(why.into())),
        Err(e) => Err(e.into()),
    }
}

/// A remote actor deleted its own account (the object is the actor itself, or its
/// Tombstone): its follows and copies go, and it is refused from now on.
pub(super) async fn receive_actor(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let removed = moderation::actor_gone(data.store.as_ref(), activity.actor.as_str()).await?;
    tracing::info!(
        "{} deleted its account; {removed} of its posts removed",
        activity.actor
    );
    Ok(())
}
