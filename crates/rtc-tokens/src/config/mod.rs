//! Configuration: one layered loader for every program of the workspace.
//!
//! Settings are described as data ([`Setting`]: TOML key, environment names
//! with aliases, whether it is a secret). [`Values::load`] reads them from
//! [`Sources`] and merges them **per setting**: a command-line flag wins over
//! the environment, which wins over the TOML file, which wins over defaults.
//! The vendor settings are below; a program adds its own table (the server
//! registers `server.*`) and reads them through the same [`Values`].
//!
//! | environment (aliases) | TOML key | meaning |
//! | --- | --- | --- |
//! | `RTC_VENDOR` | `default_vendor` | `zego`, `agora` or `tencent`: the vendor used when a request names none |
//! | `RTC_RENEW_BEFORE_SECS` | `renew_before_secs` | seconds before expiry at which clients should renew (default 30) |
//! | `ZEGO_APP_ID` (`ZEGOCLOUD_APP_ID`, `APP_ID`¹) | `zego.app_id` | ZEGO app id (a non-zero integer) |
//! | `ZEGO_SERVER_SECRET` (`ZEGOCLOUD_SERVER_SECRET`, `SERVER_SECRET`) ² | `zego.server_secret` ² | the 32-character ServerSecret |
//! | `ZEGO_TOKEN_MODE` | `zego.mode` | `gcm` (default) or `cbc` (legacy) |
//! | `AGORA_APP_ID` (`APP_ID`¹) | `agora.app_id` | Agora app id (32 hex characters) |
//! | `AGORA_APP_CERTIFICATE` (`APP_CERTIFICATE`) ² | `agora.app_certificate` ² | the 32-hex-character app certificate |
//! | `AGORA_TOKEN_VERSION` | `agora.version` | `007` (default) or `006` |
//! | `TENCENT_SDK_APP_ID` | `tencent.sdk_app_id` | Tencent TRTC SDKAppID (a non-zero integer) |
//! | `TENCENT_SECRET_KEY` ² | `tencent.secret_key` ² | the secret key from the TRTC console (64 hex characters there; any 1–1024 bytes are taken) |
//!
//! ¹ The bare `APP_ID` of the vendors' sample servers is Agora's when an
//! Agora certificate variable is set, else ZEGO's when a ZEGO secret
//! variable is set. ² Secrets: each also has a file form, preferred: the
//! variables `<NAME>_FILE`, the TOML key `<key>_file` (relative paths are read
//! from the TOML file's directory). A secret is never taken from a
//! command-line value; one layer giving both forms is an error.
//!
//! A `.env` file ([`DotEnv`]) can stand below the real environment: the
//! server reads one at startup and looks each name up in the process
//! environment first; its secrets are handled as the environment's.
//!
//! A vendor is configured when its app id or secret is set; then both are
//! required. Guarantees: an error names the setting as its source called it
//! (flag, variable or TOML key) and never contains a value, not even for
//! malformed TOML; secrets stay in zeroizing buffers from the file or
//! variable to the key type, and the TOML text is wiped after parsing; a
//! secret file other users can read gives a [`Warning`] (as ssh does), which
//! the caller prints.
//!
//! ```
//! use rtc_tokens::config::{Config, Sources, Values};
//! use rtc_tokens::{DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID};
//!
//! let env = |name: &str| match name {
//!     "APP_ID" => Some(DEMO_AGORA_APP_ID.to_owned()),
//!     "APP_CERTIFICATE" => Some(DEMO_AGORA_APP_CERTIFICATE.to_owned()),
//!     _ => None,
//! };
//! let sources = Sources::new().with_env(env).with_flag("agora.version", "--version", "006");
//! let values = Values::load(Config::SETTINGS, &sources)?;
//! let config = Config::from_values(&values)?;
//! assert_eq!(config.agora.unwrap().version(), rtc_tokens::AgoraVersion::V006);
//! # Ok::<(), rtc_tokens::Error>(())
//! ```

