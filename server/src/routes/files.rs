//! The `/api/files` handlers: upload, replace, list, describe, delete.

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::error::{ApiError, ErrorItem};
use crate::files::FileVersion;
use crate::json::{ok, ok_with_warnings};
use crate::state::{store_error, AppState};

/// A file as its description answers it.
#[derive(Serialize)]
struct FileDescription {
    #[serde(rename = "file-id")]
    file_id: u64,
    name: String,
    version: u32,
    uploaded: String,
    #[serde(rename = "input-columns")]
    input_columns: Vec<String>,
    #[serde(rename = "derived-columns")]
    derived_columns: Vec<String>,
    capacity: u32,
    #[serde(rename = "out-headers")]
    out_headers: Vec<String>,
    #[serde(rename = "out-rows")]
    out_rows: usize,
    events: usize,
    evaluator: EvaluatorState,
}

/// `evaluator` of a description: `interpreted`, `compiling`, `compiled`,
/// or `failed` with the reason.
#[derive(Serialize)]
struct EvaluatorState {
    state: &'static str,
    reason: Option<String>,
}

impl EvaluatorState {
    fn of(file: &FileVersion) -> EvaluatorState {
        let state = file.evaluator_state();
        EvaluatorState { state: state.name(), reason: state.reason().map(str::to_string) }
    }
}

async fn describe_file(state: &AppState, file: &FileVersion) -> Result<FileDescription, ApiError> {
    let live = state.events.list().await.map_err(store_error)?;
    let events = live.iter().filter(|e| e.file_id == file.id).count();
    let mut description = FileDescription {
        file_id: file.id,
        name: file.name.clone(),
        version: file.version,
        uploaded: file.uploaded.format(&Rfc3339).unwrap_or_default(),
        input_columns: Vec::new(),
        derived_columns: Vec::new(),
        capacity: 0,
        out_headers: Vec::new(),
        out_rows: 0,
        events,
        evaluator: EvaluatorState::of(file),
    };
    if let Ok(workbook) = &file.workbook {
        let program = &workbook.program;
        description.input_columns =
            program.input.columns.iter().map(|c| c.header.clone()).collect();
        description.derived_columns =
            program.input.derived.iter().map(|(_, h)| h.clone()).collect();
        description.capacity = program.input.capacity;
        description.out_headers = program.output.columns.iter().map(|c| c.key.clone()).collect();
        description.out_rows = program.output.rows.len();
    }
    Ok(description)
}

/// The warnings of a stored version, as answer items.
fn warnings(file: &FileVersion) -> Vec<ErrorItem> {
    let Ok(workbook) = &file.workbook else { return Vec::new() };
    workbook.warnings.iter().map(|d| ErrorItem::from_diagnostic("IWF", d)).collect()
}

/// A `:file-id` path segment; anything but a number names no file.
fn file_id(path: Result<Path<String>, PathRejection>) -> Result<u64, ApiError> {
    let Path(text) =
        path.map_err(|e| ApiError::BadRequest(format!("the file id is not valid: {e}")))?;
    text.parse().map_err(|_| ApiError::FileNotFound(format!("'{text}'")))
}

/// `GET /api/files`.
pub(super) async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut descriptions = Vec::new();
    for file in state.files.list() {
        descriptions.push(describe_file(&state, &file).await?);
    }
    Ok(ok(descriptions))
}

/// `GET /api/files/:file-id`.
pub(super) async fn describe(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = file_id(path)?;
    let file = state.files.current(id).ok_or_else(|| ApiError::FileNotFound(id.to_string()))?;
    Ok(ok_with_warnings(describe_file(&state, &file).await?, warnings(&file)))
}

/// `POST /api/files`: a new file from the multipart field `file`.
pub(super) async fn upload(
    State(state): State<AppState>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_upload(multipart).await?;
    let files = state.files.clone();
    let file = tokio::task::spawn_blocking(move || files.upload(&name, &bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("upload task failed: {e}")))??;
    answer(&state, &file).await
}

/// `PUT /api/files/:file-id`: a new version of an existing file.
pub(super) async fn replace(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_upload(multipart).await?;
    let id = file_id(path)?;
    let files = state.files.clone();
    let file = tokio::task::spawn_blocking(move || files.replace(id, &name, &bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("replace task failed: {e}")))??;
    answer(&state, &file).await
}

async fn answer(state: &AppState, file: &Arc<FileVersion>) -> Result<Response, ApiError> {
    Ok(ok_with_warnings(describe_file(state, file).await?, warnings(file)))
}

/// `DELETE /api/files/:file-id`.
pub(super) async fn delete(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = file_id(path)?;
    let files = state.files.clone();
    tokio::task::spawn_blocking(move || files.delete(id))
        .await
        .map_err(|e| ApiError::Internal(format!("delete task failed: {e}")))??;
    tracing::info!(file_id = id, "file deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The name and bytes of the multipart field `file`, which must come once.
async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(String, Vec<u8>), ApiError> {
    let mut multipart = multipart
        .map_err(|e| ApiError::BadRequest(format!("expected a multipart/form-data upload: {e}")))?;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        if upload.is_some() {
            let message =
                "the upload holds more than one 'file' field; send one workbook per upload";
            return Err(ApiError::BadRequest(message.into()));
        }
        let name = field.file_name().unwrap_or("workbook.xlsx").to_string();
        let bytes = field.bytes().await.map_err(multipart_error)?;
        upload = Some((name, bytes.to_vec()));
    }
    upload.ok_or_else(|| ApiError::BadRequest("the upload lacks the multipart field 'file'".into()))
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge("the upload is larger than the configured limit".into())
    } else {
        ApiError::BadRequest(format!("the multipart upload cannot be read: {error}"))
    }
}
