//! Who is asking, and may they: the session cookie or bearer token becomes an
//! [`AuthenticatedUser`], and the role extractors ([`CurrentUser`], [`Secretariat`],
//! [`Admin`]) are the one place where roles are enforced for a route.
use axum::{
    Json, Router,
    extract::{FromRequestParts, State},
    http::{StatusCode, header, request::Parts},
    response::IntoResponse,
    routing::{get, post},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ApiJson, AppState};
use crate::{
    auth::{AuthenticatedUser, hash_token},
    domain::Role,
};

pub const SESSION_COOKIE: &str = "shukudai_session";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", get(me))
}

/// Any signed-in user.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub AuthenticatedUser);

/// The secretariat or an admin.
#[derive(Debug, Clone)]
pub struct Secretariat(pub AuthenticatedUser);

/// An admin.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthenticatedUser);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<AuthenticatedUser>() {
            return Ok(Self(user.clone()));
        }
        let user = authenticate(parts, state)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        parts.extensions.insert(user.clone());
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for Secretariat {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role.is_secretariat() {
            Ok(Self(user))
        } else {
            Err(ApiError::forbidden("only the secretariat may do this"))
        }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == Role::Admin {
            Ok(Self(user))
        } else {
            Err(ApiError::forbidden("only an administrator may do this"))
        }
    }
}

async fn authenticate(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<AuthenticatedUser>, ApiError> {
    let users = state.users();
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::BadRequest("the Authorization header must be `Bearer TOKEN`".into())
            })?;
        let cached = state
            .cache
            .principal(hash_token(token), || users.user_for_api_token(token))
            .await?;
        return Ok(cached);
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let user = users
        .user_for_session(cookie.value(), state.clock.now())
        .await?;
    // A browser sends the cookie on its own; a change made with it must also carry
    // the session's CSRF token, which another site cannot read.
    if let Some(user) = &user
        && !parts.method.is_safe()
    {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent.is_none() || sent != user.csrf_token.as_deref() {
            return Err(ApiError::forbidden(format!(
                "a change with a session cookie needs the {CSRF_HEADER} header from the login answer"
            )));
        }
    }
    Ok(user)
}

/// The header that carries the session's CSRF token on cookie-authenticated changes.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// With a session cookie: send it back as `X-CSRF-Token` on changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

impl From<AuthenticatedUser> for UserView {
    fn from(user: AuthenticatedUser) -> Self {
        Self {
            id: user.id,
            login: user.login,
            display_name: user.display_name,
            role: user.role,
            department: user.department_name,
            csrf_token: user.csrf_token,
        }
    }
}

/// Starts a session: sets the HttpOnly session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = UserView), (status = 401, body = super::error::Problem)))]
pub(super) async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let users = state.users();
    let user_id = users
        .verify_login(request.login.trim(), &request.password)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let lifetime = Duration::hours(i64::from(state.settings.server.session_hours));
    let token = users
        .start_session(user_id, state.clock.now(), lifetime)
        .await?;
    let user = users
        .user_for_session(&token, state.clock.now())
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("new session not found")))?;
    Ok((
        jar.add(session_cookie(&state, token, lifetime)),
        Json(UserView::from(user)),
    ))
}

pub fn session_cookie(state: &AppState, token: String, lifetime: Duration) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.server.secure_cookies)
        .path("/")
        .max_age(time_duration(lifetime))
        .build()
}

fn time_duration(lifetime: Duration) -> cookie::time::Duration {
    cookie::time::Duration::seconds(lifetime.num_seconds())
}

/// Ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "auth", responses((status = 204)))]
pub(super) async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        state.users().end_session(cookie.value()).await?;
    }
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserView), (status = 401, body = super::error::Problem)))]
pub(super) async fn me(CurrentUser(user): CurrentUser) -> Json<UserView> {
    Json(user.into())
}
