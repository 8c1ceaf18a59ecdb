//! The three transports behind [`Mailer`].
use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::future::BoxFuture;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    transport::smtp::{PoolConfig, authentication::Credentials},
};

use super::{Delivery, MailError, Mailer, OutgoingMail, build_message};
use crate::config::MailSettings;

/// SMTP through a pooled lettre transport built from `mail.smtp_url`.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn from_settings(settings: &MailSettings) -> Result<Self, MailError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| MailError::Build(format!("mail.smtp_url: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(PoolConfig::new().max_size(8));
        if let (Some(user), Some(password)) = (&settings.smtp_username, &settings.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
        })
    }

    /// Direct access for benchmarks comparing against a bare lettre loop.
    pub fn transport(&self) -> &AsyncSmtpTransport<Tokio1Executor> {
        &self.transport
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a OutgoingMail) -> BoxFuture<'a, Result<Delivery, MailError>> {
        Box::pin(async move {
            let message = tracing::debug_span!("mail.build").in_scope(|| build_message(mail))?;
            match self.transport.send(message).await {
                Ok(response) => Ok(Delivery {
                    response: format!(
                        "{} {}",
                        response.code(),
                        response.message().collect::<Vec<_>>().join(" ")
                    ),
                }),
                Err(error) => Err(MailError::Smtp {
                    permanent: error.is_permanent() && !error.status().is_some_and(refuses_us),
                    response: server_reply(&error),
                    message: error.to_string(),
                }),
            }
        })
    }
}

/// 5xx answers about our credentials (530 authentication required, 534 mechanism
/// too weak, 535 credentials invalid, 538 encryption required) refuse every mail
/// until the configuration is fixed, not this one: retried with backoff like a
/// temporary failure, so that fixing the password is enough.
fn refuses_us(code: lettre::transport::smtp::response::Code) -> bool {
    matches!(u16::from(code), 530 | 534 | 535 | 538)
}

/// The server's negative reply as it sent it (`550 5.1.1 no such user`); None
/// when the failure was not an answer (connection, timeout, TLS).
fn server_reply(error: &lettre::transport::smtp::Error) -> Option<String> {
    let code = error.status()?;
    let text = std::error::Error::source(error)
        .map(ToString::to_string)
        .unwrap_or_default();
    Some(format!("{code} {text}").trim_end().to_owned())
}

/// Writes each message as `<dir>/<message-id>.eml`, for development.
#[derive(Debug, Clone)]
pub struct FileMailer {
    dir: PathBuf,
}

impl FileMailer {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }
}

impl Mailer for FileMailer {
    fn send<'a>(&'a self, mail: &'a OutgoingMail) -> BoxFuture<'a, Result<Delivery, MailError>> {
        Box::pin(async move {
            let message = build_message(mail)?;
            tokio::fs::create_dir_all(&self.dir).await?;
            let name: String = mail
                .message_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let path = self.dir.join(format!("{name}.eml"));
            tokio::fs::write(&path, message.formatted()).await?;
            Ok(Delivery {
                response: format!("written to {}", path.display()),
            })
        })
    }
}

/// Keeps messages in memory, for tests; can be told to fail.
#[derive(Debug, Clone, Default)]
pub struct MemoryMailer {
    sent: Arc<Mutex<Vec<OutgoingMail>>>,
    failing: Arc<Mutex<bool>>,
}

impl MemoryMailer {
    pub fn sent(&self) -> Vec<OutgoingMail> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn set_failing(&self, failing: bool) {
        *self
            .failing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = failing;
    }
}

impl Mailer for MemoryMailer {
    fn send<'a>(&'a self, mail: &'a OutgoingMail) -> BoxFuture<'a, Result<Delivery, MailError>> {
        Box::pin(async move {
            build_message(mail)?;
            if *self
                .failing
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
            {
                return Err(MailError::Smtp {
                    message: "memory mailer set to fail".into(),
                    permanent: false,
                    response: None,
                });
            }
            self.sent
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(mail.clone());
            Ok(Delivery {
                response: "250 stored in memory".into(),
            })
        })
    }
}

/// The mailer of an [`crate::http::AppState`] nobody gave one: every send fails,
/// so rows stay queued rather than being lost.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnconfiguredMailer;

impl Mailer for UnconfiguredMailer {
    fn send<'a>(&'a self, _mail: &'a OutgoingMail) -> BoxFuture<'a, Result<Delivery, MailError>> {
        Box::pin(async { Err(MailError::Unconfigured) })
    }
}

#[cfg(test)]
mod tests {
    use lettre::transport::smtp::response::{Category, Code, Detail, Severity};

    use super::refuses_us;

    fn code(category: Category, detail: Detail) -> Code {
        Code::new(Severity::PermanentNegativeCompletion, category, detail)
    }

    #[test]
    fn credential_refusals_are_not_the_mails_fault() {
        assert!(refuses_us(code(Category::Unspecified3, Detail::Five)));
        assert!(refuses_us(code(Category::Unspecified3, Detail::Zero)));
        assert!(!refuses_us(code(Category::MailSystem, Detail::Zero)), "550");
        assert!(!refuses_us(code(Category::MailSystem, Detail::Four)), "554");
    }
}
