//! `cargo xtask fuzz [--smoke] [TARGET] [--time SECS] [--seed-only]`
//!
//! Runs the libFuzzer targets in `fuzz/` (a standalone crate outside the
//! workspace) with cargo-fuzz:
//!
//! 1. seeds `fuzz/corpus/<target>/` from every token in the conformance
//!    vectors, plus tokens built with the facade's demo credentials (fixed
//!    salt/IV, so seeding is reproducible); the corpus directory is
//!    git-ignored and only ever added to;
//! 2. installs cargo-fuzz (`cargo install cargo-fuzz --locked`) if missing;
//! 3. runs every target (or the one named) for SECS seconds (default 600;
//!    `--smoke`: 10) with `RUSTC_BOOTSTRAP=1`, so the stable toolchain
//!    works, AddressSanitizer and debug assertions on; the codec targets
//!    (`small_zlib_*`) with `-max_len` at the token size limit (256 KiB),
//!    the parser targets at libFuzzer's default (4 096 bytes);
//! 4. a full run of every target (not `--smoke`, no TARGET) finishes with
//!    the ignored slow tests (the million-nonce randomness test) in release.
//!
//! Fails if any target finds a crash, a timeout (10 s per input) or an
//! out-of-memory (2 GiB RSS). Not part of `cargo xtask ci`: it needs a
//! nightly-feature build of every crate and minutes per target.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Every fuzz target in `fuzz/fuzz_targets`.
pub const TARGETS: [&str; 8] = [
    "zego_parse",
    "agora006_parse",
    "agora007_parse",
    "tencent_parse",
    "facade_parse",
    "build_parse_roundtrip",
    "small_zlib_roundtrip",
    "small_zlib_inflate",
];

/// libFuzzer's `-max_len` per target: the codec targets' inputs reach the token size limit
/// (256 KiB); the others keep libFuzzer's default (4 096 bytes unless the corpus holds longer
/// inputs).
fn max_len(target: &str) -> Option<usize> {
    target
        .starts_with("small_zlib_")
        .then_some(rtc_tokens::agora_dynamic_key::MAX_TOKEN_LEN)
}

/// Seconds per target for a full run.
const DEFAULT_SECS: u64 = 600;
/// Seconds per target for `--smoke`.
const SMOKE_SECS: u64 = 10;

/// A fixed clock for the demo-credential seeds.
const SEED_NOW: u32 = 1_700_000_000;

struct Options {
    smoke: bool,
    seed_only: bool,
    target: Option<String>,
    secs: Option<u64>,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options {
        smoke: false,
        seed_only: false,
        target: None,
        secs: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--smoke" => o.smoke = true,
            "--seed-only" => o.seed_only = true,
            "--time" => {
                let v = it.next().context("--time needs a number of seconds")?;
                o.secs = Some(v.parse().with_context(|| format!("--time {v:?}"))?);
            }
            s if s.starts_with("--time=") => {
                let v = &s["--time=".len()..];
                o.secs = Some(v.parse().with_context(|| format!("--time {v:?}"))?);
            }
            s if TARGETS.contains(&s) => {
                if o.target.replace(s.to_owned()).is_some() {
                    bail!("name at most one target");
                }
            }
            other => bail!(
                "unknown argument {other:?} (usage: cargo xtask fuzz [--smoke] [TARGET] \
                 [--time SECS] [--seed-only]; targets: {})",
                TARGETS.join(", ")
            ),
        }
    }
    Ok(o)
}

