use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
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
    accounts::{
        ClientAddress, new_token,
        session::{self, SignIn},
    },
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

/// What the login form says after an attempt, with the login typed kept.
#[derive(Debug, Default)]
struct Attempt<'a> {
    login: &'a str,
    failed: bool,
    /// Locked out: about how many minutes to wait.
    locked_minutes: Option<u64>,
}

fn render_login(
    state: &AppState,
    jar: CookieJar,
    next: &str,
    attempt: Attempt<'_>,
) -> Result<(CookieJar, Html<String>), PageError> {
    let lang = lang_from(&jar, None);
    // Double-submit token: there is no session yet to hold one.
    let token = new_token();
    let html = templates::render(
        "login.html",
        context! {
            lang => lang.code(),
            next => next,
            login => attempt.login,
            failed => attempt.failed,
            locked_minutes => attempt.locked_minutes.map(|m| m.to_string()),
            csrf => &token,
        },
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
    render_login(
        &state,
        jar,
        &safe_next(query.next.as_deref()),
        Attempt::default(),
    )
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
    address: ClientAddress,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    if expected.as_deref() != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        return Err(PageError::Csrf);
    }
    let next = safe_next(form.next.as_deref());
    let login = form.login.trim();
    let attempt = match session::sign_in(&state, login, &form.password, &address)
        .await
        .map_err(PageError::internal)?
    {
        SignIn::Welcome(signed_in) => {
            let jar = jar
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login"))
                .add(signed_in.cookie);
            return Ok((jar, Redirect::to(&next)).into_response());
        }
        SignIn::Refused => Attempt {
            login,
            failed: true,
            locked_minutes: None,
        },
        SignIn::LockedOut { retry_after_secs } => {
            let attempt = Attempt {
                login,
                failed: true,
                locked_minutes: Some(retry_after_secs.div_ceil(60)),
            };
            let (jar, html) = render_login(&state, jar, &next, attempt)?;
            let retry_after = [(header::RETRY_AFTER, HeaderValue::from(retry_after_secs))];
            return Ok((StatusCode::TOO_MANY_REQUESTS, retry_after, jar, html).into_response());
        }
    };
    let (jar, html) = render_login(&state, jar, &next, attempt)?;
    Ok((StatusCode::UNAUTHORIZED, jar, html).into_response())
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
