//! The server under a hostile network, over real sockets on 127.0.0.1:
//! idle, slowloris and slow-body connections are closed within the
//! configured timeouts; `/healthz` answers at the connection cap; a declared
//! oversize body is refused at once; failed authentication (and, without
//! keys, every request) is rate limited per client address, forwarded
//! clients each on their own behind a trusted proxy; and the built
//! binary, sent SIGTERM with a stalled connection, answers 503 on `/readyz`
//! while still serving during the pre-stop period and exits 0 within the
//! drain deadline.
//!
//! Timing is only ever an upper bound, several times the timeouts the tests
//! configure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use rtc_tokens_server::{AddressLimit, Auth, RateLimit, ServerConfig, TrustedProxies};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::{Instant, timeout};

use common::spawned::Spawned;
use common::*;

/// Well above every timeout configured here: a connection not closed by then
/// was not bounded.
const BOUND: Duration = Duration::from_secs(6);

fn short_timeouts() -> ServerConfig {
    let mut c = config();
    c.limits.header_timeout = Duration::from_secs(1);
    c.limits.body_timeout = Duration::from_secs(1);
    c.limits.idle_timeout = Duration::from_secs(1);
    c
}

/// Reads until the server closes the connection (EOF or reset); what it sent.
async fn until_closed(stream: TcpStream) -> Vec<u8> {
    until_closed_as(stream, "connection").await
}

async fn until_closed_as(mut stream: TcpStream, what: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let read = timeout(BOUND, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "{what} still open after {BOUND:?}");
    out
}

/// Reads one response on a keep-alive connection (head plus Content-Length body).
async fn read_one(stream: &mut TcpStream) -> Resp {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = timeout(BOUND, stream.read(&mut buf))
            .await
            .expect("response timed out")
            .unwrap();
        assert!(n > 0, "closed before a full response");
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if raw.len() >= end + 4 + len {
                return parse_response(&raw);
            }
        }
    }
}

async fn connect_from(local: IpAddr, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(local, 0)).unwrap();
    socket.connect(addr).await.unwrap()
}

async fn request_from(local: IpAddr, addr: SocketAddr, path: &str, auth: Option<&str>) -> Resp {
    let mut stream = connect_from(local, addr).await;
    let auth = auth.map_or(String::new(), |k| format!("Authorization: Bearer {k}\r\n"));
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    parse_response(&until_closed(stream).await)
}

/// A server whose listen backlog holds every connection the test opens at
/// once (std's default of 128 would leave some waiting in the kernel).
async fn start_with_backlog(config: ServerConfig) -> Server {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    start_on(socket.listen(2048).unwrap(), demo_providers(), config).await
}

#[tokio::test]
async fn idle_slowloris_and_slow_body_connections_are_closed() {
    const EACH: usize = 200;
    let s = start_with_backlog(short_timeouts()).await;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..EACH {
        let addr = s.addr;
        // Idle: connects and sends nothing.
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await.unwrap();
            assert!(until_closed_as(stream, "idle").await.is_empty());
        }));
        // Slowloris: a request head that never ends; every tenth one keeps
        // trickling header lines (the timeout runs from the first byte).
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
            if i % 10 == 0 {
                let (mut read, mut write) = stream.into_split();
                let trickle = tokio::spawn(async move {
                    for _ in 0..50 {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        if write.write_all(b"X-Slow: 1\r\n").await.is_err() {
                            break;
                        }
                    }
                });
                let mut buf = [0u8; 64];
                let closed = timeout(BOUND, async {
                    loop {
                        match read.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                })
                .await;
                assert!(closed.is_ok(), "trickling slowloris still open");
                trickle.abort();
            } else {
                assert!(until_closed_as(stream, "slowloris").await.is_empty());
            }
        }));
        // Slow body: a complete, authenticated head, then part of the body.
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
                 Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"vendor\":"
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            let r = parse_response(&until_closed_as(stream, "slow body").await);
            assert_eq!((r.status, r.error().as_str()), (408, "request_timeout"));
        }));
    }
    // An idle keep-alive connection after one request.
    let mut kept = TcpStream::connect(s.addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_one(&mut kept).await.status, 200);
    assert!(until_closed_as(kept, "idle keep-alive").await.is_empty());
    for t in tasks {
        t.await.unwrap();
    }
    assert!(started.elapsed() < BOUND * 2);
    // The server still serves.
    assert_eq!(get(s.addr, "/rtm/alice").await.status, 200);
}

