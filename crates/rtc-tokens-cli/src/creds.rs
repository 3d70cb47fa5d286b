//! Vendor credentials through the facade's configuration loader
//! ([`rtc_tokens::config`]): `--app-id`, `--secret-file` and the token
//! format (`--mode`, `--token-version`) are the flag layer over the
//! environment (with the same names and aliases as the server), so the CLI
//! parses no credential itself and the loader's precedence (flag, then
//! environment, then default) holds for every setting it knows. A secret is never taken
//! from a command-line value: [`secret_flag_in`] explains that before clap
//! runs.
//!
//! Error messages name the flag, variable or file a bad value came from and
//! never contain the value itself. Loader warnings (a secret file readable by
//! others) go to stderr.

use std::ffi::OsString;
use std::path::Path;

use anyhow::anyhow;
use rtc_tokens::config::{self, Need, Setting, Sources, Values};
use rtc_tokens::{AgoraProvider, TencentProvider, Vendor, ZegoProvider};

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
    "--key",
    "--secret-key",
    "--tencent-secret-key",
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

/// The command-line layer for one vendor: `--app-id`, `--secret-file` and
/// the token format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags<'a> {
    /// `--app-id`.
    pub app_id: Option<&'a str>,
    /// `--secret-file` (or `--certificate-file`).
    pub secret_file: Option<&'a Path>,
    /// The token format's name: ZEGO's `--mode`, Agora's `--token-version`
    /// (Tencent has none).
    pub format: Option<&'static str>,
}

/// One vendor's keys in the loader's tables.
struct VendorKeys {
    vendor: Vendor,
    settings: &'static [Setting],
    app_id: &'static str,
    secret: &'static str,
    /// The token format setting, and the flag that gives it.
    format: Option<(&'static str, &'static str)>,
}

const ZEGO: VendorKeys = VendorKeys {
    vendor: Vendor::Zego,
    settings: config::ZEGO_SETTINGS,
    app_id: "zego.app_id",
    secret: "zego.server_secret",
    format: Some(("zego.mode", "--mode")),
};

const AGORA: VendorKeys = VendorKeys {
    vendor: Vendor::Agora,
    settings: config::AGORA_SETTINGS,
    app_id: "agora.app_id",
    secret: "agora.app_certificate",
    format: Some(("agora.version", "--token-version")),
};

const TENCENT: VendorKeys = VendorKeys {
    vendor: Vendor::Tencent,
    settings: config::TENCENT_SETTINGS,
    app_id: "tencent.sdk_app_id",
    secret: "tencent.secret_key",
    format: None,
};

/// Loads one vendor's settings from `flags` over the process environment
/// (only that vendor's: a broken setting of the other does not get in the way),
/// printing the loader's warnings to stderr.
fn load(
    vendor: &VendorKeys,
    flags: Flags<'_>,
    default_app_id: Option<&str>,
) -> anyhow::Result<Values> {
    let mut sources = Sources::new().with_process_env();
    if let Some(id) = flags.app_id {
        sources = sources.with_flag(vendor.app_id, "--app-id", id);
    }
    if let Some(path) = flags.secret_file {
        sources = sources.with_flag_file(vendor.secret, "--secret-file", path);
    }
    if let (Some(format), Some((key, flag))) = (flags.format, vendor.format) {
        sources = sources.with_flag(key, flag, format);
    }
    if let Some(id) = default_app_id {
        sources = sources.with_default(vendor.app_id, id);
    }
    let values = Values::load(&[vendor.settings], &sources)?;
    for warning in values.warnings() {
        eprintln!("warning: {warning}");
    }
    Ok(values)
}

/// The error for a missing secret, naming every way to give it.
fn missing_secret(values: &Values, key: &str) -> anyhow::Error {
    let name = values.name(key);
    anyhow!("{name} is required: set it or {name}_FILE, or pass --secret-file (never a flag value)")
}

/// Checks that the app id and secret needed to build are there: with
/// neither, the facade's [`config::not_configured`] and a pointer to `demo`;
/// with an app id alone, [`missing_secret`].
fn check_build_creds(vendor: &VendorKeys, values: &Values) -> anyhow::Result<()> {
    match (values.is_set(vendor.app_id), values.is_set(vendor.secret)) {
        (false, false) => Err(anyhow!(
            "{}; `rtc-tokens demo` shows tokens on built-in demo credentials",
            config::not_configured(vendor.vendor)
        )),
        (true, false) => Err(missing_secret(values, vendor.secret)),
        _ => Ok(()),
    }
}

