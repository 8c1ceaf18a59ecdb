//! Truncated and corrupted Word and PDF files: the conversion answers with
//! text or an error, and never panics or hangs.

use std::sync::Once;

use proptest::prelude::*;
use shukudai::minutes::document::{SourceKind, to_text};

const FIXTURES: &[&str] = &[
    "chougi-formfeed-brackets.docx",
    "gijiyoshi-bullets.docx",
    "chougi-formfeed-brackets.pdf",
    "kyoiku-iinkai-teireikai.pdf",
    "scanned.pdf",
    "password.pdf",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/documents/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Panics inside the PDF crates are expected here (the conversion turns them
/// into errors): keep them out of the test output, report all others.
fn quiet_dependency_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_dependency = info
                .location()
                .is_some_and(|l| l.file().contains(".cargo/registry"));
            if !in_dependency {
                default(info);
            }
        }));
    });
}

#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Overwrite(Vec<(usize, u8)>),
    Remove(usize, usize),
    Duplicate(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    // positions are fractions of the file in ten-thousandths
    prop_oneof![
        (0usize..10_000).prop_map(Damage::Truncate),
        prop::collection::vec((0usize..10_000, any::<u8>()), 1..16).prop_map(Damage::Overwrite),
        (0usize..10_000, 1usize..2_000).prop_map(|(at, n)| Damage::Remove(at, n)),
        (0usize..10_000, 1usize..2_000).prop_map(|(at, n)| Damage::Duplicate(at, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    let at = |p: usize, len: usize| p * len / 10_000;
    let len = bytes.len();
    match damage {
        Damage::Truncate(p) => bytes.truncate(at(*p, len)),
        Damage::Overwrite(edits) => {
            for (p, b) in edits {
                bytes[at(*p, len)] = *b;
            }
        }
        Damage::Remove(p, n) => {
            let start = at(*p, len);
            bytes.drain(start..(start + n).min(len));
        }
        Damage::Duplicate(p, n) => {
            let start = at(*p, len);
            let chunk = bytes[start..(start + n).min(len)].to_vec();
            bytes.splice(start..start, chunk);
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn damaged_documents_give_text_or_an_error(
        which in 0..FIXTURES.len(),
        damage in damage(),
    ) {
        quiet_dependency_panics();
        let name = FIXTURES[which];
        let bytes = apply(fixture(name), &damage);
        if let Ok(text) = to_text(&bytes, Some(name)) {
            prop_assert!(!text.text.trim().is_empty());
            prop_assert!(text.kind != SourceKind::PlainText || !name.ends_with(".pdf"));
        }
    }

    #[test]
    fn noise_behind_a_magic_number_is_an_error(
        magic in prop_oneof![Just(b"%PDF-1.7\n".to_vec()), Just(b"PK\x03\x04".to_vec())],
        noise in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        quiet_dependency_panics();
        let mut bytes = magic;
        bytes.extend(noise);
        prop_assert!(to_text(&bytes, None).is_err());
    }
}
