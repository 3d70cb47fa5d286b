//! Server settings: the server's own table of settings, loaded with the
//! vendor settings by the facade's one loader ([`rtc_tokens::config`]).
//!
//! Precedence, per setting: command-line flag, then environment variable,
//! then the TOML file, then the default. `--bind`/`BIND_ADDR`/`server.bind`
//! and `SERVER_PORT`/`PORT`/`server.port` (on `BIND_HOST`) name the same
//! address: the higher source wins, `bind` on a tie. Secrets (vendor
//! credentials and API keys) come from the environment or files, never from
//! a flag value; errors name the setting, never a value.
//!
//! The authentication mode and JWT settings are in [`jwt`], the issuance
//! policy for JWT callers in [`policy`].

pub mod jwt;
pub mod policy;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use rtc_tokens::agora_dynamic_key;
use rtc_tokens::config::{self, EnvName, Kind, Setting, Sources, Values};
use rtc_tokens::{AgoraProvider, Config, Providers, Vendor, ZegoProvider};

use crate::auth::ApiKeys;
use crate::client_ip::TrustedProxies;
pub use jwt::{AuthMode, JwtConfig};

mod compat;
pub mod limits;
pub mod proxy;
mod public;

pub use compat::{AgoraKeys, COMPAT_SETTINGS, Profile};
pub use limits::{AddressLimit, Limits};
pub use public::{
    DEFAULT_PUBLIC_BURST, DEFAULT_PUBLIC_MAX_VALIDITY_SECS, DEFAULT_PUBLIC_PER_MINUTE,
    PUBLIC_SETTINGS, PublicMode, RoomPattern,
};

