//! The Settlement Engine service: REST API over compiled workbooks.
