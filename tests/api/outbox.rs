//! The outbox beyond the happy path: bodies stored once beside their row, a
//! permanent SMTP rejection failing the row at once, and a moved meeting
//! withdrawing the reminders queued for its old date.
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use shukudai::{
    domain::{OutboxStatus, Role},
    entities::{outbox, outbox_body},
    mail::MailKind,
    reminders::{self, Mode, PlannedMail, kinds::PreMeeting, outbox::insert},
};

use crate::{
    helpers::{TestApp, expect_problem, jst},
    on_both_backends,
    reminders::{Seed, parse_all, seed_week, smtp_mailer, smtp_settings},
    smtp_sink::SmtpSink,
    web::sign_in,
};

async fn rows_with_prefix(app: &TestApp, prefix: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::DedupeKey.starts_with(prefix))
        .all(&app.db)
        .await
        .expect("outbox rows")
}

async fn body_of(app: &TestApp, id: i32) -> Option<outbox_body::Model> {
    outbox_body::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("outbox body")
}

fn planned(key: &str, text: &str) -> PlannedMail {
    PlannedMail {
        dedupe_key: key.to_owned(),
        kind: MailKind::Weekly,
        department_id: None,
        recipients: vec!["kumin@example.jp".to_owned()],
        locale: "ja".to_owned(),
        subject: "件名".to_owned(),
        text: text.to_owned(),
        html: format!("<p>{text}</p>"),
        items: 1,
    }
}

async fn a_conflicting_row_gets_no_second_body(app: TestApp) {
    let now = app.clock_now();
    assert!(
        insert(&app.db, &app.settings, &planned("k:1", "最初"), now)
            .await
            .expect("first insert")
    );
    assert!(
        !insert(&app.db, &app.settings, &planned("k:1", "二度目"), now)
            .await
            .expect("conflicting insert"),
        "the dedupe key is taken"
    );
    let rows = rows_with_prefix(&app, "k:").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        outbox_body::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );
    let body = body_of(&app, rows[0].id).await.expect("its body");
    assert_eq!(body.body_text, "最初");
    assert_eq!(body.body_html.as_deref(), Some("<p>最初</p>"));

    // What the sender puts on the wire comes from that body.
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let report = reminders::send_due(&app.db, &smtp_mailer(&settings), &settings, now)
        .await
        .expect("send");
    assert_eq!(report.sent, 1);
    let mails = parse_all(&sink);
    assert_eq!(mails[0].text.trim_end(), "最初");
    assert_eq!(mails[0].html.trim_end(), "<p>最初</p>");
}

