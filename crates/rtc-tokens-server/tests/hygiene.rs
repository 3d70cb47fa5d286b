//! Secret hygiene of the server's logs: with real-looking secrets and API
//! keys configured, issue tokens on every route and make failing requests
//! (bad keys, secrets in bodies, paths and queries, damaged tokens, bad
//! configurations), capturing every tracing event at TRACE level in both
//! the text and the JSON format; the captured logs must contain neither a
//! secret, an API key, nor any issued token.
//!
//! The subscriber is process-global (this file is its own test binary), so
//! events from every runtime thread are captured.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::net::SocketAddr;

use common::logs::{captured, logs};
use rtc_tokens_server::config::{LoadOptions, load};
use rtc_tokens_server::{AppState, serve};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ZEGO_SECRET: &str = "5ecre75ecre75ecre75ecre75ecre7aa";
const AGORA_CERT: &str = "c0ffeec0ffeec0ffeec0ffeec0ffee12";
const AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
const KEY: &str = "k3y-alpha-7d9e2f1c4b6a8e0d";
const OTHER_KEY: &str = "k3y-bravo-19c7e5a3f1d2b4c6";
/// A key that is not configured: it must not be logged either.
const WRONG_KEY: &str = "k3y-wrong-0f1e2d3c4b5a6978";

fn lookup(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
}

fn good_env() -> Vec<(&'static str, String)> {
    vec![
        ("API_KEYS", format!("{KEY},{OTHER_KEY}")),
        ("RATE_LIMIT_PER_MINUTE", "0".into()),
        ("CORS_ALLOW_ORIGIN", "https://app.example".into()),
        ("ZEGO_APP_ID", "987654321".into()),
        ("ZEGO_SERVER_SECRET", ZEGO_SECRET.into()),
        ("AGORA_APP_ID", AGORA_APP_ID.into()),
        ("AGORA_APP_CERTIFICATE", AGORA_CERT.into()),
    ]
}

/// A request: method, path, headers, body.
type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, Vec<u8>);

struct Resp {
    status: u16,
    body: String,
}

async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Resp { status, body }
}

