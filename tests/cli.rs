//! The command line: help text and one-line configuration errors.

use std::process::Command;

fn radslag() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_radslag"));
    command.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[test]
fn help_lists_the_commands() {
    let output = radslag().arg("--help").output().expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "demo", "migrate", "worker", "user", "municipality"] {
        assert!(text.contains(command), "{command} missing from help:\n{text}");
    }
}

#[test]
fn a_missing_setting_stops_start_up_with_one_line() {
    let output = radslag()
        .arg("migrate")
        .env("RADSLAG_SENDER", "panel@example.no")
        .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line: {stderr}");
    assert!(lines[0].contains("base_url") && lines[0].contains("RADSLAG_BASE_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_invalid_setting_is_named() {
    let output = radslag()
        .arg("serve")
        .env("RADSLAG_BASE_URL", "https://panel.example.no")
        .env("RADSLAG_SENDER", "panel@example.no")
        .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
        .env("RADSLAG_SMTP_PORT", "99999")
        .env("RADSLAG_MAIL_TRANSPORT", "smtp")
        .env("RADSLAG_SMTP_HOST", "smtp.example.no")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("RADSLAG_SMTP_PORT") && stderr.lines().count() == 1, "{stderr}");
}

#[test]
fn user_add_reads_the_password_from_stdin() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("radslag-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite://{}/cli.db", dir.display());
    let base = |command: &mut Command| {
        command
            .env("RADSLAG_BASE_URL", "http://localhost")
            .env("RADSLAG_SENDER", "panel@example.no")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .env("RADSLAG_DATABASE_URL", &db);
    };
    let mut add = radslag();
    base(&mut add);
    let status = add
        .args(["municipality", "add", "--slug", "vik", "--name", "Vik kommune", "--host", "vik.test"])
        .status()
        .expect("run");
    assert!(status.success());

    let mut user = radslag();
    base(&mut user);
    let mut child = user
        .args(["user", "add", "--email", "kari@vik.test", "--role", "admin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"a long enough password\n").expect("write");
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Created admin account kari@vik.test"));

    let mut list = radslag();
    base(&mut list);
    let output = list.args(["user", "list"]).output().expect("run");
    assert!(String::from_utf8_lossy(&output.stdout).contains("kari@vik.test"));
    let _ = std::fs::remove_dir_all(&dir);
}
