//! `cargo xtask bench --bindings`: the language bindings against the packages
//! their users would otherwise use, per token, FFI included.
//!
//! Runs `bindings/node/bench/bench.js` (our Node 007 build against npm
//! `agora-token`, our 006 build against npm `agora-access-token`, medians of
//! alternating rounds) after building the Node package, then, when both
//! `bindings/python/bench/bench.py` and the virtualenv `target/py-venv` exist,
//! the Python bench, and prints its summary.

use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::{bindings_node, root};

/// Runs the bindings' benchmarks; `extra` goes to `bench.js` (`--rounds N`, `--ms M`).
///
/// # Errors
///
/// When building or running a bench fails.
pub fn run(extra: &[&str]) -> Result<ExitCode> {
    bindings_node::prepare(false)?;
    eprintln!(
        "$ (cd bindings/node && node bench/bench.js {})",
        extra.join(" ")
    );
    let status = Command::new("node")
        .arg("bench/bench.js")
        .args(extra)
        .current_dir(bindings_node::dir())
        .status()
        .context("running node")?;
    if !status.success() {
        bail!("bindings/node/bench/bench.js failed ({status})");
    }
    let script = root().join("bindings/python/bench/bench.py");
    let python = root().join("target/py-venv/bin/python");
    if script.exists() && python.exists() {
        eprintln!("$ target/py-venv/bin/python bindings/python/bench/bench.py");
        let status = Command::new(&python)
            .arg(&script)
            .current_dir(root())
            .status()
            .context("running the python bench")?;
        if !status.success() {
            bail!("bindings/python/bench/bench.py failed ({status})");
        }
    } else {
        eprintln!(
            "(python bench skipped: needs bindings/python/bench/bench.py and target/py-venv)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
