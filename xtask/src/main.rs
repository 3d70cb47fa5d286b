//! Project automation: `cargo xtask <command>`.
//!
//! - `ci` — everything CI runs: fmt check, clippy, tests, `cargo doc` without
//!   warnings, the Python and Node packages' tests, the deployment checks,
//!   conformance.
//! - `conformance [--vectors PATH]...` — run conformance suites (files or
//!   directories of `*.json`) with the harness in `tests/`; by default the
//!   project's `tests/vectors` and `tests/neutral`, and
//!   `../shared/conformance/vectors` when it exists.
//! - `bench [--bindings]` — the criterion benchmarks of both vendor crates,
//!   briefly; with `--bindings`, the Node (and Python) packages against the npm
//!   (and Python) references instead.
//! - `python` — install, build and test the Python package (`bindings/python`).
//! - `node` — install, build and test the Node package (`bindings/node`).
//! - `bench-server [--duration SECS] [--connections N] [--enforce]...` — load
//!   test of `rtc-tokens-server` on loopback with `wrk` (installs it if missing).
//! - `fuzz [--smoke] [TARGET] [--time SECS]` — the libFuzzer targets in `fuzz/`
//!   (installs cargo-fuzz if missing; not part of `ci`).
//! - `deploy-check` — validate `docker-compose.yml`, `deploy/` and the
//!   `Dockerfile` offline (installs the validators from PyPI on first use).

mod bench_bindings;
mod bench_server;
mod bindings_node;
mod bindings_py;
mod conformance;
mod deploy;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        eprintln!(
            "usage: cargo xtask <ci|conformance [--vectors PATH]...|bench [--bindings]|bench-server|fuzz [--smoke]|deploy-check|python|node>"
        );
        return Ok(ExitCode::from(2));
    };
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "ci" => ci(),
        "conformance" => {
            let paths = vector_args(&rest)?;
            let report = conformance::run_paths(&paths)?;
            Ok(if report.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "bench" => bench(&rest),
        "bench-server" => bench_server::run(&rest),
        "fuzz" => fuzz::run(&rest),
        "python" => bindings_py::run(),
        "deploy-check" => deploy::run(&rest),
        "node" => bindings_node::ci().map(|()| ExitCode::SUCCESS),
        other => bail!("unknown command {other:?}"),
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The default suite locations (see `rtc_tokens_conformance::default_paths`).
pub fn default_vector_paths() -> Vec<PathBuf> {
    rtc_tokens_conformance::default_paths(&root())
}

fn vector_args(args: &[String]) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--vectors" => {
                let p = it.next().context("--vectors needs a path")?;
                paths.push(PathBuf::from(p));
            }
            s if s.starts_with("--vectors=") => {
                paths.push(PathBuf::from(&s["--vectors=".len()..]));
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    if paths.is_empty() {
        paths = default_vector_paths();
    }
    Ok(paths)
}

fn cargo(args: &[&str]) -> Result<()> {
    cargo_with_env(args, &[])
}

fn cargo_with_env(args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}' ")).collect();
    eprintln!("$ {}cargo {}", shown.concat(), args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}

fn ci() -> Result<ExitCode> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace", "--all-features"])?;
    // Every rustdoc warning is an error: broken links, the bin/lib name collision…
    cargo_with_env(
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    bindings_py::ci()?;
    deploy::check()?;
    bindings_node::ci()?;
    eprintln!("$ cargo xtask conformance");
    let report = conformance::run_paths(&default_vector_paths())?;
    Ok(if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn bench(rest: &[String]) -> Result<ExitCode> {
    let extra: Vec<&str> = rest.iter().map(String::as_str).collect();
    if let Some(i) = extra.iter().position(|a| *a == "--bindings") {
        let mut others = extra.clone();
        others.remove(i);
        return bench_bindings::run(&others);
    }
    // The codec alone, then the vendor crates (whose fixed-salt paths need `hazmat`).
    for (package, features) in [
        ("small-zlib", None),
        ("zego-token04", Some("hazmat")),
        ("agora-dynamic-key", Some("hazmat")),
    ] {
        let mut args = vec!["bench", "-p", package];
        if let Some(f) = features {
            args.extend(["--features", f]);
        }
        args.extend(["--", "--warm-up-time", "1", "--measurement-time", "3"]);
        args.extend(&extra);
        cargo(&args)?;
    }
    Ok(ExitCode::SUCCESS)
}
