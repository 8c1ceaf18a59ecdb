//! The API's part of the OpenAPI document, generated from the handlers (the
//! application serves it with the exports' part and Swagger UI), and
//! [`document_answers`], which adds what every operation shares: the security
//! schemes and the problem answers that follow from an operation's shape.
use utoipa::{
    OpenApi, ToResponse,
    openapi::{
        self, Content, HttpMethod, Ref, RefOr, Required, Response, SecurityRequirement,
        path::{Operation, ParameterIn},
        schema::{Object, ObjectBuilder, SchemaType, Type},
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::{
    accounts::session::{CSRF_HEADER, SESSION_COOKIE},
    problem::{FieldError, Problem},
};

#[derive(OpenApi)]
#[openapi(
    info(title = "shukudai API", description = "会議録から宿題を管理する API / tracking the follow-ups of meeting minutes"),
    paths(
        super::health::healthz,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::auth::unlock,
        super::departments::list,
        super::departments::create,
        super::meetings::list_bodies,
        super::meetings::create_body,
        super::meetings::schedule,
        super::meetings::reschedule,
        super::meetings::list_meetings,
        super::meetings::read,
        super::tasks::list,
        super::tasks::read,
        super::tasks::events,
        super::tasks::edit,
        super::tasks::confirm,
        super::tasks::bulk_confirm,
        super::tasks::complete,
        super::tasks::cancel,
        super::tasks::reject,
        super::tasks::reopen,
        super::tasks::add_note,
        super::tasks::merge,
        super::tasks::create,
        super::minutes::upload,
        super::minutes::original,
        super::outbox::list,
        super::outbox::retry,
    ),
    components(schemas(Problem, FieldError)),
    tags((name = "auth"), (name = "departments"), (name = "health"), (name = "meetings"), (name = "minutes"), (name = "reminders"), (name = "tasks"))
)]
pub struct ApiDoc;

/// Schemas of the texts clients write, for `#[schema(schema_with = …)]`: the
/// limits are the services' constants, so the document cannot drift from them.
/// The services trim a text and refuse it blank, over `MAX` characters, or with
/// a NUL (which no database column can hold).
pub fn text<const MAX: usize>() -> Object {
    text_schema(Type::String.into(), Some(MAX), NOT_BLANK)
}

/// [`text`] or `null`.
pub fn optional_text<const MAX: usize>() -> Object {
    text_schema(nullable_string(), Some(MAX), NOT_BLANK)
}

/// A text that may be anything but contain a NUL, or `null`.
pub fn optional_nul_free_text() -> Object {
    text_schema(nullable_string(), None, NUL_FREE)
}

/// A text of at most `MAX` characters, without NUL, that may be blank; or `null`.
pub fn optional_bounded_text<const MAX: usize>() -> Object {
    text_schema(nullable_string(), Some(MAX), NUL_FREE)
}

/// No NUL; at least one character that Rust's `str::trim` keeps (so not only
/// Unicode White_Space).
const NOT_BLANK: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$";
const NUL_FREE: &str = "^[^\\u0000]*$";

fn nullable_string() -> SchemaType {
    SchemaType::from_iter([Type::String, Type::Null])
}

fn text_schema(schema_type: SchemaType, max: Option<usize>, pattern: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(schema_type)
        .max_length(max)
        .pattern(Some(pattern))
        .build()
}

/// The security scheme names in the document.
const BEARER: &str = "bearer";
const SESSION: &str = "session";

/// Declares a problem answer for one status: a reusable response
/// (`#/components/responses/<Name>`) with an `application/problem+json` body,
/// for handlers to name as `(status = …, response = Name)`.
macro_rules! problem_answers {
    ($($name:ident = $status:literal, $description:literal;)*) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'s> ToResponse<'s> for $name {
                fn response() -> (&'s str, RefOr<Response>) {
                    (stringify!($name), problem_response($description).into())
                }
            }
        )*

        /// Every problem answer, as (status, component name, response).
        fn all_problem_answers() -> Vec<(&'static str, &'static str, Response)> {
            vec![$(($status, stringify!($name), problem_response($description))),*]
        }
    };
}

