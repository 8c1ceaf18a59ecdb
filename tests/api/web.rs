//! The server-rendered pages through HTTP: login with CSRF, role-gated pages.
use reqwest::{Client, StatusCode, redirect::Policy};
use shukudai::domain::Role;

use crate::{
    helpers::{PASSWORD, TestApp},
    on_both_backends,
};

fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// The value of a hidden `csrf` input in a page.
fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

async fn sign_in(app: &TestApp, login: &str) -> Client {
    let client = browser();
    let form = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let csrf = csrf_in(&form.text().await.expect("html"));
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("login", login),
            ("password", PASSWORD),
            ("next", "/dashboard"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

async fn pages_need_a_session_and_forms_need_csrf(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    let anonymous = browser()
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers()["location"].to_str().expect("location"),
        "/login?next=/dashboard"
    );

    let client = browser();
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    assert!(page.text().await.expect("html").contains("ログイン"));
    let forged = client
        .post(app.url("/login"))
        .form(&[
            ("login", "admin"),
            ("password", PASSWORD),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let form = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let csrf = csrf_in(&form.text().await.expect("html"));
    let wrong = client
        .post(app.url("/login"))
        .form(&[
            ("login", "admin"),
            ("password", "wrong password"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("ログインIDまたはパスワードが違います")
    );

    let admin = sign_in(&app, "admin").await;
    let dashboard = admin
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::OK);
    let html = dashboard.text().await.expect("html");
    assert!(
        html.contains("admin さん"),
        "the header shows who is signed in"
    );
    let csrf = csrf_in(&html);

    let without_token = admin
        .post(app.url("/admin/departments"))
        .form(&[("name", "区民部")])
        .send()
        .await
        .expect("post");
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
    let added = admin
        .post(app.url("/admin/departments"))
        .form(&[
            ("name", "区民部"),
            ("aliases", "区民"),
            ("emails", "kumin@example.jp"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let listing = admin
        .get(app.url("/admin"))
        .send()
        .await
        .expect("admin")
        .text()
        .await
        .expect("html");
    assert!(listing.contains("kumin@example.jp"));

    let duplicate = admin
        .post(app.url("/admin/departments"))
        .form(&[("name", "区民部"), ("csrf", &csrf)])
        .send()
        .await
        .expect("post");
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate
            .text()
            .await
            .expect("html")
            .contains("already exists")
    );
}

async fn department_users_do_not_see_admin_pages(app: TestApp) {
    app.add_department("区民部", &[], &[]).await;
    app.add_user("kumin", Role::Department, Some("区民部"))
        .await;
    let client = sign_in(&app, "kumin").await;
    let html = client
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("href=\"/admin\""),
        "the admin link is not shown"
    );
    assert!(
        !html.contains("href=\"/import\""),
        "the import link is not shown"
    );
    let admin = client.get(app.url("/admin")).send().await.expect("admin");
    assert_eq!(admin.status(), StatusCode::FORBIDDEN);
    let csrf = csrf_in(&html);
    let post = client
        .post(app.url("/admin/users"))
        .form(&[
            ("login", "x"),
            ("name", "x"),
            ("email", "x@example.jp"),
            ("role", "admin"),
            ("password", "long enough"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let users = shukudai::auth::UserStore::new(app.db.clone())
        .list()
        .await
        .expect("users");
    assert_eq!(users.len(), 1, "nothing was created");
}

async fn english_is_one_click_away(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    let client = sign_in(&app, "admin").await;
    let switched = client
        .get(app.url("/lang/en?back=/dashboard"))
        .send()
        .await
        .expect("switch");
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    let html = client
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Dashboard"));
}

on_both_backends!(
    pages_need_a_session_and_forms_need_csrf,
    department_users_do_not_see_admin_pages,
    english_is_one_click_away
);
