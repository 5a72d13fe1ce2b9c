//! Engineering function tests.