problem_answers! {
    BadRequest = "400", "The request cannot be read: malformed JSON, a path or header that does not parse, or an Authorization header that is not `Bearer TOKEN`.";
    Unauthorized = "401", "No valid credentials: a bearer token or a session cookie is required (`WWW-Authenticate: Bearer`).";
    Forbidden = "403", "The caller's role may not do this (or a session-cookie change lacks the CSRF header).";
    NotFound = "404", "No such resource.";
    Conflict = "409", "The resource is not in a state that allows this.";
    PreconditionFailed = "412", "`If-Match` names an older version; `current` holds the resource as it is now.";
    PayloadTooLarge = "413", "The body is larger than the server's limit (`server.max_upload_bytes`).";
    Unprocessable = "422", "The request was read but its content is invalid; `errors` names each field.";
    PreconditionRequired = "428", "An `If-Match` header with the resource's ETag is required.";
    TooManyRequests = "429", "Too many attempts; try again after the `Retry-After` seconds.";
}

fn problem_response(description: &str) -> Response {
    let mut response = Response::new(description);
    response.content.insert(
        "application/problem+json".to_owned(),
        Content::new(Some(Ref::from_schema_name("Problem"))).into(),
    );
    response
}

/// Adds the security schemes, the problem answers as reusable responses, and to
/// each operation the answers its shape implies (unless it names them itself):
/// - one that needs credentials: 401, 400 for a malformed `Authorization`, and
///   for a change 403 (a session cookie without the CSRF header, or a role
///   that may not);
/// - one with an `If-Match` header: 412 when it is stale, and 428 when it is
///   required and missing;
/// - one with path parameters: 400 when they do not parse, 404;
/// - one with query parameters: 422 when they do not parse or are out of range;
/// - one with a body: 400 when it cannot be read, 413 over the size limit, and
///   for a JSON body 422 for invalid fields.
///
/// Operations that need no credentials say so with `security(())`; every other
/// one gets "bearer token or session cookie".
pub fn document_answers(document: &mut openapi::OpenApi) {
    let components = document.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        BEARER.to_owned(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API token from `shukudai user token LOGIN`."))
                .build(),
        )
        .into(),
    );
    components.security_schemes.insert(
        SESSION.to_owned(),
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            SESSION_COOKIE.to_owned(),
            format!(
                "The session cookie from `POST /api/v1/session`; changes also need the \
                 `{CSRF_HEADER}` header from the login answer."
            ),
        )))
        .into(),
    );
    let answers = all_problem_answers();
    for (_, name, response) in &answers {
        components
            .responses
            .insert((*name).to_owned(), response.clone().into());
    }
    let refer = |status: &str| {
        answers
            .iter()
            .find(|(s, _, _)| *s == status)
            .map(|(_, name, _)| RefOr::Ref(Ref::from_response_name(*name)))
    };
    for item in document.paths.paths.values_mut() {
        let operations = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                // A change with a session cookie and no CSRF header is refused (403).
                let changes = method != HttpMethod::Get;
                for status in implied_statuses(operation, changes) {
                    if let Some(answer) = refer(status) {
                        operation
                            .responses
                            .responses
                            .entry(status.to_owned())
                            .or_insert(answer);
                    }
                }
            }
        }
    }
}

/// The statuses an operation answers because of its shape; gives it the
/// default security requirement when it declares none.
fn implied_statuses(operation: &mut Operation, changes: bool) -> Vec<&'static str> {
    let mut statuses = Vec::new();
    if operation.security.is_none() {
        operation.security = Some(vec![
            SecurityRequirement::new::<_, [&str; 0], &str>(BEARER, []),
            SecurityRequirement::new::<_, [&str; 0], &str>(SESSION, []),
        ]);
    }
    let needs_credentials = operation
        .security
        .as_ref()
        .is_some_and(|alternatives| !alternatives.iter().any(is_empty_requirement));
    if needs_credentials {
        statuses.extend(["400", "401"]);
        if changes {
            statuses.push("403");
        }
    }
    let parameters = || {
        operation
            .parameters
            .iter()
            .flatten()
            .filter_map(|parameter| match parameter {
                RefOr::T(parameter) => Some(parameter),
                RefOr::Ref(_) => None,
            })
    };
    let parameters_in = |place: ParameterIn| parameters().any(|p| p.parameter_in == place);
    if let Some(if_match) = parameters().find(|p| p.name.eq_ignore_ascii_case("If-Match")) {
        statuses.push("412");
        if if_match.required == Required::True {
            statuses.push("428");
        }
    }
    if parameters_in(ParameterIn::Path) {
        statuses.extend(["400", "404"]);
    }
    if parameters_in(ParameterIn::Query) {
        statuses.push("422");
    }
    if let Some(RefOr::T(body)) = &operation.request_body {
        statuses.extend(["400", "413"]);
        if body.content.contains_key("application/json") {
            statuses.push("422");
        }
    }
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

