//! `cargo xtask deploy-check`: validates the deployment files
//! (`docker-compose.yml`, `deploy/`, `Dockerfile`) offline, with validators
//! installed from PyPI into `target/deploy-tools/venv`.
//!
//! | file | checked with |
//! | --- | --- |
//! | every YAML file | `yamllint --strict` (`deploy/tools/yamllint.yaml`) |
//! | `deploy/kubernetes/*.yaml` | `kubernetes-validate --strict` against the OpenAPI schemas of Kubernetes [`K8S_VERSIONS`], bundled in the package |
//! | the kustomization, rendered | the same, when `kubectl` is on `PATH` (otherwise its files are checked one by one, and a note says so) |
//! | `docker-compose.yml`, `deploy/compose.zego.yaml` | `check-jsonschema` with the compose-spec schema it bundles |
//! | `Dockerfile` | `hadolint` (`deploy/tools/hadolint.yaml`) |
//! | Render, Railway, Fly templates; cross-file rules | `deploy/tools/check_templates.py`: parse-and-check of the documented fields (no offline schema exists for these platforms), shutdown timing, env names, secrets, paths |
//!
//! The first run creates the venv and installs `deploy/tools/requirements.txt`
//! (pinned) with pip, so it needs PyPI and `python3` with `venv`; later runs
//! reuse it until that file changes, and take a few seconds. Every step runs
//! even when an earlier one fails; the command fails if any did.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::root;

/// The Kubernetes versions the manifests are validated against: the oldest
/// minor the manifests support (they use nothing newer than 1.25's APIs;
/// 1.30 is the oldest minor the major clouds still run) and the newest the
/// pinned `kubernetes-validate` knows.
pub const K8S_VERSIONS: &[&str] = &["1.30.0", "1.37.0"];

/// The venv, under the build tree so `cargo clean` removes it.
fn tools_dir() -> PathBuf {
    root().join("target").join("deploy-tools")
}

/// `cargo xtask deploy-check` (takes no arguments).
///
/// # Errors
///
/// An unknown argument, or the validators could not be installed.
pub fn run(args: &[String]) -> Result<ExitCode> {
    if let Some(arg) = args.first() {
        bail!("deploy-check takes no arguments (got {arg:?})");
    }
    let failed = check_all()?;
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The deploy check as one step of `cargo xtask ci`.
///
/// # Errors
///
/// Any validation failed, or the validators could not be installed.
pub fn check() -> Result<()> {
    let failed = check_all()?;
    if !failed.is_empty() {
        bail!("deploy-check failed: {}", failed.join(", "));
    }
    Ok(())
}

/// Runs every step; answers the names of the ones that failed.
fn check_all() -> Result<Vec<String>> {
    let started = Instant::now();
    let root = root();
    let bin = install_tools()?;
    let tool = |name: &str| bin.join(name);
    let kubernetes = root.join("deploy").join("kubernetes");
    let mut manifests: Vec<PathBuf> = fs::read_dir(&kubernetes)
        .with_context(|| format!("reading {}", kubernetes.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().is_some_and(|n| n != "kustomization.yaml")
        })
        // Relative to the root (the steps run there): shorter to read.
        .map(|p| p.strip_prefix(&root).map_or(p.clone(), Path::to_path_buf))
        .collect();
    manifests.sort();

    let mut steps: Vec<(String, Command)> = Vec::new();
    let mut yamllint = Command::new(tool("yamllint"));
    yamllint
        .args(["--strict", "-c", "deploy/tools/yamllint.yaml"])
        .args(["docker-compose.yml", "deploy"]);
    steps.push(("yamllint".into(), yamllint));
    for version in K8S_VERSIONS {
        let mut validate = Command::new(tool("kubernetes-validate"));
        validate
            .args(["--strict", "--quiet", "-k", version])
            .args(&manifests);
        steps.push((format!("kubernetes {version}"), validate));
    }
    match render_kustomization(&kubernetes)? {
        Some(rendered) => {
            for version in K8S_VERSIONS {
                let mut validate = Command::new(tool("kubernetes-validate"));
                validate
                    .args(["--strict", "--quiet", "-k", version])
                    .arg(&rendered);
                steps.push((format!("kustomization {version}"), validate));
            }
        }
        None => eprintln!(
            "note: kubectl not found: the rendered kustomization is not validated \
             (its manifests are, and check_templates.py checks its resource list)"
        ),
    }
    let mut compose = Command::new(tool("check-jsonschema"));
    compose
        .args(["--builtin-schema", "vendor.compose-spec"])
        .args(["docker-compose.yml", "deploy/compose.zego.yaml"]);
    steps.push(("compose schema".into(), compose));
    let mut hadolint = Command::new(tool("hadolint"));
    hadolint.args(["--config", "deploy/tools/hadolint.yaml", "Dockerfile"]);
    steps.push(("hadolint".into(), hadolint));
    let mut templates = Command::new(tool("python"));
    templates.arg("deploy/tools/check_templates.py").arg(&root);
    steps.push(("templates".into(), templates));

    let mut failed = Vec::new();
    for (name, mut command) in steps {
        command.current_dir(&root);
        eprintln!("$ {}", shown(&command));
        let status = command
            .status()
            .with_context(|| format!("running {name}"))?;
        if !status.success() {
            eprintln!("deploy-check: {name} failed ({status})");
            failed.push(name);
        }
    }
    eprintln!(
        "deploy-check: {} in {:.1} s",
        if failed.is_empty() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    Ok(failed)
}

/// Creates the venv and installs the pinned validators unless the venv was
/// made from the current requirements; answers its `bin` directory.
fn install_tools() -> Result<PathBuf> {
    let requirements = root().join("deploy").join("tools").join("requirements.txt");
    let wanted = fs::read_to_string(&requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let venv = tools_dir().join("venv");
    let bin = venv.join("bin");
    let stamp = venv.join("installed-requirements.txt");
    if bin.join("python").exists() && fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(bin);
    }
    eprintln!(
        "deploy-check: installing the validators into {}",
        venv.display()
    );
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let mut make_venv = Command::new(&python);
    make_venv.args(["-m", "venv", "--clear"]).arg(&venv);
    run_checked(&mut make_venv).with_context(|| {
        format!("deploy-check needs {python} with venv (Debian: python3-venv), or PYTHON=...")
    })?;
    let mut pip = Command::new(bin.join("python"));
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
    ])
    .arg("-r")
    .arg(&requirements);
    run_checked(&mut pip).context("installing the validators from PyPI")?;
    fs::write(&stamp, wanted).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(bin)
}

/// `kubectl kustomize DIR` into `target/deploy-tools/kustomized.yaml`, or
/// `None` when kubectl is not installed.
fn render_kustomization(dir: &Path) -> Result<Option<PathBuf>> {
    let output = match Command::new("kubectl").arg("kustomize").arg(dir).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).context("running kubectl kustomize"),
    };
    if !output.status.success() {
        bail!(
            "kubectl kustomize {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let rendered = tools_dir().join("kustomized.yaml");
    fs::write(&rendered, &output.stdout)
        .with_context(|| format!("writing {}", rendered.display()))?;
    Ok(Some(rendered))
}

fn run_checked(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", shown(command));
    let status = command.status()?;
    if !status.success() {
        bail!("{} failed ({status})", shown(command));
    }
    Ok(())
}

fn shown(command: &Command) -> String {
    let program = command.get_program().to_string_lossy().into_owned();
    let program = Path::new(&program)
        .file_name()
        .map_or(program.clone(), |n| n.to_string_lossy().into_owned());
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!("{program} {}", args.join(" "))
}
