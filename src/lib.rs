//! shukudai: turns the requests in meeting minutes into tracked tasks (宿題) with an
//! owner department and a due date, and reminds the departments until they are done.
pub mod accounts;
pub mod agenda;
pub mod app;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod departments;
pub mod domain;
pub mod entities;
pub mod exports;
pub mod http;
pub mod import;
pub mod mail;
pub mod meetings;
pub mod minutes;
pub mod problem;
pub mod reminders;
pub mod reports;
pub mod state;
pub mod tasks;
pub mod web;
