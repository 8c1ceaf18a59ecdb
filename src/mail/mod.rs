//! Outgoing mail: the [`Mailer`] trait and its transports (SMTP, `.eml` files,
//! memory), and turning a stored outbox row into a MIME message.
mod templates;
mod transport;

use std::sync::Arc;

use futures::future::BoxFuture;
use lettre::{
    Message,
    message::{Mailbox, MultiPart, SinglePart, header::ContentType},
};

pub use templates::{MailKind, RenderedMail, TemplateError, render};
pub use transport::{FileMailer, MemoryMailer, SmtpMailer, UnconfiguredMailer};

use crate::config::{MailSettings, MailTransportKind};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address `{0}`")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    /// The server or the connection failed; `permanent` for a 5xx answer.
    #[error("SMTP: {message}")]
    Smtp { message: String, permanent: bool },
    #[error("cannot write the mail file: {0}")]
    Io(#[from] std::io::Error),
    #[error("no mail transport is configured")]
    Unconfigured,
}

/// A mail ready to go: what an outbox row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// With angle brackets, e.g. `<outbox.1f2e…@example.jp>`; stable across retries.
    pub message_id: String,
}

/// What the transport answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub response: String,
}

/// Sends one message. Implementations must be cheap to share across tasks.
pub trait Mailer: Send + Sync + 'static {
    fn send<'a>(&'a self, mail: &'a OutgoingMail) -> BoxFuture<'a, Result<Delivery, MailError>>;
}

/// The transport named by `mail.transport`.
pub fn from_settings(settings: &MailSettings) -> Result<Arc<dyn Mailer>, MailError> {
    Ok(match settings.transport {
        MailTransportKind::Smtp => Arc::new(SmtpMailer::from_settings(settings)?),
        MailTransportKind::File => Arc::new(FileMailer::new(settings.file_dir.clone())),
        MailTransportKind::Memory => Arc::new(MemoryMailer::default()),
    })
}

/// Builds the MIME message: RFC 2047 encoded headers, `MIME-Version`, the given
/// `Message-ID`, a text part and, when present, its HTML alternative.
pub fn build_message(mail: &OutgoingMail) -> Result<Message, MailError> {
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|_| MailError::Address(mail.from.clone()))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()));
    if mail.to.is_empty() {
        return Err(MailError::Build("no recipients".into()));
    }
    for to in &mail.to {
        let mailbox: Mailbox = to.parse().map_err(|_| MailError::Address(to.clone()))?;
        builder = builder.to(mailbox);
    }
    let result = match &mail.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            html.clone(),
        )),
        None => builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        ),
    };
    result.map_err(|e| MailError::Build(e.to_string()))
}

/// The domain for Message-IDs: the `mail.from` address's domain.
pub fn message_id_domain(from: &str) -> String {
    from.parse::<Mailbox>()
        .map(|m| m.email.domain().to_owned())
        .unwrap_or_else(|_| "shukudai.localhost".to_owned())
}
