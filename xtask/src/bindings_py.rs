//! `cargo xtask python`: builds the Python package (`bindings/python`) and
//! runs its pytest suite; `ci` runs the same.
//!
//! It installs what it needs into the build tree, so a fresh clone passes:
//! a virtual environment at `target/py-venv` (made with the machine's
//! `python3`, reused when present) with pinned maturin and pytest from PyPI;
//! then `maturin develop --release` builds and installs the package into it
//! (one release build of PyO3, incremental afterwards), and pytest runs
//! `bindings/python/tests`. The last line printed is the count, as
//! `python: N passed, M failed, K skipped`.

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};

use crate::root;

/// The build tool, pinned.
const MATURIN: &str = "maturin==1.16.0";
/// The test runner, pinned.
const PYTEST: &str = "pytest==9.2.0";

/// The virtual environment in the build tree.
fn venv() -> PathBuf {
    root().join("target/py-venv")
}

/// A program of the virtual environment.
fn bin(name: &str) -> PathBuf {
    venv().join("bin").join(name)
}

fn run_step(command: &mut Command) -> Result<()> {
    eprintln!("$ {command:?}");
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

/// Makes the virtual environment (when missing), installs the pinned tools
/// and builds and installs the package into it. Returns the environment's
/// `python` (for `bench.py` and other callers).
///
/// # Errors
///
/// When `python3` is missing, PyPI cannot be reached or the build fails.
pub fn prepare() -> Result<PathBuf> {
    let python = bin("python");
    if !python.exists() {
        run_step(Command::new("python3").args(["-m", "venv"]).arg(venv()))?;
    }
    run_step(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        MATURIN,
        PYTEST,
    ]))?;
    run_step(
        Command::new(bin("maturin"))
            .args(["develop", "--release", "--quiet"])
            .current_dir(root().join("bindings/python"))
            .env("VIRTUAL_ENV", venv())
            .env_remove("CONDA_PREFIX"),
    )?;
    Ok(python)
}

/// pytest's counts, from its summary line (`3 passed, 1 skipped in 0.1s`).
fn counts(output: &str) -> (u64, u64, u64) {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let summary = output
        .lines()
        .rev()
        .find(|l| l.contains(" in "))
        .unwrap_or("");
    let words: Vec<&str> = summary
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        if let [n, what] = pair
            && let Ok(n) = n.parse::<u64>()
        {
            match *what {
                "passed" => passed += n,
                "failed" | "error" | "errors" => failed += n,
                "skipped" => skipped += n,
                _ => {}
            }
        }
    }
    (passed, failed, skipped)
}

/// Builds the package and runs its pytest suite, printing the counts.
///
/// # Errors
///
/// As [`prepare`], or pytest cannot be started.
pub fn run() -> Result<ExitCode> {
    let python = prepare()?;
    let mut command = Command::new(python);
    command
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
        .current_dir(root().join("bindings/python"))
        .stdout(Stdio::piped());
    eprintln!("$ {command:?}");
    let out = command.output().context("cannot run pytest")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    let (passed, failed, skipped) = counts(&stdout);
    println!("python: {passed} passed, {failed} failed, {skipped} skipped");
    Ok(if out.status.success() && failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// [`run`] for `cargo xtask ci`: an error unless every test passed.
///
/// # Errors
///
/// As [`run`], or a test failed.
pub fn ci() -> Result<()> {
    if run()? != ExitCode::SUCCESS {
        bail!("the python binding's tests failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn reads_pytest_summaries() {
        assert_eq!(
            counts("..s\n243 passed, 32 skipped in 0.88s\n"),
            (243, 0, 32)
        );
        assert_eq!(
            counts("F.\n== 1 failed, 1 passed, 2 errors in 1.2s ==\n"),
            (1, 3, 0)
        );
        assert_eq!(counts("no tests ran in 0.01s\n"), (0, 0, 0));
    }
}
