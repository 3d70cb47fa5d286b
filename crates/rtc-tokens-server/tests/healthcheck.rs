//! `rtc-tokens-server healthcheck`, the built binary, against a server on
//! 127.0.0.1:0, a closed port, a listener that never answers, and a route
//! that is not 200: exit 0 only on 200, and nothing secret printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::*;

/// Well above the check's own 2 s timeout.
const BOUND: Duration = Duration::from_secs(10);

/// Runs the binary with only `env` (and PATH) in its environment, from an
/// empty directory (no `.env`); its output and how long it took.
async fn healthcheck(args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let dir = std::env::temp_dir();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_rtc-tokens-server"))
            .arg("healthcheck")
            .args(&args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env)
            .output()
            .unwrap();
        (out, started.elapsed())
    })
    .await
    .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn exits_0_when_healthz_answers_200() {
    let server = start().await;
    let url = format!("http://{}/healthz", server.addr);
    let (out, _) = healthcheck(&["--url", &url], &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains(" 200"), "{}", text(&out));
}

#[tokio::test]
async fn the_default_url_follows_the_servers_port_settings() {
    let server = start().await;
    let port = server.addr.port().to_string();
    // PORT alone: the server would bind 0.0.0.0:PORT; the check asks loopback.
    let (out, _) = healthcheck(&[], &[("PORT", &port)]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("http://127.0.0.1:{port}/healthz")),
        "{}",
        text(&out)
    );
    let bind = format!("0.0.0.0:{port}");
    let (out, _) = healthcheck(&[], &[("BIND_ADDR", &bind)]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[tokio::test]
async fn exits_1_on_a_closed_port() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/healthz");
    let (out, took) = healthcheck(&["--url", &url], &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("cannot connect"), "{}", text(&out));
    assert!(took < BOUND, "{took:?}");
    // The same through the default URL.
    let (out, _) = healthcheck(&[], &[("SERVER_PORT", &addr.port().to_string())]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[tokio::test]
async fn exits_1_when_nothing_answers_within_the_timeout() {
    // Accepts (the kernel does) but never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/healthz", listener.local_addr().unwrap());
    let (out, took) = healthcheck(&["--url", &url], &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("no answer"), "{}", text(&out));
    assert!(took < BOUND, "{took:?}");
    drop(listener);
}

#[tokio::test]
async fn exits_1_on_any_other_status_and_prints_nothing_secret() {
    let server = start().await;
    // 401 without a key; the query is sent but never printed.
    let url = format!("http://{}/v1/tokens?key={KEY}", server.addr);
    let (out, _) = healthcheck(&["--url", &url], &[("API_KEYS", KEY)]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("answered 4"), "{}", text(&out));
    assert!(!text(&out).contains(KEY), "{}", text(&out));
}

#[tokio::test]
async fn refuses_what_it_cannot_ask() {
    for url in [
        "https://127.0.0.1/healthz",
        "http://u:p@127.0.0.1/healthz",
        "x",
    ] {
        let (out, _) = healthcheck(&["--url", url], &[]).await;
        assert_eq!(out.status.code(), Some(1), "{url}: {}", text(&out));
        assert!(!text(&out).contains("u:p"), "{}", text(&out));
    }
    let (out, _) = healthcheck(&[], &[("PORT", "http")]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("PORT"), "{}", text(&out));
}
