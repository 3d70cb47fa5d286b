//! The facade's neutral API for JavaScript: `Provider`, `Providers`, and
//! `insecureDecode`.
//!
//! Requests and results cross through serde: a request is the
//! facade's `TokenRequest` with camelCase keys (unknown keys are refused, as
//! the facade refuses them); an issued token is a plain object, a parsed one
//! the facade's `ParsedToken` as JSON text (`index.js` parses it) with camelCase keys, except `detail`, the vendor's own view,
//! which keeps the facade's JSON shape (the server's and the CLI's). A vendor
//! the facade gains appears here through one factory on `Provider` (and its
//! name in `index.d.ts`); everything else goes through `dyn TokenProvider`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use napi_derive::napi;
use rtc_tokens::config::Sources;
use rtc_tokens::{
    AgoraProvider, AgoraVersion, Config, IssuedToken, Named as _, ParseOptions, Privilege,
    TencentProvider, TokenProvider, TokenRequest, TokenVersion, Vendor, ZegoProvider,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{Result, invalid_input, js, secret};

/// `snake_case` to `camelCase`.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `camelCase` to `snake_case`.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len().saturating_add(4));
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Renames every object key with `rename`, leaving the value under `keep` as it is.
fn rename_keys(value: Value, rename: fn(&str) -> String, keep: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if k == keep {
                        v
                    } else {
                        rename_keys(v, rename, keep)
                    };
                    (rename(&k), v)
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| rename_keys(v, rename, keep))
                .collect(),
        ),
        other => other,
    }
}

/// A facade value as JSON text for `JSON.parse` (much faster than building the
/// object through N-API a property at a time): camelCase keys, `detail` as the
/// facade writes it.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    let value = serde_json::to_value(value)
        .map_err(|_| invalid_input("the result could not be converted"))?;
    serde_json::to_string(&rename_keys(value, camel, "detail"))
        .map_err(|_| invalid_input("the result could not be converted"))
}

/// A serde message without the value it quotes: `invalid type: string "…"` and
/// `unknown variant `…`` name what was given, which may be a secret or a token
/// passed in the wrong place. Field names (`unknown field`, `missing field`) stay.
fn scrub(message: &str) -> String {
    if ["unknown field", "missing field", "duplicate field"]
        .iter()
        .any(|p| message.starts_with(p))
    {
        return message.to_owned();
    }
    let Some(open) = message.find(['"', '`']) else {
        return message.to_owned();
    };
    let (head, rest) = message.split_at(open);
    let quote = if rest.starts_with('"') { '"' } else { '`' };
    // The closing quote: the first one not escaped (serde writes strings with Debug).
    let mut escaped = false;
    let close = rest.char_indices().skip(1).find_map(|(i, c)| {
        let end = !escaped && c == quote;
        escaped = !escaped && c == '\\';
        end.then_some(i)
    });
    match close.and_then(|i| rest.get(i.saturating_add(1)..)) {
        Some(tail) => format!("{head}(value not shown){tail}"),
        None => format!("{head}(value not shown)"),
    }
}

/// A JS request object as the facade's `TokenRequest`.
fn to_request(request: Value) -> Result<TokenRequest> {
    let request = rename_keys(request, snake, "");
    serde_json::from_value(request)
        .map_err(|e| invalid_input(format!("request: {}", scrub(&e.to_string()))))
}

/// What `verify` and `inspect` expect of a token (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Check expiry against this unix time instead of the clock.
    now: Option<u64>,
    /// Do not check expiry.
    #[serde(default)]
    skip_expiry: bool,
    /// The app id the token must be for.
    app_id: Option<String>,
    /// The room or channel the token must be for.
    #[serde(alias = "channel")]
    room: Option<String>,
    /// The user the token must be for.
    #[serde(alias = "uid")]
    user: Option<String>,
    /// Accept only this format.
    version: Option<TokenVersion>,
    /// The privileges required (instead of what the token needs to be usable).
    require: Option<Vec<Privilege>>,
}

