//! The router: every route of `api.md`, the middleware that checks
//! availability and tokens, and the request decoding the handlers share.

mod admin;
mod events;
mod files;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::value::RawValue;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;

use crate::config::describe_size;
use crate::error::{ApiError, BodyCut};
use crate::json::ok;
use crate::state::AppState;

/// The whole service as a router, ready to serve or to test with `oneshot`.
pub fn app(state: AppState) -> Router {
    let max_upload = DefaultBodyLimit::max(state.config.max_upload);
    let files = Router::new()
        .route("/api/files", get(files::list).post(files::upload))
        .route(
            "/api/files/{file_id}",
            get(files::describe).put(files::replace).delete(files::delete),
        )
        .layer(max_upload);
    let events = Router::new()
        .route("/api/events", get(events::list).post(events::create))
        .route("/api/events/{event_id}", get(events::describe).delete(events::release))
        .route(
            "/api/events/{event_id}/event-log",
            get(events::read_log).post(events::append).put(events::rewrite),
        )
        .route("/api/events/{event_id}/outcomes", get(events::outcomes))
        .layer(DefaultBodyLimit::max(state.config.max_body));
    Router::new()
        .merge(files)
        .merge(events)
        .route("/health", get(health))
        .route("/", get(admin::page))
        .route("/admin", get(admin::page))
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), limits))
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .layer(middleware::from_fn_with_state(state.clone(), availability))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(TraceLayer::new_for_http().make_span_with(request_span).on_failure(failed))
        .with_state(state)
}

/// Logs a failed request: a `503` (busy, shutting down, at the event limit)
/// is the engine answering as designed and logs at INFO; any other server
/// error at ERROR.
fn failed(class: ServerErrorsFailureClass, latency: std::time::Duration, span: &tracing::Span) {
    let _request = span.enter();
    let millis = latency.as_millis();
    match class {
        ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
            tracing::info!(millis, "answered 503: unavailable for now");
        }
        class => tracing::error!(%class, millis, "response failed"),
    }
}

/// The request span: method, matched route, and the event id once decoded.
fn request_span(request: &Request) -> tracing::Span {
    let matched =
        request.extensions().get::<axum::extract::MatchedPath>().map(|m| m.as_str().to_owned());
    tracing::info_span!(
        "request",
        method = %request.method(),
        matched_path = matched.as_deref().unwrap_or("-"),
        event_id = tracing::field::Empty,
    )
}

/// A handler that panicked answers `ISE`; the panic goes to the log only.
fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text panic".to_string());
    ApiError::Internal(format!("handler panicked: {detail}")).into_response()
}

async fn health() -> Response {
    ok("ok")
}

async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    let path = uri.path();
    // An empty event id leaves an empty path segment, which no route
    // matches; it is a malformed request, not an unknown route.
    let empty_id = path == "/api/events/"
        || ["/api/events//event-log", "/api/events//outcomes"].contains(&path);
    if empty_id && method != Method::HEAD {
        return ApiError::BadRequest("the event id is empty".into());
    }
    ApiError::RouteNotFound(path.to_string())
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed { method: method.to_string(), path: uri.path().to_string() }
}

/// Answers `STU` to everything while the engine is unavailable.
async fn availability(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.is_available() {
        next.run(request).await
    } else {
        ApiError::Unavailable.into_response()
    }
}

/// Enforces the engine's request limits once the token has passed: the
/// body or upload size (announced, or found while reading), and the number
/// of live events when one more is being created.
async fn limits(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let config = &state.config;
    let path = request.uri().path();
    let is_files = path == "/api/files" || path.starts_with("/api/files/");
    let (limit, what, flag) = if is_files {
        (config.max_upload, "upload", "--max-upload")
    } else {
        (config.max_body, "request body", "--max-body")
    };
    let too_large = || {
        let size = describe_size(limit);
        ApiError::TooLarge(format!(
            "the {what} is larger than the limit of {size} ({limit} bytes, {flag})"
        ))
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return too_large().into_response();
    }
    if path == "/api/events" && request.method() == Method::POST {
        if let Err(error) = room_for_an_event(&state).await {
            return error.into_response();
        }
    }
    let response = next.run(request).await;
    // A body sent without its length is cut at the limit while a handler
    // reads it; the handler's answer is replaced by one naming the limit.
    // Uploads have no other 413 than the cut; the event routes also answer
    // 413 for too many entries, which names its own limit and stays.
    let cut = response.extensions().get::<BodyCut>().is_some();
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && (cut || is_files) {
        return too_large().into_response();
    }
    response
}

