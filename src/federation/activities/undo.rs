//! `Undo` of a `Follow` (ActivityPub §7.12): the follower relation goes, if the sender is the
//! follower. (`Undo` of anything else is classified as ignored.)

use super::{bad, object, Incoming};
use crate::db::actors::Direction;
use crate::federation::{FedData, FederationError, FederationResult};

pub(super) async fn receive(data: &FedData, activity: &Incoming) -> FederationResult<()> {
    let follow_id = object(activity)?
        .id()
        .ok_or_else(|| bad("Undo object has no id"))?;
    let follow = data
        .store
        .follow_by_ap_id(Direction::Followers, follow_id.as_str())
        .await?;
    match follow {
        Some(f) if f.actor_ap_id == activity.actor.as_str() => {
            data.store.delete_follow(Direction::Followers, f.id).await?;
            Ok(())
        }
        Some(_) => Err(FederationError::Forbidden(
            "only the follower may undo a Follow".into(),
        )),
        None => Ok(()),
    }
}
