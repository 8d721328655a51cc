//! Gotong: a federated server for humanitarian organisations in the Asia Pacific.
//!
//! Layers point one way: `cli` → `node` (start-up and workers) → `web` → `federation` →
//! `domain` → `db`; `config` is passed in.

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
