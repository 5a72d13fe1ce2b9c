//! Acceptance tests over the whole engine.
mod fixtures;
