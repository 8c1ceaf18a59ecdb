//! Minutes from Word and PDF through the API and the command line: the same
//! drafts as from the text they were made from, the decoded text stored with
//! the original file beside it, and a scanned PDF refused with nothing stored.
use std::collections::BTreeMap;

use reqwest::{StatusCode, multipart};
use serde_json::Value;
use sha2::{Digest, Sha256};
use shukudai::{domain::Role, minutes::document::to_text};

use crate::{
    helpers::{TestApp, expect_problem},
    import::{assert_nothing_stored, import_command, row_counts},
    on_both_backends,
};

/// Minutes the fixtures hold as .txt, .docx and .pdf (see tests/fixtures/documents).
const STEM: &str = "kyoiku-iinkai-teireikai";

fn document(name: &str) -> Vec<u8> {
    let dir = if name.ends_with(".txt") {
        "minutes"
    } else {
        "documents"
    };
    let path = format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn no_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn upload(app: &TestApp, token: &str, name: &str) -> reqwest::Response {
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(document(name)).file_name(name.to_owned()),
    );
    app.client
        .post(app.url("/api/v1/minutes"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// What a draft owes to its file: the evidence (its whitespace is layout), the
/// summary, speaker, extracted owner, kind and due date.
type Draft = (String, String, Value, Value, Value, Value, Value);

/// The drafts of meeting `meeting`, per minutes file (by file name), in the
/// order they were extracted.
async fn drafts_per_file(
    app: &TestApp,
    token: &str,
    meeting: &Value,
) -> BTreeMap<String, Vec<Draft>> {
    let detail = app
        .get_ok(&format!("/api/v1/meetings/{meeting}"), token)
        .await;
    let names: BTreeMap<i64, String> = detail["minutes"]
        .as_array()
        .expect("minutes")
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().expect("id"),
                m["file_name"].as_str().expect("name").to_owned(),
            )
        })
        .collect();
    let href = detail["tasks"]["href"].as_str().expect("tasks link");
    let total = detail["tasks"]["total"].as_u64().expect("total");
    let mut tasks: Vec<Value> = Vec::new();
    for page in 1.. {
        let listed = app
            .get_ok(&format!("{href}&page_size=200&page={page}"), token)
            .await;
        let items = listed["items"].as_array().expect("items").clone();
        if items.is_empty() {
            break;
        }
        tasks.extend(items);
    }
    assert_eq!(tasks.len() as u64, total);
    tasks.sort_by_key(|t| t["id"].as_i64());
    let mut per_file: BTreeMap<String, Vec<Draft>> = BTreeMap::new();
    for t in tasks {
        let minutes_id = t["minutes_id"].as_i64().expect("from a minutes file");
        per_file
            .entry(names[&minutes_id].clone())
            .or_default()
            .push((
                no_spaces(t["evidence"][0]["quote"].as_str().expect("quote")),
                no_spaces(t["summary"].as_str().expect("summary")),
                t["speaker"].clone(),
                t["suggested_owner"].clone(),
                t["kind"].clone(),
                t["due_kind"].clone(),
                t["due_on"].clone(),
            ));
    }
    per_file
}

fn assert_same_drafts(per_file: &BTreeMap<String, Vec<Draft>>) {
    let text = &per_file[&format!("{STEM}.txt")];
    assert!(!text.is_empty(), "the text yields drafts");
    for ext in ["docx", "pdf"] {
        let name = format!("{STEM}.{ext}");
        assert_eq!(&per_file[&name], text, "{name}: other drafts than the text");
    }
}

/// The stored text of each file is its decoded text, which the evidence spans
/// point into; the original comes back byte for byte with its type and digest.
async fn word_and_pdf_import_the_drafts_of_the_text(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let mut meeting = Value::Null;
    for (ext, content_type) in [
        ("txt", "text/plain; charset=utf-8"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("pdf", "application/pdf"),
    ] {
        let name = format!("{STEM}.{ext}");
        let bytes = document(&name);
        let response = upload(&app, &token, &name).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
        let body: Value = response.json().await.expect("json");
        meeting = body["meeting"]["id"].clone();
        let minutes = body["meeting"]["minutes"]
            .as_array()
            .expect("minutes")
            .iter()
            .find(|m| m["id"] == body["minutes_id"])
            .expect("the new minutes")
            .clone();
        let decoded = to_text(&bytes, Some(&name)).expect("convertible").text;
        let parsed = shukudai::minutes::parse(&decoded).text;
        assert_eq!(
            minutes["text"], parsed,
            "{name}: the decoded text is stored"
        );
        let sha256 = hex::encode(Sha256::digest(&bytes));
        assert_eq!(minutes["sha256"], sha256);
        assert_eq!(minutes["original"]["content_type"], content_type);
        assert_eq!(minutes["original"]["size_bytes"], bytes.len());

        let href = minutes["original"]["href"].as_str().expect("download link");
        let download = app.get(href, &token).await;
        assert_eq!(download.status(), StatusCode::OK);
        let header = |name: &str| {
            download
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), content_type);
        assert!(header("content-disposition").contains(&name));
        let digest = header("repr-digest");
        let body = download.bytes().await.expect("file");
        assert_eq!(hex::encode(Sha256::digest(&body)), sha256, "{name}");
        assert_eq!(body.as_ref(), bytes.as_slice());
        use base64::Engine;
        let expected_digest =
            base64::engine::general_purpose::STANDARD.encode(hex::decode(&sha256).expect("hex"));
        assert_eq!(digest, format!("sha-256=:{expected_digest}:"));
    }
    let per_file = drafts_per_file(&app, &token, &meeting).await;
    assert_eq!(per_file.len(), 3, "one minutes row per file");
    assert_same_drafts(&per_file);

    // Every evidence span points into the stored text of its own file.
    let detail = app
        .get_ok(&format!("/api/v1/meetings/{meeting}"), &token)
        .await;
    let listed = app
        .get_ok(
            &format!("/api/v1/tasks?meeting={meeting}&page_size=200"),
            &token,
        )
        .await;
    for task in listed["items"].as_array().expect("items") {
        let evidence = &task["evidence"][0];
        let text: Vec<char> = detail["minutes"]
            .as_array()
            .expect("minutes")
            .iter()
            .find(|m| m["id"] == evidence["minutes_id"])
            .and_then(|m| m["text"].as_str())
            .expect("the task's minutes")
            .chars()
            .collect();
        let start = evidence["span"][0].as_u64().expect("start") as usize;
        let end = evidence["span"][1].as_u64().expect("end") as usize;
        assert!(start < end && end <= text.len(), "{evidence}");
        let quoted: String = text[start..end].iter().collect();
        assert_eq!(
            no_spaces(&quoted),
            no_spaces(evidence["quote"].as_str().expect("quote")),
            "span {start}..{end} of minutes {}",
            evidence["minutes_id"]
        );
    }

    // Minutes without a kept original answer 404 for it.
    let missing = app.get("/api/v1/minutes/999999/original", &token).await;
    expect_problem(missing, StatusCode::NOT_FOUND).await;
}

