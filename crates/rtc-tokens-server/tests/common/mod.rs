//! Helpers shared by the server's socket tests: a server on 127.0.0.1:0
//! with the demo providers, a small HTTP/1.1 client, the built binary run
//! as a child process (`spawned`) and a capture of every tracing event
//! (`logs`).
// Each test file uses only some of the helpers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

pub mod logs;
pub mod spawned;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rtc_tokens::{AgoraProvider, ParseOptions, ParsedToken, Providers, ZegoProvider};
use rtc_tokens_server::auth::ApiKeys;
use rtc_tokens_server::{AppState, Auth, CorsPolicy, ServerConfig, serve};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const KEY: &str = "test-key-0123456789abcdef";
pub const OTHER_KEY: &str = "rotated-key-0123456789abcdef";

pub fn demo_providers() -> Providers {
    Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
}

pub fn config() -> ServerConfig {
    let mut c = ServerConfig::new(Auth::ApiKeys(ApiKeys::new([KEY, OTHER_KEY]).unwrap()));
    c.rate_limit = None;
    c.cors = CorsPolicy::List(vec!["https://app.example".into()]);
    c
}

pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    pub stop: Option<oneshot::Sender<()>>,
    pub handle: JoinHandle<std::io::Result<()>>,
}

pub async fn start_with(providers: Providers, config: ServerConfig) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_on(listener, providers, config).await
}

/// A server on a listener the test made (e.g. with a larger backlog).
pub async fn start_on(listener: TcpListener, providers: Providers, config: ServerConfig) -> Server {
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

pub async fn start() -> Server {
    start_with(demo_providers(), config()).await
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn error(&self) -> String {
        let v = self.json();
        assert!(v["message"].is_string(), "{v}");
        v["error"].as_str().unwrap().to_owned()
    }
}

pub fn parse_response(raw: &[u8]) -> Resp {
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

pub async fn raw_request(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf))
        .await
        .expect("response timed out")
        .unwrap();
    parse_response(&buf)
}

pub async fn request(
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

pub const AUTH: (&str, &str) = ("Authorization", "Bearer test-key-0123456789abcdef");
pub const JSON_CT: (&str, &str) = ("Content-Type", "application/json");

pub async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[AUTH], None).await
}

/// GET `path`, asserting the answer is a 400 `invalid_input`.
pub async fn get_invalid(addr: SocketAddr, path: &str) -> Resp {
    let r = get(addr, path).await;
    assert_eq!(
        (r.status, r.error().as_str()),
        (400, "invalid_input"),
        "{path}"
    );
    r
}

pub async fn post_json(addr: SocketAddr, path: &str, body: &Value) -> Resp {
    request(
        addr,
        "POST",
        path,
        &[AUTH, JSON_CT],
        Some(body.to_string().as_bytes()),
    )
    .await
}

pub fn verify(token: &str) -> ParsedToken {
    demo_providers()
        .verify(token, &ParseOptions::default())
        .unwrap()
}

/// The token of a ZEGO sample route's answer (`{"token"}`, its only key),
/// verified as a ZEGO token.
pub fn zego_sample_token(r: &Resp) -> ParsedToken {
    let v = r.json();
    assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
    let parsed = verify(v["token"].as_str().unwrap());
    assert_eq!(parsed.vendor, rtc_tokens::Vendor::Zego);
    parsed
}

pub fn validity(parsed: &ParsedToken) -> u64 {
    parsed.expires_at - parsed.issued_at.unwrap()
}