fn is_empty_requirement(requirement: &SecurityRequirement) -> bool {
    requirement == &SecurityRequirement::default()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn document() -> Value {
        let mut document = ApiDoc::openapi();
        document_answers(&mut document);
        serde_json::to_value(document).expect("the document serialises")
    }

    fn operations(document: &Value) -> Vec<(String, String, Value)> {
        let mut found = Vec::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                found.push((method.clone(), path.clone(), operation.clone()));
            }
        }
        found
    }

    /// `#/components/responses/<Name>` → the response, so that checks see through refs.
    fn resolve<'d>(document: &'d Value, answer: &'d Value) -> &'d Value {
        match answer["$ref"].as_str() {
            Some(target) => {
                let name = target.rsplit('/').next().unwrap_or_default();
                &document["components"]["responses"][name]
            }
            None => answer,
        }
    }

    #[test]
    fn every_problem_answer_is_a_problem_document() {
        let document = document();
        for (method, path, operation) in operations(&document) {
            for (status, answer) in operation["responses"].as_object().expect("responses") {
                if !status.starts_with('4') {
                    continue;
                }
                let content = resolve(&document, answer)["content"]
                    .as_object()
                    .expect("content");
                let types: Vec<&String> = content.keys().collect();
                assert_eq!(
                    types,
                    ["application/problem+json"],
                    "{method} {path} {status}"
                );
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem"
                );
            }
        }
    }

    #[test]
    fn answers_follow_from_the_shape() {
        let document = document();
        let has = |operation: &Value, status: &str| operation["responses"][status].is_object();
        for (method, path, operation) in operations(&document) {
            let public = operation["security"]
                .as_array()
                .is_some_and(|alternatives| {
                    alternatives.iter().any(|a| a == &serde_json::json!({}))
                });
            // Wrong credentials at login are a 401 too, declared by the handler.
            assert!(public || has(&operation, "401"), "{method} {path}: 401");
            if path.contains("{id}") {
                assert!(
                    has(&operation, "404") && has(&operation, "400"),
                    "{method} {path}"
                );
            }
            if operation["requestBody"].is_object() {
                assert!(
                    has(&operation, "400") && has(&operation, "413"),
                    "{method} {path}"
                );
            }
        }
        let edit = &document["paths"]["/api/v1/tasks/{id}"]["patch"];
        assert!(has(edit, "412") && has(edit, "428"));
        let confirm = &document["paths"]["/api/v1/tasks/{id}/confirm"]["post"];
        assert!(has(confirm, "412") && !has(confirm, "428"));
        assert!(!has(&document["paths"]["/healthz"]["get"], "401"));
        assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    }

    #[test]
    fn the_documented_limits_are_the_servers() {
        let document = document();
        for path in ["/api/v1/tasks", "/api/v1/meetings", "/api/v1/outbox"] {
            let parameters = document["paths"][path]["get"]["parameters"]
                .as_array()
                .expect("parameters");
            let schema = |name: &str| {
                parameters
                    .iter()
                    .find(|p| p["name"] == name)
                    .map(|p| p["schema"].clone())
                    .unwrap_or_default()
            };
            assert_eq!(schema("page")["minimum"], 1, "{path}");
            assert_eq!(
                schema("page_size")["maximum"],
                super::super::tasks::MAX_PAGE_SIZE,
                "{path}"
            );
            assert_eq!(schema("page_size")["minimum"], 1, "{path}");
        }
    }
}
