//! The built binary reads `.env` from its working directory at startup,
//! below the real environment, and says at start which profile and mode are
//! on. Loopback only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::process::{Command, Stdio};

use common::spawned::Spawned;
use common::*;

fn run(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Spawned {
    Spawned::start(
        Command::new(env!("CARGO_BIN_EXE_rtc-tokens-server"))
            .args(args)
            .args(["--log-format", "text"])
            .current_dir(dir)
            .env_clear()
            .envs(env.iter().copied())
            .stderr(Stdio::piped()),
    )
}

#[tokio::test]
async fn dot_env_is_read_and_the_environment_wins() {
    let dir = std::env::temp_dir().join(format!("rtc-tokens-server-dotenv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".env"),
        format!(
            "# as the sample servers' .env\nBIND_ADDR=127.0.0.1:0\nAPI_KEYS={KEY}\n\
             COMPAT_PROFILE=agora-token-service\nCORS_ALLOW_ORIGIN=https://dotenv.example\n"
        ),
    )
    .unwrap();

    // .env alone: its key, its profile, its allow-list.
    let s = run(&dir, &["--demo"], &[]);
    assert!(s.log.iter().any(|l| l.contains("read .env")), "{:?}", s.log);
    assert!(
        s.log.iter().any(|l| l.contains("compatibility profile on")),
        "{:?}",
        s.log
    );
    assert!(
        !s.log.iter().any(|l| l.contains(KEY)),
        "a secret reached the log"
    );
    let r = get(s.addr, "/rtc/lobby/publisher/uid//").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    for (o, status) in [
        ("https://dotenv.example", 200),
        ("https://other.example", 403),
    ] {
        let r = request(s.addr, "GET", "/rtm/alice/", &[AUTH, ("Origin", o)], None).await;
        assert_eq!(r.status, status, "{o}");
    }
    drop(s);

    // The real environment wins, variable by variable.
    let s = run(&dir, &["--demo"], &[("COMPAT_PROFILE", "strict")]);
    assert!(!s.log.iter().any(|l| l.contains("compatibility profile on")));
    assert_eq!(get(s.addr, "/rtc/lobby/publisher/uid//").await.status, 400);
    drop(s);

    // Public mode says so at start, with its limits.
    let s = run(&dir, &["--demo", "--public-mode"], &[]);
    assert!(
        s.log.iter().any(|l| l.contains("PUBLIC MODE ON")),
        "{:?}",
        s.log
    );
    let r = request(s.addr, "GET", "/rtc/lobby/publisher/uid/7/", &[], None).await;
    assert_eq!(r.status, 200);
    drop(s);

    // Public mode without an allow-list does not start.
    let out = Command::new(env!("CARGO_BIN_EXE_rtc-tokens-server"))
        .args([
            "--demo",
            "--public-mode",
            "--bind",
            "127.0.0.1:0",
            "--env-file",
            "absent.env",
        ])
        .current_dir(&dir)
        .env_clear()
        .env("API_KEYS", KEY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("CORS_ALLOW_ORIGIN"));
    std::fs::remove_dir_all(&dir).unwrap();
}
