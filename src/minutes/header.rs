//! Meeting header: label rows ("開催日時\t…", "日時：…", "【場所】…"), dates in
//! Japanese eras, times, attendees and their departments.

use super::clean::key;
use super::re::Re;
use super::{Attendee, MeetingHeader};
use chrono::NaiveDate;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    DateTime,
    Date,
    Time,
    Place,
    Secretariat,
    Agenda,
    Attendees,
    /// A label that starts the body of the minutes (議事概要, 審議経過 …).
    BodyStart,
    /// A known label whose value is not tracked (公開の可否, 資料 …).
    Other,
}

/// Header labels (whitespace removed, width folded) and the field they fill.
/// A label also matches when followed by a parenthetical: 事務局(担当課), 出席者(10名).
const LABELS: &[(&str, Field)] = &[
    ("附属機関又は会議体の名称", Field::Title),
    ("附属機関等の名称", Field::Title),
    ("会議体の名称", Field::Title),
    ("会議の名称", Field::Title),
    ("審議会等の名称", Field::Title),
    ("会議名", Field::Title),
    ("会議名称", Field::Title),
    ("名称", Field::Title),
    ("件名", Field::Title),
    ("開催日時", Field::DateTime),
    ("開催日時及び場所", Field::DateTime),
    ("日時", Field::DateTime),
    ("開催日", Field::Date),
    ("開催年月日", Field::Date),
    ("日付", Field::Date),
    ("期日", Field::Date),
    ("開催時間", Field::Time),
    ("時間", Field::Time),
    ("開催場所", Field::Place),
    ("場所", Field::Place),
    ("会場", Field::Place),
    ("事務局", Field::Secretariat),
    ("所管課", Field::Secretariat),
    ("担当課", Field::Secretariat),
    ("所管部署", Field::Secretariat),
    ("担当部署", Field::Secretariat),
    ("所管部課", Field::Secretariat),
    ("担当部課", Field::Secretariat),
    ("庶務担当", Field::Secretariat),
    ("担当", Field::Secretariat),
    ("問合せ先", Field::Secretariat),
    ("問い合わせ先", Field::Secretariat),
    ("事務局担当", Field::Secretariat),
    ("審議会名", Field::Title),
    ("会議体名", Field::Title),
    ("議題", Field::Agenda),
    ("次第", Field::Agenda),
    ("会議次第", Field::Agenda),
    ("議事", Field::Agenda),
    ("案件", Field::Agenda),
    ("出席者", Field::Attendees),
    ("説明のため出席した職員", Field::Attendees),
    ("説明のため出席した者", Field::Attendees),
    ("出席職員", Field::Attendees),
    ("説明員", Field::Attendees),
    ("出席委員", Field::Attendees),
    ("出席者名", Field::Attendees),
    ("出席", Field::Attendees),
    ("構成員", Field::Attendees),
    ("欠席者", Field::Other),
    ("欠席委員", Field::Other),
    ("傍聴者", Field::Other),
    ("傍聴者数", Field::Other),
    ("公開の可否", Field::Other),
    ("公開・非公開", Field::Other),
    ("会議の公開", Field::Other),
    ("会議録の公開", Field::Other),
    ("配布資料", Field::Other),
    ("資料", Field::Other),
    ("提出された資料等", Field::Other),
    ("会議の結果", Field::Other),
    ("記録者", Field::Other),
    ("議事概要", Field::BodyStart),
    ("議事要旨", Field::BodyStart),
    ("議事内容", Field::BodyStart),
    ("会議内容", Field::BodyStart),
    ("会議概要", Field::BodyStart),
    ("審議経過", Field::BodyStart),
    ("会議経過", Field::BodyStart),
    ("議事経過", Field::BodyStart),
    ("審議内容", Field::BodyStart),
    ("内容", Field::BodyStart),
    ("主な意見", Field::BodyStart),
    ("発言要旨", Field::BodyStart),
    ("質疑応答", Field::BodyStart),
    ("概要", Field::BodyStart),
];

