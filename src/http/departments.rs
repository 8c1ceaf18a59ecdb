use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde::Deserialize;
use utoipa::{
    ToSchema,
    openapi::schema::{Array, ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type},
};

use super::{
    ApiError, ApiJson, AppState, FieldError,
    auth::{Admin, CurrentUser},
    openapi::{Conflict, optional_text, text},
};
use crate::{
    departments::{DepartmentError, DepartmentView, Departments, NewDepartment},
    domain::DepartmentName,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/departments", get(list).post(create))
}

/// Departments with ids, names, aliases and mail recipients.
#[utoipa::path(get, path = "/api/v1/departments", tag = "departments",
    responses((status = 200, body = Vec<DepartmentView>)))]
pub(super) async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<DepartmentView>>, ApiError> {
    Ok(Json(Departments::new(state.db.clone()).list().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDepartment {
    #[schema(schema_with = text::<{ DepartmentName::MAX_CHARS }>)]
    pub name: String,
    /// An existing department's name.
    #[serde(default)]
    #[schema(schema_with = optional_text::<{ DepartmentName::MAX_CHARS }>)]
    pub parent: Option<String>,
    /// Other names the minutes use for it.
    #[serde(default)]
    #[schema(schema_with = names)]
    pub aliases: Vec<String>,
    /// Mail recipients for its reminders.
    #[serde(default)]
    #[schema(schema_with = email_addresses)]
    pub emails: Vec<String>,
}

/// Department names, as `name` (for the document).
fn names() -> Array {
    ArrayBuilder::new()
        .items(text::<{ DepartmentName::MAX_CHARS }>())
        .build()
}

/// Mail addresses (for the document).
fn email_addresses() -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email))),
        )
        .build()
}

/// Creates a department (admin).
#[utoipa::path(post, path = "/api/v1/departments", tag = "departments", request_body = CreateDepartment,
    responses((status = 201, body = DepartmentView), (status = 409, response = Conflict)))]
pub(super) async fn create(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(request): ApiJson<CreateDepartment>,
) -> Result<(StatusCode, Json<DepartmentView>), ApiError> {
    let new = NewDepartment::parse(
        &request.name,
        request.parent.as_deref(),
        &request.aliases,
        &request.emails,
    )
    .map_err(department_error)?;
    let departments = Departments::new(state.db.clone());
    let created = departments
        .add(new, state.clock.now())
        .await
        .map_err(department_error)?;
    let view = departments
        .list()
        .await?
        .into_iter()
        .find(|d| d.id == created.id)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("created department vanished")))?;
    Ok((StatusCode::CREATED, Json(view)))
}

fn department_error(error: DepartmentError) -> ApiError {
    match error {
        DepartmentError::InvalidName(e) => ApiError::Validation(vec![FieldError::new("name", e)]),
        DepartmentError::InvalidEmail(e) => ApiError::Validation(vec![FieldError::new(
            "emails",
            format!("`{e}` is not valid"),
        )]),
        DepartmentError::NoSuchParent(p) => ApiError::Validation(vec![FieldError::new(
            "parent",
            format!("no department `{p}`"),
        )]),
        DepartmentError::Duplicate(_) => ApiError::Conflict(error.to_string()),
        DepartmentError::Db(e) => e.into(),
    }
}
