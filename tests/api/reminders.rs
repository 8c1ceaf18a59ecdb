//! Reminders end to end: planning into the outbox, sending over real SMTP to the
//! in-process sink, exactly-once under reruns and concurrency, retries while SMTP
//! is down, lease expiry, and the calendar edge cases.
use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Duration, Utc};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use shukudai::{
    config::{MailTransportKind, Settings},
    domain::{OutboxStatus, Role},
    entities::outbox,
    mail::SmtpMailer,
    reminders::{
        self, Mode,
        kinds::{PreMeeting, Weekly, iso_week_label},
        outbox::claim,
    },
};

use crate::{
    helpers::{TestApp, jst, ymd},
    on_both_backends,
    smtp_sink::SmtpSink,
};

/// Departments, meetings and tasks of the seeded week.
pub struct Seed {
    pub kumin: i32,
    pub kyoiku: i32,
    pub kankyo: i32,
    pub secretariat: i32,
    pub next_meeting: i32,
    pub t_overdue: i32,
    pub t_next: i32,
    pub t_later: i32,
    pub t_edu: i32,
}

pub const T_OVERDUE: &str = "防災訓練の参加者数を報告すること";
pub const T_NEXT: &str = "窓口混雑の対策案を示すこと";
pub const T_LATER: &str = "来年度予算の見積もりを提出すること";
pub const T_EDU: &str = "学校給食の値上げ影響を報告すること";

/// 区民部 (one ja address): overdue, due by the next meeting, later; 教育部 (ja
/// and en addresses): overdue by 3 days; 環境部: no addresses; the secretariat.
pub async fn seed_week(app: &TestApp) -> Seed {
    let kumin = app
        .add_department("区民部", &[], &["kumin@example.jp"])
        .await;
    let kyoiku = app
        .add_department("教育部", &[], &["kyoiku@example.jp", "teacher@example.jp"])
        .await;
    app.set_recipient_locale("teacher@example.jp", "en").await;
    let kankyo = app.add_department("環境部", &[], &[]).await;
    let secretariat = app
        .add_department(
            "政策経営部情報管理課",
            &["事務局"],
            &["jimukyoku@example.jp"],
        )
        .await;
    let body = app.seed_body("本部会議").await;
    let held = app
        .seed_meeting_on(body, "第11回本部会議", ymd(2026, 11, 9), "held")
        .await;
    let next_meeting = app
        .seed_meeting_on(body, "第12回本部会議", ymd(2026, 11, 30), "scheduled")
        .await;
    let t_overdue = app
        .seed_open_task(held, kumin, T_OVERDUE, Some(ymd(2026, 11, 1)), None)
        .await;
    let t_later = app
        .seed_open_task(held, kumin, T_LATER, Some(ymd(2027, 1, 31)), None)
        .await;
    let t_next = app
        .seed_open_task(
            held,
            kumin,
            T_NEXT,
            Some(ymd(2026, 11, 30)),
            Some(next_meeting),
        )
        .await;
    let t_edu = app
        .seed_open_task(held, kyoiku, T_EDU, Some(ymd(2026, 11, 20)), None)
        .await;
    app.seed_open_task(
        held,
        kankyo,
        "ごみ収集の見直し",
        Some(ymd(2026, 11, 30)),
        None,
    )
    .await;
    Seed {
        kumin,
        kyoiku,
        kankyo,
        secretariat,
        next_meeting,
        t_overdue,
        t_next,
        t_later,
        t_edu,
    }
}

/// The app's settings with SMTP to `sink`.
pub fn smtp_settings(app: &TestApp, sink: &SmtpSink) -> Settings {
    let mut settings = (*app.settings).clone();
    settings.mail.transport = MailTransportKind::Smtp;
    settings.mail.smtp_url = sink.url();
    settings.mail.from = "shukudai <shukudai@city.example.jp>".to_owned();
    settings.server.public_url = "https://shukudai.city.example.jp".to_owned();
    settings
}

pub fn smtp_mailer(settings: &Settings) -> SmtpMailer {
    SmtpMailer::from_settings(&settings.mail).expect("smtp mailer")
}