/// The server's settings, as data (the vendor settings are the facade's).
pub const SERVER_SETTINGS: &[Setting] = &[
    Setting {
        key: "server.bind",
        env: &[EnvName::new("BIND_ADDR")],
        kind: Kind::Text,
        expect: "host:port (an IP address and a port)",
    },
    Setting {
        key: "server.port",
        env: &[EnvName::new("SERVER_PORT"), EnvName::new("PORT")],
        kind: Kind::Text,
        expect: "a port number",
    },
    Setting {
        key: "server.host",
        env: &[EnvName::new("BIND_HOST")],
        kind: Kind::Text,
        expect: "an IP address",
    },
    Setting {
        key: "server.api_keys",
        env: &[EnvName::new("API_KEYS")],
        kind: Kind::SecretCombined,
        expect: "API keys of at least 16 characters",
    },
    Setting {
        key: "server.cors_allow_origin",
        env: &[EnvName::new("CORS_ALLOW_ORIGIN")],
        kind: Kind::Text,
        expect: "a comma-separated list of origins, or *",
    },
    Setting {
        key: "server.rate_limit_per_minute",
        env: &[EnvName::new("RATE_LIMIT_PER_MINUTE")],
        kind: Kind::Text,
        expect: "a whole number",
    },
    Setting {
        key: "server.rate_limit_burst",
        env: &[EnvName::new("RATE_LIMIT_BURST")],
        kind: Kind::Text,
        expect: "a whole number",
    },
    Setting {
        key: "server.max_body_bytes",
        env: &[EnvName::new("MAX_BODY_BYTES")],
        kind: Kind::Text,
        expect: "a whole number of bytes, at least 256",
    },
    Setting {
        key: "server.max_validity_secs",
        env: &[EnvName::new("TOKEN_MAX_VALIDITY_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds between 1 and 86400",
    },
    Setting {
        key: "server.shutdown_timeout_secs",
        env: &[EnvName::new("SHUTDOWN_TIMEOUT_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds",
    },
];

/// Default port when neither `--bind`, `BIND_ADDR`, `SERVER_PORT` nor `PORT` is set.
pub const DEFAULT_PORT: u16 = 8080;
/// Default request body limit (bytes).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024;
/// Default and ceiling of the validity a caller may ask for: Agora's cap
/// ([`agora_dynamic_key::MAX_VALIDITY_SECS`], 24 hours), which the Agora
/// vendor crate owns.
pub const DEFAULT_MAX_VALIDITY_SECS: u32 = agora_dynamic_key::MAX_VALIDITY_SECS;
/// Default per-key rate limit (requests per minute).
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;
/// Default drain deadline: the time in-flight requests get to finish after
/// the pre-stop period; connections still open then are cut.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// How callers authenticate.
#[derive(Clone, Debug)]
pub enum Auth {
    /// `Authorization: Bearer <key>` with one of these keys.
    ApiKeys(ApiKeys),
    /// No authentication (`--insecure-no-auth`): the rate limit applies per
    /// client address.
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
    /// The drain deadline: how long in-flight requests may take to finish
    /// after the pre-stop period; connections still open then are cut.
    pub shutdown_timeout: Duration,
    /// JWT bearer authentication of app users and their policy (`None`: off).
    pub jwt: Option<JwtConfig>,
    /// Timeouts, the connection cap, the failed-authentication limit and
    /// the pre-stop period.
    pub limits: Limits,
    /// How the drop-in routes behave (`--compat`).
    pub profile: Profile,
    /// Tokens for callers without a key (`--public-mode`), when on.
    pub public: Option<PublicMode>,
    /// The Agora credentials for the multi-service 007 tokens of
    /// `POST /token/generate` and the RTM stream channel of the
    /// `agora-token-service` profile (`None`: those answer 404).
    pub agora_keys: Option<AgoraKeys>,
    /// Whether `bind` is on all interfaces because a platform set `PORT`.
    pub bind_from_platform_port: bool,
    /// The reverse proxies whose forwarding header names the client
    /// address (default: none; the client is the TCP peer).
    pub trusted_proxies: TrustedProxies,
}

impl ServerConfig {
    /// A configuration for tests and embedding: loopback, the given auth,
    /// defaults for the rest, except no pre-stop period (there is no load
    /// balancer to tell).
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
            jwt: None,
            limits: Limits {
                pre_stop: Duration::ZERO,
                ..Limits::default()
            },
            profile: Profile::Strict,
            public: None,
            agora_keys: None,
            bind_from_platform_port: false,
            trusted_proxies: TrustedProxies::default(),
        }
    }

    /// The active authentication modes (for the startup log).
    #[must_use]
    pub fn auth_mode(&self) -> AuthMode {
        AuthMode {
            api_keys: matches!(&self.auth, Auth::ApiKeys(keys) if !keys.is_empty()),
            jwt: self.jwt.is_some(),
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
    /// `--compat PROFILE`.
    pub compat: Option<Profile>,
    /// `--public-mode`.
    pub public_mode: bool,
}

/// Something to log as a warning at start (never a value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartupWarning {
    /// From the configuration loader: a readable secret file, an ignored alias.
    Config(config::Warning),
    /// `--insecure-no-auth` was given although API keys are configured.
    KeysIgnored,
    /// `--insecure-no-auth` was given although JWT settings are configured.
    JwtIgnored,
    /// API keys are configured but `AUTH_MODE` does not accept them.
    KeysUnused,
}

impl fmt::Display for StartupWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(w) => w.fmt(f),
            Self::KeysIgnored => {
                f.write_str("--insecure-no-auth given: the configured API keys are ignored")
            }
            Self::JwtIgnored => {
                f.write_str("--insecure-no-auth given: the JWT and policy settings are ignored")
            }
            Self::KeysUnused => f.write_str(
                "API keys are configured but AUTH_MODE does not name api_keys: they are ignored",
            ),
        }
    }
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
    /// Worth a warning at start (aliases, readable secret files, ignored settings).
    pub warnings: Vec<StartupWarning>,
}

/// Loads settings from `options`, environment `lookup` (the process
/// environment in `main`, a map in tests) and the `--config` file.
///
/// # Errors
///
/// A message naming the bad setting (never a value).
pub fn load(options: &LoadOptions, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
    let mut sources = Sources::new().with_env(lookup);
    if let Some(path) = &options.config_file {
        sources = sources.with_file(path);
    }
    if let Some(addr) = options.bind {
        sources = sources.with_flag("server.bind", "--bind", &addr.to_string());
    }
    if let Some(profile) = options.compat {
        sources = sources.with_flag("server.compat", "--compat", profile.as_str());
    }
    let mut tables: Vec<&[Setting]> = Config::SETTINGS.to_vec();
    tables.extend([
        SERVER_SETTINGS,
        jwt::JWT_SETTINGS,
        policy::POLICY_SETTINGS,
        limits::SETTINGS,
        proxy::SETTINGS,
        COMPAT_SETTINGS,
        PUBLIC_SETTINGS,
    ]);
    let values = Values::load(&tables, &sources)?;
    let mut warnings: Vec<StartupWarning> = values
        .warnings()
        .iter()
        .cloned()
        .map(StartupWarning::Config)
        .collect();
    let server = server_config(options, &values, &mut warnings)?;
    let providers = providers(options, &values)?;
    Ok(Settings {
        server,
        providers,
        demo: options.demo,
        warnings,
    })
}

