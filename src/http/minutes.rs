//! `POST /api/v1/minutes`: upload a minutes file (multipart `file`, or the raw text
//! as the body); answers the meeting with its draft tasks.
use axum::{
    Json, Router,
    body::Bytes,
    extract::{FromRequest, Multipart, Request, State},
    http::{StatusCode, header},
    routing::post,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, AppState, auth::Secretariat};
use crate::{
    agenda::{self, MeetingDetail},
    import::{ImportError, ImportOutcome, Importer},
    tasks::Actor,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/minutes", post(upload))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedMinutes {
    /// True when the same file was imported before: nothing changed.
    pub already_imported: bool,
    pub minutes_id: i32,
    pub meeting: MeetingDetail,
}

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Unreadable(_) | ImportError::NoBody | ImportError::NoDate => {
                ApiError::Unprocessable(error.to_string())
            }
            ImportError::Meeting(e) => e.into(),
            ImportError::Task(e) => e.into(),
            ImportError::Db(e) => e.into(),
        }
    }
}

/// The uploaded file's name and bytes.
async fn read_upload(request: Request, state: &AppState) -> Result<(String, Bytes), ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::unreadable_body(state, e.status(), e.body_text()))?;
        return Ok(("upload.txt".to_owned(), bytes));
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::unreadable_body(state, e.status(), e.body_text()))?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::unreadable_body(state, e.status(), e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.txt").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::unreadable_body(state, e.status(), e.body_text()))?;
            return Ok((name, bytes));
        }
    }
    Err(ApiError::field(
        "file",
        "a multipart field `file` is required",
    ))
}

/// Imports a minutes file: 201 with the new meeting and its drafts, 200 when the
/// same file was imported before, 413 when the body is over
/// `server.max_upload_bytes`, 422 when it cannot be read as minutes.
#[utoipa::path(post, path = "/api/v1/minutes", tag = "minutes",
    request_body(content = String, description = "multipart/form-data with a `file` field, or the text itself", content_type = "text/plain"),
    responses((status = 201, body = ImportedMinutes), (status = 200, body = ImportedMinutes),
        (status = 413, description = "the body is larger than `server.max_upload_bytes`, which the detail names",
            body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = super::error::Problem)))]
pub(super) async fn upload(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    request: Request,
) -> Result<(StatusCode, Json<ImportedMinutes>), ApiError> {
    let (name, bytes) = read_upload(request, &state).await?;
    if bytes.is_empty() {
        return Err(ApiError::field("file", "the file is empty"));
    }
    let actor = Actor::user(&user);
    let at = state.moment();
    let outcome = Importer::new(state.db.clone())
        .import(&name, &bytes, &actor, at)
        .await?;
    let (status, already_imported, meeting_id, minutes_id) = match outcome {
        ImportOutcome::Imported {
            meeting_id,
            minutes_id,
            ..
        } => (StatusCode::CREATED, false, meeting_id, minutes_id),
        ImportOutcome::AlreadyImported {
            meeting_id,
            minutes_id,
        } => (StatusCode::OK, true, meeting_id, minutes_id),
    };
    let meeting = agenda::meeting_detail(&state.db, &actor, meeting_id, at).await?;
    Ok((
        status,
        Json(ImportedMinutes {
            already_imported,
            minutes_id,
            meeting,
        }),
    ))
}