/// The tokens in a response body (any JSON string value that looks like one).
fn tokens_in(body: &str) -> Vec<String> {
    let start = body.find('{').unwrap_or(0);
    let end = body.rfind('}').map_or(body.len(), |e| e + 1);
    let Ok(v) = serde_json::from_str::<Value>(&body[start..end]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.len() > 40 && (s.starts_with("04") || s.starts_with("00")) => {
                out.push(s);
            }
            Value::Object(m) => stack.extend(m.into_iter().map(|(_, v)| v)),
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}

fn assert_logs_clean(logs: &str, tokens: &[String]) {
    for secret in [ZEGO_SECRET, AGORA_CERT, KEY, OTHER_KEY, WRONG_KEY] {
        for piece in secret.as_bytes().chunks(8).filter(|p| p.len() == 8) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(
                !logs.contains(piece),
                "{piece:?} of a secret or key in the logs:\n{logs}"
            );
        }
    }
    for t in tokens {
        for piece in t.as_bytes()[3..].chunks(24).filter(|p| p.len() == 24) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!logs.contains(piece), "issued token in the logs:\n{logs}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_never_contain_secrets_keys_or_tokens() {
    logs();
    let settings = load(&LoadOptions::default(), &lookup(good_env())).unwrap();
    for w in &settings.warnings {
        tracing::warn!("{w}"); // as main does
    }
    let mut server = settings.server;
    server.bind = "127.0.0.1:0".parse().unwrap();
    let listener = TcpListener::bind(server.bind).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(settings.providers, server);
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(serve(listener, state, async move {
        let _ = rx.await;
    }));

    let auth = format!("Bearer {KEY}");
    let auth2 = format!("Bearer {OTHER_KEY}");
    let ok = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let ok2 = [("Authorization", auth2.as_str())];
    let mut tokens = Vec::new();

    // Issue on every route.
    for (vendor, body) in [
        (
            "zego",
            json!({"vendor": "zego", "user_id": "alice", "room": "lobby"}),
        ),
        (
            "agora",
            json!({"vendor": "agora", "user_id": "alice", "room": "lobby"}),
        ),
        (
            "agora",
            json!({"vendor": "agora", "kind": "rtm", "user_id": "alice"}),
        ),
    ] {
        let r = request(addr, "POST", "/v1/tokens", &ok, body.to_string().as_bytes()).await;
        assert_eq!(r.status, 200, "{vendor}: {}", r.body);
        tokens.extend(tokens_in(&r.body));
    }
    for path in [
        "/rtc/lobby/publisher/uid/42/",
        "/rtc/lobby/subscriber/userAccount/bob/?expiry=600",
        "/rtm/bob/",
        "/rte/lobby/publisher/uid/42/bob/",
        "/chat/app/",
        "/chat/account/bob/",
        "/api/get_access_token?userID=bob&expired_ts=600",
        "/access_token?uid=bob&expired_ts=600",
    ] {
        let r = request(addr, "GET", path, &ok2, b"").await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        tokens.extend(tokens_in(&r.body));
    }
    let r = request(
        addr,
        "POST",
        "/getToken",
        &ok,
        json!({"tokenType": "rtc", "channel": "lobby", "role": "publisher", "uid": "42"})
            .to_string()
            .as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    tokens.extend(tokens_in(&r.body));
    assert!(tokens.len() >= 12, "{tokens:?}");

    // Parse every token back (the token is in the request body).
    for t in tokens.clone() {
        let body = json!({"token": t, "channel": "lobby", "uid": "42"}).to_string();
        let r = request(addr, "POST", "/v1/tokens/parse", &ok, body.as_bytes()).await;
        assert!([200, 400, 403].contains(&r.status), "{}", r.body);
        // Damaged: rejected, and the rejection is logged.
        let mut bad = t.clone();
        bad.insert(25, '!');
        let body = json!({"token": bad}).to_string();
        let r = request(addr, "POST", "/v1/tokens/parse", &ok, body.as_bytes()).await;
        assert!(r.status >= 400, "{}", r.body);
    }

    // Failing requests carrying secrets, keys and tokens in every place.
    let wrong = format!("Bearer {WRONG_KEY}");
    let secret_as_key = format!("Bearer {ZEGO_SECRET}");
    let t0 = tokens[0].clone();
    // A token where a numeric uid belongs fails whatever its characters: 400 for a bad
    // uid, or 404 when the base64 holds a `/`. (As an RTM user id it could be valid: a
    // token without `/` was issued an RTM token, and this test failed once in ~40 runs.)
    let in_path = format!("/rtc/lobby/publisher/uid/{t0}/");
    let in_query = format!("/api/get_access_token?userID={AGORA_CERT}&expired_ts=x{ZEGO_SECRET}");
    let bad_json = format!("{{\"token\": \"{t0}\", \"secret\": \"{ZEGO_SECRET}\"");
    let unknown_field =
        json!({"vendor": "zego", "user_id": "a", "server_secret": ZEGO_SECRET}).to_string();
    let huge = format!("{{\"token\": \"{}\"}}", t0.repeat(400));
    let cases: Vec<Case<'_>> = vec![
        (
            "GET",
            "/rtm/bob/".into(),
            vec![("Authorization", wrong.as_str())],
            vec![],
        ),
        (
            "GET",
            "/rtm/bob/".into(),
            vec![("Authorization", secret_as_key.as_str())],
            vec![],
        ),
        (
            "GET",
            "/rtm/bob/".into(),
            vec![("Authorization", KEY)],
            vec![],
        ),
        ("GET", "/rtm/bob/".into(), vec![], vec![]),
        ("GET", in_path.clone(), ok2.to_vec(), vec![]),
        ("GET", in_query.clone(), ok2.to_vec(), vec![]),
        (
            "POST",
            "/v1/tokens/parse".into(),
            ok.to_vec(),
            bad_json.clone().into_bytes(),
        ),
        (
            "POST",
            "/v1/tokens".into(),
            ok.to_vec(),
            unknown_field.clone().into_bytes(),
        ),
        (
            "POST",
            "/v1/tokens/parse".into(),
            ok.to_vec(),
            huge.clone().into_bytes(),
        ),
        (
            "POST",
            "/v1/tokens/parse".into(),
            vec![("Authorization", auth.as_str())],
            bad_json.clone().into_bytes(),
        ),
        ("GET", format!("/nope/{ZEGO_SECRET}"), ok2.to_vec(), vec![]),
        ("DELETE", "/v1/tokens".into(), ok.to_vec(), vec![]),
        (
            "GET",
            "/rtm/bob/".into(),
            vec![
                ("Authorization", auth2.as_str()),
                ("Origin", "https://evil.example"),
            ],
            vec![],
        ),
    ];
    for (method, path, headers, body) in &cases {
        let r = request(addr, method, path, headers, body).await;
        assert!(r.status >= 400, "{method} {path}: {}", r.status);
        for secret in [ZEGO_SECRET, AGORA_CERT, KEY, WRONG_KEY] {
            assert!(!r.body.contains(secret), "{method} {path}: {}", r.body);
        }
    }

    // Bad configurations, logged as main logs them.
    for (name, value) in [
        ("ZEGO_SERVER_SECRET", format!("{ZEGO_SECRET}x")),
        ("AGORA_APP_CERTIFICATE", format!("{}zz", &AGORA_CERT[..30])),
        ("API_KEYS", format!("{KEY},short")),
        ("API_KEYS", format!("{KEY},{KEY}")),
    ] {
        let mut env = good_env();
        env.retain(|(n, _)| *n != name);
        env.push((name, value));
        if let Err(e) = load(&LoadOptions::default(), &lookup(env)) {
            tracing::error!(error = %format!("{e:#}"), "invalid configuration");
        }
    }

    stop.send(()).unwrap();
    handle.await.unwrap().unwrap();

    let logs = captured();
    // The capture works: one access line per request, with the key's fingerprint.
    assert!(
        logs.matches("access").count() >= 2 * (tokens.len() + cases.len()),
        "{logs}"
    );
    assert!(logs.contains("invalid configuration"), "{logs}");
    assert_logs_clean(&logs, &tokens);
}
