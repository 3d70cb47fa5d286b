//! Server settings: from the environment, a TOML file and a few flags.
//!
//! Precedence: command-line flag, then environment variable, then the TOML
//! file's `[server]` table, then the default. Secrets (vendor credentials and
//! API keys) come from the environment or files, never from a flag value.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use rtc_tokens::{AgoraProvider, Providers, Vendor, ZegoProvider};
use serde::Deserialize;

use crate::auth::ApiKeys;

/// Default port when neither `--bind`, `BIND_ADDR`, `SERVER_PORT` nor `PORT` is set.
pub const DEFAULT_PORT: u16 = 8080;
/// Default request body limit (bytes).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024;
/// Default and ceiling of the validity a caller may ask for (24 hours, Agora's cap).
pub const DEFAULT_MAX_VALIDITY_SECS: u32 = 86_400;
/// Default per-key rate limit (requests per minute).
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;
/// Default time to let in-flight requests finish after SIGTERM/SIGINT.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 30;

/// How callers authenticate.
#[derive(Clone, Debug)]
pub enum Auth {
    /// `Authorization: Bearer <key>` with one of these keys.
    ApiKeys(ApiKeys),
    /// No authentication (`--insecure-no-auth`): every caller shares one rate-limit bucket.
    Disabled,
}

/// Which browser origins may call the service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CorsPolicy {
    /// No origin (requests carrying an `Origin` header get 403).
    #[default]
    None,
    /// Any origin (`CORS_ALLOW_ORIGIN=*`).
    Any,
    /// Exactly these origins (`scheme://host[:port]`).
    List(Vec<String>),
}

impl CorsPolicy {
    /// Parses a comma-separated allow-list; `*` allows any origin.
    #[must_use]
    pub fn parse(list: &str) -> Self {
        let items: Vec<String> = list
            .split(',')
            .map(|s| s.trim().trim_end_matches('/').to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if items.iter().any(|s| s == "*") {
            Self::Any
        } else if items.is_empty() {
            Self::None
        } else {
            Self::List(items)
        }
    }

    /// Whether `origin` may call.
    #[must_use]
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Self::None => false,
            Self::Any => true,
            Self::List(list) => list.iter().any(|o| o.eq_ignore_ascii_case(origin)),
        }
    }
}

/// Per-key rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Average requests per minute per key.
    pub per_minute: u32,
    /// Requests a key may make at once before being limited.
    pub burst: u32,
}

/// Everything the server needs besides the providers.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Where to listen.
    pub bind: SocketAddr,
    /// Caller authentication.
    pub auth: Auth,
    /// Allowed browser origins.
    pub cors: CorsPolicy,
    /// Per-key rate limit (`None` = unlimited).
    pub rate_limit: Option<RateLimit>,
    /// Request body limit in bytes (larger bodies get 413).
    pub max_body_bytes: usize,
    /// The longest validity a caller may ask for, in seconds.
    pub max_validity_secs: u32,
    /// How long in-flight requests may take to finish after a shutdown signal.
    pub shutdown_timeout: Duration,
}

