use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use minijinja::context;

use super::templates;
use crate::state::AppState;

/// What a page answers when it cannot show what was asked: a redirect to the login
/// page, or an error page that says what went wrong (never a panic, never a cause).
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("login required")]
    Login { next: String },
    #[error("この操作の権限がありません / you may not do this")]
    Forbidden,
    #[error("見つかりません / not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    /// A body over `server.max_upload_bytes`, which it names.
    #[error(
        "送信された内容が大きすぎます。一度に送れるのは {size} までです / the upload is larger than the limit of {size}",
        size = crate::domain::sizes::size_text(*.0)
    )]
    PayloadTooLarge(usize),
    /// A form the service refused: invalid fields, a wrong status.
    #[error("{0}")]
    Unprocessable(String),
    /// Someone else changed the item since the page was loaded.
    #[error(
        "ほかの人が先に変更しました。再読み込みして確認してください / someone else changed this item; reload and check"
    )]
    Stale,
    #[error(
        "フォームの有効期限が切れました。再読み込みしてやり直してください / the form expired; reload and try again"
    )]
    Csrf,
    #[error(
        "内部エラーが発生しました。記録されています / an internal error occurred and was logged"
    )]
    Internal(#[source] anyhow::Error),
}

impl PageError {
    pub fn login(next: &str) -> Self {
        Self::Login {
            next: next.to_owned(),
        }
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    /// 413 naming the limit when a form's body outgrew it, else 400 with axum's reason.
    pub fn unreadable_body(state: &AppState, status: StatusCode, reason: String) -> Self {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge(state.settings.server.max_upload_bytes)
        } else {
            Self::BadRequest(reason)
        }
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::internal(error)
    }
}

impl From<crate::tasks::TaskError> for PageError {
    fn from(error: crate::tasks::TaskError) -> Self {
        use crate::tasks::TaskError;
        match error {
            TaskError::NotFound(_) | TaskError::NoSuchMeeting(_) => Self::NotFound,
            TaskError::Forbidden(_) => Self::Forbidden,
            TaskError::Stale(_) => Self::Stale,
            TaskError::Invalid(issues) => Self::Unprocessable(describe_issues(&issues)),
            TaskError::Db(db) => Self::internal(db),
            other @ TaskError::WrongStatus { .. } => Self::Unprocessable(other.to_string()),
        }
    }
}

impl From<crate::meetings::MeetingError> for PageError {
    fn from(error: crate::meetings::MeetingError) -> Self {
        use crate::meetings::MeetingError;
        match error {
            MeetingError::NotFound(_) | MeetingError::NoSuchBody(_) => Self::NotFound,
            MeetingError::Db(db) => Self::internal(db),
            MeetingError::Invalid(issues) => Self::Unprocessable(describe_issues(&issues)),
        }
    }
}

impl From<crate::agenda::AgendaError> for PageError {
    fn from(error: crate::agenda::AgendaError) -> Self {
        use crate::agenda::AgendaError;
        match error {
            AgendaError::Meeting(e) => e.into(),
            AgendaError::Task(e) => e.into(),
        }
    }
}

fn describe_issues(issues: &[crate::domain::FieldIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.field, i.message))
        .collect::<Vec<_>>()
        .join(" / ")
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Login { next } => {
                let target = format!("/login?next={}", encode_query(next));
                return Redirect::to(&target).into_response();
            }
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Stale => StatusCode::CONFLICT,
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "page failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = self.to_string();
        match templates::render(
            "error.html",
            context! { lang => "ja", status => status.as_u16(), message => message },
        ) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(error) => {
                tracing::error!(%error, "error page does not render");
                (status, message).into_response()
            }
        }
    }
}

/// Percent-encodes a path for a query value (only what the login redirect needs).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
