//! [`ApiError`]: every way a request fails, and how each becomes the
//! envelope, status and code that `api.md` prescribes.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One item of an answer's `errors` (or `warnings`) array.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorItem {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// 1-based entry number within the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl ErrorItem {
    /// An item with only a code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> ErrorItem {
        ErrorItem {
            code,
            message: message.into(),
            sheet: None,
            cell: None,
            entry: None,
            column: None,
        }
    }

    /// An item locating a problem with a workbook diagnostic.
    pub fn from_diagnostic(code: &'static str, diagnostic: &compiler::Diagnostic) -> ErrorItem {
        let mut message = diagnostic.message.clone();
        if let Some(formula) = &diagnostic.formula {
            message = format!("{message} (formula ={})", shortened(formula));
        }
        ErrorItem {
            sheet: diagnostic.sheet.clone(),
            cell: diagnostic.cell.clone(),
            ..ErrorItem::new(code, message)
        }
    }
}

/// The most characters of a formula an answer quotes: enough to recognise
/// any real formula, while a hostile one of megabytes is not echoed whole.
const QUOTED_FORMULA_CHARS: usize = 256;

/// A formula as a message quotes it: whole, or its start and an ellipsis.
fn shortened(formula: &str) -> String {
    match formula.char_indices().nth(QUOTED_FORMULA_CHARS) {
        Some((at, _)) => format!("{}…", &formula[..at]),
        None => formula.to_string(),
    }
}

/// Why a request failed. Each variant is one code of `api.md`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Event with id '{0}' is already created")]
    EventExists(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("invalid log entries")]
    InvalidEntries(Vec<ErrorItem>),
    #[error("the log would hold {len} entries but the workbook sees only {capacity}")]
    LogOverflow { len: usize, capacity: u32 },
    #[error("missing or wrong token: send 'Authorization: Bearer <token>'")]
    Unauthorized,
    #[error("file {0} not found")]
    FileNotFound(String),
    #[error("event '{0}' not found: never created, released or expired")]
    EventNotFound(String),
    #[error(
        "log length mismatch: the request expected a log of {expected}, the log holds {actual}"
    )]
    LengthMismatch { expected: usize, actual: usize },
    #[error("{0}")]
    TooLarge(String),
    /// A body cut at the size limit while being read; the router's limits
    /// layer answers it with a message naming the limit, which it knows.
    #[error("the request body is larger than the configured limit")]
    BodyCut,
    #[error("invalid workbook file")]
    InvalidWorkbook { errors: Vec<ErrorItem>, warnings: Vec<ErrorItem> },
    #[error("no such route: {0}")]
    RouteNotFound(String),
    #[error("method {method} is not allowed on {path}")]
    MethodNotAllowed { method: String, path: String },
    #[error("calculation in progress: another change to this event is being applied; retry")]
    Busy,
    /// The detail is logged, never answered.
    #[error("internal error")]
    Internal(String),
    #[error("service temporarily unavailable; retry later")]
    Unavailable,
    /// A limit of the engine as a whole is reached (`STU` with `Retry-After`);
    /// the message names the limit and its value.
    #[error("{0}")]
    Overloaded(String),
}

/// The most items of one kind an `IWF` answer lists; a workbook with an
/// unsupported function filled down a column has one problem per cell, and
/// `sengine check` prints them all.
pub const MAX_WORKBOOK_ITEMS: usize = 1000;

impl ApiError {
    /// `IWF` for a refused workbook: its errors as `errors`, its warnings as
    /// `warnings`, each list cut at [`MAX_WORKBOOK_ITEMS`] with a last item
    /// saying how many more there are.
    pub fn invalid_workbook(diagnostics: &[compiler::Diagnostic]) -> ApiError {
        let (errors, warnings): (Vec<_>, Vec<_>) =
            diagnostics.iter().partition(|d| d.severity == compiler::Severity::Error);
        let items = |list: Vec<&compiler::Diagnostic>| {
            let more = list.len().saturating_sub(MAX_WORKBOOK_ITEMS);
            let mut items: Vec<ErrorItem> = list
                .into_iter()
                .take(MAX_WORKBOOK_ITEMS)
                .map(|d| ErrorItem::from_diagnostic("IWF", d))
                .collect();
            if more > 0 {
                let message = format!(
                    "{more} more problems of this workbook are not listed here; \
                     `sengine check` prints them all"
                );
                items.push(ErrorItem::new("IWF", message));
            }
            items
        };
        ApiError::InvalidWorkbook { errors: items(errors), warnings: items(warnings) }
    }

    /// The HTTP status and three-letter code of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::EventExists(_) => (StatusCode::BAD_REQUEST, "EAC"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "BRQ"),
            ApiError::InvalidEntries(_) => (StatusCode::BAD_REQUEST, "ILE"),
            ApiError::LogOverflow { .. } => (StatusCode::BAD_REQUEST, "LOF"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "UNA"),
            ApiError::FileNotFound(_) => (StatusCode::NOT_FOUND, "FNF"),
            ApiError::EventNotFound(_) => (StatusCode::NOT_FOUND, "ENF"),
            ApiError::LengthMismatch { .. } => (StatusCode::CONFLICT, "LLM"),
            ApiError::TooLarge(_) | ApiError::BodyCut => (StatusCode::PAYLOAD_TOO_LARGE, "TLA"),
            ApiError::InvalidWorkbook { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "IWF"),
            ApiError::RouteNotFound(_) => (StatusCode::NOT_FOUND, "RNF"),
            ApiError::MethodNotAllowed { .. } => (StatusCode::METHOD_NOT_ALLOWED, "MNA"),
            ApiError::Busy => (StatusCode::LOCKED, "CIP"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "ISE"),
            ApiError::Unavailable | ApiError::Overloaded(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "STU")
            }
        }
    }

    /// The items of the `errors` array: the listed problems, or one item.
    fn items(&self, code: &'static str) -> Vec<ErrorItem> {
        match self {
            ApiError::InvalidEntries(items) | ApiError::InvalidWorkbook { errors: items, .. }
                if !items.is_empty() =>
            {
                items.clone()
            }
            other => vec![ErrorItem::new(code, other.to_string())],
        }
    }
}

/// Marks the answer to a body cut at the size limit, for the layer that
/// rewrites it to name the limit.
#[derive(Clone, Copy, Debug)]
pub struct BodyCut;

/// The failure envelope.
#[derive(Serialize)]
struct Failure {
    status: u16,
    errors: Vec<ErrorItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<ErrorItem>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            ApiError::Internal(detail) => tracing::error!(cause = %detail, "internal error"),
            ApiError::Unavailable => tracing::warn!("answered service unavailable"),
            ApiError::Overloaded(reason) => tracing::warn!(%reason, "answered overloaded"),
            other => tracing::debug!(code, error = %other, "request refused"),
        }
        let warnings = match &self {
            ApiError::InvalidWorkbook { warnings, .. } => warnings.clone(),
            _ => Vec::new(),
        };
        let body = Failure { status: status.as_u16(), errors: self.items(code), warnings };
        let mut response = (status, axum::Json(body)).into_response();
        if matches!(self, ApiError::BodyCut) {
            response.extensions_mut().insert(BodyCut);
        }
        if matches!(self, ApiError::Busy | ApiError::Unavailable) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        // A full engine frees room only as events are released, which takes
        // longer than a change in progress, so clients are asked to wait more.
        if matches!(self, ApiError::Overloaded(_)) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if matches!(self, ApiError::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
