//! The reports service without HTTP: the dashboard's figures and the follow-up
//! report, computed from the seeded tasks and meetings.
use shukudai::{domain::TaskStatus, reports, tasks::Actor};

use crate::{
    helpers::{TestApp, ymd},
    on_both_backends,
};

struct Seeded {
    department: i32,
    overdue: i32,
    due_next_own_body: i32,
    due_next_other_body: i32,
    bound: i32,
    later: i32,
}

/// Two bodies: 本部会議 meets next on 2026-12-20, 委員会 on 2026-11-20 (the
/// earliest of any body). Today is 2026-11-16. All tasks are 区民部's.
async fn seed(app: &TestApp) -> Seeded {
    let kumin = app.add_department("区民部", &[], &[]).await;
    let honbu = app.seed_body("本部会議").await;
    let iinkai = app.seed_body("委員会").await;
    let honbu_held = app
        .seed_meeting_on(honbu, "第11回本部会議", ymd(2026, 11, 9), "held")
        .await;
    let honbu_next = app
        .seed_meeting_on(honbu, "第12回本部会議", ymd(2026, 12, 20), "scheduled")
        .await;
    let iinkai_held = app
        .seed_meeting_on(iinkai, "第3回委員会", ymd(2026, 11, 2), "held")
        .await;
    app.seed_meeting_on(iinkai, "第4回委員会", ymd(2026, 11, 20), "scheduled")
        .await;
    let task = |meeting, summary, due| app.seed_open_task(meeting, kumin, summary, due, None);
    Seeded {
        department: kumin,
        overdue: task(honbu_held, "期限切れ", Some(ymd(2026, 11, 1))).await,
        // Due before 本部会議's next meeting, after 委員会's.
        due_next_own_body: task(honbu_held, "本部の次回まで", Some(ymd(2026, 12, 1))).await,
        due_next_other_body: task(iinkai_held, "委員会の次回まで", Some(ymd(2026, 11, 18))).await,
        bound: app
            .seed_open_task(
                honbu_held,
                kumin,
                "本部の次回会議に報告",
                Some(ymd(2026, 12, 20)),
                Some(honbu_next),
            )
            .await,
        // Due after 委員会's next meeting: not by it.
        later: task(iinkai_held, "委員会の次々回", Some(ymd(2026, 12, 1))).await,
    }
}

async fn due_by_the_next_meeting_is_of_each_tasks_own_body(app: TestApp) {
    let seeded = seed(&app).await;
    let today = app.moment().today();

    let overview = reports::overview(&app.db, today).await.expect("overview");
    assert_eq!(
        overview.next_meeting.as_ref().map(|m| m.title.as_str()),
        Some("第4回委員会"),
        "the header shows the earliest meeting of any body"
    );
    assert_eq!(overview.departments.len(), 1);
    let kumin = &overview.departments[0];
    assert_eq!(kumin.department.as_deref(), Some("区民部"));
    assert_eq!((kumin.open, kumin.overdue, kumin.due_next), (5, 1, 3));
    assert_eq!(overview.drafts, 0);

    let own = reports::department_items(&app.db, Some(seeded.department), today)
        .await
        .expect("items");
    let order: Vec<(i32, bool, bool)> = own
        .items
        .iter()
        .map(|i| (i.id, i.overdue, i.due_next))
        .collect();
    assert_eq!(
        order,
        vec![
            (seeded.overdue, true, false),
            (seeded.due_next_other_body, false, true),
            (seeded.due_next_own_body, false, true),
            (seeded.bound, false, true),
            (seeded.later, false, false),
        ]
    );
    let none = reports::department_items(&app.db, None, today)
        .await
        .expect("no department");
    assert!(none.items.is_empty());
}

async fn follow_up_report_groups_and_flags(app: TestApp) {
    let seeded = seed(&app).await;
    let report = reports::follow_up(&app.db, &Actor::system("report test"), app.moment())
        .await
        .expect("report");
    assert_eq!(report.today, ymd(2026, 11, 16));
    assert_eq!(report.groups.len(), 1);
    let group = &report.groups[0];
    assert_eq!(group.department.as_deref(), Some("区民部"));
    assert_eq!(group.items.len(), 5);
    let overdue: Vec<i32> = group
        .items
        .iter()
        .filter(|i| i.overdue)
        .map(|i| i.id)
        .collect();
    assert_eq!(overdue, vec![seeded.overdue]);
    assert!(group.items.iter().all(|i| i.status == TaskStatus::Open));
}

on_both_backends!(
    due_by_the_next_meeting_is_of_each_tasks_own_body,
    follow_up_report_groups_and_flags,
);
