//! Every answer carries the browser policy (CSP, no framing, nosniff, a referrer
//! policy): pages, redirects, the API and its errors, static files, Swagger UI,
//! the one-click page and the fallback 404. Cookies follow `secure_cookies`.
use reqwest::{Client, Method, StatusCode, redirect::Policy};
use shukudai::domain::Role;

use crate::{
    helpers::{Backend, TestApp},
    on_both_backends,
};

const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn no_redirects() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{} has no {name}", response.url()))
}

async fn every_answer_carries_the_browser_policy(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let client = no_redirects();
    let requests: [(Method, &str, Option<&str>, StatusCode); 12] = [
        (Method::GET, "/login", None, StatusCode::OK),
        (Method::GET, "/dashboard", None, StatusCode::SEE_OTHER),
        (Method::GET, "/", None, StatusCode::SEE_OTHER),
        (Method::GET, "/static/app.js", None, StatusCode::OK),
        (Method::GET, "/static/app.css", None, StatusCode::OK),
        (Method::GET, "/healthz", None, StatusCode::OK),
        (Method::GET, "/api/v1/tasks", None, StatusCode::UNAUTHORIZED),
        (Method::GET, "/api/v1/tasks", Some(&token), StatusCode::OK),
        (
            Method::GET,
            "/api/v1/tasks.csv",
            Some(&token),
            StatusCode::OK,
        ),
        (
            Method::GET,
            "/api/v1/tasks/abc",
            Some(&token),
            StatusCode::BAD_REQUEST,
        ),
        (Method::GET, "/no/such/page", None, StatusCode::NOT_FOUND),
        (Method::POST, "/login", None, StatusCode::FORBIDDEN),
    ];
    for (method, path, bearer, status) in requests {
        let mut request = client.request(method.clone(), app.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if method == Method::POST {
            request = request.form(&[("login", "jimu"), ("password", "x"), ("csrf", "forged")]);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), status, "{method} {path}");
        assert_eq!(header(&response, "content-security-policy"), CSP, "{path}");
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
    }

    // Swagger UI (and the spec it serves): the same, but for its logo's one
    // stylesheet, let in by hash.
    for path in [
        "/api/docs/",
        "/api/docs/swagger-ui-bundle.js",
        "/api/openapi.json",
    ] {
        let docs = client.get(app.url(path)).send().await.expect("Swagger UI");
        assert_eq!(docs.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&docs, "content-security-policy"),
            CSP.replace(
                "object-src",
                "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; object-src"
            ),
            "{path}"
        );
        assert_eq!(header(&docs, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&docs, "x-content-type-options"), "nosniff", "{path}");
    }

    // The one-click page carries a credential in its URL: it keeps its stricter
    // referrer policy, and no site may frame it.
    let one_click = client
        .get(app.url("/act/not-a-real-token"))
        .send()
        .await
        .expect("one-click page");
    assert_eq!(one_click.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&one_click, "referrer-policy"), "no-referrer");
    assert_eq!(header(&one_click, "content-security-policy"), CSP);
    assert_eq!(header(&one_click, "x-frame-options"), "DENY");
    assert_eq!(header(&one_click, "x-content-type-options"), "nosniff");
}

/// The `Set-Cookie` line that sets `name`.
fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

fn is_secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"))
}

async fn login_cookies_follow_secure_cookies(secure: bool) {
    let app = TestApp::spawn_with(Backend::Sqlite, None, |settings| {
        settings.server.secure_cookies = secure;
    })
    .await;
    app.add_user("jimu", Role::Secretariat, None).await;
    let form = no_redirects()
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let csrf_cookie = set_cookie(&form, "shukudai_login_csrf");
    assert_eq!(is_secure(&csrf_cookie), secure, "{csrf_cookie}");
    let (_, signed_in) = app.session_client("jimu", crate::helpers::PASSWORD).await;
    let session = set_cookie(&signed_in, "shukudai_session");
    assert_eq!(is_secure(&session), secure, "{session}");
}

#[tokio::test]
async fn login_csrf_cookie_is_secure_when_cookies_are() {
    login_cookies_follow_secure_cookies(true).await;
}

#[tokio::test]
async fn login_csrf_cookie_is_plain_when_cookies_are() {
    login_cookies_follow_secure_cookies(false).await;
}

/// The CSP runs no inline script or style: the pages must not rely on one.
#[test]
fn templates_have_no_inline_script_or_style() {
    let dir = format!("{}/templates/web", env!("CARGO_MANIFEST_DIR"));
    let inline_handler = regex::Regex::new(r#"(?i)\son[a-z]+\s*="#).expect("regex");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("templates/web") {
        let path = entry.expect("entry").path();
        let html = std::fs::read_to_string(&path).expect("template");
        let name = path.display();
        for script in html.match_indices("<script").map(|(i, _)| &html[i..]) {
            let tag = &script[..script.find('>').expect("a closed tag")];
            assert!(tag.contains("src="), "{name}: inline <script>");
        }
        assert!(!html.contains("<style"), "{name}: inline <style>");
        assert!(!html.contains("style="), "{name}: a style attribute");
        assert!(!html.contains("javascript:"), "{name}: a javascript: URL");
        assert!(
            !inline_handler.is_match(&html),
            "{name}: an inline event handler"
        );
        checked += 1;
    }
    assert!(checked >= 10, "read the page templates ({checked})");
}

on_both_backends!(every_answer_carries_the_browser_policy);
