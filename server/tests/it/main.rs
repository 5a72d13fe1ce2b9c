//! HTTP-level tests of the service, through `tower::ServiceExt::oneshot`
//! on `server::app` (no socket), plus one real-socket test and the README
//! walkthrough replayed against the started binary.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failing helper fails its test"
)]

mod bench;
mod catalogue;
mod cli;
mod concurrency;
mod crash;
mod durability;
mod engine;
mod entries;
mod errors;
mod events;
mod files;
mod fixtures;
mod idle;
mod limits;
mod load;
mod native;
mod pipeline;
mod problems;
mod real;
mod retries;
mod socket;
mod store;
mod support;
mod tokens;
mod validation;
mod walkthrough;
