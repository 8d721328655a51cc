//! Use cases that change this node and tell other servers: publishing, following,
//! referrals, reports, subscribed lists, and the organisation's profile and key. The JSON
//! API, the pages, the command line and the node's workers all call these, so a rule is
//! kept in one place whoever asks.
//!
//! Each use case checks the staff member's role, changes the data through `domain`, then
//! sends through `federation` (rendering and the delivery queue). Operations that touch only
//! this node (accounts, roles, the federation policy, referral intake, subscribing to a list)
//! need no sending and stay in `domain`, where the callers reach them directly.
//!
//! The context is `federation::NodeContext`, not a type of this module: the federation
//! crate hands it to the inbox handlers and workers, and `federation` must not import `app`.

pub mod following;
pub mod moderation;
pub mod organisation;
pub mod publishing;
pub mod referrals;
pub mod subscriptions;
