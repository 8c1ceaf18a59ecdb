//! The one harness every integration test uses: the real app on port 0 with a
//! fresh database (a temporary SQLite file, or a new PostgreSQL database).
use std::{path::PathBuf, sync::Arc};

use chrono::{DateTime, TimeZone, Utc};
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use shukudai::{
    accounts::{NewUser, UserStore},
    app::{AppState, Application},
    clock::ManualClock,
    config::Settings,
    db,
    departments::{Departments, NewDepartment},
    domain::{DepartmentName, Login, Password, Role},
};
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named scenario `async fn name(app: TestApp)` once on SQLite and once on
/// PostgreSQL (when `TEST_POSTGRES_URL` is set; CI always sets it).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                    super::$name(app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(app) = $crate::helpers::TestApp::spawn_postgres().await else { return };
                    super::$name(app).await;
                }
            )+
        }
    };
}

pub const PASSWORD: &str = "correct horse battery";

#[allow(dead_code)] // fields for the scenarios that need them
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db: DatabaseConnection,
    pub db_url: String,
    pub settings: Arc<Settings>,
    pub clock: ManualClock,
    pub backend: Backend,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
    }
}

/// The instant tests start at unless they move the clock: Monday 2026-11-16 10:00 JST.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 1, 0, 0)
        .single()
        .expect("valid instant")
}