/// A received message, parsed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub subject: String,
    pub to: Vec<String>,
    pub message_id: String,
    pub text: String,
    pub html: String,
    pub mime_version: bool,
}

pub fn parse_all(sink: &SmtpSink) -> Vec<Parsed> {
    sink.received()
        .iter()
        .map(|r| {
            let message = MessageParser::default()
                .parse(&r.data)
                .expect("parseable message");
            let to = message
                .to()
                .map(|a| {
                    a.iter()
                        .filter_map(|addr| addr.address().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(
                {
                    let mut v: Vec<String> = to;
                    v.sort();
                    v
                },
                {
                    let mut v = r.rcpt_to.clone();
                    v.sort();
                    v
                },
                "envelope recipients match the To header"
            );
            Parsed {
                subject: message.subject().unwrap_or_default().to_owned(),
                to: r.rcpt_to.clone(),
                message_id: message.message_id().unwrap_or_default().to_owned(),
                text: message.body_text(0).unwrap_or_default().into_owned(),
                html: message.body_html(0).unwrap_or_default().into_owned(),
                mime_version: message.mime_version().as_text().is_some(),
            }
        })
        .collect()
}

pub fn mails_to<'a>(mails: &'a [Parsed], address: &str) -> Vec<&'a Parsed> {
    mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .collect()
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .all(&app.db)
        .await
        .expect("outbox rows")
}

fn monday_nine() -> DateTime<Utc> {
    jst(2026, 11, 23, 9, 0, 0)
}

async fn seeded_week_sends_the_right_mails(app: TestApp) {
    let seed = seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);
    let now = monday_nine();

    let report = reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick");
    assert_eq!(report.sent.sent, 8, "{report:?}");
    assert_eq!(
        report.planned.skipped_no_recipients.len(),
        2,
        "環境部 weekly + pre-meeting"
    );

    let keys: Vec<String> = outbox_rows(&app)
        .await
        .into_iter()
        .map(|r| {
            assert_eq!(r.status, OutboxStatus::Sent);
            assert!(
                r.smtp_response
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("250")
            );
            r.dedupe_key
        })
        .collect();
    let m = seed.next_meeting;
    for expected in [
        format!("weekly:2026-W48:dept:{}", seed.kumin),
        format!("weekly:2026-W48:dept:{}", seed.kyoiku),
        format!("weekly:2026-W48:dept:{}:en", seed.kyoiku),
        format!("premeeting:meeting:{m}:2026-11-30:d7:dept:{}", seed.kumin),
        format!("premeeting:meeting:{m}:2026-11-30:d7:dept:{}", seed.kyoiku),
        format!(
            "premeeting:meeting:{m}:2026-11-30:d7:dept:{}:en",
            seed.kyoiku
        ),
        format!("premeeting:meeting:{m}:2026-11-30:d7:secretariat"),
        "escalation:2026-11-23".to_owned(),
    ] {
        assert!(keys.contains(&expected), "{expected} in {keys:?}");
    }
    assert!(
        !keys
            .iter()
            .any(|k| k.contains(&format!("dept:{}", seed.kankyo)))
    );

    let mails = parse_all(&sink);
    assert_eq!(mails.len(), 8);
    for mail in &mails {
        assert!(mail.mime_version, "MIME-Version header");
        assert!(
            mail.message_id.starts_with("shukudai."),
            "{}",
            mail.message_id
        );
        assert!(mail.message_id.ends_with("@city.example.jp"));
        assert!(!mail.html.is_empty(), "HTML alternative");
        assert!(!mail.text.contains("List-Unsubscribe"));
    }

    // 区民部: weekly digest, overdue first, then due by the next meeting, then the rest.
    let kumin = mails_to(&mails, "kumin@example.jp");
    assert_eq!(kumin.len(), 2);
    let weekly = kumin
        .iter()
        .find(|m| m.subject.contains("未完了の宿題"))
        .expect("weekly to 区民部");
    assert_eq!(
        weekly.subject,
        "【宿題】区民部 未完了の宿題 3件（2026-W48）"
    );
    let (a, b, c) = (
        weekly.text.find(T_OVERDUE).expect("overdue item"),
        weekly.text.find(T_NEXT).expect("next-meeting item"),
        weekly.text.find(T_LATER).expect("later item"),
    );
    assert!(
        a < b && b < c,
        "overdue, next meeting, rest:\n{}",
        weekly.text
    );
    assert!(weekly.text.contains("【期限超過】1件"));
    assert!(weekly.text.contains("22日超過"));
    assert!(weekly.text.contains("第12回本部会議 2026-11-30"));
    assert!(weekly.text.contains("発端: 第11回本部会議（2026-11-09）"));
    for task in [seed.t_overdue, seed.t_next, seed.t_later] {
        assert!(
            weekly
                .text
                .contains(&format!("https://shukudai.city.example.jp/tasks/{task}")),
            "link to task {task}"
        );
    }
    assert_eq!(
        weekly
            .text
            .matches("https://shukudai.city.example.jp/act/")
            .count(),
        3,
        "one one-click link per item"
    );
    assert!(
        weekly
            .text
            .contains("お問い合わせは 事務局 までご連絡ください")
    );
    assert!(weekly.html.contains("<h2>期限超過（1件）</h2>"));

    // 区民部 before the meeting: the overdue and the next-meeting items, not the later one.
    let pre = kumin
        .iter()
        .find(|m| m.subject.contains("あと7日"))
        .expect("pre-meeting to 区民部");
    assert!(pre.subject.contains("第12回本部会議（2026-11-30）"));
    assert!(pre.text.contains(T_OVERDUE) && pre.text.contains(T_NEXT));
    assert!(!pre.text.contains(T_LATER));

    // 教育部: one Japanese and one English mail per kind.
    let kyoiku = mails_to(&mails, "kyoiku@example.jp");
    assert_eq!(kyoiku.len(), 2);
    let english = mails_to(&mails, "teacher@example.jp");
    assert_eq!(english.len(), 2);
    assert!(
        english
            .iter()
            .any(|m| m.subject == "[Follow-ups] 教育部: 1 open items (2026-W48)"),
        "{english:?}"
    );
    assert!(english.iter().all(|m| m.text.contains("please contact")));
    assert!(english.iter().all(|m| m.text.contains(T_EDU)));

    // The secretariat: the pre-meeting summary and the escalation (only the item
    // overdue by more than 7 days; 教育部's is 3 days overdue).
    let secretariat = mails_to(&mails, "jimukyoku@example.jp");
    assert_eq!(secretariat.len(), 2);
    let escalation = secretariat
        .iter()
        .find(|m| m.subject.contains("要対応"))
        .expect("escalation");
    assert!(escalation.text.contains(T_OVERDUE));
    assert!(escalation.text.contains("担当: 区民部"));
    assert!(!escalation.text.contains(T_EDU));
    assert!(
        !escalation.text.contains("/act/"),
        "no one-click links to the secretariat"
    );
    let summary = secretariat
        .iter()
        .find(|m| m.subject.contains("事務局】"))
        .expect("summary");
    assert!(summary.text.contains("【区民部】2件"));
    assert!(summary.text.contains("【教育部】1件"));
    let _ = (seed.t_edu, seed.secretariat);
}