mod dotenv;
mod secret;
mod setting;
mod sources;
mod values;

use std::path::Path;
use std::sync::Arc;

pub use dotenv::DotEnv;
pub use secret::{Secret, Warning, read_secret};
pub use setting::{EnvName, Kind, Layer, Origin, Setting};
pub use sources::Sources;
pub use values::Values;

use crate::{
    AgoraProvider, AgoraVersion, DEFAULT_RENEW_BEFORE_SECS, Error, Providers, TencentProvider,
    Vendor, ZegoProvider,
};

const AGORA_SECRET_VARS: &[&str] = &[
    "AGORA_APP_CERTIFICATE",
    "AGORA_APP_CERTIFICATE_FILE",
    "APP_CERTIFICATE",
    "APP_CERTIFICATE_FILE",
];
const ZEGO_SECRET_VARS: &[&str] = &[
    "ZEGO_SERVER_SECRET",
    "ZEGO_SERVER_SECRET_FILE",
    "ZEGOCLOUD_SERVER_SECRET",
    "ZEGOCLOUD_SERVER_SECRET_FILE",
    "SERVER_SECRET",
    "SERVER_SECRET_FILE",
];

/// Settings shared by every vendor.
pub const COMMON_SETTINGS: &[Setting] = &[
    Setting {
        key: "default_vendor",
        env: &[EnvName::new("RTC_VENDOR")],
        kind: Kind::Text,
        expect: "zego, agora or tencent",
    },
    Setting {
        key: "renew_before_secs",
        env: &[EnvName::new("RTC_RENEW_BEFORE_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds",
    },
];

/// The ZEGO settings.
pub const ZEGO_SETTINGS: &[Setting] = &[
    Setting {
        key: "zego.app_id",
        env: &[
            EnvName::new("ZEGO_APP_ID"),
            EnvName::new("ZEGOCLOUD_APP_ID"),
            EnvName::conditional("APP_ID", ZEGO_SECRET_VARS, AGORA_SECRET_VARS),
        ],
        kind: Kind::Text,
        expect: "a non-zero 32-bit integer",
    },
    Setting {
        key: "zego.server_secret",
        env: &[
            EnvName::new("ZEGO_SERVER_SECRET"),
            EnvName::new("ZEGOCLOUD_SERVER_SECRET"),
            EnvName::new("SERVER_SECRET"),
        ],
        kind: Kind::Secret,
        expect: "exactly 32 bytes (the ServerSecret from the ZEGO console)",
    },
    Setting {
        key: "zego.mode",
        env: &[EnvName::new("ZEGO_TOKEN_MODE")],
        kind: Kind::Text,
        expect: "gcm or cbc",
    },
];

/// The Agora settings.
pub const AGORA_SETTINGS: &[Setting] = &[
    Setting {
        key: "agora.app_id",
        env: &[
            EnvName::new("AGORA_APP_ID"),
            EnvName::conditional("APP_ID", AGORA_SECRET_VARS, &[]),
        ],
        kind: Kind::Text,
        expect: "32 hex characters",
    },
    Setting {
        key: "agora.app_certificate",
        env: &[
            EnvName::new("AGORA_APP_CERTIFICATE"),
            EnvName::new("APP_CERTIFICATE"),
        ],
        kind: Kind::Secret,
        expect: "32 hex characters (the app certificate from the Agora console)",
    },
    Setting {
        key: "agora.version",
        env: &[EnvName::new("AGORA_TOKEN_VERSION")],
        kind: Kind::Text,
        expect: "006 or 007",
    },
];

/// The Tencent settings.
pub const TENCENT_SETTINGS: &[Setting] = &[
    Setting {
        key: "tencent.sdk_app_id",
        env: &[EnvName::new("TENCENT_SDK_APP_ID")],
        kind: Kind::Text,
        expect: "a non-zero 32-bit integer",
    },
    Setting {
        key: "tencent.secret_key",
        env: &[EnvName::new("TENCENT_SECRET_KEY")],
        kind: Kind::Secret,
        expect: "the secret key from the trtc console",
    },
];

/// Configured providers.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The vendor used when a request names none.
    pub default_vendor: Option<Vendor>,
    /// Seconds before expiry at which clients should renew.
    pub renew_before_secs: u32,
    /// The ZEGO provider, when configured.
    pub zego: Option<ZegoProvider>,
    /// The Agora provider, when configured.
    pub agora: Option<AgoraProvider>,
    /// The Tencent provider, when configured.
    pub tencent: Option<TencentProvider>,
}

/// Whether a vendor must be configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Build it when any of its settings is set.
    IfSet,
    /// Build it, reporting the first missing setting, or what to set
    /// ([`not_configured`]) when none is.
    Required,
}