fn to_options(options: Option<Value>) -> Result<ParseOptions> {
    let o: Options = match options {
        None | Some(Value::Null) => Options::default(),
        Some(v) => serde_json::from_value(v)
            .map_err(|e| invalid_input(format!("options: {}", scrub(&e.to_string()))))?,
    };
    let mut p = match (o.skip_expiry, o.now) {
        (true, Some(_)) => {
            return Err(invalid_input("options: give now or skipExpiry, not both"));
        }
        (true, None) => ParseOptions::skip_expiry(),
        (false, Some(now)) => ParseOptions::at(now),
        (false, None) => ParseOptions::default(),
    };
    p.app_id = o.app_id;
    p.channel = o.room;
    p.uid = o.user;
    p.version = o.version;
    p.require = o.require;
    Ok(p)
}

/// Issues `request` with `provider` as of `now` (unix seconds; the clock
/// when `None`).
fn issue_with(
    provider: &dyn TokenProvider,
    request: &TokenRequest,
    now: Option<u32>,
) -> Result<Issued> {
    let issued = js(match now {
        Some(now) => provider.issue_at(request, u64::from(now)),
        None => provider.issue(request),
    })?;
    Ok(issued.into())
}

fn vendor(name: &str) -> Result<Vendor> {
    js(name.parse::<Vendor>())
}

/// An issued token (the facade's `IssuedToken`), as a plain object.
#[napi(object, object_from_js = false)]
#[derive(Debug)]
pub struct Issued {
    /// The token.
    pub token: String,
    /// The vendor's name.
    pub vendor: &'static str,
    /// The format: `04`, `006`, `007`, `usersig`.
    pub version: &'static str,
    /// Issue time, unix seconds.
    pub issued_at: f64,
    /// The expiry applied, unix seconds.
    pub expires_at: f64,
    /// When to fetch a new token, unix seconds.
    pub renew_at: f64,
}

impl From<IssuedToken> for Issued {
    #[allow(clippy::cast_precision_loss)] // unix seconds stay far below 2^53
    fn from(t: IssuedToken) -> Self {
        Self {
            vendor: t.vendor.name(),
            version: t.version.prefix(),
            issued_at: t.issued_at as f64,
            expires_at: t.expires_at as f64,
            renew_at: t.renew_at as f64,
            token: t.token,
        }
    }
}

/// Options of `Provider.agora`.
#[napi(object)]
#[derive(Debug, Default)]
pub struct AgoraOptions {
    /// `"007"` (default) or `"006"`.
    pub version: Option<String>,
    /// Seconds before expiry at which clients should renew (default 30).
    pub renew_before_secs: Option<u32>,
}

/// Options of `Provider.zego`.
#[napi(object)]
#[derive(Debug, Default)]
pub struct ZegoOptions {
    /// `"gcm"` (default) or `"cbc"`.
    pub mode: Option<String>,
    /// Seconds before expiry at which clients should renew (default 30).
    pub renew_before_secs: Option<u32>,
}

/// Options of `Provider.tencent`.
#[napi(object)]
#[derive(Debug, Default)]
pub struct TencentOptions {
    /// Seconds before expiry at which clients should renew (default 30).
    pub renew_before_secs: Option<u32>,
}

/// One vendor's provider: issues, verifies and inspects its tokens.
#[napi]
pub struct Provider {
    inner: Arc<dyn TokenProvider>,
}

#[napi]
impl Provider {
    /// An Agora provider. The certificate crosses here, once.
    ///
    /// # Errors
    ///
    /// `invalid_input` for an app id or certificate that is not 32 hex
    /// characters, or an unknown version.
    #[napi(factory)]
    pub fn agora(
        app_id: String,
        certificate: String,
        options: Option<AgoraOptions>,
    ) -> Result<Self> {
        let certificate = secret(certificate);
        let options = options.unwrap_or_default();
        let app_id = js(rtc_tokens::agora_dynamic_key::AppId::new(&app_id).map_err(Into::into))?;
        let cert = js(
            rtc_tokens::agora_dynamic_key::AppCertificate::new(&certificate).map_err(Into::into),
        )?;
        let mut p = AgoraProvider::new(app_id, cert);
        if let Some(v) = options.version {
            p = p.with_version(js(v.parse::<AgoraVersion>())?);
        }
        if let Some(secs) = options.renew_before_secs {
            p = p.with_renew_before(secs);
        }
        Ok(Self { inner: Arc::new(p) })
    }

