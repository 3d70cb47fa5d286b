//! Nothing the client sent comes back in an error: a token or a long marker
//! string in any field, path segment or query parameter gets an error that
//! names the field and what it expects, never the value. Also: uids are
//! integers in 0..=2³²−1 or refused, duplicate JSON keys are refused, and a
//! vendor that is not configured is 404 everywhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::sync::Arc;

use rtc_tokens::{AgoraProvider, Providers};
use serde_json::{Value, json};

use common::*;

const MARKER: &str = "MARKER-do-not-echo-0123456789abcdefghijklmnopqrstuvwxyz-0123456789";

/// A real token, so that a leak of token bytes would show too.
async fn a_token(addr: std::net::SocketAddr) -> String {
    let r = post_json(
        addr,
        "/v1/tokens",
        &json!({"vendor": "agora", "user_id": "alice", "room": "lobby"}),
    )
    .await;
    assert_eq!(r.status, 200);
    r.json()["token"].as_str().unwrap().to_owned()
}

fn assert_no_echo(what: &str, r: &Resp, secret: &str) {
    let body = String::from_utf8_lossy(&r.body);
    assert!(
        (400..500).contains(&r.status),
        "{what}: expected a 4xx, got {} {body}",
        r.status
    );
    assert!(
        !body.contains(secret) && !body.contains(&secret[..16]),
        "{what}: the error repeats the value: {body}"
    );
    let v = r.json();
    assert!(v["message"].is_string(), "{what}: {body}");
}

/// Every field of `POST /v1/tokens` with the secret in it (as a string
/// where a string is wrong, inside a list, as a key...).
fn neutral_bodies(secret: &str) -> Vec<(String, Value)> {
    let base = || json!({"vendor": "agora", "user_id": "alice", "room": "lobby"});
    let mut out = Vec::new();
    for field in [
        "vendor",
        "kind",
        "uid",
        "role",
        "validity_secs",
        "stream_ids",
        "privilege_expiries",
    ] {
        let mut b = base();
        b[field] = json!(secret);
        out.push((format!("{field} = secret"), b));
    }
    for (name, value) in [
        ("stream_ids = [secret]", json!([secret])),
        ("stream_ids = [1]", json!([1])),
        ("uid = [secret]", json!([secret])),
        ("uid = {secret: 1}", json!({ secret: 1 })),
        (
            "validity_secs = {secret: secret}",
            json!({ secret: secret }),
        ),
    ] {
        let field = name.split(' ').next().unwrap();
        let mut b = base();
        b[field] = value;
        out.push((name.to_owned(), b));
    }
    let mut b = base();
    b["privilege_expiries"] = json!({"join": secret});
    out.push(("privilege_expiries.join = secret".to_owned(), b));
    let mut b = base();
    b["privilege_expiries"] = json!({ secret: 1 });
    out.push(("privilege_expiries.{secret}".to_owned(), b));
    let mut b = base();
    b[secret] = json!(1);
    out.push(("{secret} as a key".to_owned(), b));
    // A ZEGO request the facade refuses: its message must not carry the value either.
    out.push((
        "zego rtm with secret user".to_owned(),
        json!({"vendor": "zego", "kind": "rtm", "user_id": secret, "room": "lobby"}),
    ));
    out
}

