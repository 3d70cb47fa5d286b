//! The project's conformance harness: typed suites and one runner, shared by
//! `cargo test -p rtc-tokens-conformance` and `cargo xtask conformance`.
//!
//! Two kinds of suite file, told apart by their top-level `schema` field
//! (format: `docs/conformance.md`):
//!
//! - **vendor vectors** ([`schema::Suite`], no `schema` field): known answers
//!   from the vendors' reference implementations. `parse` and `reject` cases
//!   run through `&dyn TokenProvider` on the case's credentials; `build` cases
//!   through the vendor crates' fixed-input `hazmat` entry points, re-exported
//!   by the facade.
//! - **the neutral suite** ([`neutral::NeutralSuite`], `"schema":
//!   "neutral-requests"`): one vendor-neutral `TokenRequest` per case, issued
//!   and verified by every provider (ZEGO, Agora 007, Agora 006), each with its
//!   expected decoded fields or its expected refusal.
//!
//! Guarantees: every case in a file is run and counted; a case the runner
//! cannot run (unknown vendor or op, a field of the wrong type, an
//! expectation it cannot check) counts as failed, never as skipped; files
//! with identical content are run once.
//!
//! ```
//! let root = rtc_tokens_conformance::workspace_root();
//! let reports = rtc_tokens_conformance::run_paths(&[root.join("tests/vectors")])?;
//! assert!(reports.iter().all(|r| r.failed() == 0));
//! # Ok::<(), rtc_tokens_conformance::Error>(())
//! ```

pub mod neutral;
pub mod schema;
pub mod vectors;

/// The workspace README's Rust snippets, compiled (and run unless marked
/// `no_run`) by `cargo test --doc -p rtc-tokens-conformance`, so that the
/// front page never shows code that does not build. The crates' own READMEs
/// are their crate docs and are tested there.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadme;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why a suite file could not be run at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path given does not exist or cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a suite of either kind.
    #[error("{path} is not a conformance suite: {source}")]
    Suite {
        /// The file.
        path: PathBuf,
        /// What did not parse.
        #[source]
        source: serde_json::Error,
    },
    /// A file names a `schema` this harness does not know.
    #[error("{path}: unknown suite schema {schema:?}")]
    UnknownSchema {
        /// The file.
        path: PathBuf,
        /// The schema it names.
        schema: String,
    },
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOutcome {
    /// The case's name (for the neutral suite, `case / provider`).
    pub name: String,
    /// `None` when it passed; otherwise why it failed.
    pub failure: Option<String>,
}

/// The outcome of one suite file.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// The file it came from.
    pub path: PathBuf,
    /// The suite's name.
    pub suite: String,
    /// Every case, in file order.
    pub cases: Vec<CaseOutcome>,
}

impl SuiteReport {
    /// Cases that passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_none()).count()
    }

    /// Cases that failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.cases.iter().filter(|c| c.failure.is_some())
    }
}

/// The workspace root (this crate lives in its `tests/` directory).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The default suite locations under `root`: the project's `tests/vectors`
/// and `tests/neutral`, then `../shared/conformance/vectors` when it exists.
#[must_use]
pub fn default_paths(root: &Path) -> Vec<PathBuf> {
    let mut paths = vec![root.join("tests/vectors"), root.join("tests/neutral")];
    let shared = root.join("../shared/conformance/vectors");
    if shared.is_dir() {
        paths.push(shared);
    }
    paths
}

/// Expands `paths` (files, or directories whose `*.json` files are taken in
/// name order) into suite files.
///
/// # Errors
///
/// [`Error::Read`] when a path does not exist or a directory cannot be listed.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let read = |source| Error::Read {
            path: path.clone(),
            source,
        };
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in fs::read_dir(path).map_err(read)? {
                let entry = entry.map_err(read)?.path();
                if entry.extension().is_some_and(|e| e == "json") {
                    found.push(entry);
                }
            }
            found.sort();
            files.extend(found);
        } else {
            fs::metadata(path).map_err(read)?;
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Runs every suite under `paths` (see [`discover`]); a file whose content
/// equals one already run is skipped.
///
/// # Errors
///
/// As [`discover`] and [`run_file`].
pub fn run_paths(paths: &[PathBuf]) -> Result<Vec<SuiteReport>, Error> {
    let mut seen = BTreeSet::new();
    let mut reports = Vec::new();
    for file in discover(paths)? {
        let text = read(&file)?;
        if seen.insert(text.clone()) {
            reports.push(run_text(&text, &file)?);
        }
    }
    Ok(reports)
}

/// Runs one suite file.
///
/// # Errors
///
/// [`Error::Read`] when it cannot be read; [`Error::Suite`] or
/// [`Error::UnknownSchema`] when it is not a suite.
pub fn run_file(path: &Path) -> Result<SuiteReport, Error> {
    run_text(&read(path)?, path)
}

/// Runs a suite given as text; `path` names it in the report.
///
/// # Errors
///
/// [`Error::Suite`] or [`Error::UnknownSchema`] when the text is not a suite.
pub fn run_text(text: &str, path: &Path) -> Result<SuiteReport, Error> {
    #[derive(Deserialize)]
    struct Peek {
        #[serde(default)]
        schema: Option<String>,
    }
    let not_suite = |source| Error::Suite {
        path: path.to_owned(),
        source,
    };
    let peek: Peek = serde_json::from_str(text).map_err(not_suite)?;
    let (suite, cases) = match peek.schema.as_deref() {
        None => {
            let suite: schema::Suite = serde_json::from_str(text).map_err(not_suite)?;
            let cases = suite
                .cases
                .iter()
                .map(|case| CaseOutcome {
                    name: case.name.clone(),
                    failure: case
                        .spec
                        .as_ref()
                        .map_err(Clone::clone)
                        .and_then(vectors::run_case)
                        .err(),
                })
                .collect();
            (suite.suite, cases)
        }
        Some(neutral::SCHEMA) => {
            let suite: neutral::NeutralSuite = serde_json::from_str(text).map_err(not_suite)?;
            let cases = neutral::run(&suite);
            (suite.suite, cases)
        }
        Some(other) => {
            return Err(Error::UnknownSchema {
                path: path.to_owned(),
                schema: other.to_owned(),
            });
        }
    };
    Ok(SuiteReport {
        path: path.to_owned(),
        suite,
        cases,
    })
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}
