//! Mail templates, one folder per kind under `templates/mail/` (subject, text and
//! HTML; Japanese and English), embedded in the binary. They name stored values
//! through the label catalogue: `label("due." ~ item.due_kind)`.
use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::domain::{self, Lang, labels};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    Weekly,
    PreMeeting,
    PreMeetingSummary,
    Escalation,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::PreMeeting => "pre_meeting",
            Self::PreMeetingSummary => "pre_meeting_summary",
            Self::Escalation => "escalation",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("mail template {template}: {source}")]
pub struct TemplateError {
    template: String,
    source: minijinja::Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! embed {
    ($($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../../templates/mail/", $path)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = embed!(
    "_footer.ja.txt",
    "_footer.en.txt",
    "_footer.ja.html",
    "_footer.en.html",
    "_item.ja.txt",
    "_item.en.txt",
    "_item.ja.html",
    "_item.en.html",
    "weekly/subject.ja.txt",
    "weekly/subject.en.txt",
    "weekly/text.ja.txt",
    "weekly/text.en.txt",
    "weekly/html.ja.html",
    "weekly/html.en.html",
    "pre_meeting/subject.ja.txt",
    "pre_meeting/subject.en.txt",
    "pre_meeting/text.ja.txt",
    "pre_meeting/text.en.txt",
    "pre_meeting/html.ja.html",
    "pre_meeting/html.en.html",
    "pre_meeting_summary/subject.ja.txt",
    "pre_meeting_summary/subject.en.txt",
    "pre_meeting_summary/text.ja.txt",
    "pre_meeting_summary/text.en.txt",
    "pre_meeting_summary/html.ja.html",
    "pre_meeting_summary/html.en.html",
    "escalation/subject.ja.txt",
    "escalation/subject.en.txt",
    "escalation/text.ja.txt",
    "escalation/text.en.txt",
    "escalation/html.ja.html",
    "escalation/html.en.html",
);

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        domain::dates::add_filters(&mut env);
        // `label("due.asap")`: a value's name from the catalogue, in the mail's language.
        env.add_function("label", |state: &minijinja::State, key: &str| -> String {
            let lang = state
                .lookup("lang")
                .and_then(|v| v.as_str().and_then(Lang::parse))
                .unwrap_or_default();
            labels::lookup(key, lang).unwrap_or(key).to_owned()
        });
        for (name, source) in TEMPLATES {
            // The templates are compiled in and covered by tests; a syntax error
            // shows up as a render error naming the template.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(template = name, %error, "bad mail template");
            }
        }
        env
    })
}

/// `locale` is `en` for English; anything else is Japanese.
pub fn render(
    kind: MailKind,
    locale: &str,
    context: &impl Serialize,
) -> Result<RenderedMail, TemplateError> {
    let lang = if locale == "en" { "en" } else { "ja" };
    let env = environment();
    // Converted once, shared by the three renders.
    let context = minijinja::context! { lang => lang, ..minijinja::Value::from_serialize(context) };
    let one = |part: &str, ext: &str| -> Result<String, TemplateError> {
        let template = format!("{}/{part}.{lang}.{ext}", kind.as_str());
        env.get_template(&template)
            .and_then(|t| t.render(&context))
            .map_err(|source| TemplateError { template, source })
    };
    let subject = one("subject", "txt")?;
    Ok(RenderedMail {
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        text: one("text", "txt")?,
        html: one("html", "html")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_without_a_date_are_named_by_the_catalogue() {
        let item = serde_json::json!({
            "id": 1, "summary": "調整する", "due": null, "due_kind": "asap", "overdue_days": 0,
            "origin": "第1回", "origin_date": "2026-11-02", "link": "https://x/tasks/1",
            "done_link": null, "department": "区民部",
        });
        let context = serde_json::json!({
            "department": "事務局", "today": "2026-11-16", "contact": "事務局",
            "after_days": 7, "items": [item],
        });
        let ja = render(MailKind::Escalation, "ja", &context).expect("ja");
        assert!(ja.text.contains("期限: 早急に"), "{}", ja.text);
        assert!(ja.html.contains("期限: 早急に"), "{}", ja.html);
        let en = render(MailKind::Escalation, "en", &context).expect("en");
        assert!(en.text.contains("Due: As soon as possible"), "{}", en.text);
    }
}
