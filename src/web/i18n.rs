//! The UI's words in Japanese (first) and English, as one table.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }
}

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
    ("role.admin", "管理者", "Administrator"),
    ("role.secretariat", "事務局", "Secretariat"),
    ("role.department", "部署", "Department"),
    ("role.viewer", "閲覧", "Viewer"),
    ("status.draft", "下書き", "Draft"),
    ("status.open", "対応中", "Open"),
    ("status.done", "完了", "Done"),
    ("status.cancelled", "取消", "Cancelled"),
    ("kind.request", "依頼", "Request"),
    ("kind.commitment", "約束", "Commitment"),
    ("kind.report", "報告", "Report"),
    ("due.next_meeting", "次回会議まで", "By the next meeting"),
    ("due.asap", "早急に", "As soon as possible"),
    ("due.none", "期限なし", "No due date"),
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
    ("meetings.held", "開催済み", "Held"),
    ("meetings.scheduled", "開催予定", "Scheduled"),
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
    ("outbox.title", "送信状況", "Outbox"),
    ("outbox.retry", "再送", "Retry"),
    ("outbox.all", "すべて", "All"),
    ("tasks.search", "キーワード", "Search"),
    ("tasks.filter", "絞り込む", "Filter"),
    ("tasks.csv", "CSVで出力", "Export CSV"),
    ("tasks.count", "件", "items"),
    ("outbox.pending", "送信待ち", "Pending"),
    ("outbox.sending", "送信中", "Sending"),
    ("outbox.sent", "送信済み", "Sent"),
    ("outbox.failed", "送信失敗", "Failed"),
    (
        "outbox.superseded",
        "会議日程の変更により取り消し",
        "Withdrawn: the meeting was moved",
    ),
    ("outbox.subject", "件名", "Subject"),
    ("outbox.recipients", "宛先", "Recipients"),
    ("outbox.attempts", "試行回数", "Attempts"),
    ("outbox.empty", "メールはありません。", "No mail."),
    ("event.created", "作成", "Created"),
    ("event.confirmed", "確定", "Confirmed"),
    ("event.edited", "編集", "Edited"),
    ("event.completed", "完了", "Completed"),
    ("event.cancelled", "取消", "Cancelled"),
    ("event.rejected", "却下", "Rejected"),
    ("event.reopened", "再開", "Reopened"),
    ("event.merged", "統合", "Merged"),
    ("event.merged_away", "統合により取消", "Merged into another"),
    ("event.note_added", "進捗を記録", "Note added"),
    (
        "event.due_rebound",
        "期限が会議の日程に追従",
        "Due date followed the meeting",
    ),
    ("field.status", "状態", "status"),
    ("field.summary", "宿題", "summary"),
    ("field.owner", "担当部署", "owner"),
    ("field.due_kind", "期限の種類", "due kind"),
    ("field.due_on", "期限", "due date"),
    ("field.due_meeting_id", "期限の会議", "due meeting"),
    ("field.completion_note", "完了報告", "completion note"),
    ("field.cancel_reason", "取消理由", "reason"),
    ("field.note", "進捗", "note"),
    ("error.title", "エラー", "Error"),
    ("error.back", "戻る", "Back"),
];

/// The translation of `key`, or `fallback` when the table has none (e.g. an audit
/// action added later).
pub fn translate_or(lang: Lang, key: &str, fallback: &str) -> String {
    MESSAGES.iter().find(|(k, _, _)| *k == key).map_or_else(
        || fallback.to_owned(),
        |(_, ja, en)| match lang {
            Lang::Ja => (*ja).to_owned(),
            Lang::En => (*en).to_owned(),
        },
    )
}

/// The translation of `key`; the key itself when missing, so a gap is visible.
pub fn translate(lang: Lang, key: &str) -> String {
    translate_or(lang, key, key)
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
        assert_eq!(translate(Lang::Ja, "missing.key"), "missing.key");
    }
}
