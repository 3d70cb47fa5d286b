//! One token endpoint for either vendor, chosen by the environment.
//!
//! ```sh
//! # Fake demo credentials, vendor chosen by RTC_VENDOR (zego or agora):
//! RTC_VENDOR=zego cargo run -p rtc-tokens --example token_endpoint -- --demo
//! curl -s localhost:3000/token -d '{"user_id":"alice","room":"lobby"}'
//!
//! # Real credentials (see the `config` module for every variable):
//! RTC_VENDOR=agora AGORA_APP_ID=... AGORA_APP_CERTIFICATE_FILE=/run/secrets/agora \
//!   cargo run -p rtc-tokens --example token_endpoint
//! ```
//!
//! The handler is written once against `dyn TokenProvider`; nothing in it
//! names a vendor. This is a teaching example built on `std` only: it serves
//! one request at a time. Use `rtc-tokens-server` in production.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use rtc_tokens::{
    AgoraProvider, Config, Error, ErrorKind, Providers, TokenProvider, TokenRequest, Vendor,
    ZegoProvider,
};

/// The whole endpoint: JSON request in, JSON response out, whatever the vendor.
fn handle(provider: &dyn TokenProvider, body: &[u8]) -> (u16, String) {
    let request: TokenRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return (400, error_json("invalid_input", &e.to_string())),
    };
    match provider.issue(&request) {
        Ok(issued) => (200, serde_json::to_string(&issued).unwrap_or_default()),
        // The request was fine but the machine failed (no randomness): not the client's fault.
        Err(e) if e.kind() == ErrorKind::Internal => {
            (500, error_json(e.kind().as_str(), e.message()))
        }
        Err(e) => (400, error_json(e.kind().as_str(), e.message())),
    }
}

fn error_json(category: &str, message: &str) -> String {
    serde_json::json!({ "error": category, "message": message }).to_string()
}

fn provider_from_env(demo: bool) -> Result<Arc<dyn TokenProvider>, Error> {
    let vendor: Vendor = std::env::var("RTC_VENDOR")
        .unwrap_or_else(|_| "agora".into())
        .parse()?;
    let providers = if demo {
        eprintln!("warning: serving the built-in FAKE demo credentials");
        Providers::new()
            .with(Arc::new(ZegoProvider::demo()))
            .with(Arc::new(AgoraProvider::demo()))
    } else {
        Config::from_env()?.providers()
    };
    providers.provider(Some(vendor)).cloned()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = std::env::args().any(|a| a == "--demo");
    let provider = provider_from_env(demo)?;
    let listener = TcpListener::bind("127.0.0.1:3000")?;
    eprintln!(
        "serving {} tokens on http://127.0.0.1:3000/token",
        provider.vendor()
    );
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let mut content_length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0).min(16 * 1024);
            }
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body)?;
        let (status, json) = if request_line.starts_with("POST /token ") {
            handle(&*provider, &body)
        } else {
            (404, error_json("not_found", "POST /token"))
        };
        write!(
            stream,
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
            json.len()
        )?;
    }
    Ok(())
}
