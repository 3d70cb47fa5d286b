//! The authentication mode and the `[jwt]` settings.
//!
//! | environment | TOML key | meaning (default) |
//! | --- | --- | --- |
//! | `AUTH_MODE` | `server.auth_mode` | `api_keys`, `jwt`, `jwt,api_keys` or `none` (`api_keys`; required when JWT settings are given) |
//! | `JWT_ALGORITHMS` | `jwt.algorithms` | the accepted algorithms: `RS256`, `ES256`, `EdDSA`, `HS256`, … (required) |
//! | `JWT_HS_SECRET` ¹ | `jwt.hs_secret` ¹ | the shared secret of `HS*` tokens, at least 32 bytes |
//! | `JWT_JWKS_URL` | `jwt.jwks_url` | the provider's JWKS (https; http only to a loopback address) |
//! | `JWT_JWKS_FILE` | `jwt.jwks_file` | a local JWKS file, read at start |
//! | `JWT_ISSUER` | `jwt.issuer` | the accepted `iss` values (required) |
//! | `JWT_AUDIENCE` | `jwt.audience` | the accepted `aud` values (required) |
//! | `JWT_LEEWAY_SECS` | `jwt.leeway_secs` | clock skew allowed on `exp`/`nbf`, at most 300 (30) |
//! | `JWT_JWKS_MAX_AGE_SECS` | `jwt.jwks_max_age_secs` | refresh cached JWKS keys after (600) |
//! | `JWT_JWKS_REFRESH_FLOOR_SECS` | `jwt.jwks_refresh_floor_secs` | at most one JWKS fetch per (30, at least 1) |
//! | `JWT_JWKS_TIMEOUT_SECS` | `jwt.jwks_timeout_secs` | a JWKS fetch's time limit (5) |
//! | `JWT_JWKS_MAX_BYTES` | `jwt.jwks_max_bytes` | the largest JWKS document (262144) |
//! | `JWT_CACHE_ENTRIES` | `jwt.cache_entries` | verified JWTs remembered until their `exp`; 0 = none (10000) |
//!
//! ¹ A secret: also `JWT_HS_SECRET_FILE` / `jwt.hs_secret_file`, never a flag.
//!
//! Refused at start: `HS*` without a secret, an asymmetric algorithm without
//! a JWKS source, both a JWKS URL and file, `none` as an algorithm, a
//! missing issuer or audience, a JWKS URL over plain http to another host,
//! JWT settings without `AUTH_MODE` naming `jwt`, and `AUTH_MODE=none`
//! without `--insecure-no-auth`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use rtc_tokens::config::{EnvName, Kind, Setting, Values};
use rtc_tokens::policy::Policy;

use crate::jwt::jwks::{JwksUrl, KeySet};

