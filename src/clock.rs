//! The clock is a side effect: behind a trait so tests can set the time. A
//! [`Moment`] is one reading of it in the configured time zone.
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;

/// The instant of one request or run, in the configured time zone: its local
/// date ("today": due dates, "overdue", the next meeting) and its local times
/// are read from here, so one request never sees two dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    now: DateTime<Utc>,
    time_zone: Tz,
    today: NaiveDate,
}

impl Moment {
    pub fn new(now: DateTime<Utc>, time_zone: Tz) -> Self {
        Self {
            now,
            time_zone,
            today: now.with_timezone(&time_zone).date_naive(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The local date of the instant.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// `at` as local time, with its offset (for answers and pages).
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.time_zone).fixed_offset()
    }
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stays where a test puts it.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
