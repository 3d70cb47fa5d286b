//! A `.env` file as one more source of environment variables, below the real
//! environment: a variable set in the process environment always wins.
//!
//! The file is parsed with `dotenvy` (the `KEY=value` syntax of the vendors'
//! sample servers: comments, quotes, `export`), but nothing is written to the
//! process environment: [`DotEnv::lookup`] combines the two for the loader.
//! Values stay in zeroizing buffers (a `.env` often holds the secrets), and a
//! parse error names the file and the line number, never the line's text.

use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::Error;

/// The variables of one `.env` file.
pub struct DotEnv {
    path: PathBuf,
    vars: Vec<(String, Zeroizing<String>)>,
}

impl fmt::Debug for DotEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.vars.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("DotEnv")
            .field("path", &self.path)
            .field("names", &names)
            .finish()
    }
}

impl DotEnv {
    /// Reads `path`; `Ok(None)` when there is no such file.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the file (and the line, for a syntax error)
    /// when it exists but cannot be read or parsed. The message never holds
    /// the file's text.
    pub fn load(path: impl AsRef<Path>) -> Result<Option<Self>, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let iter = match dotenvy::from_path_iter(path) {
            Ok(iter) => iter,
            Err(e) if e.not_found() => return Ok(None),
            Err(_) => return Err(Error::config(&name, "cannot be read")),
        };
        let mut vars: Vec<(String, Zeroizing<String>)> = Vec::new();
        for (i, item) in iter.enumerate() {
            let (key, value) = item.map_err(|e| match e {
                dotenvy::Error::LineParse(_, _) => Error::config(
                    &name,
                    format!("line {}: is not KEY=value", i.saturating_add(1)),
                ),
                _ => Error::config(&name, "cannot be read"),
            })?;
            let value = Zeroizing::new(value);
            match vars.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => vars.push((key, value)),
            }
        }
        Ok(Some(Self {
            path: path.to_owned(),
            vars,
        }))
    }

    /// The file's value of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str().to_owned())
    }

    /// The file this was read from.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many variables the file sets.
    #[must_use]
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether the file sets no variable.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// `env(name)`, else this file's value: the real environment wins.
    ///
    /// ```
    /// use rtc_tokens::config::DotEnv;
    ///
    /// let dir = std::env::temp_dir().join(format!("rtc-tokens-dotenv-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join(".env"), "APP_ID=from-file\nPORT=9000\n")?;
    /// let file = DotEnv::load(dir.join(".env"))?.expect("the file exists");
    /// let env = |name: &str| (name == "PORT").then(|| "8081".to_owned());
    /// assert_eq!(file.lookup(&env, "PORT").as_deref(), Some("8081"));
    /// assert_eq!(file.lookup(&env, "APP_ID").as_deref(), Some("from-file"));
    /// std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn lookup(&self, env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
        env(name).or_else(|| self.get(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_comments_and_export_and_never_echoes_a_bad_line() {
        let dir = std::env::temp_dir().join(format!("rtc-tokens-dotenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".env");
        std::fs::write(
            &path,
            "# comment\nexport A=1\nB=\"two words\"\nC='x'\nA=3\n",
        )
        .unwrap();
        let file = DotEnv::load(&path).unwrap().unwrap();
        assert_eq!(file.get("A").as_deref(), Some("3"));
        assert_eq!(file.get("B").as_deref(), Some("two words"));
        assert_eq!(file.get("C").as_deref(), Some("x"));
        assert_eq!(file.len(), 3);
        assert!(!format!("{file:?}").contains("two words"));
        std::fs::write(&path, "GOOD=1\nc0ffee-secret-value without equals\n").unwrap();
        let err = DotEnv::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("c0ffee"), "{err}");
        assert!(DotEnv::load(dir.join("absent")).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
