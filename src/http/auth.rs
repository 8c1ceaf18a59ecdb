//! Who is asking, and may they: [`session::identify`] turns the bearer token or
//! session cookie into an [`AuthenticatedUser`], and the role extractors
//! ([`CurrentUser`], [`Secretariat`], [`Admin`]) ask `accounts::authorize` for a
//! route's role, as the pages' extractors do; they only answer a refusal as a
//! problem document. The session routes (login, logout, me) are here too.
use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, State},
    http::{StatusCode, request::Parts},
    response::IntoResponse,
    routing::{delete, get, post},
};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ApiJson, AppState, openapi::Unauthorized};
use crate::{
    accounts::{
        self, AccountError, ClientAddress, Need, UserStore,
        session::{self, IdentifyError, SignIn},
    },
    domain::{AuthenticatedUser, Role},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", get(me))
        .route("/users/{login}/lockout", delete(unlock))
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
        let user = session::identify(state, &parts.method, &parts.headers)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        parts.extensions.insert(user.clone());
        Ok(Self(user))
    }
}

/// The signed-in user when their role meets `need`.
async fn signed_in_with(
    parts: &mut Parts,
    state: &AppState,
    need: Need,
) -> Result<AuthenticatedUser, ApiError> {
    let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
    accounts::authorize(&user, need).map_err(|refusal| ApiError::forbidden(refusal.to_string()))?;
    Ok(user)
}

impl FromRequestParts<AppState> for Secretariat {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        signed_in_with(parts, state, Need::Secretariat)
            .await
            .map(Self)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        signed_in_with(parts, state, Need::Admin).await.map(Self)
    }
}

impl From<IdentifyError> for ApiError {
    fn from(error: IdentifyError) -> Self {
        match error {
            IdentifyError::MalformedAuthorization => ApiError::BadRequest(error.to_string()),
            IdentifyError::MissingCsrf => ApiError::forbidden(error.to_string()),
            IdentifyError::Db(e) => e.into(),
        }
    }
}

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

/// Starts a session: sets the HttpOnly session cookie. Failed logins are counted
/// per login and per client address; too many lock them out for a while (429
/// with `Retry-After`, even for the right password) until it passes or an admin
/// unlocks the login.
#[utoipa::path(post, path = "/api/v1/session", tag = "auth", request_body = LoginRequest, security(()),
    responses((status = 200, body = UserView, headers(("Set-Cookie" = String, description = "the HttpOnly session cookie"))),
        (status = 401, response = Unauthorized),
        (status = 429, description = "too many failed logins for this login or from this address",
            body = super::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "seconds until the lockout ends")))))]
pub(super) async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    jar: CookieJar,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    match session::sign_in(&state, &request.login, &request.password, &address)
        .await
        .map_err(ApiError::internal)?
    {
        SignIn::Welcome(signed_in) => Ok((
            jar.add(signed_in.cookie),
            Json(UserView::from(signed_in.user)),
        )),
        SignIn::Refused => Err(ApiError::Unauthorized),
        SignIn::LockedOut { retry_after_secs } => {
            Err(ApiError::TooManyRequests { retry_after_secs })
        }
    }
}

/// Ends the lockout of a user's login and forgets its failed logins (admin).
#[utoipa::path(delete, path = "/api/v1/users/{login}/lockout", tag = "auth",
    params(("login" = String, Path, description = "the user's login")),
    responses(
        (status = 204, description = "unlocked (or was not locked)"),
        (status = 401, body = super::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no user with this login",
            body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn unlock(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(login): Path<String>,
) -> Result<StatusCode, ApiError> {
    let was_locked = UserStore::new(state.db.clone())
        .unlock(&login, state.clock.now())
        .await
        .map_err(|error| match error {
            AccountError::NoSuchUser(_) => ApiError::not_found(error.to_string()),
            other => ApiError::internal(other),
        })?;
    tracing::info!(login = %login.trim(), by = %admin.login, was_locked, "login unlocked");
    Ok(StatusCode::NO_CONTENT)
}

/// Ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "auth", security((), ("session" = [])),
    responses((status = 204, description = "signed out (also when there was no session)")))]
pub(super) async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        session::sign_out(&state, jar).await?,
        StatusCode::NO_CONTENT,
    ))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserView)))]
pub(super) async fn me(CurrentUser(user): CurrentUser) -> Json<UserView> {
    Json(user.into())
}
