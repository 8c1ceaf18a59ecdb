//! Departments and users (admin).
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use std::collections::HashMap;

use minijinja::{Value, context};
use serde::Deserialize;

use super::{
    PageError,
    session::{AdminPage, CsrfForm, Page},
    templates,
};
use crate::{
    accounts::{AccountError, NewUser, UserStore},
    departments::{DepartmentError, Departments, NewDepartment},
    domain::{DepartmentName, Login, Password, Role},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(show))
        .route("/admin/departments", post(add_department))
        .route("/admin/users", post(add_user))
        .route("/admin/users/unlock", post(unlock_user))
}

async fn show(
    State(state): State<AppState>,
    AdminPage(page): AdminPage,
) -> Result<Html<String>, PageError> {
    render(&state, &page, None).await.map(Html)
}

async fn render(state: &AppState, page: &Page, error: Option<String>) -> Result<String, PageError> {
    let departments = Departments::new(state.db.clone()).list().await?;
    let store = UserStore::new(state.db.clone());
    let moment = state.moment();
    let locked: HashMap<String, String> = store
        .locked_out(moment.now())
        .await?
        .into_iter()
        .map(|(login, until)| {
            let local = moment.local(until).format("%Y-%m-%d %H:%M").to_string();
            (login, local)
        })
        .collect();
    let users: Vec<_> = store
        .list()
        .await?
        .into_iter()
        .map(|user| {
            let locked_until = locked.get(&user.login).cloned();
            context! { ..Value::from_serialize(&user), ..context! { locked_until } }
        })
        .collect();
    templates::render(
        "admin.html",
        page.context(
            "nav.departments",
            context! {
                departments => departments,
                users => users,
                roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                error => error,
            },
        ),
    )
    .map_err(PageError::internal)
}

/// Splits a comma/読点/newline separated form field.
fn split_list(raw: &str) -> Vec<String> {
    raw.split([',', '、', '，', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Deserialize)]
struct DepartmentForm {
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    emails: String,
}

async fn add_department(
    State(state): State<AppState>,
    CsrfForm(AdminPage(page), form): CsrfForm<DepartmentForm, AdminPage>,
) -> Result<Response, PageError> {
    let parent = Some(form.parent.trim()).filter(|p| !p.is_empty());
    let added = match NewDepartment::parse(
        &form.name,
        parent,
        &split_list(&form.aliases),
        &split_list(&form.emails),
    ) {
        Ok(new) => {
            Departments::new(state.db.clone())
                .add(new, state.clock.now())
                .await
        }
        Err(error) => Err(error),
    };
    match added {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(DepartmentError::Db(error)) => Err(error.into()),
        Err(error) => rejected(&state, &page, error.to_string()).await,
    }
}

/// The admin page again, with what was wrong with the form.
async fn rejected(state: &AppState, page: &Page, message: String) -> Result<Response, PageError> {
    let html = render(state, page, Some(message)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

#[derive(Debug, Deserialize)]
struct UserForm {
    login: String,
    name: String,
    email: String,
    role: String,
    #[serde(default)]
    department: String,
    password: String,
}

fn parse_user(form: &UserForm) -> Result<NewUser, String> {
    Ok(NewUser {
        login: Login::parse(&form.login).map_err(|e| format!("ログインID / login: {e}"))?,
        display_name: form.name.trim().to_owned(),
        email: form.email.trim().to_owned(),
        role: form
            .role
            .parse::<Role>()
            .map_err(|e| format!("役割 / role: {e}"))?,
        department: Some(form.department.trim())
            .filter(|d| !d.is_empty())
            .map(DepartmentName::parse)
            .transpose()
            .map_err(|e| format!("部署 / department: {e}"))?,
        password: Password::parse(&form.password)
            .map_err(|e| format!("パスワード / password: {e}"))?,
    })
}

async fn add_user(
    State(state): State<AppState>,
    CsrfForm(AdminPage(page), form): CsrfForm<UserForm, AdminPage>,
) -> Result<Response, PageError> {
    let new = match parse_user(&form) {
        Ok(new) => new,
        Err(message) => return rejected(&state, &page, message).await,
    };
    match UserStore::new(state.db.clone())
        .create(new, state.clock.now())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(AccountError::Db(error)) => Err(error.into()),
        Err(error) => rejected(&state, &page, error.to_string()).await,
    }
}

#[derive(Debug, Deserialize)]
struct UnlockForm {
    login: String,
}

/// Ends a user's login lockout (too many failed logins).
async fn unlock_user(
    State(state): State<AppState>,
    CsrfForm(AdminPage(page), form): CsrfForm<UnlockForm, AdminPage>,
) -> Result<Response, PageError> {
    match UserStore::new(state.db.clone())
        .unlock(&form.login, state.clock.now())
        .await
    {
        Ok(was_locked) => {
            tracing::info!(login = %form.login.trim(), by = %page.user.login, was_locked, "login unlocked");
            Ok(Redirect::to("/admin").into_response())
        }
        Err(AccountError::Db(error)) => Err(error.into()),
        Err(error) => rejected(&state, &page, error.to_string()).await,
    }
}
