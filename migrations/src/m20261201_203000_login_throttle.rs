//! Failed logins, counted per account (the login name typed, whether or not such a
//! user exists) and per client address, with the lockout they led to. Kept in the
//! database so that every `serve` instance sharing it counts and refuses alike.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .if_not_exists()
                .col(string_len(LoginThrottle::Scope, 16))
                .col(string_len(LoginThrottle::Subject, 255))
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::WindowStartedAt))
                .col(integer(LoginThrottle::Lockouts))
                .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                .col(timestamp_with_time_zone(LoginThrottle::LastFailureAt))
                .primary_key(
                    Index::create()
                        .col(LoginThrottle::Scope)
                        .col(LoginThrottle::Subject),
                )
                .to_owned(),
        )
        .await?;
        // Forgotten rows are purged by age.
        m.create_index(
            Index::create()
                .name("idx_login_throttle_last_failure_at")
                .table(LoginThrottle::Table)
                .col(LoginThrottle::LastFailureAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(LoginThrottle::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Scope,
    Subject,
    Failures,
    WindowStartedAt,
    Lockouts,
    LockedUntil,
    LastFailureAt,
}
