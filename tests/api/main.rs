//! Integration tests: HTTP requests to the spawned app on SQLite and PostgreSQL.
mod helpers;

mod accounts;
mod health;
mod migrations;
mod one_click;
mod reminders;
mod smtp_sink;
mod startup;
mod reminders_cli;
