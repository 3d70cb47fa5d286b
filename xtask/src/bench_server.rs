//! `cargo xtask bench-server`: a bounded load test of `rtc-tokens-server`.
//!
//! Builds the server in release, starts it on loopback (demo credentials,
//! an API key, no rate limit, warn-level logs), drives an Agora 007 RTC route
//! with `wrk` (keep-alive HTTP/1.1; installed with apt-get when missing and
//! running as root), prints requests/s, p50/p99 latency and errors, then stops
//! the server with SIGTERM and checks it exits 0.
//!
//! Options: `--duration SECS` (default 15, at most 60), `--connections N`
//! (default 32), `--threads N` (wrk threads, default 1), `--path PATH`
//! (default an RTC uid route), `--no-auth` (run with `--insecure-no-auth`),
//! `--auth api-key|jwt|both` (default `api-key`; `jwt` drives the route
//! with a bearer RS256 JWT under a policy allowing it; `both` runs the API
//! key and the JWT on the same server one after the other, then the JWT
//! again on a server whose verified-JWT cache is off, and prints the three
//! side by side), `--no-build`, `--enforce` (exit 1 unless ≥ 30 000 req/s
//! with p99 < 10 ms on the first phase). The JWT is signed with the server
//! tests' committed, test-only RSA key; its JWKS is a file. Only 127.0.0.1
//! is ever targeted.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const API_KEY: &str = "bench-key-0123456789abcdef0123";
/// The server tests' test-only RSA key (never a real one).
const JWT_KEY_PEM: &[u8] = include_bytes!("../../crates/rtc-tokens-server/tests/keys/rsa-a.pem");
const JWT_ISSUER: &str = "https://bench.invalid/";
const JWT_AUDIENCE: &str = "rtc-tokens-bench";

/// Which credentials the load is driven with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AuthBench {
    /// The API key (or nothing with `--no-auth`).
    ApiKey,
    /// A bearer JWT.
    Jwt,
    /// The API key, then the JWT, then the JWT with the cache off.
    Both,
}
const TARGET_RPS: f64 = 30_000.0;
const TARGET_P99_MS: f64 = 10.0;

