//! One-click "done" links: valid, used, expired, tampered, wrong department.
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use shukudai::{
    domain::TaskStatus,
    entities::{task, task_event},
    mail::MemoryMailer,
    reminders::{self, LinkSigner, Mode},
};

use crate::{
    helpers::{TestApp, jst},
    on_both_backends,
    reminders::{Seed, T_NEXT, seed_week},
};

/// The one-click token for `task` in the 区民部 weekly mail.
async fn token_from_mail(app: &TestApp, seed: &Seed, task: i32) -> String {
    let mailer = MemoryMailer::default();
    let now = jst(2026, 11, 23, 9, 0, 0);
    app.clock.set(now);
    reminders::plan_all(&app.db, &app.settings, now, Mode::Queue)
        .await
        .expect("plan");
    reminders::send_due(&app.db, &mailer, &app.settings, now)
        .await
        .expect("send");
    let mail = mailer
        .sent()
        .into_iter()
        .find(|m| m.to == ["kumin@example.jp"] && m.subject.contains("未完了の宿題"))
        .expect("weekly mail to 区民部");
    let base = format!(
        "{}/act/",
        app.settings.server.public_url.trim_end_matches('/')
    );
    let marker = format!("/tasks/{task}\n");
    let after = mail.text.split(&marker).nth(1).expect("task in mail");
    let line = after
        .lines()
        .find(|l| l.contains(&base))
        .expect("one-click link");
    let token = line.split(&base).nth(1).expect("token").trim().to_owned();
    let _ = seed;
    token
}

async fn get_act(app: &TestApp, token: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(app.url(&format!("/act/{token}")))
        .send()
        .await
        .expect("GET");
    (response.status(), response.text().await.expect("body"))
}

async fn post_act(app: &TestApp, token: &str, note: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post(app.url(&format!("/act/{token}")))
        .form(&[("note", note)])
        .send()
        .await
        .expect("POST");
    (response.status(), response.text().await.expect("body"))
}

async fn task_row(app: &TestApp, id: i32) -> task::Model {
    task::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("task")
        .expect("exists")
}

async fn valid_link_completes_once(app: TestApp) {
    let seed = seed_week(&app).await;
    let token = token_from_mail(&app, &seed, seed.t_next).await;

    let (status, page) = get_act(&app, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(T_NEXT) && page.contains("完了にする"),
        "{page}"
    );
    // GET changes nothing.
    let (status, _) = get_act(&app, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task_row(&app, seed.t_next).await.status, TaskStatus::Open);

    // A completion note is required; without one nothing changes and the link stays usable.
    let (status, page) = post_act(&app, &token, "   ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("完了報告を入力してください"));
    assert_eq!(task_row(&app, seed.t_next).await.status, TaskStatus::Open);

    let (status, page) = post_act(&app, &token, "対策案を庁議に報告済み").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("完了にしました"));
    let row = task_row(&app, seed.t_next).await;
    assert_eq!(row.status, TaskStatus::Done);
    assert_eq!(row.version, 2);
    assert_eq!(
        row.completion_note.as_deref(),
        Some("対策案を庁議に報告済み")
    );
    assert!(row.completed_at.is_some());
    let events = task_event::Entity::find()
        .filter(task_event::Column::TaskId.eq(seed.t_next))
        .all(&app.db)
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "completed");
    assert_eq!(events[0].actor_label, "ワンクリック (区民部)");
    assert_eq!(
        events[0].changes["status"],
        serde_json::json!(["open", "done"])
    );

    // Used: refused, on GET and POST.
    let (status, page) = get_act(&app, &token).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("使用済み"));
    let (status, _) = post_act(&app, &token, "again").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(task_row(&app, seed.t_next).await.version, 2);
}

async fn expired_tampered_and_wrong_department_are_refused(app: TestApp) {
    let seed = seed_week(&app).await;
    let token = token_from_mail(&app, &seed, seed.t_overdue).await;

    // Tampered: another task id under the same signature, or a flipped character.
    let signer = LinkSigner::load(&app.db, &app.settings).await.expect("key");
    let (payload, tag) = token.split_once('.').expect("two parts");
    let mut flipped: Vec<char> = payload.chars().collect();
    flipped[3] = if flipped[3] == 'A' { 'B' } else { 'A' };
    let flipped: String = flipped.into_iter().collect();
    let (status, page) = get_act(&app, &format!("{flipped}.{tag}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("無効"));
    let (status, _) = post_act(&app, &format!("{flipped}.{tag}"), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_act(&app, "not-a-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let foreign = LinkSigner::new(b"another key".to_vec()).done_token(
        seed.t_overdue,
        seed.kumin,
        app.clock_now(),
    );
    assert_eq!(get_act(&app, &foreign).await.0, StatusCode::NOT_FOUND);

    // Expired: valid for 30 days.
    app.clock.set(app.clock_now() + Duration::days(31));
    let (status, page) = post_act(&app, &token, "late").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("有効期限"));
    assert_eq!(
        task_row(&app, seed.t_overdue).await.status,
        TaskStatus::Open
    );

    // Wrong department: the item moved to 教育部 after the mail was sent.
    let fresh = signer.done_token(seed.t_later, seed.kumin, app.clock_now());
    assert_eq!(get_act(&app, &fresh).await.0, StatusCode::OK);
    task::Entity::update_many()
        .col_expr(
            task::Column::OwnerDepartmentId,
            Expr::value(Some(seed.kyoiku)),
        )
        .filter(task::Column::Id.eq(seed.t_later))
        .exec(&app.db)
        .await
        .expect("move task");
    let (status, page) = post_act(&app, &fresh, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("別の部署"));
    let row = task_row(&app, seed.t_later).await;
    assert_eq!((row.status.as_str(), row.version), ("open", 1));
    // A token minted for 教育部 for a 区民部 item is refused as well.
    let wrong = signer.done_token(seed.t_overdue, seed.kyoiku, app.clock_now());
    assert_eq!(post_act(&app, &wrong, "").await.0, StatusCode::FORBIDDEN);
}

on_both_backends!(
    valid_link_completes_once,
    expired_tampered_and_wrong_department_are_refused,
);
