//! What every request handler and command shares: the database, the settings, the
//! clock, the mailer and the read cache. It sits below both front ends (`http`,
//! `web`, `exports`) so that each can take `State<AppState>` without knowing the
//! others; `app` assembles them around one of these.
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::{
    cache::ReadCache,
    clock::{Clock, Moment},
    config::Settings,
    mail::{Mailer, UnconfiguredMailer},
};

/// Everything a handler needs; cheap to clone (handles and `Arc`s only).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    /// Sends the reminder outbox; [`UnconfiguredMailer`] until `with_mailer`.
    pub mailer: Arc<dyn Mailer>,
    /// Repeated reads; kept fresh by [`crate::cache::watch`], which the
    /// application runs beside the server.
    pub cache: ReadCache,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Arc<Settings>, clock: Arc<dyn Clock>) -> Self {
        let cache = ReadCache::new(&settings.cache);
        Self {
            db,
            settings,
            clock,
            mailer: Arc::new(UnconfiguredMailer),
            cache,
        }
    }

    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    /// Now, in the configured time zone: read once per request and passed down.
    pub fn moment(&self) -> Moment {
        Moment::new(self.clock.now(), self.settings.time_zone())
    }

    /// Today's local date (for a handler that needs nothing else of the moment).
    pub fn today(&self) -> NaiveDate {
        self.moment().today()
    }
}
