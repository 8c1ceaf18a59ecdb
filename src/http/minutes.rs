//! `POST /api/v1/minutes`: upload a minutes file — text, Word (.docx) or PDF —
//! as multipart `file` or as the raw body; answers the meeting with the counts
//! of its tasks and the link to list them. `GET /api/v1/minutes/{id}/original`
//! gives the file back as it was uploaded.
use axum::{
    Json, Router,
    body::Bytes,
    extract::{FromRequest, Multipart, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::Engine;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    ApiError, AppState,
    auth::{CurrentUser, Secretariat},
    extract::ApiPath,
    openapi::{NotFound, PayloadTooLarge, Unprocessable},
};
use crate::{
    agenda::{self, MeetingDetail},
    import::{self, ImportError, ImportLimits, ImportOutcome, Importer, OriginalFile},
    tasks::Actor,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/minutes", post(upload))
        .route("/minutes/{id}/original", get(original))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedMinutes {
    /// True when the same file was imported before: nothing changed.
    pub already_imported: bool,
    pub minutes_id: i32,
    /// Drafts this upload created (0 when already imported).
    pub drafts_created: usize,
    /// The meeting, its minutes and the counts of its tasks; the tasks
    /// themselves are listed a page at a time at `meeting.tasks.href`.
    pub meeting: MeetingDetail,
}

/// The multipart form of an upload (documentation only: the handler reads the
/// stream itself).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MinutesUpload {
    /// The minutes file: .txt, .docx or .pdf.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Unreadable(_)
            | ImportError::TooManyDrafts { .. }
            | ImportError::NoBody
            | ImportError::NoDate => ApiError::Unprocessable(error.to_string()),
            ImportError::TooLarge { limit, .. } => ApiError::PayloadTooLarge(limit),
            ImportError::Meeting(e) => e.into(),
            ImportError::Task(e) => e.into(),
            ImportError::Conversion(_) => ApiError::internal(error),
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

/// Imports a minutes file (plain text in UTF-8, UTF-16 or Shift_JIS, Word .docx
/// or PDF with a text layer): 201 with the new meeting, 200 when the same file
/// was imported before, 413 when the body is over `server.max_upload_bytes`, 422
/// when it cannot be read as minutes (a scanned PDF, a damaged document) or
/// yields more drafts than `import.max_drafts` — nothing is stored then.
#[utoipa::path(post, path = "/api/v1/minutes", tag = "minutes",
    request_body(content(
        (String = "text/plain"),
        (MinutesUpload = "multipart/form-data"),
    ), description = "multipart/form-data with a `file` field (.txt, .docx or .pdf), or the text itself"),
    responses((status = 201, body = ImportedMinutes), (status = 200, body = ImportedMinutes),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable)))]
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
    let outcome = Importer::new(
        state.db.clone(),
        ImportLimits::from_settings(&state.settings),
    )
    .import(&name, bytes, &actor, at)
    .await?;
    let (status, already_imported, meeting_id, minutes_id, drafts_created) = match outcome {
        ImportOutcome::Imported {
            meeting_id,
            minutes_id,
            drafts,
            ..
        } => (StatusCode::CREATED, false, meeting_id, minutes_id, drafts),
        ImportOutcome::AlreadyImported {
            meeting_id,
            minutes_id,
        } => (StatusCode::OK, true, meeting_id, minutes_id, 0),
    };
    let meeting = agenda::meeting_detail(&state.db, &actor, meeting_id, at).await?;
    Ok((
        status,
        Json(ImportedMinutes {
            already_imported,
            minutes_id,
            drafts_created,
            meeting,
        }),
    ))
}

/// The original file of imported minutes, as uploaded, with its media type and
/// `Repr-Digest: sha-256=:…:` (RFC 9530) of its bytes.
#[utoipa::path(get, path = "/api/v1/minutes/{id}/original", tag = "minutes",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "minutes id")),
    responses(
        (status = 200, description = "the file as uploaded", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "text/plain"),
        ), headers(
            ("Content-Disposition" = String, description = "attachment with the uploaded file name"),
            ("Repr-Digest" = String, description = "sha-256 of the bytes (RFC 9530)"),
        )),
        (status = 404, response = NotFound)))]
pub(super) async fn original(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, ApiError> {
    let file = import::original_file(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no original file for minutes {id}")))?;
    download(file)
}

fn download(file: OriginalFile) -> Result<Response, ApiError> {
    let sha256 = hex::decode(&file.sha256).map_err(ApiError::internal)?;
    let digest = format!(
        "sha-256=:{}:",
        base64::engine::general_purpose::STANDARD.encode(sha256)
    );
    let header_value = |text: String| HeaderValue::from_str(&text).map_err(ApiError::internal);
    Ok((
        [
            (header::CONTENT_TYPE, header_value(file.content_type)?),
            (
                header::CONTENT_DISPOSITION,
                header_value(disposition(&file.file_name))?,
            ),
            (
                header::HeaderName::from_static("repr-digest"),
                header_value(digest)?,
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        file.content,
    )
        .into_response())
}

/// `attachment` with the file name twice (RFC 6266): an ASCII stand-in for old
/// clients and the real, often Japanese, name percent-encoded in `filename*`.
fn disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(file_name, NON_ALPHANUMERIC)
    )
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn japanese_file_names_survive_in_filename_star() {
        assert_eq!(
            disposition("会議録 第2回.pdf"),
            "attachment; filename=\"___ _2_.pdf\"; filename*=UTF-8''%E4%BC%9A%E8%AD%B0%E9%8C%B2%20%E7%AC%AC2%E5%9B%9E%2Epdf"
        );
    }
}
