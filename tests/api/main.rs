//! Integration tests: HTTP requests to the spawned app on SQLite and PostgreSQL.
mod helpers;

mod accounts;
mod health;
mod migrations;
mod one_click;
mod reminders;
mod reminders_cli;
mod smtp_sink;
mod startup;
