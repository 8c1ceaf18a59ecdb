//! Due phrases → due dates, resolved against the meeting date.
//!
//! Conventions: weeks start on Monday; 「今週中」「来週中」 mean the Friday of
//! that week (the end of the working week); the Japanese fiscal year ends on
//! 31 March; a month or day without a year is the next one on or after the
//! meeting (so 「1月末までに」 in a December meeting is next January).

use super::header::era_year;
use super::re::Re;
use super::{Due, DueKind};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::{Captures, Regex};
use std::sync::LazyLock;

type Resolver = fn(&Captures, Option<NaiveDate>) -> Option<Due>;

struct Rule {
    re: Regex,
    resolve: Resolver,
}

fn rule(p: &str, resolve: Resolver) -> Option<Rule> {
    Regex::new(p).ok().map(|re| Rule { re, resolve })
}

/// Due phrases in priority order (explicit dates first, then relative dates,
/// then the next meeting, then "as soon as possible").
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    [
        // 令和3年1月15日
        rule(
            r"(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
            |c, _| {
                let y = era_year(&c[1], &c[2])?;
                ymd(y, &c[3], &c[4]).map(Due::date)
            },
        ),
        // 2021年1月15日
        rule(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", |c, _| {
            ymd(c[1].parse().ok()?, &c[2], &c[3]).map(Due::date)
        }),
        // 令和3年1月末
        rule(
            r"(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(末|中旬|上旬|下旬|中|いっぱい)?",
            |c, _| {
                let y = era_year(&c[1], &c[2])?;
                month_part(y, c[3].parse().ok()?, c.get(4).map(|m| m.as_str())).map(Due::date)
            },
        ),
        // 10月15日まで
        rule(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*\(.\))?\s*(?:まで|を目途|を目処|目途|めど|に|頃|ごろ)", |c, m| {
            let m = m?;
            let mo: u32 = c[1].parse().ok()?;
            let d: u32 = c[2].parse().ok()?;
            let cand = NaiveDate::from_ymd_opt(m.year(), mo, d)?;
            let cand = if cand + Duration::days(7) < m {
                NaiveDate::from_ymd_opt(m.year() + 1, mo, d)?
            } else {
                cand
            };
            Some(Due::date(cand))
        }),
        // 10月末までに / 7月中旬 / 12月中に / 7月に
        rule(
            r"(\d{1,2})\s*月\s*(末|中旬|上旬|下旬|中|いっぱい|頃|ごろ)?\s*(?:まで|を目途|を目処|目途|めど|に)",
            |c, m| {
                let m = m?;
                let mo: u32 = c[1].parse().ok()?;
                if !(1..=12).contains(&mo) {
                    return None;
                }
                let y = if mo + 1 < m.month() { m.year() + 1 } else { m.year() };
                month_part(y, mo, c.get(2).map(|m| m.as_str())).map(Due::date)
            },
        ),
        // 年内に / 年末までに / 今年中
        rule(r"年内|年末まで|今年中|本年中|今年いっぱい", |_, m| {
            let m = m?;
            NaiveDate::from_ymd_opt(m.year(), 12, 31).map(Due::date)
        }),
        // 来年度中 / 来年度末
        rule(r"来年度(?:中|末|内|いっぱい)", |_, m| fy_end(m?, 1).map(Due::date)),
        // 年度内に / 今年度中 / 年度末 / 本年度末
        rule(r"(?:今|本)?年度(?:内|中|末|いっぱい)", |_, m| fy_end(m?, 0).map(Due::date)),
        // 上半期中
        rule(r"上半期(?:中|内|まで)", |_, m| {
            let m = m?;
            let y = if m.month() >= 4 { m.year() } else { m.year() - 1 };
            NaiveDate::from_ymd_opt(y, 9, 30).map(Due::date)
        }),
        // 今月中 / 今月末
        rule(r"今月(?:中|末|いっぱい)", |_, m| month_end(m?, 0).map(Due::date)),
        // 来月中 / 来月末
        rule(r"来月(?:中|末|いっぱい)", |_, m| month_end(m?, 1).map(Due::date)),
        // 今週金曜日 / 来週月曜
        rule(r"(今週|来週|再来週)\s*(?:の)?\s*([月火水木金土日])曜", |c, m| {
            let weeks = match &c[1] {
                "今週" => 0,
                "来週" => 1,
                _ => 2,
            };
            weekday_of(m?, weeks, wd(&c[2])?).map(Due::date)
        }),
        // 今週中 / 来週中 / 来週まで
        rule(r"(今週|来週|再来週)\s*(?:中|いっぱい|末|まで)", |c, m| {
            let weeks = match &c[1] {
                "今週" => 0,
                "来週" => 1,
                _ => 2,
            };
            weekday_of(m?, weeks, Weekday::Fri).map(Due::date)
        }),
        // 本日中 / 今日中
        rule(r"(?:本日|今日)中", |_, m| m.map(Due::date)),
        // 2週間以内 / 10日以内 / 1か月以内
        rule(r"(\d{1,2})\s*週間?以内", |c, m| {
            let n: i64 = c[1].parse().ok()?;
            Some(Due::date(m? + Duration::days(7 * n)))
        }),
        rule(r"(\d{1,3})\s*日以内", |c, m| {
            let n: i64 = c[1].parse().ok()?;
            Some(Due::date(m? + Duration::days(n)))
        }),
        rule(r"(\d{1,2})\s*(?:か|ヶ|カ|ケ|箇)月以内", |c, m| {
            let n: u32 = c[1].parse().ok()?;
            m?.checked_add_months(chrono::Months::new(n)).map(Due::date)
        }),
        // 月内に (this month; 「3月内」 is a month of its own)
        rule(r"(?:^|[^\d\s])月内", |_, m| month_end(m?, 0).map(Due::date)),
        // 明日まで
        rule(r"明日(?:まで|中)", |_, m| Some(Due::date(m? + Duration::days(1)))),
        // 次回の本部で / 次回までに / 次の会議で
        rule(
            r"次回|次の(?:会議|会合|本部|委員会|審議会|協議会|部会|定例会)",
            |_, _| Some(Due { kind: DueKind::NextMeeting, date: None }),
        ),
        // 早急に / 速やかに
        rule(
            r"早急|速やかに|すみやかに|至急|直ちに|ただちに|すぐに|早速|早期に|できるだけ早く|なるべく早く|一刻も早く|早めに|急ぎ",
            |_, _| Some(Due { kind: DueKind::Asap, date: None }),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
});

