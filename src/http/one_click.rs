//! The one-click pages behind the links in reminder mails: `GET /act/{token}`
//! shows a small confirmation page (never changes anything); `POST /act/{token}`
//! marks the item done with the completion note.
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use super::AppState;
use crate::reminders::{
    LinkError,
    one_click::{self, OneClickError},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/act/{token}", get(show).post(complete))
}

#[derive(Debug, Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    note: String,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page; the token in its URL is a credential: not cached, never sent on as Referer.
fn page(title: &str, body: &str) -> impl IntoResponse {
    let html = Html(format!(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta name=\"robots\" content=\"noindex\"><title>{} - shukudai</title></head>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\">\
         <h1>{}</h1>{body}</body></html>",
        escape(title),
        escape(title)
    ));
    (
        [
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
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
    (
        status,
        page("宿題の完了報告", &format!("<p>{}</p>", escape(message))),
    )
        .into_response()
}

async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    match one_click::inspect(&state.db, &state.settings, &token, now).await {
        Ok(target) => {
            let origin = target
                .origin
                .map(|m| format!("{}（{}）", m.title, m.held_on))
                .unwrap_or_default();
            let due = target
                .task
                .due_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "未設定".to_owned());
            let body = format!(
                "<p>次の宿題を <strong>完了</strong> として報告します。よろしければ「完了にする」を押してください。</p>\
                 <dl><dt>宿題</dt><dd>{}</dd><dt>担当</dt><dd>{}</dd><dt>期限</dt><dd>{}</dd><dt>発端</dt><dd>{}</dd></dl>\
                 <form method=\"post\" action=\"/act/{}\">\
                 <p><label for=\"note\">完了報告（必須）</label><br>\
                 <textarea id=\"note\" name=\"note\" rows=\"4\" cols=\"50\" required></textarea></p>\
                 <p><button type=\"submit\">完了にする</button></p></form>",
                escape(&target.task.summary),
                escape(&target.department_name),
                escape(&due),
                escape(&origin),
                escape(&token),
            );
            page("宿題の完了報告", &body).into_response()
        }
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
        Ok(task) => page(
            "完了を受け付けました",
            &format!(
                "<p>「{}」を完了にしました。ご対応ありがとうございました。</p>",
                escape(&task.summary)
            ),
        )
        .into_response(),
        Err(error) => refusal(error),
    }
}
