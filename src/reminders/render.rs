//! Rendering: letters become mails. One copy per language of the department's
//! recipients (Japanese keeps the letter's key, English appends `:en`), with
//! the template's views of tasks and meetings; a copy whose key is taken, or a
//! department without recipients, gets none.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use minijinja::Value;
use serde::Serialize;

use super::{
    ReminderError,
    kinds::{Items, Letter, Part},
    links::LinkSigner,
    planned::{PlanReport, PlannedMail},
    snapshot::{OpenTask, Snapshot},
};
use crate::{config::Settings, domain::DueKind, entities::meeting, mail::render};

/// A task as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct ItemView {
    id: i32,
    summary: String,
    due: Option<String>,
    /// Named by the label catalogue when there is no date.
    due_kind: DueKind,
    overdue_days: i64,
    origin: String,
    origin_date: String,
    link: String,
    done_link: Option<String>,
    department: Option<String>,
}

/// A meeting as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct MeetingView {
    title: String,
    date: String,
    starts_at: Option<String>,
}

impl From<&meeting::Model> for MeetingView {
    fn from(m: &meeting::Model) -> Self {
        Self {
            title: m.title.clone(),
            date: m.held_on.to_string(),
            starts_at: m.starts_at.clone(),
        }
    }
}

/// Turns letters into mails for one planning run.
pub struct Renderer<'a> {
    pub settings: &'a Settings,
    pub snapshot: &'a Snapshot,
    pub signer: &'a LinkSigner,
    pub now: DateTime<Utc>,
}

impl Renderer<'_> {
    /// Adds the mails of `letters` to `report`.
    pub fn render(
        &self,
        letters: Vec<Letter<'_>>,
        report: &mut PlanReport,
    ) -> Result<(), ReminderError> {
        for letter in letters {
            self.render_one(letter, report)?;
        }
        Ok(())
    }

    fn render_one(&self, letter: Letter<'_>, report: &mut PlanReport) -> Result<(), ReminderError> {
        let snapshot = self.snapshot;
        let name = snapshot.department_name(letter.department_id);
        let Some(recipients) = snapshot
            .recipients
            .get(&letter.department_id)
            .filter(|r| !r.is_empty())
        else {
            tracing::warn!(department = %name, key = letter.key, "no mail recipients; not mailed");
            report.skipped_no_recipients.push(name);
            return Ok(());
        };
        let mut copies: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for r in recipients {
            let locale = if r.locale == "en" { "en" } else { "ja" };
            copies.entry(locale).or_default().push(r.email.clone());
        }
        let copies: Vec<(String, &str, Vec<String>)> = copies
            .into_iter()
            .map(|(locale, to)| (copy_key(&letter.key, locale), locale, to))
            .filter(|(key, _, _)| !snapshot.existing_keys.contains(key))
            .collect();
        if copies.is_empty() {
            return Ok(());
        }
        let context = self.context(&letter, &name);
        for (key, locale, to) in copies {
            let rendered = render(letter.mail, locale, &context)?;
            report.queued.push(PlannedMail {
                dedupe_key: key,
                kind: letter.mail,
                department_id: Some(letter.department_id),
                recipients: to,
                locale: locale.to_owned(),
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                items: letter.items,
            });
        }
        Ok(())
    }

    /// The template variables: the letter's parts, its addressee, the date and
    /// the contact line.
    fn context(&self, letter: &Letter<'_>, department: &str) -> Value {
        let common = [
            ("department", Value::from(department)),
            ("today", Value::from(self.snapshot.today.to_string())),
            ("contact", Value::from(self.settings.mail.contact.as_str())),
        ];
        let parts = letter.parts.iter().map(|(name, part)| {
            let value = match part {
                Part::Text(text) => Value::from(text.as_str()),
                Part::Number(n) => Value::from(*n),
                Part::Tasks(tasks, items) => self.items(tasks, *items),
                Part::Meeting(m) => Value::from_serialize(m.map(MeetingView::from)),
                Part::Groups(groups, items) => groups
                    .iter()
                    .map(|(department_id, tasks)| {
                        Value::from_iter([
                            (
                                "name",
                                Value::from(self.snapshot.department_name(*department_id)),
                            ),
                            ("items", self.items(tasks, *items)),
                        ])
                    })
                    .collect(),
            };
            (*name, value)
        });
        common.into_iter().chain(parts).collect()
    }

    fn items(&self, tasks: &[&OpenTask], items: Items) -> Value {
        Value::from_serialize(
            tasks
                .iter()
                .map(|t| self.item(t, items))
                .collect::<Vec<_>>(),
        )
    }

    fn item(&self, task: &OpenTask, items: Items) -> ItemView {
        let base = self.settings.server.public_url.trim_end_matches('/');
        let origin = self.snapshot.meetings.get(&task.meeting_id);
        let owner = task.owner_department_id.unwrap_or_default();
        ItemView {
            id: task.id,
            summary: task.summary.clone(),
            due: task.due_on.map(|d| d.to_string()),
            due_kind: task.due_kind,
            overdue_days: task
                .due_on
                .map(|d| (self.snapshot.today - d).num_days().max(0))
                .unwrap_or(0),
            origin: origin.map(|m| m.title.clone()).unwrap_or_default(),
            origin_date: origin.map(|m| m.held_on.to_string()).unwrap_or_default(),
            link: format!("{base}/tasks/{}", task.id),
            done_link: items.done_links.then(|| {
                format!(
                    "{base}/act/{}",
                    self.signer.done_token(task.id, owner, self.now)
                )
            }),
            department: items.owners.then(|| self.snapshot.department_name(owner)),
        }
    }
}

/// The key of the copy in `locale`.
fn copy_key(key: &str, locale: &str) -> String {
    if locale == "ja" {
        key.to_owned()
    } else {
        format!("{key}:{locale}")
    }
}
