"""Checks of the deployment files that no offline schema covers.

Run by `cargo xtask deploy-check` with the tools venv's Python (PyYAML comes
with the validators; tomllib is in the standard library):

    python check_templates.py REPO_ROOT

Render, Railway and Fly publish their JSON schemas only on their own sites,
which CI cannot reach, and no registry package carries current copies. So this
script parses render.yaml, railway.json and fly.toml and checks the fields a
deploy depends on, against lists of the fields each platform documents (a typo
is an unknown field). For every file, Kubernetes and Compose included, it also
checks what the schemas cannot know:

- the shutdown timing: the platform's kill deadline exceeds the server's
  pre-stop + drain (PRE_STOP_SECS + SHUTDOWN_TIMEOUT_SECS, defaults read from
  its sources) + the 1 s it gives cut connections, and no Kubernetes preStop
  hook adds a sleep in front;
- health checks use /healthz (alive) or /readyz (ready, 503 while stopping),
  Compose's through `rtc-tokens-server healthcheck` (the image has no curl);
- every environment variable set is one the server reads (found as a string
  in its configuration sources), and no secret is written as a plain value;
- every *_FILE path points into a mounted secret, the Secret is mounted 0400;
- the paths a platform builds from exist.

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path.cwd()

# The server's shutdown settings and their defaults, read from its sources
# (config/limits.rs, config/mod.rs) so the arithmetic follows them.
PRE_STOP = "PRE_STOP_SECS"
DRAIN = "SHUTDOWN_TIMEOUT_SECS"
# After the drain deadline the server gives the connections it cut up to 1 s
# to close (transport.rs) before it exits.
CUT_SECS = 1
HEALTH_PATHS = {"/healthz", "/readyz"}
# Names whose value is a secret: never a literal in a template.
SECRET_NAME = re.compile(r"^(API_KEYS|.*CERTIFICATE|.*SECRET)$")
# Read by the runtime rather than the configuration loader.
RUNTIME_NAMES = {"RUST_LOG"}

problems: list[str] = []


def problem(path: Path, message: str) -> None:
    problems.append(f"{path.relative_to(ROOT)}: {message}")


def load_yaml_docs(path: Path) -> list:
    with path.open(encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def unknown_keys(path: Path, where: str, table: dict, known: set[str]) -> None:
    for key in sorted(set(table) - known):
        problem(path, f"{where}: unknown field {key!r}")


def seconds(value) -> float | None:
    """A duration as Compose/Fly write it ("20s", "1m30s", 20) in seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(float(n) * scale[u] for n, u in parts)


# --- the server's environment names -----------------------------------------


