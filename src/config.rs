//! Typed settings: `config/default.toml` (compiled in, so the binary runs from any
//! directory), overlaid by `config/$SHUKUDAI_ENV.toml`, overlaid by
//! `SHUKUDAI__SECTION__KEY` environment variables. Values are parsed into their
//! domain types here, once, so a bad value fails at start with its key named.
use std::{fmt, net::SocketAddr, path::Path, path::PathBuf, str::FromStr};

use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use serde::{Deserialize, Deserializer};

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub mail: MailSettings,
    pub reminders: ReminderSettings,
    pub cache: CacheSettings,
    pub display: DisplaySettings,
    #[serde(default)]
    pub security: SecuritySettings,
}

/// How pages, mails and printouts write things for people.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplaySettings {
    /// `gregorian` (2026年12月14日（月）) or `japanese` (和暦: 令和8年12月14日（月）).
    pub calendar: crate::domain::Calendar,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(from = "ServerFile")]
pub struct ServerSettings {
    pub listen: SocketAddr,
    pub public_url: String,
    /// Whether cookies carry `Secure`: as configured, else true exactly when
    /// `public_url` is https (a service reached over TLS never needs them in clear).
    pub secure_cookies: bool,
    pub session_hours: u32,
    pub log_format: LogFormat,
    pub max_upload_bytes: usize,
}

/// `[server]` as written: `secure_cookies` may be left out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerFile {
    listen: SocketAddr,
    public_url: String,
    #[serde(default)]
    secure_cookies: Option<bool>,
    session_hours: u32,
    log_format: LogFormat,
    max_upload_bytes: usize,
}

impl From<ServerFile> for ServerSettings {
    fn from(file: ServerFile) -> Self {
        let served_over_tls = file
            .public_url
            .trim()
            .split_once("://")
            .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("https"));
        Self {
            secure_cookies: file.secure_cookies.unwrap_or(served_over_tls),
            listen: file.listen,
            public_url: file.public_url,
            session_hours: file.session_hours,
            log_format: file.log_format,
            max_upload_bytes: file.max_upload_bytes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    Smtp,
    File,
    Memory,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    pub smtp_url: String,
    #[serde(default)]
    pub smtp_username: Option<String>,
    /// From the environment only (`SHUKUDAI__MAIL__SMTP_PASSWORD`).
    #[serde(default)]
    pub smtp_password: Option<String>,
    pub from: String,
    pub file_dir: PathBuf,
    pub contact: String,
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("transport", &self.transport)
            .field("smtp_url", &self.smtp_url)
            .field("smtp_username", &self.smtp_username)
            .field("smtp_password", &self.smtp_password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("file_dir", &self.file_dir)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    pub enabled: bool,
    pub timezone: chrono_tz::Tz,
    pub weekly_cron: CronSchedule,
    pub pre_meeting_days: Vec<u32>,
    pub escalate_after_days: u32,
    pub catch_up_hours: u32,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    pub enabled: bool,
    /// Upper bound on the memory held by cached answers.
    pub max_bytes: u64,
    /// How often a SQLite database is checked for changes made by other processes.
    pub poll_ms: u64,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// Key for signed links, from the environment (`SHUKUDAI__SECURITY__SECRET_KEY`).
    /// When absent, a random key is generated once and kept in the database so
    /// that every instance sharing it agrees.
    #[serde(default)]
    pub secret_key: Option<String>,
}

impl fmt::Debug for SecuritySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecuritySettings")
            .field("secret_key", &self.secret_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A cron expression in the `cron` crate's syntax (seconds first), parsed at load.
#[derive(Clone)]
pub struct CronSchedule {
    source: String,
    schedule: cron::Schedule,
}

impl CronSchedule {
    pub fn schedule(&self) -> &cron::Schedule {
        &self.schedule
    }
}

impl fmt::Debug for CronSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CronSchedule({:?})", self.source)
    }
}

impl FromStr for CronSchedule {
    type Err = String;

    fn from_str(source: &str) -> Result<Self, Self::Err> {
        let schedule = cron::Schedule::from_str(source).map_err(|e| {
            format!(
                "a cron expression such as \"0 0 9 * * Mon\" (sec min hour day month weekday): {e}"
            )
        })?;
        Ok(Self {
            source: source.to_owned(),
            schedule,
        })
    }
}

impl<'de> Deserialize<'de> for CronSchedule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        source.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

impl Settings {
    /// Loads the settings from `config_dir` and the process environment.
    pub fn load(config_dir: &Path) -> Result<Self, ConfigError> {
        Self::figment(config_dir).extract().map_err(describe)
    }

