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
    /// A secret file may be read or written by someone other than this
    /// process's user and groups: every user may (`mode & 0o006 != 0`), or
    /// its group may (`mode & 0o060 != 0`) and that group is none of the
    /// process's (real, effective or supplementary). A group the process is
    /// in is its own: Kubernetes mounts a Secret `root:<fsGroup>` `0440` and
    /// runs the process in `fsGroup`, which does not warn.
    SecretFileReadable {
        /// The setting that named the file.
        setting: String,
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// Its group id.
        gid: u32,
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
                gid,
            } => {
                if mode & WORLD_RW != 0 {
                    write!(
                        f,
                        "{setting}: {} can be read or written by every user (mode {:o}); \
                         run chmod 600 on it",
                        path.display(),
                        mode & 0o777
                    )
                } else {
                    write!(
                        f,
                        "{setting}: {} can be read or written by group {gid}, which this \
                         process is not in (mode {:o}); run chmod 600 on it, or give it one \
                         of the server's groups",
                        path.display(),
                        mode & 0o777
                    )
                }
            }
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

/// Read or write permission for every user.
const WORLD_RW: u32 = 0o006;
/// Read or write permission for the file's group.
#[cfg(unix)]
const GROUP_RW: u32 = 0o060;

/// Whether a secret file with permission bits `mode` and group `gid` is open
/// to someone outside the process's user and groups (`own_group`): any read
/// or write bit for every user, or one for a group the process is not in.
/// Execute bits give no access to the content and are not counted.
#[cfg(unix)]
fn exposed(mode: u32, gid: u32, own_group: impl Fn(u32) -> bool) -> bool {
    mode & WORLD_RW != 0 || (mode & GROUP_RW != 0 && !own_group(gid))
}

/// Whether `gid` is the process's real or effective group, or one of its
/// supplementary groups.
#[cfg(unix)]
fn is_own_group(gid: u32) -> bool {
    use rustix::process::{getegid, getgid, getgroups};
    getgid().as_raw() == gid
        || getegid().as_raw() == gid
        || getgroups().is_ok_and(|groups| groups.iter().any(|g| g.as_raw() == gid))
}

#[cfg(unix)]
fn check_permissions(path: &Path, setting: &str, warnings: &mut Vec<Warning>) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(meta) = fs::metadata(path) {
        let (mode, gid) = (meta.mode(), meta.gid());
        if exposed(mode, gid, is_own_group) {
            warnings.push(Warning::SecretFileReadable {
                setting: setting.to_owned(),
                path: path.to_owned(),
                mode,
                gid,
            });
        }
    }
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _setting: &str, _warnings: &mut Vec<Warning>) {}

#[cfg(test)]
mod tests {
    use super::*;

    const MINE: u32 = 10001;
    const FOREIGN: u32 = 2000;

    fn mine(gid: u32) -> bool {
        gid == MINE
    }

    #[cfg(unix)]
    #[test]
    fn owner_only_never_warns() {
        for mode in [0o400, 0o600, 0o700, 0o100_600] {
            assert!(!exposed(mode, FOREIGN, mine), "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn world_read_or_write_always_warns() {
        for mode in [0o604, 0o602, 0o644, 0o444, 0o666, 0o100_644] {
            assert!(exposed(mode, MINE, mine), "{mode:o}");
            assert!(exposed(mode, FOREIGN, mine), "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn group_access_warns_only_for_a_foreign_group() {
        // Kubernetes: a Secret with defaultMode 0400 and an fsGroup ends up
        // root:<fsGroup> 0440, and the process runs in fsGroup.
        for mode in [0o440, 0o640, 0o620, 0o660] {
            assert!(!exposed(mode, MINE, mine), "{mode:o}");
            assert!(exposed(mode, FOREIGN, mine), "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn execute_bits_alone_do_not_warn() {
        assert!(!exposed(0o711, FOREIGN, mine));
    }

    #[cfg(unix)]
    #[test]
    fn the_process_own_groups_are_its_own() {
        assert!(is_own_group(rustix::process::getegid().as_raw()));
        assert!(is_own_group(rustix::process::getgid().as_raw()));
    }

    #[test]
    fn the_warning_says_who_can_read_and_never_the_secret() {
        let world = Warning::SecretFileReadable {
            setting: "API_KEYS_FILE".into(),
            path: "/run/secrets/api_keys".into(),
            mode: 0o100_644,
            gid: MINE,
        }
        .to_string();
        assert!(
            world.contains("API_KEYS_FILE") && world.contains("every user"),
            "{world}"
        );
        assert!(
            world.contains("mode 644") && world.contains("chmod 600"),
            "{world}"
        );
        let group = Warning::SecretFileReadable {
            setting: "API_KEYS_FILE".into(),
            path: "/run/secrets/api_keys".into(),
            mode: 0o100_440,
            gid: FOREIGN,
        }
        .to_string();
        assert!(
            group.contains("group 2000") && group.contains("mode 440"),
            "{group}"
        );
    }
}
