//! The `shukudai` command line.
mod accounts;
mod extract;
mod import;
mod output;
mod remind;
mod serve;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

use crate::config::{LogFormat, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "shukudai",
    version,
    about = "会議録から宿題を抽出し、担当部署と期限を管理します / turns meeting minutes into tracked tasks"
)]
pub struct Cli {
    /// Folder with default.toml and $SHUKUDAI_ENV.toml.
    #[arg(
        long,
        global = true,
        env = "SHUKUDAI_CONFIG_DIR",
        default_value = "config"
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the meeting and the action items the extractor finds in a minutes file.
    Extract {
        file: PathBuf,
        /// One JSON object on stdout, as DESIGN.md specifies.
        #[arg(long)]
        json: bool,
    },
    /// Commands that use the configuration and the database.
    #[command(flatten)]
    Service(ServiceCommand),
}

/// Everything but `extract`: these read the configuration and open the database.
#[derive(Debug, Subcommand)]
enum ServiceCommand {
    /// Migrate the database, then serve the web UI and API and run the scheduler.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Store meetings, minutes and draft tasks; the same file twice changes nothing.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Manage departments.
    #[command(subcommand)]
    Department(accounts::DepartmentCommand),
    /// Manage users.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Plan the reminders due now (or --at) and queue and send them; --dry-run prints them.
    ///
    /// Exit status: 0 when every mail due was sent; 3 when this run left mails to
    /// retry or failed (the outbox page lists them); 1 when the run itself failed;
    /// 2 for a bad configuration.
    Remind(remind::RemindArgs),
}

/// Runs the command; errors are printed as one line and turned into an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        // Pure: no configuration, database or logging needed.
        Command::Extract { file, json } => return extract::extract(&file, json),
        Command::Service(command) => command,
    };
    let settings = match Settings::load(&cli.config_dir) {
        Ok(settings) => settings,
        Err(error) => {
            output::complain(format_args!("shukudai: {error}"));
            return ExitCode::from(2);
        }
    };
    init_tracing(settings.server.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            output::complain(format_args!(
                "shukudai: cannot start the async runtime: {error}"
            ));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let done = |()| ExitCode::SUCCESS;
        match command {
            ServiceCommand::Serve => serve::serve(settings).await.map(done),
            ServiceCommand::Migrate => serve::migrate(settings).await.map(done),
            ServiceCommand::Import { files } => import::import(settings, files).await.map(done),
            ServiceCommand::Department(command) => {
                accounts::department(settings, command).await.map(done)
            }
            ServiceCommand::User(command) => accounts::user(settings, command).await.map(done),
            ServiceCommand::Remind(args) => remind::remind(settings, args).await,
        }
    });
    result.unwrap_or_else(|error| {
        output::complain(format_args!("shukudai: {error:#}"));
        ExitCode::FAILURE
    })
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