async fn same_tick_twice_sends_once(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);
    let now = monday_nine();
    let first = reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick");
    assert_eq!(first.sent.sent, 8);
    for later in [now, now + Duration::minutes(1), now + Duration::hours(3)] {
        let again = reminders::tick(&app.db, &mailer, &settings, later)
            .await
            .expect("tick again");
        assert!(
            again.planned.queued.is_empty(),
            "{:?}",
            again.planned.queued
        );
        assert_eq!(again.sent.sent, 0);
    }
    // Even with the scheduler's bookkeeping gone (e.g. restored backup), the
    // dedupe keys keep the weekly digest single.
    shukudai::entities::scheduler_run::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("forget runs");
    let again = reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick after forgetting");
    assert!(again.planned.queued.is_empty());
    assert_eq!(sink.received().len(), 8);
    // The dry run at the same instant has nothing left to queue.
    let dry = reminders::plan_all(&app.db, &settings, now, Mode::DryRun)
        .await
        .expect("dry run");
    assert!(dry.queued.is_empty());
}

async fn dry_run_inserts_nothing(app: TestApp) {
    seed_week(&app).await;
    let dry = reminders::plan_all(&app.db, &app.settings, monday_nine(), Mode::DryRun)
        .await
        .expect("dry run");
    assert_eq!(dry.queued.len(), 8);
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.expect("count"),
        0
    );
    assert_eq!(
        shukudai::entities::scheduler_run::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

/// `remind --dry-run` shows what the scheduler's tick would queue at the same
/// instant: the same kinds behind the same time gates. Before 09:00 local the
/// daily kinds are not due, for either.
async fn dry_run_and_tick_apply_the_same_gates(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);
    let keys = |report: &reminders::PlanReport| {
        let mut keys: Vec<String> = report.queued.iter().map(|m| m.dedupe_key.clone()).collect();
        keys.sort();
        keys
    };
    // Monday 08:00: the weekly digest fires at 09:00, and so do the daily kinds.
    let early = jst(2026, 11, 23, 8, 0, 0);
    let dry = reminders::plan_all(&app.db, &settings, early, Mode::DryRun)
        .await
        .expect("dry run at 08:00");
    assert!(dry.queued.is_empty(), "{:?}", keys(&dry));
    let ticked = reminders::tick(&app.db, &mailer, &settings, early)
        .await
        .expect("tick at 08:00");
    assert!(ticked.planned.queued.is_empty());
    // 09:00: all three kinds, the same mails.
    let nine = monday_nine();
    let dry = reminders::plan_all(&app.db, &settings, nine, Mode::DryRun)
        .await
        .expect("dry run at 09:00");
    let ticked = reminders::tick(&app.db, &mailer, &settings, nine)
        .await
        .expect("tick at 09:00");
    assert_eq!(keys(&dry), keys(&ticked.planned));
    assert_eq!(keys(&dry).len(), 8);
}

