//! The audit trail: one `task_event` row per change, written in the transaction of
//! the change so the trail and the data never disagree.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::{Map, Value};

use super::Actor;
use crate::{domain::EventAction, entities::task_event};

/// `{"field": [old, new], …}` for the fields that actually changed.
#[derive(Debug, Default, Clone)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `field` when `old` and `new` differ.
    pub fn diff(&mut self, field: &str, old: impl Into<Value>, new: impl Into<Value>) -> &mut Self {
        let (old, new) = (old.into(), new.into());
        if old != new {
            self.0
                .insert(field.to_owned(), Value::Array(vec![old, new]));
        }
        self
    }

    /// Records `field` unconditionally (a note's text, the merged ids).
    pub fn set(&mut self, field: &str, old: impl Into<Value>, new: impl Into<Value>) -> &mut Self {
        self.0
            .insert(field.to_owned(), Value::Array(vec![old.into(), new.into()]));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    task_id: i32,
    action: EventAction,
    changes: Changes,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    task_event::ActiveModel {
        task_id: Set(task_id),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        action: Set(action.as_str().to_owned()),
        changes: Set(Value::Object(changes.0)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
