//! Password guessing meets a wall: failed logins are counted per login and per
//! client address in the database, too many lock them out (429 with Retry-After,
//! even for the right password) until the lockout passes or an admin unlocks,
//! and every instance sharing the database counts and refuses alike.
use std::{
    num::NonZeroU32,
    sync::{Arc, Mutex},
};

use chrono::Duration;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use shukudai::{
    accounts::{Argon2Check, PasswordCheck, UserStore},
    domain::Role,
    entities::login_throttle,
};

use crate::{
    helpers::{Backend, PASSWORD, TestApp, expect_problem},
    on_both_backends,
    web::{browser, csrf_in, sign_in},
};

/// `[login]` defaults: 5 failures per login, 30 per address, 15 minutes locked.
const ACCOUNT_LIMIT: usize = 5;
const ADDRESS_LIMIT: usize = 30;
const FIRST_LOCK_SECS: u64 = 15 * 60;

async fn log_in(app: &TestApp, login: &str, password: &str) -> Response {
    log_in_from(app, login, password, None).await
}

/// A login through the API, as from `forwarded_for` when given (which counts only
/// when `server.trust_forwarded_for` is set).
async fn log_in_from(
    app: &TestApp,
    login: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({"login": login, "password": password}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.expect("login request")
}

fn retry_after(response: &Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds")
}

/// Asserts a 429 problem document with `Retry-After`; its seconds.
async fn expect_locked(response: Response) -> u64 {
    let seconds = retry_after(&response);
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    seconds
}

/// `count` wrong passwords that are each refused with 401.
async fn fail(app: &TestApp, login: &str, count: usize) {
    for attempt in 1..=count {
        let response = log_in(app, login, "not the password").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "wrong password {attempt} of {count}"
        );
    }
}

async fn unlock(app: &TestApp, token: &str, login: &str) -> Response {
    app.client
        .request(
            Method::DELETE,
            app.url(&format!("/api/v1/users/{login}/lockout")),
        )
        .bearer_auth(token)
        .send()
        .await
        .expect("unlock request")
}

async fn failures_counted(app: &TestApp, scope: &str, subject: &str) -> i32 {
    login_throttle::Entity::find()
        .filter(login_throttle::Column::Scope.eq(scope))
        .filter(login_throttle::Column::Subject.eq(subject))
        .one(&app.db)
        .await
        .expect("read the count")
        .map_or(0, |row| row.failures)
}

on_both_backends!(
    wrong_passwords_lock_the_login_until_an_admin_unlocks_it,
    lockouts_end_in_time_and_double,
    a_success_clears_the_count,
    a_lockout_on_one_instance_holds_on_another,
    concurrent_failures_on_two_instances_are_all_counted,
    unknown_and_disabled_logins_are_hashed_too,
    the_login_page_says_when_to_try_again_and_an_admin_unlocks,
);

async fn wrong_passwords_lock_the_login_until_an_admin_unlocks_it(app: TestApp) {
    let admin = app.token("admin", Role::Admin, None).await;
    let viewer = app.token("etsuran", Role::Viewer, None).await;
    app.add_user("kumin", Role::Viewer, None).await;

    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    let locked = log_in(&app, "kumin", "not the password").await;
    assert_eq!(expect_locked(locked).await, FIRST_LOCK_SECS);
    let right = log_in(&app, "kumin", PASSWORD).await;
    assert_eq!(
        expect_locked(right).await,
        FIRST_LOCK_SECS,
        "the right password is refused while locked"
    );
    // Another login from the same address is not affected by kumin's lockout.
    assert_eq!(
        log_in(&app, "admin", PASSWORD).await.status(),
        StatusCode::OK
    );

    expect_problem(unlock(&app, &viewer, "kumin").await, StatusCode::FORBIDDEN).await;
    expect_problem(unlock(&app, &admin, "nobody").await, StatusCode::NOT_FOUND).await;
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        unlock(&app, &admin, "kumin").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn lockouts_end_in_time_and_double(app: TestApp) {
    app.add_user("kumin", Role::Viewer, None).await;
    let start = app.clock_now();

    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        expect_locked(log_in(&app, "kumin", "wrong").await).await,
        FIRST_LOCK_SECS
    );
    app.clock.set(start + Duration::minutes(10));
    assert_eq!(
        expect_locked(log_in(&app, "kumin", PASSWORD).await).await,
        5 * 60,
        "Retry-After counts down with the clock"
    );

    // The first lockout has passed: five more guesses, and the next one is twice as long.
    let later = start + Duration::minutes(15) + Duration::seconds(1);
    app.clock.set(later);
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        expect_locked(log_in(&app, "kumin", "wrong").await).await,
        2 * FIRST_LOCK_SECS
    );
    app.clock.set(later + Duration::minutes(29));
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock
        .set(later + Duration::minutes(30) + Duration::seconds(1));
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );

    // The success forgot the earlier lockouts: the next one is the first again.
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        expect_locked(log_in(&app, "kumin", "wrong").await).await,
        FIRST_LOCK_SECS
    );
}

