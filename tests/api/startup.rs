//! The real binary: configuration errors name their key; a fresh start serves.
use std::process::Command;

#[test]
fn serve_with_an_unreadable_config_value_names_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let output = Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .arg("serve")
        .current_dir(dir.path())
        .env("SHUKUDAI__SERVER__LISTEN", "not-an-address")
        .output()
        .expect("run shukudai");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("server.listen"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn a_bad_toml_overlay_names_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir(dir.path().join("config")).expect("config dir");
    std::fs::write(
        dir.path().join("config/staging.toml"),
        "[reminders]\npre_meeting_days = \"a week\"\n",
    )
    .expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .arg("migrate")
        .current_dir(dir.path())
        .env("SHUKUDAI_ENV", "staging")
        .output()
        .expect("run shukudai");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("reminders.pre_meeting_days"), "{stderr}");
}

#[test]
fn migrate_creates_the_sqlite_file_under_data() {
    let dir = tempfile::tempdir().expect("dir");
    let output = Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .arg("migrate")
        .current_dir(dir.path())
        .output()
        .expect("run shukudai");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("data/shukudai.db").exists());
}

fn extract(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .arg("extract")
        .args(args)
        .output()
        .expect("run shukudai extract")
}

#[test]
fn extract_json_prints_the_contract_shape() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/minutes/iinkai-named.txt"
    );
    let output = extract(&["--json", fixture]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    for key in [
        "body",
        "title",
        "held_on",
        "starts_at",
        "ends_at",
        "place",
        "secretariat",
        "agenda",
        "attendees",
    ] {
        assert!(
            json["meeting"].get(key).is_some(),
            "meeting.{key} is present"
        );
    }
    assert_eq!(json["meeting"]["held_on"], "2022-12-15");
    let items = json["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        for key in [
            "summary",
            "evidence",
            "evidence_span",
            "speaker",
            "owner",
            "due",
            "kind",
            "confidence",
        ] {
            assert!(item.get(key).is_some(), "item.{key} is present: {item}");
        }
        assert!(
            ["request", "commitment", "report"]
                .contains(&item["kind"].as_str().unwrap_or_default())
        );
        assert!(
            ["date", "next_meeting", "asap", "none"]
                .contains(&item["due"]["kind"].as_str().unwrap_or_default())
        );
    }
}

#[test]
fn extract_refuses_unreadable_input_with_exit_2() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("missing.txt");
    let garbage = dir.path().join("garbage.bin");
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&garbage, bytes).expect("write");
    for path in [&missing, &garbage] {
        let output = extract(&["--json", path.to_str().expect("utf-8 path")]);
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    }
}