async fn smtp_down_then_back_delivers_all_once(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let mut settings = smtp_settings(&app, &sink);
    settings.reminders.max_attempts = 3;
    let mailer = smtp_mailer(&settings);
    let now = monday_nine();

    sink.set_down(true);
    let report = reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick while down");
    assert_eq!((report.sent.sent, report.sent.retried), (0, 8));
    for row in outbox_rows(&app).await {
        assert_eq!(row.status, OutboxStatus::Pending);
        assert_eq!(row.attempts, 1);
        assert!(row.next_attempt_at > now, "backoff");
        assert!(row.last_error.is_some());
    }
    // Not yet due: nothing is tried.
    let early = reminders::send_due(&app.db, &mailer, &settings, now + Duration::seconds(30))
        .await
        .expect("send early");
    assert_eq!(early, Default::default());

    // The server is stopped altogether (connection refused), then comes back.
    let mut sink = sink;
    sink.stop();
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::minutes(2))
        .await
        .expect("send while stopped");
    assert_eq!(report.retried, 8);
    sink.set_down(false);
    sink.restart().await;
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::hours(1))
        .await
        .expect("send when back");
    assert_eq!(report.sent, 8);
    assert_eq!(sink.received().len(), 8);
    let ids: std::collections::HashSet<String> =
        parse_all(&sink).into_iter().map(|m| m.message_id).collect();
    assert_eq!(ids.len(), 8, "each mail once");
    assert!(
        outbox_rows(&app)
            .await
            .iter()
            .all(|r| r.status == OutboxStatus::Sent)
    );
}

