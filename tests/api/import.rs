//! Importing minutes through `POST /api/v1/minutes`: meeting, minutes text and
//! drafts stored once; unreadable input refused with nothing stored.
use reqwest::{StatusCode, multipart};
use serde_json::Value;
use shukudai::{
    domain::Role,
    minutes::{Directory, analyse},
};

use crate::{
    helpers::{TestApp, expect_problem},
    on_both_backends,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/minutes/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn upload_raw(app: &TestApp, token: &str, bytes: Vec<u8>) -> reqwest::Response {
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
    let tasks = meeting["tasks"].as_array().expect("tasks");
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
    assert_eq!(again["meeting"]["id"], meeting["id"]);
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

on_both_backends!(
    imports_once_with_the_extractors_drafts,
    shift_jis_multipart_upload,
    stored_minutes_keep_the_encoding_they_were_read_as,
    unreadable_input_is_refused_and_nothing_is_stored,
    only_the_secretariat_imports
);
