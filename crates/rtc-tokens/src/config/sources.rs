//! The sources a loader reads: flags, an environment, a TOML file, defaults.

use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

pub(super) enum FlagForm {
    Value(String),
    File(PathBuf),
}

pub(super) struct Flag {
    pub(super) key: &'static str,
    pub(super) name: &'static str,
    pub(super) form: FlagForm,
}

type Lookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// The sources to read, highest precedence first: flags, the environment, a
/// TOML file, defaults. Each is optional.
#[derive(Default)]
pub struct Sources<'a> {
    pub(super) flags: Vec<Flag>,
    env: Option<Lookup<'a>>,
    pub(super) file: Option<PathBuf>,
    pub(super) text: Option<(Zeroizing<String>, Option<PathBuf>)>,
    pub(super) defaults: Vec<(&'static str, String)>,
}

impl fmt::Debug for Sources<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sources")
            .field(
                "flags",
                &self.flags.iter().map(|f| f.name).collect::<Vec<_>>(),
            )
            .field("env", &self.env.is_some())
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl<'a> Sources<'a> {
    /// No source at all.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the process environment.
    #[must_use]
    pub fn with_process_env(self) -> Self {
        self.with_env(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (a map in tests).
    #[must_use]
    pub fn with_env(mut self, lookup: impl Fn(&str) -> Option<String> + 'a) -> Self {
        self.env = Some(Box::new(lookup));
        self
    }

    /// Reads a TOML file.
    #[must_use]
    pub fn with_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// TOML text instead of a file (tests, embedding); relative paths in it
    /// are read from `base_dir`. The text is wiped when the sources drop.
    #[must_use]
    pub fn with_toml_text(mut self, text: &str, base_dir: Option<&Path>) -> Self {
        self.text = Some((
            Zeroizing::new(text.to_owned()),
            base_dir.map(Path::to_owned),
        ));
        self
    }

    /// A command-line value for setting `key`, given as flag `flag`. A
    /// secret setting refuses it when loading.
    #[must_use]
    pub fn with_flag(mut self, key: &'static str, flag: &'static str, value: &str) -> Self {
        self.flags.push(Flag {
            key,
            name: flag,
            form: FlagForm::Value(value.to_owned()),
        });
        self
    }

    /// A command-line file for secret setting `key` (`--secret-file`).
    #[must_use]
    pub fn with_flag_file(
        mut self,
        key: &'static str,
        flag: &'static str,
        path: impl Into<PathBuf>,
    ) -> Self {
        self.flags.push(Flag {
            key,
            name: flag,
            form: FlagForm::File(path.into()),
        });
        self
    }

    /// A default for `key`, below every other source.
    #[must_use]
    pub fn with_default(mut self, key: &'static str, value: &str) -> Self {
        self.defaults.push((key, value.to_owned()));
        self
    }

    pub(super) fn env(&self, name: &str) -> Option<String> {
        let lookup = self.env.as_ref()?;
        let mut value = lookup(name)?;
        if value.trim().is_empty() {
            value.zeroize();
            return None;
        }
        Some(value)
    }

    pub(super) fn env_is_set(&self, name: &str) -> bool {
        self.env(name).map(Zeroizing::new).is_some()
    }
}