static RULE_SET: LazyLock<Option<regex::RegexSet>> =
    LazyLock::new(|| regex::RegexSet::new(RULES.iter().map(|r| r.re.as_str())).ok());

/// Phrases that do not set a due date even though they look like one
/// (things in the past or starting points).
static NOT_DUE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"(?:昨年度|前年度|昨年|先月|先週)(?:末|中)?|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?\s*(?:上旬|中旬|下旬)?\s*(?:から|以降|より|に開催した|に実施した)",
    )
});

static NEXT_MEETING_DATE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"次回(?:の)?(?:会議|会合|本部|委員会|審議会|協議会|部会)?(?:の)?(?:開催|日程|予定)?(?:日|日時|日程)?(?:は|を|:|について(?:は)?)?[、\s]*((?:(?:令和|平成)\s*(?:\d{1,2}|元)\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日)",
    )
});

fn ymd(y: i32, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).map(|d| d - Duration::days(1))
}

fn month_part(y: i32, m: u32, part: Option<&str>) -> Option<NaiveDate> {
    match part {
        Some("上旬") => NaiveDate::from_ymd_opt(y, m, 10),
        Some("中旬") => NaiveDate::from_ymd_opt(y, m, 20),
        _ => last_day(y, m),
    }
}

fn month_end(d: NaiveDate, add: u32) -> Option<NaiveDate> {
    let m0 = d.month0() + add;
    last_day(d.year() + (m0 / 12) as i32, m0 % 12 + 1)
}

/// 31 March ending the fiscal year of `d` (plus `add` years).
fn fy_end(d: NaiveDate, add: i32) -> Option<NaiveDate> {
    let y = if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    };
    NaiveDate::from_ymd_opt(y + add, 3, 31)
}

fn wd(s: &str) -> Option<Weekday> {
    Some(match s {
        "月" => Weekday::Mon,
        "火" => Weekday::Tue,
        "水" => Weekday::Wed,
        "木" => Weekday::Thu,
        "金" => Weekday::Fri,
        "土" => Weekday::Sat,
        "日" => Weekday::Sun,
        _ => return None,
    })
}

/// The given weekday of the week `weeks` after the week of `d` (Monday start).
fn weekday_of(d: NaiveDate, weeks: i64, w: Weekday) -> Option<NaiveDate> {
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    Some(monday + Duration::days(weeks * 7 + w.num_days_from_monday() as i64))
}

