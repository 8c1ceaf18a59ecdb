//! The reminder kinds: each one says when it is due (its time gate) and which
//! letters a [`Snapshot`] calls for, and owns its dedupe keys. They decide and
//! nothing else: the run loads the snapshot, renders the letters and queues them.
//!
//! A new kind is a new [`ReminderKind`] in [`KINDS`], with its templates under
//! `templates/mail/` (and a [`MailKind`] when it needs templates of its own).
mod escalation;
mod pre_meeting;
mod weekly;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

pub use escalation::Escalation;
pub use pre_meeting::{PreMeeting, meeting_prefix, pre_meeting_threshold};
pub use weekly::{Weekly, iso_week_label, weekly_fire};

use super::snapshot::{OpenTask, Snapshot};
use crate::{clock::Moment, config::Settings, entities::meeting, mail::MailKind};

/// Every kind, in the order a run plans them. The scheduler's tick and
/// `shukudai remind` (dry or not) both run this list.
pub const KINDS: &[&dyn ReminderKind] = &[&Weekly, &PreMeeting, &Escalation];

/// Local hour from which the daily kinds (before the meeting, escalation) are
/// due, so that they are not mailed at midnight.
pub const DAILY_FROM_HOUR: u32 = 9;

/// One kind of reminder.
pub trait ReminderKind: Send + Sync {
    /// Its name in logs, and for a scheduled kind in the run bookkeeping.
    fn name(&self) -> &'static str;

    /// Whether it is due at `now` (the time gate), and for what.
    fn occasion(&self, settings: &Settings, now: DateTime<Utc>) -> Option<Occasion>;

    /// The start of every dedupe key it may use for `occasion` (the run loads
    /// the keys already taken).
    fn key_prefix(&self, occasion: &Occasion) -> String;

    /// The letters the snapshot calls for on `occasion`; letters whose keys are
    /// taken are dropped by the run.
    fn letters<'s>(
        &self,
        snapshot: &'s Snapshot,
        occasion: &Occasion,
        settings: &Settings,
    ) -> Vec<Letter<'s>>;
}

/// What a kind is due for at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occasion {
    /// The local date of the instant.
    pub today: NaiveDate,
    /// For a kind on a schedule, the fire instant this run answers: recorded
    /// when its letters are queued, so it is answered once.
    pub fire: Option<DateTime<Tz>>,
}

/// The occasion of a daily kind: every run from [`DAILY_FROM_HOUR`] local time.
pub fn daily_occasion(settings: &Settings, now: DateTime<Utc>) -> Option<Occasion> {
    let moment = Moment::new(now, settings.time_zone());
    (now.with_timezone(&moment.time_zone()).hour() >= DAILY_FROM_HOUR).then_some(Occasion {
        today: moment.today(),
        fire: None,
    })
}

/// A planned mail before rendering: who gets it, under which key, and what it
/// says, as template variables.
#[derive(Debug, Clone)]
pub struct Letter<'s> {
    /// The key of its Japanese copy; a copy in another language appends `:en`.
    pub key: String,
    pub mail: MailKind,
    /// Whose recipients get it.
    pub department_id: i32,
    /// How many tasks it lists.
    pub items: usize,
    /// The template's variables (besides `department`, `today` and `contact`,
    /// which every letter has).
    pub parts: Vec<(&'static str, Part<'s>)>,
}

/// One template variable of a letter.
#[derive(Debug, Clone)]
pub enum Part<'s> {
    Text(String),
    Number(i64),
    /// Tasks as items with links.
    Tasks(Vec<&'s OpenTask>, Items),
    Meeting(Option<&'s meeting::Model>),
    /// Tasks by owner department: `[{name, items}]`.
    Groups(Vec<(i32, Vec<&'s OpenTask>)>, Items),
}

/// What an item shows besides the task itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Items {
    /// A one-click "done" link: only in a department's own mail.
    pub done_links: bool,
    /// The owner department's name: in mail to the secretariat.
    pub owners: bool,
}

impl Items {
    pub const FOR_OWNER: Items = Items {
        done_links: true,
        owners: false,
    };
    pub const FOR_SECRETARIAT: Items = Items {
        done_links: false,
        owners: false,
    };
    pub const WITH_OWNERS: Items = Items {
        done_links: false,
        owners: true,
    };
}
