use reqwest::StatusCode;
use serde_json::{Value, json};
use shukudai::domain::Role;

use crate::{
    helpers::{PASSWORD, TestApp, expect_problem},
    on_both_backends,
};

async fn login_with_right_and_wrong_password(app: TestApp) {
    app.add_department("区民部", &[], &[]).await;
    app.add_user("kumin", Role::Department, Some("区民部"))
        .await;

    let (_, wrong) = app.session_client("kumin", "not the password").await;
    expect_problem(wrong, StatusCode::UNAUTHORIZED).await;

    let (client, right) = app.session_client("kumin", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::OK);
    let cookie = right
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["login"], "kumin");
    assert_eq!(me["role"], "department");
    assert_eq!(me["department"], "区民部");

    let out = client
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = client.get(app.url("/api/v1/me")).send().await.expect("me");
    expect_problem(after, StatusCode::UNAUTHORIZED).await;
}

async fn roles_are_enforced(app: TestApp) {
    app.add_department("区民部", &[], &[]).await;
    let department = app.token("kumin", Role::Department, Some("区民部")).await;
    let admin = app.token("admin", Role::Admin, None).await;
    let body =
        json!({"name": "教育部", "aliases": ["教育委員会"], "emails": ["kyoiku@example.jp"]});

    let anonymous = app
        .client
        .post(app.url("/api/v1/departments"))
        .json(&body)
        .send()
        .await
        .expect("request");
    expect_problem(anonymous, StatusCode::UNAUTHORIZED).await;

    let refused = app
        .post_json("/api/v1/departments", &department, &body)
        .await;
    expect_problem(refused, StatusCode::FORBIDDEN).await;
    let listed: Value = app
        .get("/api/v1/departments", &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "the refused request created nothing"
    );

    let created = app.post_json("/api/v1/departments", &admin, &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["aliases"], json!(["教育委員会"]));

    let duplicate = app.post_json("/api/v1/departments", &admin, &body).await;
    expect_problem(duplicate, StatusCode::CONFLICT).await;

    let bad_token = app.get("/api/v1/me", "not-a-token").await;
    expect_problem(bad_token, StatusCode::UNAUTHORIZED).await;
}

async fn malformed_json_is_a_problem_not_a_crash(app: TestApp) {
    let admin = app.token("admin", Role::Admin, None).await;
    let response = app
        .client
        .post(app.url("/api/v1/departments"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .expect("request");
    expect_problem(response, StatusCode::BAD_REQUEST).await;
    let unknown = app
        .post_json(
            "/api/v1/departments",
            &admin,
            &json!({"name": "x", "colour": "red"}),
        )
        .await;
    let problem = expect_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("colour")
    );
    // PostgreSQL cannot store NUL: refused as input on both backends, never a 500.
    for body in [
        json!({"name": "区民\0部"}),
        json!({"name": "区民部", "aliases": ["区民\0"]}),
    ] {
        let refused = app.post_json("/api/v1/departments", &admin, &body).await;
        expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

async fn cookie_changes_need_the_csrf_token(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    let (client, login) = app.session_client("admin", PASSWORD).await;
    let login: Value = login.json().await.expect("json");
    let csrf = login["csrf_token"]
        .as_str()
        .expect("a csrf token")
        .to_owned();
    let body = json!({"name": "区民部"});
    let forged = client
        .post(app.url("/api/v1/departments"))
        .json(&body)
        .send()
        .await
        .expect("post");
    expect_problem(forged, StatusCode::FORBIDDEN).await;
    let wrong = client
        .post(app.url("/api/v1/departments"))
        .header("x-csrf-token", "not-the-token")
        .json(&body)
        .send()
        .await
        .expect("post");
    expect_problem(wrong, StatusCode::FORBIDDEN).await;
    let created = client
        .post(app.url("/api/v1/departments"))
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), StatusCode::CREATED);
    // Reading needs no token.
    let listed = client
        .get(app.url("/api/v1/departments"))
        .send()
        .await
        .expect("get");
    assert_eq!(listed.status(), StatusCode::OK);
}

on_both_backends!(
    cookie_changes_need_the_csrf_token,
    login_with_right_and_wrong_password,
    roles_are_enforced,
    malformed_json_is_a_problem_not_a_crash
);