/// The server's own settings, in the order their errors are reported.
fn server_config(
    options: &LoadOptions,
    values: &Values,
    warnings: &mut Vec<StartupWarning>,
) -> Result<ServerConfig> {
    let (bind, bind_from_platform_port) = bind(values)?;
    // In --demo (worthless credentials), browsers are not turned away unless
    // an allow-list is configured.
    let cors = values.text("server.cors_allow_origin").map_or(
        if options.demo {
            CorsPolicy::Any
        } else {
            CorsPolicy::None
        },
        CorsPolicy::parse,
    );
    let profile = compat::profile(values)?;
    let public = public::public_mode(options.public_mode, values, &cors)?;
    // Multi-service tokens are 007: none when the server issues 006.
    let v006 = values.get::<rtc_tokens::AgoraVersion>("agora.version")?
        == Some(rtc_tokens::AgoraVersion::V006);
    let agora_keys = match (options.demo, v006) {
        (_, true) => None,
        (true, false) => AgoraKeys::demo(),
        (false, false) => AgoraKeys::from_values(values),
    };
    let rate_limit = rate_limit(values)?;
    let max_body_bytes = values
        .parse("server.max_body_bytes", |s| {
            s.parse::<usize>().ok().filter(|n| *n >= 256)
        })?
        .unwrap_or(DEFAULT_MAX_BODY_BYTES);
    let max_validity_secs = values
        .parse("server.max_validity_secs", |s| {
            s.parse::<u32>()
                .ok()
                .filter(|n| (1..=DEFAULT_MAX_VALIDITY_SECS).contains(n))
        })?
        .unwrap_or(DEFAULT_MAX_VALIDITY_SECS);
    let shutdown_timeout = Duration::from_secs(
        values
            .get("server.shutdown_timeout_secs")?
            .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT_SECS),
    );
    let (auth, jwt) = auth(options, values, max_validity_secs, warnings)?;
    if jwt.is_some() && public.is_some() {
        bail!(
            "public mode and JWT authentication exclude each other: a caller omitting its JWT \
             would get a public token; turn one off"
        );
    }
    let limits = limits::load(values)?;
    let trusted_proxies = proxy::load(values)?;
    Ok(ServerConfig {
        bind,
        auth,
        cors,
        rate_limit,
        max_body_bytes,
        max_validity_secs,
        shutdown_timeout,
        jwt,
        limits,
        profile,
        public,
        agora_keys,
        bind_from_platform_port,
        trusted_proxies,
    })
}