/// The ZEGO provider for building: app id and secret required.
///
/// # Errors
///
/// Missing or invalid app id or secret, named by flag or variable.
pub fn zego(flags: Flags<'_>) -> anyhow::Result<ZegoProvider> {
    let values = load(&ZEGO, flags, None)?;
    check_build_creds(&ZEGO, &values)?;
    Ok(config::zego(&values, Need::Required)?
        .ok_or_else(|| config::not_configured(Vendor::Zego))?)
}

/// The Agora provider for building: app id and certificate required.
///
/// # Errors
///
/// Missing or invalid app id or certificate, named by flag or variable.
pub fn agora(flags: Flags<'_>) -> anyhow::Result<AgoraProvider> {
    let values = load(&AGORA, flags, None)?;
    check_build_creds(&AGORA, &values)?;
    Ok(config::agora(&values, Need::Required)?
        .ok_or_else(|| config::not_configured(Vendor::Agora))?)
}

/// The Tencent provider for building: SDKAppID and secret key required.
///
/// # Errors
///
/// Missing or invalid SDKAppID or key, named by flag or variable.
pub fn tencent(flags: Flags<'_>) -> anyhow::Result<TencentProvider> {
    let values = load(&TENCENT, flags, None)?;
    check_build_creds(&TENCENT, &values)?;
    Ok(config::tencent(&values, Need::Required)?
        .ok_or_else(|| config::not_configured(Vendor::Tencent))?)
}

/// The Tencent provider for verifying, when a secret key is configured. The
/// SDKAppID is the configured one when set (a token for another is then
/// rejected), else the token's own stands in.
///
/// # Errors
///
/// An invalid key or SDKAppID, named by flag or variable.
pub fn tencent_for_parse(
    secret_file: Option<&Path>,
    token_app_id: Option<&str>,
) -> anyhow::Result<Option<TencentProvider>> {
    let flags = Flags {
        app_id: None,
        secret_file,
        format: None,
    };
    let values = load(&TENCENT, flags, token_app_id)?;
    if !values.is_set(TENCENT.secret) {
        return Ok(None);
    }
    Ok(config::tencent(&values, Need::Required)?)
}

/// The ZEGO provider for verifying, when a secret is configured. The app id
/// is not needed to decrypt: the demo one stands in when none is set.
///
/// # Errors
///
/// An invalid secret or app id, named by flag or variable.
pub fn zego_for_parse(secret_file: Option<&Path>) -> anyhow::Result<Option<ZegoProvider>> {
    let demo_id = rtc_tokens::DEMO_ZEGO_APP_ID.to_string();
    let flags = Flags {
        app_id: None,
        secret_file,
        format: None,
    };
    let values = load(&ZEGO, flags, Some(&demo_id))?;
    if !values.is_set(ZEGO.secret) {
        return Ok(None);
    }
    Ok(config::zego(&values, Need::Required)?)
}

/// The Agora provider for verifying, when a certificate is configured. The
/// app id is not needed to verify: the demo one stands in (the caller
/// compares the token's app id with [`configured_app_id`] and warns).
///
/// # Errors
///
/// An invalid certificate, named by flag or variable.
pub fn agora_for_parse(secret_file: Option<&Path>) -> anyhow::Result<Option<AgoraProvider>> {
    let flags = Flags {
        app_id: Some(rtc_tokens::DEMO_AGORA_APP_ID),
        secret_file,
        format: None,
    };
    let values = load(&AGORA, flags, None)?;
    if !values.is_set(AGORA.secret) {
        return Ok(None);
    }
    Ok(config::agora(&values, Need::Required)?)
}

/// An app id set in the environment, and the variable that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfiguredAppId {
    /// The variable, as the loader resolved it (`ZEGO_APP_ID`, an alias such
    /// as `ZEGOCLOUD_APP_ID`, or the sample servers' bare `APP_ID`).
    pub name: String,
    /// Its value (an app id is not a secret).
    pub value: String,
}

/// The app id configured for `vendor` in the environment, found by the
/// facade's loader with all its names and aliases: what `parse` compares a
/// token's app id with. Only the app id setting is loaded (no secret is read,
/// no warning printed twice); a value the loader refuses counts as none,
/// since this only feeds a warning.
#[must_use]
pub fn configured_app_id(vendor: Vendor) -> Option<ConfiguredAppId> {
    let keys = match vendor {
        Vendor::Zego => &ZEGO,
        Vendor::Agora => &AGORA,
        Vendor::Tencent => &TENCENT,
    };
    let table: Vec<Setting> = keys
        .settings
        .iter()
        .filter(|s| s.key == keys.app_id)
        .copied()
        .collect();
    let values = Values::load(&[&table], &Sources::new().with_process_env()).ok()?;
    if !values.is_set(keys.app_id) {
        return None;
    }
    let value = values.text(keys.app_id).filter(|v| !v.is_empty())?;
    Some(ConfiguredAppId {
        name: values.name(keys.app_id),
        value: value.to_owned(),
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
