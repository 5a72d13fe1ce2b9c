//! The administrative web page, embedded in the binary.

use axum::response::Html;

/// The page: plain HTML and a little script that calls the same API.
pub(super) async fn page() -> Html<&'static str> {
    Html(include_str!("admin.html"))
}