async fn a_success_clears_the_count(app: TestApp) {
    app.add_user("kumin", Role::Viewer, None).await;
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
    // Failures older than the window do not add up either.
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    app.clock.set(app.clock_now() + Duration::minutes(16));
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn a_lockout_on_one_instance_holds_on_another(app: TestApp) {
    let admin = app.token("admin", Role::Admin, None).await;
    app.add_user("kumin", Role::Viewer, None).await;
    let other = app.spawn_sharing().await;

    // The guesses are spread over both instances; together they reach the limit.
    fail(&app, "kumin", 2).await;
    fail(&other, "kumin", 2).await;
    expect_locked(log_in(&app, "kumin", "wrong").await).await;
    assert_eq!(
        expect_locked(log_in(&other, "kumin", PASSWORD).await).await,
        FIRST_LOCK_SECS,
        "the other instance refuses the right password too"
    );

    assert_eq!(
        unlock(&other, &admin, "kumin").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn concurrent_failures_on_two_instances_are_all_counted(app: TestApp) {
    const PER_INSTANCE: usize = 12;
    app.add_user("kumin", Role::Viewer, None).await;
    // Limits above the number of guesses, so that every one of them is counted.
    let high_limits = |settings: &mut shukudai::config::Settings| {
        settings.login.max_failures_per_account = NonZeroU32::new(100).expect("non-zero");
        settings.login.max_failures_per_address = NonZeroU32::new(100).expect("non-zero");
    };
    let first = TestApp::spawn_with(app.backend, Some(app.db_url.clone()), high_limits).await;
    let second = TestApp::spawn_with(app.backend, Some(app.db_url.clone()), high_limits).await;
    let attempts = (0..PER_INSTANCE)
        .flat_map(|_| [&first, &second])
        .map(|instance| {
            let client = instance.client.clone();
            let url = instance.url("/api/v1/session");
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({"login": "kumin", "password": "wrong"}))
                    .send()
                    .await
                    .expect("login request")
                    .status()
            })
        });
    for joined in futures::future::join_all(attempts).await {
        assert_eq!(joined.expect("request task"), StatusCode::UNAUTHORIZED);
    }
    let expected = i32::try_from(2 * PER_INSTANCE).expect("small");
    assert_eq!(
        failures_counted(&app, "account", "kumin").await,
        expected,
        "no failure is lost"
    );
    assert_eq!(
        failures_counted(&app, "address", "127.0.0.1").await,
        expected
    );
}

/// Watches which stored hash each password check is against (None: no account).
#[derive(Default)]
struct WatchedCheck {
    checked: Mutex<Vec<Option<String>>>,
}

impl PasswordCheck for WatchedCheck {
    fn matches(&self, candidate: &str, stored_hash: Option<&str>) -> bool {
        if let Ok(mut checked) = self.checked.lock() {
            checked.push(stored_hash.map(str::to_owned));
        }
        Argon2Check.matches(candidate, stored_hash)
    }
}

async fn unknown_and_disabled_logins_are_hashed_too(app: TestApp) {
    use sea_orm::sea_query::Expr;
    use shukudai::entities::user;

    app.add_user("kumin", Role::Viewer, None).await;
    app.add_user("taishoku", Role::Viewer, None).await;
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(false))
        .filter(user::Column::Login.eq("taishoku"))
        .exec(&app.db)
        .await
        .expect("disable user");
    let check = Arc::new(WatchedCheck::default());
    let users = UserStore::with_password_check(app.db.clone(), check.clone());
    let verify = |login: &'static str, password: &'static str| {
        let users = users.clone();
        async move { users.verify_login(login, password).await.expect("verify") }
    };

    assert_eq!(verify("nobody", PASSWORD).await, None);
    assert_eq!(verify("taishoku", PASSWORD).await, None);
    assert_eq!(verify("kumin", "wrong").await, None);
    assert!(verify("kumin", PASSWORD).await.is_some());
    let checked = check.checked.lock().expect("lock").clone();
    assert_eq!(checked.len(), 4, "one hashing per attempt: {checked:?}");
    assert_eq!(
        checked[0], None,
        "an unknown login is hashed without a stored hash"
    );
    assert_eq!(checked[1], None, "so is a disabled one");
    assert!(
        checked[2]
            .as_deref()
            .is_some_and(|h| h.starts_with("$argon2"))
    );
}

