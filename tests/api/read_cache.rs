//! Cached reads never outlive the data they came from: a change made through the
//! same instance shows at once, one made through another instance or straight in
//! the database (the CLI, an operator) within moments.
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shukudai::domain::Role;

use crate::{helpers::TestApp, on_both_backends};

const OPEN_TASKS: &str = "/api/v1/tasks?status=open&page_size=50";
/// Far above the SQLite poll interval and NOTIFY latency; only a broken
/// invalidation takes this long.
const PATIENCE: Duration = Duration::from_secs(5);

async fn open_total(app: &TestApp, token: &str) -> i64 {
    app.get_ok(OPEN_TASKS, token).await["total"]
        .as_i64()
        .expect("total")
}

/// Asks until `wanted` holds or [`PATIENCE`] runs out; the last answer.
async fn eventually(app: &TestApp, token: &str, wanted: i64) -> i64 {
    let started = Instant::now();
    loop {
        let total = open_total(app, token).await;
        if total == wanted || started.elapsed() > PATIENCE {
            return total;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

on_both_backends!(
    lists_follow_changes_from_this_and_other_instances,
    a_user_disabled_in_the_database_is_refused_promptly,
);

async fn lists_follow_changes_from_this_and_other_instances(app: TestApp) {
    let owner = app.add_department("区民部", &[], &[]).await;
    let secretariat = app.token("jimu", Role::Secretariat, None).await;
    let department = app.token("kumin", Role::Department, Some("区民部")).await;
    let (_, meeting) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    let mut ids = Vec::new();
    for summary in ["会議室のWi-Fiを調査する", "RPAの結果を報告する"] {
        ids.push(
            app.seed_open_task(meeting, owner, summary, None, None)
                .await,
        );
    }
    let other = app.spawn_sharing().await;
    assert_eq!(eventually(&app, &secretariat, 2).await, 2);
    assert_eq!(eventually(&other, &secretariat, 2).await, 2);
    // Asked again, so that both instances answer from their caches if they can.
    assert_eq!(open_total(&other, &secretariat).await, 2);

    let done = app
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{}/complete", ids[0]),
            &department,
            &json!({"note": "調査済み"}),
            None,
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(
        open_total(&app, &secretariat).await,
        1,
        "the instance that made the change shows it at once"
    );
    assert_eq!(
        eventually(&other, &secretariat, 1).await,
        1,
        "the other instance shows the change made through the first"
    );

    // As `shukudai import` in another process would: straight into the database.
    app.seed_open_task(meeting, owner, "教育委員会と調整する", None, None)
        .await;
    assert_eq!(eventually(&app, &secretariat, 2).await, 2);
    assert_eq!(eventually(&other, &secretariat, 2).await, 2);
    let listed: Value = other.get_ok(OPEN_TASKS, &secretariat).await;
    let summaries: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["summary"].as_str())
        .collect();
    assert_eq!(summaries, ["RPAの結果を報告する", "教育委員会と調整する"]);
}

async fn a_user_disabled_in_the_database_is_refused_promptly(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use shukudai::entities::user;

    let token = app.token("kumin", Role::Viewer, None).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);
    }
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(false))
        .filter(user::Column::Login.eq("kumin"))
        .exec(&app.db)
        .await
        .expect("disable user");
    let started = Instant::now();
    let mut status = app.get("/api/v1/me", &token).await.status();
    while status == StatusCode::OK && started.elapsed() < PATIENCE {
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = app.get("/api/v1/me", &token).await.status();
    }
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
