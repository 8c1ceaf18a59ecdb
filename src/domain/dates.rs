//! How dates read for people: 2026年12月14日（月） in Japanese, or in the Japanese
//! era (令和8年12月14日（月）) when the secretariat's setting asks for 和暦, and
//! "Mon 14 Dec 2026" in English. Pages, mails and exports format dates here and
//! nowhere else; the machine-readable forms (API, CSV cells, iCal) stay ISO.
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use super::Lang;

/// Which calendar Japanese dates are written in (`display.calendar`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    /// 2026年12月14日（月）
    #[default]
    Gregorian,
    /// 和暦: 令和8年12月14日（月）
    Japanese,
}

impl Calendar {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "gregorian" => Some(Self::Gregorian),
            "japanese" => Some(Self::Japanese),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Gregorian => "gregorian",
            Self::Japanese => "japanese",
        }
    }
}

/// A language and a calendar: everything a date needs to be written for a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateStyle {
    pub lang: Lang,
    pub calendar: Calendar,
}

impl DateStyle {
    pub fn new(lang: Lang, calendar: Calendar) -> Self {
        Self { lang, calendar }
    }

    /// The full date with its weekday: 2026年12月14日（月）, 令和8年12月14日（月）,
    /// Mon 14 Dec 2026.
    pub fn date(self, date: NaiveDate) -> String {
        match self.lang {
            Lang::Ja => format!(
                "{}{}月{}日（{}）",
                self.year(date),
                date.month(),
                date.day(),
                weekday_ja(date.weekday())
            ),
            Lang::En => format!(
                "{} {} {} {}",
                date.weekday(),
                date.day(),
                month_en(date.month()),
                date.year()
            ),
        }
    }

    /// Month and day with the weekday, for subjects and headings where the year is
    /// plain: 12月14日（月）, Mon 14 Dec.
    pub fn month_day(self, date: NaiveDate) -> String {
        match self.lang {
            Lang::Ja => format!(
                "{}月{}日（{}）",
                date.month(),
                date.day(),
                weekday_ja(date.weekday())
            ),
            Lang::En => format!(
                "{} {} {}",
                date.weekday(),
                date.day(),
                month_en(date.month())
            ),
        }
    }

    /// The year part of a Japanese date: 2026年, or 令和8年 / 令和元年.
    fn year(self, date: NaiveDate) -> String {
        match (self.calendar, era_of(date)) {
            (Calendar::Japanese, Some((era, 1))) => format!("{era}元年"),
            (Calendar::Japanese, Some((era, year))) => format!("{era}{year}年"),
            _ => format!("{}年", date.year()),
        }
    }
}

/// The era and its year of `date`, for the eras since 1926 (earlier dates are
/// written in the Gregorian calendar).
fn era_of(date: NaiveDate) -> Option<(&'static str, i32)> {
    const ERAS: [(&str, i32, u32, u32); 3] = [
        ("令和", 2019, 5, 1),
        ("平成", 1989, 1, 8),
        ("昭和", 1926, 12, 25),
    ];
    ERAS.iter().find_map(|&(name, year, month, day)| {
        let start = NaiveDate::from_ymd_opt(year, month, day)?;
        (date >= start).then(|| (name, date.year() - year + 1))
    })
}

fn weekday_ja(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "月",
        Weekday::Tue => "火",
        Weekday::Wed => "水",
        Weekday::Thu => "木",
        Weekday::Fri => "金",
        Weekday::Sat => "土",
        Weekday::Sun => "日",
    }
}

fn month_en(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    usize::try_from(month)
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("")
}

/// Registers the `date` and `month_day` filters on a template environment. They
/// read `lang` (`ja`/`en`) and `calendar` (`gregorian`/`japanese`) from the
/// template's context and take a `YYYY-MM-DD` string (how dates serialise; a
/// longer string such as a local timestamp is read by its first ten characters).
/// A missing date renders as nothing and anything else stays as it was, rather
/// than failing the page.
pub fn add_filters(env: &mut minijinja::Environment<'_>) {
    fn style(state: &minijinja::State) -> DateStyle {
        let read = |name: &str| {
            state
                .lookup(name)
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        DateStyle::new(
            read("lang")
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_default(),
            read("calendar")
                .as_deref()
                .and_then(Calendar::parse)
                .unwrap_or_default(),
        )
    }
    fn apply(value: minijinja::Value, format: impl Fn(NaiveDate) -> String) -> minijinja::Value {
        if value.is_none() || value.is_undefined() {
            return minijinja::Value::from("");
        }
        match value
            .as_str()
            .and_then(|s| s.get(..10))
            .map(str::parse::<NaiveDate>)
        {
            Some(Ok(date)) => minijinja::Value::from(format(date)),
            _ => value,
        }
    }
    env.add_filter(
        "date",
        |state: &minijinja::State, value: minijinja::Value| {
            let style = style(state);
            apply(value, |d| style.date(d))
        },
    );
    env.add_filter(
        "month_day",
        |state: &minijinja::State, value: minijinja::Value| {
            let style = style(state);
            apply(value, |d| style.month_day(d))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn japanese_dates_carry_the_weekday() {
        let style = DateStyle::new(Lang::Ja, Calendar::Gregorian);
        assert_eq!(style.date(day(2026, 12, 14)), "2026年12月14日（月）");
        assert_eq!(style.month_day(day(2026, 12, 14)), "12月14日（月）");
        assert_eq!(style.date(day(2020, 8, 3)), "2020年8月3日（月）");
    }

    #[test]
    fn the_japanese_calendar_starts_each_era_at_gannen() {
        let wareki = DateStyle::new(Lang::Ja, Calendar::Japanese);
        assert_eq!(wareki.date(day(2026, 12, 14)), "令和8年12月14日（月）");
        assert_eq!(wareki.date(day(2019, 5, 1)), "令和元年5月1日（水）");
        assert_eq!(wareki.date(day(2019, 4, 30)), "平成31年4月30日（火）");
        assert_eq!(wareki.date(day(1989, 1, 7)), "昭和64年1月7日（土）");
        assert_eq!(wareki.date(day(1989, 1, 8)), "平成元年1月8日（日）");
        assert_eq!(wareki.date(day(1900, 1, 1)), "1900年1月1日（月）");
    }

    #[test]
    fn english_dates_read_day_month_year() {
        let style = DateStyle::new(Lang::En, Calendar::Japanese);
        assert_eq!(style.date(day(2026, 12, 14)), "Mon 14 Dec 2026");
        assert_eq!(style.month_day(day(2026, 12, 14)), "Mon 14 Dec");
    }

    #[test]
    fn filters_read_language_and_calendar_from_the_context() {
        let mut env = minijinja::Environment::new();
        add_filters(&mut env);
        let render =
            |source: &str, ctx: minijinja::Value| env.render_str(source, ctx).expect("renders");
        let ctx = minijinja::context! { d => "2026-12-14", lang => "ja", calendar => "japanese" };
        assert_eq!(render("{{ d|date }}", ctx.clone()), "令和8年12月14日（月）");
        assert_eq!(render("{{ d|month_day }}", ctx), "12月14日（月）");
        let ctx = minijinja::context! { d => "2026-12-14T09:00:00+09:00" };
        assert_eq!(render("{{ d|date }}", ctx), "2026年12月14日（月）");
        let ctx = minijinja::context! { d => "not a date", lang => "en" };
        assert_eq!(render("{{ d|date }}", ctx), "not a date");
        let ctx = minijinja::context! { d => minijinja::Value::from(()) };
        assert_eq!(render("[{{ d|date }}]", ctx), "[]");
    }
}
