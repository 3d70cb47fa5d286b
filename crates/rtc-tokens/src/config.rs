//! Providers from environment variables or a TOML file.
//!
//! | environment variable | TOML key | meaning |
//! | --- | --- | --- |
//! | `RTC_VENDOR` | `default_vendor` | `zego` or `agora`: the vendor used when a request names none |
//! | `RTC_RENEW_BEFORE_SECS` | `renew_before_secs` | seconds before expiry at which clients should renew (default 30) |
//! | `ZEGO_APP_ID` | `[zego] app_id` | ZEGO app id (a non-zero integer) |
//! | `ZEGO_SERVER_SECRET` | `[zego] server_secret` | the 32-character ServerSecret |
//! | `ZEGO_SERVER_SECRET_FILE` | `[zego] server_secret_file` | a file holding it (preferred) |
//! | `ZEGO_TOKEN_MODE` | `[zego] mode` | `gcm` (default) or `cbc` (legacy) |
//! | `AGORA_APP_ID` | `[agora] app_id` | Agora app id (32 hex characters) |
//! | `AGORA_APP_CERTIFICATE` | `[agora] app_certificate` | the 32-hex-character app certificate |
//! | `AGORA_APP_CERTIFICATE_FILE` | `[agora] app_certificate_file` | a file holding it (preferred) |
//! | `AGORA_TOKEN_VERSION` | `[agora] version` | `007` (default) or `006` |
//!
//! A vendor is configured when any of its settings is present; then its app id
//! and exactly one of the secret and the secret file are required. Relative
//! file paths in a TOML file are read from the file's directory. A missing or
//! malformed setting is reported by name; the secret's value never appears in
//! an error. Secrets are never taken from a command-line value.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::{
    AgoraProvider, AgoraVersion, DEFAULT_RENEW_BEFORE_SECS, Error, Providers, Vendor, ZegoProvider,
};