#[tokio::test]
async fn healthz_answers_at_the_connection_cap() {
    let mut c = config();
    c.limits.max_connections = 10;
    c.limits.reserved_connections = 2;
    c.limits.header_timeout = Duration::from_secs(30);
    c.limits.idle_timeout = Duration::from_secs(30);
    let s = start_with(demo_providers(), c).await;
    // Take every general slot with a keep-alive connection that made one request.
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut stream = TcpStream::connect(s.addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_one(&mut stream).await.status, 200);
        held.push(stream);
    }
    // Health checks still get through, on a reserved connection.
    for path in ["/healthz", "/readyz", "/metrics"] {
        let r = request(s.addr, "GET", path, &[], None).await;
        assert_eq!(r.status, 200, "{path}");
    }
    // Anything else is refused there, with a hint to retry.
    let r = get(s.addr, "/rtm/alice").await;
    assert_eq!((r.status, r.error().as_str()), (503, "unavailable"));
    assert_eq!(r.header("retry-after"), Some("1"));
    // A reserved connection serves one request: it is closed after the answer.
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let r = parse_response(&until_closed(stream).await);
    assert_eq!(r.status, 200);
    // Freeing a general slot lets token requests through again.
    drop(held.pop());
    let mut ok = false;
    for _ in 0..50 {
        if get(s.addr, "/rtm/alice").await.status == 200 {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ok, "a freed slot was not reused");
}

#[tokio::test]
async fn a_declared_oversize_body_is_413_before_it_is_read() {
    let s = start().await;
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let r = parse_response(&until_closed(stream).await);
    assert_eq!((r.status, r.error().as_str()), (413, "payload_too_large"));
    assert_eq!(r.header("connection"), Some("close"));
}

