//! Per-setting layering of the sources into [`Values`].

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

use super::secret::{read_file, read_secret};
use super::sources::FlagForm;
use super::{EnvName, Kind, Layer, Origin, Secret, Setting, Sources, Warning};
use crate::Error;

/// One resolved form of a setting.
struct Found {
    origin: Origin,
    value: Zeroizing<String>,
}

#[derive(Default)]
struct Entry {
    /// The value (or, for `Path` settings, the resolved path).
    value: Option<Found>,
    /// A secret read from a file.
    file: Option<Found>,
}

/// The loaded settings: one resolved value per setting, with its origin, and
/// the warnings loading produced.
pub struct Values {
    settings: Vec<Setting>,
    entries: HashMap<&'static str, Entry>,
    warnings: Vec<Warning>,
}

impl fmt::Debug for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<_> = self
            .settings
            .iter()
            .filter_map(|s| self.origin(s.key).map(|o| (s.key, o.name.clone())))
            .collect();
        f.debug_struct("Values")
            .field("set", &set)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// A parsed TOML table whose strings are zeroized however loading ends.
struct WipeOnDrop(toml::Table);

impl Drop for WipeOnDrop {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl Values {
    /// Loads `tables` of settings from `sources`, per setting: the first of
    /// flag, environment, file and default that gives it wins.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the setting: the file cannot be read or is not
    /// valid TOML, it holds an unknown or wrongly typed key, a secret was
    /// given as a flag value or in two forms at once, or a secret file
    /// cannot be read. No message contains a value.
    pub fn load(tables: &[&[Setting]], sources: &Sources<'_>) -> Result<Self, Error> {
        let settings: Vec<Setting> = tables.iter().flat_map(|t| t.iter().copied()).collect();
        let mut warnings = Vec::new();
        let (mut file, base_dir) = match (&sources.file, &sources.text) {
            (Some(path), _) => {
                let name = path.display().to_string();
                let bytes = read_file(path, &name)?;
                (
                    Some(WipeOnDrop(parse_toml(&bytes, &name, &settings)?)),
                    path.parent(),
                )
            }
            (None, Some((text, dir))) => (
                Some(WipeOnDrop(parse_toml(
                    text.as_bytes(),
                    "config text",
                    &settings,
                )?)),
                dir.as_deref(),
            ),
            (None, None) => (None, None),
        };
        let mut entries = HashMap::new();
        for setting in &settings {
            let from_file = match file.as_mut() {
                Some(table) => from_file(setting, &mut table.0, base_dir)?,
                None => Entry::default(),
            };
            let default = sources
                .defaults
                .iter()
                .rev()
                .find(|(k, _)| *k == setting.key)
                .map(|(_, v)| Found {
                    origin: Origin {
                        layer: Layer::Default,
                        name: setting.name().to_owned(),
                    },
                    value: Zeroizing::new(v.clone()),
                });
            let candidates = vec![
                from_flags(setting, sources)?,
                from_env(setting, sources, &mut warnings)?,
                from_file,
                Entry {
                    value: default,
                    file: None,
                },
            ];
            let entry = merge(setting, candidates)?;
            let entry = read_secret_file(setting, entry, &mut warnings)?;
            entries.insert(setting.key, entry);
        }
        drop(file);
        unused_aliases(&settings, sources, &entries, &mut warnings);
        Ok(Self {
            settings,
            entries,
            warnings,
        })
    }

    fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }

    fn found(&self, key: &str) -> Option<&Found> {
        let entry = self.entries.get(key)?;
        entry.value.as_ref().or(entry.file.as_ref())
    }

    /// Whether `key` is a secret setting.
    #[must_use]
    pub fn is_secret(&self, key: &str) -> bool {
        self.setting(key).is_some_and(Setting::is_secret)
    }

    /// Where `key`'s value came from, if it has one.
    #[must_use]
    pub fn origin(&self, key: &str) -> Option<&Origin> {
        self.found(key).map(|f| &f.origin)
    }

    /// Whether `key` is given by a flag, the environment or the file (not a default).
    #[must_use]
    pub fn is_set(&self, key: &str) -> bool {
        self.origin(key).is_some_and(|o| o.layer != Layer::Default)
    }