/// Configured providers, as read from the environment or a TOML file.
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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    default_vendor: Option<String>,
    renew_before_secs: Option<u32>,
    zego: Option<RawZego>,
    agora: Option<RawAgora>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawZego {
    app_id: Option<u64>,
    server_secret: Option<String>,
    server_secret_file: Option<PathBuf>,
    mode: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAgora {
    app_id: Option<String>,
    app_certificate: Option<String>,
    app_certificate_file: Option<PathBuf>,
    version: Option<String>,
}

/// The names a source gives the settings of one vendor, for error messages:
/// app id, secret, secret file, mode/version.
type Names = [&'static str; 4];

const ZEGO_ENV: Names = [
    "ZEGO_APP_ID",
    "ZEGO_SERVER_SECRET",
    "ZEGO_SERVER_SECRET_FILE",
    "ZEGO_TOKEN_MODE",
];
const ZEGO_TOML: Names = [
    "zego.app_id",
    "zego.server_secret",
    "zego.server_secret_file",
    "zego.mode",
];
const AGORA_ENV: Names = [
    "AGORA_APP_ID",
    "AGORA_APP_CERTIFICATE",
    "AGORA_APP_CERTIFICATE_FILE",
    "AGORA_TOKEN_VERSION",
];
const AGORA_TOML: Names = [
    "agora.app_id",
    "agora.app_certificate",
    "agora.app_certificate_file",
    "agora.version",
];

impl RawZego {
    fn provider(
        self,
        names: Names,
        base_dir: Option<&Path>,
        renew_before: u32,
    ) -> Result<ZegoProvider, Error> {
        let [app_name, secret_name, file_name, mode_name] = names;
        let app_id = self
            .app_id
            .ok_or_else(|| Error::config(app_name, "is required"))?;
        let app_id = u32::try_from(app_id)
            .ok()
            .and_then(|id| zego_token04::AppId::new(id).ok())
            .ok_or_else(|| Error::config(app_name, "must be a non-zero 32-bit integer"))?;
        let secret = secret(
            (secret_name, self.server_secret.map(Zeroizing::new)),
            (file_name, self.server_secret_file),
            base_dir,
        )?;
        let secret = zego_token04::ServerSecret::new(&secret)
            .map_err(|_| Error::config(secret_name, "must be exactly 32 bytes"))?;
        let mode = match self.mode {
            Some(m) => m
                .trim()
                .parse()
                .map_err(|_| Error::config(mode_name, "must be gcm or cbc"))?,
            None => zego_token04::Mode::Gcm,
        };
        Ok(ZegoProvider::new(app_id, secret)
            .with_mode(mode)
            .with_renew_before(renew_before))
    }
}

impl RawAgora {
    fn provider(
        self,
        names: Names,
        base_dir: Option<&Path>,
        renew_before: u32,
    ) -> Result<AgoraProvider, Error> {
        let [app_name, cert_name, file_name, version_name] = names;
        let app_id = self
            .app_id
            .ok_or_else(|| Error::config(app_name, "is required"))?;
        let app_id = agora_dynamic_key::AppId::new(app_id.trim())
            .map_err(|_| Error::config(app_name, "must be 32 hex characters"))?;
        let cert = secret(
            (cert_name, self.app_certificate.map(Zeroizing::new)),
            (file_name, self.app_certificate_file),
            base_dir,
        )?;
        let cert = agora_dynamic_key::AppCertificate::new(&cert)
            .map_err(|_| Error::config(cert_name, "must be 32 hex characters"))?;
        let version: AgoraVersion = match self.version {
            Some(v) => v
                .parse()
                .map_err(|_| Error::config(version_name, "must be 006 or 007"))?,
            None => AgoraVersion::V007,
        };
        Ok(AgoraProvider::new(app_id, cert)
            .with_version(version)
            .with_renew_before(renew_before))
    }
}

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (an environment stand-in: tests, or a
    /// server that accepts other variable names).
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let any = |names: Names| names[..3].iter().any(|n| get(n).is_some());
        let zego = if any(ZEGO_ENV) {
            let app_id = match get(ZEGO_ENV[0]) {
                Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                    Error::config(ZEGO_ENV[0], "must be a non-zero 32-bit integer")
                })?),
                None => None,
            };
            Some(RawZego {
                app_id,
                server_secret: get(ZEGO_ENV[1]),
                server_secret_file: get(ZEGO_ENV[2]).map(PathBuf::from),
                mode: get(ZEGO_ENV[3]),
            })
        } else {
            None
        };
        let agora = any(AGORA_ENV).then(|| RawAgora {
            app_id: get(AGORA_ENV[0]),
            app_certificate: get(AGORA_ENV[1]),
            app_certificate_file: get(AGORA_ENV[2]).map(PathBuf::from),
            version: get(AGORA_ENV[3]),
        });
        let renew_before_secs =
            match get("RTC_RENEW_BEFORE_SECS") {
                Some(v) => Some(v.trim().parse().map_err(|_| {
                    Error::config("RTC_RENEW_BEFORE_SECS", "must be a whole number")
                })?),
                None => None,
            };
        let raw = RawFile {
            default_vendor: get("RTC_VENDOR"),
            renew_before_secs,
            zego,
            agora,
        };
        Self::from_raw(raw, None, [ZEGO_ENV, AGORA_ENV], "RTC_VENDOR")
    }

    /// Reads a TOML file. Relative secret-file paths are read from its directory.
    ///
    /// # Errors
    ///
    /// `invalid_input` when the file cannot be read, or naming the missing or
    /// malformed setting.
    pub fn from_toml_file(path: &Path) -> Result<Self, Error> {
        let text = fs::read_to_string(path)
            .map_err(|e| Error::config(&path.display().to_string(), format!("cannot read: {e}")))?;
        Self::from_toml_str(&text, path.parent())
    }

    /// Reads TOML text; relative secret-file paths are resolved against `base_dir`.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the missing or malformed setting.
    pub fn from_toml_str(text: &str, base_dir: Option<&Path>) -> Result<Self, Error> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            // toml's message quotes the offending line, which could hold a secret:
            // keep only the description of what is wrong.
            let what = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid toml")
                .to_owned();
            Error::config("config file", what)
        })?;
        Self::from_raw(raw, base_dir, [ZEGO_TOML, AGORA_TOML], "default_vendor")
    }

    fn from_raw(
        raw: RawFile,
        base_dir: Option<&Path>,
        [zego_names, agora_names]: [Names; 2],
        vendor_setting: &str,
    ) -> Result<Self, Error> {
        let renew_before_secs = raw.renew_before_secs.unwrap_or(DEFAULT_RENEW_BEFORE_SECS);
        let zego = match raw.zego {
            Some(z) => Some(z.provider(zego_names, base_dir, renew_before_secs)?),
            None => None,
        };
        let agora = match raw.agora {
            Some(a) => Some(a.provider(agora_names, base_dir, renew_before_secs)?),
            None => None,
        };
        let default_vendor = match raw.default_vendor {
            Some(v) => Some(
                v.parse()
                    .map_err(|_| Error::config(vendor_setting, "must be zego or agora"))?,
            ),
            None => None,
        };
        Self {
            default_vendor,
            renew_before_secs,
            zego,
            agora,
        }
        .checked(vendor_setting)
    }

    fn checked(self, vendor_setting: &str) -> Result<Self, Error> {
        if let Some(v) = self.default_vendor {
            let configured = match v {
                Vendor::Zego => self.zego.is_some(),
                Vendor::Agora => self.agora.is_some(),
            };
            if !configured {
                return Err(Error::config(
                    vendor_setting,
                    format!("names {v}, but {v} is not configured"),
                ));
            }
        }
        Ok(self)
    }

    /// Whether no vendor is configured.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.zego.is_none() && self.agora.is_none()
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
        match self.default_vendor {
            Some(v) => providers.with_default_vendor(v),
            None => providers,
        }
    }
}

