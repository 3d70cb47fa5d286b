//! The vendors' documented name limits reach the server through the facade:
//! `POST /v1/tokens` with an over-long channel, an over-long account or a NUL
//! in a user id answers 400 `invalid_input` naming the field and the limit,
//! never echoing the value. Each test starts its own server on 127.0.0.1:0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use serde_json::json;

use common::*;

#[tokio::test]
async fn names_beyond_the_vendors_limits_are_refused() {
    let s = start().await;
    let channel = "c".repeat(100);
    let account = "a".repeat(256);
    let cases = [
        (
            json!({"vendor": "agora", "user_id": "alice", "room": channel}),
            "room: invalid channel name: must be 1 to 63 bytes",
            channel.as_str(),
        ),
        (
            json!({"vendor": "agora", "user_id": account, "room": "lobby"}),
            "user_id: invalid user account: must be 1 to 255 bytes",
            account.as_str(),
        ),
        (
            json!({"vendor": "zego", "user_id": "al\u{0}ice", "room": "lobby"}),
            "user_id: invalid user id: must be 1 to 64 bytes",
            "al\u{0}ice",
        ),
    ];
    for (body, needle, value) in cases {
        let r = post_json(s.addr, "/v1/tokens", &body).await;
        assert_eq!(r.status, 400, "{body}");
        let v = r.json();
        assert_eq!(v["error"], "invalid_input", "{v}");
        let message = v["message"].as_str().unwrap();
        assert!(message.contains(needle), "{message}");
        assert!(!message.contains(value), "the value was echoed: {message}");
    }
    // Within the limits, the same requests are issued.
    let ok = json!({"vendor": "agora", "user_id": "alice", "room": "c".repeat(63)});
    assert_eq!(post_json(s.addr, "/v1/tokens", &ok).await.status, 200);
}