/// `Overloaded` when the engine already holds `--max-events` live events.
///
/// The count is read before the event is created, so creations racing for
/// the last places may pass the limit by as many as run at once; the limit
/// protects memory, which such a handful does not threaten.
async fn room_for_an_event(state: &AppState) -> Result<(), ApiError> {
    let max = state.config.max_events;
    let live = state.events.count().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    if live >= max {
        return Err(ApiError::Overloaded(format!(
            "the engine holds {live} live events, its limit (--max-events {max}); \
             release events or retry later"
        )));
    }
    Ok(())
}

/// Checks the bearer token a route needs (`api.md`, "Tokens").
async fn authorize(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let config = &state.config;
    let path = request.uri().path();
    let admin = config.admin_token.as_deref();
    let api = config.api_token.as_deref();
    let is_files = path == "/api/files" || path.starts_with("/api/files/");
    let is_events = path == "/api/events" || path.starts_with("/api/events/");
    let is_event_list = path == "/api/events" && request.method() == Method::GET;
    // Listing events shows every event of every integrator, so it is an
    // administrative call when an admin token exists.
    let accepted: Vec<&str> = if is_files || (is_event_list && admin.is_some()) {
        admin.into_iter().collect()
    } else if is_events && api.is_some() {
        api.into_iter().chain(admin).collect()
    } else {
        Vec::new()
    };
    if accepted.is_empty() || bearer(&request).is_some_and(|t| accepted.iter().any(|a| same(a, t)))
    {
        next.run(request).await
    } else {
        ApiError::Unauthorized.into_response()
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares tokens in constant time, so timing reveals nothing of the token.
fn same(expected: &str, given: &str) -> bool {
    constant_time_eq::constant_time_eq(expected.as_bytes(), given.as_bytes())
}

/// The request body, with an over-size body answered `TLA`.
fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            // The limits layer replaces this answer with one naming the limit.
            ApiError::BodyCut
        } else {
            ApiError::BadRequest(format!("the request body cannot be read: {rejection}"))
        }
    })
}

/// The raw `params` object of a JSON body `{"params": {...}}`. A UTF-8
/// byte-order mark before the JSON, as some clients write one, is skipped.
pub fn params(body: &[u8]) -> Result<&RawValue, ApiError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    /// A field beside `params` is a mistake (a `log-length` put there would
    /// otherwise be ignored, and a retry append twice).
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Envelope<'a> {
        #[serde(borrow)]
        params: Option<&'a RawValue>,
    }
    let raw: &RawValue = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    if !raw.get().trim_start().starts_with('{') {
        let message = r#"the body must be a JSON object of the form {"params": {...}}"#;
        return Err(ApiError::BadRequest(message.into()));
    }
    let envelope: Envelope<'_> = serde_json::from_str(raw.get())
        .map_err(|e| ApiError::BadRequest(format!("the body cannot be read: {e}")))?;
    match envelope.params {
        Some(params) if params.get().trim_start().starts_with('{') => Ok(params),
        Some(_) => Err(ApiError::BadRequest("'params' must be an object".into())),
        None => Err(ApiError::BadRequest("the body lacks the 'params' object".into())),
    }
}

/// The event id of the path, checked against `api.md`'s rules.
fn event_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) =
        path.map_err(|e| ApiError::BadRequest(format!("the event id is not valid: {e}")))?;
    check_event_id(&id)?;
    tracing::Span::current().record("event_id", id.as_str());
    Ok(id)
}

/// An event id is 1 to 128 characters without control characters, and not `.` or `..`.
pub fn check_event_id(id: &str) -> Result<(), ApiError> {
    let problem = if id.is_empty() {
        "the event id is empty"
    } else if id.chars().count() > 128 {
        "the event id is longer than 128 characters"
    } else if id.chars().any(char::is_control) {
        "the event id holds a control character"
    } else if id == "." || id == ".." {
        "the event id cannot be '.' or '..'"
    } else {
        return Ok(());
    };
    Err(ApiError::BadRequest(problem.into()))
}
