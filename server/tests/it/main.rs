//! HTTP-level tests of the service, through `tower::ServiceExt::oneshot`
//! on `server::app` (no socket), plus one real-socket test and the README
//! walkthrough replayed against the started binary.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failing helper fails its test"
)]

mod bench;
mod cli;
mod concurrency;
mod entries;
mod errors;
mod events;
mod files;
mod fixtures;
mod idle;
mod native;
mod pipeline;
mod problems;
mod socket;
mod store;
mod support;
mod tokens;
mod walkthrough;