    /// The name to use in a message about `key`: where its value came from,
    /// else its canonical name.
    #[must_use]
    pub fn name(&self, key: &str) -> String {
        match (self.origin(key), self.setting(key)) {
            (Some(o), _) => o.name.clone(),
            (None, Some(s)) => s.name().to_owned(),
            (None, None) => key.to_owned(),
        }
    }

    /// An `invalid_input` error about `key`, naming it as its source did.
    #[must_use]
    pub fn error(&self, key: &str, problem: impl fmt::Display) -> Error {
        Error::config(&self.name(key), problem)
    }

    /// The text of a non-secret setting (`None` for a secret: use [`secret`](Self::secret)).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        if self.setting(key)?.is_secret() {
            return None;
        }
        self.found(key).map(|f| f.value.trim())
    }

    /// `key` parsed with `parse`; a failure reports what the setting expects.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the setting when `parse` returns `None`.
    pub fn parse<T>(
        &self,
        key: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        match parse(text) {
            Some(v) => Ok(Some(v)),
            None => {
                let expect = self.setting(key).map_or("a valid value", |s| s.expect);
                Err(self.error(key, format!("must be {expect}")))
            }
        }
    }

    /// `key` parsed with [`FromStr`](std::str::FromStr).
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse).
    pub fn get<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, Error> {
        self.parse(key, |s| s.parse().ok())
    }

    /// The secret `key`, from its value or its file.
    ///
    /// # Errors
    ///
    /// `invalid_input` when both forms are set in a combined setting (use
    /// [`secret_parts`](Self::secret_parts) for those).
    pub fn secret(&self, key: &str) -> Result<Option<Secret>, Error> {
        let (value, file) = self.secret_parts(key);
        match (value, file) {
            (Some(_), Some(_)) => Err(self.error(key, "is set both as a value and as a file")),
            (Some(s), None) | (None, Some(s)) => Ok(Some(s)),
            (None, None) => Ok(None),
        }
    }

    /// The secret `key` as given as a value and as read from a file.
    #[must_use]
    pub fn secret_parts(&self, key: &str) -> (Option<Secret>, Option<Secret>) {
        let Some(entry) = self.entries.get(key) else {
            return (None, None);
        };
        if !self.setting(key).is_some_and(Setting::is_secret) {
            return (None, None);
        }
        let copy = |f: &Found| Secret {
            value: Zeroizing::new(f.value.trim().to_owned()),
            origin: f.origin.clone(),
        };
        (
            entry.value.as_ref().map(copy),
            entry.file.as_ref().map(copy),
        )
    }

    /// The warnings loading produced (never a value).
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

fn file_env_name(name: &str) -> String {
    format!("{name}_FILE")
}

fn applies(env: &EnvName, sources: &Sources<'_>) -> bool {
    (env.when_any.is_empty() || env.when_any.iter().any(|n| sources.env_is_set(n)))
        && !env.unless_any.iter().any(|n| sources.env_is_set(n))
}

fn from_flags(setting: &Setting, sources: &Sources<'_>) -> Result<Entry, Error> {
    let mut entry = Entry::default();
    for flag in sources.flags.iter().filter(|f| f.key == setting.key) {
        let origin = Origin {
            layer: Layer::Flag,
            name: flag.name.to_owned(),
        };
        match &flag.form {
            FlagForm::Value(_) if setting.is_secret() => {
                return Err(Error::config(
                    flag.name,
                    format!(
                        "a secret is never taken from a command-line value; set {} or use a file",
                        setting.name()
                    ),
                ));
            }
            FlagForm::Value(v) => {
                entry.value = Some(Found {
                    origin,
                    value: Zeroizing::new(v.clone()),
                });
            }
            FlagForm::File(path) => {
                entry.file = Some(Found {
                    origin,
                    value: Zeroizing::new(path.display().to_string()),
                });
            }
        }
    }
    Ok(entry)
}

