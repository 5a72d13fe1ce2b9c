//! The Settlement Engine service: the REST API of `api.md` over compiled
//! workbooks, and the pieces the `sengine` command is made of.
//!
//! `server` does no formula parsing on the request path: workbooks are
//! compiled once, at upload or start, through a [`loader::WorkbookLoader`];
//! requests only evaluate logs with the resulting evaluators.
//!
//! - [`config`]: settings and the parsers of sizes and durations.
//! - [`conformance`]: `sengine conformance`, the engine against cached values.
//! - [`loader`]: workbook bytes to a program and an evaluator.
//! - [`load`]: the load generator behind `sengine-load`.
//! - [`precompiled`]: compiled evaluators built ahead of time and loaded at start.
//! - [`files`]: uploaded workbooks and their versions in the data directory.
//! - [`storage`]: live events and the [`storage::EventStore`] that keeps them.
//! - [`db`]: the embedded database and its group-committing writer.
//! - [`durable`]: the event store on that database, and recovery at start.
//! - [`entries`]: log entries as requests send them, checked whole.
//! - [`json`]: the answer envelope and how values are written.
//! - [`error`]: [`error::ApiError`], every failure as status, code and message.
//! - [`state`]: the shared state, evaluation off the async workers, the idle reaper.
//! - [`routes`]: the router, [`app`].
//! - [`sample`]: generated logs; [`bench`]: timing recalculations (`sengine bench`).

pub mod bench;
pub mod config;
pub mod conformance;
pub mod db;
pub mod durable;
pub mod entries;
pub mod error;
pub mod files;
pub mod json;
pub mod load;
pub mod loader;
pub mod precompiled;
pub mod routes;
pub mod sample;
pub mod state;
pub mod storage;

pub use routes::app;
