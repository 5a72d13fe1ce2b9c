//! The Settlement Engine service: the REST API of `api.md` over compiled
//! workbooks, and the pieces the `sengine` command is made of.
//!
//! `server` does no formula parsing on the request path: workbooks are
//! compiled once, at upload or start, through a [`loader::WorkbookLoader`];
//! requests only evaluate logs with the resulting evaluators.
//!
//! - [`config`]: settings and the parsers of sizes and durations.
//! - [`loader`]: workbook bytes to a program and an evaluator.
//! - [`precompiled`]: compiled evaluators built ahead of time and loaded at start.
//! - [`files`]: uploaded workbooks and their versions in the data directory.
//! - [`storage`]: live events and the [`storage::EventStore`] that keeps them.
//! - [`entries`]: log entries as requests send them, checked whole.
//! - [`json`]: the answer envelope and how values are written.
//! - [`error`]: [`error::ApiError`], every failure as status, code and message.
//! - [`state`]: the shared state, evaluation off the async workers, the idle reaper.
//! - [`routes`]: the router, [`app`].

pub mod config;
pub mod entries;
pub mod error;
pub mod files;
pub mod json;
pub mod loader;
pub mod precompiled;
pub mod routes;
pub mod state;
pub mod storage;

pub use routes::app;
