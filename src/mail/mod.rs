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
    /// The server or the connection failed; `permanent` for a 5xx answer, and
    /// `response` the server's reply when it gave one (e.g. `550 5.1.1 …`).
    #[error("SMTP: {message}")]
    Smtp {
        message: String,
        permanent: bool,
        response: Option<String>,
    },
    #[error("cannot write the mail file: {0}")]
    Io(#[from] std::io::Error),
    #[error("no mail transport is configured")]
    Unconfigured,
}

impl MailError {
    /// Whether sending the same mail again cannot succeed: the server rejected it
    /// for good (5xx), or the mail itself is unusable. Connection trouble, 4xx
    /// answers and a missing transport may pass.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Smtp { permanent, .. } => *permanent,
            Self::Address(_) | Self::Build(_) => true,
            Self::Io(_) | Self::Unconfigured => false,
        }
    }

    /// The SMTP server's reply, when the failure is one.
    pub fn smtp_response(&self) -> Option<&str> {
        match self {
            Self::Smtp { response, .. } => response.as_deref(),
            _ => None,
        }
    }
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
            with_crlf(&mail.text),
            with_crlf(html),
        )),
        None => builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(with_crlf(&mail.text)),
        ),
    };
    result.map_err(|e| MailError::Build(e.to_string()))
}

/// `text` with CRLF line endings, in one pass. lettre would convert bare LFs
/// itself, but by inserting each CR in place, which moves the rest of the text
/// every time: for a digest of a few hundred items that was most of the time
/// spent building the message.
fn with_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(rest) if !rest.ends_with('\r') => {
                out.push_str(rest);
                out.push_str("\r\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The domain for Message-IDs: the `mail.from` address's domain.
pub fn message_id_domain(from: &str) -> String {
    from.parse::<Mailbox>()
        .map(|m| m.email.domain().to_owned())
        .unwrap_or_else(|_| "shukudai.localhost".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_crlf_once() {
        assert_eq!(with_crlf("a\nb\r\nc\n\nd"), "a\r\nb\r\nc\r\n\r\nd");
        assert_eq!(with_crlf("\n宿題\n"), "\r\n宿題\r\n");
        assert_eq!(with_crlf(""), "");
    }

    #[test]
    fn built_message_has_crlf_bodies_and_the_given_id() {
        let mail = OutgoingMail {
            from: "shukudai <shukudai@city.example.jp>".into(),
            to: vec!["kumin@example.jp".into()],
            subject: "宿題".into(),
            text: "一行目\n二行目\n".into(),
            html: Some("<p>一行目</p>\n".into()),
            message_id: "<shukudai.1@city.example.jp>".into(),
        };
        let raw = build_message(&mail).expect("message").formatted();
        let parsed = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("parseable");
        assert_eq!(parsed.message_id(), Some("shukudai.1@city.example.jp"));
        assert_eq!(parsed.body_text(0).as_deref(), Some("一行目\r\n二行目\r\n"));
        assert_eq!(parsed.body_html(0).as_deref(), Some("<p>一行目</p>\r\n"));
    }
}
