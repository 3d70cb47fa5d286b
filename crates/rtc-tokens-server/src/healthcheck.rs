//! `rtc-tokens-server healthcheck [--url URL]`: one HTTP/1.1 `GET` for
//! container health checks, in an image that has no curl.
//!
//! The default URL is `http://127.0.0.1:<port>/healthz`, with the port the
//! server would listen on (`--bind`, `BIND_ADDR`, `SERVER_PORT`/`PORT` and
//! `BIND_HOST` from the environment and `.env`, default 8080); an address
//! bound to one interface is asked there, an unspecified one (`0.0.0.0`,
//! `::`) on loopback. A `--config` file is not read: give `--url` when the
//! port comes from one.
//!
//! Exit status 0 when the answer is 200 within [`TIMEOUT`], 1 otherwise
//! (refused, timed out, another status, an unusable URL). It prints one
//! line: the scheme, host, port and path it asked, and the status or what
//! went wrong; never a query, user info, header or body.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use hyper::header::{HOST, USER_AGENT};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The whole exchange (connect, send, status line) must finish within this.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// `http://<loopback or the bound address>:<port>/healthz` for a server
/// listening on `bind`.
pub fn default_url(bind: SocketAddr) -> String {
    let ip = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/healthz", SocketAddr::new(ip, bind.port()))
}

/// A URL the check can use: `http://host[:port]/path`, nothing else.
struct Target {
    host: String,
    port: u16,
    /// `host[:port]` as written, for the `Host` header.
    authority: String,
    /// The path and query, sent in the request line.
    path_and_query: String,
    /// What is printed: no user info, no query.
    shown: String,
}

impl Target {
    fn parse(url: &str) -> Result<Self, &'static str> {
        let uri: Uri = url.parse().map_err(|_| "not a valid URL")?;
        if uri.scheme_str() != Some("http") {
            return Err("only http:// URLs are supported");
        }
        let authority = uri.authority().ok_or("the URL has no host")?;
        if authority.as_str().contains('@') {
            return Err("user info in the URL is not supported");
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = authority.port_u16().unwrap_or(80);
        let path = uri.path();
        Ok(Self {
            shown: format!("http://{}{path}", authority.as_str()),
            authority: authority.as_str().to_owned(),
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            host,
            port,
        })
    }
}

/// Runs the check against `url`; the process's exit status.
pub async fn run(url: &str) -> ExitCode {
    let target = match Target::parse(url) {
        Ok(t) => t,
        Err(why) => {
            eprintln!("healthcheck: --url: {why}");
            return ExitCode::FAILURE;
        }
    };
    match tokio::time::timeout(TIMEOUT, get(&target)).await {
        Ok(Ok(200)) => {
            println!("healthcheck: {}: 200", target.shown);
            ExitCode::SUCCESS
        }
        Ok(Ok(status)) => {
            eprintln!("healthcheck: {}: answered {status}", target.shown);
            ExitCode::FAILURE
        }
        Ok(Err(why)) => {
            eprintln!("healthcheck: {}: {why}", target.shown);
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!(
                "healthcheck: {}: no answer within {} s",
                target.shown,
                TIMEOUT.as_secs()
            );
            ExitCode::FAILURE
        }
    }
}

/// `GET` over one fresh connection; the response status.
async fn get(target: &Target) -> Result<u16, String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("http: {e}"))?;
    // Drives the connection; ends with it (or with the process).
    tokio::spawn(connection);
    let request = Request::get(target.path_and_query.as_str())
        .header(HOST, target.authority.as_str())
        .header(USER_AGENT, "rtc-tokens-server-healthcheck")
        .body(String::new())
        .map_err(|e| format!("request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("http: {e}"))?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_url_asks_loopback_for_an_unspecified_address() {
        let url = |s: &str| default_url(s.parse().unwrap());
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/healthz");
        assert_eq!(url("[::]:10000"), "http://[::1]:10000/healthz");
        assert_eq!(url("127.0.0.1:9000"), "http://127.0.0.1:9000/healthz");
        assert_eq!(url("10.1.2.3:8080"), "http://10.1.2.3:8080/healthz");
    }

    #[test]
    fn urls_are_http_only_and_shown_without_query_or_user_info() {
        let t = Target::parse("http://127.0.0.1:8080/healthz?x=secret").unwrap();
        assert_eq!(t.shown, "http://127.0.0.1:8080/healthz");
        assert_eq!(t.path_and_query, "/healthz?x=secret");
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 8080));
        let t = Target::parse("http://[::1]/readyz").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 80));
        assert!(Target::parse("https://127.0.0.1/healthz").is_err());
        assert!(Target::parse("http://user:pw@127.0.0.1/healthz").is_err());
        assert!(Target::parse("127.0.0.1:8080").is_err());
        assert!(Target::parse("not a url").is_err());
    }
}
