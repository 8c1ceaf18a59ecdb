//! Who is looking at a page: the session cookie, the language, and the CSRF token
//! that every form must send back. Role checks ask `accounts::authorize`, as the
//! API's extractors do.
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
};
use axum_extra::extract::cookie::CookieJar;
use minijinja::{Value, context};
use serde::{Deserialize, de::DeserializeOwned};

use super::PageError;
use crate::{
    accounts::{self, Need, session},
    domain::{AuthenticatedUser, Calendar, Lang},
    state::AppState,
};

pub const LANG_COOKIE: &str = "shukudai_lang";

pub fn lang_from(jar: &CookieJar, user: Option<&AuthenticatedUser>) -> Lang {
    jar.get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| user.and_then(|u| Lang::parse(&u.locale)))
        .unwrap_or_default()
}

/// A signed-in user looking at a page; anonymous visitors are sent to the login page.
#[derive(Debug, Clone)]
pub struct Page {
    pub user: AuthenticatedUser,
    pub lang: Lang,
    pub path: String,
    /// The configured calendar for dates (`display.calendar`).
    pub calendar: Calendar,
}

impl Page {
    pub fn csrf(&self) -> &str {
        self.user.csrf_token.as_deref().unwrap_or_default()
    }

    pub fn is_secretariat(&self) -> bool {
        self.may(Need::Secretariat)
    }

    /// Whether the user's role meets `need` (the API's rule too).
    pub fn may(&self, need: Need) -> bool {
        accounts::authorize(&self.user, need).is_ok()
    }

    /// The context every page template gets, merged with the page's own.
    pub fn context(&self, title: &str, page: Value) -> Value {
        let base = context! {
            lang => self.lang.code(),
            calendar => self.calendar.code(),
            title => title,
            path => &self.path,
            csrf => self.csrf(),
            user => context! {
                name => &self.user.display_name,
                login => &self.user.login,
                role => self.user.role.as_str(),
                department => &self.user.department_name,
                is_secretariat => self.is_secretariat(),
                is_admin => self.may(Need::Admin),
            },
        };
        context! { ..page, ..base }
    }
}

impl Page {
    /// The page of a signed-in user whose role meets `need`.
    async fn with(parts: &mut Parts, state: &AppState, need: Need) -> Result<Self, PageError> {
        let page = Self::from_request_parts(parts, state).await?;
        accounts::authorize(&page.user, need).map_err(|_| PageError::Forbidden)?;
        Ok(page)
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let user = session::session_user(state, &parts.headers)
            .await
            .map_err(PageError::internal)?
            .ok_or_else(|| PageError::login(&path))?;
        let lang = lang_from(&jar, Some(&user));
        Ok(Self {
            user,
            lang,
            path,
            calendar: state.settings.display.calendar,
        })
    }
}

/// A page only the secretariat (or an admin) may see.
#[derive(Debug, Clone)]
pub struct SecretariatPage(pub Page);

impl FromRequestParts<AppState> for SecretariatPage {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Page::with(parts, state, Need::Secretariat).await.map(Self)
    }
}

/// A page only an admin may see.
#[derive(Debug, Clone)]
pub struct AdminPage(pub Page);

impl FromRequestParts<AppState> for AdminPage {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Page::with(parts, state, Need::Admin).await.map(Self)
    }
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: T,
}

/// The page extractors a form can be guarded by.
pub trait AsPage {
    fn as_page(&self) -> &Page;
}

impl AsPage for Page {
    fn as_page(&self) -> &Page {
        self
    }
}

impl AsPage for SecretariatPage {
    fn as_page(&self) -> &Page {
        &self.0
    }
}

impl AsPage for AdminPage {
    fn as_page(&self) -> &Page {
        &self.0
    }
}

/// A URL-encoded form whose `csrf` field must match the session's token, sent by
/// a user the page extractor `P` admits (any user, the secretariat, an admin).
/// Form fields are strings; handlers parse them into domain types.
pub struct CsrfForm<T, P = Page>(pub P, pub T);

impl<T, P> FromRequest<AppState> for CsrfForm<T, P>
where
    T: DeserializeOwned + Send,
    P: FromRequestParts<AppState, Rejection = PageError> + AsPage + Send,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let guard = P::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let axum::Form(form) = axum::Form::<WithCsrf<T>>::from_request(request, state)
            .await
            .map_err(|rejection| {
                PageError::unreadable_body(state, rejection.status(), rejection.body_text())
            })?;
        if form.csrf.is_empty() || form.csrf != guard.as_page().csrf() {
            return Err(PageError::Csrf);
        }
        Ok(Self(guard, form.fields))
    }
}
