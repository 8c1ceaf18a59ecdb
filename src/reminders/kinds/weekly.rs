//! The weekly digest: on each fire of `reminders.weekly_cron` (caught up within
//! `reminders.catch_up_hours`), one mail per department with open items: overdue
//! first, then due by the next meeting of the task's body, then the rest.
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{Items, Letter, Occasion, Part, ReminderKind};
use crate::{
    clock::Moment,
    config::Settings,
    entities::meeting,
    mail::MailKind,
    meetings::next,
    reminders::snapshot::{OpenTask, Snapshot},
};

pub struct Weekly;

/// ISO week label such as `2026-W47` (ISO week-numbering year).
pub fn iso_week_label(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The most recent weekly fire instant at or before `now`, if it is at most
/// `catch_up_hours` old (at least five minutes, so a normal tick never misses it).
pub fn weekly_fire(settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let tz = settings.time_zone();
    let window =
        Duration::hours(i64::from(settings.reminders.catch_up_hours)).max(Duration::minutes(5));
    let start = (now - window - Duration::seconds(1)).with_timezone(&tz);
    settings
        .reminders
        .weekly_cron
        .schedule()
        .after(&start)
        .take_while(|fire| fire.with_timezone(&Utc) <= now)
        .last()
}

/// The week of the fire being answered.
fn week(occasion: &Occasion) -> String {
    iso_week_label(
        occasion
            .fire
            .map_or(occasion.today, |fire| fire.date_naive()),
    )
}

/// `weekly:2026-W48:`, followed by `dept:<id>`.
fn week_prefix(occasion: &Occasion) -> String {
    format!("weekly:{}:", week(occasion))
}

impl ReminderKind for Weekly {
    fn name(&self) -> &'static str {
        "weekly"
    }

    fn occasion(&self, settings: &Settings, now: DateTime<Utc>) -> Option<Occasion> {
        let fire = weekly_fire(settings, now)?;
        Some(Occasion {
            today: Moment::new(now, settings.time_zone()).today(),
            fire: Some(fire),
        })
    }

    fn key_prefix(&self, occasion: &Occasion) -> String {
        week_prefix(occasion)
    }

    fn letters<'s>(
        &self,
        snapshot: &'s Snapshot,
        occasion: &Occasion,
        _settings: &Settings,
    ) -> Vec<Letter<'s>> {
        let today = occasion.today;
        let prefix = week_prefix(occasion);
        let week = week(occasion);
        let next_by_body = next::next_by_body(snapshot.meetings.values(), today);
        let mut by_department: BTreeMap<i32, Vec<&OpenTask>> = BTreeMap::new();
        for task in &snapshot.tasks {
            if let Some(owner) = task.owner_department_id {
                by_department.entry(owner).or_default().push(task);
            }
        }
        by_department
            .into_iter()
            .map(|(department_id, tasks)| {
                let (mut overdue, mut due_next, mut rest) = (Vec::new(), Vec::new(), Vec::new());
                let mut next_meeting: Option<&meeting::Model> = None;
                for task in &tasks {
                    let deadline = task.deadline();
                    let next_of_body = next_by_body.get(&task.body_id).copied();
                    if deadline.is_overdue(today) {
                        overdue.push(*task);
                    } else if let Some(next) = next_of_body.filter(|m| deadline.is_due_by(m)) {
                        if next_meeting.is_none_or(|n| next.held_on < n.held_on) {
                            next_meeting = Some(next);
                        }
                        due_next.push(*task);
                    } else {
                        rest.push(*task);
                    }
                }
                Letter {
                    key: format!("{prefix}dept:{department_id}"),
                    mail: MailKind::Weekly,
                    department_id,
                    items: tasks.len(),
                    parts: vec![
                        ("week", Part::Text(week.clone())),
                        ("total", Part::Number(tasks.len() as i64)),
                        ("overdue", Part::Tasks(overdue, Items::FOR_OWNER)),
                        ("due_next", Part::Tasks(due_next, Items::FOR_OWNER)),
                        ("rest", Part::Tasks(rest, Items::FOR_OWNER)),
                        ("next_meeting", Part::Meeting(next_meeting)),
                    ],
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cron_fires_monday_nine_tokyo() {
        let settings = Settings::defaults().expect("defaults");
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("instant")
                .with_timezone(&Utc)
        };
        assert!(weekly_fire(&settings, at("2026-11-23T08:59:59+09:00")).is_none());
        let fire = weekly_fire(&settings, at("2026-11-23T09:00:00+09:00")).expect("fires");
        assert_eq!(fire.to_rfc3339(), "2026-11-23T09:00:00+09:00");
        assert!(weekly_fire(&settings, at("2026-11-24T09:00:01+09:00")).is_none());
    }
}
