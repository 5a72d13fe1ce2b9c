//! Acceptance tests over the whole engine.
