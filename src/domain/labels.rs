//! The one label catalogue: what each stored value is called, in Japanese (first)
//! and English. Pages, the CSV export, the CLI and the mails all read it here, so
//! a value reads the same everywhere.
use chrono::NaiveDate;
use serde::Serialize;

use super::{DueKind, EventAction, MeetingStatus, OutboxStatus, Role, TaskKind, TaskStatus};

/// A language of the UI and the mails; Japanese unless English is asked for.
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

    fn pick(self, (ja, en): (&'static str, &'static str)) -> &'static str {
        match self {
            Self::Ja => ja,
            Self::En => en,
        }
    }
}

/// A value with a name for people.
pub trait Label: Copy {
    /// (Japanese, English).
    fn names(self) -> (&'static str, &'static str);

    fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.names())
    }
}

impl Label for TaskStatus {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Draft => ("下書き", "Draft"),
            Self::Open => ("対応中", "Open"),
            Self::Done => ("完了", "Done"),
            Self::Cancelled => ("取消", "Cancelled"),
        }
    }
}

impl Label for TaskKind {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Request => ("依頼", "Request"),
            Self::Commitment => ("約束", "Commitment"),
            Self::Report => ("報告", "Report"),
        }
    }
}

impl Label for DueKind {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Date => ("日付を指定", "On a date"),
            Self::NextMeeting => ("次回会議まで", "By the next meeting"),
            Self::Asap => ("早急に", "As soon as possible"),
            Self::None => ("期限なし", "No due date"),
        }
    }
}

impl Label for Role {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Admin => ("管理者", "Administrator"),
            Self::Secretariat => ("事務局", "Secretariat"),
            Self::Department => ("部署", "Department"),
            Self::Viewer => ("閲覧", "Viewer"),
        }
    }
}

impl Label for MeetingStatus {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Scheduled => ("開催予定", "Scheduled"),
            Self::Held => ("開催済み", "Held"),
        }
    }
}

impl Label for OutboxStatus {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Pending => ("送信待ち", "Pending"),
            Self::Sending => ("送信中", "Sending"),
            Self::Sent => ("送信済み", "Sent"),
            Self::Failed => ("送信失敗", "Failed"),
            Self::Superseded => (
                "会議日程の変更により取り消し",
                "Withdrawn: the meeting was moved",
            ),
        }
    }
}

impl Label for EventAction {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Created => ("作成", "Created"),
            Self::Confirmed => ("確定", "Confirmed"),
            Self::Edited => ("編集", "Edited"),
            Self::Completed => ("完了", "Completed"),
            Self::Cancelled => ("取消", "Cancelled"),
            Self::Rejected => ("却下", "Rejected"),
            Self::Reopened => ("再開", "Reopened"),
            Self::Merged => ("統合", "Merged"),
            Self::MergedAway => ("統合により取消", "Merged into another"),
            Self::NoteAdded => ("進捗を記録", "Note added"),
            Self::DueRebound => ("期限が会議の日程に追従", "Due date followed the meeting"),
        }
    }
}

/// The task fields the audit trail names, by their key in an event's changes.
const FIELDS: &[(&str, &str, &str)] = &[
    ("status", "状態", "status"),
    ("summary", "宿題", "summary"),
    ("owner", "担当部署", "owner"),
    ("due_kind", "期限の種類", "due kind"),
    ("due_on", "期限", "due date"),
    ("due_meeting_id", "期限の会議", "due meeting"),
    ("completion_note", "完了報告", "completion note"),
    ("cancel_reason", "取消理由", "reason"),
    ("note", "進捗", "note"),
];

/// The name of an audited task field, when the catalogue has one.
pub fn field(name: &str, lang: Lang) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(key, _, _)| *key == name)
        .map(|(_, ja, en)| lang.pick((ja, en)))
}

/// How a due date reads: the date (for one bound to the next meeting, with that
/// said), or the due kind's name.
pub fn due_text(kind: DueKind, on: Option<NaiveDate>, lang: Lang) -> String {
    match (on, kind) {
        (Some(date), DueKind::NextMeeting) => match lang {
            Lang::Ja => format!("{date}（{}）", kind.label(lang)),
            Lang::En => format!("{date} ({})", kind.label(lang).to_lowercase()),
        },
        (Some(date), _) => date.to_string(),
        (None, DueKind::Date) => DueKind::None.label(lang).to_owned(),
        (None, kind) => kind.label(lang).to_owned(),
    }
}

/// A value's name by `namespace.value` key, as the page templates ask for it
/// (`status.open`, `due.asap`, `kind.report`, `role.viewer`,
/// `meeting_status.held`, `outbox_status.failed`, `event.merged`,
/// `field.due_on`); `None` for any other key.
pub fn lookup(key: &str, lang: Lang) -> Option<&'static str> {
    fn named<T: Label + std::str::FromStr>(value: &str, lang: Lang) -> Option<&'static str> {
        value.parse::<T>().ok().map(|v| v.label(lang))
    }
    let (namespace, value) = key.split_once('.')?;
    match namespace {
        "status" => named::<TaskStatus>(value, lang),
        "kind" => named::<TaskKind>(value, lang),
        "due" => named::<DueKind>(value, lang),
        "role" => named::<Role>(value, lang),
        "meeting_status" => named::<MeetingStatus>(value, lang),
        "outbox_status" => named::<OutboxStatus>(value, lang),
        "event" => named::<EventAction>(value, lang),
        "field" => field(value, lang),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_both_names() {
        fn check<T: Label>(all: &[T]) {
            for value in all {
                let (ja, en) = value.names();
                assert!(!ja.is_empty() && !en.is_empty());
            }
        }
        check(TaskStatus::ALL);
        check(TaskKind::ALL);
        check(DueKind::ALL);
        check(Role::ALL);
        check(MeetingStatus::ALL);
        check(OutboxStatus::ALL);
        check(EventAction::ALL);
    }

    #[test]
    fn keys_resolve_through_the_enums() {
        assert_eq!(lookup("due.asap", Lang::Ja), Some("早急に"));
        assert_eq!(lookup("status.open", Lang::En), Some("Open"));
        assert_eq!(
            lookup("event.due_rebound", Lang::Ja),
            Some("期限が会議の日程に追従")
        );
        assert_eq!(lookup("field.due_on", Lang::Ja), Some("期限"));
        assert_eq!(lookup("status.unknown", Lang::Ja), None);
        assert_eq!(lookup("nav.meetings", Lang::Ja), None);
    }

    #[test]
    fn due_dates_read_the_same_everywhere() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(
            due_text(DueKind::NextMeeting, Some(date), Lang::Ja),
            "2026-11-30（次回会議まで）"
        );
        assert_eq!(due_text(DueKind::Date, Some(date), Lang::Ja), "2026-11-30");
        assert_eq!(due_text(DueKind::Asap, None, Lang::Ja), "早急に");
        assert_eq!(due_text(DueKind::None, None, Lang::En), "No due date");
    }
}