/// The due date stated in `text` (a sentence or a few), resolved against the
/// meeting date. Relative phrases without a meeting date give `none`.
pub fn resolve_due(text: &str, meeting: Option<NaiveDate>) -> Due {
    let Some(set) = RULE_SET.as_ref() else {
        return Due::NONE;
    };
    if !set.is_match(text) {
        return Due::NONE;
    }
    let masked;
    let text = if NOT_DUE.is_match(text) {
        masked = NOT_DUE.replace_all(text, "〓");
        masked.as_ref()
    } else {
        text
    };
    // one pass to find which rules can apply, then only those, in order
    for i in set.matches(text).iter() {
        let Some(r) = RULES.get(i) else { continue };
        for c in r.re.captures_iter(text) {
            if let Some(d) = (r.resolve)(&c, meeting) {
                return d;
            }
        }
    }
    Due::NONE
}

/// The date of the next meeting when the document states it (「次回は10月5日」).
pub(crate) fn find_next_meeting(text: &str, held: Option<NaiveDate>) -> Option<NaiveDate> {
    let c = NEXT_MEETING_DATE.captures(text)?;
    let s = c.get(1)?.as_str();
    if let Some(d) = super::header::find_date(s) {
        return Some(d);
    }
    let held = held?;
    let re = RULES.get(3)?;
    let with_suffix = format!("{s}まで");
    let c2 = re.re.captures(&with_suffix)?;
    match (re.resolve)(&c2, Some(held)) {
        Some(Due { date: Some(d), .. }) if d >= held => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn due(t: &str, m: Option<NaiveDate>) -> Due {
        resolve_due(t, m)
    }

    #[test]
    fn month_end_across_year() {
        let m = d(2020, 12, 10);
        assert_eq!(due("1月末までに報告する", m).date, d(2021, 1, 31));
        assert_eq!(due("12月末までに報告する", m).date, d(2020, 12, 31));
        assert_eq!(due("10月末までに", d(2020, 8, 3)).date, d(2020, 10, 31));
    }

    #[test]
    fn fiscal_year() {
        assert_eq!(due("年度内に整理する", d(2021, 2, 10)).date, d(2021, 3, 31));
        assert_eq!(due("年度内に整理する", d(2021, 5, 10)).date, d(2022, 3, 31));
        assert_eq!(due("年度末までに", d(2019, 5, 7)).date, d(2020, 3, 31));
        assert_eq!(due("来年度中に", d(2019, 5, 7)).date, d(2021, 3, 31));
        assert_eq!(due("年内に", d(2019, 5, 7)).date, d(2019, 12, 31));
    }

    #[test]
    fn weeks() {
        // 2020-08-03 is a Monday
        assert_eq!(due("来週中に", d(2020, 8, 3)).date, d(2020, 8, 14));
        assert_eq!(due("今週金曜日までに", d(2020, 8, 3)).date, d(2020, 8, 7));
        assert_eq!(due("来週月曜日に", d(2020, 8, 5)).date, d(2020, 8, 10));
        // a Thursday meeting: 今週金曜日 is the next day
        assert_eq!(due("今週金曜日", d(2020, 12, 31)).date, d(2021, 1, 1));
    }

    #[test]
    fn relative_spans() {
        let m = d(2025, 10, 9);
        assert_eq!(due("本日中に送付します", m).date, m);
        assert_eq!(due("2週間以内に回答します", m).date, d(2025, 10, 23));
        assert_eq!(due("10日以内に", m).date, d(2025, 10, 19));
        assert_eq!(due("1か月以内に", m).date, d(2025, 11, 9));
        assert_eq!(due("今月内に", m).date, d(2025, 10, 31));
        assert_eq!(due("来月中に", m).date, d(2025, 11, 30));
        assert_eq!(due("令和7年12月26日までに", m).date, d(2025, 12, 26));
        assert_eq!(due("3月末までに", d(2025, 2, 13)).date, d(2025, 3, 31));
        assert_eq!(
            due("次回の本部会議までに示してほしい", m).kind,
            DueKind::NextMeeting
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(
            due("次回の本部で報告", d(2020, 8, 3)).kind,
            DueKind::NextMeeting
        );
        assert_eq!(due("早急に対応", None).kind, DueKind::Asap);
        assert_eq!(due("令和3年1月15日までに", None).date, d(2021, 1, 15));
        assert_eq!(due("検討する", d(2020, 8, 3)), Due::NONE);
        assert_eq!(due("8月下旬から開始", d(2020, 8, 3)), Due::NONE);
        assert_eq!(due("昨年度末までに対応", d(2020, 8, 3)), Due::NONE);
        assert_eq!(due("1月末までに", None), Due::NONE);
    }

    #[test]
    fn all_rules_compile() {
        assert_eq!(RULES.len(), 21);
        assert!(RULE_SET.is_some());
    }

    #[test]
    fn next_meeting_date() {
        assert_eq!(
            find_next_meeting("次回は10月5日に開催します。", d(2020, 8, 3)),
            d(2020, 10, 5)
        );
    }
}