/// Entry point for `cargo xtask fuzz ...` (arguments after `fuzz`).
///
/// # Errors
/// Bad arguments, unreadable vectors, or cargo/cargo-fuzz failing to start.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let o = parse_args(args)?;
    let root = workspace_root()?;
    let seeded = seed_corpora(&root)?;
    for (target, n) in &seeded {
        eprintln!("xtask fuzz: {target}: {n} seed inputs in fuzz/corpus/{target}");
    }
    if o.seed_only {
        return Ok(ExitCode::SUCCESS);
    }
    ensure_cargo_fuzz()?;

    let secs = o
        .secs
        .unwrap_or(if o.smoke { SMOKE_SECS } else { DEFAULT_SECS });
    let targets: Vec<&str> = match &o.target {
        Some(t) => vec![t.as_str()],
        None => TARGETS.to_vec(),
    };
    let mut failed = Vec::new();
    for target in &targets {
        eprintln!("xtask fuzz: running {target} for {secs} s");
        let status = Command::new(cargo())
            .args([
                "fuzz",
                "run",
                "--fuzz-dir",
                "fuzz",
                "--debug-assertions",
                target,
            ])
            .arg("--")
            .arg(format!("-max_total_time={secs}"))
            .args(["-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1"])
            .args(max_len(target).map(|n| format!("-max_len={n}")))
            .env("RUSTC_BOOTSTRAP", "1")
            .current_dir(&root)
            .status()
            .context("starting cargo fuzz")?;
        if status.success() {
            eprintln!("xtask fuzz: {target}: ok");
        } else {
            eprintln!("xtask fuzz: {target}: FAILED ({status}); see fuzz/artifacts/{target}/");
            failed.push(*target);
        }
    }

    if o.target.is_none() && !o.smoke {
        eprintln!("xtask fuzz: slow tests (release, ignored)");
        let status = Command::new(cargo())
            .args([
                "test",
                "--release",
                "-p",
                "zego-token04",
                "--test",
                "randomness",
                "--",
                "--ignored",
            ])
            .current_dir(&root)
            .status()
            .context("starting cargo test")?;
        if !status.success() {
            failed.push("slow tests");
        }
    }

    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("xtask fuzz: failed: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The repository root: the nearest ancestor of this crate with `fuzz/Cargo.toml`.
fn workspace_root() -> Result<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|p| p.join("fuzz/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .context("no fuzz/Cargo.toml above the xtask crate")
}

fn ensure_cargo_fuzz() -> Result<()> {
    let present = Command::new(cargo())
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    eprintln!("$ cargo install cargo-fuzz --locked");
    let status = Command::new(cargo())
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .context("starting cargo install")?;
    if !status.success() {
        bail!("cargo install cargo-fuzz failed ({status})");
    }
    Ok(())
}

/// Conformance vector files: the project's, then `../shared`'s when present.
fn vector_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in rtc_tokens_conformance::default_paths(root) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        bail!("no conformance vectors under {}", root.display());
    }
    Ok(files)
}

/// True for strings that look like tokens of the three formats.
fn is_token(s: &str) -> bool {
    s.len() >= 16 && (s.starts_with("04") || s.starts_with("006") || s.starts_with("007"))
}

fn collect_tokens(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if is_token(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_tokens(x, out)),
        Value::Object(m) => m.values().for_each(|x| collect_tokens(x, out)),
        _ => {}
    }
}

