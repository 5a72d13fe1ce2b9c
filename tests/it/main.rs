//! Acceptance tests over the whole engine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod cached;
mod compile;
mod differential;
mod fixtures;
mod oracle;
mod tidy;
