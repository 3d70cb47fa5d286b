//! Compatibility profiles, the vendors' sample routes and public mode, over
//! real sockets on 127.0.0.1. The agora-token-service profile is checked
//! against the original's own test expectations, carried over as data in
//! `tests/compat/agora-token-service.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use rtc_tokens::ParsedToken;
use rtc_tokens_server::{AgoraKeys, Auth, CorsPolicy, Profile, PublicMode, RoomPattern};
use serde::Deserialize;
use serde_json::{Value, json};

use common::*;

#[derive(Deserialize)]
struct Suite {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    from: String,
    method: String,
    path: String,
    #[serde(default)]
    body: Option<String>,
    status: u16,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    error_body: Option<String>,
    #[serde(default)]
    error_text: Option<String>,
    #[serde(default)]
    publisher: Option<bool>,
    #[serde(default)]
    uid0: bool,
    #[serde(default, deserialize_with = "present")]
    stream_channel: Option<Option<String>>,
}

/// `Some(None)` for an explicit `null`, `None` when absent.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn compat_config() -> rtc_tokens_server::ServerConfig {
    let mut c = config();
    c.profile = Profile::AgoraTokenService;
    c.agora_keys = AgoraKeys::demo();
    c
}

fn publishes(parsed: &ParsedToken) -> bool {
    parsed
        .privileges
        .iter()
        .any(|p| p.service == "rtc" && p.name == "publish audio")
}

#[tokio::test]
async fn agora_token_service_profile_passes_the_originals_expectations() {
    let text = include_str!("compat/agora-token-service.json");
    let suite: Suite = serde_json::from_str(text).unwrap();
    let s = start_with(demo_providers(), compat_config()).await;
    let mut from_tests = 0;
    for case in &suite.cases {
        let name = format!("{} {} ({})", case.method, case.path, case.from);
        from_tests += usize::from(case.from == "test");
        let r = request(
            s.addr,
            &case.method,
            &case.path,
            &[AUTH],
            case.body.as_deref().map(str::as_bytes),
        )
        .await;
        assert_eq!(
            r.status,
            case.status,
            "{name}: {}",
            String::from_utf8_lossy(&r.body)
        );
        // The original's cache headers on every answer.
        assert_eq!(
            r.header("cache-control"),
            Some("private, no-cache, no-store, must-revalidate"),
            "{name}"
        );
        assert_eq!(
            (r.header("expires"), r.header("pragma")),
            (Some("-1"), Some("no-cache")),
            "{name}"
        );
        match case.error_body.as_deref() {
            Some("text") => {
                assert!(
                    r.header("content-type").unwrap().starts_with("text/plain"),
                    "{name}"
                );
                let body = String::from_utf8(r.body.clone()).unwrap();
                assert!(body.ends_with('\n'), "{name}");
                if let Some(expected) = &case.error_text {
                    assert_eq!(&body, expected, "{name}");
                }
            }
            Some("message_status") => {
                let v = r.json();
                assert_eq!(v["status"], 400, "{name}");
                assert!(
                    v["message"]
                        .as_str()
                        .unwrap()
                        .starts_with("Error Generating "),
                    "{name}: {v}"
                );
            }
            Some(other) => panic!("unknown error_body {other}"),
            None => {}
        }
        if case.status != 200 || case.keys.is_empty() {
            continue;
        }
        let v = r.json();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        let mut want: Vec<&String> = case.keys.iter().collect();
        want.sort();
        assert_eq!(keys, want, "{name}");
        if case.path == "/ping" {
            assert_eq!(v["message"], "pong");
            continue;
        }
        let first = verify(v[case.keys[0].as_str()].as_str().unwrap());
        if let Some(p) = case.publisher {
            assert_eq!(publishes(&first), p, "{name}");
        }
        if case.uid0 {
            assert_eq!(
                first.user.as_deref(),
                Some(""),
                "{name}: uid 0 is the empty account"
            );
        }
        if let Some(stream) = &case.stream_channel {
            let rtm_key = if case.keys.len() == 2 {
                "rtmToken"
            } else {
                case.keys[0].as_str()
            };
            let rtm = verify(v[rtm_key].as_str().unwrap());
            let rtc: Vec<&str> = rtm
                .privileges
                .iter()
                .filter(|p| p.service == "rtc")
                .map(|p| p.name.as_str())
                .collect();
            assert!(rtm.privileges.iter().any(|p| p.service == "rtm"), "{name}");
            match stream {
                Some(channel) => {
                    assert_eq!(rtc, ["join channel", "publish data stream"], "{name}");
                    assert_eq!(rtm.room.as_deref(), Some(channel.as_str()), "{name}");
                }
                None => assert!(rtc.is_empty(), "{name}"),
            }
        }
    }
    assert!(
        from_tests >= 30,
        "the original's tests are all carried over"
    );
}

