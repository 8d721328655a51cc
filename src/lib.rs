//! Gotong: a federated server for humanitarian organisations in the Asia Pacific.
//!
//! Layers point one way, and `tests/layers.rs` fails on an import against them:
//!
//! - `cli` (the commands) may use everything; `demo` and `node` (start-up and workers)
//!   everything but `cli`.
//! - `web` (HTTP: pages, JSON API, ActivityPub endpoints) → `app`, `federation`, `domain`,
//!   `db`, `config`.
//! - `app` (use cases that change this node and tell other servers) → `federation`,
//!   `domain`, `db`, `config`.
//! - `federation` (the ActivityPub adapter) → `domain`, `db`, `config`.
//! - `config` → `domain` (a setting is checked by a domain rule); `domain` → `db`;
//!   `db` and `domain` → `private_files`, which imports nothing.
//!
//! Sending and receiving meet in the middle without a circle: a use case in `app` changes
//! the data through `domain`, then calls `federation` to send; an activity received by
//! `federation::activities` applies its change through `domain` and answers (an `Accept`, a
//! referral's acknowledgement) through `federation` itself, never through `app`. So what
//! both directions need (telling the other party of a referral, taking back what is queued
//! for it, answering a follower) lives in `federation`, and `app` holds what only staff,
//! the command line and the workers start.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod federation;
pub mod node;
pub mod private_files;
pub mod web;
