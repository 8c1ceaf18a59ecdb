//! shukudai: turns the requests in meeting minutes into tracked tasks (宿題) with an
//! owner department and a due date, and reminds the departments until they are done.
//!
//! The modules, from the top down (each uses only its own layer or below, with no
//! cycle; `tests/module_layers.rs` checks it):
//! - `cli` — the commands;
//! - `app` — the front ends merged into one router;
//! - `http` (JSON API), `web` (pages), `exports` (files) — siblings;
//! - `agenda`, `import` — what spans several services;
//! - `reports`, `reminders`, `tasks`, `meetings`, `departments`, `accounts` — the
//!   services, each with its rules, queries and audit;
//! - `state` — what handlers share;
//! - `domain`, `entities`, `minutes` (pure), `mail`, `db`, `clock`, `config`,
//!   `cache`, `problem` — the core.
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
