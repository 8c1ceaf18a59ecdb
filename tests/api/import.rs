//! Importing minutes through `POST /api/v1/minutes`, the import page and
//! `shukudai import`: meeting, minutes text and drafts stored once; unreadable,
//! oversized and over-cap input refused with nothing stored.
use std::collections::BTreeMap;

use reqwest::{StatusCode, multipart};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::Value;
use shukudai::{
    domain::Role,
    minutes::{Directory, analyse},
};

use crate::{
    helpers::{TestApp, expect_problem},
    on_both_backends,
};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/minutes/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub async fn upload_raw(app: &TestApp, token: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(token)
        .header("content-type", "text/plain")
        .body(bytes)
        .send()
        .await
        .expect("upload")
}

async fn draft_total(app: &TestApp, token: &str) -> u64 {
    let page = app.get_ok("/api/v1/tasks?status=draft", token).await;
    page["total"].as_u64().expect("total")
}

async fn imports_once_with_the_extractors_drafts(app: TestApp) {
    app.add_department("総務部情報政策課", &["事務局", "情報政策課"], &[])
        .await;
    app.add_department("市民部", &[], &[]).await;
    let token = app
        .token("jimu", Role::Secretariat, Some("総務部情報政策課"))
        .await;
    let bytes = fixture("iinkai-named.txt");
    let directory = Directory::new(vec![
        (
            "総務部情報政策課".to_owned(),
            vec!["事務局".to_owned(), "情報政策課".to_owned()],
        ),
        ("市民部".to_owned(), vec![]),
    ]);
    let expected = analyse(&bytes, &directory).expect("the fixture is readable");
    assert!(!expected.items.is_empty(), "the fixture has action items");

    let created = upload_raw(&app, &token, bytes.clone()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["already_imported"], false);
    let meeting = &created["meeting"];
    assert_eq!(meeting["held_on"], "2022-12-15");
    assert_eq!(
        meeting["title"],
        expected.meeting.title.clone().expect("title")
    );
    assert_eq!(meeting["minutes"][0]["text"], expected.text);
    assert_eq!(created["drafts_created"], expected.items.len());
    // The meeting gives counts and the link to page through its tasks, not the list.
    assert_eq!(meeting["tasks"]["total"], expected.items.len());
    assert_eq!(meeting["tasks"]["draft"], expected.items.len());
    assert_eq!(meeting["tasks"]["open"], 0);
    let href = meeting["tasks"]["href"].as_str().expect("tasks link");
    assert_eq!(href, format!("/api/v1/tasks?meeting={}", meeting["id"]));
    let listed = app.get_ok(&format!("{href}&page_size=200"), &token).await;
    assert_eq!(listed["total"], expected.items.len());
    let tasks = listed["items"].as_array().expect("tasks");
    assert_eq!(tasks.len(), expected.items.len());
    // The meeting lists tasks by due date; match each extracted item by its span.
    for item in &expected.items {
        let span = serde_json::json!([item.evidence_span[0], item.evidence_span[1]]);
        let task = tasks
            .iter()
            .find(|t| t["evidence"][0]["span"] == span)
            .unwrap_or_else(|| panic!("no draft for {:?}", item.evidence));
        assert_eq!(task["status"], "draft");
        assert_eq!(task["evidence"][0]["quote"], item.evidence);
        assert_eq!(task["summary"], item.summary);
    }
    // Owners the extractor named resolve to configured departments.
    let owned_by_shimin = tasks.iter().filter(|t| t["owner"] == "市民部").count();
    let named_shimin = expected
        .items
        .iter()
        .filter(|i| i.owner.as_deref() == Some("市民部"))
        .count();
    assert_eq!(owned_by_shimin, named_shimin);

    let again = upload_raw(&app, &token, bytes).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["already_imported"], true);
    assert_eq!(again["drafts_created"], 0);
    assert_eq!(again["meeting"]["id"], meeting["id"]);
    assert_eq!(again["meeting"]["tasks"]["total"], expected.items.len());
    assert!(
        again["meeting"]["tasks"].get("items").is_none(),
        "the already-imported answer does not list the tasks"
    );
    assert_eq!(draft_total(&app, &token).await, expected.items.len() as u64);
}

async fn shift_jis_multipart_upload(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let bytes = fixture("sjis-bousai.txt");
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(bytes.clone()).file_name("sjis-bousai.txt"),
    );
    let response = app
        .client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    let expected = analyse(&bytes, &Directory::default()).expect("readable");
    assert_eq!(
        body["meeting"]["minutes"][0]["file_name"],
        "sjis-bousai.txt"
    );
    assert_eq!(body["meeting"]["minutes"][0]["text"], expected.text);
    assert!(expected.text.contains('。'), "decoded from Shift_JIS");
}