    pub fn figment(config_dir: &Path) -> Figment {
        let mut figment = Figment::new()
            .merge(Toml::string(DEFAULTS))
            .merge(Toml::file(config_dir.join("default.toml")));
        if let Ok(env) = std::env::var("SHUKUDAI_ENV")
            && !env.is_empty()
        {
            figment = figment.merge(Toml::file(config_dir.join(format!("{env}.toml"))));
        }
        figment.merge(Env::prefixed("SHUKUDAI__").split("__"))
    }

    /// The defaults alone, for tests and tools that build their own overrides.
    pub fn defaults() -> Result<Self, ConfigError> {
        Figment::new()
            .merge(Toml::string(DEFAULTS))
            .extract()
            .map_err(describe)
    }
}

impl Settings {
    /// The time zone every date is local to: "today", due dates, "overdue", the
    /// reminders' schedule and the times pages and answers show
    /// (`reminders.timezone`, Asia/Tokyo by default).
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.reminders.timezone
    }
}

/// One line per problem, each naming the key and what was expected.
fn describe(error: figment::Error) -> ConfigError {
    let lines: Vec<String> = error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .and_then(|m| {
                    m.source
                        .as_ref()
                        .map(|s| format!(" (from {} {s})", m.name))
                        .or_else(|| Some(format!(" (from {})", m.name)))
                })
                .unwrap_or_default();
            if key.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("key `{key}`: {}{source}", e.kind)
            }
        })
        .collect();
    // One line: a cron parse error, for one, spans several.
    let joined = lines.join("; ");
    ConfigError(joined.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let settings = Settings::defaults().expect("defaults parse");
        assert_eq!(settings.database.url, "sqlite://data/shukudai.db?mode=rwc");
        assert_eq!(settings.server.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.reminders.timezone, chrono_tz::Asia::Tokyo);
        assert_eq!(settings.reminders.pre_meeting_days, vec![7, 1]);
    }

    #[test]
    fn bad_value_names_its_key() {
        let error = Figment::new()
            .merge(Toml::string(DEFAULTS))
            .merge(Toml::string("[server]\nlisten = \"not-an-address\""))
            .extract::<Settings>()
            .map_err(describe)
            .expect_err("bad listen address is refused");
        assert!(error.to_string().contains("server.listen"), "{error}");
    }

    fn server_with(overrides: &str) -> ServerSettings {
        Figment::new()
            .merge(Toml::string(DEFAULTS))
            .merge(Toml::string(overrides))
            .extract::<Settings>()
            .map_err(describe)
            .expect("settings parse")
            .server
    }

    #[test]
    fn secure_cookies_follow_an_https_public_url_unless_set() {
        assert!(!server_with("").secure_cookies, "the default URL is http");
        assert!(
            server_with("[server]\npublic_url = \"https://shukudai.example.jp\"").secure_cookies
        );
        assert!(
            server_with("[server]\npublic_url = \"HTTPS://shukudai.example.jp\"").secure_cookies
        );
        assert!(
            !server_with(
                "[server]\npublic_url = \"https://shukudai.example.jp\"\nsecure_cookies = false"
            )
            .secure_cookies
        );
        assert!(server_with("[server]\nsecure_cookies = true").secure_cookies);
    }

    #[test]
    fn unknown_server_key_is_refused() {
        let error = Figment::new()
            .merge(Toml::string(DEFAULTS))
            .merge(Toml::string("[server]\nsecure_cookie = true"))
            .extract::<Settings>()
            .map_err(describe)
            .expect_err("a misspelt key is refused");
        assert!(error.to_string().contains("secure_cookie"), "{error}");
    }

    #[test]
    fn bad_cron_names_its_key() {
        let error = Figment::new()
            .merge(Toml::string(DEFAULTS))
            .merge(Toml::string("[reminders]\nweekly_cron = \"every monday\""))
            .extract::<Settings>()
            .map_err(describe)
            .expect_err("bad cron is refused");
        assert!(
            error.to_string().contains("reminders.weekly_cron"),
            "{error}"
        );
    }
}