/// The authentication mode: `server.auth_mode` (API keys when unset), or
/// none with `--insecure-no-auth` (which warns if credentials are configured
/// anyway). Refused, so that token routes are never open by accident: no
/// key for a mode naming API keys (the default), JWT or policy settings
/// without a mode naming `jwt`, mode `none` without `--insecure-no-auth`, and
/// a mode contradicting `--insecure-no-auth`.
fn auth(
    options: &LoadOptions,
    values: &Values,
    max_validity_secs: u32,
    warnings: &mut Vec<StartupWarning>,
) -> Result<(Auth, Option<JwtConfig>)> {
    let keys = api_keys(values)?;
    let mode = jwt::auth_mode(values)?;
    let jwt_given = jwt::any_set(values) || policy::any_set(values);
    if options.insecure_no_auth {
        if mode.is_some_and(|m| !m.is_none()) {
            bail!(
                "setting {}: contradicts --insecure-no-auth (remove one)",
                values.name("server.auth_mode")
            );
        }
        if !keys.is_empty() {
            warnings.push(StartupWarning::KeysIgnored);
        }
        if jwt_given {
            warnings.push(StartupWarning::JwtIgnored);
        }
        return Ok((Auth::Disabled, None));
    }
    let mode = match mode {
        Some(m) => m,
        None if jwt_given => bail!(
            "JWT or policy settings are given but AUTH_MODE (server.auth_mode) is not set: set it \
             to jwt (app users only) or jwt,api_keys (and server-to-server callers)"
        ),
        None => AuthMode::API_KEYS,
    };
    if mode.is_none() {
        bail!(
            "setting {}: none also needs --insecure-no-auth (only on a trusted network)",
            values.name("server.auth_mode")
        );
    }
    if mode.api_keys && keys.is_empty() {
        bail!(
            "no API key configured: set API_KEYS or API_KEYS_FILE (or run with --insecure-no-auth \
             on a trusted network only)"
        );
    }
    if !mode.api_keys && !keys.is_empty() {
        warnings.push(StartupWarning::KeysUnused);
    }
    let jwt = if mode.jwt {
        let policy = policy::policy(values, max_validity_secs)?;
        Some(jwt::jwt_config(values, policy)?)
    } else {
        None
    };
    let keys = if mode.api_keys {
        keys
    } else {
        ApiKeys::default()
    };
    Ok((Auth::ApiKeys(keys), jwt))
}

/// The per-key rate limit; a rate of 0 turns it off, a burst of 0 or none
/// means the rate.
fn rate_limit(values: &Values) -> Result<Option<RateLimit>> {
    let per_minute = values
        .get("server.rate_limit_per_minute")?
        .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
    let burst: Option<u32> = values.get("server.rate_limit_burst")?;
    Ok((per_minute > 0).then(|| RateLimit {
        per_minute,
        burst: burst.filter(|b| *b > 0).unwrap_or(per_minute),
    }))
}

/// The demo providers with `--demo`, else the configured vendors (at least one).
fn providers(options: &LoadOptions, values: &Values) -> Result<Providers> {
    if options.demo {
        let p = Providers::new()
            .with(Arc::new(ZegoProvider::demo()))
            .with(Arc::new(AgoraProvider::demo()));
        return Ok(match values.get::<Vendor>("default_vendor")? {
            Some(v) => p.with_default_vendor(v),
            None => p,
        });
    }
    let config = Config::from_values(values)?;
    if config.is_empty() {
        bail!(
            "{}; or give a --config file; --demo runs on built-in fake credentials",
            Config::NOTHING_CONFIGURED
        );
    }
    Ok(config.providers())
}

