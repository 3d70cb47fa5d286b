//! `POST /v1/tokens` with the ConvoAI and STT kinds, over a real socket on
//! 127.0.0.1: Agora 007 issues them, ZEGO refuses them, and they are counted
//! under their own metrics label.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use rtc_tokens::VendorDetail;
use rtc_tokens::agora_dynamic_key::access_token2::Service;
use serde_json::json;

use common::*;

#[tokio::test]
async fn agora_issues_convoai_and_stt_tokens() {
    let s = start().await;
    for kind in ["convoai", "stt"] {
        let r = post_json(
            s.addr,
            "/v1/tokens",
            &json!({"vendor": "agora", "kind": kind, "uid": 1001, "user_id": "agent", "channel": "support-42"}),
        )
        .await;
        assert_eq!(
            r.status,
            200,
            "{kind}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let body = r.json();
        assert_eq!(body["version"], "007");
        let token = body["token"].as_str().unwrap();
        let parsed = verify(token);
        assert_eq!(
            (parsed.user.as_deref(), parsed.room.as_deref()),
            (Some("1001"), Some("support-42"))
        );
        let VendorDetail::Agora007(t) = &parsed.detail else {
            panic!("{kind}: not a 007 token")
        };
        let names: Vec<_> = t.services.iter().map(|s| s.service_type().name()).collect();
        assert_eq!(names, ["rtc", "rtm", kind]);
        let Service::Rtm(rtm) = &t.services[1] else {
            panic!("{kind}: no rtm service")
        };
        assert_eq!(rtm.user_id, "agent");

        // The parse route lists the service among the privileges.
        let r = post_json(s.addr, "/v1/tokens/parse", &json!({"token": token})).await;
        assert_eq!(r.status, 200);
        let view = r.json();
        let listed = view["privileges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["service"] == kind);
        assert!(listed, "{view}");
    }
    let r = request(s.addr, "GET", "/metrics", &[], None).await;
    let text = String::from_utf8(r.body).unwrap();
    for kind in ["convoai", "stt"] {
        let line = format!("rtc_tokens_tokens_issued_total{{vendor=\"agora\",kind=\"{kind}\"}} 1");
        assert!(text.contains(&line), "{line} missing");
    }
}

#[tokio::test]
async fn convoai_and_stt_are_refused_where_they_cannot_be_expressed() {
    let s = start().await;
    for kind in ["convoai", "stt"] {
        // ZEGO has no such kind.
        let r = post_json(
            s.addr,
            "/v1/tokens",
            &json!({"vendor": "zego", "kind": kind, "user_id": "agent", "room": "lobby"}),
        )
        .await;
        assert_eq!(r.status, 400, "{kind}");
        assert_eq!(r.error(), "invalid_input");
        assert!(r.json()["message"].as_str().unwrap().contains(kind));
        // The RTC channel is required.
        let r = post_json(
            s.addr,
            "/v1/tokens",
            &json!({"vendor": "agora", "kind": kind, "user_id": "agent"}),
        )
        .await;
        assert_eq!(r.status, 400, "{kind}");
        assert_eq!(r.error(), "invalid_input");
    }
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "agora", "kind": "convo_ai", "user_id": "a", "room": "r"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("kind"));
}
