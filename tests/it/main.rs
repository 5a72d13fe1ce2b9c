//! Acceptance tests over the whole engine.

mod compile;
mod fixtures;
mod oracle;
mod tidy;
