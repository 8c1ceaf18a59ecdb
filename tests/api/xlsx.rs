//! The task list as an Excel workbook, read back with calamine (cells and their
//! types) and as the package's XML (page setup), on both backends.
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shukudai::domain::Role;

use crate::{
    helpers::{TestApp, expect_problem, ymd},
    on_both_backends,
};

const HEADER: [&str; 10] = [
    "No",
    "宿題",
    "担当部署",
    "期限",
    "状態",
    "最新の進捗",
    "完了報告",
    "完了日",
    "会議",
    "根拠",
];

struct Seeded {
    secretariat: String,
    dated: i32,
    hostile: i32,
    done: i32,
}

async fn seed(app: &TestApp) -> Seeded {
    let kumin = app
        .add_department("区民部", &[], &["kumin@example.jp"])
        .await;
    app.add_department("政策経営部", &["事務局"], &["jimu@example.jp"])
        .await;
    let secretariat = app
        .token("jimu", Role::Secretariat, Some("政策経営部"))
        .await;
    let member = app.token("kumin", Role::Department, Some("区民部")).await;
    let (_, meeting) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    let dated = app
        .seed_open_task(
            meeting,
            kumin,
            "会議室のWi-Fiを調査する",
            Some(ymd(2026, 12, 14)),
            None,
        )
        .await;
    let hostile = app
        .seed_open_task(
            meeting,
            kumin,
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            None,
            None,
        )
        .await;
    let done = app
        .seed_open_task(
            meeting,
            kumin,
            "RPAの結果を報告する",
            Some(ymd(2026, 11, 20)),
            None,
        )
        .await;
    for (id, body) in [(dated, "業者と調整中"), (dated, "見積りを依頼した")] {
        let note = app
            .send_json(
                Method::POST,
                &format!("/api/v1/tasks/{id}/notes"),
                &member,
                &json!({"body": body}),
                None,
            )
            .await;
        assert_eq!(note.status(), StatusCode::CREATED);
    }
    let completed = app
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{done}/complete"),
            &member,
            &json!({"note": "+12月の本部で報告済み"}),
            None,
        )
        .await;
    assert!(completed.status().is_success(), "{}", completed.status());
    Seeded {
        secretariat,
        dated,
        hostile,
        done,
    }
}

async fn download(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .contains(".xlsx")
    );
    response.bytes().await.expect("bytes").to_vec()
}

fn sheet(bytes: &[u8]) -> (Vec<Vec<Data>>, Vec<(String, String)>) {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx package");
    assert_eq!(workbook.sheet_names(), ["宿題一覧"]);
    let names = workbook.defined_names().to_vec();
    let range = workbook.worksheet_range("宿題一覧").expect("the sheet");
    (range.rows().map(|r| r.to_vec()).collect(), names)
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, got {other:?}"),
    }
}

fn date(cell: &Data) -> chrono::NaiveDate {
    match cell {
        Data::DateTime(d) => d.as_datetime().expect("a date").date(),
        other => panic!("expected an Excel date, got {other:?}"),
    }
}

fn row_of(rows: &[Vec<Data>], id: i32) -> &Vec<Data> {
    rows.iter()
        .find(|r| matches!(r[0], Data::Float(n) if n == f64::from(id)))
        .unwrap_or_else(|| panic!("task {id} is listed"))
}

async fn workbook_has_the_columns_dates_and_notes(app: TestApp) {
    let s = seed(&app).await;
    let bytes = download(&app, "/api/v1/tasks.xlsx", &s.secretariat).await;
    let (rows, names) = sheet(&bytes);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, HEADER);
    assert_eq!(rows.len(), 4, "the header and three tasks");

    let dated = row_of(&rows, s.dated);
    assert_eq!(text(&dated[1]), "会議室のWi-Fiを調査する");
    assert_eq!(text(&dated[2]), "区民部");
    assert_eq!(date(&dated[3]), ymd(2026, 12, 14));
    assert_eq!(text(&dated[4]), "対応中");
    assert_eq!(text(&dated[5]), "見積りを依頼した", "the newest note");
    assert_eq!(text(&dated[7]), "");
    assert_eq!(text(&dated[8]), "行政情報化推進本部 2026-11-02");

    let done = row_of(&rows, s.done);
    assert_eq!(text(&done[4]), "完了");
    assert_eq!(
        text(&done[6]),
        "'+12月の本部で報告済み",
        "a completion report starting with + is neutralised"
    );
    assert_eq!(date(&done[7]), app.moment().today());

    let hostile = row_of(&rows, s.hostile);
    assert_eq!(
        text(&hostile[1]),
        "'=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(text(&hostile[3]), "期限なし");

    let print_area = names
        .iter()
        .find(|(name, _)| name == "_xlnm.Print_Area")
        .map(|(_, range)| range.as_str());
    assert_eq!(print_area, Some("宿題一覧!$A$1:$J$4"));
    let titles = names
        .iter()
        .find(|(name, _)| name == "_xlnm.Print_Titles")
        .map(|(_, range)| range.as_str());
    assert_eq!(
        titles,
        Some("宿題一覧!$1:$1"),
        "the header repeats on each page"
    );

    let xml = sheet_xml(&bytes);
    assert!(xml.contains("paperSize=\"9\""), "A4: {xml}");
    assert!(xml.contains("orientation=\"landscape\""), "{xml}");
    assert!(xml.contains("fitToHeight=\"0\""), "one page wide: {xml}");
    assert!(xml.contains("&amp;P / &amp;N"), "page numbers: {xml}");
    assert!(xml.contains("<autoFilter ref=\"A1:J4\""), "{xml}");
}

async fn workbook_follows_the_list_filters_and_permissions(app: TestApp) {
    let s = seed(&app).await;
    let open = download(&app, "/api/v1/tasks.xlsx?status=open", &s.secretariat).await;
    let (rows, _) = sheet(&open);
    assert_eq!(rows.len(), 3, "the header and the two open tasks");
    assert!(rows[1..].iter().all(|r| text(&r[4]) == "対応中"));

    let anonymous = app
        .client
        .get(app.url("/api/v1/tasks.xlsx"))
        .send()
        .await
        .expect("request");
    expect_problem(anonymous, StatusCode::UNAUTHORIZED).await;
    let bad = app
        .get("/api/v1/tasks.xlsx?status=nonsense", &s.secretariat)
        .await;
    assert!(bad.status().is_client_error(), "{}", bad.status());
}

fn sheet_xml(bytes: &[u8]) -> String {
    let mut package = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    package
        .by_name("xl/worksheets/sheet1.xml")
        .expect("the sheet part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    xml
}

on_both_backends!(
    workbook_has_the_columns_dates_and_notes,
    workbook_follows_the_list_filters_and_permissions,
);
