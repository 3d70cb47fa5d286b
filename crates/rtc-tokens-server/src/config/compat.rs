//! Compatibility settings: which original server's observable behaviour the
//! drop-in routes reproduce (`--compat`, `COMPAT_PROFILE`, `[server] compat`),
//! and the Agora credentials the routes that build multi-service 007 tokens
//! sign with.
//!
//! The default profile is `strict`. A profile changes how the drop-in routes
//! read their input and shape their answers; it never changes
//! authentication, rate limits or CORS, which stay as configured.

use std::fmt;
use std::str::FromStr;

use anyhow::Result;
use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId};
use rtc_tokens::config::{EnvName, Kind, Setting, Values};
use rtc_tokens::{DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID};

/// The compatibility settings, as data.
pub const COMPAT_SETTINGS: &[Setting] = &[Setting {
    key: "server.compat",
    env: &[EnvName::new("COMPAT_PROFILE")],
    kind: Kind::Text,
    expect: "strict or agora-token-service",
}];

/// How the drop-in routes behave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// This server's own rules: unknown roles, empty uids and `expiry=0` are
    /// 400s, errors are `{"error","message"}`, `Cache-Control: no-store`.
    #[default]
    Strict,
    /// AgoraIO-Community/agora-token-service as observed: exact `publisher`
    /// is a publisher and anything else a subscriber, an empty uid is uid 0,
    /// `expiry=0` is accepted, RTM tokens for a channel carry its stream
    /// channel, the original's error bodies and cache headers.
    AgoraTokenService,
}

impl Profile {
    /// The profile's name, as configured.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::AgoraTokenService => "agora-token-service",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strict" | "default" | "none" => Ok(Self::Strict),
            "agora-token-service" | "agora_token_service" => Ok(Self::AgoraTokenService),
            _ => Err(()),
        }
    }
}

/// The Agora app id and certificate, for the 007 tokens a neutral request
/// cannot express (several services in one token, an RTM token with a
/// stream channel). `Debug` shows the app id only; the certificate is
/// zeroized on drop.
#[derive(Clone)]
pub struct AgoraKeys {
    /// The app id.
    pub app_id: AppId,
    /// The app certificate.
    pub certificate: AppCertificate,
}

impl fmt::Debug for AgoraKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgoraKeys")
            .field("app_id", &self.app_id.as_str())
            .field("certificate", &"<redacted>")
            .finish()
    }
}

impl AgoraKeys {
    /// The facade's publicly known demo credentials.
    #[must_use]
    pub fn demo() -> Option<Self> {
        Some(Self {
            app_id: AppId::new(DEMO_AGORA_APP_ID).ok()?,
            certificate: AppCertificate::new(DEMO_AGORA_APP_CERTIFICATE).ok()?,
        })
    }

    /// The configured Agora credentials, if any (malformed ones were already
    /// reported by the facade's loader).
    pub(crate) fn from_values(values: &Values) -> Option<Self> {
        let app_id = values
            .parse("agora.app_id", |s| AppId::new(s).ok())
            .ok()
            .flatten()?;
        let secret = values.secret("agora.app_certificate").ok().flatten()?;
        let certificate = AppCertificate::new(secret.expose()).ok()?;
        Some(Self {
            app_id,
            certificate,
        })
    }
}

/// The profile: the `--compat` flag (already a source in `values`), the
/// environment or the file.
pub(crate) fn profile(values: &Values) -> Result<Profile> {
    Ok(values
        .parse("server.compat", |s| s.parse::<Profile>().ok())?
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print() {
        for p in [Profile::Strict, Profile::AgoraTokenService] {
            assert_eq!(p.as_str().parse::<Profile>(), Ok(p));
        }
        assert_eq!(
            "AGORA-TOKEN-SERVICE".parse(),
            Ok(Profile::AgoraTokenService)
        );
        assert!("agora".parse::<Profile>().is_err());
        let keys = AgoraKeys::demo().unwrap();
        assert!(!format!("{keys:?}").contains(DEMO_AGORA_APP_CERTIFICATE));
    }
}
