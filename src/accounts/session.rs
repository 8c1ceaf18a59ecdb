//! Who is making a request, for both front ends: the session cookie (its name,
//! signing in and out) and, for the API, a bearer token looked up through the read
//! cache. A change made with the cookie alone must prove it comes from our own
//! pages. Each front end only maps a refusal to its own error type.
use axum::http::{HeaderMap, Method, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Duration;
use sea_orm::DbErr;

use super::{AccountError, ClientAddress, LoginThrottle, UserStore, hash_token};
use crate::{config::Settings, domain::AuthenticatedUser, state::AppState};

/// The HttpOnly cookie that carries the session token.
pub const SESSION_COOKIE: &str = "shukudai_session";
/// The header that carries the session's CSRF token on cookie-authenticated API changes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Why a request's credentials were refused (as opposed to absent).
#[derive(Debug, thiserror::Error)]
pub enum IdentifyError {
    #[error("the Authorization header must be `Bearer TOKEN`")]
    MalformedAuthorization,
    #[error("a change with a session cookie needs the {CSRF_HEADER} header from the login answer")]
    MissingCsrf,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The signed-in user of the session cookie in `headers`, if it is current.
pub async fn session_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<AuthenticatedUser>, DbErr> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    UserStore::new(state.db.clone())
        .user_for_session(cookie.value(), state.clock.now())
        .await
}

/// The API's caller: a bearer token when the request has an `Authorization`
/// header, else the session cookie, whose changes (non-safe methods) must also
/// carry the session's CSRF token in [`CSRF_HEADER`], which another site cannot read.
pub async fn identify(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Option<AuthenticatedUser>, IdentifyError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(IdentifyError::MalformedAuthorization)?;
        let users = UserStore::new(state.db.clone());
        let cached = state
            .cache
            .principal(hash_token(token), || users.user_for_api_token(token))
            .await?;
        return Ok(cached);
    }
    let user = session_user(state, headers).await?;
    if let Some(user) = &user
        && !method.is_safe()
    {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent.is_none() || sent != user.csrf_token.as_deref() {
            return Err(IdentifyError::MissingCsrf);
        }
    }
    Ok(user)
}

/// A new session for a valid login: its user (with the CSRF token) and the cookie to set.
pub struct SignedIn {
    pub user: AuthenticatedUser,
    pub cookie: Cookie<'static>,
}

/// How a login attempt ended.
pub enum SignIn {
    Welcome(Box<SignedIn>),
    /// A wrong login or password (which of the two is not told).
    Refused,
    /// Too many failures for this login or from this address: refused without
    /// checking the password, for this many more seconds.
    LockedOut {
        retry_after_secs: u64,
    },
}

/// Checks the password and starts a session, unless the login or the client
/// address is locked out; a failure counts towards a lockout, a success clears
/// the login's count.
pub async fn sign_in(
    state: &AppState,
    login: &str,
    password: &str,
    address: &ClientAddress,
) -> Result<SignIn, AccountError> {
    let login = login.trim();
    let now = state.clock.now();
    let throttle = LoginThrottle::new(state.db.clone(), &state.settings.login);
    if let Some(lockout) = throttle.lockout(login, address, now).await? {
        return Ok(SignIn::LockedOut {
            retry_after_secs: lockout.retry_after_secs(now),
        });
    }
    let users = UserStore::new(state.db.clone());
    let Some(user_id) = users.verify_login(login, password).await? else {
        return Ok(match throttle.record_failure(login, address, now).await? {
            Some(lockout) => SignIn::LockedOut {
                retry_after_secs: lockout.retry_after_secs(now),
            },
            None => SignIn::Refused,
        });
    };
    throttle.record_success(login).await?;
    let lifetime = Duration::hours(i64::from(state.settings.server.session_hours));
    let token = users.start_session(user_id, now, lifetime).await?;
    let user = users
        .user_for_session(&token, now)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the session just started".into()))?;
    Ok(SignIn::Welcome(Box::new(SignedIn {
        user,
        cookie: session_cookie(&state.settings, token, lifetime),
    })))
}

/// Ends the session of the cookie in `jar`, if any; the jar without it.
pub async fn sign_out(state: &AppState, jar: CookieJar) -> Result<CookieJar, DbErr> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        UserStore::new(state.db.clone())
            .end_session(cookie.value())
            .await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}

fn session_cookie(settings: &Settings, token: String, lifetime: Duration) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.server.secure_cookies)
        .path("/")
        .max_age(cookie::time::Duration::seconds(lifetime.num_seconds()))
        .build()
}
