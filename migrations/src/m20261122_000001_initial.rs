//! The first schema: bodies, meetings, minutes, departments, users and their
//! credentials, tasks with evidence, notes and audit events, the reminder outbox
//! and the scheduler's bookkeeping.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Department::Table)
                .if_not_exists()
                .col(pk_auto(Department::Id))
                .col(string_uniq(Department::Name))
                .col(integer_null(Department::ParentId))
                .col(boolean(Department::IsSecretariat).default(false))
                .col(timestamp_with_time_zone(Department::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Department::Table, Department::ParentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DepartmentAlias::Table)
                .if_not_exists()
                .col(pk_auto(DepartmentAlias::Id))
                .col(integer(DepartmentAlias::DepartmentId))
                .col(string_uniq(DepartmentAlias::Alias))
                .foreign_key(
                    ForeignKey::create()
                        .from(DepartmentAlias::Table, DepartmentAlias::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DepartmentRecipient::Table)
                .if_not_exists()
                .col(pk_auto(DepartmentRecipient::Id))
                .col(integer(DepartmentRecipient::DepartmentId))
                .col(string(DepartmentRecipient::Email))
                .col(string_len(DepartmentRecipient::Locale, 8).default("ja"))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            DepartmentRecipient::Table,
                            DepartmentRecipient::DepartmentId,
                        )
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_department_recipient")
                .table(DepartmentRecipient::Table)
                .col(DepartmentRecipient::DepartmentId)
                .col(DepartmentRecipient::Email)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(User::Table)
                .if_not_exists()
                .col(pk_auto(User::Id))
                .col(string_uniq(User::Login))
                .col(string(User::DisplayName))
                .col(string(User::Email))
                .col(string(User::PasswordHash))
                .col(string_len(User::Role, 16))
                .col(integer_null(User::DepartmentId))
                .col(string_len(User::Locale, 8).default("ja"))
                .col(boolean(User::Active).default(true))
                .col(timestamp_with_time_zone(User::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(User::Table, User::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiToken::Table)
                .if_not_exists()
                .col(pk_auto(ApiToken::Id))
                .col(integer(ApiToken::UserId))
                .col(string_uniq(ApiToken::TokenHash))
                .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiToken::Table, ApiToken::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Session::Table)
                .if_not_exists()
                .col(pk_auto(Session::Id))
                .col(integer(Session::UserId))
                .col(string_uniq(Session::TokenHash))
                .col(string(Session::CsrfToken))
                .col(timestamp_with_time_zone(Session::CreatedAt))
                .col(timestamp_with_time_zone(Session::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Session::Table, Session::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Body::Table)
                .if_not_exists()
                .col(pk_auto(Body::Id))
                .col(string_uniq(Body::Name))
                .col(integer_null(Body::SecretariatDepartmentId))
                .col(timestamp_with_time_zone(Body::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Body::Table, Body::SecretariatDepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Meeting::Table)
                .if_not_exists()
                .col(pk_auto(Meeting::Id))
                .col(integer(Meeting::BodyId))
                .col(string(Meeting::Title))
                .col(date(Meeting::HeldOn))
                .col(string_len_null(Meeting::StartsAt, 5))
                .col(string_len_null(Meeting::EndsAt, 5))
                .col(string_null(Meeting::Place))
                .col(string_len(Meeting::Status, 16))
                .col(timestamp_with_time_zone(Meeting::CreatedAt))
                .col(timestamp_with_time_zone(Meeting::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Meeting::Table, Meeting::BodyId)
                        .to(Body::Table, Body::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_meeting_body_status_held_on")
                .table(Meeting::Table)
                .col(Meeting::BodyId)
                .col(Meeting::Status)
                .col(Meeting::HeldOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Minutes::Table)
                .if_not_exists()
                .col(pk_auto(Minutes::Id))
                .col(integer(Minutes::MeetingId))
                .col(string(Minutes::FileName))
                .col(string_len_uniq(Minutes::Sha256, 64))
                .col(string_len(Minutes::Encoding, 16))
                .col(text(Minutes::Text))
                .col(integer_null(Minutes::ImportedBy))
                .col(timestamp_with_time_zone(Minutes::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Minutes::Table, Minutes::MeetingId)
                        .to(Meeting::Table, Meeting::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Minutes::Table, Minutes::ImportedBy)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Task::Table)
                .if_not_exists()
                .col(pk_auto(Task::Id))
                .col(integer(Task::BodyId))
                .col(integer(Task::MeetingId))
                .col(integer_null(Task::MinutesId))
                .col(string_len(Task::Status, 16))
                .col(text(Task::Summary))
                .col(string_len(Task::Kind, 16))
                .col(string_null(Task::Speaker))
                .col(double(Task::Confidence).default(0.0))
                .col(string_null(Task::SuggestedOwner))
                .col(integer_null(Task::OwnerDepartmentId))
                .col(string_len(Task::DueKind, 16))
                .col(date_null(Task::DueOn))
                .col(integer_null(Task::DueMeetingId))
                .col(text_null(Task::CompletionNote))
                .col(text_null(Task::CancelReason))
                .col(integer_null(Task::MergedIntoId))
                .col(integer(Task::Version).default(1))
                .col(timestamp_with_time_zone(Task::CreatedAt))
                .col(timestamp_with_time_zone(Task::UpdatedAt))
                .col(timestamp_with_time_zone_null(Task::ConfirmedAt))
                .col(timestamp_with_time_zone_null(Task::CompletedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::BodyId)
                        .to(Body::Table, Body::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::MeetingId)
                        .to(Meeting::Table, Meeting::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::MinutesId)
                        .to(Minutes::Table, Minutes::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::OwnerDepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::DueMeetingId)
                        .to(Meeting::Table, Meeting::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::MergedIntoId)
                        .to(Task::Table, Task::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "ix_task_status_due",
                &[Task::Status, Task::DueOn, Task::Id][..],
            ),
            (
                "ix_task_owner_status_due",
                &[Task::OwnerDepartmentId, Task::Status, Task::DueOn][..],
            ),
            ("ix_task_meeting", &[Task::MeetingId][..]),
            ("ix_task_due_meeting", &[Task::DueMeetingId][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Task::Table);
            for col in cols {
                index.col(*col);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(TaskEvidence::Table)
                .if_not_exists()
                .col(pk_auto(TaskEvidence::Id))
                .col(integer(TaskEvidence::TaskId))
                .col(integer_null(TaskEvidence::MinutesId))
                .col(integer(TaskEvidence::Position))
                .col(text(TaskEvidence::Quote))
                .col(integer_null(TaskEvidence::SpanStart))
                .col(integer_null(TaskEvidence::SpanEnd))
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskEvidence::Table, TaskEvidence::TaskId)
                        .to(Task::Table, Task::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskEvidence::Table, TaskEvidence::MinutesId)
                        .to(Minutes::Table, Minutes::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_task_evidence_task")
                .table(TaskEvidence::Table)
                .col(TaskEvidence::TaskId)
                .col(TaskEvidence::Position)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TaskNote::Table)
                .if_not_exists()
                .col(pk_auto(TaskNote::Id))
                .col(integer(TaskNote::TaskId))
                .col(integer_null(TaskNote::AuthorUserId))
                .col(string(TaskNote::AuthorLabel))
                .col(text(TaskNote::Body))
                .col(timestamp_with_time_zone(TaskNote::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskNote::Table, TaskNote::TaskId)
                        .to(Task::Table, Task::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskNote::Table, TaskNote::AuthorUserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_task_note_task")
                .table(TaskNote::Table)
                .col(TaskNote::TaskId)
                .col(TaskNote::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TaskEvent::Table)
                .if_not_exists()
                .col(pk_auto(TaskEvent::Id))
                .col(integer(TaskEvent::TaskId))
                .col(integer_null(TaskEvent::ActorUserId))
                .col(string(TaskEvent::ActorLabel))
                .col(string_len(TaskEvent::Action, 32))
                .col(json(TaskEvent::Changes))
                .col(timestamp_with_time_zone(TaskEvent::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskEvent::Table, TaskEvent::TaskId)
                        .to(Task::Table, Task::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskEvent::Table, TaskEvent::ActorUserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_task_event_task")
                .table(TaskEvent::Table)
                .col(TaskEvent::TaskId)
                .col(TaskEvent::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .if_not_exists()
                .col(pk_auto(Outbox::Id))
                .col(string_uniq(Outbox::DedupeKey))
                .col(string_len(Outbox::Kind, 32))
                .col(integer_null(Outbox::DepartmentId))
                .col(json(Outbox::Recipients))
                .col(string(Outbox::Subject))
                .col(text(Outbox::BodyText))
                .col(text_null(Outbox::BodyHtml))
                .col(string(Outbox::MessageId))
                .col(string_len(Outbox::Status, 16))
                .col(integer(Outbox::Attempts).default(0))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                .col(text_null(Outbox::LastError))
                .col(text_null(Outbox::SmtpResponse))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Outbox::Table, Outbox::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_status_next_attempt")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SchedulerRun::Table)
                .if_not_exists()
                .col(string_len(SchedulerRun::Job, 64).primary_key())
                .col(timestamp_with_time_zone(SchedulerRun::LastFireAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppSecret::Table)
                .if_not_exists()
                .col(string_len(AppSecret::Name, 64).primary_key())
                .col(string(AppSecret::Value))
                .col(timestamp_with_time_zone(AppSecret::CreatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AppSecret::Table.into_iden(),
            SchedulerRun::Table.into_iden(),
            Outbox::Table.into_iden(),
            TaskEvent::Table.into_iden(),
            TaskNote::Table.into_iden(),
            TaskEvidence::Table.into_iden(),
            Task::Table.into_iden(),
            Minutes::Table.into_iden(),
            Meeting::Table.into_iden(),
            Body::Table.into_iden(),
            Session::Table.into_iden(),
            ApiToken::Table.into_iden(),
            User::Table.into_iden(),
            DepartmentRecipient::Table.into_iden(),
            DepartmentAlias::Table.into_iden(),
            Department::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
    Name,
    ParentId,
    IsSecretariat,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DepartmentAlias {
    Table,
    Id,
    DepartmentId,
    Alias,
}

#[derive(DeriveIden)]
enum DepartmentRecipient {
    Table,
    Id,
    DepartmentId,
    Email,
    Locale,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Login,
    DisplayName,
    Email,
    PasswordHash,
    Role,
    DepartmentId,
    Locale,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    TokenHash,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Body {
    Table,
    Id,
    Name,
    SecretariatDepartmentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
    BodyId,
    Title,
    HeldOn,
    StartsAt,
    EndsAt,
    Place,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Minutes {
    Table,
    Id,
    MeetingId,
    FileName,
    Sha256,
    Encoding,
    Text,
    ImportedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Task {
    Table,
    Id,
    BodyId,
    MeetingId,
    MinutesId,
    Status,
    Summary,
    Kind,
    Speaker,
    Confidence,
    SuggestedOwner,
    OwnerDepartmentId,
    DueKind,
    DueOn,
    DueMeetingId,
    CompletionNote,
    CancelReason,
    MergedIntoId,
    Version,
    CreatedAt,
    UpdatedAt,
    ConfirmedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum TaskEvidence {
    Table,
    Id,
    TaskId,
    MinutesId,
    Position,
    Quote,
    SpanStart,
    SpanEnd,
}

#[derive(DeriveIden)]
enum TaskNote {
    Table,
    Id,
    TaskId,
    AuthorUserId,
    AuthorLabel,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TaskEvent {
    Table,
    Id,
    TaskId,
    ActorUserId,
    ActorLabel,
    Action,
    Changes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    DedupeKey,
    Kind,
    DepartmentId,
    Recipients,
    Subject,
    BodyText,
    BodyHtml,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    SmtpResponse,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum SchedulerRun {
    Table,
    Job,
    LastFireAt,
}

#[derive(DeriveIden)]
enum AppSecret {
    Table,
    Name,
    CreatedAt,
    Value,
}
