//! `GET /api/v1/tasks?status=open&page_size=50` under load: the real router on a
//! 100k-task SQLite file against, as the ceiling, an axum route answering the same
//! bytes from memory. Prints requests/s, p50 and p99 for both and the ratio.
//!
//! `cargo bench --bench tasks_list` (env: BENCH_SECONDS, default 5; BENCH_CLIENTS, default 32)
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use axum::{Router, http::header, routing::get};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{EntityTrait, Set, TransactionTrait};
use shukudai::{
    accounts::{NewUser, UserStore},
    app::{AppState, Application},
    clock::ManualClock,
    config::Settings,
    db,
    domain::{DepartmentName, DueKind, Login, MeetingStatus, Password, Role, TaskKind, TaskStatus},
    entities::{body, department, meeting, task, task_evidence},
};

const TASKS: i32 = 100_000;
const DEPARTMENTS: i32 = 300;
const MEETINGS: i32 = 20;
const PATH: &str = "/api/v1/tasks?status=open&page_size=50";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::defaults()?;
    settings.database.url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    settings.server.listen = "127.0.0.1:0".parse()?;
    settings.reminders.enabled = false;
    let db = db::connect_and_migrate(&settings.database).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 16, 1, 0, 0)
        .single()
        .context("instant")?;

    let started = Instant::now();
    seed(&db, now).await?;
    let users = UserStore::new(db.clone());
    users
        .create(
            NewUser {
                login: Login::parse("bench")?,
                display_name: "bench".into(),
                email: "bench@example.jp".into(),
                role: Role::Viewer,
                department: None::<DepartmentName>,
                password: Password::parse("bench password")?,
            },
            now,
        )
        .await?;
    let token = users.issue_api_token("bench", now).await?;
    eprintln!(
        "seeded {TASKS} tasks in {DEPARTMENTS} departments in {:.1?}",
        started.elapsed()
    );

    let clock = Arc::new(ManualClock::new(now));
    let state = AppState::new(db.clone(), Arc::new(settings.clone()), clock.clone());
    let app = Application::bind(settings.server.listen, state).await?;
    let real = format!("http://{}{PATH}", app.local_addr()?);
    tokio::spawn(app.run_until(std::future::pending()));
    // The same router with its read cache off: what every request costs when the
    // data keeps changing (each change empties the cache).
    let mut uncached_settings = settings.clone();
    uncached_settings.cache.enabled = false;
    let uncached_state = AppState::new(db, Arc::new(uncached_settings), clock);
    let uncached_app = Application::bind(settings.server.listen, uncached_state).await?;
    let uncached = format!("http://{}{PATH}", uncached_app.local_addr()?);
    tokio::spawn(uncached_app.run_until(std::future::pending()));
    // Let the cache's watcher take its first reading, as a server does on start.
    tokio::time::sleep(Duration::from_millis(2 * settings.cache.poll_ms)).await;

    let client = reqwest::Client::new();
    let response = client.get(&real).bearer_auth(&token).send().await?;
    anyhow::ensure!(
        response.status().is_success(),
        "real route answered {}",
        response.status()
    );
    let bytes = response.bytes().await?;
    let listed: serde_json::Value = serde_json::from_slice(&bytes)?;
    eprintln!(
        "page: {} items of {} open tasks, {} bytes",
        listed["items"].as_array().map_or(0, Vec::len),
        listed["total"],
        bytes.len()
    );

    let expected = bytes.clone();
    let ceiling_router = Router::new().route(
        "/api/v1/tasks",
        get(move || {
            let bytes = bytes.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], bytes) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let ceiling = format!("http://{}{PATH}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, ceiling_router).await });

    for url in [&real, &real, &uncached] {
        let again = client
            .get(url)
            .bearer_auth(&token)
            .send()
            .await?
            .bytes()
            .await?;
        anyhow::ensure!(again == expected, "{url} answered different bytes");
    }

    let duration = Duration::from_secs(seconds);
    let base = drive(&ceiling, &token, clients, duration).await?;
    let ours = drive(&real, &token, clients, duration).await?;
    let cold = drive(&uncached, &token, clients, duration).await?;
    println!("{clients} clients, {seconds} s each, GET {PATH}");
    println!("ceiling (in-memory bytes):     {base}");
    println!("real router (SQLite):          {ours}");
    println!("real router, read cache off:   {cold}");
    println!("ratio real/ceiling: {:.2}", ours.rps / base.rps);
    println!("ratio cache-off/ceiling: {:.2}", cold.rps / base.rps);
    Ok(())
}

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>8.0} req/s  p50 {:>7.2?}  p99 {:>7.2?}  errors {}",
            self.rps, self.p50, self.p99, self.errors
        )
    }
}

