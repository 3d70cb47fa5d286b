//! The server over a real socket: CORS, the body and rate limits, graceful
//! shutdown, and configuration precedence. Each test starts its own server
//! on 127.0.0.1:0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::time::Duration;

use rtc_tokens_server::RateLimit;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::*;

#[tokio::test]
async fn cors_allow_list_and_preflight() {
    let s = start().await;
    let allowed = ("Origin", "https://app.example");
    let r = request(s.addr, "GET", "/rtm/alice", &[AUTH, allowed], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert!(r.header("vary").unwrap().contains("origin"));
    let r = request(
        s.addr,
        "GET",
        "/rtm/alice",
        &[AUTH, ("Origin", "https://evil.example")],
        None,
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (403, "forbidden"));
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Preflight: no credentials needed, answered 204.
    let r = request(
        s.addr,
        "OPTIONS",
        "/v1/tokens",
        &[
            allowed,
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert!(
        r.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    assert!(
        r.header("access-control-allow-headers")
            .unwrap()
            .contains("authorization")
    );
    let r = request(
        s.addr,
        "OPTIONS",
        "/v1/tokens",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn body_limit_is_413() {
    let s = start().await;
    let big = format!("{{\"user_id\": \"{}\"}}", "a".repeat(20 * 1024));
    let r = request(
        s.addr,
        "POST",
        "/v1/tokens",
        &[AUTH, JSON_CT],
        Some(big.as_bytes()),
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (413, "payload_too_large"));
    let r = request(s.addr, "POST", "/getToken", &[AUTH], Some(big.as_bytes())).await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn rate_limit_is_429_with_retry_after_per_key() {
    let mut c = config();
    c.rate_limit = Some(RateLimit {
        per_minute: 2,
        burst: 2,
    });
    let s = start_with(demo_providers(), c).await;
    assert_eq!(get(s.addr, "/rtm/alice").await.status, 200);
    assert_eq!(get(s.addr, "/rtm/alice").await.status, 200);
    let r = get(s.addr, "/rtm/alice").await;
    assert_eq!((r.status, r.error().as_str()), (429, "rate_limited"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((29..=30).contains(&retry), "{retry}");
    // Another key has its own bucket; open routes are not limited.
    let other = ("Authorization", "Bearer rotated-key-0123456789abcdef");
    assert_eq!(
        request(s.addr, "GET", "/rtm/alice", &[other], None)
            .await
            .status,
        200
    );
    assert_eq!(
        request(s.addr, "GET", "/healthz", &[], None).await.status,
        200
    );
    let metrics = s.state.metrics();
    assert_eq!(metrics.requests("/rtm/{rtmuid}", 429), 1);
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_request_in_flight() {
    let mut s = start().await;
    let body = json!({"vendor": "agora", "user_id": "alice", "room": "lobby"}).to_string();
    let (first, second) = body.as_bytes().split_at(10);
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    s.stop.take().unwrap().send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(s.state.is_shutting_down());
    assert!(
        !s.handle.is_finished(),
        "the server must wait for the request in flight"
    );
    assert!(
        TcpStream::connect(s.addr).await.is_err(),
        "no new connections after the signal"
    );

    stream.write_all(second).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let r = parse_response(&buf);
    assert_eq!(r.status, 200);
    assert_eq!(
        verify(r.json()["token"].as_str().unwrap()).user.as_deref(),
        Some("alice")
    );
    let result = tokio::time::timeout(Duration::from_secs(5), s.handle)
        .await
        .unwrap()
        .unwrap();
    assert!(result.is_ok());
}

/// Regression: with `AGORA_TOKEN_VERSION=006` and `RTC_RENEW_BEFORE_SECS=600`
/// in the environment and an `[agora]` table in the file, the server issued
/// 007 tokens renewing 30 s before expiry (the file's table replaced the
/// environment's settings wholesale). Each setting is now layered on its own.
#[tokio::test]
async fn environment_wins_over_the_config_file_per_setting() {
    use rtc_tokens_server::config::{LoadOptions, load};
    let dir = std::env::temp_dir().join(format!("rtc-tokens-server-prec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("server.toml");
    std::fs::write(
        &path,
        format!(
            "[agora]\napp_id = \"{}\"\napp_certificate = \"{}\"\n",
            rtc_tokens::DEMO_AGORA_APP_ID,
            rtc_tokens::DEMO_AGORA_APP_CERTIFICATE
        ),
    )
    .unwrap();
    let env = |name: &str| {
        match name {
            "AGORA_TOKEN_VERSION" => Some("006"),
            "RTC_RENEW_BEFORE_SECS" => Some("600"),
            "API_KEYS" => Some(KEY),
            _ => None,
        }
        .map(str::to_owned)
    };
    let settings = load(
        &LoadOptions {
            config_file: Some(path),
            ..LoadOptions::default()
        },
        &env,
    )
    .unwrap();
    let mut s = start_with(settings.providers, config()).await;
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "agora", "user_id": "42", "room": "lobby"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    assert_eq!(body["version"], "006");
    assert!(body["token"].as_str().unwrap().starts_with("006"));
    let expires_at = body["expires_at"].as_u64().unwrap();
    assert_eq!(body["renew_at"].as_u64().unwrap(), expires_at - 600);
    s.stop.take().unwrap().send(()).unwrap();
    s.handle.await.unwrap().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
