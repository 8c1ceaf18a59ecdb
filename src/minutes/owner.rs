//! Owners: department mentions in a sentence (agent vs. recipient), speaker
//! roles and departments, and the context of the surrounding turns.

use super::header::department_of_title;
use super::re::Re;
use super::{Directory, MeetingHeader};
use std::sync::LazyLock;

/// Role of a speaker in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// 本部長, 委員長, 会長, 議長 … (asks, does not own)
    Chair,
    /// 事務局 or a speaker from the secretariat department
    Secretariat,
    /// a member whose department is not in the label (部員, 委員)
    Member,
    /// a label with a title (田中情報政策課長)
    Titled,
    /// no speaker (bullet)
    Unknown,
}

/// Chair titles: the one who presides and hands out work. The flag says
/// whether the deputy (副…) of that title also chairs (a 副区長 leads a 庁議
/// item; a 副委員長 speaking beside the 委員長 is a member).
const CHAIRS: &[(&str, bool)] = &[
    ("本部長", false),
    ("委員長", false),
    ("会長", false),
    ("議長", false),
    ("座長", false),
    ("部会長", false),
    ("分科会長", false),
    ("理事長", false),
    ("司会", false),
    ("司会者", false),
    ("進行", false),
    ("区長", true),
    ("市長", true),
    ("町長", true),
    ("村長", true),
    ("知事", true),
];
/// Titles that chair only when no title of [`CHAIRS`] speaks: a board of
/// education is chaired by its 教育長, a deputy presides in the chair's absence.
const FALLBACK_CHAIRS: &[&str] = &[
    "教育長",
    "副本部長",
    "副委員長",
    "副会長",
    "副議長",
    "副座長",
];

/// The title part of a label: 委員長(佐藤一郎君) → 委員長, 議長(山田区長) → 議長.
fn title_part(s: &str) -> &str {
    match s.find('(') {
        Some(i) if i > 0 && s.ends_with(')') => &s[..i],
        _ => s,
    }
}

/// Whether `title` is `chair` itself or a personal name followed by it
/// (山田区長, but not 自治会長, 町会長, 地区長).
fn is_title(title: &str, chair: &str) -> bool {
    title
        .strip_suffix(chair)
        .is_some_and(|p| p.is_empty() || super::names::is_name(p))
}

fn matches_chair(title: &str, table: &[(&str, bool)]) -> bool {
    table.iter().any(|&(c, deputy)| {
        if let Some(p) = title.strip_suffix(c)
            && let Some(q) = p.strip_suffix('副')
        {
            return deputy && (q.is_empty() || super::names::is_name(q));
        }
        is_title(title, c)
    })
}

/// Whether a speaker label names a chair of [`CHAIRS`].
pub(crate) fn is_primary_chair(label: &str) -> bool {
    matches_chair(title_part(label), CHAIRS)
}

/// Whether a speaker label is the secretariat by name (事務局, 事務局長,
/// 事務局(田中)); 教育委員会事務局次長 is a department's officer.
pub(crate) fn is_secretariat_label(label: &str) -> bool {
    title_part(label).starts_with("事務局")
}

const MEMBER_ROLES: &[&str] = &[
    "部員",
    "本部員",
    "委員",
    "議員",
    "構成員",
    "幹事",
    "参加者",
    "出席者",
    "発言者",
];
/// Words naming every department at once.
const ALL_DEPTS: &[&str] = &[
    "各部局",
    "各部署",
    "各部",
    "各課",
    "各所管課",
    "各所属",
    "全庁",
    "全部局",
    "全部署",
    "全所属",
    "各局",
];

