//! Before a meeting: for each scheduled meeting, on the latest of the
//! `reminders.pre_meeting_days` thresholds crossed (e.g. 7 or 1 days before),
//! one mail per department with open items due by that meeting, and a summary
//! to the secretariat. The key carries the meeting's id, its date and the
//! threshold, so a moved meeting gets reminders for its new date (and the
//! unsent ones of the old date are withdrawn, see [`meeting_prefix`]).
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Items, Letter, Occasion, Part, ReminderKind, daily_occasion};
use crate::{
    config::Settings,
    mail::MailKind,
    meetings::next,
    reminders::snapshot::{OpenTask, Snapshot},
};

pub struct PreMeeting;

/// The start of the key of every pre-meeting mail for meeting `meeting_id`
/// held on `held_on`.
pub fn meeting_prefix(meeting_id: i32, held_on: NaiveDate) -> String {
    format!("premeeting:meeting:{meeting_id}:{held_on}:")
}

/// The threshold (days before) a meeting `days_until` away falls under: the
/// smallest configured value at or above it.
pub fn pre_meeting_threshold(days: &[u32], days_until: i64) -> Option<u32> {
    if days_until <= 0 {
        return None;
    }
    days.iter()
        .copied()
        .filter(|d| i64::from(*d) >= days_until)
        .min()
}

impl ReminderKind for PreMeeting {
    fn name(&self) -> &'static str {
        "pre_meeting"
    }

    fn occasion(&self, settings: &Settings, now: DateTime<Utc>) -> Option<Occasion> {
        daily_occasion(settings, now)
    }

    fn key_prefix(&self, _occasion: &Occasion) -> String {
        "premeeting:".to_owned()
    }

    fn letters<'s>(
        &self,
        snapshot: &'s Snapshot,
        occasion: &Occasion,
        settings: &Settings,
    ) -> Vec<Letter<'s>> {
        let today = occasion.today;
        let days = &settings.reminders.pre_meeting_days;
        let Some(max_days) = days.iter().copied().max() else {
            return Vec::new();
        };
        let horizon = today + Duration::days(i64::from(max_days));
        let mut meetings: Vec<_> = snapshot
            .meetings
            .values()
            .filter(|m| next::is_upcoming(m, today) && m.held_on <= horizon)
            .collect();
        meetings.sort_by_key(|m| (m.held_on, m.id));
        let mut letters = Vec::new();
        for m in meetings {
            let days_until = (m.held_on - today).num_days();
            let Some(threshold) = pre_meeting_threshold(days, days_until) else {
                continue;
            };
            let prefix = format!("{}d{threshold}", meeting_prefix(m.id, m.held_on));
            let due: Vec<&OpenTask> = snapshot
                .tasks
                .iter()
                .filter(|t| t.deadline().is_due_by(m))
                .collect();
            if due.is_empty() {
                continue;
            }
            let mut by_department: BTreeMap<i32, Vec<&OpenTask>> = BTreeMap::new();
            for task in &due {
                if let Some(owner) = task.owner_department_id {
                    by_department.entry(owner).or_default().push(task);
                }
            }
            for (department_id, tasks) in &by_department {
                letters.push(Letter {
                    key: format!("{prefix}:dept:{department_id}"),
                    mail: MailKind::PreMeeting,
                    department_id: *department_id,
                    items: tasks.len(),
                    parts: vec![
                        ("meeting", Part::Meeting(Some(m))),
                        ("days_before", Part::Number(days_until)),
                        ("items", Part::Tasks(tasks.clone(), Items::FOR_OWNER)),
                    ],
                });
            }
            // The body's own secretariat when it names one, else the 事務局 department.
            let secretariat = snapshot
                .bodies
                .get(&m.body_id)
                .and_then(|b| b.secretariat_department_id)
                .or_else(|| snapshot.secretariat().map(|d| d.id));
            let Some(secretariat_id) = secretariat else {
                tracing::warn!(meeting = m.id, "no secretariat department; no summary");
                continue;
            };
            letters.push(Letter {
                key: format!("{prefix}:secretariat"),
                mail: MailKind::PreMeetingSummary,
                department_id: secretariat_id,
                items: due.len(),
                parts: vec![
                    ("meeting", Part::Meeting(Some(m))),
                    ("days_before", Part::Number(days_until)),
                    (
                        "departments",
                        Part::Groups(by_department.into_iter().collect(), Items::FOR_SECRETARIAT),
                    ),
                    ("total", Part::Number(due.len() as i64)),
                ],
            });
        }
        letters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_pick_the_latest_crossed() {
        let days = [7, 1];
        assert_eq!(pre_meeting_threshold(&days, 8), None);
        assert_eq!(pre_meeting_threshold(&days, 7), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 5), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 2), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 1), Some(1));
        assert_eq!(pre_meeting_threshold(&days, 0), None);
        assert_eq!(pre_meeting_threshold(&[], 3), None);
    }
}