/// Seed inputs per target: `(target, inputs)`.
type Seeds = Vec<(&'static str, BTreeSet<Vec<u8>>)>;

/// The seed inputs for each target (deduplicated, deterministic).
fn seeds(root: &Path) -> Result<Seeds> {
    let mut zego = BTreeSet::new();
    let mut a006 = BTreeSet::new();
    let mut a007 = BTreeSet::new();
    let mut tencent = BTreeSet::new();
    let mut facade = BTreeSet::new();
    let mut roundtrip = BTreeSet::new();
    let mut zlib_roundtrip = BTreeSet::new();
    let mut zlib_inflate = BTreeSet::new();

    for file in vector_files(root)? {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let json: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
        let cases = json
            .get("cases")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| vec![json.clone()]);
        for case in &cases {
            // Tencent UserSigs have no version prefix: take the tencent cases' tokens
            // (input and expected; the reject cases' too) as they are.
            if case.get("vendor").and_then(Value::as_str) == Some("tencent") {
                for t in [case.pointer("/input/token"), case.pointer("/expect/token")]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    tencent.insert(t.as_bytes().to_vec());
                    facade.insert(t.as_bytes().to_vec());
                }
                continue;
            }
            let mut tokens = Vec::new();
            collect_tokens(case, &mut tokens);
            // 006 cases with a channel and uid: also the "token\nchannel\nuid" form.
            let input = case.get("input");
            let field = |k: &str| input.and_then(|i| i.get(k)).and_then(Value::as_str);
            let channel_uid = field("channel_name").zip(field("uid"));
            for t in tokens {
                let bytes = t.clone().into_bytes();
                if t.starts_with("04") {
                    zego.insert(bytes.clone());
                } else if t.starts_with("006") {
                    a006.insert(bytes.clone());
                    if let Some((c, u)) = channel_uid {
                        let lines = format!("{t}\n{c}\n{u}").into_bytes();
                        a006.insert(lines.clone());
                        facade.insert(lines);
                    }
                } else {
                    a007.insert(bytes.clone());
                    // The codec targets: the zlib stream and the body it inflates to.
                    if let Some(z) = t.get(3..).and_then(|b| STANDARD.decode(b).ok()) {
                        if let Ok(body) = inflate(&z) {
                            zlib_roundtrip.insert(body);
                        }
                        zlib_inflate.insert(z);
                    }
                }
                facade.insert(bytes.clone());
                roundtrip.insert(bytes);
            }
        }
    }
    for s in demo_tokens()? {
        facade.insert(s.into_bytes());
    }
    // A few structured starting points for the `arbitrary` decoder.
    for b in 0u8..8 {
        roundtrip.insert([b; 64].to_vec());
        roundtrip.insert((0..=255u8).map(|x| x.wrapping_mul(b | 1)).collect());
    }
    // Inputs near the token size limit (256 KiB): repetitive, mixed, and as zlib streams
    // (stored, level 6, and a bomb that inflates past the body limit).
    let alphabet = b"0123456789abcdef-room1-user1";
    let big: Vec<u8> = (0..250_000u32)
        .map(|i| alphabet[(i.wrapping_mul(2_654_435_761) >> 27) as usize % alphabet.len()])
        .collect();
    let zeros = vec![0u8; 1 << 20];
    for level in [0, 6, 9] {
        zlib_inflate.insert(deflate(&big, level));
    }
    zlib_inflate.insert(deflate(&zeros, 9));
    zlib_roundtrip.insert(big);
    zlib_roundtrip.insert(zeros[..200_000].to_vec());
    for b in 0u8..4 {
        zlib_roundtrip.insert([b; 64].to_vec());
    }
    Ok(vec![
        ("zego_parse", zego),
        ("agora006_parse", a006),
        ("agora007_parse", a007),
        ("tencent_parse", tencent),
        ("facade_parse", facade),
        ("build_parse_roundtrip", roundtrip),
        ("small_zlib_roundtrip", zlib_roundtrip),
        ("small_zlib_inflate", zlib_inflate),
    ])
}

/// A zlib stream of `data` at `level`, from C zlib (flate2).
fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// Inflates a zlib stream with C zlib (flate2).
fn inflate(z: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(z).read_to_end(&mut out)?;
    Ok(out)
}

