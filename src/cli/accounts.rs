use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;

use super::output::Output;
use crate::{
    accounts::{NewUser, UserStore},
    config::Settings,
    db,
    departments::{Departments, NewDepartment},
    domain::{DepartmentName, Login, Password, Role},
};

#[derive(Debug, Subcommand)]
pub enum DepartmentCommand {
    /// Create a department.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: Option<String>,
        /// Another name the minutes use for it, such as 事務局 (repeatable).
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// A mail recipient for its reminders (repeatable).
        #[arg(long = "email")]
        emails: Vec<String>,
    },
    /// List departments.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// admin, secretariat, department or viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        department: Option<String>,
    },
    /// Print a new API token for a user.
    Token { login: String },
}

pub async fn department(settings: Settings, command: DepartmentCommand) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let departments = Departments::new(db);
    match command {
        DepartmentCommand::Add {
            name,
            parent,
            aliases,
            emails,
        } => {
            let new = NewDepartment::parse(&name, parent.as_deref(), &aliases, &emails)?;
            let created = departments.add(new, Utc::now()).await?;
            let mut out = Output::new();
            out.line(format_args!(
                "部署を登録しました: {} (id {})",
                created.name, created.id
            ));
            out.finish()?;
        }
        DepartmentCommand::List => {
            let mut out = Output::new();
            for d in departments.list().await? {
                out.line(format_args!(
                    "{}\t{}\t別名: {}\t宛先: {}",
                    d.id,
                    d.name,
                    d.aliases.join(", "),
                    d.emails.join(", ")
                ));
            }
            out.finish()?;
        }
    }
    Ok(())
}

pub async fn user(settings: Settings, command: UserCommand) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let users = UserStore::new(db);
    match command {
        UserCommand::Add {
            login,
            name,
            email,
            role,
            department,
        } => {
            let new = NewUser {
                login: Login::parse(&login).context("--login")?,
                display_name: name.trim().to_owned(),
                email: email.trim().to_owned(),
                role: role.parse::<Role>().context("--role")?,
                department: department
                    .as_deref()
                    .map(DepartmentName::parse)
                    .transpose()
                    .context("--department")?,
                password: read_password()?,
            };
            let id = users.create(new, Utc::now()).await?;
            let mut out = Output::new();
            out.line(format_args!("ユーザーを登録しました: {login} (id {id})"));
            out.finish()?;
        }
        UserCommand::Token { login } => {
            let mut out = Output::new();
            out.line(users.issue_api_token(&login, Utc::now()).await?);
            out.finish()?;
        }
    }
    Ok(())
}

fn read_password() -> anyhow::Result<Password> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // A prompt without a newline; a closed terminal leaves no one to prompt.
        let _ = write!(std::io::stderr(), "パスワード / password: ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Password::parse(&line).context("password")
}
