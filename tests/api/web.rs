//! The server-rendered pages through HTTP: login with CSRF, role-gated pages.
use reqwest::{Client, StatusCode, redirect::Policy};
use shukudai::domain::Role;

use crate::{
    helpers::{PASSWORD, TestApp},
    on_both_backends,
};

pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// The value of a hidden `csrf` input in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

pub async fn sign_in(app: &TestApp, login: &str) -> Client {
    let client = browser();
    let form = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let csrf = csrf_in(&form.text().await.expect("html"));
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("login", login),
            ("password", PASSWORD),
            ("next", "/dashboard"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

async fn pages_need_a_session_and_forms_need_csrf(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    let anonymous = browser()
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers()["location"].to_str().expect("location"),
        "/login?next=/dashboard"
    );

    let client = browser();
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    assert!(page.text().await.expect("html").contains("ログイン"));
    let forged = client
        .post(app.url("/login"))
        .form(&[
            ("login", "admin"),
            ("password", PASSWORD),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let form = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let csrf = csrf_in(&form.text().await.expect("html"));
    let wrong = client
        .post(app.url("/login"))
        .form(&[
            ("login", "admin"),
            ("password", "wrong password"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("ログインIDまたはパスワードが違います")
    );

    let admin = sign_in(&app, "admin").await;
    let dashboard = admin
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::OK);
    let html = dashboard.text().await.expect("html");
    assert!(
        html.contains("admin さん"),
        "the header shows who is signed in"
    );
    let csrf = csrf_in(&html);

    let without_token = admin
        .post(app.url("/admin/departments"))
        .form(&[("name", "区民部")])
        .send()
        .await
        .expect("post");
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
    let added = admin
        .post(app.url("/admin/departments"))
        .form(&[
            ("name", "区民部"),
            ("aliases", "区民"),
            ("emails", "kumin@example.jp"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let listing = admin
        .get(app.url("/admin"))
        .send()
        .await
        .expect("admin")
        .text()
        .await
        .expect("html");
    assert!(listing.contains("kumin@example.jp"));

    let duplicate = admin
        .post(app.url("/admin/departments"))
        .form(&[("name", "区民部"), ("csrf", &csrf)])
        .send()
        .await
        .expect("post");
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate
            .text()
            .await
            .expect("html")
            .contains("already exists")
    );
}

async fn department_users_do_not_see_admin_pages(app: TestApp) {
    app.add_department("区民部", &[], &[]).await;
    app.add_user("kumin", Role::Department, Some("区民部"))
        .await;
    let client = sign_in(&app, "kumin").await;
    let html = client
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("href=\"/admin\""),
        "the admin link is not shown"
    );
    assert!(
        !html.contains("href=\"/import\""),
        "the import link is not shown"
    );
    let admin = client.get(app.url("/admin")).send().await.expect("admin");
    assert_eq!(admin.status(), StatusCode::FORBIDDEN);
    let csrf = csrf_in(&html);
    let post = client
        .post(app.url("/admin/users"))
        .form(&[
            ("login", "x"),
            ("name", "x"),
            ("email", "x@example.jp"),
            ("role", "admin"),
            ("password", "long enough"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let users = shukudai::accounts::UserStore::new(app.db.clone())
        .list()
        .await
        .expect("users");
    assert_eq!(users.len(), 1, "nothing was created");
}

async fn english_is_one_click_away(app: TestApp) {
    app.add_user("admin", Role::Admin, None).await;
    let client = sign_in(&app, "admin").await;
    let switched = client
        .get(app.url("/lang/en?back=/dashboard"))
        .send()
        .await
        .expect("switch");
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    let html = client
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Dashboard"));
}

/// A form post with the page's CSRF token; the response, not followed.
async fn post_form(
    app: &TestApp,
    client: &Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = client
        .get(app.url(page))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&html);
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &csrf));
    client
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .expect("post")
}

async fn review_confirm_merge_reject_and_department_work(app: TestApp) {
    use shukudai::domain::DueKind;
    app.add_department("政策経営部情報管理課", &["事務局"], &[])
        .await;
    app.add_department("区民部", &[], &[]).await;
    app.add_department("教育部", &[], &[]).await;
    app.add_user("jimu", Role::Secretariat, Some("政策経営部情報管理課"))
        .await;
    app.add_user("kumin", Role::Department, Some("区民部"))
        .await;
    app.add_user("kyoiku", Role::Department, Some("教育部"))
        .await;
    let (_, meeting) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    let ids = app
        .seed_drafts(
            meeting,
            vec![
                crate::helpers::draft(
                    "Wi-Fiを調査する",
                    Some("区民部"),
                    DueKind::None,
                    None,
                    "調査してください。",
                    Some((0, 9)),
                ),
                crate::helpers::draft(
                    "一覧を作る",
                    None,
                    DueKind::None,
                    None,
                    "一覧があると助かります。",
                    Some((10, 22)),
                ),
                crate::helpers::draft(
                    "一覧を作る（重複）",
                    None,
                    DueKind::None,
                    None,
                    "ご検討ください。",
                    Some((23, 31)),
                ),
                crate::helpers::draft(
                    "挨拶",
                    None,
                    DueKind::None,
                    None,
                    "ありがとうございました。",
                    None,
                ),
            ],
        )
        .await;
    let [survey, list, duplicate, greeting] = ids[..] else {
        panic!("four drafts")
    };
    let jimu = sign_in(&app, "jimu").await;
    let page = format!("/meetings/{meeting}");
    let review = format!("/meetings/{meeting}/review");

    let html = jimu
        .get(app.url(&page))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert_eq!(html.matches("<fieldset class=\"draft card\"").count(), 4);

    let rejected = post_form(
        &app,
        &jimu,
        &page,
        &review,
        &[("action", &format!("reject:{greeting}"))],
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::SEE_OTHER);
    let (list_sel, dup_sel) = (format!("select_{list}"), format!("select_{duplicate}"));
    let merged = post_form(
        &app,
        &jimu,
        &page,
        &review,
        &[
            ("action", "merge_selected"),
            (&list_sel, "1"),
            (&dup_sel, "1"),
        ],
    )
    .await;
    assert_eq!(merged.status(), StatusCode::SEE_OTHER);

    // Confirming without an owner is refused with the reason shown, and changes nothing.
    let no_owner = post_form(
        &app,
        &jimu,
        &page,
        &review,
        &[
            ("action", &format!("confirm:{list}")),
            (&format!("due_kind_{list}"), "none"),
        ],
    )
    .await;
    assert_eq!(no_owner.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_date = post_form(
        &app,
        &jimu,
        &page,
        &review,
        &[
            ("action", &format!("confirm:{list}")),
            (&format!("owner_{list}"), "区民部"),
            (&format!("due_kind_{list}"), "date"),
            (&format!("due_on_{list}"), "2026-02-30"),
            (&format!("summary_{list}"), "言い換えたが確定できなかった"),
        ],
    )
    .await;
    assert_eq!(bad_date.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.text().await.expect("html").contains("2026-02-30"));
    let token = app.token("api", Role::Secretariat, None).await;
    let refused = app.get_ok(&format!("/api/v1/tasks/{list}"), &token).await;
    assert_ne!(
        refused["summary"], "言い換えたが確定できなかった",
        "a refused confirmation keeps nothing of the form"
    );

    let (survey_sel, list_owner, list_due, list_date, list_summary) = (
        format!("select_{survey}"),
        format!("owner_{list}"),
        format!("due_kind_{list}"),
        format!("due_on_{list}"),
        format!("summary_{list}"),
    );
    let (survey_owner, survey_due) = (format!("owner_{survey}"), format!("due_kind_{survey}"));
    let confirmed = post_form(
        &app,
        &jimu,
        &page,
        &review,
        &[
            ("action", "confirm_selected"),
            (&survey_sel, "1"),
            (&survey_owner, "区民部"),
            (&survey_due, "asap"),
            (&list_sel, "1"),
            (&list_owner, "政策経営部情報管理課"),
            (&list_due, "date"),
            (&list_date, "2026-12-25"),
            (&list_summary, "通信環境の良い会議室の一覧を作る"),
        ],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);

    let list_task = app.get_ok(&format!("/api/v1/tasks/{list}"), &token).await;
    assert_eq!(list_task["status"], "open");
    assert_eq!(list_task["owner"], "政策経営部情報管理課");
    assert_eq!(list_task["due_on"], "2026-12-25");
    assert_eq!(list_task["summary"], "通信環境の良い会議室の一覧を作る");
    assert_eq!(
        list_task["evidence"].as_array().map(Vec::len),
        Some(2),
        "merge kept both spans"
    );
    let greeting_task = app
        .get_ok(&format!("/api/v1/tasks/{greeting}"), &token)
        .await;
    assert_eq!(greeting_task["status"], "cancelled");

    // Another department may not finish 区民部's item; 区民部 may.
    let kyoiku = sign_in(&app, "kyoiku").await;
    let task_page = format!("/tasks/{survey}");
    let foreign = post_form(
        &app,
        &kyoiku,
        "/dashboard",
        &format!("/tasks/{survey}/complete"),
        &[("note", "done")],
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let kumin = sign_in(&app, "kumin").await;
    let dashboard = kumin
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(
        dashboard.contains("Wi-Fiを調査する"),
        "the department sees its item"
    );
    let stale = post_form(
        &app,
        &kumin,
        &task_page,
        &format!("/tasks/{survey}/complete"),
        &[("note", "調査しました"), ("version", "1")],
    )
    .await;
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "a form from an older version is refused"
    );
    let done = post_form(
        &app,
        &kumin,
        &task_page,
        &format!("/tasks/{survey}/complete"),
        &[("note", "調査しました")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let survey_task = app.get_ok(&format!("/api/v1/tasks/{survey}"), &token).await;
    assert_eq!(survey_task["status"], "done");
    assert_eq!(survey_task["completion_note"], "調査しました");

    let report = jimu
        .get(app.url("/report"))
        .send()
        .await
        .expect("report")
        .text()
        .await
        .expect("html");
    assert!(
        report.contains("調査しました"),
        "the report shows the completion note"
    );
    let task_html = jimu
        .get(app.url(&task_page))
        .send()
        .await
        .expect("task")
        .text()
        .await
        .expect("html");
    assert!(
        task_html.contains("kumin さん (kumin)"),
        "history names who finished it"
    );
}

async fn scheduling_and_moving_the_next_meeting_moves_bound_due_dates(app: TestApp) {
    use shukudai::domain::DueKind;
    app.add_department("区民部", &[], &[]).await;
    app.add_user("jimu", Role::Secretariat, None).await;
    let (body, meeting) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    let ids = app
        .seed_drafts(
            meeting,
            vec![crate::helpers::draft(
                "次回報告する",
                Some("区民部"),
                DueKind::NextMeeting,
                None,
                "次回の本部で報告してください。",
                None,
            )],
        )
        .await;
    let jimu = sign_in(&app, "jimu").await;
    let body_id = body.to_string();
    let scheduled = post_form(
        &app,
        &jimu,
        "/meetings",
        "/meetings/schedule",
        &[
            ("body_id", &body_id),
            ("held_on", "2026-12-14"),
            ("starts_at", "15:00"),
            ("place", "庁議室"),
        ],
    )
    .await;
    assert_eq!(scheduled.status(), StatusCode::SEE_OTHER);
    let next_page = scheduled.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();

    let page = format!("/meetings/{meeting}");
    let id = ids[0];
    let confirmed = post_form(
        &app,
        &jimu,
        &page,
        &format!("/meetings/{meeting}/review"),
        &[
            ("action", &format!("confirm:{id}")),
            (&format!("due_kind_{id}"), "next_meeting"),
        ],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let token = app.token("api", Role::Secretariat, None).await;
    let task = app.get_ok(&format!("/api/v1/tasks/{id}"), &token).await;
    assert_eq!(task["due_on"], "2026-12-14");

    let bad = post_form(
        &app,
        &jimu,
        &next_page,
        &format!("{next_page}/move"),
        &[("held_on", "14/12/2026")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let moved = post_form(
        &app,
        &jimu,
        &next_page,
        &format!("{next_page}/move"),
        &[
            ("held_on", "2026-12-21"),
            ("starts_at", "10:00"),
            ("place", "第一委員会室"),
        ],
    )
    .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let task = app.get_ok(&format!("/api/v1/tasks/{id}"), &token).await;
    assert_eq!(
        task["due_on"], "2026-12-21",
        "the due date followed the meeting"
    );
    let html = jimu
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("2026-12-21"),
        "the dashboard shows the next meeting's date"
    );
}

on_both_backends!(
    scheduling_and_moving_the_next_meeting_moves_bound_due_dates,
    pages_need_a_session_and_forms_need_csrf,
    department_users_do_not_see_admin_pages,
    english_is_one_click_away,
    review_confirm_merge_reject_and_department_work
);
