//! `cargo xtask node`: installs, builds and tests the Node package in
//! `bindings/node`, and prints `node: N passed, M failed, K skipped`.
//!
//! Everything it needs comes from the npm registry into `bindings/node/node_modules`
//! (`npm ci` from the committed `package-lock.json`: the napi CLI, TypeScript and
//! the reference packages the tests compare with), so a fresh clone passes. It
//! needs `node` (≥ 18) and `npm` on the PATH; the addon is built in release mode
//! into the workspace's `target/`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The package directory.
pub fn dir() -> PathBuf {
    crate::root().join("bindings").join("node")
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    eprintln!("$ (cd bindings/node && {program} {})", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir())
        .status()
        .with_context(|| format!("running {program}: is Node.js (with npm) installed?"))?;
    if !status.success() {
        bail!("{program} {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Installs the package's dev dependencies (when missing or `force`) and builds
/// the addon (release).
///
/// # Errors
///
/// When `npm` or the build fails.
pub fn prepare(force_install: bool) -> Result<()> {
    if force_install
        || !dir()
            .join("node_modules")
            .join(".bin")
            .join("napi")
            .exists()
    {
        run("npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    run("npm", &["run", "build"])
}

/// The counts in `node --test`'s TAP summary (`# pass N`, `# fail N`, `# skipped N`).
fn counts(tap: &str) -> Option<(u64, u64, u64)> {
    let get = |key: &str| {
        tap.lines()
            .rev()
            .find_map(|l| l.strip_prefix(key).and_then(|n| n.trim().parse().ok()))
    };
    Some((
        get("# pass ")?,
        get("# fail ")?,
        get("# skipped ").unwrap_or(0),
    ))
}

/// Installs, builds, type-checks and runs the tests; prints the counts.
///
/// # Errors
///
/// When a step fails or any test fails.
pub fn ci() -> Result<()> {
    prepare(true)?;
    run("npx", &["--no-install", "tsc", "-p", "."])?;
    eprintln!("$ (cd bindings/node && node --test --test-reporter=tap test/)");
    let out = Command::new("node")
        .args(["--test", "--test-reporter=tap", "test/"])
        .current_dir(dir())
        .stderr(Stdio::inherit())
        .output()
        .context("running node --test")?;
    let tap = String::from_utf8_lossy(&out.stdout);
    // The failures' details, not the hundreds of passing lines.
    for line in tap.lines().filter(|l| l.trim_start().starts_with("not ok")) {
        eprintln!("{line}");
    }
    let (passed, failed, skipped) = counts(&tap).context("node --test printed no summary")?;
    println!("node: {passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 || !out.status.success() {
        if failed == 0 {
            eprintln!("{tap}");
        }
        bail!("node tests failed ({})", out.status);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn reads_the_tap_summary() {
        let tap = "ok 1 - a\n# tests 3\n# pass 2\n# fail 0\n# skipped 1\n";
        assert_eq!(counts(tap), Some((2, 0, 1)));
        assert_eq!(counts("ok 1\n"), None);
    }
}
