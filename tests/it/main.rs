//! Acceptance tests over the whole engine.

mod compile;
mod tidy;
