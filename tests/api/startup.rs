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