/// The minutes row records the encoding the decoder read the file as.
async fn stored_minutes_keep_the_encoding_they_were_read_as(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use shukudai::entities::minutes;
    let token = app.token("jimu", Role::Secretariat, None).await;
    let utf8 = fixture("iinkai-named.txt");
    let text = std::str::from_utf8(&utf8).expect("the fixture is UTF-8");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (bytes, expected) in [
        (utf16, "UTF-16LE"),
        (fixture("sjis-bousai.txt"), "Shift_JIS"),
    ] {
        let response = upload_raw(&app, &token, bytes.clone()).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{expected}");
        let body: Value = response.json().await.expect("json");
        let id = body["minutes_id"].as_i64().expect("minutes id");
        let row = minutes::Entity::find()
            .filter(minutes::Column::Id.eq(i32::try_from(id).expect("id")))
            .one(&app.db)
            .await
            .expect("minutes row")
            .expect("stored");
        assert_eq!(row.encoding, expected);
        let read = analyse(&bytes, &Directory::default()).expect("readable");
        assert_eq!(row.text, read.text);
    }
}

async fn unreadable_input_is_refused_and_nothing_is_stored(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let refused = upload_raw(&app, &token, garbage).await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(!problem["detail"].as_str().unwrap_or_default().is_empty());
    let empty = upload_raw(&app, &token, Vec::new()).await;
    expect_problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    let meetings = app.get_ok("/api/v1/meetings", &token).await;
    assert_eq!(meetings["total"], 0);
}

async fn only_the_secretariat_imports(app: TestApp) {
    app.add_department("市民部", &[], &[]).await;
    let department = app.token("shimin", Role::Department, Some("市民部")).await;
    let refused = upload_raw(&app, &department, fixture("iinkai-named.txt")).await;
    expect_problem(refused, StatusCode::FORBIDDEN).await;
    let anonymous = app
        .client
        .post(app.url("/api/v1/minutes"))
        .body(fixture("iinkai-named.txt"))
        .send()
        .await
        .expect("upload");
    expect_problem(anonymous, StatusCode::UNAUTHORIZED).await;
}

/// The tables an import writes to: all empty after a refused import.
pub const IMPORT_TABLES: [&str; 8] = [
    "body",
    "meeting",
    "minutes",
    "minutes_file",
    "task",
    "task_evidence",
    "task_event",
    "task_note",
];

/// Rows per table, for every table of the schema.
pub async fn row_counts(app: &TestApp) -> BTreeMap<String, i64> {
    let backend = app.db.get_database_backend();
    let list = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    };
    let tables: Vec<String> = app
        .db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .expect("list tables")
        .iter()
        .map(|row| row.try_get::<String>("", "name").expect("table name"))
        .collect();
    assert!(
        IMPORT_TABLES.iter().all(|t| tables.iter().any(|n| n == t)),
        "{tables:?}"
    );
    let mut counts = BTreeMap::new();
    for table in tables {
        let count = format!("SELECT COUNT(*) AS n FROM \"{table}\"");
        let row = app
            .db
            .query_one_raw(Statement::from_string(backend, count))
            .await
            .expect("count")
            .expect("a row");
        counts.insert(table, row.try_get::<i64>("", "n").expect("n"));
    }
    counts
}

/// Asserts that nothing changed since `before` and that no import table has a row.
pub async fn assert_nothing_stored(app: &TestApp, before: &BTreeMap<String, i64>) {
    let after = row_counts(app).await;
    assert_eq!(&after, before, "a refused import changed some table");
    for table in IMPORT_TABLES {
        assert_eq!(after[table], 0, "{table}");
    }
}

/// Minutes in which the extractor finds `n` commitments, one per speech.
pub fn minutes_with_commitments(n: usize) -> Vec<u8> {
    let mut text = String::from(
        "令和4年度第3回さくら市情報化推進委員会 会議録\n\n\
         日時：令和4年12月15日（木）午前10時～午前11時30分\n\
         場所：さくら市役所 本庁舎4階 401会議室\n\
         出席者：委員長、市民部長\n\
         事務局：総務部情報政策課\n\n\
         ◎委員長　ただいまから第3回情報化推進委員会を開会します。\n",
    );
    for k in 1..=n {
        text.push_str(&format!(
            "◆市民部長　市民部では、第{k}地区の窓口の混雑状況を調査し、来週中に結果を共有します。\n"
        ));
    }
    text.push_str("◎委員長　以上で閉会します。\n");
    text.into_bytes()
}

