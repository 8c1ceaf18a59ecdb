use axum::{
    Form, Router,
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use minijinja::context;
use serde::Deserialize;

use super::{
    PageError,
    session::{CsrfForm, LANG_COOKIE, lang_from},
    templates,
};
use crate::{
    accounts::{new_token, session},
    domain::Lang,
    state::AppState,
};

const LOGIN_CSRF_COOKIE: &str = "shukudai_login_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch_language))
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths: `/tasks/3`, never `//evil.example` or a full URL.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/dashboard".to_owned(),
    }
}

fn render_login(
    state: &AppState,
    jar: CookieJar,
    next: &str,
    failed: bool,
) -> Result<(CookieJar, Html<String>), PageError> {
    let lang = lang_from(&jar, None);
    // Double-submit token: there is no session yet to hold one.
    let token = new_token();
    let html = templates::render(
        "login.html",
        context! { lang => lang.code(), next => next, failed => failed, csrf => &token },
    )
    .map_err(PageError::internal)?;
    let cookie = Cookie::build((LOGIN_CSRF_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.server.secure_cookies)
        .path("/login")
        .build();
    Ok((jar.add(cookie), Html(html)))
}

async fn login_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<impl IntoResponse, PageError> {
    render_login(&state, jar, &safe_next(query.next.as_deref()), false)
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    if expected.as_deref() != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        return Err(PageError::Csrf);
    }
    let next = safe_next(form.next.as_deref());
    let Some(signed_in) = session::sign_in(&state, &form.login, &form.password).await? else {
        let (jar, html) = render_login(&state, jar, &next, true)?;
        return Ok((axum::http::StatusCode::UNAUTHORIZED, jar, html).into_response());
    };
    let jar = jar
        .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login"))
        .add(signed_in.cookie);
    Ok((jar, Redirect::to(&next)).into_response())
}

#[derive(Debug, Deserialize)]
struct NoFields {}

async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_, NoFields {}): CsrfForm<NoFields>,
) -> Result<impl IntoResponse, PageError> {
    Ok((
        session::sign_out(&state, jar).await?,
        Redirect::to("/login"),
    ))
}

#[derive(Debug, Deserialize)]
struct BackQuery {
    back: Option<String>,
}

async fn switch_language(
    jar: CookieJar,
    Path(code): Path<String>,
    Query(query): Query<BackQuery>,
) -> impl IntoResponse {
    let lang = Lang::parse(&code).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build();
    (
        jar.add(cookie),
        Redirect::to(&safe_next(query.back.as_deref())),
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/tasks/3")), "/tasks/3");
        assert_eq!(safe_next(Some("//evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }
}
