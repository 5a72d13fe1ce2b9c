//! Helpers shared by the workspace's acceptance tests.
