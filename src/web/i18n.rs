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
    ("error.title", "エラー", "Error"),
    ("error.back", "戻る", "Back"),
];

pub fn translate(lang: Lang, key: &str) -> String {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| match lang {
            Lang::Ja => *ja,
            Lang::En => *en,
        })
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
        assert_eq!(translate(Lang::Ja, "missing.key"), "missing.key");
    }
}
