//! The one-click pages behind the links in reminder mails: `GET /act/{token}`
//! shows a confirmation page (never changes anything); `POST /act/{token}` marks
//! the item done with the completion note. The link itself is the credential: the
//! pages need no login, are not cached and never send the URL on as Referer.
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use minijinja::{Value, context};
use serde::Deserialize;

use super::templates;
use crate::{
    reminders::{
        LinkError,
        one_click::{self, OneClickError},
    },
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/act/{token}", get(show).post(complete))
}

#[derive(Debug, Deserialize)]
struct DoneForm {
    #[serde(default)]
    note: String,
}

fn page(status: StatusCode, page: Value) -> Response {
    let headers = [
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    match templates::render("one_click.html", page) {
        Ok(html) => (status, headers, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "one-click page does not render");
            (StatusCode::INTERNAL_SERVER_ERROR, headers).into_response()
        }
    }
}

fn refusal(error: OneClickError) -> Response {
    let (status, message) = match &error {
        OneClickError::Link(LinkError::Invalid) | OneClickError::TaskNotFound => (
            StatusCode::NOT_FOUND,
            "このリンクは無効です。メールに記載されたリンクをそのままお使いください。",
        ),
        OneClickError::Link(LinkError::Expired) => (
            StatusCode::GONE,
            "このリンクは有効期限が切れています。最新のリマインダーメールのリンクをお使いください。",
        ),
        OneClickError::Used => (StatusCode::GONE, "このリンクは使用済みです。"),
        OneClickError::WrongDepartment => (
            StatusCode::FORBIDDEN,
            "この宿題は現在、別の部署の担当です。このリンクでは完了にできません。",
        ),
        OneClickError::NotOpen(_) => (
            StatusCode::CONFLICT,
            "この宿題はすでに完了または取り下げ済みです。",
        ),
        OneClickError::NoteRequired => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "完了報告を入力してください。ブラウザの「戻る」で入力画面に戻れます。",
        ),
        OneClickError::Db(_) | OneClickError::Unexpected(_) => {
            tracing::error!(%error, "one-click link failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "処理中にエラーが発生しました。しばらくしてからもう一度お試しください。",
            )
        }
    };
    page(status, context! { message => message })
}

async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    match one_click::inspect(&state.db, &state.settings, &token, now).await {
        Ok(target) => page(
            StatusCode::OK,
            context! {
                token => token,
                summary => target.task.summary,
                department => target.department_name,
                due_on => target.task.due_on.map(|d| d.to_string()),
                origin => target.origin.map(|m| format!("{}（{}）", m.title, m.held_on)),
            },
        ),
        Err(error) => refusal(error),
    }
}

async fn complete(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<DoneForm>,
) -> Response {
    let now = state.clock.now();
    match one_click::complete(&state.db, &state.settings, &token, &form.note, now).await {
        Ok(task) => page(StatusCode::OK, context! { done => task.summary }),
        Err(error) => refusal(error),
    }
}