/// The JWT and auth-mode settings, as data.
pub const JWT_SETTINGS: &[Setting] = &[
    Setting {
        key: "server.auth_mode",
        env: &[EnvName::new("AUTH_MODE")],
        kind: Kind::Text,
        expect: "api_keys, jwt, jwt,api_keys or none",
    },
    Setting {
        key: "jwt.algorithms",
        env: &[EnvName::new("JWT_ALGORITHMS")],
        kind: Kind::Text,
        expect: "a list of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA, HS256, HS384, HS512",
    },
    Setting {
        key: "jwt.hs_secret",
        env: &[EnvName::new("JWT_HS_SECRET")],
        kind: Kind::Secret,
        expect: "a shared secret of at least 32 bytes",
    },
    Setting {
        key: "jwt.jwks_url",
        env: &[EnvName::new("JWT_JWKS_URL")],
        kind: Kind::Text,
        expect: "an https URL (http only to 127.0.0.1, ::1 or localhost)",
    },
    Setting {
        key: "jwt.jwks_file",
        env: &[EnvName::new("JWT_JWKS_FILE")],
        kind: Kind::Path,
        expect: "a JWKS file",
    },
    Setting {
        key: "jwt.issuer",
        env: &[EnvName::new("JWT_ISSUER")],
        kind: Kind::Text,
        expect: "a list of issuers",
    },
    Setting {
        key: "jwt.audience",
        env: &[EnvName::new("JWT_AUDIENCE")],
        kind: Kind::Text,
        expect: "a list of audiences",
    },
    Setting {
        key: "jwt.leeway_secs",
        env: &[EnvName::new("JWT_LEEWAY_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds, at most 300",
    },
    Setting {
        key: "jwt.jwks_max_age_secs",
        env: &[EnvName::new("JWT_JWKS_MAX_AGE_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds",
    },
    Setting {
        key: "jwt.jwks_refresh_floor_secs",
        env: &[EnvName::new("JWT_JWKS_REFRESH_FLOOR_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds, at least 1",
    },
    Setting {
        key: "jwt.jwks_timeout_secs",
        env: &[EnvName::new("JWT_JWKS_TIMEOUT_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds between 1 and 60",
    },
    Setting {
        key: "jwt.jwks_max_bytes",
        env: &[EnvName::new("JWT_JWKS_MAX_BYTES")],
        kind: Kind::Text,
        expect: "a whole number of bytes between 1024 and 4194304",
    },
    Setting {
        key: "jwt.cache_entries",
        env: &[EnvName::new("JWT_CACHE_ENTRIES")],
        kind: Kind::Text,
        expect: "a whole number",
    },
];

/// Defaults of the JWT settings.
pub const DEFAULT_LEEWAY_SECS: u64 = 30;
/// Cached JWKS keys are refreshed after this long (seconds).
pub const DEFAULT_JWKS_MAX_AGE_SECS: u64 = 600;
/// At most one JWKS fetch per this interval (seconds).
pub const DEFAULT_JWKS_REFRESH_FLOOR_SECS: u64 = 30;
/// A JWKS fetch's time limit (seconds).
pub const DEFAULT_JWKS_TIMEOUT_SECS: u64 = 5;
/// The largest JWKS document (bytes).
pub const DEFAULT_JWKS_MAX_BYTES: usize = 256 * 1024;
/// Verified JWTs remembered.
pub const DEFAULT_CACHE_ENTRIES: usize = 10_000;
/// The shortest `HS*` secret accepted (RFC 7518 §3.2: at least the hash size).
pub const MIN_HS_SECRET_BYTES: usize = 32;

/// Which credentials the token routes accept, as `AUTH_MODE` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthMode {
    /// API keys (server-to-server callers): no policy applies.
    pub api_keys: bool,
    /// App users' JWTs: the policy applies.
    pub jwt: bool,
}

impl AuthMode {
    /// API keys only (the default).
    pub const API_KEYS: Self = Self {
        api_keys: true,
        jwt: false,
    };

    /// Whether nothing is accepted: authentication is off.
    #[must_use]
    pub fn is_none(self) -> bool {
        !self.api_keys && !self.jwt
    }

    /// Parses `api_keys`, `jwt`, `none`, or a list (`jwt,api_keys`, `jwt+api_keys`).
    fn parse(text: &str) -> Option<Self> {
        let mut mode = Self {
            api_keys: false,
            jwt: false,
        };
        let mut none = false;
        for word in text
            .split([',', '+', ' '])
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            match word.to_ascii_lowercase().replace('-', "_").as_str() {
                "api_keys" | "api_key" | "keys" => mode.api_keys = true,
                "jwt" => mode.jwt = true,
                "none" => none = true,
                _ => return None,
            }
        }
        match (none, mode.is_none()) {
            (true, true) => Some(mode),
            (false, false) => Some(mode),
            _ => None,
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.api_keys, self.jwt) {
            (true, true) => "jwt,api_keys",
            (true, false) => "api_keys",
            (false, true) => "jwt",
            (false, false) => "none",
        })
    }
}

/// The `HS*` shared secret: redacted `Debug`, zeroized on drop (by the key type).
#[derive(Clone)]
pub struct HsSecret(DecodingKey);

impl fmt::Debug for HsSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HsSecret(<redacted>)")
    }
}

impl HsSecret {
    /// A secret from its bytes.
    ///
    /// # Errors
    ///
    /// When shorter than [`MIN_HS_SECRET_BYTES`].
    pub fn new(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < MIN_HS_SECRET_BYTES {
            bail!("must be at least {MIN_HS_SECRET_BYTES} bytes");
        }
        DecodingKey::from_secret(bytes)
            .map(Self)
            .map_err(|_| anyhow!("is not a usable secret"))
    }

    pub(crate) fn key(&self) -> &DecodingKey {
        &self.0
    }
}

/// Where asymmetric keys come from.
#[derive(Clone, Debug)]
pub enum JwksSource {
    /// No JWKS: only `HS*` tokens.
    None,
    /// Keys read from a local JWKS file at start.
    Keys(Arc<KeySet>),
    /// A JWKS URL, fetched and cached.
    Url(JwksUrl),
}

/// Everything JWT authentication needs.
#[derive(Clone, Debug)]
pub struct JwtConfig {
    /// The algorithms accepted (the token's header must name one of them).
    pub algorithms: Vec<Algorithm>,
    /// The `HS*` secret.
    pub secret: Option<HsSecret>,
    /// The asymmetric keys.
    pub jwks: JwksSource,
    /// Accepted `iss` values.
    pub issuers: Vec<String>,
    /// Accepted `aud` values.
    pub audiences: Vec<String>,
    /// Clock skew allowed on `exp` and `nbf` (seconds).
    pub leeway_secs: u64,
    /// Verified JWTs remembered until their `exp` (0 = none).
    pub cache_entries: usize,
    /// What a JWT caller may ask for.
    pub policy: Policy,
}

impl JwtConfig {
    /// A configuration with the defaults, for tests and embedding.
    #[must_use]
    pub fn new(
        algorithms: Vec<Algorithm>,
        jwks: JwksSource,
        issuer: &str,
        audience: &str,
        policy: Policy,
    ) -> Self {
        Self {
            algorithms,
            secret: None,
            jwks,
            issuers: vec![issuer.to_owned()],
            audiences: vec![audience.to_owned()],
            leeway_secs: DEFAULT_LEEWAY_SECS,
            cache_entries: DEFAULT_CACHE_ENTRIES,
            policy,
        }
    }
}

impl JwksUrl {
    /// A JWKS URL with the default cache settings.
    ///
    /// # Errors
    ///
    /// When it is not an absolute http(s) URL, or is plain http to another
    /// host than a loopback address.
    pub fn new(url: &str) -> Result<Self> {
        let uri: hyper::Uri = url.parse().map_err(|_| anyhow!("is not a valid URL"))?;
        let host = uri.host().unwrap_or_default();
        match uri.scheme_str() {
            Some("https") if !host.is_empty() => {}
            Some("http") if is_loopback(host) => {}
            Some("http") => bail!("must be https (plain http only to 127.0.0.1, ::1 or localhost)"),
            _ => bail!("must be an absolute https URL"),
        }
        Ok(Self {
            url: url.to_owned(),
            max_age: Duration::from_secs(DEFAULT_JWKS_MAX_AGE_SECS),
            refresh_floor: Duration::from_secs(DEFAULT_JWKS_REFRESH_FLOOR_SECS),
            timeout: Duration::from_secs(DEFAULT_JWKS_TIMEOUT_SECS),
            max_bytes: DEFAULT_JWKS_MAX_BYTES,
        })
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether any `jwt.*` setting is given.
#[must_use]
pub fn any_set(values: &Values) -> bool {
    JWT_SETTINGS
        .iter()
        .filter(|s| s.key.starts_with("jwt."))
        .any(|s| values.is_set(s.key))
}

/// `server.auth_mode`, when set.
///
/// # Errors
///
/// A message naming the setting when it is not a mode.
pub fn auth_mode(values: &Values) -> Result<Option<AuthMode>> {
    Ok(values.parse("server.auth_mode", AuthMode::parse)?)
}

/// The JWT configuration from its settings and `policy`.
///
/// # Errors
///
/// A message naming the setting (never a value), for each refusal listed in
/// the module documentation.
pub fn jwt_config(values: &Values, policy: Policy) -> Result<JwtConfig> {
    let name = |key: &str| values.name(key);
    let algorithms_text = values.text("jwt.algorithms").unwrap_or_default();
    let mut algorithms = Vec::new();
    for word in list(algorithms_text) {
        if word.eq_ignore_ascii_case("none") {
            bail!(
                "setting {}: \"none\" (unsigned tokens) is never accepted",
                name("jwt.algorithms")
            );
        }
        let alg: Algorithm = word.parse().map_err(|_| {
            anyhow!(
                "setting {}: unknown algorithm (expected RS256, ES256, EdDSA, HS256, …)",
                name("jwt.algorithms")
            )
        })?;
        if !algorithms.contains(&alg) {
            algorithms.push(alg);
        }
    }
    if algorithms.is_empty() {
        bail!(
            "setting {}: JWT authentication needs the accepted algorithms (e.g. RS256)",
            name("jwt.algorithms")
        );
    }
    let secret = match values.secret("jwt.hs_secret")? {
        Some(s) => Some(
            HsSecret::new(s.expose().as_bytes())
                .map_err(|e| anyhow!("setting {}: {e}", s.origin()))?,
        ),
        None => None,
    };
    let wants_hmac = algorithms
        .iter()
        .any(|a| a.family() == AlgorithmFamily::Hmac);
    let wants_keys = algorithms
        .iter()
        .any(|a| a.family() != AlgorithmFamily::Hmac);
    if wants_hmac && secret.is_none() {
        bail!(
            "setting {}: HS* algorithms need JWT_HS_SECRET or JWT_HS_SECRET_FILE",
            name("jwt.algorithms")
        );
    }
    if !wants_hmac && secret.is_some() {
        bail!(
            "setting {}: a shared secret is set but no HS* algorithm is accepted",
            name("jwt.hs_secret")
        );
    }
    let jwks = jwks_source(values, &algorithms)?;
    if wants_keys && matches!(jwks, JwksSource::None) {
        bail!(
            "setting {}: RS*, PS*, ES* and EdDSA need JWT_JWKS_URL or JWT_JWKS_FILE",
            name("jwt.algorithms")
        );
    }
    let issuers = values.text("jwt.issuer").map(list).unwrap_or_default();
    if issuers.is_empty() {
        bail!(
            "setting {}: JWT authentication needs the accepted issuer",
            name("jwt.issuer")
        );
    }
    let audiences = values.text("jwt.audience").map(list).unwrap_or_default();
    if audiences.is_empty() {
        bail!(
            "setting {}: JWT authentication needs the accepted audience",
            name("jwt.audience")
        );
    }
    let leeway_secs = values
        .parse("jwt.leeway_secs", |s| {
            s.parse::<u64>().ok().filter(|n| *n <= 300)
        })?
        .unwrap_or(DEFAULT_LEEWAY_SECS);
    let cache_entries = values
        .get("jwt.cache_entries")?
        .unwrap_or(DEFAULT_CACHE_ENTRIES);
    Ok(JwtConfig {
        algorithms,
        secret,
        jwks,
        issuers,
        audiences,
        leeway_secs,
        cache_entries,
        policy,
    })
}

fn jwks_source(values: &Values, algorithms: &[Algorithm]) -> Result<JwksSource> {
    let url = values.text("jwt.jwks_url").filter(|s| !s.is_empty());
    let file = values.text("jwt.jwks_file").filter(|s| !s.is_empty());
    let max_bytes = values
        .parse("jwt.jwks_max_bytes", |s| {
            s.parse::<usize>()
                .ok()
                .filter(|n| (1024..=4 * 1024 * 1024).contains(n))
        })?
        .unwrap_or(DEFAULT_JWKS_MAX_BYTES);
    match (url, file) {
        (Some(_), Some(_)) => bail!(
            "setting {}: set either it or {}, not both",
            values.name("jwt.jwks_url"),
            values.name("jwt.jwks_file")
        ),
        (Some(url), None) => {
            let mut source = JwksUrl::new(url)
                .map_err(|e| anyhow!("setting {}: {e}", values.name("jwt.jwks_url")))?;
            if let Some(secs) = values.get::<u64>("jwt.jwks_max_age_secs")? {
                source.max_age = Duration::from_secs(secs);
            }
            if let Some(secs) = values.parse("jwt.jwks_refresh_floor_secs", |s| {
                s.parse::<u64>().ok().filter(|n| *n >= 1)
            })? {
                source.refresh_floor = Duration::from_secs(secs);
            }
            if let Some(secs) = values.parse("jwt.jwks_timeout_secs", |s| {
                s.parse::<u64>().ok().filter(|n| (1..=60).contains(n))
            })? {
                source.timeout = Duration::from_secs(secs);
            }
            source.max_bytes = max_bytes;
            Ok(JwksSource::Url(source))
        }
        (None, Some(path)) => {
            let setting = values.name("jwt.jwks_file");
            let bytes = std::fs::read(path)
                .map_err(|e| anyhow!("setting {setting}: cannot be read ({})", e.kind()))?;
            if bytes.len() > max_bytes {
                bail!("setting {setting}: larger than {max_bytes} bytes");
            }
            let keys =
                KeySet::parse(&bytes, algorithms).map_err(|e| anyhow!("setting {setting}: {e}"))?;
            if keys.is_empty() {
                bail!("setting {setting}: holds no key usable with the accepted algorithms");
            }
            Ok(JwksSource::Keys(Arc::new(keys)))
        }
        (None, None) => Ok(JwksSource::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Auth, LoadOptions, Settings, StartupWarning, load};
    use rtc_tokens::policy::{RoleRule, UidRule};

    fn load_env(pairs: &[(&str, &str)], options: &LoadOptions) -> Result<Settings> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        load(options, &|k| {
            pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
    }

    fn demo() -> LoadOptions {
        LoadOptions {
            demo: true,
            ..LoadOptions::default()
        }
    }

    const JWT_ENV: &[(&str, &str)] = &[
        ("AUTH_MODE", "jwt"),
        ("JWT_ALGORITHMS", "RS256"),
        (
            "JWT_JWKS_URL",
            "https://tenant.example/.well-known/jwks.json",
        ),
        ("JWT_ISSUER", "https://tenant.example/"),
        ("JWT_AUDIENCE", "rtc-tokens"),
        ("POLICY_ROOMS", "team-{org_id}-*"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut env: Vec<_> = JWT_ENV
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .copied()
            .collect();
        env.extend(extra.iter().filter(|(_, v)| !v.is_empty()));
        env
    }

    #[test]
    fn a_toml_file_configures_jwt_and_the_policy() {
        let dir = std::env::temp_dir().join(format!("rtc-tokens-jwt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("server.toml");
        std::fs::write(
            &path,
            r#"[server]
auth_mode = ["jwt", "api_keys"]
api_keys = "key-0123456789abcdef"

[jwt]
algorithms = ["RS256", "ES256"]
jwks_url = "https://tenant.example/.well-known/jwks.json"
jwks_refresh_floor_secs = 10
issuer = "https://tenant.example/"
audience = ["rtc-tokens", "other"]
leeway_secs = 5

[policy]
rooms = ["team-{org_id}-*", "dm-{sub}-*"]
role_claim = "https://example.com/role"
publisher_values = ["teacher"]
uid_derived = true
kinds = ["rtc", "rtm"]
max_validity_secs = 900
"#,
        )
        .unwrap();
        let s = load_env(
            &[],
            &LoadOptions {
                config_file: Some(path),
                ..demo()
            },
        )
        .unwrap();
        let mode = s.server.auth_mode();
        assert!(mode.api_keys && mode.jwt);
        let jwt = s.server.jwt.unwrap();
        assert_eq!(jwt.algorithms, vec![Algorithm::RS256, Algorithm::ES256]);
        assert_eq!(jwt.audiences.len(), 2);
        assert_eq!(jwt.leeway_secs, 5);
        match &jwt.jwks {
            JwksSource::Url(u) => assert_eq!(u.refresh_floor, Duration::from_secs(10)),
            other => panic!("{other:?}"),
        }
        let p = jwt.policy;
        assert_eq!(p.rooms.len(), 2);
        assert_eq!(p.uid, UidRule::Derived);
        assert!(
            matches!(p.role, RoleRule::Claim { ref publisher_values, .. } if publisher_values == &["teacher"])
        );
        assert_eq!(p.max_validity_secs, 900);
        assert_eq!(p.kinds.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn jwt_only_from_the_environment_with_a_jwks_file() {
        let dir = std::env::temp_dir().join(format!("rtc-tokens-jwks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("jwks.json");
        // An Ed25519 key (RFC 8037's example public key) and an oct key that is ignored.
        std::fs::write(
            &file,
            r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}]}"#,
        )
        .unwrap();
        let file_text = file.display().to_string();
        let env = with(&[
            ("JWT_ALGORITHMS", "EdDSA"),
            ("JWT_JWKS_URL", ""),
            ("JWT_JWKS_FILE", Box::leak(file_text.into_boxed_str())),
            ("API_KEYS", "key-0123456789abcdef"),
        ]);
        let s = load_env(&env, &demo()).unwrap();
        assert!(matches!(&s.server.auth, Auth::ApiKeys(k) if k.is_empty()));
        assert!(s.warnings.contains(&StartupWarning::KeysUnused));
        match &s.server.jwt.unwrap().jwks {
            JwksSource::Keys(k) => assert_eq!(k.len(), 1),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn configurations_that_leave_routes_open_or_unverifiable_are_refused() {
        let refused = |env: &[(&str, &str)], options: &LoadOptions, names: &str| {
            let err = format!("{:#}", load_env(env, options).unwrap_err());
            assert!(err.contains(names), "{err} should name {names}");
        };
        // JWT settings without an explicit mode.
        refused(&with(&[("AUTH_MODE", "")]), &demo(), "AUTH_MODE");
        refused(&[("AUTH_MODE", "none")], &demo(), "AUTH_MODE");
        refused(
            &[("AUTH_MODE", "jwt")],
            &LoadOptions {
                insecure_no_auth: true,
                ..demo()
            },
            "AUTH_MODE",
        );
        refused(&[("AUTH_MODE", "jwt,api_keys")], &demo(), "API_KEYS");
        refused(&with(&[("POLICY_ROOMS", "")]), &demo(), "POLICY_ROOMS");
        refused(
            &with(&[("POLICY_ROOMS", "team-{org")]),
            &demo(),
            "POLICY_ROOMS",
        );
        refused(
            &with(&[("JWT_ALGORITHMS", "none")]),
            &demo(),
            "JWT_ALGORITHMS",
        );
        refused(
            &with(&[("JWT_ALGORITHMS", "HS256")]),
            &demo(),
            "JWT_ALGORITHMS",
        );
        refused(
            &with(&[("JWT_ALGORITHMS", "HS256"), ("JWT_HS_SECRET", "too-short")]),
            &demo(),
            "JWT_HS_SECRET",
        );
        refused(&with(&[("JWT_JWKS_URL", "")]), &demo(), "JWT_ALGORITHMS");
        refused(
            &with(&[("JWT_JWKS_URL", "http://tenant.example/jwks")]),
            &demo(),
            "JWT_JWKS_URL",
        );
        refused(&with(&[("JWT_ISSUER", "")]), &demo(), "JWT_ISSUER");
        refused(&with(&[("JWT_AUDIENCE", "")]), &demo(), "JWT_AUDIENCE");
        refused(&with(&[("POLICY_KINDS", "video")]), &demo(), "POLICY_KINDS");
        refused(
            &with(&[("POLICY_UID_CLAIM", "uid"), ("POLICY_UID_DERIVED", "true")]),
            &demo(),
            "POLICY_UID_CLAIM",
        );
        // Public mode would let a caller omit its JWT.
        refused(
            &with(&[
                ("CORS_ALLOW_ORIGIN", "https://app.example"),
                ("PUBLIC_MODE", "true"),
            ]),
            &demo(),
            "public mode",
        );
        // No secret value in any message.
        let err = format!(
            "{:#}",
            load_env(
                &with(&[
                    ("JWT_ALGORITHMS", "HS256"),
                    ("JWT_HS_SECRET", "s3cr3t-value")
                ]),
                &demo()
            )
            .unwrap_err()
        );
        assert!(!err.contains("s3cr3t"), "{err}");
        // A valid one loads; --insecure-no-auth ignores JWT settings with a warning.
        assert!(load_env(JWT_ENV, &demo()).unwrap().server.jwt.is_some());
        let s = load_env(
            &with(&[("AUTH_MODE", "")]),
            &LoadOptions {
                insecure_no_auth: true,
                ..demo()
            },
        )
        .unwrap();
        assert!(s.warnings.contains(&StartupWarning::JwtIgnored));
    }

    #[test]
    fn modes_parse() {
        assert_eq!(AuthMode::parse("api_keys"), Some(AuthMode::API_KEYS));
        let both = AuthMode::parse("jwt,api_keys").unwrap();
        assert!(both.jwt && both.api_keys);
        assert_eq!(AuthMode::parse("jwt+api-keys"), Some(both));
        assert!(AuthMode::parse("none").unwrap().is_none());
        assert_eq!(AuthMode::parse("none,jwt"), None);
        assert_eq!(AuthMode::parse("oauth"), None);
        assert_eq!(AuthMode::parse(""), None);
        assert_eq!(both.to_string(), "jwt,api_keys");
    }

    #[test]
    fn jwks_urls_must_be_https_off_loopback() {
        assert!(JwksUrl::new("https://example.auth0.com/.well-known/jwks.json").is_ok());
        assert!(JwksUrl::new("http://127.0.0.1:9/jwks").is_ok());
        assert!(JwksUrl::new("http://[::1]:9/jwks").is_ok());
        assert!(JwksUrl::new("http://localhost/jwks").is_ok());
        assert!(JwksUrl::new("http://example.com/jwks").is_err());
        assert!(JwksUrl::new("/jwks").is_err());
        assert!(format!("{:?}", HsSecret::new(&[7u8; 32]).unwrap()).contains("redacted"));
        assert!(HsSecret::new(&[7u8; 31]).is_err());
    }
}