async fn drive(
    url: &str,
    token: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Figures> {
    let deadline = Instant::now() + duration;
    let mut workers = Vec::new();
    for _ in 0..clients {
        let client = reqwest::Client::new();
        let url = url.to_owned();
        let token = token.to_owned();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                match client.get(&url).bearer_auth(&token).send().await {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(_) => latencies.push(sent.elapsed()),
                        Err(_) => errors += 1,
                    },
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (latencies, failed) = worker.await?;
        all.extend(latencies);
        errors += failed;
    }
    let elapsed = started.elapsed().max(duration);
    all.sort_unstable();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Figures {
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        errors,
    })
}

/// 300 departments, one body with 20 meetings, 100k tasks (40% open, 30% done,
/// 20% draft, 10% cancelled) with one evidence row each; bulk inserts, one transaction.
async fn seed(db: &sea_orm::DatabaseConnection, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    department::Entity::insert_many((1..=DEPARTMENTS).map(|i| department::ActiveModel {
        id: Set(i),
        name: Set(format!("部署{i:03}")),
        parent_id: Set(None),
        is_secretariat: Set(false),
        created_at: Set(now),
    }))
    .exec(&txn)
    .await?;
    body::Entity::insert(body::ActiveModel {
        id: Set(1),
        name: Set("行政情報化推進本部".into()),
        secretariat_department_id: Set(None),
        created_at: Set(now),
    })
    .exec(&txn)
    .await?;
    let first_day = NaiveDate::from_ymd_opt(2025, 1, 1).context("date")?;
    meeting::Entity::insert_many((1..=MEETINGS).map(|i| meeting::ActiveModel {
        id: Set(i),
        body_id: Set(1),
        title: Set(format!("第{i}回 行政情報化推進本部")),
        held_on: Set(first_day + chrono::Days::new(u64::try_from(i).unwrap_or(0) * 30)),
        starts_at: Set(Some("15:00".into())),
        ends_at: Set(None),
        place: Set(Some("庁議室".into())),
        status: Set(MeetingStatus::Held),
        created_at: Set(now),
        updated_at: Set(now),
    }))
    .exec(&txn)
    .await?;
    let statuses = [
        TaskStatus::Open,
        TaskStatus::Open,
        TaskStatus::Open,
        TaskStatus::Open,
        TaskStatus::Done,
        TaskStatus::Done,
        TaskStatus::Done,
        TaskStatus::Draft,
        TaskStatus::Draft,
        TaskStatus::Cancelled,
    ];
    for chunk in (1..=TASKS).collect::<Vec<_>>().chunks(1_000) {
        task::Entity::insert_many(chunk.iter().map(|&i| {
            let status = statuses[(i % 10) as usize];
            let due = (i % 7 != 0)
                .then(|| first_day + chrono::Days::new(u64::try_from(i % 900).unwrap_or(0)));
            task::ActiveModel {
                id: Set(i),
                body_id: Set(1),
                meeting_id: Set(i % MEETINGS + 1),
                minutes_id: Set(None),
                status: Set(status),
                summary: Set(format!(
                    "宿題 {i}: システム更新について関係課と調整し報告する"
                )),
                kind: Set(TaskKind::Request),
                speaker: Set(Some("本部長".into())),
                confidence: Set(0.8),
                suggested_owner: Set(None),
                owner_department_id: Set(Some(i % DEPARTMENTS + 1)),
                due_kind: Set(if due.is_some() {
                    DueKind::Date
                } else {
                    DueKind::None
                }),
                due_on: Set(due),
                due_meeting_id: Set(None),
                completion_note: Set(None),
                cancel_reason: Set(None),
                merged_into_id: Set(None),
                version: Set(2),
                created_at: Set(now),
                updated_at: Set(now),
                confirmed_at: Set((status != TaskStatus::Draft).then_some(now)),
                completed_at: Set(None),
            }
        }))
        .exec(&txn)
        .await?;
        task_evidence::Entity::insert_many(chunk.iter().map(|&i| task_evidence::ActiveModel {
            id: Set(i),
            task_id: Set(i),
            minutes_id: Set(None),
            position: Set(0),
            quote: Set(format!(
                "しっかりと調整をしていただき、次回の本部でまた報告してもらいたいと思います。({i})"
            )),
            span_start: Set(Some(i)),
            span_end: Set(Some(i + 40)),
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
