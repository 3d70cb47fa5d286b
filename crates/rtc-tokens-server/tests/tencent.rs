//! Tencent over real sockets on 127.0.0.1: the neutral routes with
//! `"vendor": "tencent"`, and the drop-in for the signing service Tencent's
//! TRTC demos log in to (`POST /sxb_dev/?svc=account&cmd=authPrivMap`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;

use common::*;
use rtc_tokens::{
    DEMO_TENCENT_SDK_APP_ID, ParseOptions, ParsedToken, Providers, TencentProvider, TokenProvider,
    VendorDetail,
};
use serde_json::json;

fn with_tencent() -> Providers {
    demo_providers().with(Arc::new(TencentProvider::demo()))
}

fn verify_tencent(token: &str) -> ParsedToken {
    TencentProvider::demo()
        .verify(token, &ParseOptions::default().require([]))
        .unwrap()
}

#[tokio::test]
async fn the_neutral_routes_issue_and_parse_tencent_tokens() {
    let s = start_with(with_tencent(), config()).await;
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "tencent", "user_id": "alice", "room": "1234", "validity_secs": 600,
                "privileges": ["join_channel", "subscribe_audio"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    assert_eq!(body["vendor"], "tencent");
    assert_eq!(body["version"], "usersig");
    let token = body["token"].as_str().unwrap();
    let parsed = verify_tencent(token);
    assert_eq!(parsed.room.as_deref(), Some("1234"));
    let names: Vec<_> = parsed.privileges.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["enter room", "receive audio"]);

    // Recognised by its shape among three vendors, and verified.
    let r = post_json(s.addr, "/v1/tokens/parse", &json!({"token": token})).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let view = r.json();
    assert_eq!(view["vendor"], "tencent");
    assert_eq!(view["user"], "alice");
    assert_eq!(view["room"], "1234");
    assert_eq!(view["verification"], "verified");
    assert_eq!(view["detail"]["format"], "tencent_usersig");

    // The trait's refusals come back as 400s naming the field.
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "tencent", "user_id": "al ice"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("user_id"));
    let metrics = s.state.metrics().render();
    assert!(
        metrics.contains("vendor=\"tencent\",kind=\"rtc\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_vendor_not_configured_is_refused() {
    let s = start().await;
    let r = post_json(
        s.addr,
        "/v1/tokens",
        &json!({"vendor": "trtc", "user_id": "alice"}),
    )
    .await;
    // A vendor this server does not serve is 404 on /v1/tokens (harden).
    assert_eq!(r.status, 404, "{}", String::from_utf8_lossy(&r.body));
    let r = post_json(
        s.addr,
        "/sxb_dev/?svc=account&cmd=authPrivMap",
        &json!({"identifier": "alice", "roomnum": 1}),
    )
    .await;
    assert_eq!(r.status, 404);
}

const DEMO_CGI: &str = "/sxb_dev/?svc=account&cmd=authPrivMap";

#[tokio::test]
async fn the_demo_login_cgi_returns_a_usersig_and_a_private_map_key() {
    let s = start_with(with_tencent(), config()).await;
    // As Tencent's Windows demo posts it.
    let r = post_json(
        s.addr,
        DEMO_CGI,
        &json!({"pwd": "12345678", "appid": DEMO_TENCENT_SDK_APP_ID, "roomnum": 1234,
                "privMap": 255, "identifier": "alice"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    assert_eq!(body["errorCode"], 0);
    assert_eq!(body["errorInfo"], "");
    let user_sig = verify_tencent(body["data"]["userSig"].as_str().unwrap());
    assert_eq!(user_sig.user.as_deref(), Some("alice"));
    assert_eq!(user_sig.room, None);
    assert_eq!(user_sig.expires_at - user_sig.issued_at.unwrap(), 3600);
    let key = verify_tencent(body["data"]["privMapEncrypt"].as_str().unwrap());
    assert_eq!(key.room.as_deref(), Some("1234"));
    let VendorDetail::Tencent(t) = &key.detail else {
        panic!("not tencent")
    };
    assert_eq!(t.private_map_key.as_ref().unwrap().privileges.bits(), 255);

    // Enter and receive audio only, for a day (the server's cap), without the
    // path's trailing slash; no room: no key.
    let r = post_json(
        s.addr,
        "/sxb_dev?svc=account&cmd=authPrivMap",
        &json!({"identifier": "bob", "roomnum": 7, "privMap": 10, "expire_time": 86400}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let key = verify_tencent(r.json()["data"]["privMapEncrypt"].as_str().unwrap());
    let VendorDetail::Tencent(t) = &key.detail else {
        panic!("not tencent")
    };
    assert_eq!(t.private_map_key.as_ref().unwrap().privileges.bits(), 10);
    assert_eq!(key.expires_at - key.issued_at.unwrap(), 86_400);
    let r = post_json(s.addr, DEMO_CGI, &json!({"identifier": "carol"})).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["data"].get("privMapEncrypt").is_none());
}

#[tokio::test]
async fn the_demo_login_cgi_refuses_what_it_cannot_sign() {
    let s = start_with(with_tencent(), config()).await;
    for (path, body, status) in [
        (
            "/sxb_dev/?svc=account&cmd=other",
            json!({"identifier": "alice"}),
            404,
        ),
        (DEMO_CGI, json!({"identifier": "alice", "appid": 1}), 400),
        (DEMO_CGI, json!({"identifier": "alice", "roomnum": 0}), 400),
        (
            DEMO_CGI,
            json!({"identifier": "alice", "roomnum": 1, "privMap": 256}),
            400,
        ),
        (DEMO_CGI, json!({"identifier": "al ice"}), 400),
        (DEMO_CGI, json!({"roomnum": 1}), 400),
    ] {
        let r = post_json(s.addr, path, &body).await;
        assert_eq!(
            r.status,
            status,
            "{path} {body}: {}",
            String::from_utf8_lossy(&r.body)
        );
        r.error();
    }
    // Authenticated like every other route: the demo's pwd is no credential.
    let r = request(
        s.addr,
        "POST",
        DEMO_CGI,
        &[JSON_CT],
        Some(br#"{"identifier":"alice","pwd":"12345678"}"#),
    )
    .await;
    assert_eq!(r.status, 401);
}