impl Config {
    /// Every vendor setting: common, ZEGO, Agora, Tencent.
    pub const SETTINGS: &'static [&'static [Setting]] = &[
        COMMON_SETTINGS,
        ZEGO_SETTINGS,
        AGORA_SETTINGS,
        TENCENT_SETTINGS,
    ];

    /// The message for "nothing configured", naming what to set: each
    /// vendor's [`what_to_set`] (a test keeps them equal).
    pub const NOTHING_CONFIGURED: &'static str = "no vendor configured: set ZEGO_APP_ID and \
        ZEGO_SERVER_SECRET_FILE (or ZEGO_SERVER_SECRET), or AGORA_APP_ID and \
        AGORA_APP_CERTIFICATE_FILE (or AGORA_APP_CERTIFICATE), or TENCENT_SDK_APP_ID and \
        TENCENT_SECRET_KEY_FILE (or TENCENT_SECRET_KEY)";

    /// Reads the process environment.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting, or saying
    /// which variables to set when no vendor is configured.
    pub fn from_env() -> Result<Self, Error> {
        Self::load(&Sources::new().with_process_env())?
            .0
            .non_empty()
    }

    /// Reads variables through `lookup` (an environment stand-in).
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::load(&Sources::new().with_env(lookup))?.0.non_empty()
    }

    /// Reads a TOML file (no environment).
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env), or the file cannot be read or parsed.
    pub fn from_toml_file(path: &Path) -> Result<Self, Error> {
        Self::load(&Sources::new().with_file(path))?.0.non_empty()
    }

    /// Reads TOML text; relative secret-file paths are read from `base_dir`.
    ///
    /// # Errors
    ///
    /// As [`from_toml_file`](Self::from_toml_file).
    pub fn from_toml_str(text: &str, base_dir: Option<&Path>) -> Result<Self, Error> {
        Self::load(&Sources::new().with_toml_text(text, base_dir))?
            .0
            .non_empty()
    }

    /// Loads the vendor settings from `sources`; the configuration may be
    /// empty. Returns the warnings to show.
    ///
    /// # Errors
    ///
    /// As [`Values::load`] and [`from_values`](Self::from_values).
    pub fn load(sources: &Sources<'_>) -> Result<(Self, Vec<Warning>), Error> {
        let values = Values::load(Self::SETTINGS, sources)?;
        Ok((Self::from_values(&values)?, values.warnings().to_vec()))
    }

    /// The vendor configuration in loaded `values` (which must include
    /// [`SETTINGS`](Self::SETTINGS)); it may be empty.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting.
    pub fn from_values(values: &Values) -> Result<Self, Error> {
        let renew_before_secs = values
            .get("renew_before_secs")?
            .unwrap_or(DEFAULT_RENEW_BEFORE_SECS);
        let zego = zego(values, Need::IfSet)?.map(|z| z.with_renew_before(renew_before_secs));
        let agora = agora(values, Need::IfSet)?.map(|a| a.with_renew_before(renew_before_secs));
        let tencent = tencent(values, Need::IfSet)?.map(|t| t.with_renew_before(renew_before_secs));
        let default_vendor: Option<Vendor> = values.get("default_vendor")?;
        if let Some(v) = default_vendor {
            let configured = match v {
                Vendor::Zego => zego.is_some(),
                Vendor::Agora => agora.is_some(),
                Vendor::Tencent => tencent.is_some(),
            };
            if !configured {
                return Err(values.error(
                    "default_vendor",
                    format!("names {v}, but {v} is not configured"),
                ));
            }
        }
        Ok(Self {
            default_vendor,
            renew_before_secs,
            zego,
            agora,
            tencent,
        })
    }

    /// This configuration, or an error naming what to set when it is empty.
    ///
    /// # Errors
    ///
    /// `invalid_input` ([`NOTHING_CONFIGURED`](Self::NOTHING_CONFIGURED)) when no vendor is configured.
    pub fn non_empty(self) -> Result<Self, Error> {
        if self.is_empty() {
            Err(Error::invalid_input(None, Self::NOTHING_CONFIGURED))
        } else {
            Ok(self)
        }
    }

    /// Whether no vendor is configured.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.zego.is_none() && self.agora.is_none() && self.tencent.is_none()
    }

    /// The configured providers as a [`Providers`] registry.
    #[must_use]
    pub fn providers(&self) -> Providers {
        let mut providers = Providers::new();
        if let Some(z) = &self.zego {
            providers.insert(Arc::new(z.clone()));
        }
        if let Some(a) = &self.agora {
            providers.insert(Arc::new(a.clone()));
        }
        if let Some(t) = &self.tencent {
            providers.insert(Arc::new(t.clone()));
        }
        match self.default_vendor {
            Some(v) => providers.with_default_vendor(v),
            None => providers,
        }
    }
}