fn from_env(
    setting: &Setting,
    sources: &Sources<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Entry, Error> {
    let mut entry = Entry::default();
    for env in setting.env.iter().filter(|e| applies(e, sources)) {
        let mut forms = vec![(env.name.to_owned(), false)];
        if setting.is_secret() {
            forms.push((file_env_name(env.name), true));
        }
        for (name, is_file) in forms {
            let Some(value) = sources.env(&name).map(Zeroizing::new) else {
                continue;
            };
            let slot = if is_file {
                &mut entry.file
            } else {
                &mut entry.value
            };
            match slot {
                Some(used) => warnings.push(Warning::AliasIgnored {
                    alias: name,
                    used: used.origin.name.clone(),
                }),
                None => {
                    *slot = Some(Found {
                        origin: Origin {
                            layer: Layer::Env,
                            name,
                        },
                        value,
                    });
                }
            }
        }
    }
    one_secret_source(setting, entry)
}

/// The value at dotted `key` in `table`, taken out of it (so that what is
/// left over is unknown).
fn take(table: &mut toml::Table, key: &str) -> Option<toml::Value> {
    match key.split_once('.') {
        Some((head, rest)) => match table.get_mut(head)? {
            toml::Value::Table(inner) => take(inner, rest),
            _ => None,
        },
        None => table.remove(key),
    }
}

fn toml_text(value: toml::Value, key: &str, secret: bool) -> Result<Zeroizing<String>, Error> {
    let must = if secret {
        "must be a string"
    } else {
        "must be a string, a number or a list of strings"
    };
    match value {
        toml::Value::String(s) => Ok(Zeroizing::new(s)),
        toml::Value::Integer(i) if !secret => Ok(Zeroizing::new(i.to_string())),
        toml::Value::Boolean(b) if !secret => Ok(Zeroizing::new(b.to_string())),
        toml::Value::Array(items) if !secret => {
            let mut out = Zeroizing::new(String::new());
            for item in items {
                let toml::Value::String(s) = item else {
                    return Err(Error::config(key, must));
                };
                let s = Zeroizing::new(s);
                if !out.is_empty() {
                    out.push(',');
                }
                out.push_str(&s);
            }
            Ok(out)
        }
        mut other => {
            wipe_value(&mut other);
            Err(Error::config(key, must))
        }
    }
}

fn from_file(
    setting: &Setting,
    table: &mut toml::Table,
    base_dir: Option<&Path>,
) -> Result<Entry, Error> {
    let resolve = |text: Zeroizing<String>| match base_dir {
        Some(dir) if Path::new(text.as_str()).is_relative() => {
            Zeroizing::new(dir.join(text.as_str()).display().to_string())
        }
        _ => text,
    };
    let found = |name: String, value| Found {
        origin: Origin {
            layer: Layer::File,
            name,
        },
        value,
    };
    let mut entry = Entry::default();
    if let Some(v) = take(table, setting.key) {
        let text = toml_text(v, setting.key, setting.is_secret())?;
        let text = if setting.kind == Kind::Path {
            resolve(text)
        } else {
            text
        };
        entry.value = Some(found(setting.key.to_owned(), text));
    }
    if setting.is_secret() {
        let file_key = format!("{}_file", setting.key);
        if let Some(v) = take(table, &file_key) {
            let text = resolve(toml_text(v, &file_key, false)?);
            entry.file = Some(found(file_key, text));
        }
    }
    one_secret_source(setting, entry)
}

/// The highest layer giving the setting wins; a combined secret layers its
/// value and file forms separately.
/// Within one layer, a secret comes from its value or its file, not both.
fn one_secret_source(setting: &Setting, entry: Entry) -> Result<Entry, Error> {
    if setting.kind == Kind::Secret
        && let (Some(v), Some(f)) = (&entry.value, &entry.file)
    {
        return Err(Error::config(
            &v.origin.name,
            format!("set either it or {}, not both", f.origin.name),
        ));
    }
    Ok(entry)
}

fn merge(setting: &Setting, candidates: Vec<Entry>) -> Result<Entry, Error> {
    let mut out = Entry::default();
    for c in candidates {
        if setting.kind == Kind::SecretCombined {
            if out.value.is_none() {
                out.value = c.value;
            }
            if out.file.is_none() {
                out.file = c.file;
            }
        } else if out.value.is_none() && out.file.is_none() {
            out = c;
        }
    }
    if out.value.is_some() && out.file.is_some() && setting.kind != Kind::SecretCombined {
        // A flag file and a flag value in the same layer: refused above for
        // secrets; for others the file form does not exist.
        return Err(Error::config(setting.name(), "is set twice"));
    }
    Ok(out)
}

/// Replaces a secret's file path by the file's content, warning when the file
/// is readable by others.
fn read_secret_file(
    setting: &Setting,
    mut entry: Entry,
    warnings: &mut Vec<Warning>,
) -> Result<Entry, Error> {
    if !setting.is_secret() {
        if let Some(found) = entry.file.take() {
            // Only a flag file can land here: treat it as a path value.
            entry.value.get_or_insert(found);
        }
        return Ok(entry);
    }
    if let Some(found) = entry.file.take() {
        let path = PathBuf::from(found.value.as_str());
        let content = read_secret(&path, &found.origin.name, warnings)?;
        entry.file = Some(Found {
            origin: found.origin,
            value: content,
        });
    }
    Ok(entry)
}

/// Parses TOML text (the caller's buffer is wiped) into a table of known settings.
fn parse_toml(bytes: &[u8], name: &str, settings: &[Setting]) -> Result<toml::Table, Error> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::config(name, "is not utf-8 text"))?;
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        // toml's message quotes the offending line, which may hold a secret:
        // report only where the problem is.
        let at = e.span().map_or(0, |s| s.start);
        let before = text.get(..at).unwrap_or("");
        let line = before.matches('\n').count().saturating_add(1);
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            .saturating_add(1);
        Error::config(
            name,
            format!("not valid toml (line {line}, column {column})"),
        )
    })?;
    if let Some(key) = unknown_key(&table, settings, "") {
        wipe(&mut table);
        // A key is echoed only when it looks like a setting name: a
        // secret pasted as a key must not reach a log.
        let name_like = key.len() <= 64
            && key.split('.').all(|seg| {
                !seg.is_empty() && seg.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
        return Err(if name_like {
            Error::config(&key, "is not a known setting")
        } else {
            Error::config(name, "holds a key that is not a setting (not shown)")
        });
    }
    Ok(table)
}

/// The first key of `table` (under `prefix`) that is no setting.
fn unknown_key(table: &toml::Table, settings: &[Setting], prefix: &str) -> Option<String> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let known = settings
            .iter()
            .any(|s| s.key == key || (s.is_secret() && format!("{}_file", s.key) == key));
        if known {
            continue;
        }
        let is_table_prefix = settings
            .iter()
            .any(|s| s.key.starts_with(&format!("{key}.")));
        match v {
            toml::Value::Table(inner) if is_table_prefix => {
                if let Some(found) = unknown_key(inner, settings, &key) {
                    return Some(found);
                }
            }
            _ => return Some(key),
        }
    }
    None
}

