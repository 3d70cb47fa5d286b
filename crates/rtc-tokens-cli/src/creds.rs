//! App ids and secrets: app ids from flags or the environment, secrets only
//! from an environment variable or a file, never from a command-line value.
//!
//! Error messages name the variable or file a bad value came from and never
//! contain the value itself.

use std::ffi::OsString;
use std::fs;
use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use rtc_tokens::{agora_dynamic_key, zego_token04};

/// Where a vendor's secret may come from.
#[derive(Clone, Copy, Debug)]
pub struct SecretSource {
    /// What the secret is called in messages.
    pub what: &'static str,
    /// The variable holding the secret itself.
    pub value_var: &'static str,
    /// The variable holding the path of a file with the secret.
    pub file_var: &'static str,
}

/// The ZEGO ServerSecret.
pub const ZEGO_SECRET: SecretSource = SecretSource {
    what: "zego server secret",
    value_var: "ZEGO_SERVER_SECRET",
    file_var: "ZEGO_SERVER_SECRET_FILE",
};

/// The Agora app certificate.
pub const AGORA_CERTIFICATE: SecretSource = SecretSource {
    what: "agora app certificate",
    value_var: "AGORA_APP_CERTIFICATE",
    file_var: "AGORA_APP_CERTIFICATE_FILE",
};

/// Flags people might try for passing a secret on the command line. None of
/// them exists; they are caught before parsing to explain why.
const SECRET_FLAGS: &[&str] = &[
    "--secret",
    "--server-secret",
    "--zego-secret",
    "--zego-server-secret",
    "--cert",
    "--certificate",
    "--app-certificate",
    "--agora-certificate",
    "--agora-app-certificate",
];

/// The first command-line argument (before a bare `--`) that tries to pass a
/// secret as a flag value, as its flag name only (never the value).
pub fn secret_flag_in(args: &[OsString]) -> Option<String> {
    args.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .take_while(|a| *a != "--")
        .filter_map(|a| a.split('=').next())
        .find(|name| SECRET_FLAGS.contains(name))
        .map(str::to_owned)
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A secret and a label for where it came from (for messages).
pub struct Secret {
    /// The secret, trimmed.
    pub value: String,
    /// `ZEGO_SERVER_SECRET`, `the file in ZEGO_SERVER_SECRET_FILE` or `--secret-file`.
    pub origin: String,
}

fn read_file(path: &Path, origin: &str) -> anyhow::Result<String> {
    let text = fs::read_to_string(path)
        .map_err(|e| anyhow!("cannot read {origin} {}: {}", path.display(), e.kind()))?;
    Ok(text.trim().to_owned())
}

/// Reads a secret from `--secret-file` (when given), else from the value or
/// file variable. `Ok(None)` when none is set.
///
/// # Errors
///
/// Both variables set, or the file cannot be read.
pub fn read_secret(src: SecretSource, flag_file: Option<&Path>) -> anyhow::Result<Option<Secret>> {
    if let Some(path) = flag_file {
        let value = read_file(path, "--secret-file")?;
        return Ok(Some(Secret {
            value,
            origin: "the --secret-file".to_owned(),
        }));
    }
    match (env_value(src.value_var), env_value(src.file_var)) {
        (Some(_), Some(_)) => {
            bail!("set either {} or {}, not both", src.value_var, src.file_var)
        }
        (Some(v), None) => Ok(Some(Secret {
            value: v.trim().to_owned(),
            origin: src.value_var.to_owned(),
        })),
        (None, Some(path)) => {
            let value = read_file(Path::new(&path), src.file_var)?;
            Ok(Some(Secret {
                value,
                origin: format!("the file in {}", src.file_var),
            }))
        }
        (None, None) => Ok(None),
    }
}

/// A message for a missing secret, naming every way to provide it.
pub fn missing(src: SecretSource) -> anyhow::Error {
    anyhow!(
        "missing {}: set {} or {}, or pass --secret-file (never a flag value)",
        src.what,
        src.value_var,
        src.file_var
    )
}

/// The ZEGO ServerSecret, when one is configured.
///
/// # Errors
///
/// As [`read_secret`], or the secret is not exactly 32 bytes.
pub fn zego_secret(flag_file: Option<&Path>) -> anyhow::Result<Option<zego_token04::ServerSecret>> {
    let Some(secret) = read_secret(ZEGO_SECRET, flag_file)? else {
        return Ok(None);
    };
    let parsed = zego_token04::ServerSecret::new(&secret.value).map_err(|_| {
        anyhow!(
            "{} must be exactly 32 bytes (the ServerSecret from the ZEGO console), got {}",
            secret.origin,
            secret.value.len()
        )
    })?;
    Ok(Some(parsed))
}

/// The Agora app certificate, when one is configured.
///
/// # Errors
///
/// As [`read_secret`], or the certificate is not 32 hex characters.
pub fn agora_certificate(
    flag_file: Option<&Path>,
) -> anyhow::Result<Option<agora_dynamic_key::AppCertificate>> {
    let Some(secret) = read_secret(AGORA_CERTIFICATE, flag_file)? else {
        return Ok(None);
    };
    let parsed = agora_dynamic_key::AppCertificate::new(&secret.value).map_err(|_| {
        anyhow!(
            "{} must be 32 hex characters (the app certificate from the Agora console), got {} characters",
            secret.origin,
            secret.value.chars().count()
        )
    })?;
    Ok(Some(parsed))
}

/// The ZEGO app id from `--app-id` or `ZEGO_APP_ID` (clap merges the two).
///
/// # Errors
///
/// Missing, or not a non-zero 32-bit integer.
pub fn zego_app_id(value: Option<&str>) -> anyhow::Result<zego_token04::AppId> {
    let value =
        value.ok_or_else(|| anyhow!("missing zego app id: pass --app-id or set ZEGO_APP_ID"))?;
    value
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|id| zego_token04::AppId::new(id).ok())
        .context("the zego app id (--app-id or ZEGO_APP_ID) must be a non-zero 32-bit integer")
}

/// The Agora app id from `--app-id` or `AGORA_APP_ID` (clap merges the two).
///
/// # Errors
///
/// Missing, or not 32 hex characters.
pub fn agora_app_id(value: Option<&str>) -> anyhow::Result<agora_dynamic_key::AppId> {
    let value =
        value.ok_or_else(|| anyhow!("missing agora app id: pass --app-id or set AGORA_APP_ID"))?;
    agora_dynamic_key::AppId::new(value.trim()).map_err(|_| {
        anyhow!("the agora app id (--app-id or AGORA_APP_ID) must be 32 hex characters")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn secret_flags_are_caught_by_name_only() {
        let found = secret_flag_in(&args(&["rtc-tokens", "build", "zego", "--secret=abc"]));
        assert_eq!(found.as_deref(), Some("--secret"));
        let found = secret_flag_in(&args(&["rtc-tokens", "parse", "--app-certificate", "x"]));
        assert_eq!(found.as_deref(), Some("--app-certificate"));
        assert_eq!(
            secret_flag_in(&args(&["rtc-tokens", "--secret-file", "f"])),
            None
        );
        assert_eq!(
            secret_flag_in(&args(&["rtc-tokens", "parse", "--", "--secret"])),
            None
        );
    }
}
