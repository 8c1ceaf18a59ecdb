//! Reminder benchmarks (`cargo bench --bench reminders`): composing the weekly run
//! over 100k open tasks in 300 departments (target < 2 s), and the outbox send
//! rate to a local SMTP sink against a bare lettre loop to the same sink
//! (target ratio >= 0.8).
#[path = "../tests/api/smtp_sink.rs"]
#[allow(dead_code)]
mod smtp_sink;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::{NaiveDate, TimeZone, Utc};
use futures::StreamExt;
use lettre::AsyncTransport;
use sea_orm::{EntityTrait, PaginatorTrait, Set};
use shukudai::{
    config::{MailTransportKind, Settings},
    db,
    domain::{DueKind, MeetingStatus, OutboxStatus, TaskKind, TaskStatus},
    entities::{body, department, department_recipient, meeting, outbox, task},
    mail::{OutgoingMail, SmtpMailer, build_message},
    reminders::{
        self, LinkSigner, Mode,
        kinds::Weekly,
        outbox::{self as outbox_queue, outgoing},
    },
};

/// Wall time per span name (`outbox.claim`, `outbox.send`, …) and how many
/// closed, to see where a send run spends its time.
#[derive(Clone, Default)]
struct SpanTimes(Arc<Mutex<BTreeMap<&'static str, (Duration, u32)>>>);

impl SpanTimes {
    fn take(&self) -> BTreeMap<&'static str, (Duration, u32)> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

impl<S> tracing_subscriber::Layer<S> for SpanTimes
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        _attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Instant::now());
        }
    }

    fn on_close(&self, id: tracing::span::Id, ctx: tracing_subscriber::layer::Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(started) = span.extensions().get::<Instant>().copied() else {
            return;
        };
        let mut times = self.0.lock().expect("lock");
        let entry = times.entry(span.name()).or_default();
        entry.0 += started.elapsed();
        entry.1 += 1;
    }
}

const TASKS: usize = 100_000;
const DEPARTMENTS: usize = 300;

