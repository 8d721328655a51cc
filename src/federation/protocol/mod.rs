//! Wire types: the JSON shapes Gotong sends and accepts, apart from what is done with them.
//!
//! Every type keeps the fields it does not model in `extra`, so a payload from Mastodon,
//! GoToSocial or Lemmy survives a parse and re-serialise without losing anything.

pub mod activity;
pub mod actor;
pub mod collection;
pub mod context;
pub mod note;
pub mod referral;
pub mod values;

pub use activity::{ActivityJson, ObjectRef};
pub use actor::{ActorJson, Endpoints, PublicKeyJson};
pub use collection::{OrderedCollection, OrderedCollectionPage};
pub use note::{NoteJson, TombstoneJson};
pub use values::{Addresses, Timestamp};

/// The media type of everything ActivityPub we serve and send (ActivityPub §3.2). It lives
/// here, with the wire types, so signing a request needs nothing from `web`; `web` re-uses it.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// The special collection that makes an object public (ActivityPub §5.6).
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// True for the three spellings of the public collection that servers use in the wild.
pub fn is_public(address: &str) -> bool {
    matches!(address, PUBLIC | "as:Public" | "Public")
}