async fn permanent_rejection_fails_at_once_with_the_reply(app: TestApp) {
    let seed = seed_week(&app).await;
    let sink = SmtpSink::start().await;
    sink.reject_recipient("kumin@example.jp", "550 5.1.1 no such user");
    sink.reject_recipient("kyoiku@example.jp", "450 4.2.1 mailbox busy");
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);
    let now = jst(2026, 11, 23, 9, 0, 0);

    let report = reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick");
    assert_eq!(
        (report.sent.sent, report.sent.retried, report.sent.failed),
        (4, 2, 2),
        "{report:?}"
    );
    // 区民部's two mails (weekly, before the meeting): failed on the first try.
    let rejected: Vec<outbox::Model> = outbox::Entity::find()
        .filter(outbox::Column::DepartmentId.eq(seed.kumin))
        .all(&app.db)
        .await
        .expect("rows");
    assert_eq!(rejected.len(), 2);
    for row in &rejected {
        assert_eq!(row.status, OutboxStatus::Failed, "{}", row.dedupe_key);
        assert_eq!(row.attempts, 1, "not retried");
        assert_eq!(row.smtp_response.as_deref(), Some("550 5.1.1 no such user"));
        assert!(
            row.last_error
                .as_deref()
                .is_some_and(|e| e.contains("550") && e.contains("no such user")),
            "{:?}",
            row.last_error
        );
    }
    // 教育部's Japanese mails met a 4xx: queued again with backoff.
    let busy = rows_with_prefix(&app, "weekly:2026-W48:dept:")
        .await
        .into_iter()
        .find(|r| r.dedupe_key == format!("weekly:2026-W48:dept:{}", seed.kyoiku))
        .expect("教育部 weekly");
    assert_eq!(busy.status, OutboxStatus::Pending);
    assert!(busy.next_attempt_at > now);
    assert_eq!(
        busy.smtp_response.as_deref(),
        Some("450 4.2.1 mailbox busy")
    );

    // A day later the temporary ones are tried again; the failed ones are not.
    let later = reminders::send_due(&app.db, &mailer, &settings, now + Duration::days(1))
        .await
        .expect("later");
    assert_eq!((later.sent, later.retried, later.failed), (0, 2, 0));
    for row in &rejected {
        let again = outbox::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .expect("row")
            .expect("exists");
        assert_eq!((again.status, again.attempts), (OutboxStatus::Failed, 1));
    }

    // The secretariat sees them with the server's answer, and retries one once
    // the address is fixed.
    let token = app.token("jimu", Role::Secretariat, None).await;
    let failed: Vec<Value> = app.get_ok("/api/v1/outbox?status=failed", &token).await["items"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(failed.len(), 2);
    assert!(
        failed
            .iter()
            .all(|r| r["smtp_response"] == "550 5.1.1 no such user")
    );
    sink.accept_all_recipients();
    let id = rejected[0].id;
    let response = app
        .post_json(&format!("/api/v1/outbox/{id}/retry"), &token, &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let before = sink.received().len();
    let report = reminders::send_due(&app.db, &mailer, &settings, app.clock_now())
        .await
        .expect("send the retried row");
    assert_eq!(report.sent, 1);
    let mails = parse_all(&sink);
    assert_eq!(mails.len(), before + 1);
    assert_eq!(mails[before].to, vec!["kumin@example.jp".to_owned()]);
}

/// The pre-meeting rows for meeting `m` on `date` at threshold `d`.
fn pre_meeting_prefix(m: i32, date: &str, d: u32) -> String {
    format!("premeeting:meeting:{m}:{date}:d{d}:")
}

async fn moved_meeting_withdraws_its_unsent_reminders(app: TestApp) {
    let Seed { next_meeting, .. } = seed_week(&app).await;
    let m = next_meeting;
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);

    // Seven days before 2026-11-30: queued and sent.
    let d7 = jst(2026, 11, 23, 9, 0, 0);
    reminders::plan_one(&app.db, &settings, d7, Mode::Queue, &PreMeeting)
        .await
        .expect("d7");
    let report = reminders::send_due(&app.db, &mailer, &settings, d7)
        .await
        .expect("send d7");
    assert_eq!(report.sent, 4);
    // The day before: queued, but SMTP is down, so they wait for a retry.
    let d1 = jst(2026, 11, 29, 9, 0, 0);
    reminders::plan_one(&app.db, &settings, d1, Mode::Queue, &PreMeeting)
        .await
        .expect("d1");
    sink.set_down(true);
    let report = reminders::send_due(&app.db, &mailer, &settings, d1)
        .await
        .expect("send d1 while down");
    assert_eq!(report.retried, 4);
    sink.set_down(false);
    let old_d1 = rows_with_prefix(&app, &pre_meeting_prefix(m, "2026-11-30", 1)).await;
    assert_eq!(old_d1.len(), 4);
    assert!(old_d1.iter().all(|r| r.status == OutboxStatus::Pending));

    // The secretariat moves the meeting a week later.
    app.clock.set(jst(2026, 11, 29, 10, 0, 0));
    let token = app.token("jimu", Role::Secretariat, None).await;
    let response = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/meetings/{m}"),
            &token,
            &json!({"held_on": "2026-12-07"}),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    for row in rows_with_prefix(&app, &pre_meeting_prefix(m, "2026-11-30", 1)).await {
        assert_eq!(row.status, OutboxStatus::Superseded, "{}", row.dedupe_key);
    }
    for row in rows_with_prefix(&app, &pre_meeting_prefix(m, "2026-11-30", 7)).await {
        assert_eq!(row.status, OutboxStatus::Sent, "sent rows stay sent");
    }
    // Nothing for the old date goes out, however late the sender runs.
    let received = sink.received().len();
    let report = reminders::send_due(&app.db, &mailer, &settings, d1 + Duration::hours(6))
        .await
        .expect("send after the move");
    assert_eq!(report, Default::default());
    assert_eq!(sink.received().len(), received);

    // Visible, labelled, and not retryable.
    let withdrawn: Vec<Value> =
        app.get_ok("/api/v1/outbox?status=superseded", &token).await["items"]
            .as_array()
            .expect("list")
            .clone();
    assert_eq!(withdrawn.len(), 4);
    let id = withdrawn[0]["id"].as_i64().expect("id");
    let response = app
        .post_json(&format!("/api/v1/outbox/{id}/retry"), &token, &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = sign_in(&app, "jimu")
        .await
        .get(app.url("/outbox?status=superseded"))
        .send()
        .await
        .expect("outbox page")
        .text()
        .await
        .expect("html");
    assert_eq!(
        html.matches("会議日程の変更により取り消し").count(),
        5,
        "{html}"
    );

    // Seven days before the new date the planner queues the new reminders.
    let new_d7 = jst(2026, 11, 30, 9, 0, 0);
    let report = reminders::plan_one(&app.db, &settings, new_d7, Mode::Queue, &PreMeeting)
        .await
        .expect("d7 of the new date");
    assert_eq!(report.queued.len(), 4, "{:?}", report.queued);
    assert!(
        report
            .queued
            .iter()
            .all(|q| q
                .dedupe_key
                .starts_with(&pre_meeting_prefix(m, "2026-12-07", 7)))
    );
    let report = reminders::send_due(&app.db, &mailer, &settings, new_d7)
        .await
        .expect("send the new date");
    assert_eq!(report.sent, 4);
    let mails = parse_all(&sink);
    assert!(
        mails[received..]
            .iter()
            .all(|m| m.subject.contains("2026-12-07"))
    );
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("2026-11-30"))
            .count(),
        4,
        "only the 7-day reminders of the old date went out"
    );
}