struct Options {
    duration: u64,
    connections: u32,
    threads: u32,
    path: String,
    auth: bool,
    bench: AuthBench,
    build: bool,
    enforce: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options {
        duration: 15,
        connections: 32,
        threads: 1,
        path: "/rtc/bench-channel/publisher/uid/1234/?expiry=3600".into(),
        auth: true,
        bench: AuthBench::ApiKey,
        build: true,
        enforce: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .with_context(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--duration" => {
                o.duration = value("--duration")?
                    .parse()
                    .context("--duration: seconds")?
            }
            "--connections" => {
                o.connections = value("--connections")?
                    .parse()
                    .context("--connections: a number")?
            }
            "--threads" => {
                o.threads = value("--threads")?.parse().context("--threads: a number")?
            }
            "--path" => o.path = value("--path")?,
            "--no-auth" => o.auth = false,
            "--auth" => {
                o.bench = match value("--auth")?.as_str() {
                    "api-key" | "api_key" | "key" => AuthBench::ApiKey,
                    "jwt" => AuthBench::Jwt,
                    "both" => AuthBench::Both,
                    _ => bail!("--auth: api-key, jwt or both"),
                }
            }
            "--no-build" => o.build = false,
            "--enforce" => o.enforce = true,
            other => bail!("bench-server: unknown argument {other:?}"),
        }
    }
    if !(1..=60).contains(&o.duration) {
        bail!("--duration: between 1 and 60 seconds");
    }
    if !(1..=1024).contains(&o.connections)
        || !(1..=16).contains(&o.threads)
        || o.threads > o.connections
    {
        bail!("--connections 1..=1024, --threads 1..=16 and at most the connections");
    }
    if !o.auth && o.bench != AuthBench::ApiKey {
        bail!("--no-auth and --auth jwt/both exclude each other");
    }
    if !o.path.starts_with('/') {
        bail!("--path must start with /");
    }
    Ok(o)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn ensure_wrk() -> Result<()> {
    let present = |c: &str| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    if present("wrk") {
        return Ok(());
    }
    eprintln!("bench-server: wrk not found; installing it with apt-get");
    let ok = Command::new("apt-get")
        .args(["install", "-y", "wrk"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
        || (Command::new("apt-get")
            .arg("update")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
            && Command::new("apt-get")
                .args(["install", "-y", "wrk"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false));
    if !ok || !present("wrk") {
        bail!("wrk is required: install it (apt-get install -y wrk) and rerun");
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(l.local_addr()?.port())
}

fn http_get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let auth = format!("Authorization: Bearer {API_KEY}\r\n");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

struct ServerProcess(Child);

impl ServerProcess {
    /// SIGTERM, then wait up to 15 s; true when it exited 0.
    fn stop(mut self) -> Result<bool> {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.0.try_wait()? {
                return Ok(status.success());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
        Ok(false)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Parses wrk's duration text (`812.00us`, `1.23ms`, `2.00s`) into milliseconds.
fn millis(text: &str) -> Option<f64> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        return None;
    };
    num.parse::<f64>().ok().map(|v| v * scale)
}

#[derive(Debug, Default)]
struct WrkReport {
    requests: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
    socket_errors: u64,
}

fn parse_wrk(out: &str) -> Result<WrkReport> {
    let mut r = WrkReport::default();
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", v] => r.rps = v.parse().unwrap_or(0.0),
            ["50%", v] => r.p50_ms = millis(v).unwrap_or(f64::NAN),
            ["99%", v] => r.p99_ms = millis(v).unwrap_or(f64::NAN),
            ["Non-2xx", "or", "3xx", "responses:", v] => r.non_2xx = v.parse().unwrap_or(0),
            [n, "requests", "in", ..] => r.requests = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                r.socket_errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    if r.rps == 0.0 {
        bail!("could not read wrk's output:\n{out}");
    }
    Ok(r)
}

fn wrk(url: &str, o: &Options, duration: u64, bearer: Option<&str>) -> Result<String> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t",
        &o.threads.to_string(),
        "-c",
        &o.connections.to_string(),
    ])
    .args([
        "-d",
        &format!("{duration}s"),
        "--timeout",
        "2s",
        "--latency",
    ]);
    if let Some(bearer) = bearer {
        cmd.args(["-H", &format!("Authorization: Bearer {bearer}")]);
    }
    let out = cmd.arg(url).output().context("running wrk")?;
    if !out.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The JWT the benchmark presents (valid for an hour) and the JWKS file
/// holding its public key.
fn bench_jwt(target: &Path) -> Result<(String, PathBuf)> {
    use jsonwebtoken::jwk::{Jwk, JwkSet};
    use jsonwebtoken::{Algorithm, EncodingKey, Header};

    let key = EncodingKey::from_rsa_pem(JWT_KEY_PEM).context("the bench RSA key")?;
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).context("the bench JWK")?;
    jwk.common.key_id = Some("bench".into());
    let path = target.join("bench-jwks.json");
    std::fs::write(&path, serde_json::to_vec(&JwkSet { keys: vec![jwk] })?)?;
    let now = jsonwebtoken::get_current_timestamp();
    let claims = serde_json::json!({
        "iss": JWT_ISSUER, "aud": JWT_AUDIENCE, "sub": "bench-user", "uid": 1234,
        "iat": now, "exp": now + 3_600,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("bench".into());
    let jwt = jsonwebtoken::encode(&header, &claims, &key).context("signing the bench JWT")?;
    Ok((jwt, path))
}

/// One measured phase: a label, the bearer credential, and wrk's report.
struct Phase {
    label: &'static str,
    out: String,
    report: WrkReport,
}

fn measure(
    o: &Options,
    addr: SocketAddr,
    label: &'static str,
    bearer: Option<&str>,
) -> Result<Phase> {
    let url = format!("http://{addr}{}", o.path);
    eprintln!("[{label}] warming up (2 s)...");
    wrk(&url, o, 2, bearer)?;
    eprintln!(
        "[{label}] $ wrk -t{} -c{} -d{}s --latency {url}  (server: --demo, keep-alive HTTP/1.1)",
        o.threads, o.connections, o.duration,
    );
    let out = wrk(&url, o, o.duration, bearer)?;
    let report = parse_wrk(&out)?;
    Ok(Phase { label, out, report })
}

/// Runs the benchmark; see the module documentation for `args`.
///
/// # Errors
///
/// When the build, the server start, wrk or its output fails.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let o = parse_args(args)?;
    ensure_wrk()?;
    let target = server_binary_dir(&o)?;
    let binary = target.join("release").join("rtc-tokens-server");
    if !binary.exists() {
        bail!("{} not found (drop --no-build)", binary.display());
    }
    let log = target.join("bench-server.log");
    let jwt = match o.bench {
        AuthBench::ApiKey => None,
        AuthBench::Jwt | AuthBench::Both => Some(bench_jwt(&target)?),
    };
    let jwks = jwt.as_ref().map(|(_, path)| JwtServer {
        jwks: path.as_path(),
        cache: true,
    });
    let (server, addr) = start_server(&o, &binary, &log, jwks)?;
    let mut phases = Vec::new();
    let key_label = if o.auth { "api key" } else { "no auth" };
    let key = o.auth.then_some(API_KEY);
    if o.bench != AuthBench::Jwt {
        phases.push(measure(&o, addr, key_label, key)?);
    }
    if let Some((token, _)) = &jwt {
        phases.push(measure(&o, addr, "jwt RS256", Some(token))?);
    }
    let mut clean = server.stop()?;
    if let (AuthBench::Both, Some((token, path))) = (o.bench, &jwt) {
        let uncached = JwtServer {
            jwks: path.as_path(),
            cache: false,
        };
        let (server, addr) = start_server(&o, &binary, &log, Some(uncached))?;
        phases.push(measure(&o, addr, "jwt RS256, no cache", Some(token))?);
        clean &= server.stop()?;
    }
    let mut ok = true;
    for (i, phase) in phases.iter().enumerate() {
        ok &= print_report(&o, phase, clean, i == 0);
    }
    if phases.len() > 1 {
        println!();
        println!("auth                   tokens/s    p50 ms    p99 ms  errors");
        for p in &phases {
            let r = &p.report;
            println!(
                "{:<20} {:>10.0} {:>9.3} {:>9.3} {:>7}",
                p.label,
                r.rps,
                r.p50_ms,
                r.p99_ms,
                r.non_2xx + r.socket_errors
            );
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The JWT settings of a benchmark server.
#[derive(Clone, Copy)]
struct JwtServer<'a> {
    jwks: &'a Path,
    cache: bool,
}

/// Builds the server in release unless `--no-build`; returns the target directory.
fn server_binary_dir(o: &Options) -> Result<PathBuf> {
    let root = root();
    if o.build {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        eprintln!("$ cargo build --release -p rtc-tokens-server");
        let status = Command::new(cargo)
            .args(["build", "--release", "-p", "rtc-tokens-server"])
            .current_dir(&root)
            .status()?;
        if !status.success() {
            bail!("building rtc-tokens-server failed");
        }
    }
    Ok(std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from))
}

/// Starts `binary` on a free loopback port, logging to `log_path`, and waits
/// until it is ready and `o.path` answers 200 with a 007 token.
fn start_server(
    o: &Options,
    binary: &Path,
    log_path: &Path,
    jwt: Option<JwtServer<'_>>,
) -> Result<(ServerProcess, SocketAddr)> {
    let port = free_port()?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let log = std::fs::File::create(log_path)?;
    let mut cmd = Command::new(binary);
    cmd.args(["--demo", "--bind", &addr.to_string()])
        .env("RUST_LOG", "warn")
        .env("LOG_FORMAT", "json")
        .env("RATE_LIMIT_PER_MINUTE", "0")
        .env_remove("API_KEYS_FILE")
        .env_remove("CORS_ALLOW_ORIGIN")
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log));
    if let Some(jwt) = jwt {
        // The policy allows exactly what the default path asks for.
        cmd.env("AUTH_MODE", "jwt,api_keys")
            .env("JWT_ALGORITHMS", "RS256")
            .env("JWT_JWKS_FILE", jwt.jwks)
            .env("JWT_ISSUER", JWT_ISSUER)
            .env("JWT_AUDIENCE", JWT_AUDIENCE)
            .env("POLICY_ROOMS", "bench-*")
            .env("POLICY_UID_CLAIM", "uid")
            .env("JWT_CACHE_ENTRIES", if jwt.cache { "10000" } else { "0" });
    }
    if o.auth {
        cmd.env("API_KEYS", API_KEY);
    } else {
        cmd.arg("--insecure-no-auth").env_remove("API_KEYS");
    }
    let server = ServerProcess(
        cmd.spawn()
            .with_context(|| format!("starting {}", binary.display()))?,
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some((200, _)) = http_get(addr, "/readyz") {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "the server did not become ready; see {}",
                log_path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    match http_get(addr, &o.path) {
        Some((200, body)) if body.contains("007") => {}
        other => bail!("{} does not answer 200 with a 007 token: {other:?}", o.path),
    }
    Ok((server, addr))
}

/// Prints wrk's output and the summary of a phase; returns whether it
/// passed (no errors, a clean shutdown, and — for the `enforced` phase —
/// the target met when `--enforce`).
fn print_report(o: &Options, phase: &Phase, clean: bool, enforced: bool) -> bool {
    let report = &phase.report;
    let errors = report.non_2xx + report.socket_errors;
    println!("{}", phase.out.trim_end());
    println!();
    println!("auth             {}", phase.label);
    println!("route            GET {}", o.path);
    println!("requests         {}", report.requests);
    println!("req/s            {:.0}", report.rps);
    println!("latency p50      {:.3} ms", report.p50_ms);
    println!("latency p99      {:.3} ms", report.p99_ms);
    println!(
        "errors           {errors} (non-2xx {}, socket {})",
        report.non_2xx, report.socket_errors
    );
    println!(
        "clean shutdown   {}",
        if clean {
            "yes (exit 0 on SIGTERM)"
        } else {
            "NO"
        }
    );
    let met = report.rps >= TARGET_RPS && report.p99_ms < TARGET_P99_MS && errors == 0;
    println!(
        "target           >= {TARGET_RPS:.0} req/s, p99 < {TARGET_P99_MS} ms, no errors: {}",
        if met { "met" } else { "NOT met" }
    );
    errors == 0 && clean && (met || !o.enforce || !enforced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let out = "Running 10s test @ http://127.0.0.1:1/x\n  1 threads and 32 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.02ms\n     90%    1.50ms\n     99%    3.25ms\n  312345 requests in 10.00s, 150.00MB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 4\nRequests/sec:  31234.50\nTransfer/sec:     15.00MB\n";
        let r = parse_wrk(out).unwrap();
        assert_eq!(r.requests, 312_345);
        assert!((r.rps - 31_234.5).abs() < 1e-6);
        assert!((r.p50_ms - 0.812).abs() < 1e-9);
        assert!((r.p99_ms - 3.25).abs() < 1e-9);
        assert_eq!((r.non_2xx, r.socket_errors), (4, 3));
        assert_eq!(millis("2.00s"), Some(2000.0));
    }
}
