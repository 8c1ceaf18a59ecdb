//! Escalation: items overdue by more than `reminders.escalate_after_days`,
//! listed to the secretariat once per local day.
use chrono::{DateTime, Duration, Utc};

use super::{Items, Letter, Occasion, Part, ReminderKind, daily_occasion};
use crate::{config::Settings, mail::MailKind, reminders::snapshot::Snapshot};

pub struct Escalation;

impl ReminderKind for Escalation {
    fn name(&self) -> &'static str {
        "escalation"
    }

    fn occasion(&self, settings: &Settings, now: DateTime<Utc>) -> Option<Occasion> {
        daily_occasion(settings, now)
    }

    fn key_prefix(&self, occasion: &Occasion) -> String {
        format!("escalation:{}", occasion.today)
    }

    fn letters<'s>(
        &self,
        snapshot: &'s Snapshot,
        occasion: &Occasion,
        settings: &Settings,
    ) -> Vec<Letter<'s>> {
        let after = i64::from(settings.reminders.escalate_after_days);
        // Overdue on the day `after` days ago: more than `after` days overdue today.
        let cutoff = occasion.today - Duration::days(after);
        let tasks: Vec<_> = snapshot
            .tasks
            .iter()
            .filter(|t| t.deadline().is_overdue(cutoff))
            .collect();
        if tasks.is_empty() {
            return Vec::new();
        }
        let Some(secretariat) = snapshot.secretariat() else {
            tracing::warn!("items to escalate but no secretariat department");
            return Vec::new();
        };
        vec![Letter {
            key: self.key_prefix(occasion),
            mail: MailKind::Escalation,
            department_id: secretariat.id,
            items: tasks.len(),
            parts: vec![
                ("after_days", Part::Number(after)),
                ("items", Part::Tasks(tasks, Items::WITH_OWNERS)),
            ],
        }]
    }
}
