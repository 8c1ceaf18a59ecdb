//! Integration tests: HTTP requests to the spawned app on SQLite and PostgreSQL.
mod helpers;

mod accounts;
mod browser_policy;
mod cli_output;
mod crash;
mod documents;
mod exports;
mod fuzz_json;
mod health;
mod import;
mod login_throttle;
mod migrations;
mod one_click;
mod outbox;
mod read_cache;
mod reminders;
mod reminders_cli;
mod reports;
mod roles;
mod smtp_sink;
mod startup;
mod tasks;
mod uploads;
mod web;
mod xlsx;