/// A scan has no text: refused with the advice to run OCR, and nothing stored;
/// so is a password-protected PDF.
async fn a_scanned_pdf_is_refused_with_the_ocr_message(app: TestApp) {
    let token = app.token("jimu", Role::Secretariat, None).await;
    let before = row_counts(&app).await;
    let refused = upload(&app, &token, "scanned.pdf").await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.contains("OCR"), "{detail}");
    assert!(detail.contains("スキャン"), "{detail}");
    let refused = upload(&app, &token, "password.pdf").await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("パスワード")),
        "{problem}"
    );
    assert_nothing_stored(&app, &before).await;
}

/// `shukudai import` reads Word and PDF the way the API does.
async fn the_cli_imports_word_and_pdf_like_text(app: TestApp) {
    let dir = app.settings.mail.file_dir.parent().expect("temp dir");
    let files: Vec<_> = ["txt", "docx", "pdf", "scanned"]
        .iter()
        .map(|ext| {
            let name = if *ext == "scanned" {
                "scanned.pdf".to_owned()
            } else {
                format!("{STEM}.{ext}")
            };
            let path = dir.join(&name);
            std::fs::write(&path, document(&name)).expect("write");
            path
        })
        .collect();
    let output = import_command(&app)
        .args(&files)
        .output()
        .await
        .expect("run import");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success(), "the scan fails: {said}");
    assert!(
        said.contains("1 of 4 files could not be imported"),
        "{said}"
    );
    let scan_line = said
        .lines()
        .find(|l| l.contains("scanned.pdf"))
        .unwrap_or_else(|| panic!("no line for the scan: {said}"));
    assert!(
        scan_line.contains("失敗") && scan_line.contains("OCR"),
        "{scan_line}"
    );

    let token = app.token("jimu", Role::Secretariat, None).await;
    let meetings = app.get_ok("/api/v1/meetings", &token).await;
    assert_eq!(meetings["total"], 1, "one meeting from the three files");
    let meeting = meetings["items"][0]["id"].clone();
    let per_file = drafts_per_file(&app, &token, &meeting).await;
    assert_eq!(per_file.len(), 3, "{:?}", per_file.keys());
    assert_same_drafts(&per_file);
}

/// The spec documents the upload's refusals, the download, and the meeting's
/// task counts with their link instead of a list.
async fn the_spec_documents_uploads_downloads_and_task_counts(app: TestApp) {
    let spec = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("json");
    let upload = &spec["paths"]["/api/v1/minutes"]["post"];
    for status in ["201", "200", "413", "422"] {
        assert!(upload["responses"][status].is_object(), "POST {status}");
    }
    assert!(
        upload["requestBody"]["content"]["multipart/form-data"].is_object(),
        "{upload}"
    );
    let download = &spec["paths"]["/api/v1/minutes/{id}/original"]["get"];
    assert!(download["responses"]["200"]["content"]["application/pdf"].is_object());
    // The answer itself, or the shared one it refers to.
    let not_found = &download["responses"]["404"];
    let not_found = match not_found["$ref"].as_str() {
        Some(path) => &spec["components"]["responses"][path.rsplit('/').next().unwrap_or("")],
        None => not_found,
    };
    assert!(
        not_found["content"]["application/problem+json"].is_object(),
        "{download}"
    );
    let schemas = &spec["components"]["schemas"];
    assert!(schemas["MeetingTasks"]["properties"]["href"].is_object());
    assert_eq!(
        schemas["MeetingDetail"]["allOf"][1]["properties"]["tasks"]["$ref"],
        "#/components/schemas/MeetingTasks",
        "{}",
        schemas["MeetingDetail"]
    );
}

on_both_backends!(
    the_spec_documents_uploads_downloads_and_task_counts,
    word_and_pdf_import_the_drafts_of_the_text,
    a_scanned_pdf_is_refused_with_the_ocr_message,
    the_cli_imports_word_and_pdf_like_text,
);