pub fn postgres_base_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A new, empty PostgreSQL database; its URL.
pub async fn fresh_postgres_database(base_url: &str) -> String {
    let admin = Database::connect(base_url)
        .await
        .expect("TEST_POSTGRES_URL is set but the server is not reachable");
    let name = format!("shukudai_t_{}_{}", std::process::id(), rand_suffix());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    admin.close().await.ok();
    replace_database_name(base_url, &name)
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{nanos}_{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn replace_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let prefix = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::spawn_with(backend, None, |_| {}).await,
            Backend::Postgres => Self::spawn_postgres()
                .await
                .expect("TEST_POSTGRES_URL must be set for a PostgreSQL test"),
        }
    }

    /// None (and a note on stderr) when no PostgreSQL is configured.
    pub async fn spawn_postgres() -> Option<Self> {
        let Some(base) = postgres_base_url() else {
            eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL variant");
            return None;
        };
        let url = fresh_postgres_database(&base).await;
        Some(Self::spawn_with(Backend::Postgres, Some(url), |_| {}).await)
    }

    /// Spawns with settings adjusted by `configure` (database URL already set).
    pub async fn spawn_with(
        backend: Backend,
        database_url: Option<String>,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        init_test_logging();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::defaults().expect("default settings");
        settings.database.url =
            database_url.unwrap_or_else(|| sqlite_url(dir.path().join("test.db")));
        settings.database.max_connections = 5;
        settings.server.listen = "127.0.0.1:0".parse().expect("address");
        settings.mail.file_dir = dir.path().join("mail");
        settings.reminders.enabled = false;
        configure(&mut settings);
        let db = db::connect_and_migrate(&settings.database)
            .await
            .expect("connect and migrate");
        let clock = ManualClock::new(default_now());
        let settings = Arc::new(settings);
        let state = AppState::new(db.clone(), settings.clone(), Arc::new(clock.clone()));
        let app = Application::bind(settings.server.listen, state)
            .await
            .expect("bind");
        let address = format!("http://{}", app.local_addr().expect("local addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Self {
            address,
            client: Client::new(),
            db_url: settings.database.url.clone(),
            db,
            settings,
            clock,
            backend,
            shutdown: Some(stop),
            _dir: dir,
        }
    }

    /// A second instance of the app on this one's database, as when several
    /// `shukudai serve` share it.
    pub async fn spawn_sharing(&self) -> Self {
        Self::spawn_with(self.backend, Some(self.db_url.clone()), |_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn add_department(&self, name: &str, aliases: &[&str], emails: &[&str]) -> i32 {
        let aliases: Vec<String> = aliases.iter().map(|s| s.to_string()).collect();
        let emails: Vec<String> = emails.iter().map(|s| s.to_string()).collect();
        let new = NewDepartment::parse(name, None, &aliases, &emails).expect("valid department");
        Departments::new(self.db.clone())
            .add(new, self.clock_now())
            .await
            .expect("add department")
            .id
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        use shukudai::clock::Clock;
        self.clock.now()
    }

    /// The clock's instant in the configured time zone, as a request sees it.
    pub fn moment(&self) -> shukudai::clock::Moment {
        shukudai::clock::Moment::new(self.clock_now(), self.settings.time_zone())
    }

    /// Creates a user with [`PASSWORD`].
    pub async fn add_user(&self, login: &str, role: Role, department: Option<&str>) -> i32 {
        UserStore::new(self.db.clone())
            .create(
                NewUser {
                    login: Login::parse(login).expect("login"),
                    display_name: format!("{login} さん"),
                    email: format!("{login}@example.jp"),
                    role,
                    department: department.map(|d| DepartmentName::parse(d).expect("name")),
                    password: Password::parse(PASSWORD).expect("password"),
                },
                self.clock_now(),
            )
            .await
            .expect("add user")
    }

    /// A bearer token for a new user with the given role.
    pub async fn token(&self, login: &str, role: Role, department: Option<&str>) -> String {
        self.add_user(login, role, department).await;
        UserStore::new(self.db.clone())
            .issue_api_token(login, self.clock_now())
            .await
            .expect("token")
    }

    /// A client with a cookie store, signed in as `login`.
    pub async fn session_client(&self, login: &str, password: &str) -> (Client, Response) {
        let client = Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let response = client
            .post(self.url("/api/v1/session"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect("login request");
        (client, response)
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }
}

/// Logs (errors by default, `RUST_LOG` for more) go to the test's captured output.
fn init_test_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

pub fn sqlite_url(path: PathBuf) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Asserts the status and that the body is a problem document; returns it.
pub async fn expect_problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status.as_u16());
    body
}

// ---- tasks and meetings (issue 4) ----

/// A draft as the extractor would hand it over.
pub fn draft(
    summary: &str,
    owner: Option<&str>,
    due_kind: shukudai::domain::DueKind,
    due_on: Option<&str>,
    quote: &str,
    span: Option<(i32, i32)>,
) -> shukudai::tasks::NewDraft {
    shukudai::tasks::NewDraft {
        summary: summary.to_owned(),
        kind: shukudai::domain::TaskKind::Request,
        speaker: Some("本部長".to_owned()),
        confidence: 0.8,
        suggested_owner: owner.map(str::to_owned),
        due_kind,
        due_on: due_on.map(|d| d.parse().expect("date")),
        evidence: Some(shukudai::tasks::NewEvidence {
            quote: quote.to_owned(),
            span,
        }),
    }
}

impl TestApp {
    /// A held meeting of `body` on `held_on` (as the importer records it): (body id, meeting id).
    pub async fn seed_meeting(&self, body: &str, held_on: &str) -> (i32, i32) {
        let meeting = shukudai::meetings::record_held_meeting_in(
            &self.db,
            &shukudai::meetings::HeldMeeting {
                body: body.to_owned(),
                title: format!("{body} {held_on}"),
                held_on: held_on.parse().expect("date"),
                starts_at: Some("15:00".to_owned()),
                ends_at: Some("16:00".to_owned()),
                place: Some("庁議室".to_owned()),
            },
            self.clock_now(),
        )
        .await
        .expect("record meeting");
        (meeting.body_id, meeting.id)
    }

    /// Stores drafts through the importer's service function; their ids.
    pub async fn seed_drafts(
        &self,
        meeting_id: i32,
        drafts: Vec<shukudai::tasks::NewDraft>,
    ) -> Vec<i32> {
        shukudai::tasks::create_drafts(
            &self.db,
            &shukudai::tasks::Actor::system("test import"),
            meeting_id,
            None,
            drafts,
            self.moment(),
        )
        .await
        .expect("create drafts")
    }

    /// Sends `body` as JSON with an optional `If-Match`.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send().await.expect("request")
    }

    /// GET as JSON, asserting 200.
    pub async fn get_ok(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }
}

// ---- reminders: typed seeding helpers (meetings and tasks inserted directly) ----

#[allow(dead_code)]
impl TestApp {
    /// A body (会議体), e.g. 本部会議.
    pub async fn seed_body(&self, name: &str) -> i32 {
        use sea_orm::{ActiveModelTrait, Set};
        shukudai::entities::body::ActiveModel {
            name: Set(name.to_owned()),
            secretariat_department_id: Set(None),
            created_at: Set(self.clock_now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("seed body")
        .id
    }

    /// A meeting of `body` on `held_on` with status `scheduled` or `held`.
    pub async fn seed_meeting_on(
        &self,
        body: i32,
        title: &str,
        held_on: chrono::NaiveDate,
        status: &str,
    ) -> i32 {
        use sea_orm::{ActiveModelTrait, Set};
        shukudai::entities::meeting::ActiveModel {
            body_id: Set(body),
            title: Set(title.to_owned()),
            held_on: Set(held_on),
            starts_at: Set(Some("10:00".to_owned())),
            ends_at: Set(None),
            place: Set(None),
            status: Set(status.parse().expect("a meeting status")),
            created_at: Set(self.clock_now()),
            updated_at: Set(self.clock_now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("seed meeting")
        .id
    }

    /// Moves a meeting to another date.
    pub async fn reschedule_meeting(&self, meeting: i32, held_on: chrono::NaiveDate) {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let row = shukudai::entities::meeting::Entity::find_by_id(meeting)
            .one(&self.db)
            .await
            .expect("find meeting")
            .expect("meeting exists");
        let mut row = row.into_active_model();
        row.held_on = Set(held_on);
        row.update(&self.db).await.expect("reschedule");
    }

    /// An open task from `meeting` owned by `department`, due on `due_on`
    /// (`due_kind` date) or bound to `due_meeting` (`next_meeting`).
    pub async fn seed_open_task(
        &self,
        meeting: i32,
        department: i32,
        summary: &str,
        due_on: Option<chrono::NaiveDate>,
        due_meeting: Option<i32>,
    ) -> i32 {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let body_id = shukudai::entities::meeting::Entity::find_by_id(meeting)
            .one(&self.db)
            .await
            .expect("find meeting")
            .expect("meeting exists")
            .body_id;
        use shukudai::domain::{DueKind, TaskKind, TaskStatus};
        let due_kind = match (due_on, due_meeting) {
            (_, Some(_)) => DueKind::NextMeeting,
            (Some(_), None) => DueKind::Date,
            (None, None) => DueKind::None,
        };
        shukudai::entities::task::ActiveModel {
            body_id: Set(body_id),
            meeting_id: Set(meeting),
            minutes_id: Set(None),
            status: Set(TaskStatus::Open),
            summary: Set(summary.to_owned()),
            kind: Set(TaskKind::Request),
            speaker: Set(None),
            confidence: Set(1.0),
            suggested_owner: Set(None),
            owner_department_id: Set(Some(department)),
            due_kind: Set(due_kind),
            due_on: Set(due_on),
            due_meeting_id: Set(due_meeting),
            completion_note: Set(None),
            cancel_reason: Set(None),
            merged_into_id: Set(None),
            version: Set(1),
            created_at: Set(self.clock_now()),
            updated_at: Set(self.clock_now()),
            confirmed_at: Set(Some(self.clock_now())),
            completed_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("seed task")
        .id
    }

    /// Sets the locale of a department's recipient address.
    pub async fn set_recipient_locale(&self, email: &str, locale: &str) {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        shukudai::entities::department_recipient::Entity::update_many()
            .col_expr(
                shukudai::entities::department_recipient::Column::Locale,
                Expr::value(locale),
            )
            .filter(shukudai::entities::department_recipient::Column::Email.eq(email))
            .exec(&self.db)
            .await
            .expect("set locale");
    }
}

/// A date, for seeding.
#[allow(dead_code)]
pub fn ymd(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// An instant given as local Japan time.
#[allow(dead_code)]
pub fn jst(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid JST instant")
        .with_timezone(&Utc)
}
