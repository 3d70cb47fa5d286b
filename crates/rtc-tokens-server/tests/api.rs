//! The server over a real socket: open routes, authentication, and the neutral
//! `/v1/tokens` API. Each test starts its own server on 127.0.0.1:0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use rtc_tokens::AgoraProvider;
use serde_json::{Value, json};

use common::*;

#[tokio::test]
async fn open_routes_need_no_key() {
    let s = start().await;
    let r = request(s.addr, "GET", "/ping", &[], None).await;
    assert_eq!((r.status, r.json()), (200, json!({"message": "pong"})));
    let r = request(s.addr, "GET", "/healthz", &[], None).await;
    assert_eq!(r.status, 200);
    let r = request(s.addr, "GET", "/readyz", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["vendors"], json!(["zego", "agora"]));
    let _ = get(s.addr, "/rtc/secret-room/publisher/uid/42/").await;
    let r = request(s.addr, "GET", "/metrics", &[], None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains(
        "rtc_tokens_http_requests_total{route=\"/rtc/{channelName}/{role}/{tokenType}/{rtcuid}\",status=\"200\"} 1"
    ));
    assert!(text.contains("rtc_tokens_tokens_issued_total{vendor=\"agora\",kind=\"rtc\"} 1"));
    assert!(text.contains("rtc_tokens_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(
        !text.contains("secret-room"),
        "raw paths must not become labels"
    );
}

#[tokio::test]
async fn authentication_missing_wrong_and_right_key() {
    let s = start().await;
    let path = "/rtm/alice/";
    let r = request(s.addr, "GET", path, &[], None).await;
    assert_eq!((r.status, r.error().as_str()), (401, "unauthorized"));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = request(
        s.addr,
        "GET",
        path,
        &[("Authorization", "Bearer wrong-key-0123456789abc")],
        None,
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (401, "unauthorized"));
    let r = request(
        s.addr,
        "GET",
        path,
        &[("Authorization", "Basic dGVzdDp0ZXN0")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    let r = get(s.addr, path).await;
    assert_eq!(r.status, 200);
    // During a rotation, old and new keys both work.
    let r = request(
        s.addr,
        "GET",
        path,
        &[("Authorization", "bearer rotated-key-0123456789abcdef")],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    // Compatibility routes are protected too.
    for path in [
        "/rtc/c/publisher/uid/1",
        "/chat/app",
        "/api/get_access_token?userID=a",
    ] {
        assert_eq!(
            request(s.addr, "GET", path, &[], None).await.status,
            401,
            "{path}"
        );
    }
    assert_eq!(
        request(s.addr, "POST", "/v1/tokens", &[JSON_CT], Some(b"{}"))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn neutral_issue_and_parse_for_both_vendors() {
    let s = start().await;
    for vendor in ["agora", "zego"] {
        let r = post_json(
            s.addr,
            "/v1/tokens",
            &json!({"vendor": vendor, "kind": "rtc", "user_id": "alice", "room": "lobby", "validity_secs": 600}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let body = r.json();
        assert_eq!(body["vendor"], vendor);
        let token = body["token"].as_str().unwrap();
        let (issued, expires, renew) = (
            body["issued_at"].as_u64().unwrap(),
            body["expires_at"].as_u64().unwrap(),
            body["renew_at"].as_u64().unwrap(),
        );
        assert_eq!(expires - issued, 600);
        assert!(renew < expires && renew >= issued);
        let parsed = verify(token);
        assert_eq!(parsed.user.as_deref(), Some("alice"));
        assert_eq!(parsed.room.as_deref(), Some("lobby"));
        assert_eq!(parsed.expires_at, expires);

        let r = post_json(s.addr, "/v1/tokens/parse", &json!({"token": token})).await;
        assert_eq!(r.status, 200);
        let view = r.json();
        assert_eq!(view["user"], "alice");
        assert_eq!(view["room"], "lobby");
        assert_eq!(view["vendor"], vendor);
        assert_eq!(view["expires_at"].as_u64(), Some(expires));
    }
    // Agora numeric uid and per-privilege expiries.
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "agora", "uid": 42, "channel": "c1", "privilege_expiries": {"join": 300}}),
    )
    .await;
    assert_eq!(r.status, 200);
    let parsed = verify(r.json()["token"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), parsed.room.as_deref()),
        (Some("42"), Some("c1"))
    );
}

#[tokio::test]
async fn neutral_errors_name_the_field() {
    let s = start().await;
    let cases: &[(Value, &str, &str)] = &[
        (
            json!({"vendor": "agora", "user_id": "a", "room": "r", "validity_secs": 0}),
            "invalid_input",
            "validity_secs",
        ),
        (
            json!({"vendor": "agora", "user_id": "a", "room": "r", "validity_secs": 100000}),
            "invalid_input",
            "validity_secs",
        ),
        (
            json!({"vendor": "agora", "user_id": "a", "room": "r", "bogus": 1}),
            "invalid_input",
            // An unknown key is request data: not repeated.
            "unknown field",
        ),
        (
            json!({"vendor": "skype", "user_id": "a"}),
            "invalid_input",
            "vendor",
        ),
        (
            json!({"user_id": "a", "room": "r"}),
            "invalid_input",
            "vendor",
        ),
        (
            json!({"vendor": "agora", "user_id": "a"}),
            "invalid_input",
            "room",
        ),
        (
            json!({"vendor": "zego", "kind": "rtm", "user_id": "a"}),
            "invalid_input",
            "rtm",
        ),
        (
            json!({"vendor": "agora", "user_id": "a", "room": "r", "role": "king"}),
            "invalid_input",
            "role",
        ),
        (json!([1, 2]), "invalid_input", "object"),
    ];
    for (body, category, needle) in cases {
        let r = post_json(s.addr, "/v1/tokens", body).await;
        assert_eq!(r.status, 400, "{body}");
        let v = r.json();
        assert_eq!(v["error"], *category, "{body}: {v}");
        assert!(
            v["message"].as_str().unwrap().contains(needle),
            "{body}: {v}"
        );
    }
    let r = request(
        s.addr,
        "POST",
        "/v1/tokens",
        &[AUTH, JSON_CT],
        Some(b"{\"user_id\": "),
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_input"));
    let r = request(
        s.addr,
        "POST",
        "/v1/tokens",
        &[AUTH, ("Content-Type", "text/plain")],
        Some(b"{}"),
    )
    .await;
    assert_eq!(
        (r.status, r.error().as_str()),
        (415, "unsupported_media_type")
    );
    let r = request(s.addr, "POST", "/v1/tokens", &[AUTH], Some(b"{}")).await;
    assert_eq!(r.status, 415);
    // Parse errors carry the facade's category and never echo the token.
    let r = post_json(
        s.addr,
        "/v1/tokens/parse",
        &json!({"token": "xyz-not-a-token"}),
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (400, "version"));
    assert!(!String::from_utf8_lossy(&r.body).contains("xyz-not-a-token"));
    let good = get(s.addr, "/rtm/alice").await.json()["rtmToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = AgoraProvider::new(
        rtc_tokens::agora_dynamic_key::AppId::new(rtc_tokens::DEMO_AGORA_APP_ID).unwrap(),
        rtc_tokens::agora_dynamic_key::AppCertificate::new("00000000000000000000000000000000")
            .unwrap(),
    );
    let foreign =
        rtc_tokens::TokenProvider::issue(&other, &rtc_tokens::TokenRequest::rtc("a", "b")).unwrap();
    let r = post_json(s.addr, "/v1/tokens/parse", &json!({"token": foreign.token})).await;
    assert_eq!((r.status, r.error().as_str()), (400, "signature"));
    // An authentic token for another user than the request expects: 403.
    let r = post_json(
        s.addr,
        "/v1/tokens/parse",
        &json!({"token": good, "uid": "bob"}),
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (403, "mismatch"));
    let r = post_json(
        s.addr,
        "/v1/tokens/parse",
        &json!({"token": good, "extra": 1}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post_json(s.addr, "/v1/tokens/parse", &json!({})).await;
    assert!(r.json()["message"].as_str().unwrap().contains("token"));
}
