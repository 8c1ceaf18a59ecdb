//! sea-orm entities, one per table.
pub mod api_token;
pub mod app_secret;
pub mod body;
pub mod department;
pub mod department_alias;
pub mod department_recipient;
pub mod meeting;
pub mod minutes;
pub mod outbox;
pub mod outbox_body;
pub mod scheduler_run;
pub mod session;
pub mod task;
pub mod task_event;
pub mod task_evidence;
pub mod task_note;
pub mod user;
