//! Schema migrations, shared by `shukudai migrate`, `shukudai serve` and the tests.
//! Append-only: a released migration is never edited; change the schema with a new file.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_initial;
mod m20261122_050000_task_list_order;
mod m20261122_060000_one_click_use;
mod m20261122_070000_outbox_body;
mod m20261122_080000_change_signal;
mod m20261201_201000_outbox_lease_owner;
mod m20261201_203000_login_throttle;
mod m20261201_204000_minutes_file;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_initial::Migration),
            Box::new(m20261122_050000_task_list_order::Migration),
            Box::new(m20261122_060000_one_click_use::Migration),
            Box::new(m20261122_070000_outbox_body::Migration),
            Box::new(m20261122_080000_change_signal::Migration),
            Box::new(m20261201_201000_outbox_lease_owner::Migration),
            Box::new(m20261201_203000_login_throttle::Migration),
            Box::new(m20261201_204000_minutes_file::Migration),
        ]
    }
}