#[tokio::main]
async fn main() {
    use tracing_subscriber::{Layer, layer::SubscriberExt, util::SubscriberInitExt};
    let spans = SpanTimes::default();
    tracing_subscriber::registry()
        .with(
            spans.clone().with_filter(
                tracing_subscriber::filter::Targets::new()
                    .with_target("shukudai", tracing::Level::DEBUG),
            ),
        )
        .init();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::defaults().expect("defaults");
    settings.database.url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    settings.database.max_connections = 5;
    let db = db::connect_and_migrate(&settings.database)
        .await
        .expect("database");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .expect("instant");

    let started = Instant::now();
    seed(&db, now).await;
    println!(
        "seeded {TASKS} open tasks over {DEPARTMENTS} departments in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let signer = LinkSigner::load(&db, &settings).await.expect("key");
    if std::env::var("BENCH_DETAIL").is_ok() {
        use sea_orm::{ColumnTrait, QueryFilter};
        let started = Instant::now();
        let tasks = task::Entity::find()
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .all(&db)
            .await
            .expect("tasks");
        println!(
            "  load {} tasks: {:.3} s",
            tasks.len(),
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        let mut n = 0;
        for t in &tasks {
            n += signer.done_token(t.id, 1, now).len();
        }
        println!(
            "  100k tokens: {:.3} s ({n})",
            started.elapsed().as_secs_f64()
        );
        let items: Vec<serde_json::Value> = tasks[..333]
            .iter()
            .map(|t| serde_json::json!({"id": t.id, "summary": t.summary, "due": "2026-11-01", "overdue_days": 3, "origin": "第11回本部会議", "origin_date": "2026-11-09", "link": "https://x/tasks/1", "done_link": "https://x/act/abc", "department": null}))
            .collect();
        let ctx = serde_json::json!({"department": "部署", "week": "2026-W48", "today": "2026-11-23", "total": 333, "overdue": items, "due_next": [], "rest": [], "next_meeting": null, "contact": "事務局"});
        let started = Instant::now();
        for _ in 0..300 {
            shukudai::mail::render(shukudai::mail::MailKind::Weekly, "ja", &ctx).expect("render");
        }
        println!(
            "  300 renders of 333 items: {:.3} s",
            started.elapsed().as_secs_f64()
        );
    }
    let mut runs = Vec::new();
    let mut composed = None;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        // A dry run of the weekly kind: snapshot, letters and rendering, no insert.
        composed = Some(
            reminders::plan_one(&db, &settings, now, Mode::DryRun, &Weekly)
                .await
                .expect("compose"),
        );
        runs.push(started.elapsed().as_secs_f64());
    }
    let composed = composed.expect("composed");
    println!(
        "compose weekly: {} mails, {} items in {:.3} s (best of {runs:.3?}; target < 2 s)",
        composed.queued.len(),
        composed.queued.iter().map(|m| m.items).sum::<usize>(),
        runs.iter().copied().fold(f64::MAX, f64::min)
    );
    let started = Instant::now();
    let planned = reminders::plan_one(&db, &settings, now, Mode::Queue, &Weekly)
        .await
        .expect("plan");
    println!(
        "plan weekly (compose + insert in one transaction): {} rows in {:.3} s",
        planned.queued.len(),
        started.elapsed().as_secs_f64()
    );

    // Send rate: the outbox sender vs a bare lettre loop, same messages, same sink.
    let sink = smtp_sink::SmtpSink::start().await;
    settings.mail.transport = MailTransportKind::Smtp;
    settings.mail.smtp_url = sink.url();
    let big = outbox::Entity::find().all(&db).await.expect("rows");
    send_rate(
        &db,
        &settings,
        &sink,
        &spans,
        "the 300 weekly digests (~333 items each)",
        big,
        now,
    )
    .await;

    // Typical mails: a digest of 10 items, 2,000 of them.
    outbox::Entity::delete_many()
        .exec(&db)
        .await
        .expect("clear outbox");
    let mut typical = composed.queued[0].clone();
    let cut = |s: &str, marker: &str| -> String {
        let mut out = String::new();
        for (i, part) in s.split(marker).enumerate() {
            if i > 10 {
                break;
            }
            if i > 0 {
                out.push_str(marker);
            }
            out.push_str(part);
        }
        out
    };
    typical.text = cut(&typical.text, "■ ");
    typical.html = cut(&typical.html, "<li>");
    for i in 0..2000 {
        typical.dedupe_key = format!("bench:{i}");
        outbox_queue::insert(&db, &settings, &typical, now)
            .await
            .expect("insert");
    }
    let rows = outbox::Entity::find().all(&db).await.expect("rows");
    send_rate(
        &db,
        &settings,
        &sink,
        &spans,
        "2,000 typical digests (10 items)",
        rows,
        now,
    )
    .await;
}

/// Each send measurement is the best of this many runs, interleaved, so that a
/// busy neighbour on the machine does not decide a ratio.
const ROUNDS: usize = 3;

/// Times bare lettre loops over the rows' mails (already in memory: build, send;
/// one at a time, then four in flight like the outbox sender) and `send_due`
/// over the same rows, to the same sink, each the best of [`ROUNDS`]; prints the
/// rates, their ratios, and where the outbox sender's best run spent its time.
async fn send_rate(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    sink: &smtp_sink::SmtpSink,
    spans: &SpanTimes,
    label: &str,
    rows: Vec<outbox::Model>,
    now: chrono::DateTime<Utc>,
) {
    let mut bodies = outbox_queue::bodies(db, &rows).await.expect("bodies");
    let mails: Vec<_> = rows
        .iter()
        .map(|r| outgoing(settings, r, bodies.remove(&r.id).expect("body")))
        .collect();
    let bytes: usize = mails
        .iter()
        .map(|m| build_message(m).expect("message").formatted().len())
        .sum();
    let started = Instant::now();
    for mail in &mails {
        build_message(mail).expect("message");
    }
    let build_secs = started.elapsed().as_secs_f64();
    let (mut bare_secs, mut bare4_secs, mut outbox_secs) = (f64::MAX, f64::MAX, f64::MAX);
    let mut phases = BTreeMap::new();
    for _ in 0..ROUNDS {
        bare_secs = bare_secs.min(bare_loop(settings, &mails, 1).await);
        sink.clear();
        bare4_secs = bare4_secs.min(bare_loop(settings, &mails, 4).await);
        sink.clear();
        requeue(db, now).await;
        let mailer = SmtpMailer::from_settings(&settings.mail).expect("mailer");
        spans.take();
        let started = Instant::now();
        let report = reminders::send_due(db, &mailer, settings, now)
            .await
            .expect("send");
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(report.sent, mails.len(), "{report:?}");
        assert_eq!(sink.received().len(), mails.len());
        if secs < outbox_secs {
            outbox_secs = secs;
            phases = spans.take();
        }
        sink.clear();
    }
    // The sender's own floor: database and message building, no SMTP.
    requeue(db, now).await;
    let memory = shukudai::mail::MemoryMailer::default();
    let started = Instant::now();
    reminders::send_due(db, &memory, settings, now)
        .await
        .expect("send to memory");
    let memory_secs = started.elapsed().as_secs_f64();
    let rate = |secs: f64| mails.len() as f64 / secs;
    println!(
        "send rate, {label}, {:.1} MB (best of {ROUNDS}):",
        bytes as f64 / 1e6
    );
    println!(
        "  bare lettre loop:          {bare_secs:.3} s = {:.0} mails/s",
        rate(bare_secs)
    );
    println!(
        "  bare lettre, 4 in flight:  {bare4_secs:.3} s = {:.0} mails/s",
        rate(bare4_secs)
    );
    println!(
        "  outbox sender:             {outbox_secs:.3} s = {:.0} mails/s",
        rate(outbox_secs)
    );
    println!(
        "  outbox sender, in-memory mailer (no SMTP): {memory_secs:.3} s = {:.0} mails/s",
        rate(memory_secs)
    );
    println!("    phases of its best SMTP run (they overlap; wall time while open):");
    for (name, (time, count)) in phases {
        println!(
            "    {name:<14} {:>8.3} s over {count} spans",
            time.as_secs_f64()
        );
    }
    println!("  (building the lettre messages alone: {build_secs:.3} s)");
    println!(
        "  ratio outbox / bare loop = {:.2} (target >= 0.8), outbox / bare 4 in flight = {:.2}",
        bare_secs / outbox_secs,
        bare4_secs / outbox_secs
    );
}

/// Sends `mails` with a fresh pooled lettre transport, `in_flight` at a time;
/// the seconds it took.
async fn bare_loop(settings: &Settings, mails: &[OutgoingMail], in_flight: usize) -> f64 {
    let bare = SmtpMailer::from_settings(&settings.mail).expect("mailer");
    let started = Instant::now();
    let sent: Vec<_> = futures::stream::iter(mails)
        .map(|mail| {
            let transport = bare.transport();
            async move {
                let message = build_message(mail).expect("message");
                transport.send(message).await
            }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    assert!(sent.iter().all(Result::is_ok));
    started.elapsed().as_secs_f64()
}

/// Puts every outbox row back in the queue as if just planned.
async fn requeue(db: &sea_orm::DatabaseConnection, now: chrono::DateTime<Utc>) {
    use sea_orm::sea_query::Expr;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::SentAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::SmtpResponse,
            Expr::value(Option::<String>::None),
        )
        .exec(db)
        .await
        .expect("requeue");
}

async fn seed(db: &sea_orm::DatabaseConnection, now: chrono::DateTime<Utc>) {
    let mut departments = Vec::new();
    let mut recipients = Vec::new();
    for i in 1..=DEPARTMENTS {
        departments.push(department::ActiveModel {
            name: Set(format!("部署{i:03}")),
            parent_id: Set(None),
            is_secretariat: Set(i == 1),
            created_at: Set(now),
            ..Default::default()
        });
        recipients.push(department_recipient::ActiveModel {
            department_id: Set(i32::try_from(i).expect("id")),
            email: Set(format!("dept{i:03}@example.jp")),
            locale: Set("ja".to_owned()),
            ..Default::default()
        });
    }
    department::Entity::insert_many(departments)
        .exec(db)
        .await
        .expect("departments");
    department_recipient::Entity::insert_many(recipients)
        .exec(db)
        .await
        .expect("recipients");
    let body = body::Entity::insert(body::ActiveModel {
        name: Set("本部会議".to_owned()),
        secretariat_department_id: Set(Some(1)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("body")
    .last_insert_id;
    let date =
        |d: i64| NaiveDate::from_ymd_opt(2026, 11, 23).expect("date") + chrono::Duration::days(d);
    let mut meetings = Vec::new();
    for (i, (offset, status)) in [(-14, MeetingStatus::Held), (7, MeetingStatus::Scheduled)]
        .into_iter()
        .enumerate()
    {
        meetings.push(meeting::ActiveModel {
            body_id: Set(body),
            title: Set(format!("第{}回本部会議", 11 + i)),
            held_on: Set(date(offset)),
            starts_at: Set(Some("10:00".to_owned())),
            ends_at: Set(None),
            place: Set(None),
            status: Set(status),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    meeting::Entity::insert_many(meetings)
        .exec(db)
        .await
        .expect("meetings");
    let mut batch = Vec::with_capacity(1000);
    for i in 0..TASKS {
        let owner = i32::try_from(i % DEPARTMENTS + 1).expect("id");
        let due = date(i64::try_from(i % 60).expect("small") - 30);
        batch.push(task::ActiveModel {
            body_id: Set(body),
            meeting_id: Set(1),
            minutes_id: Set(None),
            status: Set(TaskStatus::Open),
            summary: Set(format!(
                "宿題その{i}：区内の施設の利用状況を調査し、次回会議で報告すること"
            )),
            kind: Set(TaskKind::Request),
            speaker: Set(None),
            confidence: Set(1.0),
            suggested_owner: Set(None),
            owner_department_id: Set(Some(owner)),
            due_kind: Set(DueKind::Date),
            due_on: Set(Some(due)),
            due_meeting_id: Set(None),
            completion_note: Set(None),
            cancel_reason: Set(None),
            merged_into_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            confirmed_at: Set(Some(now)),
            completed_at: Set(None),
            ..Default::default()
        });
        if batch.len() == 1000 {
            task::Entity::insert_many(std::mem::take(&mut batch))
                .exec(db)
                .await
                .expect("tasks");
        }
    }
    if !batch.is_empty() {
        task::Entity::insert_many(batch)
            .exec(db)
            .await
            .expect("tasks");
    }
    assert_eq!(
        task::Entity::find().count(db).await.expect("count"),
        TASKS as u64
    );
}