/// Department-like mentions: 区民部, 情報管理課, 事務局, 各部 …
static MENTION: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"事務局|各部局|各部署|各部|各課|各所管課|各所属|各局|全庁|全部局|全部署|全所属|(?:子ども|こども)?[\p{Han}\p{Katakana}ー・]{1,14}?(?:部|課|室|局|センター|事務所|支所)(?:長)?",
    )
});
/// Mentions that look like departments but are not.
const NOT_DEPTS: &[&str] = &[
    "全部",
    "一部",
    "内部",
    "外部",
    "本部",
    "幹部",
    "細部",
    "上部",
    "下部",
    "大部",
    "局部",
    "部",
    "課",
    "室",
    "局",
    "区長部局",
    "市長部局",
    "教室",
    "会議室",
    "執務室",
    "庁議室",
    "研究室",
    "部局",
    "事務室",
    "各室",
];
/// Particles after a mention that make it the agent (「区民部では」「事務局にて」).
static AGENT_AFTER: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^(?:で(?:は|も)?[^の]|が|は|にて|において|としては?|としても|といたしまして|といたしましても|の方で|側で|さん(?:で|が|は))",
    )
});
/// Particles making the mention the addressee of an asking verb (「各課に依頼する」).
static ASKED_AFTER: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"^(?:に|へ)[^。]{0,30}?(?:依頼|指示|要請|求め|お願い)"));
/// Self-mention at the start of a member's turn: 「区民部では」「区民部といたしましても」.
static SELF_MENTION: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"(?:^|[。\n]\s*)[^。\n]{0,20}?((?:子ども|こども)?[\p{Han}\p{Katakana}ー]{1,14}?(?:部|課|室|局|センター|事務所))(?:では|としては|としても|といたしまして|といたしましても|の立場)",
    )
});
/// The chair naming whom it addresses: 「区民部長はご存知ですか」「総務部長、…」.
static ADDRESS: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"((?:子ども|こども)?[\p{Han}\p{Katakana}ー]{1,14}?(?:部|課|室|局|センター|事務所))長(?:さん)?(?:は|に|、|,|から|いかが|どう)",
    )
});

/// What is known about the meeting's departments.
pub(crate) struct Context<'a> {
    pub header: &'a MeetingHeader,
    pub directory: &'a Directory,
    /// the owner string of the secretariat, when known
    pub secretariat: Option<String>,
    /// attendee departments
    known: Vec<String>,
    /// no primary chair speaks: the fallback chairs preside
    fallback_chair: bool,
}

impl<'a> Context<'a> {
    pub fn new(
        header: &'a MeetingHeader,
        directory: &'a Directory,
        has_secretariat_turns: bool,
    ) -> Self {
        let secretariat = directory
            .resolve("事務局")
            .map(str::to_string)
            .or_else(|| header.secretariat.clone())
            .or_else(|| has_secretariat_turns.then(|| "事務局".to_string()));
        let mut known: Vec<String> = header
            .attendees
            .iter()
            .filter_map(|a| a.department.clone())
            .collect();
        known.extend(directory.departments().iter().map(|d| d.name.clone()));
        known.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
        known.dedup();
        Context {
            header,
            directory,
            secretariat,
            known,
            fallback_chair: false,
        }
    }

    /// Lets the [`FALLBACK_CHAIRS`] preside (no primary chair speaks).
    pub fn with_fallback_chair(mut self, on: bool) -> Self {
        self.fallback_chair = on;
        self
    }

    pub fn role(&self, speaker: Option<&str>) -> Role {
        let Some(s) = speaker else {
            return Role::Unknown;
        };
        // 委員長(佐藤一郎君) → 委員長
        let label = s;
        let s = title_part(s);
        if is_secretariat_label(s) || self.is_secretariat_title(label) {
            return Role::Secretariat;
        }
        if matches_chair(s, CHAIRS)
            || (self.fallback_chair && FALLBACK_CHAIRS.iter().any(|c| is_title(s, c)))
        {
            return Role::Chair;
        }
        if MEMBER_ROLES.iter().any(|m| s.ends_with(m)) && department_of_title(s).is_none() {
            return Role::Member;
        }
        Role::Titled
    }

    fn is_secretariat_title(&self, s: &str) -> bool {
        department_of_title(s).is_some_and(|d| self.is_secretariat_dept(&d))
    }

    /// Whether a department name is the secretariat's (政策経営部情報管理課 ~
    /// 情報管理課 ~ 田中情報管理課).
    fn is_secretariat_dept(&self, d: &str) -> bool {
        let Some(sec) = self.header.secretariat.as_deref() else {
            return false;
        };
        if d.chars().count() >= 2 && (sec.ends_with(d) || d.ends_with(sec)) {
            return true;
        }
        // the last unit of the secretariat (after its 部/局)
        let unit = sec
            .char_indices()
            .filter(|(_, c)| matches!(c, '部' | '局'))
            .map(|(b, c)| b + c.len_utf8())
            .next_back()
            .and_then(|b| sec.get(b..))
            .unwrap_or("");
        unit.chars().count() >= 3 && d.ends_with(unit)
    }

    /// Output name for a department mention.
    pub fn canonical(&self, mention: &str) -> Option<String> {
        let m = mention
            .strip_suffix('長')
            .filter(|m| m.chars().count() >= 2)
            .unwrap_or(mention);
        if NOT_DEPTS.contains(&m) || m.ends_with("本部") {
            return None;
        }
        if m == "事務局" {
            return self.secretariat.clone().or_else(|| Some("事務局".into()));
        }
        if ALL_DEPTS.contains(&m) {
            return Some(m.to_string());
        }
        if let Some(d) = self.directory.resolve(m) {
            return Some(d.to_string());
        }
        if self.is_secretariat_dept(m) {
            return self.secretariat.clone();
        }
        // a known department that ends the mention (surname or parent prefixed)
        if let Some(k) = self
            .known
            .iter()
            .find(|k| m.ends_with(k.as_str()) || k.ends_with(m))
        {
            return Some(k.clone());
        }
        Some(m.to_string())
    }

