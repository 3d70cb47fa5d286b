//! `rtc-tokens-server`: the HTTP token service binary. See the crate README.

mod healthcheck;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rtc_tokens::config::DotEnv;
use rtc_tokens_server::config::{self, LoadOptions};
use rtc_tokens_server::{AppState, Auth, Profile, serve};
use tracing_subscriber::EnvFilter;

/// HTTP token service for ZEGOCLOUD and Agora.
///
/// Configuration comes from the environment (see the README's table) or a
/// TOML file; secrets are never taken from a flag.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on (default 127.0.0.1:8080; also BIND_ADDR, SERVER_PORT, PORT).
    #[arg(long, value_name = "ADDR")]
    bind: Option<SocketAddr>,
    /// TOML file with a [server] table and the [zego]/[agora] vendor tables.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Serve without API keys. Only on a trusted network.
    #[arg(long)]
    insecure_no_auth: bool,
    /// Use the built-in, publicly known demo credentials. Never in production.
    #[arg(long)]
    demo: bool,
    /// Reproduce an original server's observable behaviour on its routes
    /// (also COMPAT_PROFILE): strict (default) or agora-token-service.
    /// Authentication stays as configured.
    #[arg(long, value_name = "PROFILE", value_parser = ["strict", "agora-token-service"])]
    compat: Option<String>,
    /// RISK: serve token requests WITHOUT an API key (also PUBLIC_MODE=true),
    /// for apps that cannot hold a secret. Anyone who can reach the port gets
    /// tokens, within a per-address rate limit, the room patterns and a 1 h
    /// validity cap. Needs CORS_ALLOW_ORIGIN (not *), which only stops other
    /// web sites in browsers, not scripts or native apps.
    #[arg(long)]
    public_mode: bool,
    /// The .env file read at startup, below the real environment.
    #[arg(long, value_name = "FILE", default_value = ".env")]
    env_file: PathBuf,
    /// Log format: json, text, or auto (json unless stdout is a terminal).
    #[arg(long, env = "LOG_FORMAT", default_value = "auto", value_parser = ["auto", "json", "text"])]
    log_format: String,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Instead of serving.
#[derive(Debug, Subcommand)]
enum Command {
    /// GET the running server's /healthz over loopback (2 s timeout): exit 0
    /// on 200, 1 otherwise. For container health checks (the image has no
    /// curl).
    Healthcheck {
        /// The URL to GET (http:// only). Default: /healthz on 127.0.0.1 and
        /// the port the server would use (--bind, BIND_ADDR, SERVER_PORT,
        /// PORT, .env; 8080).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // The log goes to stdout: colours only when that is a terminal (and
    // NO_COLOR is not set), never into a pipe or a file.
    let terminal = std::io::stdout().is_terminal();
    let json = match format {
        "json" => true,
        "text" => false,
        _ => !terminal,
    };
    let ansi = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_target(true);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!(signal = "SIGINT", "shutting down"),
        () = terminate => tracing::info!(signal = "SIGTERM", "shutting down"),
    }
}

/// File descriptors kept for everything but connections (listener, stdio,
/// the runtime's own, secret files being read).
const FD_HEADROOM: u64 = 32;

/// The soft limit on open files, from `/proc/self/limits` (Linux).
fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Lowers the connection cap below the process's file limit, so that the
/// cap, not "too many open files", is what a flood of connections meets
/// (and the reserved connections for health checks stay usable).
fn fit_connections_to_file_limit(limits: &mut rtc_tokens_server::Limits) {
    let Some(files) = open_file_limit() else {
        return;
    };
    let fit = usize::try_from(files.saturating_sub(FD_HEADROOM).max(2)).unwrap_or(usize::MAX);
    if fit < limits.max_connections {
        tracing::warn!(
            max_connections = limits.max_connections,
            open_file_limit = files,
            lowered_to = fit,
            "MAX_CONNECTIONS is above the open-file limit (ulimit -n): lowered"
        );
        limits.max_connections = fit;
        limits.reserved_connections = limits.reserved_connections.min(fit / 2).max(1);
    }
}

/// The kernel's queue of connections not yet accepted. std's default (128)
/// overflows under a burst of connections: the overflow then waits for TCP
/// retransmissions (seconds). The connection cap, not this, bounds the work.
const LISTEN_BACKLOG: u32 = 1024;

fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// `healthcheck`: the default URL from the same `--bind`, environment and
/// `.env` the server would read (nothing else, no secret), then one GET.
async fn healthcheck(args: &Args, url: Option<&str>) -> ExitCode {
    let url = match url {
        Some(url) => url.to_owned(),
        None => {
            let dotenv = match DotEnv::load(&args.env_file) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("healthcheck: invalid .env file: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let env = |name: &str| std::env::var(name).ok();
            let lookup = |name: &str| match &dotenv {
                Some(d) => d.lookup(&env, name),
                None => env(name),
            };
            match config::listen_address(args.bind, &lookup) {
                Ok(addr) => healthcheck::default_url(addr),
                Err(e) => {
                    eprintln!("healthcheck: invalid configuration: {e:#}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    healthcheck::run(&url).await
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Healthcheck { url }) = &args.command {
        return healthcheck(&args, url.as_deref()).await;
    }
    init_logging(&args.log_format);
    let options = LoadOptions {
        config_file: args.config,
        bind: args.bind,
        insecure_no_auth: args.insecure_no_auth,
        demo: args.demo,
        compat: args
            .compat
            .as_deref()
            .and_then(|p| p.parse::<Profile>().ok()),
        public_mode: args.public_mode,
    };
    let dotenv = match DotEnv::load(&args.env_file) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "invalid .env file");
            return ExitCode::from(2);
        }
    };
    if let Some(d) = &dotenv {
        tracing::info!(file = %d.path().display(), variables = d.len(), "read .env (the environment wins)");
    }
    let env = |name: &str| std::env::var(name).ok();
    let lookup = |name: &str| match &dotenv {
        Some(d) => d.lookup(&env, name),
        None => env(name),
    };
    let mut settings = match config::load(&options, &lookup) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "invalid configuration");
            return ExitCode::from(2);
        }
    };
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }
    if settings.demo {
        tracing::warn!(
            "DEMO MODE: issuing tokens with the built-in, publicly known demo credentials; \
             they are worthless to real ZEGO/Agora apps. Never run --demo in production"
        );
    }
    let auth = match &settings.server.auth {
        Auth::ApiKeys(keys) => {
            let mode = settings.server.auth_mode();
            let mut active = Vec::new();
            if let Some(jwt) = &settings.server.jwt {
                let algorithms: Vec<String> =
                    jwt.algorithms.iter().map(|a| format!("{a:?}")).collect();
                active.push(format!(
                    "jwt ({}; {} room pattern(s))",
                    algorithms.join(","),
                    jwt.policy.rooms.len()
                ));
            }
            if mode.api_keys {
                active.push(format!("{} api key(s)", keys.len()));
            }
            tracing::info!(mode = %mode, "authentication: {}", active.join(" + "));
            active.join(" + ")
        }
        Auth::Disabled => {
            tracing::warn!(
                "AUTHENTICATION DISABLED (--insecure-no-auth): anyone who can reach this port \
                 can mint tokens"
            );
            "disabled".to_owned()
        }
    };
    if settings.server.profile != Profile::Strict {
        tracing::info!(
            profile = %settings.server.profile,
            "compatibility profile on: the drop-in routes behave as the original (authentication unchanged)"
        );
    }
    if let Some(public) = &settings.server.public {
        tracing::warn!(
            per_minute = public.per_minute,
            burst = public.burst,
            max_validity_secs = public.max_validity_secs,
            rooms = %public.rooms.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
            "PUBLIC MODE ON: requests without an API key get tokens (per-address limit, room \
             patterns, capped validity); the Origin allow-list does not stop scripts or native apps"
        );
    }
    if settings.server.bind_from_platform_port {
        tracing::info!(
            bind = %settings.server.bind,
            "PORT is set by the platform: listening on all interfaces (set BIND_HOST or --bind to choose)"
        );
    }
    fit_connections_to_file_limit(&mut settings.server.limits);
    let listener = match listen(settings.server.bind) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(bind = %settings.server.bind, error = %e, "cannot listen");
            return ExitCode::from(2);
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| settings.server.bind.to_string(), |a| a.to_string());
    let vendors: Vec<String> = settings
        .providers
        .vendors()
        .iter()
        .map(ToString::to_string)
        .collect();
    tracing::info!(
        addr = %addr,
        vendors = %vendors.join(","),
        auth = %auth,
        rate_limit_per_minute = settings.server.rate_limit.map_or(0, |r| r.per_minute),
        max_connections = settings.server.limits.max_connections,
        "listening"
    );
    let state = AppState::new(settings.providers, settings.server);
    match serve(listener, state, shutdown_signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "shutdown did not complete cleanly");
            ExitCode::FAILURE
        }
    }
}