/// What to set to configure `vendor`, named from its settings: the app id
/// variable and the secret's file variable (preferred) or variable, e.g.
/// `AGORA_APP_ID and AGORA_APP_CERTIFICATE_FILE (or AGORA_APP_CERTIFICATE)`.
#[must_use]
pub fn what_to_set(vendor: Vendor) -> String {
    let (settings, app_id, secret) = match vendor {
        Vendor::Zego => (ZEGO_SETTINGS, "zego.app_id", "zego.server_secret"),
        Vendor::Agora => (AGORA_SETTINGS, "agora.app_id", "agora.app_certificate"),
        Vendor::Tencent => (TENCENT_SETTINGS, "tencent.sdk_app_id", "tencent.secret_key"),
    };
    let name = |key: &'static str| {
        settings
            .iter()
            .find(|s| s.key == key)
            .map_or(key, Setting::name)
    };
    let secret = name(secret);
    format!("{} and {secret}_FILE (or {secret})", name(app_id))
}

/// The error for a `vendor` that is needed but has none of its settings:
/// `agora is not configured: set AGORA_APP_ID and …` ([`what_to_set`]).
#[must_use]
pub fn not_configured(vendor: Vendor) -> Error {
    Error::invalid_input(
        None,
        format!("{vendor} is not configured: set {}", what_to_set(vendor)),
    )
}

/// `value`, or an error naming the missing setting `key` the way its
/// vendor's other setting `sibling` was given: the TOML key when that came
/// from the file, else the canonical variable; a secret also names its file form.
fn required<T>(values: &Values, key: &str, sibling: &str, value: Option<T>) -> Result<T, Error> {
    value.ok_or_else(|| {
        let in_file = values
            .origin(sibling)
            .is_some_and(|o| o.layer == Layer::File);
        let name = if in_file {
            key.to_owned()
        } else {
            values.name(key)
        };
        let problem = if values.is_secret(key) {
            let file = if in_file {
                format!("{key}_file")
            } else {
                format!("{name}_FILE")
            };
            format!("is required (or {file})")
        } else {
            "is required".to_owned()
        };
        Error::config(&name, problem)
    })
}