fn wipe_value(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => s.zeroize(),
        toml::Value::Array(items) => items.iter_mut().for_each(wipe_value),
        toml::Value::Table(t) => wipe(t),
        _ => {}
    }
}

/// Zeroizes every string left in a parsed TOML table.
fn wipe(table: &mut toml::Table) {
    for (_, v) in table.iter_mut() {
        wipe_value(v);
    }
}

fn unused_aliases(
    settings: &[Setting],
    sources: &Sources<'_>,
    entries: &HashMap<&'static str, Entry>,
    warnings: &mut Vec<Warning>,
) {
    let mut seen: Vec<&'static str> = Vec::new();
    for env in settings.iter().flat_map(|s| s.env.iter()) {
        if !env.is_conditional() || seen.contains(&env.name) || !sources.env_is_set(env.name) {
            continue;
        }
        seen.push(env.name);
        let used = entries.values().any(|e| {
            [&e.value, &e.file]
                .into_iter()
                .flatten()
                .any(|f| f.origin.layer == Layer::Env && f.origin.name == env.name)
        });
        let shadowed = warnings
            .iter()
            .any(|w| matches!(w, Warning::AliasIgnored { alias, .. } if alias == env.name));
        if !used && !shadowed {
            let needs_one_of = settings
                .iter()
                .flat_map(|s| s.env.iter())
                .filter(|e| e.name == env.name)
                .flat_map(|e| e.when_any.iter().copied())
                .fold(Vec::new(), |mut acc, n| {
                    if !acc.contains(&n) {
                        acc.push(n);
                    }
                    acc
                });
            warnings.push(Warning::AliasUnused {
                alias: env.name.to_owned(),
                needs_one_of,
            });
        }
    }
}