/// Tokens built with the facade's demo credentials (what `facade_parse`
/// verifies with), with fixed IVs, nonces, salts and clocks.
fn demo_tokens() -> Result<Vec<String>> {
    use rtc_tokens::agora_dynamic_key::Principal;
    use rtc_tokens::agora_dynamic_key::access_token::Role;
    use rtc_tokens::agora_dynamic_key::builder::{
        RtcPrivilegeExpiries, RtcRole, RtcSpec, TokenBuilder,
    };
    use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId};
    use rtc_tokens::zego_token04::hazmat::{FixedInputs, build_fixed};
    use rtc_tokens::zego_token04::{Mode, PrivilegePayload, ServerSecret};

    let mut out = Vec::new();
    let secret = ServerSecret::new(rtc_tokens::DEMO_ZEGO_SERVER_SECRET)?;
    let payload = PrivilegePayload::login_and_publish("room1", ["stream1"]).to_json();
    for (mode, iv) in [(Mode::Gcm, &[7u8; 12][..]), (Mode::Cbc, &[7u8; 16][..])] {
        for payload in ["", payload.as_str()] {
            let t = build_fixed(
                &secret,
                &FixedInputs {
                    mode,
                    app_id: rtc_tokens::DEMO_ZEGO_APP_ID,
                    user_id: "user1",
                    ctime: i64::from(SEED_NOW),
                    expire: i64::from(SEED_NOW) + 3600,
                    nonce: 42,
                    iv,
                    payload,
                },
            )?;
            out.push(t.token);
        }
    }

    let b = TokenBuilder::new(
        AppId::new(rtc_tokens::DEMO_AGORA_APP_ID)?,
        AppCertificate::new(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE)?,
    )
    .with_now(SEED_NOW)
    .with_fixed_salt(12_345_678);
    out.push(
        b.rtc_with_uid("room1", 42, RtcRole::Publisher, 3600, 3600)?
            .token,
    );
    out.push(
        b.rtc_rtm(
            &RtcSpec::new("room1", Principal::Account("user1"), 3600)
                .with_role(RtcRole::Subscriber)
                .with_privileges(RtcPrivilegeExpiries::all(600)),
            "user1",
            Some(3600),
        )?
        .token,
    );
    let agent = RtcSpec::new("room1", Principal::Uid(1001), 3600);
    out.push(b.convoai(&agent, "1001", None)?.token);
    out.push(b.stt(&agent, "user1", Some(600))?.token);
    out.push(b.rtm("user1", 3600)?.token);
    out.push(b.chat_user("user1", 3600)?.token);
    out.push(b.apaas_room_user("room1", "user1", 2, 3600)?.token);
    out.push(b.fpa()?.token);
    let t006 = b
        .rtc006_with_uid("room1", 42, Role::Publisher, SEED_NOW + 3600)?
        .token;
    out.push(format!("{t006}\nroom1\n42"));
    out.push(t006);
    out.push(format!(
        "{}\nuser1\n",
        b.rtm006("user1", SEED_NOW + 3600)?.token
    ));

    // Tencent: a UserSig and PrivateMapKeys (numeric and string rooms, a subscriber).
    use rtc_tokens::{Role as NeutralRole, TencentProvider, TokenProvider, TokenRequest};
    let tencent = TencentProvider::demo();
    let now = u64::from(SEED_NOW);
    for request in [
        TokenRequest::default().with_user("user1"),
        TokenRequest::rtc("user1", "1234"),
        TokenRequest::rtc("user1", "room1").with_role(NeutralRole::Subscriber),
    ] {
        out.push(tencent.issue_at(&request, now)?.token);
    }
    Ok(out)
}

/// A stable file name for a seed (FNV-1a 64).
fn seed_name(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("seed-{h:016x}")
}

/// Writes the seeds into `fuzz/corpus/<target>/` (never deletes anything).
fn seed_corpora(root: &Path) -> Result<Vec<(&'static str, usize)>> {
    let mut counts = Vec::new();
    for (target, inputs) in seeds(root)? {
        let dir = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for data in &inputs {
            let path = dir.join(seed_name(data));
            if !path.exists() {
                std::fs::write(&path, data)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        counts.push((target, inputs.len()));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let o = a(&["--smoke", "zego_parse", "--time", "5"]).unwrap();
        assert!(o.smoke && !o.seed_only);
        assert_eq!((o.target.as_deref(), o.secs), (Some("zego_parse"), Some(5)));
        assert_eq!(a(&["--time=7"]).unwrap().secs, Some(7));
        assert!(a(&["nope"]).is_err());
        assert!(a(&["zego_parse", "facade_parse"]).is_err());
        assert!(a(&["--time"]).is_err());
    }

    #[test]
    fn seeds_cover_every_target() {
        let root = workspace_root().unwrap();
        let seeds = seeds(&root).unwrap();
        assert_eq!(seeds.len(), TARGETS.len());
        for (target, inputs) in seeds {
            assert!(TARGETS.contains(&target));
            assert!(inputs.len() >= 3, "{target}: {} seeds", inputs.len());
        }
        assert_eq!(seed_name(b"abc"), seed_name(b"abc"));
        assert_ne!(seed_name(b"abc"), seed_name(b"abd"));
    }
}