def server_env_names() -> set[str]:
    names: set[str] = set()
    for crate in ("rtc-tokens-server", "rtc-tokens"):
        for source in (ROOT / "crates" / crate / "src").rglob("*.rs"):
            text = source.read_text(encoding="utf-8")
            names.update(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', text))
    return names


KNOWN_NAMES = server_env_names()


def server_default(const: str) -> int:
    """`pub const <const>: u64 = N;` in the server's configuration sources."""
    for source in sorted((ROOT / "crates" / "rtc-tokens-server" / "src" / "config").rglob("*.rs")):
        m = re.search(rf"pub const {const}: u64 = (\d+);", source.read_text(encoding="utf-8"))
        if m:
            return int(m.group(1))
    problems.append(f"check_templates.py: {const} not found in the server's configuration sources")
    return 0


DEFAULT_PRESTOP_SECS = server_default("DEFAULT_PRE_STOP_SECS")
DEFAULT_DRAIN_SECS = server_default("DEFAULT_SHUTDOWN_TIMEOUT_SECS")


def check_env_name(path: Path, name: str) -> None:
    if name in KNOWN_NAMES or name in RUNTIME_NAMES:
        return
    # `<NAME>_FILE` is derived from a secret setting's `<NAME>`.
    if name.endswith("_FILE") and name[: -len("_FILE")] in KNOWN_NAMES:
        return
    problem(path, f"environment variable {name} is not one the server reads")


def check_env(path: Path, env: dict[str, object], secret_mounts: set[str] | None) -> None:
    """Names are known, secrets are never literal, *_FILE paths are mounted."""
    for name, value in env.items():
        check_env_name(path, name)
        if SECRET_NAME.match(name) and value not in (None, ""):
            problem(path, f"{name} holds a literal secret: use {name}_FILE or the platform's secret store")
        if name.endswith("_FILE") and secret_mounts is not None:
            if not any(str(value).startswith(m.rstrip("/") + "/") for m in secret_mounts):
                problem(path, f"{name}={value} is not inside a mounted secret ({sorted(secret_mounts)})")


def shutdown_budget(env: dict[str, object]) -> int:
    """Seconds from SIGTERM to exit at most: pre-stop, drain, and the cut."""
    prestop = int(env.get(PRE_STOP, DEFAULT_PRESTOP_SECS))
    drain = int(env.get(DRAIN, DEFAULT_DRAIN_SECS))
    return prestop + drain + CUT_SECS


# --- Docker Compose ---------------------------------------------------------


def check_compose() -> None:
    base = ROOT / "docker-compose.yml"
    override = ROOT / "deploy" / "compose.zego.yaml"
    docs = {p: load_yaml_docs(p)[0] for p in (base, override)}
    secrets_declared = {}
    for p, doc in docs.items():
        secrets_declared.update(doc.get("secrets") or {})
    for name, spec in secrets_declared.items():
        file = spec.get("file", "")
        if not str(file).startswith("./secrets/"):
            problem(base, f"secret {name} should come from ./secrets/ (git-ignored), not {file!r}")
    if "/secrets/" not in (ROOT / ".gitignore").read_text(encoding="utf-8").split():
        problem(ROOT / ".gitignore", "/secrets/ (the compose secret files) must be git-ignored")

    for p, doc in docs.items():
        for service_name, service in (doc.get("services") or {}).items():
            where = f"service {service_name}"
            env = service.get("environment") or {}
            if isinstance(env, list):
                env = dict(item.split("=", 1) for item in env)
            mounted = {f"/run/secrets/{s}" for s in service.get("secrets") or []}
            for s in service.get("secrets") or []:
                if s not in secrets_declared:
                    problem(p, f"{where}: secret {s} is not declared under secrets:")
            for name, value in env.items():
                if name.endswith("_FILE") and value not in mounted:
                    problem(p, f"{where}: {name}={value} is not one of its secrets {sorted(mounted)}")
            check_env(p, env, None)
            if p != base:
                continue
            if service.get("read_only") is not True:
                problem(p, f"{where}: read_only: true is required")
            if "ALL" not in (service.get("cap_drop") or []):
                problem(p, f"{where}: cap_drop must contain ALL")
            user = str(service.get("user", ""))
            if not user or user.split(":")[0] in ("0", "root"):
                problem(p, f"{where}: must run as a non-root user")
            test = (service.get("healthcheck") or {}).get("test") or []
            words = [str(w) for w in ([test] if isinstance(test, str) else test)]
            # `rtc-tokens-server healthcheck` GETs /healthz unless given --url.
            builtin = any(w.endswith("rtc-tokens-server") for w in words) and "healthcheck" in words
            if not ("/healthz" in " ".join(words) or (builtin and "--url" not in words)):
                problem(p, f"{where}: healthcheck must probe /healthz")
            grace = seconds(service.get("stop_grace_period"))
            budget = shutdown_budget(env)
            if grace is None or grace <= budget:
                problem(p, f"{where}: stop_grace_period must exceed pre-stop + drain + cut ({budget} s)")


# --- Kubernetes -------------------------------------------------------------


def check_kubernetes() -> None:
    base = ROOT / "deploy" / "kubernetes"
    kustomization = base / "kustomization.yaml"
    kust = load_yaml_docs(kustomization)[0]
    listed = set(kust.get("resources") or [])
    for r in sorted(listed):
        if not (base / r).is_file():
            problem(kustomization, f"resource {r} does not exist")
    for manifest in sorted(base.glob("*.yaml")):
        if manifest.name != "kustomization.yaml" and manifest.name not in listed:
            problem(kustomization, f"{manifest.name} is not listed under resources")
    config_env: dict[str, str] = {}
    for gen in kust.get("configMapGenerator") or []:
        for env_file in gen.get("envs") or []:
            path = base / env_file
            if not path.is_file():
                problem(kustomization, f"configMapGenerator file {env_file} does not exist")
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                # Commented-out vendor lines are checked too: they are meant to be enabled.
                m = re.match(r"^#?([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
                if m:
                    config_env[m.group(1)] = m.group(2)

    deployment_path = base / "deployment.yaml"
    deployment = load_yaml_docs(deployment_path)[0]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts") or []}
    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    secret_mounts = set()
    for path, mount in mounts.items():
        secret = volumes.get(mount["name"], {}).get("secret")
        if secret is None:
            continue
        secret_mounts.add(path)
        if mount.get("readOnly") is not True:
            problem(deployment_path, f"secret mount {path} must be readOnly")
        if secret.get("defaultMode") != 0o400:
            problem(deployment_path, f"secret volume {mount['name']} must have defaultMode 0400 (256)")
    check_env(deployment_path, env, secret_mounts)
    check_env(base / "config.env", config_env, secret_mounts)

    budget = shutdown_budget(env)
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace <= budget:
        problem(deployment_path, f"terminationGracePeriodSeconds {grace} must exceed pre-stop + drain + cut ({budget})")
    if (container.get("lifecycle") or {}).get("preStop"):
        problem(deployment_path, "no preStop hook: the server keeps serving with /readyz 503 on SIGTERM itself")
    probes = {
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
    }
    for probe, want in probes.items():
        got = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
        if got != want:
            problem(deployment_path, f"{probe} must GET {want}, not {got}")
    readiness = container.get("readinessProbe") or {}
    seen_after = readiness.get("periodSeconds", 10) * readiness.get("failureThreshold", 3)
    prestop = int(env.get(PRE_STOP, DEFAULT_PRESTOP_SECS))
    if seen_after > prestop:
        problem(
            deployment_path,
            f"the readiness probe sees a 503 only after {seen_after} s, longer than the pre-stop ({prestop} s)",
        )
    for ctx_name, ctx in (("pod", pod.get("securityContext") or {}), ("container", container.get("securityContext") or {})):
        if ctx.get("runAsNonRoot") is not True:
            problem(deployment_path, f"{ctx_name} securityContext: runAsNonRoot must be true")
    c = container.get("securityContext") or {}
    if c.get("readOnlyRootFilesystem") is not True:
        problem(deployment_path, "container securityContext: readOnlyRootFilesystem must be true")
    if c.get("allowPrivilegeEscalation") is not False:
        problem(deployment_path, "container securityContext: allowPrivilegeEscalation must be false")
    if (c.get("capabilities") or {}).get("drop") != ["ALL"]:
        problem(deployment_path, "container securityContext: capabilities.drop must be [ALL]")
    if not (container.get("resources") or {}).get("requests", {}).get("cpu"):
        problem(deployment_path, "a CPU request is needed by the HorizontalPodAutoscaler")


# --- Render -----------------------------------------------------------------

RENDER_TOP = {"services", "databases", "envVarGroups", "projects", "ungrouped", "previews", "version"}
RENDER_SERVICE = {
    "type", "name", "runtime", "plan", "region", "repo", "branch", "rootDir", "buildFilter",
    "dockerfilePath", "dockerContext", "dockerCommand", "registryCredential", "image",
    "buildCommand", "startCommand", "preDeployCommand", "healthCheckPath", "envVars",
    "numInstances", "scaling", "autoDeploy", "autoDeployTrigger", "domains", "disk",
    "previews", "maxShutdownDelaySeconds", "ipAllowList", "pullRequestPreviewsEnabled",
}
RENDER_ENV_VAR = {"key", "value", "sync", "generateValue", "fromDatabase", "fromService", "fromGroup", "previewValue"}


def check_render() -> None:
    path = ROOT / "deploy" / "render.yaml"
    doc = load_yaml_docs(path)[0]
    unknown_keys(path, "top level", doc, RENDER_TOP)
    services = doc.get("services") or []
    if not services:
        problem(path, "no services")
    for i, service in enumerate(services):
        where = f"services[{i}]"
        unknown_keys(path, where, service, RENDER_SERVICE)
        if service.get("type") != "web" or service.get("runtime") != "docker":
            problem(path, f"{where}: must be type web with runtime docker")
        for field, want_file in (("dockerfilePath", True), ("dockerContext", False)):
            target = ROOT / str(service.get(field, ""))
            if not (target.is_file() if want_file else target.is_dir()):
                problem(path, f"{where}: {field} {service.get(field)!r} does not exist (relative to the repository)")
        if service.get("healthCheckPath") not in HEALTH_PATHS:
            problem(path, f"{where}: healthCheckPath must be one of {sorted(HEALTH_PATHS)}")
        env: dict[str, object] = {}
        for j, var in enumerate(service.get("envVars") or []):
            unknown_keys(path, f"{where}.envVars[{j}]", var, RENDER_ENV_VAR)
            name = var.get("key")
            if SECRET_NAME.match(str(name)) and var.get("sync") is not False:
                problem(path, f"{where}: {name} must be `sync: false` (entered in Render's dashboard)")
            env[name] = var.get("value")
        check_env(path, env, set())
        if "BIND_ADDR" in env:
            problem(path, f"{where}: BIND_ADDR would override Render's PORT")
        delay = service.get("maxShutdownDelaySeconds", 30)
        budget = shutdown_budget(env)
        if not isinstance(delay, int) or not 1 <= delay <= 300 or delay <= budget:
            problem(path, f"{where}: maxShutdownDelaySeconds must be 1..300 and exceed pre-stop + drain + cut ({budget})")


# --- Railway ----------------------------------------------------------------

RAILWAY_TOP = {"$schema", "build", "deploy", "environments"}
RAILWAY_BUILD = {"builder", "dockerfilePath", "watchPatterns", "buildCommand", "railpackVersion", "nixpacksConfigPath"}
RAILWAY_DEPLOY = {
    "startCommand", "preDeployCommand", "healthcheckPath", "healthcheckTimeout", "restartPolicyType",
    "restartPolicyMaxRetries", "drainingSeconds", "overlapSeconds", "numReplicas", "multiRegionConfig",
    "cronSchedule", "sleepApplication", "region", "requiredMountPath", "runtime", "limitOverride",
}


def check_railway() -> None:
    path = ROOT / "deploy" / "railway.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    unknown_keys(path, "top level", doc, RAILWAY_TOP)
    build = doc.get("build") or {}
    deploy = doc.get("deploy") or {}
    unknown_keys(path, "build", build, RAILWAY_BUILD)
    unknown_keys(path, "deploy", deploy, RAILWAY_DEPLOY)
    if build.get("builder") != "DOCKERFILE":
        problem(path, "build.builder must be DOCKERFILE")
    if not (ROOT / str(build.get("dockerfilePath", ""))).is_file():
        problem(path, f"build.dockerfilePath {build.get('dockerfilePath')!r} does not exist")
    if deploy.get("healthcheckPath") not in HEALTH_PATHS:
        problem(path, f"deploy.healthcheckPath must be one of {sorted(HEALTH_PATHS)}")
    if deploy.get("restartPolicyType") not in ("ON_FAILURE", "ALWAYS", "NEVER"):
        problem(path, "deploy.restartPolicyType must be ON_FAILURE, ALWAYS or NEVER")
    for field in ("drainingSeconds", "overlapSeconds", "healthcheckTimeout", "restartPolicyMaxRetries"):
        if field in deploy and (type(deploy[field]) is not int):
            problem(path, f"deploy.{field} must be a JSON number (Railway refuses strings)")
    draining = deploy.get("drainingSeconds")
    budget = shutdown_budget({})
    if not isinstance(draining, int) or draining <= budget:
        problem(path, f"deploy.drainingSeconds must exceed pre-stop + drain + cut ({budget})")


# --- Fly.io -----------------------------------------------------------------

FLY_TOP = {
    "app", "primary_region", "kill_signal", "kill_timeout", "swap_size_mb", "console_command",
    "build", "deploy", "env", "http_service", "services", "checks", "mounts", "metrics",
    "statics", "vm", "processes", "files", "experimental", "restart",
}
FLY_HTTP_SERVICE = {
    "internal_port", "force_https", "auto_stop_machines", "auto_start_machines",
    "min_machines_running", "processes", "concurrency", "checks", "tls_options",
    "http_options", "machine_checks",
}
FLY_CHECK = {"grace_period", "interval", "timeout", "method", "path", "protocol", "tls_skip_verify", "headers", "tls_server_name"}


def check_fly() -> None:
    path = ROOT / "deploy" / "fly.toml"
    with path.open("rb") as f:
        doc = tomllib.load(f)
    unknown_keys(path, "top level", doc, FLY_TOP)
    if doc.get("kill_signal") != "SIGTERM":
        problem(path, "kill_signal must be SIGTERM (the server's shutdown signal)")
    env = doc.get("env") or {}
    check_env(path, env, set())
    budget = shutdown_budget(env)
    timeout = seconds(doc.get("kill_timeout", 5))
    if timeout is None or timeout <= budget or timeout > 300:
        problem(path, f"kill_timeout must exceed pre-stop + drain + cut ({budget} s) and be at most 300 s")
    dockerfile = (doc.get("build") or {}).get("dockerfile")
    if not dockerfile or not (path.parent / dockerfile).is_file():
        problem(path, f"build.dockerfile {dockerfile!r} does not exist (relative to fly.toml)")
    http = doc.get("http_service") or {}
    unknown_keys(path, "http_service", http, FLY_HTTP_SERVICE)
    if str(env.get("PORT")) != str(http.get("internal_port")):
        problem(path, "env.PORT must equal http_service.internal_port (Fly sets no PORT itself)")
    checks = http.get("checks") or []
    for i, check in enumerate(checks):
        unknown_keys(path, f"http_service.checks[{i}]", check, FLY_CHECK)
        for field in ("grace_period", "interval", "timeout"):
            if field in check and seconds(check[field]) is None:
                problem(path, f"http_service.checks[{i}].{field} is not a duration")
    if not any(c.get("path") in HEALTH_PATHS and str(c.get("method", "GET")).upper() == "GET" for c in checks):
        problem(path, f"http_service needs a GET check on one of {sorted(HEALTH_PATHS)}")


# --- Dockerfile -------------------------------------------------------------


def check_dockerfile() -> None:
    path = ROOT / "Dockerfile"
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        words = line.split()
        if not words or words[0] != "COPY" or any(w.startswith("--from") for w in words):
            continue
        sources = [w for w in words[1:-1] if not w.startswith("--")]
        for source in sources:
            if not (ROOT / source).exists():
                problem(path, f"COPY source {source} does not exist")
            allowed = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
            if f"!{source.rstrip('/')}" not in allowed and f"!{source.rstrip('/')}/" not in allowed:
                problem(ROOT / ".dockerignore", f"COPY source {source} is not allowed into the build context")
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problem(path, "the final stage must switch to a non-root USER")


def main() -> int:
    for check in (check_compose, check_kubernetes, check_render, check_railway, check_fly, check_dockerfile):
        try:
            check()
        except (KeyError, TypeError, ValueError, OSError, yaml.YAMLError, tomllib.TOMLDecodeError) as e:
            problems.append(f"{check.__name__}: cannot read the file: {e!r}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in the deployment templates")
        return 1
    print("deployment templates: key fields, shutdown timing, env names and secrets check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