async fn the_login_page_says_when_to_try_again_and_an_admin_unlocks(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    app.add_user("kumin", Role::Viewer, None).await;
    let visitor = browser();
    let mut last = None;
    for _ in 0..ACCOUNT_LIMIT {
        let form = visitor
            .get(app.url("/login"))
            .send()
            .await
            .expect("login page");
        let csrf = csrf_in(&form.text().await.expect("html"));
        last = Some(
            visitor
                .post(app.url("/login"))
                .form(&[("login", "kumin"), ("password", "wrong"), ("csrf", &csrf)])
                .send()
                .await
                .expect("login"),
        );
    }
    let locked = last.expect("an answer");
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&locked), FIRST_LOCK_SECS);
    let html = locked.text().await.expect("html");
    assert!(html.contains("しばらくログインできません"), "{html}");
    assert!(html.contains("15分ほど"), "{html}");
    assert!(html.contains("value=\"kumin\""), "the login typed is kept");

    let admin = sign_in(&app, "admin").await;
    let page = admin
        .get(app.url("/admin"))
        .send()
        .await
        .expect("admin page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("ロック中"),
        "the users page shows the lockout"
    );
    assert!(page.contains("10:15"), "until 10:15 local time: {page}");
    let unlocked = admin
        .post(app.url("/admin/users/unlock"))
        .form(&[("login", "kumin"), ("csrf", &csrf_in(&page))])
        .send()
        .await
        .expect("unlock");
    assert_eq!(unlocked.status(), StatusCode::SEE_OTHER);
    let page = admin
        .get(app.url("/admin"))
        .send()
        .await
        .expect("admin page")
        .text()
        .await
        .expect("html");
    assert!(!page.contains("ロック中"));
    sign_in(&app, "kumin").await;
}

// ---- per client address (SQLite and PostgreSQL alike; one backend is enough) ----

async fn spawn_behind_proxy(trust_forwarded_for: bool) -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, None, |settings| {
        settings.server.trust_forwarded_for = trust_forwarded_for;
    })
    .await
}

/// Guesses at `count` different logins, so that only the address adds up.
async fn spray(app: &TestApp, count: usize, forwarded_for: impl Fn(usize) -> String) -> Response {
    let mut last = None;
    for attempt in 0..count {
        let response = log_in_from(
            app,
            &format!("guess{attempt}"),
            "wrong",
            Some(&forwarded_for(attempt)),
        )
        .await;
        if attempt + 1 < count {
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "guess {attempt}"
            );
        }
        last = Some(response);
    }
    last.expect("at least one guess")
}

#[tokio::test]
async fn an_address_guessing_many_logins_is_locked_out() {
    let app = spawn_behind_proxy(true).await;
    app.add_user("kumin", Role::Viewer, None).await;
    let guesser = "203.0.113.5";
    let locked = spray(&app, ADDRESS_LIMIT, |_| guesser.to_owned()).await;
    assert_eq!(expect_locked(locked).await, FIRST_LOCK_SECS);
    assert_eq!(
        log_in_from(&app, "kumin", PASSWORD, Some(guesser))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the guesser's address is refused even with a right password"
    );
    assert_eq!(
        log_in_from(&app, "kumin", PASSWORD, Some("198.51.100.7, 203.0.113.5"))
            .await
            .status(),
        StatusCode::OK,
        "another client (the first X-Forwarded-For entry) is not"
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let app = spawn_behind_proxy(false).await;
    app.add_user("kumin", Role::Viewer, None).await;
    // A guesser that writes a new X-Forwarded-For each time is still one peer.
    let locked = spray(&app, ADDRESS_LIMIT, |n| format!("192.0.2.{n}")).await;
    expect_locked(locked).await;
    assert_eq!(
        log_in_from(&app, "kumin", PASSWORD, Some("198.51.100.7"))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn the_cli_unlocks_a_login() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.add_user("kumin", Role::Viewer, None).await;
    fail(&app, "kumin", ACCOUNT_LIMIT - 1).await;
    expect_locked(log_in(&app, "kumin", "wrong").await).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .args(["user", "unlock", "kumin"])
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run user unlock");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        log_in(&app, "kumin", PASSWORD).await.status(),
        StatusCode::OK
    );
    let unknown = tokio::process::Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .args(["user", "unlock", "nobody"])
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .output()
        .await
        .expect("run user unlock");
    assert!(!unknown.status.success());
}

#[tokio::test]
async fn the_spec_documents_lockouts_and_unlocking() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("spec")
        .json()
        .await
        .expect("json");
    let locked = &spec["paths"]["/api/v1/session"]["post"]["responses"]["429"];
    assert!(locked["headers"]["Retry-After"].is_object(), "{locked}");
    assert!(
        locked["content"]["application/problem+json"].is_object(),
        "{locked}"
    );
    let unlock = &spec["paths"]["/api/v1/users/{login}/lockout"]["delete"]["responses"];
    for status in ["204", "401", "403", "404"] {
        assert!(unlock[status].is_object(), "{status}: {unlock}");
    }
}