    /// Department of a speaker from the label alone.
    pub fn speaker_department(&self, speaker: Option<&str>) -> Option<String> {
        let s = speaker?;
        match self.role(Some(s)) {
            Role::Secretariat => self.secretariat.clone(),
            Role::Titled => department_of_title(s).and_then(|d| self.canonical(&d)),
            _ => None,
        }
    }

    /// The agent department named in a sentence (「各部で」「事務局にて」「区民部といたしましても」),
    /// or the addressee of an asking verb (「各課に依頼」).
    pub fn agent(&self, sentence: &str) -> Option<String> {
        for m in MENTION.find_iter(sentence) {
            let after = &sentence[m.end()..];
            if (AGENT_AFTER.is_match(after) || ASKED_AFTER.is_match(after))
                && let Some(c) = self.canonical(m.as_str())
            {
                return Some(c);
            }
        }
        None
    }

    /// A member's own department named at the start of the turn.
    pub fn self_mention(&self, turn_text: &str) -> Option<String> {
        SELF_MENTION
            .captures(turn_text)
            .and_then(|c| c.get(1))
            .and_then(|m| self.canonical(m.as_str()))
    }

    /// A department the chair addresses by title in a turn.
    pub fn addressed(&self, turn_text: &str) -> Option<String> {
        ADDRESS
            .captures_iter(turn_text)
            .filter_map(|c| c.get(1).and_then(|m| self.canonical(m.as_str())))
            .last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents() {
        let h = MeetingHeader {
            secretariat: Some("政策経営部情報管理課".into()),
            ..Default::default()
        };
        let d = Directory::default();
        let c = Context::new(&h, &d, true);
        assert_eq!(
            c.agent("業務の整理は各部でやっておいてもらう").as_deref(),
            Some("各部")
        );
        assert_eq!(
            c.agent("事務局にて設備投資等を検討していく").as_deref(),
            Some("政策経営部情報管理課")
        );
        assert_eq!(
            c.agent("区民部といたしましても、実現に向けて").as_deref(),
            Some("区民部")
        );
        assert_eq!(c.agent("成果を事務局に上げていただけたら"), None);
        assert_eq!(c.agent("情報管理課と連携し、要望を伝える"), None);
        assert_eq!(
            c.addressed("何をやっているのですか。区民部長はご存知ですか。")
                .as_deref(),
            Some("区民部")
        );
        assert_eq!(c.role(Some("本部長")), Role::Chair);
        assert_eq!(c.role(Some("部員")), Role::Member);
        assert_eq!(c.role(Some("情報管理課長")), Role::Secretariat);
        assert_eq!(c.role(Some("田中情報政策課長")), Role::Titled);
        for chair in [
            "区長",
            "市長",
            "町長",
            "村長",
            "知事",
            "副区長",
            "副市長",
            "本部長",
            "委員長",
            "会長",
            "議長",
            "山田区長",
            "議長(山田区長)",
            "委員長(佐藤一郎君)",
            "田中会長",
        ] {
            assert_eq!(c.role(Some(chair)), Role::Chair, "{chair}");
        }
        for not_chair in [
            "自治会長",
            "町会長",
            "PTA連合会長",
            "町会連合会長(佐々木)",
            "副委員長",
            "教育長",
            "地区長",
            "教育委員会事務局次長",
            "選挙管理委員会委員長",
        ] {
            assert_ne!(c.role(Some(not_chair)), Role::Chair, "{not_chair}");
        }
        assert_eq!(c.role(Some("教育委員会事務局次長")), Role::Titled);
        assert_eq!(c.role(Some("事務局長")), Role::Secretariat);
        assert_eq!(c.role(Some("情報管理課長(田中)")), Role::Secretariat);
        assert_eq!(c.role(Some("田中課長(情報管理課)")), Role::Secretariat);
        let f = Context::new(&h, &d, true).with_fallback_chair(true);
        assert_eq!(f.role(Some("教育長")), Role::Chair);
        assert_eq!(f.role(Some("副委員長")), Role::Chair);
        assert_eq!(
            c.speaker_department(Some("田中課長(防災課)")).as_deref(),
            Some("防災課")
        );
    }
}
