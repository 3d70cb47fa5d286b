//! Settings as data: a TOML key, environment names with aliases, a kind.

/// What kind of value a setting holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (numbers, names, lists): never secret.
    Text,
    /// A file path; relative paths in a TOML file are read from its directory.
    Path,
    /// A secret: given as a value or, preferably, as a file holding it (the
    /// TOML key `<key>_file`, the variables `<NAME>_FILE`). Never from a
    /// command-line value. A layer giving both forms is an error.
    Secret,
    /// Like [`Secret`](Self::Secret), but both forms may be given and are
    /// kept: each form is layered on its own (API keys from a variable plus a
    /// file of keys).
    SecretCombined,
}

/// One environment variable name of a setting, optionally conditional.
///
/// A conditional name (a sample server's generic `APP_ID`) applies only
/// when one of `when_any` is set and none of `unless_any` is.
#[derive(Clone, Copy, Debug)]
pub struct EnvName {
    /// The variable.
    pub name: &'static str,
    /// It applies only when one of these variables is set (empty: always).
    pub when_any: &'static [&'static str],
    /// It does not apply when one of these variables is set.
    pub unless_any: &'static [&'static str],
}

impl EnvName {
    /// A name that always applies.
    #[must_use]
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            when_any: &[],
            unless_any: &[],
        }
    }

    /// A name that applies only when one of `when_any` is set and none of `unless_any`.
    #[must_use]
    pub const fn conditional(
        name: &'static str,
        when_any: &'static [&'static str],
        unless_any: &'static [&'static str],
    ) -> Self {
        Self {
            name,
            when_any,
            unless_any,
        }
    }

    pub(super) const fn is_conditional(&self) -> bool {
        !self.when_any.is_empty() || !self.unless_any.is_empty()
    }
}

/// One setting, described as data.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// Its TOML key, dotted for a table: `agora.app_id`, `server.bind`.
    pub key: &'static str,
    /// Its environment names, canonical first, then aliases.
    pub env: &'static [EnvName],
    /// What it holds.
    pub kind: Kind,
    /// What a valid value looks like, for error messages: `a whole number`.
    pub expect: &'static str,
}

impl Setting {
    /// The canonical environment name, else the TOML key.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.env.first().map_or(self.key, |e| e.name)
    }

    pub(super) const fn is_secret(&self) -> bool {
        matches!(self.kind, Kind::Secret | Kind::SecretCombined)
    }
}

/// Which source a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// A default given to [`Sources::with_default`](super::Sources::with_default).
    Default,
    /// The TOML file.
    File,
    /// The environment.
    Env,
    /// A command-line flag.
    Flag,
}

/// Where a value came from: its layer and the name it had there (flag,
/// variable or TOML key), which is what error messages name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The source.
    pub layer: Layer,
    /// The flag, variable or TOML key.
    pub name: String,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}