    /// A ZEGO provider. The server secret crosses here, once.
    ///
    /// # Errors
    ///
    /// `invalid_input` for app id 0, a secret that is not 32 bytes, or an unknown mode.
    #[napi(factory)]
    pub fn zego(app_id: u32, server_secret: String, options: Option<ZegoOptions>) -> Result<Self> {
        use rtc_tokens::zego_token04 as z;
        let server_secret = secret(server_secret);
        let options = options.unwrap_or_default();
        let app_id = js(z::AppId::try_from(app_id).map_err(Into::into))?;
        let s = js(z::ServerSecret::new(&server_secret).map_err(Into::into))?;
        let mut p = ZegoProvider::new(app_id, s);
        if let Some(m) = options.mode {
            let mode = z::Mode::parse_named(&m)
                .ok_or_else(|| invalid_input("mode: expected gcm or cbc"))?;
            p = p.with_mode(mode);
        }
        if let Some(secs) = options.renew_before_secs {
            p = p.with_renew_before(secs);
        }
        Ok(Self { inner: Arc::new(p) })
    }

    /// A Tencent Cloud TRTC provider (UserSig; PrivateMapKey when a request
    /// names a room). The secret key crosses here, once; like Tencent's
    /// references, its text (the console's 64 hex characters) keys the HMAC.
    ///
    /// # Errors
    ///
    /// `invalid_input` for an SDKAppID of 0, an empty key or one over 1024 bytes.
    #[napi(factory)]
    pub fn tencent(
        sdk_app_id: u32,
        secret_key: String,
        options: Option<TencentOptions>,
    ) -> Result<Self> {
        let secret_key = secret(secret_key);
        let options = options.unwrap_or_default();
        let sdk_app_id =
            js(rtc_tokens::tencent_usersig::SdkAppId::new(sdk_app_id).map_err(Into::into))?;
        let key = js(rtc_tokens::tencent_usersig::SecretKey::new(&secret_key).map_err(Into::into))?;
        let mut p = TencentProvider::new(sdk_app_id, key);
        if let Some(secs) = options.renew_before_secs {
            p = p.with_renew_before(secs);
        }
        Ok(Self { inner: Arc::new(p) })
    }

    /// A provider with the facade's clearly fake demo credentials (examples only).
    ///
    /// # Errors
    ///
    /// `invalid_input` for an unknown vendor.
    #[napi(factory)]
    pub fn demo(vendor_name: String) -> Result<Self> {
        let inner: Arc<dyn TokenProvider> = match vendor(&vendor_name)? {
            Vendor::Zego => Arc::new(ZegoProvider::demo()),
            Vendor::Agora => Arc::new(AgoraProvider::demo()),
            Vendor::Tencent => Arc::new(TencentProvider::demo()),
        };
        Ok(Self { inner })
    }

    /// The vendor's name (`zego`, `agora`, `tencent`).
    #[napi(getter)]
    pub fn vendor(&self) -> &'static str {
        self.inner.vendor().name()
    }

    /// The configured app id, as text.
    #[napi(getter)]
    pub fn app_id(&self) -> String {
        self.inner.app_id()
    }

    /// Issues a token for a request object; `now` (unix seconds) replaces the clock.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field the vendor cannot express; `internal`
    /// when the OS random number generator fails.
    #[napi]
    pub fn issue(&self, request: Value, now: Option<u32>) -> Result<Issued> {
        issue_with(self.inner.as_ref(), &to_request(request)?, now)
    }

    /// Decodes and verifies a token (see the facade's `TokenProvider::verify`).
    ///
    /// # Errors
    ///
    /// `version`, `malformed`, `decrypt`, `signature`, `mismatch`, `expired`,
    /// `invalid_input` (bad options; a 006 token without channel and uid).
    #[napi]
    pub fn verify(&self, token: String, options: Option<Value>) -> Result<String> {
        to_json(&js(self.inner.verify(&token, &to_options(options)?))?)
    }

    /// Decodes a token and reports how far it could be checked, without
    /// failing on a bad signature or an expiry.
    ///
    /// # Errors
    ///
    /// `version`, `malformed`, `decrypt`, `invalid_input` (bad options).
    #[napi]
    pub fn inspect(&self, token: String, options: Option<Value>) -> Result<String> {
        to_json(&js(self.inner.inspect(&token, &to_options(options)?))?)
    }
}

