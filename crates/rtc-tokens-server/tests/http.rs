//! The server over a real socket: every route, authentication, CORS, limits,
//! errors and graceful shutdown. Each test starts its own server on 127.0.0.1:0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rtc_tokens::{
    AgoraProvider, ParseOptions, ParsedToken, Providers, TokenVersion, Vendor, ZegoProvider,
};
use rtc_tokens_server::auth::ApiKeys;
use rtc_tokens_server::{AppState, Auth, CorsPolicy, RateLimit, ServerConfig, serve};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const KEY: &str = "test-key-0123456789abcdef";
const OTHER_KEY: &str = "rotated-key-0123456789abcdef";

fn demo_providers() -> Providers {
    Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
}

fn config() -> ServerConfig {
    let mut c = ServerConfig::new(Auth::ApiKeys(ApiKeys::new([KEY, OTHER_KEY]).unwrap()));
    c.rate_limit = None;
    c.cors = CorsPolicy::List(vec!["https://app.example".into()]);
    c
}

struct Server {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<std::io::Result<()>>,
}

async fn start_with(providers: Providers, config: ServerConfig) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(providers, config);
    let (stop, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    Server {
        addr,
        state,
        stop: Some(stop),
        handle,
    }
}

async fn start() -> Server {
    start_with(demo_providers(), config()).await
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn error(&self) -> String {
        let v = self.json();
        assert!(v["message"].is_string(), "{v}");
        v["error"].as_str().unwrap().to_owned()
    }
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

async fn raw_request(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf))
        .await
        .expect("response timed out")
        .unwrap();
    parse_response(&buf)
}

async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Resp {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    if let Some(b) = body {
        bytes.extend_from_slice(b);
    }
    raw_request(addr, &bytes).await
}

const AUTH: (&str, &str) = ("Authorization", "Bearer test-key-0123456789abcdef");
const JSON_CT: (&str, &str) = ("Content-Type", "application/json");

async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[AUTH], None).await
}

async fn post_json(addr: SocketAddr, path: &str, body: &Value) -> Resp {
    request(
        addr,
        "POST",
        path,
        &[AUTH, JSON_CT],
        Some(body.to_string().as_bytes()),
    )
    .await
}

fn verify(token: &str) -> ParsedToken {
    demo_providers()
        .verify(token, &ParseOptions::default())
        .unwrap()
}

fn validity(parsed: &ParsedToken) -> u64 {
    parsed.expires_at - parsed.issued_at.unwrap()
}

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
            "bogus",
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
    let v = r.json();
    assert_eq!(v.as_object().unwrap().len(), 1);
    let parsed = verify(v["token"].as_str().unwrap());
    assert_eq!(parsed.vendor, Vendor::Zego);
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
        let r = get(s.addr, path).await;
        assert_eq!(
            (r.status, r.error().as_str()),
            (400, "invalid_input"),
            "{path}"
        );
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