/// The list pages like every other list, and refuses what it cannot answer
/// instead of clamping it (it used to cut `limit` to 1..=1000 silently and
/// answer a bare array).
async fn outbox_list_pages_and_refuses_out_of_range(app: TestApp) {
    let now = app.clock_now();
    for i in 1..=5 {
        let mail = planned(&format!("page:{i}"), &format!("本文 {i}"));
        assert!(
            insert(&app.db, &app.settings, &mail, now)
                .await
                .expect("insert")
        );
    }
    let token = app.token("jimu", Role::Secretariat, None).await;

    let first = app.get_ok("/api/v1/outbox?page_size=2", &token).await;
    assert_eq!(
        (
            first["total"].as_u64(),
            first["page"].as_u64(),
            first["page_size"].as_u64()
        ),
        (Some(5), Some(1), Some(2))
    );
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["id"].as_i64().expect("id"))
            .collect()
    };
    let last = app
        .get_ok("/api/v1/outbox?page=3&page_size=2", &token)
        .await;
    let (first_ids, last_ids) = (ids(&first), ids(&last));
    assert_eq!(first_ids.len(), 2);
    assert_eq!(last_ids.len(), 1, "5 rows: 2 + 2 + 1");
    assert!(
        first_ids[0] > first_ids[1] && first_ids[1] > last_ids[0],
        "newest first"
    );
    let everything = app.get_ok("/api/v1/outbox", &token).await;
    assert_eq!(
        (ids(&everything).len(), everything["page_size"].as_u64()),
        (5, Some(50))
    );
    let pending = app
        .get_ok("/api/v1/outbox?status=pending&page_size=200", &token)
        .await;
    assert_eq!(pending["total"].as_u64(), Some(5));

    for (query, field) in [
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("status=lost", "status"),
    ] {
        let response = app.get(&format!("/api/v1/outbox?{query}"), &token).await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    // The old parameter is refused, not ignored: a client relying on it learns.
    let response = app.get("/api/v1/outbox?limit=5", &token).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit")),
        "{problem}"
    );
    // A retry of an id that is not a number is a problem document too.
    let response = app
        .post_json("/api/v1/outbox/abc/retry", &token, &json!({}))
        .await;
    expect_problem(response, StatusCode::BAD_REQUEST).await;
}

on_both_backends!(
    outbox_list_pages_and_refuses_out_of_range,
    a_conflicting_row_gets_no_second_body,
    permanent_rejection_fails_at_once_with_the_reply,
    moved_meeting_withdraws_its_unsent_reminders,
);
