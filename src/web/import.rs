//! The import page (secretariat): upload one or more minutes files or paste the
//! text; each file is reported on its own, and one failure does not stop the rest.
use axum::{
    Router,
    extract::{Multipart, State},
    response::Html,
    routing::get,
};
use bytes::Bytes;
use minijinja::context;
use serde::Serialize;

use super::{PageError, session::SecretariatPage, templates};
use crate::{
    domain::sizes::size_text,
    import::{ImportOutcome, Importer},
    state::AppState,
    tasks::Actor,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/import", get(form).post(upload))
}

#[derive(Debug, Serialize)]
struct ImportResult {
    file: String,
    message: String,
    meeting_id: Option<i32>,
    failed: bool,
}

fn render(
    state: &AppState,
    page: &super::session::Page,
    results: &[ImportResult],
) -> Result<Html<String>, PageError> {
    let max_bytes = state.settings.server.max_upload_bytes;
    templates::render(
        "import.html",
        page.context(
            "nav.import",
            context! { results => results, max_bytes => max_bytes, max_size => size_text(max_bytes) },
        ),
    )
    .map(Html)
    .map_err(PageError::internal)
}

async fn form(
    State(state): State<AppState>,
    SecretariatPage(page): SecretariatPage,
) -> Result<Html<String>, PageError> {
    render(&state, &page, &[])
}

/// The form's fields, read whole before anything is imported so the CSRF token is
/// checked first.
async fn read_fields(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(String, Vec<(String, Bytes)>), PageError> {
    let mut csrf = String::new();
    let mut files = Vec::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        PageError::unreadable_body(state, e.status(), e.body_text())
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.txt").to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    files.push((name, bytes));
                }
            }
            Some("text") => {
                let text = field.text().await.map_err(bad)?;
                if !text.trim().is_empty() {
                    files.push(("貼り付けた本文".to_owned(), Bytes::from(text)));
                }
            }
            _ => {}
        }
    }
    Ok((csrf, files))
}

async fn upload(
    State(state): State<AppState>,
    SecretariatPage(page): SecretariatPage,
    multipart: Multipart,
) -> Result<Html<String>, PageError> {
    let (csrf, files) = read_fields(&state, multipart).await?;
    if csrf.is_empty() || csrf != page.csrf() {
        return Err(PageError::Csrf);
    }
    if files.is_empty() {
        let message = "ファイルを選ぶか本文を貼り付けてください / choose a file or paste the text";
        return Err(PageError::Unprocessable(message.into()));
    }
    let importer = Importer::new(state.db.clone());
    let actor = Actor::user(&page.user);
    let mut results = Vec::with_capacity(files.len());
    for (file, bytes) in files {
        let result = match importer.import(&file, &bytes, &actor, state.moment()).await {
            Ok(ImportOutcome::Imported {
                meeting_id,
                title,
                drafts,
                ..
            }) => ImportResult {
                message: format!(
                    "{title}：宿題の候補 {drafts}件を取り込みました / {drafts} drafts imported"
                ),
                meeting_id: Some(meeting_id),
                failed: false,
                file,
            },
            Ok(ImportOutcome::AlreadyImported { meeting_id, .. }) => ImportResult {
                message: "取込済みのため変更はありません / already imported; nothing changed"
                    .into(),
                meeting_id: Some(meeting_id),
                failed: false,
                file,
            },
            Err(error) => {
                let message = if error.is_internal() {
                    tracing::error!(error = %error, file, "import failed");
                    "内部エラーが発生しました。記録されています / an internal error occurred and was logged".to_owned()
                } else {
                    error.to_string()
                };
                ImportResult {
                    message,
                    meeting_id: None,
                    failed: true,
                    file,
                }
            }
        };
        results.push(result);
    }
    render(&state, &page, &results)
}