/// Where `Providers.load` reads its configuration.
#[napi(object)]
#[derive(Debug, Default)]
pub struct LoadOptions {
    /// A TOML file.
    pub file: Option<String>,
    /// TOML text (instead of a file).
    pub toml: Option<String>,
    /// The directory relative secret-file paths in `toml` are read from.
    pub base_dir: Option<String>,
    /// Read the process environment, over the TOML (default true).
    pub env: Option<bool>,
}

/// A set of providers, at most one per vendor, with a default; recognises a
/// token's vendor by its prefix.
#[napi]
pub struct Providers {
    inner: rtc_tokens::Providers,
    warnings: Vec<String>,
}

#[napi]
impl Providers {
    /// Providers from the configuration the facade's loader reads (the same
    /// settings as the CLI and the server: `AGORA_APP_ID`,
    /// `AGORA_APP_CERTIFICATE_FILE`, `ZEGO_APP_ID`, … and their TOML keys),
    /// the environment over the TOML.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting, or what to
    /// set when no vendor is configured.
    #[napi(factory)]
    pub fn load(options: Option<LoadOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let base: Option<PathBuf> = o.base_dir.map(PathBuf::from);
        let mut sources = Sources::new();
        if let Some(file) = &o.file {
            sources = sources.with_file(file);
        }
        if let Some(text) = &o.toml {
            sources = sources.with_toml_text(text, base.as_deref().map(Path::new));
        }
        if o.env.unwrap_or(true) {
            sources = sources.with_process_env();
        }
        let (config, warnings) = js(Config::load(&sources))?;
        let config = js(config.non_empty())?;
        Ok(Self {
            inner: config.providers(),
            warnings: warnings.iter().map(ToString::to_string).collect(),
        })
    }

    /// Providers from the given ones (one per vendor; a later one replaces an
    /// earlier one of the same vendor) and an optional default vendor.
    ///
    /// # Errors
    ///
    /// `invalid_input` for an unknown or unconfigured default vendor.
    #[napi(factory)]
    pub fn of(providers: Vec<&Provider>, default_vendor: Option<String>) -> Result<Self> {
        let mut inner = rtc_tokens::Providers::new();
        for p in providers {
            inner.insert(Arc::clone(&p.inner));
        }
        if let Some(name) = default_vendor {
            let v = vendor(&name)?;
            inner.provider(Some(v)).map_err(|e| crate::js_error(&e))?;
            inner = inner.with_default_vendor(v);
        }
        Ok(Self {
            inner,
            warnings: Vec::new(),
        })
    }

    /// The configured vendors' names.
    #[napi(getter)]
    pub fn vendors(&self) -> Vec<&'static str> {
        self.inner.vendors().into_iter().map(|v| v.name()).collect()
    }

    /// The default vendor's name, if any.
    #[napi(getter)]
    pub fn default_vendor(&self) -> Option<&'static str> {
        self.inner.default_vendor().map(|v| v.name())
    }

    /// The loader's warnings (e.g. a secret file readable by other users).
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The provider of `vendor`.
    ///
    /// # Errors
    ///
    /// `invalid_input` when that vendor is unknown or not configured.
    #[napi]
    pub fn get(&self, vendor_name: String) -> Result<Provider> {
        let v = vendor(&vendor_name)?;
        let inner = js(self.inner.provider(Some(v)))?;
        Ok(Provider {
            inner: Arc::clone(inner),
        })
    }

    /// Issues a token with the provider of `vendor` (or the default one).
    ///
    /// # Errors
    ///
    /// As `Provider.issue`, or `invalid_input` when the vendor is not configured.
    #[napi]
    pub fn issue(
        &self,
        request: Value,
        vendor_name: Option<String>,
        now: Option<u32>,
    ) -> Result<Issued> {
        let v = vendor_name.as_deref().map(vendor).transpose()?;
        let request = to_request(request)?;
        issue_with(js(self.inner.provider(v))?.as_ref(), &request, now)
    }

    /// Verifies a token with the provider its prefix names.
    ///
    /// # Errors
    ///
    /// As `Provider.verify`, or `invalid_input` when its vendor is not configured.
    #[napi]
    pub fn verify(&self, token: String, options: Option<Value>) -> Result<String> {
        to_json(&js(self.inner.verify(&token, &to_options(options)?))?)
    }

    /// Inspects a token with the provider its prefix names.
    ///
    /// # Errors
    ///
    /// As `Provider.inspect`, or `invalid_input` when its vendor is not configured.
    #[napi]
    pub fn inspect(&self, token: String, options: Option<Value>) -> Result<String> {
        to_json(&js(self.inner.inspect(&token, &to_options(options)?))?)
    }
}