/// The ZEGO provider from loaded `values` (which must include
/// [`ZEGO_SETTINGS`]), with the default renew margin.
///
/// # Errors
///
/// `invalid_input` naming the missing or malformed setting, or
/// [`not_configured`] when `need` is [`Need::Required`] and nothing is set.
pub fn zego(values: &Values, need: Need) -> Result<Option<ZegoProvider>, Error> {
    let set = values.is_set("zego.app_id") || values.is_set("zego.server_secret");
    match (need, set) {
        (Need::IfSet, false) => return Ok(None),
        (Need::Required, false) => return Err(not_configured(Vendor::Zego)),
        (_, true) => {}
    }
    let app_id = values.parse("zego.app_id", |s| {
        s.parse::<u32>()
            .ok()
            .and_then(|id| zego_token04::AppId::new(id).ok())
    })?;
    let app_id = required(values, "zego.app_id", "zego.server_secret", app_id)?;
    let secret = values.secret("zego.server_secret")?;
    let secret = required(values, "zego.server_secret", "zego.app_id", secret)?;
    let secret = zego_token04::ServerSecret::new(secret.expose())
        .map_err(|_| Error::config(&secret.origin().name, "must be exactly 32 bytes"))?;
    let mode = values
        .get::<zego_token04::Mode>("zego.mode")?
        .unwrap_or(zego_token04::Mode::Gcm);
    Ok(Some(ZegoProvider::new(app_id, secret).with_mode(mode)))
}

/// The Agora provider from loaded `values` (which must include
/// [`AGORA_SETTINGS`]), with the default renew margin.
///
/// # Errors
///
/// `invalid_input` naming the missing or malformed setting, or
/// [`not_configured`] when `need` is [`Need::Required`] and nothing is set.
pub fn agora(values: &Values, need: Need) -> Result<Option<AgoraProvider>, Error> {
    let set = values.is_set("agora.app_id") || values.is_set("agora.app_certificate");
    match (need, set) {
        (Need::IfSet, false) => return Ok(None),
        (Need::Required, false) => return Err(not_configured(Vendor::Agora)),
        (_, true) => {}
    }
    let app_id = values.parse("agora.app_id", |s| agora_dynamic_key::AppId::new(s).ok())?;
    let app_id = required(values, "agora.app_id", "agora.app_certificate", app_id)?;
    let cert = values.secret("agora.app_certificate")?;
    let cert = required(values, "agora.app_certificate", "agora.app_id", cert)?;
    let cert = agora_dynamic_key::AppCertificate::new(cert.expose())
        .map_err(|_| Error::config(&cert.origin().name, "must be 32 hex characters"))?;
    let version = values
        .get::<AgoraVersion>("agora.version")?
        .unwrap_or(AgoraVersion::V007);
    Ok(Some(AgoraProvider::new(app_id, cert).with_version(version)))
}

/// The Tencent provider from loaded `values` (which must include
/// [`TENCENT_SETTINGS`]), with the default renew margin.
///
/// # Errors
///
/// `invalid_input` naming the missing or malformed setting, or
/// [`not_configured`] when `need` is [`Need::Required`] and nothing is set.
pub fn tencent(values: &Values, need: Need) -> Result<Option<TencentProvider>, Error> {
    let set = values.is_set("tencent.sdk_app_id") || values.is_set("tencent.secret_key");
    match (need, set) {
        (Need::IfSet, false) => return Ok(None),
        (Need::Required, false) => return Err(not_configured(Vendor::Tencent)),
        (_, true) => {}
    }
    let sdk_app_id = values.parse("tencent.sdk_app_id", |s| {
        s.parse::<tencent_usersig::SdkAppId>().ok()
    })?;
    let sdk_app_id = required(
        values,
        "tencent.sdk_app_id",
        "tencent.secret_key",
        sdk_app_id,
    )?;
    let key = values.secret("tencent.secret_key")?;
    let key = required(values, "tencent.secret_key", "tencent.sdk_app_id", key)?;
    let key = tencent_usersig::SecretKey::new(key.expose())
        .map_err(|_| Error::config(&key.origin().name, "must be 1 to 1024 bytes"))?;
    Ok(Some(TencentProvider::new(sdk_app_id, key)))
}

#[cfg(test)]
mod tests;