/// A file that yields more drafts than `import.max_drafts` (300 by default) is
/// refused as a whole; one at the cap is imported.
async fn an_over_cap_file_is_refused_and_nothing_is_stored(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let limit = app.settings.import.max_drafts;
    assert_eq!(limit, 300, "the default cap");
    let over = minutes_with_commitments(limit + 1);
    let found = analyse(&over, &Directory::default())
        .expect("readable")
        .items
        .len();
    assert_eq!(found, limit + 1, "one draft per speech");
    let before = row_counts(&app).await;

    let refused = upload_raw(&app, &token, over).await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.contains("301") && detail.contains("300"), "{detail}");
    assert!(detail.contains("import.max_drafts"), "{detail}");
    assert_nothing_stored(&app, &before).await;

    let at_cap = upload_raw(&app, &token, minutes_with_commitments(limit)).await;
    assert_eq!(at_cap.status(), StatusCode::CREATED);
    let at_cap: Value = at_cap.json().await.expect("json");
    assert_eq!(at_cap["drafts_created"], limit);
    assert_eq!(at_cap["meeting"]["tasks"]["total"], limit);
}

/// The import page says why an over-cap file was refused, and stores nothing of it.
async fn the_import_page_names_the_cap(app: TestApp) {
    app.add_user("jimu", Role::Secretariat, None).await;
    let browser = crate::web::sign_in(&app, "jimu").await;
    let page = browser
        .get(app.url("/import"))
        .send()
        .await
        .expect("import page")
        .text()
        .await
        .expect("html");
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("a csrf field") + marker.len();
    let csrf = page[start..].split('"').next().expect("value").to_owned();
    let before = row_counts(&app).await;
    let form = multipart::Form::new().text("csrf", csrf).part(
        "file",
        multipart::Part::bytes(minutes_with_commitments(301)).file_name("長い会議録.txt"),
    );
    let response = browser
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("長い会議録.txt"), "{html}");
    assert!(html.contains("上限 300 件"), "{html}");
    assert_nothing_stored(&app, &before).await;
}

/// `shukudai import` against the app's database, from the app's temporary folder.
pub fn import_command(app: &TestApp) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_shukudai"));
    command
        .arg("import")
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("RUST_LOG", "warn");
    command
}

/// The command line has the API's size limit and draft cap, and says which
/// file it refused and why.
async fn the_cli_refuses_oversized_and_over_cap_files(app: TestApp) {
    let dir = app.settings.mail.file_dir.parent().expect("temp dir");
    let named = dir.join("iinkai-named.txt");
    std::fs::write(&named, fixture("iinkai-named.txt")).expect("write");
    let long = dir.join("long.txt");
    std::fs::write(&long, minutes_with_commitments(301)).expect("write");
    let before = row_counts(&app).await;

    let size = fixture("iinkai-named.txt").len();
    let output = import_command(&app)
        .arg(&named)
        .env("SHUKUDAI__SERVER__MAX_UPLOAD_BYTES", "1000")
        .output()
        .await
        .expect("run import");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success(), "{said}");
    assert!(said.contains(&named.display().to_string()), "{said}");
    assert!(said.contains(&format!("{size} バイト")), "{said}");
    assert!(said.contains("上限 1000 バイト"), "{said}");
    assert!(said.contains("server.max_upload_bytes"), "{said}");

    let output = import_command(&app)
        .arg(&long)
        .output()
        .await
        .expect("run import");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success(), "{said}");
    assert!(said.contains(&long.display().to_string()), "{said}");
    assert!(
        said.contains("301 件") && said.contains("上限 300 件"),
        "{said}"
    );
    assert_nothing_stored(&app, &before).await;

    // Within both bounds the same file goes in.
    let output = import_command(&app)
        .arg(&named)
        .output()
        .await
        .expect("run import");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(row_counts(&app).await["minutes"], 1);
}

on_both_backends!(
    an_over_cap_file_is_refused_and_nothing_is_stored,
    the_import_page_names_the_cap,
    the_cli_refuses_oversized_and_over_cap_files,
    imports_once_with_the_extractors_drafts,
    shift_jis_multipart_upload,
    stored_minutes_keep_the_encoding_they_were_read_as,
    unreadable_input_is_refused_and_nothing_is_stored,
    only_the_secretariat_imports
);
