use reqwest::StatusCode;
use serde_json::Value;

use crate::{helpers::TestApp, on_both_backends};

async fn healthz_answers_when_the_database_does(app: TestApp) {
    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");
}

async fn healthz_is_503_when_the_database_is_gone(app: TestApp) {
    app.db.clone().close().await.expect("close pool");
    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
}

on_both_backends!(
    healthz_answers_when_the_database_does,
    healthz_is_503_when_the_database_is_gone
);
