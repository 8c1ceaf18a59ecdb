//! Bodies over `server.max_upload_bytes` are 413 naming the limit: a problem
//! document from the API (raw text, multipart, JSON), a Japanese page from the
//! web upload form; nothing is stored.
use reqwest::{StatusCode, multipart};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use shukudai::{domain::Role, entities};

use crate::helpers::{
    Backend, TestApp, expect_problem, fresh_postgres_database, postgres_base_url,
};

/// Small, so that the over-limit part of a body is small too.
const LIMIT: usize = 64 * 1024;
const OVER: usize = LIMIT + 4 * 1024;

async fn spawn_with_limit(backend: Backend) -> Option<TestApp> {
    let url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let Some(base) = postgres_base_url() else {
                eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL variant");
                return None;
            };
            Some(fresh_postgres_database(&base).await)
        }
    };
    Some(
        TestApp::spawn_with(backend, url, |settings| {
            settings.server.max_upload_bytes = LIMIT;
        })
        .await,
    )
}

/// Each scenario once on SQLite and once on PostgreSQL, with the small limit.
macro_rules! with_small_limit {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = super::spawn_with_limit($crate::helpers::Backend::Sqlite)
                        .await
                        .expect("a SQLite app");
                    super::$name(app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(app) =
                        super::spawn_with_limit($crate::helpers::Backend::Postgres).await
                    else {
                        return;
                    };
                    super::$name(app).await;
                }
            )+
        }
    };
}

/// Minutes-like text of exactly `bytes` bytes.
fn text_of(bytes: usize) -> Vec<u8> {
    let mut text = "令和8年11月2日 行政情報化推進本部\n"
        .repeat(bytes / 40 + 1)
        .into_bytes();
    text.truncate(bytes);
    text
}

async fn assert_names_the_limit(response: reqwest::Response, what: &str) {
    let problem = expect_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("65536") && detail.contains("64 KB"),
        "{what}: the detail names the limit: {detail}"
    );
}

async fn meetings_stored(app: &TestApp) -> u64 {
    entities::meeting::Entity::find()
        .count(&app.db)
        .await
        .expect("count meetings")
}

async fn api_bodies_over_the_limit_are_413(app: TestApp) {
    let secretariat = app.token("jimu", Role::Secretariat, None).await;
    let admin = app.token("kanri", Role::Admin, None).await;

    let raw = app
        .client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(&secretariat)
        .header("content-type", "text/plain")
        .body(text_of(OVER))
        .send()
        .await
        .expect("raw upload");
    assert_names_the_limit(raw, "raw text").await;

    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(text_of(OVER)).file_name("huge.txt"),
    );
    let multipart = app
        .client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(&secretariat)
        .multipart(form)
        .send()
        .await
        .expect("multipart upload");
    assert_names_the_limit(multipart, "multipart").await;

    let json = app
        .post_json(
            "/api/v1/departments",
            &admin,
            &json!({ "name": "部".repeat(OVER / 3) }),
        )
        .await;
    assert_names_the_limit(json, "JSON").await;
    assert_eq!(meetings_stored(&app).await, 0, "nothing was imported");

    // Just under the limit the same upload is read (and refused for what it is).
    let under = app
        .client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(&secretariat)
        .header("content-type", "text/plain")
        .body(text_of(LIMIT - 1024))
        .send()
        .await
        .expect("upload under the limit");
    assert_ne!(under.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// The `csrf` value of a page's form.
fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

async fn web_upload_over_the_limit_is_a_japanese_413_page(app: TestApp) {
    app.add_user("jimu", Role::Secretariat, None).await;
    app.add_user("kanri", Role::Admin, None).await;
    let browser = crate::web::sign_in(&app, "jimu").await;
    let page = browser
        .get(app.url("/import"))
        .send()
        .await
        .expect("import page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("data-max-bytes=\"65536\""),
        "the form knows the limit"
    );
    assert!(page.contains("1回の取込の上限: 64 KB"), "and shows it");
    let form = multipart::Form::new().text("csrf", csrf_in(&page)).part(
        "file",
        multipart::Part::bytes(text_of(OVER)).file_name("huge.txt"),
    );
    let refused = browser
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html")
    );
    let html = refused.text().await.expect("html");
    assert!(
        html.contains("送信された内容が大きすぎます。一度に送れるのは 64 KB までです"),
        "{html}"
    );
    assert_eq!(meetings_stored(&app).await, 0, "nothing was imported");

    // Every other form says the same.
    let admin = crate::web::sign_in(&app, "kanri").await;
    let page = admin
        .get(app.url("/admin"))
        .send()
        .await
        .expect("admin page")
        .text()
        .await
        .expect("html");
    let huge_name = "a".repeat(OVER);
    let refused = admin
        .post(app.url("/admin/departments"))
        .form(&[
            ("csrf", csrf_in(&page).as_str()),
            ("name", huge_name.as_str()),
        ])
        .send()
        .await
        .expect("department form");
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.text().await.expect("html").contains("64 KB"));
}

with_small_limit!(
    api_bodies_over_the_limit_are_413,
    web_upload_over_the_limit_is_a_japanese_413_page
);