#[tokio::test]
async fn failed_authentication_is_rate_limited_per_client_address() {
    let mut c = config();
    c.limits.auth_failures = Some(AddressLimit {
        per_minute: 2,
        burst: 3,
    });
    let s = start_with(demo_providers(), c).await;
    let one: IpAddr = "127.0.0.1".parse().unwrap();
    let two: IpAddr = "127.0.0.2".parse().unwrap();
    let wrong = Some("wrong-key-0123456789abcdef");
    for _ in 0..3 {
        let r = request_from(one, s.addr, "/rtm/alice", wrong).await;
        assert_eq!(r.status, 401);
    }
    let r = request_from(one, s.addr, "/rtm/alice", wrong).await;
    assert_eq!((r.status, r.error().as_str()), (429, "rate_limited"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    // Once blocked, the address's keys are not even checked.
    let r = request_from(one, s.addr, "/rtm/alice", Some(KEY)).await;
    assert_eq!(r.status, 429);
    let r = request_from(one, s.addr, "/rtm/alice", None).await;
    assert_eq!(r.status, 429);
    // Another address is not affected; open routes never are.
    assert_eq!(
        request_from(two, s.addr, "/rtm/alice", Some(KEY))
            .await
            .status,
        200
    );
    assert_eq!(
        request_from(two, s.addr, "/rtm/alice", wrong).await.status,
        401
    );
    assert_eq!(
        request_from(one, s.addr, "/healthz", None).await.status,
        200
    );
}

#[tokio::test]
async fn without_keys_the_rate_limit_is_per_client_address() {
    let mut c = config();
    c.auth = Auth::Disabled;
    c.rate_limit = Some(RateLimit {
        per_minute: 2,
        burst: 2,
    });
    let s = start_with(demo_providers(), c).await;
    let one: IpAddr = "127.0.0.1".parse().unwrap();
    let two: IpAddr = "127.0.0.2".parse().unwrap();
    for _ in 0..2 {
        assert_eq!(
            request_from(one, s.addr, "/rtm/alice", None).await.status,
            200
        );
    }
    let r = request_from(one, s.addr, "/rtm/alice", None).await;
    assert_eq!((r.status, r.error().as_str()), (429, "rate_limited"));
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("client address")
    );
    assert_eq!(
        request_from(two, s.addr, "/rtm/alice", None).await.status,
        200
    );
}

async fn forwarded_request(addr: SocketAddr, forwarded_for: &str, auth: &str) -> Resp {
    let mut stream = connect_from("127.0.0.1".parse().unwrap(), addr).await;
    let req = format!(
        "GET /rtm/alice HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {forwarded_for}\r\n\
         Authorization: Bearer {auth}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    parse_response(&until_closed(stream).await)
}

/// Behind a trusted proxy (here 127.0.0.1), each forwarded client has its
/// own failed-authentication bucket, and a client's own `X-Forwarded-For`
/// entries (left of the proxy's) are not believed; without the setting the
/// header is ignored and every caller shares the peer's bucket.
#[tokio::test]
async fn behind_a_trusted_proxy_forwarded_clients_get_their_own_buckets() {
    let limited = || {
        let mut c = config();
        c.limits.auth_failures = Some(AddressLimit {
            per_minute: 1,
            burst: 2,
        });
        c
    };
    let wrong = "wrong-key-0123456789abcdef";
    let mut c = limited();
    c.trusted_proxies = TrustedProxies {
        networks: vec!["127.0.0.1/32".parse().unwrap()],
        ..TrustedProxies::default()
    };
    let s = start_with(demo_providers(), c).await;
    for _ in 0..2 {
        let r = forwarded_request(s.addr, "203.0.113.1", wrong).await;
        assert_eq!(r.status, 401);
    }
    // A spoofed left entry does not get the client out of its bucket.
    let r = forwarded_request(s.addr, "198.51.100.77, 203.0.113.1", wrong).await;
    assert_eq!(r.status, 429);
    // Another forwarded client is not affected, nor is the proxy itself.
    let r = forwarded_request(s.addr, "203.0.113.2", KEY).await;
    assert_eq!(r.status, 200);
    let r = forwarded_request(s.addr, "203.0.113.2", wrong).await;
    assert_eq!(r.status, 401);
    let one: IpAddr = "127.0.0.1".parse().unwrap();
    let r = request_from(one, s.addr, "/rtm/alice", Some(KEY)).await;
    assert_eq!(r.status, 200);

    // Without trusted proxies the header is ignored: one bucket, the peer's.
    let s = start_with(demo_providers(), limited()).await;
    for client in ["203.0.113.1", "203.0.113.2"] {
        let r = forwarded_request(s.addr, client, wrong).await;
        assert_eq!(r.status, 401);
    }
    let r = forwarded_request(s.addr, "203.0.113.3", KEY).await;
    assert_eq!(r.status, 429);
    let r = request_from(one, s.addr, "/rtm/alice", Some(KEY)).await;
    assert_eq!(r.status, 429);
}

/// The built binary: SIGTERM → `/readyz` 503 while the listener still
/// accepts and serves (pre-stop) → drain → the stalled connection is cut at
/// the drain deadline → exit 0. With `--log-format text` into a pipe, the
/// log has no ANSI colours.
#[tokio::test]
async fn sigterm_drains_and_exits_0_with_a_stalled_connection() {
    let mut bin = binary(
        None,
        &[
            ("API_KEYS", KEY),
            ("PRE_STOP_SECS", "2"),
            ("SHUTDOWN_TIMEOUT_SECS", "2"),
            ("BODY_TIMEOUT_SECS", "60"),
            ("HEADER_TIMEOUT_SECS", "60"),
            ("IDLE_TIMEOUT_SECS", "60"),
        ],
    );
    let addr = bin.addr;

    // A stalled request: an authenticated head and part of its body.
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"vendor\":"
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    assert_eq!(request(addr, "GET", "/readyz", &[], None).await.status, 200);

    let signalled = Instant::now();
    bin.sigterm();
    // Pre-stop: not ready, but still accepting and serving.
    let mut saw_503 = false;
    for _ in 0..20 {
        let r = request(addr, "GET", "/readyz", &[], None).await;
        if r.status == 503 {
            saw_503 = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(saw_503, "/readyz never answered 503 during pre-stop");
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "too slow to observe the pre-stop period"
    );
    assert_eq!(get(addr, "/rtm/alice").await.status, 200);
    assert_eq!(
        request(addr, "GET", "/healthz", &[], None).await.status,
        200
    );

    // The stalled connection is cut at the drain deadline and the process exits 0.
    let cut = until_closed(stalled).await;
    assert!(cut.is_empty(), "{}", String::from_utf8_lossy(&cut));
    let (exit, text) = bin.wait(Duration::from_secs(15));
    assert!(exit.success(), "exit status {exit:?}");
    assert!(TcpStream::connect(addr).await.is_err());
    assert!(
        !text.contains('\u{1b}'),
        "ANSI escapes in a piped log:\n{text}"
    );
    assert!(text.contains("drain deadline reached"), "{text}");
}

/// The scenario: under a 100-file limit, 120 idle unauthenticated
/// connections. The cap is lowered below the file limit, so the server never
/// runs out of descriptors, the idle connections time out, and `/healthz`
/// answers.
#[tokio::test]
async fn under_a_low_file_limit_idle_floods_do_not_starve_healthz() {
    let mut bin = binary(
        Some(100),
        &[
            ("API_KEYS", KEY),
            ("PRE_STOP_SECS", "0"),
            ("SHUTDOWN_TIMEOUT_SECS", "1"),
            ("HEADER_TIMEOUT_SECS", "2"),
        ],
    );
    let mut idle = Vec::new();
    for _ in 0..120 {
        idle.push(TcpStream::connect(bin.addr).await.unwrap());
    }
    let mut health = TcpStream::connect(bin.addr).await.unwrap();
    health
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = Vec::new();
    timeout(Duration::from_secs(15), health.read_to_end(&mut raw))
        .await
        .expect("/healthz starved")
        .unwrap();
    assert_eq!(parse_response(&raw).status, 200);
    drop(idle);
    bin.sigterm();
    let (exit, text) = bin.wait(Duration::from_secs(15));
    assert!(exit.success(), "exit status {exit:?}\n{text}");
    assert!(text.contains("open-file limit"), "{text}");
    assert!(!text.contains("Too many open files"), "{text}");
}

/// The built binary with `--demo --log-format text` on a free loopback port,
/// optionally under an open-file limit, its log read line by line.
fn binary(file_limit: Option<u32>, env: &[(&str, &str)]) -> Spawned {
    use std::process::{Command, Stdio};

    let bin = env!("CARGO_BIN_EXE_rtc-tokens-server");
    let mut cmd = match file_limit {
        Some(n) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), bin]);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(["--demo", "--bind", "127.0.0.1:0", "--log-format", "text"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .stderr(Stdio::null());
    Spawned::start(&mut cmd)
}