/// Leading decoration of a header label: bullets, enumerations, brackets.
static LEAD: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^[\s#]*(?:[○◯◎●◆◇■□・\-*【〔\[<]|\d{1,2}[.、)]?|\(\d{1,2}\)|[①-⑳]|[一二三四五六七八九十]{1,2}[、.])?\s*",
    )
});

static ERA_DATE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"(令和|平成|昭和|R|H)\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?")
});
static WEST_DATE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"((?:19|20)\d{2})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?")
});
static TIME: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"(午前|午後)?\s*(\d{1,2})\s*(?:時\s*(\d{1,2}|半)?\s*分?|:\s*(\d{2}))|(正午)")
});
static MARK_TIME: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"[\[〔(<【]\s*((?:午前|午後)?\s*\d{1,2}\s*(?:時\s*\d{0,2}\s*分?|:\s*\d{2}))\s*(開会|開始|閉会|終了|散会)",
    )
});
static TITLE_LINE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"(?:会議|委員会|審議会|協議会|本部|部会|懇談会|検討会|懇話会|推進会議|連絡会|分科会|庁議|定例会|臨時会|審査会)",
    )
});
static TITLE_STRIP: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"\s*[(（]?(?:会議録|議事録|議事要旨|会議要旨|会議概要|議事概要|要旨|摘録|記録)[)）]?\s*$",
    )
});
static BODY_PREFIX: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^\s*(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年度?|(?:19|20)\d{2}\s*年度?)?\s*(?:第\s*\d{1,3}\s*回)?\s*(?:定例会|臨時会|定例|臨時)?\s*",
    )
});
static BODY_SUFFIX: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"\s*(?:[(（]\s*)?(?:(?:令和|平成)\s*(?:\d{1,2}|元)\s*年度?\s*)?(?:第\s*\d{1,3}\s*回)(?:\s*[)）])?.*$|\s+(?:(?:令和|平成)\s*(?:\d{1,2}|元)\s*年\s*)?\d{1,2}\s*月\s*(?:定例会|臨時会).*$|\s*[(（][^)）]*[)）]\s*$|\s+(?:定例会|臨時会)$",
    )
});
static ENUM_SPLIT: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"(?:^|\s)(?:\d{1,2}[.．]|[(（]\d{1,2}[)）]|[①-⑳]|\d{1,2}\s)\s*|[\n]")
});
static DEPT_TITLE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^(.+?(?:部|課|室|局|所|センター|館|事務所|係|事務局|支所|出張所|園|署))(?:長|次長|参事|主幹|担当課長|担当部長|副参事|補佐|課長補佐|付)$",
    )
});
static DEPUTY: LazyLock<Re> = LazyLock::new(|| Re::new(r"[(（]([^)）]+?)(?:の)?代理[)）]"));
static GROUP_PREFIX: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"^\s*[(（【\[]([^)）】\]]{1,8})[)）】\]]\s*(.*)$"));
static AGENDA_LABEL: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"^(?:議題|議案|報告事項|審議事項|協議事項|報告)(?:\s+|$)"));
static PAREN_DEPT: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"[(（]([^)）]{2,20}?(?:部|課|室|局|センター|館|事務所|係|支所|出張所|署))[)）]")
});
static PAREN: LazyLock<Re> = LazyLock::new(|| Re::new(r"[(（][^)）]*[)）]"));

const NON_DEPT_TITLES: &[&str] = &["本部長", "副本部長", "部会長", "副部会長", "本部員", "部員"];
const GROUP_WORDS: &[&str] = &[
    "部員",
    "事務局",
    "委員",
    "構成員",
    "説明員",
    "幹事",
    "出席者",
    "関係者",
    "オブザーバー",
    "区側",
    "市側",
];