#[tokio::test]
async fn the_default_profile_stays_strict() {
    let s = start().await;
    for path in [
        "/rtc/lobby/king/uid/7/",
        "/rtc/lobby/publisher/uid//",
        "/rtc/lobby/publisher/uid/7/?expiry=0",
        "/rte/lobby/publisher/uid//carol/",
    ] {
        let r = get_invalid(s.addr, path).await;
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    let r = request(
        s.addr,
        "POST",
        "/getToken",
        &[AUTH],
        Some(b"{\"tokenType\":\"x\"}"),
    )
    .await;
    assert_eq!(r.error(), "invalid_input");
    // No stream channel in the strict profile's RTM token.
    let v = get(s.addr, "/rte/lobby/publisher/uid/7/").await.json();
    let rtm = verify(v["rtmToken"].as_str().unwrap());
    assert!(rtm.privileges.iter().all(|p| p.service == "rtm"));
    // Authentication is never dropped by a profile.
    let c = start_with(demo_providers(), compat_config()).await;
    let r = request(c.addr, "GET", "/rtc/lobby/publisher/uid/1/", &[], None).await;
    assert_eq!(r.status, 401);
}

fn post(addr: std::net::SocketAddr, path: &str, body: &Value) -> impl Future<Output = Resp> {
    let body = body.to_string();
    async move { request(addr, "POST", path, &[AUTH, JSON_CT], Some(body.as_bytes())).await }
}

#[tokio::test]
async fn agoras_token_generate_sample() {
    let mut c = config();
    c.agora_keys = AgoraKeys::demo();
    let s = start_with(demo_providers(), c).await;
    let r = post(
        s.addr,
        "/token/generate",
        &json!({
            "channelName": "lobby", "uid": "1234", "tokenExpireTs": 600, "privilegeExpireTs": 300,
            "serviceRtc": {"enable": true, "role": 1},
            "serviceRtm": {"enable": true},
            "serviceChat": {"enable": true}
        }),
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(
        (v["code"].as_i64(), v["message"].as_str()),
        (Some(0), Some("success"))
    );
    let parsed = verify(v["data"]["token"].as_str().unwrap());
    assert_eq!(validity(&parsed), 600);
    let services: Vec<&str> = parsed
        .privileges
        .iter()
        .map(|p| p.service.as_str())
        .collect();
    for s in ["rtc", "rtm", "chat"] {
        assert!(services.contains(&s), "{services:?}");
    }
    assert!(publishes(&parsed));
    assert!(parsed.privileges.iter().all(|p| {
        p.expires_at
            .is_none_or(|e| e <= parsed.issued_at.unwrap() + 300)
    }));
    // A subscriber, a numeric uid, defaults.
    let r = post(
        s.addr,
        "/token/generate",
        &json!({"channelName": "lobby", "uid": 7, "serviceRtc": {"enable": true, "role": 2}}),
    )
    .await;
    let parsed = verify(r.json()["data"]["token"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("7"), 3600)
    );
    assert!(!publishes(&parsed));
    for (body, needle) in [
        (json!({"channelName": "x", "uid": "1"}), "no service"),
        (
            json!({"uid": "1", "serviceRtc": {"enable": true}}),
            "channelName",
        ),
        (
            json!({"channelName": "x", "serviceRtm": {"enable": true}}),
            "uid",
        ),
        (
            json!({"appId": "x", "appCertificate": "c0ffee", "serviceRtm": {"enable": true}}),
            "appId",
        ),
        (
            json!({"channelName": "x", "uid": "1", "serviceRtc": {"enable": true, "role": 9}}),
            "role",
        ),
    ] {
        let r = post(s.addr, "/token/generate", &body).await;
        let v = r.json();
        assert_eq!((r.status, v["code"].as_i64()), (400, Some(400)), "{body}");
        let message = v["message"].as_str().unwrap();
        assert!(
            message.contains(needle) && !message.contains("c0ffee"),
            "{body}: {message}"
        );
    }
}

#[tokio::test]
async fn zegos_easy_server_sample() {
    let s = start().await;
    let r = request(
        s.addr,
        "GET",
        "/api/access_token?userID=alice&roomID=room1&userName=Alice&expired_ts=7200",
        &[AUTH, ("Origin", "https://elsewhere.example")],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("pragma"), Some("no-cache"));
    let parsed = zego_sample_token(&r);
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("alice"), 7200)
    );
    for path in ["/api/access_token?roomID=r", "/api/access_token?userID=a"] {
        get_invalid(s.addr, path).await;
    }
    // A preflight from any origin.
    let r = request(
        s.addr,
        "OPTIONS",
        "/api/access_token",
        &[
            ("Origin", "https://x.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (204, Some("*"))
    );
}

fn public_config() -> rtc_tokens_server::ServerConfig {
    let mut c = config();
    c.public = Some(PublicMode {
        per_minute: 60,
        burst: 3,
        rooms: vec![RoomPattern::new("lobby-*")],
        max_validity_secs: 600,
    });
    c
}

#[tokio::test]
async fn public_mode_serves_keyless_callers_within_its_bounds() {
    let s = start_with(demo_providers(), public_config()).await;
    let origin = ("Origin", "https://app.example");
    // Keyless, allowed origin, allowed room: capped validity.
    let r = request(
        s.addr,
        "GET",
        "/rtc/lobby-1/publisher/uid/7/?expiry=86400",
        &[origin],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        validity(&verify(r.json()["rtcToken"].as_str().unwrap())),
        600
    );
    // A room outside the patterns, an administrator token.
    let r = request(s.addr, "GET", "/rtc/vip/publisher/uid/7/", &[], None).await;
    assert_eq!((r.status, r.error().as_str()), (403, "forbidden"));
    let r = request(s.addr, "GET", "/chat/app/", &[], None).await;
    assert_eq!((r.status, r.error().as_str()), (403, "forbidden"));
    // The per-address budget (burst 3) is spent; a key is not charged to it.
    let r = request(s.addr, "GET", "/rtc/lobby-2/publisher/uid/7/", &[], None).await;
    assert_eq!((r.status, r.header("retry-after").is_some()), (429, true));
    let r = get(s.addr, "/rtc/vip/publisher/uid/7/?expiry=86400").await;
    assert_eq!(
        validity(&verify(r.json()["rtcToken"].as_str().unwrap())),
        86_400
    );
    // Another site's page is still turned away.
    let r = request(
        s.addr,
        "GET",
        "/rtc/lobby-1/publisher/uid/7/",
        &[("Origin", "https://evil.example")],
        None,
    )
    .await;
    assert_eq!(r.status, 403);
    // Without public mode, a keyless caller is refused.
    let strict = start().await;
    let r = request(
        strict.addr,
        "GET",
        "/rtc/lobby-1/publisher/uid/7/",
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    let _ = Auth::Disabled;
    let _ = CorsPolicy::None;
}