async fn failed_after_max_attempts_then_retry_on_demand(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let mut settings = smtp_settings(&app, &sink);
    settings.reminders.max_attempts = 2;
    let mailer = smtp_mailer(&settings);
    let now = monday_nine();
    sink.set_down(true);
    reminders::tick(&app.db, &mailer, &settings, now)
        .await
        .expect("tick 1");
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::hours(1))
        .await
        .expect("attempt 2");
    assert_eq!(report.failed, 8);
    let rows = outbox_rows(&app).await;
    assert!(
        rows.iter()
            .all(|r| r.status == OutboxStatus::Failed && r.attempts == 2)
    );
    // Failed rows are not retried by the sender on its own.
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::days(1))
        .await
        .expect("nothing due");
    assert_eq!(report, Default::default());

    let viewer = app.token("viewer1", Role::Viewer, None).await;
    let response = app.get("/api/v1/outbox?status=failed", &viewer).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let token = app.token("jimu", Role::Secretariat, None).await;
    let response = app.get("/api/v1/outbox?status=failed", &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: serde_json::Value = response.json().await.expect("json");
    let failed = page["items"].as_array().expect("items");
    assert_eq!((failed.len(), page["total"].as_u64()), (8, Some(8)));
    assert!(failed[0]["last_error"].as_str().is_some());
    let id = failed[0]["id"].as_i64().expect("id");

    let response = app
        .post_json(
            &format!("/api/v1/outbox/{id}/retry"),
            &token,
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let row: serde_json::Value = response.json().await.expect("json");
    assert_eq!(row["status"], "pending");
    assert_eq!(row["attempts"], 0);
    let response = app
        .post_json(
            &format!("/api/v1/outbox/{id}/retry"),
            &token,
            &serde_json::json!({}),
        )
        .await;
    crate::helpers::expect_problem(response, StatusCode::CONFLICT).await;
    let response = app
        .post_json(
            "/api/v1/outbox/999999/retry",
            &token,
            &serde_json::json!({}),
        )
        .await;
    crate::helpers::expect_problem(response, StatusCode::NOT_FOUND).await;

    sink.set_down(false);
    let report = reminders::send_due(&app.db, &mailer, &settings, app.clock_now())
        .await
        .expect("send retried");
    assert_eq!(report.sent, 1);
    assert_eq!(sink.received().len(), 1);
    let row = outbox::Entity::find_by_id(i32::try_from(id).expect("i32"))
        .one(&app.db)
        .await
        .expect("row")
        .expect("exists");
    assert_eq!(row.status, OutboxStatus::Sent);
}

async fn expired_lease_is_sent_again_with_the_same_message_id(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let mailer = smtp_mailer(&settings);
    let now = monday_nine();
    reminders::plan_all(&app.db, &settings, now, Mode::Queue)
        .await
        .expect("plan");
    // A sender claims every row and dies before sending.
    let claimed = claim(&app.db, now, 100).await.expect("claim");
    assert_eq!(claimed.len(), 8);
    let ids: HashMap<i32, String> = claimed
        .iter()
        .map(|r| (r.id, r.message_id.clone()))
        .collect();
    // While the lease holds, nobody else takes them.
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::minutes(1))
        .await
        .expect("send during lease");
    assert_eq!(report.sent, 0);
    // After it expires they go out, once, with the Message-ID fixed at insert.
    let report = reminders::send_due(&app.db, &mailer, &settings, now + Duration::minutes(6))
        .await
        .expect("send after lease");
    assert_eq!(report.sent, 8);
    let sent_ids: std::collections::HashSet<String> = parse_all(&sink)
        .into_iter()
        .map(|m| format!("<{}>", m.message_id))
        .collect();
    let expected: std::collections::HashSet<String> = ids.values().cloned().collect();
    assert_eq!(sent_ids, expected);
    for row in outbox_rows(&app).await {
        assert_eq!(row.status, OutboxStatus::Sent);
        assert_eq!(row.attempts, 2, "the lost attempt is counted");
        assert_eq!(Some(&row.message_id), ids.get(&row.id));
    }
}

async fn weekly_boundary_is_monday_nine_in_tokyo(app: TestApp) {
    let seed = seed_week(&app).await;
    let settings = (*app.settings).clone();
    // Sunday 23:59:59 JST: the previous Monday is beyond the catch-up window.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 22, 23, 59, 59),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("sunday");
    assert!(report.queued.is_empty());
    // Monday 08:59:59 JST (= Sunday 23:59:59 UTC): still nothing.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 8, 59, 59),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("monday early");
    assert!(report.queued.is_empty());
    // Monday 09:00 JST (= 00:00 UTC).
    assert_eq!(
        jst(2026, 11, 23, 9, 0, 0).to_rfc3339(),
        "2026-11-23T00:00:00+00:00"
    );
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 9, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("monday nine");
    let keys: Vec<&str> = report
        .queued
        .iter()
        .map(|m| m.dedupe_key.as_str())
        .collect();
    assert!(
        keys.contains(&format!("weekly:2026-W48:dept:{}", seed.kumin).as_str()),
        "{keys:?}"
    );
    assert_eq!(report.queued.len(), 3);
    // Once only, even later that day.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 15, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("later");
    assert!(report.queued.is_empty());
}

