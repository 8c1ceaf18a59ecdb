//! Page templates, compiled into the binary so it runs from any directory.
use std::sync::LazyLock;

use minijinja::{Environment, State, Value};

use super::i18n::translate;
use crate::domain::{DueKind, Lang, labels::due_text};

macro_rules! embedded {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/web/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = embedded!(
    "layout.html",
    "login.html",
    "error.html",
    "dashboard.html",
    "admin.html",
    "meetings.html",
    "meeting.html",
    "task.html",
    "report.html",
    "import.html",
    "outbox.html",
    "tasks.html",
    "one_click.html",
);

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        if let Err(error) = env.add_template(name, source) {
            // A template that does not parse is a build defect; the page using it
            // will answer 500 and this log names it.
            tracing::error!(template = name, %error, "template does not parse");
        }
    }
    crate::domain::dates::add_filters(&mut env);
    env.add_function("t", |state: &State, key: &str| -> String {
        let lang = state
            .lookup("lang")
            .and_then(|v| v.as_str().and_then(Lang::parse))
            .unwrap_or_default();
        translate(lang, key)
    });
    env.add_function(
        "due_text",
        |state: &State, kind: &str, on: Option<String>| -> String {
            let lang = state
                .lookup("lang")
                .and_then(|v| v.as_str().and_then(Lang::parse))
                .unwrap_or_default();
            let kind = kind.parse().unwrap_or(DueKind::None);
            due_text(kind, on.and_then(|d| d.parse().ok()), lang)
        },
    );
    env
});

pub fn render(name: &str, context: Value) -> Result<String, minijinja::Error> {
    ENVIRONMENT.get_template(name)?.render(context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/web");
        for entry in std::fs::read_dir(dir).expect("templates/web") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            assert!(
                TEMPLATES.iter().any(|(embedded, _)| *embedded == name),
                "templates/web/{name} is not in TEMPLATES"
            );
        }
    }

    #[test]
    fn every_template_parses() {
        for (name, _) in TEMPLATES {
            assert!(
                ENVIRONMENT.get_template(name).is_ok(),
                "{name} does not parse"
            );
        }
    }
}
