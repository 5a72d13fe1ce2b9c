//! The `/api/events` handlers. Each one decodes, validates the whole change,
//! takes the event's lock without waiting, evaluates, persists and answers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{body, check_event_id, event_id, params};
use crate::entries::{read_entries_at_most, same_entries};
use crate::error::ApiError;
use crate::json::{ok, EntryJson};
use crate::state::{evaluate, store_error, AppState};
use crate::storage::{LiveEvent, Snapshot};

/// An event as `GET /api/events/:id` describes it.
#[derive(Serialize)]
struct EventDescription {
    #[serde(rename = "event-id")]
    event_id: String,
    #[serde(rename = "file-id")]
    file_id: u64,
    #[serde(rename = "file-version")]
    file_version: u32,
    #[serde(rename = "log-length")]
    log_length: usize,
    created: String,
    #[serde(rename = "last-access")]
    last_access: String,
}

fn describe_event(event: &LiveEvent) -> EventDescription {
    EventDescription {
        event_id: event.id.clone(),
        file_id: event.file_id,
        file_version: event.file_version,
        log_length: event.snapshot().log.len(),
        created: rfc3339(event.created),
        last_access: rfc3339(event.last_access()),
    }
}

fn rfc3339(time: OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_default()
}

/// `POST /api/events`: creates an event bound to a file's current version.
pub(super) async fn create(
    State(state): State<AppState>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    /// A misspelt field is refused rather than ignored.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CreateParams {
        #[serde(rename = "file-id")]
        file_id: Option<serde_json::Value>,
        #[serde(rename = "event-id")]
        event_id: Option<serde_json::Value>,
    }
    let raw = body(raw)?;
    let create: CreateParams = serde_json::from_str(params(&raw)?.get())
        .map_err(|e| ApiError::BadRequest(format!("'params' is not valid: {e}")))?;
    let file_id = file_id_param(create.file_id)?;
    let id = match create.event_id {
        Some(serde_json::Value::String(id)) => id,
        _ => return Err(ApiError::BadRequest("'event-id' must be a non-empty string".into())),
    };
    check_event_id(&id)?;
    tracing::Span::current().record("event_id", id.as_str());

    let file =
        state.files.current(file_id).ok_or_else(|| ApiError::FileNotFound(file_id.to_string()))?;
    let workbook =
        file.workbook.as_ref().map_err(|problems| ApiError::invalid_workbook(problems))?;
    if state.events.get(&id).await.map_err(store_error)?.is_some() {
        return Err(ApiError::EventExists(id));
    }
    let (log, outcomes) = evaluate(workbook, Vec::new()).await?;
    let snapshot = Snapshot { log, outcomes };
    let event = LiveEvent::new(id.clone(), file.id, file.version, workbook.clone(), snapshot);
    if !state.events.insert(Arc::new(event)).await.map_err(store_error)? {
        return Err(ApiError::EventExists(id));
    }
    tracing::info!(event_id = %id, file_id, version = file.version, "event created");
    Ok(ok("Session created successfully"))
}