async fn missed_weekly_is_caught_up_once_within_the_window(app: TestApp) {
    seed_week(&app).await;
    let settings = (*app.settings).clone();
    assert_eq!(settings.reminders.catch_up_hours, 24);
    // Down over Monday 09:00; back at 20:00: caught up, once.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 20, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("catch up");
    assert_eq!(report.queued.len(), 3);
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 20, 0, 30),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("again");
    assert!(report.queued.is_empty());
    // Down until Tuesday 09:30: more than 24 h late, that week is skipped.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 12, 1, 9, 30, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("too late");
    assert!(report.queued.is_empty());
    // The next Monday runs as usual.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 12, 7, 9, 0, 5),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("next week");
    assert!(
        report
            .queued
            .iter()
            .all(|m| m.dedupe_key.starts_with("weekly:2026-W50:"))
    );
    assert_eq!(report.queued.len(), 3);
}

async fn iso_week_year_rollover(app: TestApp) {
    let seed = seed_week(&app).await;
    assert_eq!(iso_week_label(ymd(2026, 12, 28)), "2026-W53");
    assert_eq!(iso_week_label(ymd(2027, 1, 3)), "2026-W53");
    assert_eq!(iso_week_label(ymd(2027, 1, 4)), "2027-W01");
    let settings = (*app.settings).clone();
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 12, 28, 9, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("2026-W53");
    assert!(
        report
            .queued
            .iter()
            .any(|m| m.dedupe_key == format!("weekly:2026-W53:dept:{}", seed.kumin))
    );
    // New Year's Day (Friday) is not a Monday: nothing.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2027, 1, 1, 9, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("new year");
    assert!(report.queued.is_empty());
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2027, 1, 4, 9, 0, 0),
        Mode::Queue,
        &Weekly,
    )
    .await
    .expect("2027-W01");
    assert!(
        report
            .queued
            .iter()
            .any(|m| m.dedupe_key == format!("weekly:2027-W01:dept:{}", seed.kumin))
    );
}

async fn rescheduled_meeting_gets_reminders_for_its_new_date(app: TestApp) {
    let seed = seed_week(&app).await;
    let settings = (*app.settings).clone();
    let m = seed.next_meeting;
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 23, 9, 0, 0),
        Mode::Queue,
        &PreMeeting,
    )
    .await
    .expect("d7 old date");
    assert!(report.queued.iter().any(
        |q| q.dedupe_key == format!("premeeting:meeting:{m}:2026-11-30:d7:dept:{}", seed.kumin)
    ));
    // Postponed a week after the 7-day reminders were queued.
    app.reschedule_meeting(m, ymd(2026, 12, 7)).await;
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 24, 9, 0, 0),
        Mode::Queue,
        &PreMeeting,
    )
    .await
    .expect("13 days before");
    assert!(report.queued.is_empty(), "{:?}", report.queued);
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 11, 30, 9, 0, 0),
        Mode::Queue,
        &PreMeeting,
    )
    .await
    .expect("d7 new date");
    let keys: Vec<&str> = report
        .queued
        .iter()
        .map(|q| q.dedupe_key.as_str())
        .collect();
    assert!(
        keys.contains(
            &format!("premeeting:meeting:{m}:2026-12-07:d7:dept:{}", seed.kumin).as_str()
        ),
        "{keys:?}"
    );
    assert!(keys.contains(&format!("premeeting:meeting:{m}:2026-12-07:d7:secretariat").as_str()));
    let mail = report
        .queued
        .iter()
        .find(|q| q.department_id == Some(seed.kumin))
        .expect("区民部");
    assert!(mail.subject.contains("2026-12-07"), "{}", mail.subject);
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 12, 6, 9, 0, 0),
        Mode::Queue,
        &PreMeeting,
    )
    .await
    .expect("d1");
    assert!(report.queued.iter().any(
        |q| q.dedupe_key == format!("premeeting:meeting:{m}:2026-12-07:d1:dept:{}", seed.kumin)
    ));
    // The day itself and after: nothing more.
    let report = reminders::plan_one(
        &app.db,
        &settings,
        jst(2026, 12, 7, 9, 0, 0),
        Mode::Queue,
        &PreMeeting,
    )
    .await
    .expect("day of");
    assert!(report.queued.is_empty());
    let count = outbox::Entity::find()
        .filter(
            outbox::Column::DedupeKey.starts_with(format!("premeeting:meeting:{m}:2026-12-07:d7")),
        )
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(count, 4, "区民部, 教育部 ja + en, secretariat");
}

