//! Secrets in zeroizing buffers, secret files, and loading warnings.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

use super::Origin;
use crate::Error;

/// A secret read from a variable, a file or a TOML file: kept in a zeroizing
/// buffer, never printed (`Debug` is redacted; there is no `Display`).
pub struct Secret {
    pub(super) value: Zeroizing<String>,
    pub(super) origin: Origin,
}

impl Secret {
    /// The secret, trimmed of surrounding whitespace.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Where it came from.
    #[must_use]
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted> from {})", self.origin)
    }
}

/// Something worth telling the operator that does not stop loading. The
/// caller prints or logs it; it never holds a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// A secret file may be read by other users (`mode & 0o077 != 0`).
    SecretFileReadable {
        /// The setting that named the file.
        setting: String,
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// An alias is set but another name of the same setting wins.
    AliasIgnored {
        /// The alias.
        alias: String,
        /// The name that was used.
        used: String,
    },
    /// A conditional alias is set but its condition does not hold.
    AliasUnused {
        /// The alias.
        alias: String,
        /// The variables it needs one of.
        needs_one_of: Vec<&'static str>,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SecretFileReadable {
                setting,
                path,
                mode,
            } => write!(
                f,
                "{setting}: {} is accessible by other users (mode {:o}); run chmod 600 on it",
                path.display(),
                mode & 0o777
            ),
            Self::AliasIgnored { alias, used } => {
                write!(f, "{alias} is ignored: {used} is set")
            }
            Self::AliasUnused {
                alias,
                needs_one_of,
            } => write!(
                f,
                "{alias} is ignored: it applies only with one of {}",
                needs_one_of.join(", ")
            ),
        }
    }
}

/// Reads a file holding a secret into a zeroizing buffer, trimmed.
///
/// # Errors
///
/// `invalid_input` naming `setting` and the path (never the content) when the
/// file cannot be read or is not UTF-8.
pub fn read_secret(
    path: &Path,
    setting: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Zeroizing<String>, Error> {
    let bytes = read_file(path, setting)?;
    check_permissions(path, setting, warnings);
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|e| {
            let mut b = e.into_bytes();
            b.zeroize();
            Error::config(setting, format!("{} is not utf-8 text", path.display()))
        })
        .map(Zeroizing::new)?;
    Ok(Zeroizing::new(text.trim().to_owned()))
}

pub(super) fn read_file(path: &Path, setting: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    fs::read(path).map(Zeroizing::new).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
            other => other.to_string(),
        };
        Error::config(setting, format!("cannot read {}: {why}", path.display()))
    })
}

#[cfg(unix)]
fn check_permissions(path: &Path, setting: &str, warnings: &mut Vec<Warning>) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            warnings.push(Warning::SecretFileReadable {
                setting: setting.to_owned(),
                path: path.to_owned(),
                mode,
            });
        }
    }
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _setting: &str, _warnings: &mut Vec<Warning>) {}
