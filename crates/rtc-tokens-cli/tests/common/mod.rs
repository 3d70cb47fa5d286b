//! Helpers shared by the CLI's end-to-end tests: the binary with a cleared
//! environment, vendor credentials, and runners that check exit codes.
// Each test file uses only some of the helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

pub const ZEGO_APP_ID: &str = "1234567890";
pub const ZEGO_SECRET: &str = "demo0000demo0000demo0000demo0000";
pub const AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
pub const AGORA_CERT: &str = "fedcba9876543210fedcba9876543210";

/// The binary with an empty environment: nothing leaks in from the caller.
pub fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rtc-tokens"));
    cmd.env_clear();
    cmd
}

pub fn with_zego(mut cmd: Command) -> Command {
    cmd.env("ZEGO_APP_ID", ZEGO_APP_ID)
        .env("ZEGO_SERVER_SECRET", ZEGO_SECRET);
    cmd
}

pub fn with_agora(mut cmd: Command) -> Command {
    cmd.env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", AGORA_CERT);
    cmd
}

pub fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

/// Runs with `--json`, expects `code`, returns stdout as JSON.
pub fn run_json(mut cmd: Command, args: &[&str], code: i32) -> Value {
    let out = cmd
        .args(args)
        .arg("--json")
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    json(&out)
}

/// Runs, expects exit 2 with one line on stderr and nothing on stdout; returns stderr.
pub fn usage_error(mut cmd: Command, args: &[&str]) -> String {
    let out = cmd
        .args(args)
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    err
}

pub fn temp_file(name: &str, content: &str) -> PathBuf {
    // A folder per call: tests run in parallel and may write files of the same name.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rtc-tokens-cli-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}