/// Matches a header label at the start of `line` (cleaned). Returns the field,
/// the byte offset where the value starts, and whether the row is tabular.
pub(crate) fn match_label(line: &str) -> Option<(Field, usize)> {
    let lead = LEAD.find(line).map(|m| m.end()).unwrap_or(0);
    let rest = line.get(lead..)?;
    // walk over non-space chars, building the label key
    let mut k = String::new();
    let mut best: Option<(Field, usize)> = None;
    let mut depth = 0i32;
    for (b, c) in rest.char_indices() {
        if c == '\t' && depth == 0 {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        if matches!(c, ':' | '】' | '〕' | ']' | '>') && depth == 0 {
            if let Some((f, _)) = label_field(&k) {
                return Some((f, lead + b + c.len_utf8()));
            }
            return None;
        }
        if c == '(' || c == '（' {
            depth += 1;
        } else if (c == ')' || c == '）') && depth > 0 {
            depth -= 1;
        }
        k.push(c);
        if k.chars().count() > 16 {
            break;
        }
        if depth == 0 {
            let after = b + c.len_utf8();
            let next = rest[after..].chars().next();
            let sep = matches!(
                next,
                None | Some('\t' | ' ' | ':' | '】' | ']' | '〕' | '>')
            );
            if sep && let Some((f, _)) = label_field(&k) {
                best = Some((f, lead + after));
            }
        }
    }
    let (f, mut off) = best?;
    // skip the separator
    let tail = line.get(off..).unwrap_or("");
    let trimmed = tail.trim_start_matches([' ', '\t', ':', '】', ']', '〕', '>']);
    off += tail.len() - trimmed.len();
    Some((f, off))
}

fn label_field(k: &str) -> Option<(Field, usize)> {
    let base = match k.find('(') {
        Some(i) if k.ends_with(')') => &k[..i],
        _ => k,
    };
    LABELS
        .iter()
        .find(|(l, _)| *l == base)
        .map(|(_, f)| (*f, base.len()))
}

/// Collects the fields of a header. Values are original-text strings.
#[derive(Default)]
pub(crate) struct HeaderBuilder {
    pub header: MeetingHeader,
    date_text: Option<String>,
    time_text: Option<String>,
    secretariat_guess: Option<String>,
    /// the title was taken from a label row (not guessed from a line)
    title_from_label: bool,
}

impl HeaderBuilder {
    /// Adds a value (cells separated by tabs) for a field. Returns false when the
    /// value does not look like a header value (then the line is body text).
    pub fn add(&mut self, field: Field, value: &str) -> bool {
        let cells: Vec<&str> = value
            .split(['\t', '|'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let joined = cells.join(" ");
        let scalar_ok = !joined.ends_with('。') && joined.chars().count() <= 120;
        match field {
            Field::Title => {
                if !scalar_ok || joined.is_empty() {
                    return false;
                }
                if !self.title_from_label {
                    self.header.title = None;
                    self.header.body = None;
                    self.set_title(&joined);
                    self.title_from_label = self.header.title.is_some();
                }
            }
            Field::DateTime | Field::Date => {
                if !scalar_ok {
                    return false;
                }
                if self.date_text.is_none() {
                    self.date_text = Some(joined);
                }
            }
            Field::Time => {
                if !scalar_ok {
                    return false;
                }
                if self.time_text.is_none() {
                    self.time_text = Some(joined);
                }
            }
            Field::Place => {
                if !scalar_ok || joined.is_empty() {
                    return false;
                }
                if self.header.place.is_none() {
                    self.header.place = Some(joined);
                }
            }
            Field::Secretariat => {
                if !scalar_ok || joined.is_empty() || joined.chars().count() > 60 {
                    return false;
                }
                if self.header.secretariat.is_none() {
                    let v = cut_contact(&joined);
                    if !v.is_empty() {
                        self.header.secretariat = Some(v);
                    }
                }
            }
            Field::Agenda => self.add_agenda(&joined),
            Field::Attendees => self.add_attendees(&cells),
            Field::BodyStart | Field::Other => {}
        }
        true
    }

    pub fn set_title(&mut self, t: &str) {
        let t = TITLE_STRIP.replace(t.trim(), "").trim().to_string();
        if t.is_empty() {
            return;
        }
        let body = body_of(&t);
        self.header.title = Some(t);
        if self.header.body.is_none() {
            self.header.body = body;
        }
    }

    pub fn add_agenda(&mut self, v: &str) {
        for part in ENUM_SPLIT.split(v) {
            let p = part.trim().trim_matches(|c: char| c == '・' || c == '　');
            let k = key(p);
            if k.is_empty()
                || matches!(
                    k.as_str(),
                    "議題"
                        | "議事"
                        | "報告"
                        | "議案"
                        | "報告事項"
                        | "審議事項"
                        | "協議事項"
                        | "その他"
                        | "開会"
                        | "閉会"
                        | "次第"
                )
            {
                continue;
            }
            // "議題 (1) …", "報告事項 …" → drop the leading label word (but
            // "議案第3号 …" names the item)
            let p = AGENDA_LABEL.replace(p, "");
            let p = p.trim();
            if !p.is_empty() {
                self.header.agenda.push(p.to_string());
            }
        }
    }

    pub fn add_attendees(&mut self, cells: &[&str]) {
        let mut group: Option<String> = None;
        for (i, cell) in cells.iter().enumerate() {
            // 「（事務局）情報管理課長、…」: a group in brackets before the names
            let cell = match GROUP_PREFIX.captures(cell) {
                Some(c) => {
                    group = c.get(1).map(|g| key(g.as_str()));
                    c.get(2).map_or("", |m| m.as_str())
                }
                None => cell,
            };
            let k = key(cell);
            let is_group = !k.contains(['、', ',', '，'])
                && (GROUP_WORDS.contains(&k.as_str())
                    || (k.chars().count() <= 6 && i + 1 < cells.len()));
            if is_group {
                group = Some(k);
                continue;
            }
            for item in cell.split(['、', ',', '，', ';', '；', '/', '／']) {
                let item = item.trim();
                if item.is_empty() || item.chars().count() > 40 {
                    continue;
                }
                let department = department_of_title(item);
                if group.as_deref() == Some("事務局") && self.secretariat_guess.is_none() {
                    self.secretariat_guess = department.clone();
                }
                self.header.attendees.push(Attendee {
                    title: item.to_string(),
                    department,
                });
            }
        }
    }

    /// Resolves dates and times; `full` is the cleaned text for fallbacks.
    pub fn finish(mut self, full: &str) -> MeetingHeader {
        let dt = self.date_text.clone().unwrap_or_default();
        let mut held = find_date(&dt);
        if held.is_none() {
            let head: String = full.chars().take(3000).collect();
            held = find_date(&head);
        }
        self.header.held_on = held;
        let dt = fold(&dt);
        let times_src = match &self.time_text {
            Some(t) => format!("{dt} {t}"),
            None => dt.clone(),
        };
        // drop the date part so its digits are not read as times
        let times_src = ERA_DATE.replace_all(&times_src, " ");
        let times_src = WEST_DATE.replace_all(&times_src, " ");
        let times = find_times(&times_src);
        self.header.starts_at = times.first().cloned();
        self.header.ends_at = times.get(1).cloned();
        if self.header.starts_at.is_none() || self.header.ends_at.is_none() {
            for c in MARK_TIME.captures_iter(full) {
                let t = find_times(&c[1]).into_iter().next();
                let open = matches!(&c[2], "開会" | "開始");
                if open && self.header.starts_at.is_none() {
                    self.header.starts_at = t;
                } else if !open && times.get(1).is_none() && t.is_some() {
                    // the last closing mark wins
                    self.header.ends_at = t;
                }
            }
        }
        if self.header.secretariat.is_none() {
            self.header.secretariat = self.secretariat_guess.take();
        }
        self.header
    }
}

impl HeaderBuilder {
    pub fn has_title(&self) -> bool {
        self.header.title.is_some()
    }
}

/// The body name of a title: era, fiscal year, session number and suffixes removed.
pub(crate) fn body_of(title: &str) -> Option<String> {
    let t = BODY_PREFIX.replace(title, "");
    let t = BODY_SUFFIX.replace(&t, "");
    let t = t.trim();
    if t.chars().count() >= 2 {
        Some(t.to_string())
    } else {
        None
    }
}

/// Whether a line (not a label row) looks like the title line of the minutes.
pub(crate) fn looks_like_title(line: &str) -> Option<String> {
    let t = line.trim().trim_start_matches('#').trim();
    if t.is_empty() || t.chars().count() > 60 || t.contains(['。', ':', '\t']) {
        return None;
    }
    let stripped = TITLE_STRIP.replace(t, "");
    let s = stripped.trim();
    if s.chars().count() < 3 || !TITLE_LINE.is_match(s) {
        return None;
    }
    Some(t.to_string())
}

fn cut_contact(v: &str) -> String {
    let mut v = v.to_string();
    for stop in ["電話", "TEL", "Tel", "内線", "℡", "tel"] {
        if let Some(i) = v.find(stop) {
            v.truncate(i);
        }
    }
    v.trim()
        .trim_end_matches(['(', '（', ' ', '、'])
        .trim()
        .to_string()
}

/// 区民部長 → 区民部, 情報管理課長 → 情報管理課, 文化デザイン課長（文化商工部長代理）→ 文化商工部.
pub(crate) fn department_of_title(title: &str) -> Option<String> {
    let t = key(title);
    if let Some(c) = DEPUTY.captures(&t)
        && let Some(d) = department_of_title(&c[1])
    {
        return Some(d);
    }
    // 田中課長（情報政策課）: the parenthesis names the department
    if let Some(d) = PAREN_DEPT
        .captures(&t)
        .and_then(|c| c.get(1))
        .and_then(|m| super::names::department(m.as_str()))
        .filter(|d| !NON_DEPT_TITLES.iter().any(|n| n.starts_with(d)))
    {
        return Some(d.to_string());
    }
    let base = PAREN.replace_all(&t, "");
    if NON_DEPT_TITLES.contains(&base.as_ref()) {
        return None;
    }
    DEPT_TITLE
        .captures(&base)
        .and_then(|c| c.get(1))
        .and_then(|m| super::names::department(m.as_str()))
        .filter(|d| !NON_DEPT_TITLES.iter().any(|n| n.starts_with(d)))
        .map(str::to_string)
}

pub(crate) fn era_year(era: &str, n: &str) -> Option<i32> {
    let n: i32 = if n == "元" { 1 } else { n.parse().ok()? };
    let base = match era {
        "令和" | "R" => 2018,
        "平成" | "H" => 1988,
        "昭和" => 1925,
        _ => return None,
    };
    Some(base + n)
}

fn fold(s: &str) -> String {
    s.chars().map(super::clean::fold_char).collect()
}

pub(crate) fn find_date(s: &str) -> Option<NaiveDate> {
    let s = &fold(s);
    let era = ERA_DATE.captures(s).and_then(|c| {
        let y = era_year(&c[1], &c[2])?;
        NaiveDate::from_ymd_opt(y, c[3].parse().ok()?, c[4].parse().ok()?)
            .map(|d| (c.get(0).map(|m| m.start()).unwrap_or(0), d))
    });
    let west = WEST_DATE.captures(s).and_then(|c| {
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
            .map(|d| (c.get(0).map(|m| m.start()).unwrap_or(0), d))
    });
    match (era, west) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

/// All clock times in `s` as "HH:MM", 午前/午後 applied (午後 carries over to a
/// later time of a range without its own marker).
pub(crate) fn find_times(s: &str) -> Vec<String> {
    let s = &fold(s);
    let mut out = Vec::new();
    let mut last_pm = false;
    for c in TIME.captures_iter(s) {
        let marker = c.get(1).map(|m| m.as_str());
        if c.get(5).is_some() {
            out.push("12:00".to_string());
            continue;
        }
        let Some(h) = c.get(2).and_then(|m| m.as_str().parse::<u32>().ok()) else {
            continue;
        };
        let m = match c.get(3).or(c.get(4)).map(|m| m.as_str()) {
            Some("半") => 30,
            Some(x) => x.parse::<u32>().unwrap_or(0),
            None => 0,
        };
        let pm = match marker {
            Some("午後") => true,
            Some("午前") => false,
            _ => last_pm && h < 12,
        };
        last_pm = pm;
        let h = if pm && h < 12 { h + 12 } else { h };
        if h > 24 || m > 59 {
            continue;
        }
        out.push(format!("{h:02}:{m:02}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            match_label("開 催 日 時\t令和2年").map(|x| x.0),
            Some(Field::DateTime)
        );
        assert_eq!(
            match_label("事務局(担当課)\t政策").map(|x| x.0),
            Some(Field::Secretariat)
        );
        assert_eq!(
            match_label("日時:令和5年").map(|x| x.0),
            Some(Field::DateTime)
        );
        assert_eq!(
            match_label("【場所】本庁舎").map(|x| x.0),
            Some(Field::Place)
        );
        assert_eq!(
            match_label("1 日時 令和5年4月1日").map(|x| x.0),
            Some(Field::DateTime)
        );
        assert_eq!(match_label("本部長:はい"), None);
        assert_eq!(match_label("日時を決める"), None);
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            find_date("令和元年5月7日"),
            NaiveDate::from_ymd_opt(2019, 5, 7)
        );
        assert_eq!(
            find_date("平成30年5月29日(火)"),
            NaiveDate::from_ymd_opt(2018, 5, 29)
        );
        assert_eq!(
            find_times("午後3時03分~午後3時55分"),
            vec!["15:03", "15:55"]
        );
        assert_eq!(
            find_times("午前10時8分~午前10時36分"),
            vec!["10:08", "10:36"]
        );
        assert_eq!(find_times("午後1時30分から3時"), vec!["13:30", "15:00"]);
        assert_eq!(find_times("14:00~16:30"), vec!["14:00", "16:30"]);
    }

    #[test]
    fn departments() {
        assert_eq!(department_of_title("区民部長").as_deref(), Some("区民部"));
        assert_eq!(
            department_of_title("文化デザイン課長（文化商工部長代理）").as_deref(),
            Some("文化商工部")
        );
        assert_eq!(department_of_title("副区長(本部長)"), None);
        assert_eq!(department_of_title("本部長"), None);
        for (label, want) in [
            ("田中情報政策課長", Some("情報政策課")),
            ("情報政策課長(田中)", Some("情報政策課")),
            ("田中課長(情報政策課)", Some("情報政策課")),
            ("山田教育委員会事務局次長", Some("教育委員会事務局")),
            ("鈴木中央図書館長", Some("中央図書館")),
            ("子ども家庭部長", Some("子ども家庭部")),
            ("防災危機管理課長(田中)", Some("防災危機管理課")),
            ("田中課長", None),
        ] {
            assert_eq!(department_of_title(label).as_deref(), want, "{label}");
        }
    }

    #[test]
    fn body() {
        assert_eq!(
            body_of("令和2年度 第2回豊島区行政情報化推進本部").as_deref(),
            Some("豊島区行政情報化推進本部")
        );
        assert_eq!(
            body_of("○○市環境審議会（第3回）").as_deref(),
            Some("○○市環境審議会")
        );
        assert_eq!(
            body_of("あさひ市教育委員会 令和7年2月定例会").as_deref(),
            Some("あさひ市教育委員会")
        );
        assert_eq!(
            body_of("令和7年度 第8回 みなと台区庁議").as_deref(),
            Some("みなと台区庁議")
        );
    }
}