#[tokio::test]
async fn no_field_of_any_route_is_echoed() {
    let s = start().await;
    let token = a_token(s.addr).await;
    for secret in [MARKER, token.as_str()] {
        for (what, body) in neutral_bodies(secret) {
            let r = post_json(s.addr, "/v1/tokens", &body).await;
            assert_no_echo(&format!("/v1/tokens {what}"), &r, secret);
        }
        // Raw bodies: a duplicate unknown key, malformed JSON around the secret.
        for raw in [
            format!(r#"{{"vendor":"agora","{secret}":1,"{secret}":2}}"#),
            format!(r#"{{"vendor":"agora","room":"{secret}"#),
            format!(r#"{{"vendor":"agora","room":{secret}}}"#),
            format!(r#"{{"vendor":"agora","room":"lobby","user_id":"a"}} "{secret}""#),
        ] {
            let r = request(
                s.addr,
                "POST",
                "/v1/tokens",
                &[AUTH, JSON_CT],
                Some(raw.as_bytes()),
            )
            .await;
            assert_no_echo(&format!("/v1/tokens raw {raw:.40}"), &r, secret);
        }
        // /v1/tokens/parse: the secret as the token, an expected uid, a key.
        for body in [
            json!({"token": format!("{secret}x")}),
            json!({"token": secret, "channel": "another-room"}),
            json!({"token": token, "uid": [secret]}),
            json!({"token": token, "uid": {secret: 1}}),
            json!({"token": token, "channel": [secret]}),
            json!({"token": token, secret: 1}),
        ] {
            let r = post_json(s.addr, "/v1/tokens/parse", &body).await;
            assert_no_echo("/v1/tokens/parse", &r, secret);
        }
        // /getToken, every field.
        for body in [
            json!({"tokenType": secret, "channel": "c", "uid": "1"}),
            json!({"tokenType": "rtc", "channel": "c", "uid": "1", "role": secret}),
            json!({"tokenType": "rtc", "channel": [secret], "uid": "1"}),
            json!({"tokenType": "rtc", "channel": "c", "uid": [secret]}),
            json!({"tokenType": "rtc", "channel": "c", "uid": "1", "expire": secret}),
            json!({"tokenType": "rtm", "uid": {secret: 1}}),
        ] {
            let r = post_json(s.addr, "/getToken", &body).await;
            assert_no_echo(&format!("/getToken {body:.60}"), &r, secret);
        }
        // Path segments and query parameters of the compatibility routes.
        let enc = secret.replace('+', "%2B").replace('/', "%2F");
        for path in [
            format!("/rtc/lobby/{enc}/uid/1/"),
            format!("/rtc/lobby/publisher/{enc}/1/"),
            format!("/rtc/lobby/publisher/uid/{enc}/"),
            format!("/rtc/lobby/publisher/uid/1/?expiry={enc}"),
            format!("/rtc/lobby/publisher/uid/1/?expiry=1&expiry={enc}"),
            format!("/rte/lobby/publisher/uid/{enc}/"),
            format!("/rtm/alice/?expiry={enc}"),
            format!("/api/get_access_token?userID=alice&expired_ts={enc}"),
            format!("/rtc/lobby/publisher/uid/%FF{enc}/"),
        ] {
            let r = get(s.addr, &path).await;
            assert_no_echo(&format!("GET {path:.50}"), &r, secret);
        }
    }
}

#[tokio::test]
async fn json_uids_are_whole_numbers_below_2_pow_32() {
    let s = start().await;
    for uid in [
        "-7",
        "1.5",
        "1e3",
        "18446744073709551616",
        "4294967296",
        "-0.0",
    ] {
        let raw = |body: String| body.replace("UID", uid);
        for (path, body) in [
            (
                "/getToken",
                raw(r#"{"tokenType":"rtc","channel":"c","uid":UID}"#.to_owned()),
            ),
            (
                "/getToken",
                raw(r#"{"tokenType":"rtm","uid":UID}"#.to_owned()),
            ),
            (
                "/getToken",
                raw(r#"{"tokenType":"chat","uid":UID}"#.to_owned()),
            ),
            (
                "/v1/tokens",
                raw(r#"{"vendor":"agora","uid":UID,"room":"c"}"#.to_owned()),
            ),
            (
                "/v1/tokens/parse",
                raw(r#"{"token":"007x","uid":UID}"#.to_owned()),
            ),
        ] {
            let r = request(
                s.addr,
                "POST",
                path,
                &[AUTH, JSON_CT],
                Some(body.as_bytes()),
            )
            .await;
            assert_eq!(
                r.status,
                400,
                "{path} {body}: {}",
                String::from_utf8_lossy(&r.body)
            );
            let message = r.json()["message"].as_str().unwrap().to_owned();
            assert!(
                message.starts_with("uid: expected"),
                "{path} {body}: {message}"
            );
        }
    }
    // The largest uid is fine on both.
    let r = request(
        s.addr,
        "POST",
        "/getToken",
        &[AUTH],
        Some(br#"{"tokenType":"rtc","channel":"c","uid":4294967295}"#),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor":"agora","uid":4_294_967_295_u64,"room":"c"}),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn duplicate_keys_are_refused() {
    let s = start().await;
    for (path, body, message) in [
        (
            "/v1/tokens",
            r#"{"vendor":"agora","room":"a","room":"b","user_id":"u"}"#,
            "duplicate key room",
        ),
        (
            "/v1/tokens",
            r#"{"vendor":"agora","room":"a","user_id":"u","privilege_expiries":{"join":5,"join":6}}"#,
            "duplicate key join",
        ),
        (
            "/v1/tokens",
            r#"{"vendor":"agora","room":"a","user_id":"u","xyz":1,"xyz":2}"#,
            "duplicate key in the request body",
        ),
        (
            "/getToken",
            r#"{"tokenType":"rtc","channel":"c","uid":"1","UID":"2"}"#,
            "duplicate key uid",
        ),
        (
            "/v1/tokens/parse",
            r#"{"token":"a","token":"b"}"#,
            "duplicate key token",
        ),
    ] {
        let r = request(
            s.addr,
            "POST",
            path,
            &[AUTH, JSON_CT],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["message"], message, "{body}");
    }
}

#[tokio::test]
async fn a_vendor_not_configured_is_404_on_v1_tokens_too() {
    let providers = Providers::new().with(Arc::new(AgoraProvider::demo()));
    let s = start_with(providers, config()).await;
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "zego", "user_id": "alice", "room": "lobby"}),
    )
    .await;
    assert_eq!((r.status, r.error().as_str()), (404, "not_found"));
    let r = get(s.addr, "/api/get_access_token?userID=alice").await;
    assert_eq!(r.status, 404);
}