on_both_backends!(
    seeded_week_sends_the_right_mails,
    same_tick_twice_sends_once,
    dry_run_inserts_nothing,
    dry_run_and_tick_apply_the_same_gates,
    smtp_down_then_back_delivers_all_once,
    failed_after_max_attempts_then_retry_on_demand,
    expired_lease_is_sent_again_with_the_same_message_id,
    weekly_boundary_is_monday_nine_in_tokyo,
    missed_weekly_is_caught_up_once_within_the_window,
    iso_week_year_rollover,
    rescheduled_meeting_gets_reminders_for_its_new_date,
);

/// Two instances (two connection pools) against one PostgreSQL, planning and
/// sending at the same time, repeatedly: every mail exactly once.
#[tokio::test]
async fn two_instances_on_postgres_send_each_mail_once() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let settings = Arc::new(smtp_settings(&app, &sink));
    let mut pools = Vec::new();
    for _ in 0..2 {
        pools.push(
            shukudai::db::connect(&settings.database)
                .await
                .expect("second pool"),
        );
    }
    let now = monday_nine();
    for round in 0..3 {
        let mut handles = Vec::new();
        for pool in &pools {
            for _ in 0..2 {
                let pool = pool.clone();
                let settings = settings.clone();
                let mailer = smtp_mailer(&settings);
                handles.push(tokio::spawn(async move {
                    let at = now + Duration::seconds(round);
                    reminders::tick(&pool, &mailer, &settings, at)
                        .await
                        .expect("tick");
                    reminders::send_due(&pool, &mailer, &settings, at)
                        .await
                        .expect("send")
                }));
            }
        }
        for handle in handles {
            handle.await.expect("join");
        }
    }
    let received = parse_all(&sink);
    assert_eq!(
        received.len(),
        8,
        "{:?}",
        received.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    let ids: std::collections::HashSet<&str> =
        received.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), 8);
    let rows = outbox::Entity::find().all(&app.db).await.expect("rows");
    assert_eq!(rows.len(), 8);
    assert!(
        rows.iter()
            .all(|r| r.status == OutboxStatus::Sent && r.attempts == 1)
    );
}

/// `mail.transport = "file"` writes one parseable `.eml` per mail into `mail.file_dir`.
#[tokio::test]
async fn file_transport_writes_eml_files() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    seed_week(&app).await;
    let mut settings = (*app.settings).clone();
    settings.mail.transport = MailTransportKind::File;
    let mailer = shukudai::mail::from_settings(&settings.mail).expect("file mailer");
    let report = reminders::tick(&app.db, mailer.as_ref(), &settings, monday_nine())
        .await
        .expect("tick");
    assert_eq!(report.sent.sent, 8);
    let mut subjects = Vec::new();
    for entry in std::fs::read_dir(&settings.mail.file_dir).expect("mail dir") {
        let path = entry.expect("entry").path();
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
        let raw = std::fs::read(&path).expect("read eml");
        let message = MessageParser::default().parse(&raw).expect("parse eml");
        subjects.push(message.subject().unwrap_or_default().to_owned());
    }
    assert_eq!(subjects.len(), 8);
    assert!(
        subjects
            .iter()
            .any(|s| s == "【宿題】区民部 未完了の宿題 3件（2026-W48）")
    );
}