/// Exactly one of a secret's value and its file; the file's content is trimmed.
fn secret(
    (value_name, value): (&str, Option<Zeroizing<String>>),
    (file_name, file): (&str, Option<PathBuf>),
    base_dir: Option<&Path>,
) -> Result<Zeroizing<String>, Error> {
    match (value, file) {
        (Some(_), Some(_)) => Err(Error::config(
            value_name,
            format!("set either it or {file_name}, not both"),
        )),
        (Some(v), None) => Ok(Zeroizing::new(v.trim().to_owned())),
        (None, Some(path)) => {
            let path = match base_dir {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path,
            };
            let text = Zeroizing::new(fs::read_to_string(&path).map_err(|e| {
                Error::config(
                    file_name,
                    format!("cannot read {}: {}", path.display(), e.kind()),
                )
            })?);
            Ok(Zeroizing::new(text.trim().to_owned()))
        }
        (None, None) => Err(Error::config(
            value_name,
            format!("is required (or {file_name})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::{
        DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID, DEMO_ZEGO_SERVER_SECRET, ErrorKind,
    };

    fn env(pairs: &[(&str, &str)]) -> Result<Config, Error> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn empty_environment_configures_nothing() {
        let c = env(&[]).unwrap();
        assert!(c.is_empty());
        assert_eq!(c.renew_before_secs, DEFAULT_RENEW_BEFORE_SECS);
    }

    #[test]
    fn both_vendors_from_environment() {
        let c = env(&[
            ("RTC_VENDOR", "agora"),
            ("ZEGO_APP_ID", "42"),
            ("ZEGO_SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
            ("ZEGO_TOKEN_MODE", "cbc"),
            ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
            ("AGORA_TOKEN_VERSION", "006"),
            ("RTC_RENEW_BEFORE_SECS", "60"),
        ])
        .unwrap();
        assert_eq!(c.default_vendor, Some(Vendor::Agora));
        assert_eq!(c.zego.as_ref().unwrap().mode(), zego_token04::Mode::Cbc);
        assert_eq!(c.agora.as_ref().unwrap().version(), AgoraVersion::V006);
        assert_eq!(c.providers().vendors(), vec![Vendor::Zego, Vendor::Agora]);
    }

    #[test]
    fn errors_name_the_setting_and_hide_the_secret() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("ZEGO_APP_ID", "42")], "ZEGO_SERVER_SECRET"),
            (
                &[("ZEGO_SERVER_SECRET", "supersecretvalue-supersecretval")],
                "ZEGO_APP_ID",
            ),
            (
                &[
                    ("ZEGO_APP_ID", "0"),
                    ("ZEGO_SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
                ],
                "ZEGO_APP_ID",
            ),
            (
                &[
                    ("ZEGO_APP_ID", "1"),
                    ("ZEGO_SERVER_SECRET", "short-secret-value"),
                ],
                "ZEGO_SERVER_SECRET",
            ),
            (
                &[
                    ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                    ("AGORA_APP_CERTIFICATE", "not-hex-certificate-value-00000"),
                ],
                "AGORA_APP_CERTIFICATE",
            ),
            (
                &[
                    ("AGORA_APP_ID", "nothex"),
                    ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
                ],
                "AGORA_APP_ID",
            ),
            (&[("RTC_VENDOR", "zego")], "RTC_VENDOR"),
            (&[("RTC_VENDOR", "skype")], "RTC_VENDOR"),
            (
                &[
                    ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                    ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
                    ("AGORA_APP_CERTIFICATE_FILE", "/x"),
                ],
                "AGORA_APP_CERTIFICATE",
            ),
            (
                &[
                    ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                    ("AGORA_APP_CERTIFICATE_FILE", "/nonexistent/cert"),
                ],
                "AGORA_APP_CERTIFICATE_FILE",
            ),
        ];
        for (pairs, name) in cases {
            let err = env(pairs).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput);
            let msg = err.to_string();
            assert!(msg.contains(name), "{msg} should name {name}");
            for (_, value) in *pairs {
                if value.len() >= 16 && value.contains("secret") {
                    assert!(!msg.contains(value), "{msg} leaks a secret");
                }
            }
        }
    }

    #[test]
    fn toml_with_secret_files() {
        let dir = std::env::temp_dir().join(format!("rtc-tokens-config-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("zego.secret"),
            format!("{DEMO_ZEGO_SERVER_SECRET}\n"),
        )
        .unwrap();
        fs::write(dir.join("agora.cert"), DEMO_AGORA_APP_CERTIFICATE).unwrap();
        let text = format!(
            "default_vendor = \"zego\"\nrenew_before_secs = 10\n[zego]\napp_id = 7\nserver_secret_file = \"zego.secret\"\n[agora]\napp_id = \"{DEMO_AGORA_APP_ID}\"\napp_certificate_file = \"agora.cert\"\nversion = \"007\"\n"
        );
        let c = Config::from_toml_str(&text, Some(&dir)).unwrap();
        assert_eq!(c.default_vendor, Some(Vendor::Zego));
        assert_eq!(c.renew_before_secs, 10);
        assert!(c.zego.is_some() && c.agora.is_some());
        let err = Config::from_toml_str("[zego]\napp_id = 7\nbogus = 1\n", None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let err = Config::from_toml_str("[agora]\napp_certificate = \"x\"\n", None).unwrap_err();
        assert!(err.to_string().contains("agora.app_id"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
