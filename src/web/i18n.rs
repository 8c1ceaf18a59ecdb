//! The pages' own words in Japanese (first) and English, as one table. The names
//! of stored values (statuses, due kinds, roles, audit actions and fields) are
//! the catalogue's (`domain::labels`): a key such as `status.open` is looked up
//! there.
use crate::domain::{Lang, labels};

/// key, Japanese, English.
const MESSAGES: &[(&str, &str, &str)] = &[
    ("app.name", "宿題管理", "Follow-ups"),
    ("nav.dashboard", "ダッシュボード", "Dashboard"),
    ("nav.meetings", "会議", "Meetings"),
    ("nav.import", "会議録の取込", "Import minutes"),
    ("nav.tasks", "宿題一覧", "Tasks"),
    ("nav.report", "宿題事項一覧（報告書）", "Follow-up report"),
    ("nav.departments", "部署", "Departments"),
    ("nav.users", "ユーザー", "Users"),
    ("nav.outbox", "送信状況", "Outbox"),
    ("nav.logout", "ログアウト", "Log out"),
    ("nav.language", "English", "日本語"),
    ("login.title", "ログイン", "Log in"),
    ("login.login", "ログインID", "Login"),
    ("login.password", "パスワード", "Password"),
    ("login.submit", "ログイン", "Log in"),
    (
        "login.failed",
        "ログインIDまたはパスワードが違います。",
        "Wrong login or password.",
    ),
    ("dashboard.title", "ダッシュボード", "Dashboard"),
    ("dashboard.next_meeting", "次回会議", "Next meeting"),
    ("dashboard.none_scheduled", "未定", "not scheduled"),
    ("dashboard.department", "部署", "Department"),
    ("dashboard.open", "対応中", "Open"),
    ("dashboard.overdue", "期限超過", "Overdue"),
    ("dashboard.due_next", "次回会議まで", "Due by next meeting"),
    ("dashboard.drafts", "未確認の下書き", "Drafts to review"),
    (
        "dashboard.my_items",
        "担当の宿題",
        "Your department's items",
    ),
    (
        "dashboard.nothing",
        "対応中の宿題はありません。",
        "No open items.",
    ),
    ("task.summary", "宿題", "Item"),
    ("task.owner", "担当部署", "Owner"),
    ("task.due", "期限", "Due"),
    ("task.status", "状態", "Status"),
    ("task.meeting", "会議", "Meeting"),
    ("task.evidence", "根拠（会議録）", "Evidence (minutes)"),
    ("task.overdue", "期限超過", "overdue"),
    ("meetings.date", "開催日", "Date"),
    ("meetings.body", "会議体", "Body"),
    (
        "meetings.none",
        "会議はまだありません。会議録を取り込んでください。",
        "No meetings yet. Import minutes first.",
    ),
    (
        "meetings.schedule",
        "次回会議を登録",
        "Schedule the next meeting",
    ),
    ("meetings.starts_at", "開始時刻", "Starts at"),
    ("meetings.move", "日程を変更", "Move the meeting"),
    ("meetings.place", "場所", "Place"),
    ("review.minutes", "会議録", "Minutes"),
    (
        "review.no_minutes",
        "この会議の会議録はまだありません。",
        "No minutes for this meeting yet.",
    ),
    ("review.items", "宿題", "Items"),
    (
        "review.confirm_selected",
        "選択した下書きを確定",
        "Confirm selected drafts",
    ),
    (
        "review.merge_selected",
        "選択した下書きを統合",
        "Merge selected drafts",
    ),
    ("review.confirm", "確定", "Confirm"),
    ("review.reject", "却下", "Reject"),
    ("review.suggested", "抽出結果", "extracted"),
    ("review.due_date", "日付を指定", "On a date"),
    ("task.completion_note", "完了報告", "Completion note"),
    ("task.add_note", "進捗を記録", "Add a progress note"),
    ("task.mark_done", "完了にする", "Mark done"),
    ("task.reopen", "再開する", "Reopen"),
    ("task.notes", "進捗", "Progress notes"),
    ("task.history", "履歴", "History"),
    ("task.when", "日時", "When"),
    ("task.who", "実施者", "Who"),
    ("task.what", "内容", "What"),
    ("report.title", "宿題事項一覧", "Follow-up items"),
    ("report.for_meeting", "に向けて", "(for this meeting)"),
    (
        "report.no_next",
        "次回会議は未定",
        "Next meeting not scheduled",
    ),
    ("report.as_of", "時点", "as of"),
    ("report.print", "印刷", "Print"),
    ("report.unassigned", "担当未定", "Unassigned"),
    ("report.latest_note", "最新の進捗", "Latest note"),
    (
        "import.files",
        "会議録ファイル（テキスト、UTF-8またはShift_JIS。複数可）",
        "Minutes files (text, UTF-8 or Shift_JIS; several allowed)",
    ),
    ("import.paste", "または本文を貼り付け", "or paste the text"),
    ("import.submit", "取り込む", "Import"),
    ("import.review", "確認する", "Review"),
    ("import.limit", "1回の取込の上限", "Upload limit"),
    (
        "import.too_large",
        "選んだファイルと本文が上限を超えています。分けて取り込んでください。",
        "The files and text are over the limit; import them in smaller parts.",
    ),
    ("outbox.title", "送信状況", "Outbox"),
    ("outbox.retry", "再送", "Retry"),
    ("outbox.all", "すべて", "All"),
    ("tasks.search", "キーワード", "Search"),
    ("tasks.filter", "絞り込む", "Filter"),
    ("tasks.csv", "CSVで出力", "Export CSV"),
    ("tasks.xlsx", "Excelで出力", "Export Excel"),
    ("tasks.count", "件", "items"),
    ("outbox.subject", "件名", "Subject"),
    ("outbox.recipients", "宛先", "Recipients"),
    ("outbox.attempts", "試行回数", "Attempts"),
    ("outbox.empty", "メールはありません。", "No mail."),
    ("error.title", "エラー", "Error"),
    ("error.back", "戻る", "Back"),
];

/// The words for `key`: the pages' table, else the catalogue; the key itself
/// when neither has it, so a gap is visible.
pub fn translate(lang: Lang, key: &str) -> String {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| match lang {
            Lang::Ja => *ja,
            Lang::En => *en,
        })
        .or_else(|| labels::lookup(key, lang))
        .unwrap_or(key)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut keys: Vec<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate message keys");
        assert!(
            MESSAGES
                .iter()
                .all(|(_, ja, en)| !ja.is_empty() && !en.is_empty())
        );
        assert_eq!(translate(Lang::En, "nav.meetings"), "Meetings");
        assert_eq!(translate(Lang::Ja, "status.open"), "対応中");
        assert_eq!(translate(Lang::Ja, "missing.key"), "missing.key");
    }
}
