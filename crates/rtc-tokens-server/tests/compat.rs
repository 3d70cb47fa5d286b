//! The server over a real socket: the Agora and ZEGO sample-server
//! compatible routes, and unknown routes and methods. Each test starts its own
//! server on 127.0.0.1:0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::sync::Arc;

use rtc_tokens::{AgoraProvider, Providers, TokenVersion};
use serde_json::json;

use common::*;

#[tokio::test]
async fn agora_compat_rtc_rtm_rte_chat() {
    let s = start().await;
    // RTC by uid, with and without the trailing slash; expiry honoured.
    for path in [
        "/rtc/lobby/publisher/uid/1234/?expiry=600",
        "/rtc/lobby/publisher/uid/1234?expiry=600",
    ] {
        let r = get(s.addr, path).await;
        assert_eq!(r.status, 200, "{path}");
        let v = r.json();
        assert_eq!(v.as_object().unwrap().len(), 1);
        let parsed = verify(v["rtcToken"].as_str().unwrap());
        assert_eq!(parsed.version, TokenVersion::Agora007);
        assert_eq!(
            (parsed.user.as_deref(), parsed.room.as_deref()),
            (Some("1234"), Some("lobby"))
        );
        assert_eq!(validity(&parsed), 600);
        assert!(parsed.privileges.iter().any(|p| p.name == "publish audio"));
    }
    // Expiry capped at 24 h; default one hour; subscriber joins only.
    let r = get(
        s.addr,
        "/rtc/lobby/subscriber/userAccount/bob/?expiry=999999",
    )
    .await;
    let parsed = verify(r.json()["rtcToken"].as_str().unwrap());
    assert_eq!(parsed.user.as_deref(), Some("bob"));
    assert_eq!(validity(&parsed), 86_400);
    assert!(parsed.privileges.iter().all(|p| p.name == "join channel"));
    let parsed = verify(
        get(s.addr, "/rtc/lobby/publisher/uid/0").await.json()["rtcToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(validity(&parsed), 3_600);

    for (path, needle) in [
        ("/rtc/lobby/publisher/bogus/1/", "tokenType"),
        ("/rtc/lobby/publisher/uid/abc/", "rtcuid"),
        ("/rtc/lobby/publisher/uid/99999999999/", "rtcuid"),
        ("/rtc/lobby/king/uid/1/", "role"),
        ("/rtc/lobby/publisher/uid/1/?expiry=soon", "expiry"),
        ("/rtc/lobby/publisher/uid/1/?expiry=0", "expiry"),
        ("/rtm/0/", "rtmuid"),
        ("/rte/lobby/publisher/uid/0/", "rtmuid"),
    ] {
        let r = get(s.addr, path).await;
        assert_eq!(r.status, 400, "{path}");
        assert!(
            r.json()["message"].as_str().unwrap().contains(needle),
            "{path}: {}",
            r.json()
        );
    }

    let r = get(s.addr, "/rtm/alice/?expiry=120").await;
    let parsed = verify(r.json()["rtmToken"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("alice"), 120)
    );

    let v = get(s.addr, "/rte/lobby/publisher/uid/7/").await.json();
    let rtc = verify(v["rtcToken"].as_str().unwrap());
    let rtm = verify(v["rtmToken"].as_str().unwrap());
    assert_eq!(
        (
            rtc.user.as_deref(),
            rtc.room.as_deref(),
            rtm.user.as_deref()
        ),
        (Some("7"), Some("lobby"), Some("7"))
    );
    let v = get(s.addr, "/rte/lobby/subscriber/uid/0/carol")
        .await
        .json();
    assert_eq!(
        verify(v["rtmToken"].as_str().unwrap()).user.as_deref(),
        Some("carol")
    );

    let v = get(s.addr, "/chat/app/").await.json();
    let app = verify(v["chatToken"].as_str().unwrap());
    assert!(
        app.privileges
            .iter()
            .any(|p| p.name == "chat app administrator")
    );
    let v = get(s.addr, "/chat/account/dave?expiry=300").await.json();
    let user = verify(v["chatToken"].as_str().unwrap());
    assert_eq!((user.user.as_deref(), validity(&user)), (Some("dave"), 300));
}

#[tokio::test]
async fn agora_compat_get_token() {
    let s = start().await;
    let post =
        |body: &'static str| request(s.addr, "POST", "/getToken", &[AUTH], Some(body.as_bytes()));
    let r =
        post(r#"{"tokenType":"rtc","channel":"lobby","role":"publisher","uid":"42","expire":900}"#)
            .await;
    assert_eq!(r.status, 200);
    let parsed = verify(r.json()["token"].as_str().unwrap());
    assert_eq!(
        (
            parsed.user.as_deref(),
            parsed.room.as_deref(),
            validity(&parsed)
        ),
        (Some("42"), Some("lobby"), 900)
    );
    // Case-insensitive keys, account uid, default role (subscriber) and expiry.
    let r = post(r#"{"TokenType":"rtc","Channel":"lobby","UID":"erin"}"#).await;
    let parsed = verify(r.json()["token"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("erin"), 3600)
    );
    assert!(parsed.privileges.iter().all(|p| p.name == "join channel"));
    let r = post(r#"{"tokenType":"rtm","uid":"frank"}"#).await;
    assert_eq!(
        verify(r.json()["token"].as_str().unwrap()).user.as_deref(),
        Some("frank")
    );
    let r = post(r#"{"tokenType":"chat"}"#).await;
    assert!(
        verify(r.json()["token"].as_str().unwrap())
            .privileges
            .iter()
            .any(|p| p.name == "chat app administrator")
    );
    let r = post(r#"{"tokenType":"chat","uid":"gina","expire":100000}"#).await;
    let parsed = verify(r.json()["token"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("gina"), 86_400)
    );
    for (body, needle) in [
        (r#"{"tokenType":"video"}"#, "tokenType"),
        (r#"{"channel":"x"}"#, "tokenType"),
        (r#"{"tokenType":"rtc","uid":"1"}"#, "channel"),
        (r#"{"tokenType":"rtc","channel":"x"}"#, "uid"),
        (r#"{"tokenType":"rtm"}"#, "uid"),
        (
            r#"{"tokenType":"rtc","channel":"x","uid":"1","expire":-5}"#,
            "expire",
        ),
        (
            r#"{"tokenType":"rtc","channel":"x","uid":"1","role":"root"}"#,
            "role",
        ),
        (r#"{"tokenType":"rtc","channel":7,"uid":"1"}"#, "channel"),
        (r#"not json"#, "JSON"),
    ] {
        let r = post(body).await;
        assert_eq!(r.status, 400, "{body}");
        assert!(
            r.json()["message"].as_str().unwrap().contains(needle),
            "{body}: {}",
            r.json()
        );
    }
}

#[tokio::test]
async fn zego_compat_routes() {
    let s = start().await;
    let r = get(s.addr, "/api/get_access_token?userID=alice&expired_ts=7200").await;
    assert_eq!(r.status, 200);
    let parsed = zego_sample_token(&r);
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("alice"), 7200)
    );
    let r = get(s.addr, "/access_token?uid=bob").await;
    let parsed = verify(r.json()["token"].as_str().unwrap());
    assert_eq!(
        (parsed.user.as_deref(), validity(&parsed)),
        (Some("bob"), 3600)
    );
    let r = get(
        s.addr,
        "/api/get_access_token/?userID=carol&expired_ts=10000000",
    )
    .await;
    assert_eq!(
        validity(&verify(r.json()["token"].as_str().unwrap())),
        86_400
    );
    for path in [
        "/api/get_access_token",
        "/api/get_access_token?userID=",
        "/api/get_access_token?userID=a&expired_ts=x",
    ] {
        get_invalid(s.addr, path).await;
    }
}

#[tokio::test]
async fn unconfigured_vendor_unknown_route_and_wrong_method() {
    let agora_only = Providers::new().with(Arc::new(AgoraProvider::demo()));
    let s = start_with(agora_only, config()).await;
    let r = get(s.addr, "/api/get_access_token?userID=a").await;
    assert_eq!((r.status, r.error().as_str()), (404, "not_found"));
    // The only vendor is the default one.
    let r = post_json(s.addr, "/v1/tokens", &json!({"user_id": "a", "room": "r"})).await;
    assert_eq!(r.json()["vendor"], "agora");
    let r = get(s.addr, "/nope/alice").await;
    assert_eq!((r.status, r.error().as_str()), (404, "not_found"));
    let r = get(s.addr, "/v1/tokens").await;
    assert_eq!((r.status, r.error().as_str()), (405, "method_not_allowed"));
}