/// A `file-id` parameter: a whole number (`12` or `12.0`), or a string of digits.
fn file_id_param(value: Option<serde_json::Value>) -> Result<u64, ApiError> {
    let bad = || ApiError::BadRequest("'file-id' must be a whole number of 0 or more".into());
    let whole = |n: f64| (n.fract() == 0.0 && (0.0..9.0e15).contains(&n)).then_some(n as u64);
    match value {
        Some(serde_json::Value::Number(n)) => {
            n.as_u64().or_else(|| n.as_f64().and_then(whole)).ok_or_else(bad)
        }
        Some(serde_json::Value::String(s))
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// `GET /api/events`: every live event.
pub(super) async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let events = state.events.list().await.map_err(store_error)?;
    Ok(ok(events.iter().map(|e| describe_event(e)).collect::<Vec<_>>()))
}

/// `GET /api/events/:id`.
pub(super) async fn describe(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let event = state.event(&event_id(path)?).await?;
    Ok(ok(describe_event(&event)))
}

/// `GET /api/events/:id/event-log`: the entries keyed by input header.
pub(super) async fn read_log(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let event = state.event(&event_id(path)?).await?;
    let snapshot = event.snapshot();
    let layout = &event.workbook.program.input;
    Ok(ok(snapshot.log.iter().map(|entry| EntryJson { layout, entry }).collect::<Vec<_>>()))
}

/// `GET /api/events/:id/outcomes`: the outcomes of the last completed change.
pub(super) async fn outcomes(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let event = state.event(&event_id(path)?).await?;
    Ok(ok(&event.snapshot().outcomes))
}

/// `DELETE /api/events/:id`: releases the event.
pub(super) async fn release(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let event = state.event(&event_id(path)?).await?;
    state.release(&event).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/events/:id/event-log`: appends entries.
pub(super) async fn append(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    change_log(state, path, raw, Change::Append).await
}

/// `PUT /api/events/:id/event-log`: rewrites the whole log.
pub(super) async fn rewrite(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    change_log(state, path, raw, Change::Rewrite).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Append,
    Rewrite,
}

/// The parameters of a log change, values left raw for [`read_entries`].
/// A misspelt field is refused rather than ignored: a `log_length` taken
/// for no `log-length` at all would make a retry append twice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogParams<'a> {
    #[serde(rename = "event-log", borrow)]
    event_log: Option<&'a RawValue>,
    #[serde(rename = "log-length")]
    log_length: Option<serde_json::Value>,
}

/// Append and rewrite, in the order of `api.md`'s "Which error wins".
async fn change_log(
    state: AppState,
    path: Result<Path<String>, PathRejection>,
    raw: Result<Bytes, BytesRejection>,
    change: Change,
) -> Result<Response, ApiError> {
    let raw = body(raw);
    let id = event_id(path);
    // Every call naming the event counts as activity, even one refused
    // before the event is looked up.
    if let Ok(id) = &id {
        state.touch(id).await;
    }
    // An over-size body wins over a malformed id ("Which error wins").
    let raw = raw?;
    let id = id?;
    let request: LogParams<'_> = serde_json::from_str(params(&raw)?.get())
        .map_err(|e| ApiError::BadRequest(format!("'params' is not valid: {e}")))?;
    let entries_raw = request
        .event_log
        .ok_or_else(|| ApiError::BadRequest("'params' lacks 'event-log'".into()))?;
    let log_length = log_length_param(request.log_length)?;

    let event = state.event(&id).await?;
    let input = &event.workbook.program.input;
    let entries = read_entries_at_most(entries_raw, input, state.config.max_entries)?;

    let guard = event.try_change()?;
    let current = event.snapshot();
    let log = match next_log(&current.log, entries, log_length, change, input.capacity)? {
        Next::Apply(log) => log,
        Next::AlreadyApplied => return Ok(ok(&current.outcomes)),
    };
    Ok(ok(state.apply(guard, log).await?))
}

/// A `log-length` parameter: absent, or a whole number.
fn log_length_param(value: Option<serde_json::Value>) -> Result<Option<usize>, ApiError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => {
            n.as_u64().and_then(|n| usize::try_from(n).ok()).map(Some).ok_or_else(|| {
                ApiError::BadRequest("'log-length' must be a whole number, 0 or more".into())
            })
        }
        Some(_) => {
            Err(ApiError::BadRequest("'log-length' must be a whole number, 0 or more".into()))
        }
    }
}

/// What a change does to the log.
enum Next {
    Apply(Vec<runtime::evaluator::Entry>),
    /// A retried append whose first try landed: nothing to do.
    AlreadyApplied,
}

/// Checks a change against the current log (`LLM`, `LOF`) and builds the new log.
fn next_log(
    current: &[runtime::evaluator::Entry],
    entries: Vec<runtime::evaluator::Entry>,
    log_length: Option<usize>,
    change: Change,
    capacity: u32,
) -> Result<Next, ApiError> {
    if let Some(expected) = log_length.filter(|&n| n != current.len()) {
        let landed = change == Change::Append
            && !entries.is_empty()
            && expected
                .checked_add(entries.len())
                .and_then(|end| current.get(expected..end))
                .is_some_and(|landed| same_entries(landed, &entries));
        if landed {
            return Ok(Next::AlreadyApplied);
        }
        return Err(ApiError::LengthMismatch { expected, actual: current.len() });
    }
    let log = match change {
        Change::Append => current.iter().cloned().chain(entries).collect::<Vec<_>>(),
        Change::Rewrite => entries,
    };
    if log.len() > capacity as usize {
        return Err(ApiError::LogOverflow { len: log.len(), capacity });
    }
    Ok(Next::Apply(log))
}