/// Decodes a token WITHOUT credentials, for debugging only: nothing is
/// verified (`verification` is `not_checked`) and a ZEGO token shows only its
/// clear-text header.
///
/// # Errors
///
/// `version`, `malformed`.
#[napi]
pub fn insecure_decode(token: String) -> Result<String> {
    to_json(&js(rtc_tokens::dangerous::insecure_decode(&token))?)
}

/// The neutral privileges a TRTC privilege map (`privMap`, bits 1 to 128)
/// grants, by their names (`join_channel`, …), for `TokenRequest.privileges`.
///
/// # Errors
///
/// `invalid_input` for a map with bits Tencent does not define, or none.
#[napi]
pub fn tencent_privileges_of_map(map: u32) -> Result<Value> {
    let privileges = js(TencentProvider::privileges_of_map(map))?;
    serde_json::to_value(privileges).map_err(|_| invalid_input("the result could not be converted"))
}

/// The names the facade accepts, for the TypeScript types' tests: vendors,
/// token kinds and the error kinds.
#[napi]
pub fn names() -> Value {
    serde_json::json!({
        "vendors": Vendor::ALL.iter().map(|v| v.name()).collect::<Vec<_>>(),
        "kinds": rtc_tokens::TokenKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_between_cases() {
        assert_eq!(camel("validity_secs"), "validitySecs");
        assert_eq!(snake("validitySecs"), "validity_secs");
        assert_eq!(snake(&camel("publish_audio")), "publish_audio");
    }

    #[test]
    fn detail_keeps_its_keys() {
        let v = serde_json::json!({"expires_at": 1, "detail": {"issue_ts": 2}});
        let out = rename_keys(v, camel, "detail");
        assert_eq!(
            out,
            serde_json::json!({"expiresAt": 1, "detail": {"issue_ts": 2}})
        );
    }

    #[test]
    fn serde_messages_do_not_echo_values() {
        let secret = "0123456789abcdef0123456789abcdef";
        let e = to_request(serde_json::json!(secret))
            .err()
            .map(|e| e.reason);
        assert!(e.as_deref().is_some_and(|m| !m.contains(secret)), "{e:?}");
        let e = to_request(serde_json::json!({"kind": secret}))
            .err()
            .map(|e| e.reason);
        assert!(e.as_deref().is_some_and(|m| !m.contains(secret)), "{e:?}");
        let e = to_request(serde_json::json!({"userId": 5}))
            .err()
            .map(|e| e.reason);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("expected a string")),
            "{e:?}"
        );
        assert_eq!(
            scrub(r#"invalid type: string "a\"b", expected u32"#),
            "invalid type: string (value not shown), expected u32"
        );
        assert_eq!(
            scrub("unknown field `usrId`, expected one of `kind`"),
            "unknown field `usrId`, expected one of `kind`"
        );
    }

    #[test]
    fn requests_refuse_unknown_keys() {
        let ok = to_request(serde_json::json!({"userId": "a", "room": "r", "validitySecs": 60}));
        assert_eq!(ok.ok().map(|r| r.validity_secs), Some(60));
        assert!(to_request(serde_json::json!({"usrId": "a"})).is_err());
        assert!(to_options(Some(serde_json::json!({"rooom": "r"}))).is_err());
    }
}