impl ServerConfig {
    /// A configuration for tests and embedding: loopback, the given auth,
    /// defaults for the rest.
    #[must_use]
    pub fn new(auth: Auth) -> Self {
        Self {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            auth,
            cors: CorsPolicy::None,
            rate_limit: Some(RateLimit {
                per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
                burst: DEFAULT_RATE_LIMIT_PER_MINUTE,
            }),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_validity_secs: DEFAULT_MAX_VALIDITY_SECS,
            shutdown_timeout: Duration::from_secs(DEFAULT_SHUTDOWN_TIMEOUT_SECS),
        }
    }
}

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--config FILE`.
    pub config_file: Option<PathBuf>,
    /// `--bind ADDR`.
    pub bind: Option<SocketAddr>,
    /// `--insecure-no-auth`.
    pub insecure_no_auth: bool,
    /// `--demo`.
    pub demo: bool,
}

/// Loaded settings: the server's and the vendors'.
#[derive(Debug)]
pub struct Settings {
    /// Server settings.
    pub server: ServerConfig,
    /// The token providers.
    pub providers: Providers,
    /// Whether the providers are the built-in demo credentials.
    pub demo: bool,
    /// Notes worth a warning at start (aliases used, ignored settings).
    pub warnings: Vec<String>,
}

/// The `[server]` table of the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerFile {
    bind: Option<String>,
    api_keys_file: Option<PathBuf>,
    cors_allow_origin: Option<Vec<String>>,
    rate_limit_per_minute: Option<u32>,
    rate_limit_burst: Option<u32>,
    max_body_bytes: Option<usize>,
    max_validity_secs: Option<u32>,
    shutdown_timeout_secs: Option<u64>,
}

/// Loads settings from `options` and environment `lookup` (the process
/// environment in `main`, a map in tests).
///
/// # Errors
///
/// A message naming the bad setting (never a secret's value).
pub fn load(options: &LoadOptions, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
    let env = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let mut warnings = Vec::new();

    let (file_server, file_vendors) = match &options.config_file {
        Some(path) => read_file(path)?,
        None => (ServerFile::default(), None),
    };
    let base_dir = options.config_file.as_deref().and_then(Path::parent);

    // Listening address.
    let bind = match (options.bind, env("BIND_ADDR"), &file_server.bind) {
        (Some(addr), _, _) => addr,
        (None, Some(addr), _) => addr
            .trim()
            .parse()
            .context("BIND_ADDR: expected host:port")?,
        (None, None, from_file) => {
            let port = match env("SERVER_PORT").or_else(|| env("PORT")) {
                Some(p) => Some(
                    p.trim()
                        .parse::<u16>()
                        .context("SERVER_PORT/PORT: expected a port number")?,
                ),
                None => None,
            };
            let host: IpAddr = match env("BIND_HOST") {
                Some(h) => h
                    .trim()
                    .parse()
                    .context("BIND_HOST: expected an IP address")?,
                None => IpAddr::V4(Ipv4Addr::LOCALHOST),
            };
            match (port, from_file) {
                (Some(port), _) => SocketAddr::new(host, port),
                (None, Some(addr)) => addr.parse().context("[server] bind: expected host:port")?,
                (None, None) => SocketAddr::new(host, DEFAULT_PORT),
            }
        }
    };

    // Authentication.
    let mut keys = ApiKeys::default();
    if let Some(list) = env("API_KEYS") {
        keys = ApiKeys::new(list.split(',')).map_err(|e| anyhow!("API_KEYS: {e}"))?;
    }
    let keys_file = env("API_KEYS_FILE").map(PathBuf::from).or_else(|| {
        file_server.api_keys_file.as_ref().map(|p| match base_dir {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.clone(),
        })
    });
    if let Some(path) = keys_file {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            anyhow!(
                "API_KEYS_FILE: cannot read {}: {}",
                path.display(),
                e.kind()
            )
        })?;
        let from_file = ApiKeys::from_lines(&text).map_err(|e| anyhow!("API_KEYS_FILE: {e}"))?;
        keys = keys.merged(from_file);
    }
    let auth = if options.insecure_no_auth {
        if !keys.is_empty() {
            warnings.push("--insecure-no-auth given: the configured API keys are ignored".into());
        }
        Auth::Disabled
    } else if keys.is_empty() {
        bail!(
            "no API key configured: set API_KEYS or API_KEYS_FILE (or run with --insecure-no-auth \
             on a trusted network only)"
        );
    } else {
        Auth::ApiKeys(keys)
    };

    // CORS.
    let cors = match (env("CORS_ALLOW_ORIGIN"), &file_server.cors_allow_origin) {
        (Some(list), _) => CorsPolicy::parse(&list),
        (None, Some(list)) => CorsPolicy::parse(&list.join(",")),
        (None, None) => CorsPolicy::None,
    };

    // Limits.
    let per_minute = number(
        &env,
        "RATE_LIMIT_PER_MINUTE",
        file_server.rate_limit_per_minute,
    )?
    .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
    let burst = number(&env, "RATE_LIMIT_BURST", file_server.rate_limit_burst)?;
    let rate_limit = (per_minute > 0).then(|| RateLimit {
        per_minute,
        burst: burst.filter(|b| *b > 0).unwrap_or(per_minute),
    });
    let max_body_bytes = number(&env, "MAX_BODY_BYTES", file_server.max_body_bytes)?
        .unwrap_or(DEFAULT_MAX_BODY_BYTES);
    if max_body_bytes < 256 {
        bail!("MAX_BODY_BYTES: must be at least 256");
    }
    let max_validity_secs = number(
        &env,
        "TOKEN_MAX_VALIDITY_SECS",
        file_server.max_validity_secs,
    )?
    .unwrap_or(DEFAULT_MAX_VALIDITY_SECS);
    if !(1..=DEFAULT_MAX_VALIDITY_SECS).contains(&max_validity_secs) {
        bail!("TOKEN_MAX_VALIDITY_SECS: must be between 1 and 86400");
    }
    let shutdown_timeout = Duration::from_secs(
        number(
            &env,
            "SHUTDOWN_TIMEOUT_SECS",
            file_server.shutdown_timeout_secs,
        )?
        .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT_SECS),
    );

    // Vendors.
    let providers = if options.demo {
        let mut p = Providers::new()
            .with(Arc::new(ZegoProvider::demo()))
            .with(Arc::new(AgoraProvider::demo()));
        if let Some(v) = env("RTC_VENDOR") {
            p = p.with_default_vendor(
                v.parse::<Vendor>()
                    .map_err(|_| anyhow!("RTC_VENDOR: must be zego or agora"))?,
            );
        }
        p
    } else {
        let (resolved, alias_notes) = resolve_aliases(&env);
        warnings.extend(alias_notes);
        let from_env = rtc_tokens::Config::from_lookup(|name| {
            resolved.get(name).cloned().or_else(|| env(name))
        })
        .map_err(|e| anyhow!("{e}"))?;
        let config = match file_vendors {
            Some(file) => rtc_tokens::Config {
                default_vendor: file.default_vendor.or(from_env.default_vendor),
                renew_before_secs: file.renew_before_secs,
                zego: file.zego.or(from_env.zego),
                agora: file.agora.or(from_env.agora),
            },
            None => from_env,
        };
        if config.is_empty() {
            bail!(
                "no vendor configured: set AGORA_APP_ID and AGORA_APP_CERTIFICATE (or APP_ID and \
                 APP_CERTIFICATE), ZEGO_APP_ID and ZEGO_SERVER_SECRET, or a --config file; \
                 --demo runs on built-in fake credentials"
            );
        }
        config.providers()
    };

    Ok(Settings {
        server: ServerConfig {
            bind,
            auth,
            cors,
            rate_limit,
            max_body_bytes,
            max_validity_secs,
            shutdown_timeout,
        },
        providers,
        demo: options.demo,
        warnings,
    })
}

fn number<T: std::str::FromStr>(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    from_file: Option<T>,
) -> Result<Option<T>> {
    match env(name) {
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow!("{name}: expected a whole number")),
        None => Ok(from_file),
    }
}

/// Maps the names the Agora and ZEGO sample servers use onto the facade's.
///
/// The facade's `AGORA_*` and `ZEGO_*` names are canonical and win. Aliases:
/// `APP_CERTIFICATE` → `AGORA_APP_CERTIFICATE`, `SERVER_SECRET` →
/// `ZEGO_SERVER_SECRET`; the bare `APP_ID` is Agora's when an Agora
/// certificate is set, else ZEGO's when a ZEGO secret is set.
fn resolve_aliases(
    env: &dyn Fn(&str) -> Option<String>,
) -> (HashMap<&'static str, String>, Vec<String>) {
    let mut map = HashMap::new();
    let mut notes = Vec::new();
    let agora_cert = [
        "AGORA_APP_CERTIFICATE",
        "AGORA_APP_CERTIFICATE_FILE",
        "APP_CERTIFICATE",
    ]
    .iter()
    .any(|n| env(n).is_some());
    let zego_secret = [
        "ZEGO_SERVER_SECRET",
        "ZEGO_SERVER_SECRET_FILE",
        "SERVER_SECRET",
    ]
    .iter()
    .any(|n| env(n).is_some());
    let mut alias = |canonical: &'static str, alias: &str, applies: bool| {
        if !applies {
            return;
        }
        if let Some(v) = env(alias) {
            if env(canonical).is_some() {
                notes.push(format!("{alias} is ignored: {canonical} is set"));
            } else {
                map.insert(canonical, v);
            }
        }
    };
    alias("AGORA_APP_CERTIFICATE", "APP_CERTIFICATE", true);
    alias("ZEGO_SERVER_SECRET", "SERVER_SECRET", true);
    alias("AGORA_APP_ID", "APP_ID", agora_cert);
    alias("ZEGO_APP_ID", "APP_ID", !agora_cert && zego_secret);
    if env("APP_ID").is_some() && !agora_cert && !zego_secret {
        notes.push(
            "APP_ID is ignored: set APP_CERTIFICATE (Agora) or SERVER_SECRET (ZEGO) with it".into(),
        );
    }
    (map, notes)
}

fn read_file(path: &Path) -> Result<(ServerFile, Option<rtc_tokens::Config>)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow!("--config {}: cannot read: {}", path.display(), e.kind()))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| {
        // The error quotes the offending line, which may hold a secret: keep the description.
        let what = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid toml")
            .to_owned();
        anyhow!("--config {}: {what}", path.display())
    })?;
    let server = match table.remove("server") {
        Some(value) => value.try_into::<ServerFile>().map_err(|e| {
            anyhow!(
                "--config [server]: {}",
                e.message().lines().next().unwrap_or("invalid")
            )
        })?,
        None => ServerFile::default(),
    };
    let vendors = if table.is_empty() {
        None
    } else {
        let rest = toml::to_string(&table).context("--config: cannot re-encode")?;
        Some(rtc_tokens::Config::from_toml_str(&rest, path.parent()).map_err(|e| anyhow!("{e}"))?)
    };
    Ok((server, vendors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtc_tokens::{DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID, DEMO_ZEGO_SERVER_SECRET};

    fn load_env(pairs: &[(&str, &str)], options: &LoadOptions) -> Result<Settings> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        load(options, &|k| map.get(k).cloned())
    }

    const KEY: (&str, &str) = ("API_KEYS", "key-0123456789abcdef");

    #[test]
    fn agora_sample_server_names_work() {
        let s = load_env(
            &[
                ("APP_ID", DEMO_AGORA_APP_ID),
                ("APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
                ("SERVER_PORT", "9000"),
                KEY,
            ],
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(s.providers.vendors(), vec![Vendor::Agora]);
        assert_eq!(s.server.bind, "127.0.0.1:9000".parse().unwrap());
        assert!(matches!(s.server.auth, Auth::ApiKeys(ref k) if k.len() == 1));
    }

    #[test]
    fn zego_sample_server_names_work() {
        let s = load_env(
            &[
                ("APP_ID", "42"),
                ("SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
                ("PORT", "8081"),
                KEY,
            ],
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(s.providers.vendors(), vec![Vendor::Zego]);
        assert_eq!(s.server.bind.port(), 8081);
    }

    #[test]
    fn both_vendors_with_canonical_zego_id() {
        let s = load_env(
            &[
                ("APP_ID", DEMO_AGORA_APP_ID),
                ("APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
                ("ZEGO_APP_ID", "42"),
                ("SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
                KEY,
            ],
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(s.providers.vendors(), vec![Vendor::Zego, Vendor::Agora]);
    }

    #[test]
    fn refuses_to_start_without_keys_or_vendors() {
        let err = load_env(
            &[
                ("APP_ID", DEMO_AGORA_APP_ID),
                ("APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
            ],
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("API_KEYS"));
        let err = load_env(&[KEY], &LoadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("no vendor configured"));
        let err = load_env(&[("API_KEYS", "short")], &LoadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("API_KEYS") && !err.to_string().contains("short,"));
        let s = load_env(
            &[],
            &LoadOptions {
                demo: true,
                insecure_no_auth: true,
                ..LoadOptions::default()
            },
        )
        .unwrap();
        assert!(s.demo && matches!(s.server.auth, Auth::Disabled));
        assert_eq!(s.server.bind, "127.0.0.1:8080".parse().unwrap());
    }

    #[test]
    fn limits_and_cors_from_env() {
        let s = load_env(
            &[
                KEY,
                ("RATE_LIMIT_PER_MINUTE", "0"),
                ("CORS_ALLOW_ORIGIN", "https://a.example, https://b.example/"),
                ("MAX_BODY_BYTES", "1024"),
                ("BIND_ADDR", "0.0.0.0:1234"),
            ],
            &LoadOptions {
                demo: true,
                ..LoadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(s.server.rate_limit, None);
        assert!(s.server.cors.allows("https://b.example"));
        assert!(!s.server.cors.allows("https://c.example"));
        assert_eq!(s.server.max_body_bytes, 1024);
        assert_eq!(s.server.bind.port(), 1234);
        assert!(
            load_env(
                &[KEY, ("TOKEN_MAX_VALIDITY_SECS", "100000")],
                &LoadOptions {
                    demo: true,
                    ..LoadOptions::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn toml_file_with_server_table() {
        let dir =
            std::env::temp_dir().join(format!("rtc-tokens-server-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("keys"),
            "# rotation: old then new\nold-key-0123456789\nnew-key-0123456789\n",
        )
        .unwrap();
        let path = dir.join("server.toml");
        std::fs::write(
            &path,
            format!(
                "[server]\nbind = \"127.0.0.1:7000\"\napi_keys_file = \"keys\"\nrate_limit_per_minute = 60\n\n[agora]\napp_id = \"{DEMO_AGORA_APP_ID}\"\napp_certificate = \"{DEMO_AGORA_APP_CERTIFICATE}\"\n"
            ),
        )
        .unwrap();
        let s = load_env(
            &[],
            &LoadOptions {
                config_file: Some(path),
                ..LoadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(s.server.bind.port(), 7000);
        assert!(matches!(s.server.auth, Auth::ApiKeys(ref k) if k.len() == 2));
        assert_eq!(
            s.server.rate_limit,
            Some(RateLimit {
                per_minute: 60,
                burst: 60
            })
        );
        assert_eq!(s.providers.vendors(), vec![Vendor::Agora]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
