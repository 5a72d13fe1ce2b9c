//! Acceptance tests over the whole engine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod cached;
mod compile;
mod conformance;
mod corpus;
mod differential;
mod docs;
mod fixtures;
mod fuzz_replay;
mod iteration;
mod oracle;
mod running;
mod spill;
mod tidy;