/// The address [`load`] would listen on, from the `--bind` flag and the
/// environment `lookup` alone: no other setting and no file is read, so no
/// secret is touched. What `rtc-tokens-server healthcheck` connects to.
///
/// # Errors
///
/// A message naming the bad setting (never a value).
pub fn listen_address(
    bind_flag: Option<SocketAddr>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<SocketAddr> {
    let table: Vec<Setting> = SERVER_SETTINGS
        .iter()
        .filter(|s| matches!(s.key, "server.bind" | "server.port" | "server.host"))
        .copied()
        .collect();
    let mut sources = Sources::new().with_env(lookup);
    if let Some(addr) = bind_flag {
        sources = sources.with_flag("server.bind", "--bind", &addr.to_string());
    }
    let values = Values::load(&[&table], &sources)?;
    Ok(bind(&values)?.0)
}

/// The listening address: `bind` or `host:port`, whichever comes from the
/// higher source (`bind` on a tie). A port from the platform variable `PORT`
/// (Render, Railway, Heroku, Cloud Run) without a configured host listens on
/// all interfaces, as those platforms expect; the flag says so.
fn bind(values: &Values) -> Result<(SocketAddr, bool)> {
    let layer = |key| values.origin(key).map(|o| o.layer);
    let bind: Option<SocketAddr> = values.get("server.bind")?;
    let port: Option<u16> = values.get("server.port")?;
    let platform_port = values
        .origin("server.port")
        .is_some_and(|o| o.name == "PORT")
        && !values.is_set("server.host");
    let default_host = if platform_port {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let host: IpAddr = values.get("server.host")?.unwrap_or(default_host);
    Ok(match (bind, port) {
        (Some(addr), Some(_)) if layer("server.bind") >= layer("server.port") => (addr, false),
        (_, Some(port)) => (SocketAddr::new(host, port), platform_port),
        (Some(addr), None) => (addr, false),
        (None, None) => (SocketAddr::new(host, DEFAULT_PORT), false),
    })
}

/// API keys from their value (comma-separated) and their file (one per line),
/// combined.
fn api_keys(values: &Values) -> Result<ApiKeys> {
    let (listed, file) = values.secret_parts("server.api_keys");
    let mut keys = ApiKeys::default();
    if let Some(list) = listed {
        keys = ApiKeys::new(list.expose().split(','))
            .map_err(|e| anyhow!("setting {}: {e}", list.origin()))?;
    }
    if let Some(text) = file {
        let from_file = ApiKeys::from_lines(text.expose())
            .map_err(|e| anyhow!("setting {}: {e}", text.origin()))?;
        keys = keys.merged(from_file);
    }
    Ok(keys)
}

/// Test support: the settings loaded from `pairs` as the whole environment,
/// on the demo credentials with one API key.
#[cfg(test)]
pub(crate) fn load_from_pairs(pairs: &[(&str, &str)]) -> Result<Settings> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .chain([("API_KEYS".to_owned(), "key-0123456789abcdef".to_owned())])
        .collect();
    let options = LoadOptions {
        demo: true,
        ..LoadOptions::default()
    };
    load(&options, &|k| map.get(k).cloned())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use rtc_tokens::{DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID, DEMO_ZEGO_SERVER_SECRET};

    #[test]
    fn validity_ceiling_is_agoras_cap() {
        assert_eq!(
            DEFAULT_MAX_VALIDITY_SECS,
            agora_dynamic_key::MAX_VALIDITY_SECS
        );
        // The setting's description quotes the cap: keep it in step.
        let expect = SERVER_SETTINGS
            .iter()
            .find(|s| s.key == "server.max_validity_secs")
            .map(|s| s.expect)
            .unwrap_or_default();
        assert!(expect.contains(&DEFAULT_MAX_VALIDITY_SECS.to_string()));
    }

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

    fn demo() -> LoadOptions {
        LoadOptions {
            demo: true,
            ..LoadOptions::default()
        }
    }

    #[test]
    fn bind_port_and_host_by_precedence() {
        let dir =
            std::env::temp_dir().join(format!("rtc-tokens-server-bind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("server.toml");
        std::fs::write(&path, "[server]\nbind = \"127.0.0.1:7000\"\n").unwrap();
        let with_file = LoadOptions {
            config_file: Some(path.clone()),
            ..demo()
        };
        // The environment's port beats the file's address.
        let s = load_env(
            &[KEY, ("PORT", "9001"), ("BIND_HOST", "0.0.0.0")],
            &with_file,
        )
        .unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:9001".parse().unwrap());
        // SERVER_PORT beats PORT, with a warning naming both.
        let s = load_env(&[KEY, ("SERVER_PORT", "9002"), ("PORT", "9001")], &demo()).unwrap();
        assert_eq!(s.server.bind.port(), 9002);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.to_string().contains("PORT is ignored"))
        );
        // The flag beats everything; the file alone is used.
        let flag = LoadOptions {
            bind: Some("127.0.0.1:7777".parse().unwrap()),
            ..with_file.clone()
        };
        let s = load_env(
            &[KEY, ("PORT", "9001"), ("BIND_ADDR", "127.0.0.1:1")],
            &flag,
        )
        .unwrap();
        assert_eq!(s.server.bind.port(), 7777);
        let s = load_env(&[KEY], &with_file).unwrap();
        assert_eq!(s.server.bind.port(), 7000);
        let err = load_env(&[KEY, ("PORT", "http")], &demo()).unwrap_err();
        assert!(err.to_string().contains("PORT"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn platform_port_listens_everywhere_unless_a_host_or_address_is_set() {
        let s = load_env(&[KEY, ("PORT", "10000")], &demo()).unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:10000".parse().unwrap());
        assert!(s.server.bind_from_platform_port);
        let s = load_env(
            &[KEY, ("PORT", "10000"), ("BIND_HOST", "127.0.0.1")],
            &demo(),
        )
        .unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:10000".parse().unwrap());
        let s = load_env(&[KEY, ("SERVER_PORT", "10000")], &demo()).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:10000".parse().unwrap());
        let flag = LoadOptions {
            bind: Some("127.0.0.1:7777".parse().unwrap()),
            ..demo()
        };
        let s = load_env(&[KEY, ("PORT", "10000")], &flag).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:7777".parse().unwrap());
        assert!(!s.server.bind_from_platform_port);
    }

    #[test]
    fn demo_answers_browsers_and_compat_and_public_mode_are_explicit() {
        let s = load_env(&[KEY], &demo()).unwrap();
        assert_eq!(s.server.cors, CorsPolicy::Any);
        assert_eq!(s.server.profile, Profile::Strict);
        assert!(s.server.public.is_none() && s.server.agora_keys.is_some());
        let s = load_env(&[KEY, ("COMPAT_PROFILE", "agora-token-service")], &demo()).unwrap();
        assert_eq!(s.server.profile, Profile::AgoraTokenService);
        assert!(load_env(&[KEY, ("COMPAT_PROFILE", "agora")], &demo()).is_err());
        let public = LoadOptions {
            public_mode: true,
            ..demo()
        };
        // No allow-list (the demo's default is any origin): refused.
        let err = load_env(&[KEY], &public).unwrap_err().to_string();
        assert!(err.contains("CORS_ALLOW_ORIGIN"), "{err}");
        let s = load_env(
            &[
                KEY,
                ("CORS_ALLOW_ORIGIN", "https://app.example"),
                ("PUBLIC_ROOM_PATTERNS", "lobby-*, demo"),
                ("PUBLIC_MAX_VALIDITY_SECS", "900"),
            ],
            &public,
        )
        .unwrap();
        let p = s.server.public.unwrap();
        assert_eq!((p.rooms.len(), p.max_validity_secs), (2, 900));
        assert!(p.allows_room("lobby-1") && !p.allows_room("vip"));
        let s = load_env(
            &[
                KEY,
                ("CORS_ALLOW_ORIGIN", "https://app.example"),
                ("PUBLIC_MODE", "true"),
            ],
            &demo(),
        )
        .unwrap();
        assert_eq!(s.server.public.unwrap().max_validity_secs, 3_600);
        let s = load_env(&[KEY, ("AGORA_TOKEN_VERSION", "006")], &demo()).unwrap();
        assert!(s.server.agora_keys.is_none());
    }

    #[test]
    fn zegocloud_names_and_precedence_against_the_file() {
        let s = load_env(
            &[
                ("ZEGOCLOUD_APP_ID", "42"),
                ("ZEGOCLOUD_SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
                KEY,
            ],
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(s.providers.vendors(), vec![Vendor::Zego]);
    }

    #[test]
    fn config_file_errors_carry_no_value() {
        const CERT: &str = "c0ffeec0ffeec0ffeec0ffeec0ffee12";
        let dir =
            std::env::temp_dir().join(format!("rtc-tokens-server-novalue-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("server.toml");
        for (text, name) in [
            (format!("[agora]\napp_id = {CERT}\n"), "server.toml"),
            (format!("[server]\nbind = \"{CERT}\"\n"), "server.bind"),
            (
                format!("[server]\nrate_limit_burst = \"{CERT}\"\n"),
                "server.rate_limit_burst",
            ),
            (
                format!("[server]\napi_keys = [\"{CERT}\"]\n"),
                "server.api_keys",
            ),
            (
                format!("[server]\napi_keys = \"{CERT},short\"\n"),
                "server.api_keys",
            ),
            (
                format!(
                    "[agora]\napp_id = \"{DEMO_AGORA_APP_ID}\"\napp_certificate = \"{CERT}x\"\n"
                ),
                "agora.app_certificate",
            ),
            (format!("[zego]\napp_id = \"{CERT}\"\n"), "zego.app_id"),
        ] {
            std::fs::write(&path, &text).unwrap();
            let options = LoadOptions {
                config_file: Some(path.clone()),
                ..LoadOptions::default()
            };
            // The file's keys are used only when the environment gives none.
            let env: &[(&str, &str)] = if name == "server.api_keys" {
                &[]
            } else {
                &[KEY]
            };
            let err = format!("{:#}", load_env(env, &options).unwrap_err());
            assert!(err.contains(name), "{err} should name {name}");
            assert!(!err.contains(&CERT[..8]), "{err} holds a value");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
