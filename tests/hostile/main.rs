//! Hostile input at the inbox (issue 6): forged and misdirected signatures, stale and future
//! dates, identities and keys borrowed from other actors, oversized, deep and broken JSON,
//! activities on objects and relations that belong to someone else, SSRF targets and floods.
//!
//! Each case is refused with a clear status and a JSON `error`, or, when the refusal can only
//! happen while the stored activity is processed (after the 202), has no effect; and either way
//! leaves the database as it was. (tests/inbox.rs, tests/safety.rs, tests/directory.rs and
//! tests/referrals.rs hold the first hostile cases; these extend them.)
//!
//! SSRF: test nodes run in development mode, where loopback is allowed; the SSRF cases run a
//! node (or the HTTP client) with `dev = false`. Addresses other than 127.0.0.1 are only used
//! where the code refuses them before connecting; whatever might connect points at a local
//! recorder that counts every TCP connection.

// The harness shared by every integration test binary lives one folder up.
#[path = "../common/mod.rs"]
mod common;

mod harness;

mod bodies;
mod floods;
mod lying_actors;
mod ownership;
mod referrals;
mod signatures;
mod ssrf;
