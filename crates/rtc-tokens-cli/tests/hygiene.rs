//! Secret hygiene of the binary: whatever the command and however it ends,
//! stderr never carries a secret, a certificate or an issued token (stdout
//! of `build` and `demo` legitimately carries the token; it never carries a
//! secret).

use std::path::PathBuf;

use assert_cmd::Command;

/// Test credentials (not the public demo ones).
const ZEGO_APP_ID: &str = "987654321";
const ZEGO_SECRET: &str = "5ecre75ecre75ecre75ecre75ecre7aa";
const AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
const AGORA_CERT: &str = "c0ffeec0ffeec0ffeec0ffeec0ffee12";
const SECRETS: [&str; 2] = [ZEGO_SECRET, AGORA_CERT];

fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rtc-tokens"));
    cmd.env_clear();
    cmd
}

/// The binary with exactly these environment variables.
fn env_cmd(pairs: &[(&str, &str)]) -> Command {
    let mut cmd = cli();
    for (k, v) in pairs {
        cmd.env(k, v);
    }
    cmd
}

fn with_env(mut cmd: Command) -> Command {
    cmd.env("ZEGO_APP_ID", ZEGO_APP_ID)
        .env("ZEGO_SERVER_SECRET", ZEGO_SECRET)
        .env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", AGORA_CERT);
    cmd
}

fn secret_files() -> (PathBuf, PathBuf) {
    // A folder per call: tests run in parallel, and rewriting a shared file let a CLI
    // started by another test read it empty.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rtc-tokens-hygiene-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let z = dir.join("zego.secret");
    let a = dir.join("agora.cert");
    std::fs::write(&z, format!("{ZEGO_SECRET}\n")).unwrap();
    std::fs::write(&a, format!("  {AGORA_CERT}\n")).unwrap();
    (z, a)
}

fn with_files(mut cmd: Command) -> Command {
    let (z, a) = secret_files();
    cmd.env("ZEGO_APP_ID", ZEGO_APP_ID)
        .env("ZEGO_SERVER_SECRET_FILE", z)
        .env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE_FILE", a);
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: Command, args: &[&str], stdin: Option<&str>) -> Run {
    cmd.args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_owned());
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The tokens in a text: words starting with `04`, `006` or `007`, 40+ characters.
fn tokens_in(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == ',')
        .filter(|w| w.len() >= 40 && (w.starts_with("04") || w.starts_with("00")))
        .map(str::to_owned)
        .collect()
}

/// The longest run of base64 characters in `text`.
fn longest_base64_run(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// No secret anywhere; on stderr no token, no piece of one, no token-like run.
fn assert_clean(r: &Run, tokens: &[String]) {
    for s in SECRETS {
        for piece in s.as_bytes().chunks(8) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!r.stderr.contains(piece), "secret on stderr: {}", r.stderr);
            assert!(!r.stdout.contains(piece), "secret on stdout: {}", r.stdout);
        }
    }
    for t in tokens {
        assert!(
            !r.stderr.contains(t.as_str()),
            "token on stderr: {}",
            r.stderr
        );
        for piece in t.as_bytes()[3..].chunks(24).filter(|p| p.len() == 24) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(
                !r.stderr.contains(piece),
                "token bytes on stderr: {}",
                r.stderr
            );
        }
    }
    assert!(
        longest_base64_run(&r.stderr) < 40,
        "token-like text on stderr: {}",
        r.stderr
    );
}

/// Builds, checks hygiene, returns the tokens from stdout.
fn build(cmd: Command, args: &[&str]) -> Vec<String> {
    let r = run(cmd, args, None);
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
    let tokens = tokens_in(&r.stdout);
    assert!(!tokens.is_empty(), "{args:?}: no token in {}", r.stdout);
    assert_clean(&r, &tokens);
    tokens
}

const BUILDS: &[&[&str]] = &[
    &["build", "zego", "--user", "alice"],
    &[
        "build", "zego", "--user", "alice", "--room", "lobby", "--mode", "cbc",
    ],
    &[
        "build",
        "zego",
        "--user",
        "alice",
        "--validity",
        "99999999",
        "--json",
    ],
    &["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"],
    &[
        "build",
        "agora",
        "rtc",
        "--channel",
        "lobby",
        "--uid",
        "42",
        "--token-version",
        "006",
    ],
    &[
        "build",
        "agora",
        "rtc",
        "--channel",
        "lobby",
        "--account",
        "bob",
        "--validity",
        "999999",
    ],
    &[
        "build",
        "agora",
        "rtc-rtm",
        "--channel",
        "lobby",
        "--user",
        "bob",
    ],
    &["build", "agora", "rtm", "--user", "bob", "--json"],
    &[
        "build",
        "agora",
        "rtm2",
        "--user",
        "bob",
        "--permission",
        "users:read:a,b",
    ],
    &["build", "agora", "chat-user", "--user", "bob"],
    &["build", "agora", "fpa"],
    &[
        "build",
        "agora",
        "apaas-room-user",
        "--room",
        "r",
        "--user",
        "u",
        "--role",
        "2",
    ],
];

#[test]
fn build_keeps_secrets_and_tokens_off_stderr() {
    for args in BUILDS {
        build(with_env(cli()), args);
        build(with_files(cli()), args);
    }
}

#[test]
fn parse_keeps_secrets_and_tokens_off_stderr() {
    let mut all = Vec::new();
    for args in BUILDS {
        all.extend(build(with_env(cli()), args));
    }
    for t in &all {
        // Verified, from the argument and from stdin, human and JSON.
        for (args, stdin) in [
            (vec!["parse", t.as_str()], None),
            (vec!["parse", "-"], Some(t.as_str())),
            (vec!["parse", t.as_str(), "--json"], None),
            (
                vec!["parse", t.as_str(), "--channel", "lobby", "--uid", "42"],
                None,
            ),
        ] {
            let r = run(with_env(cli()), &args, stdin);
            assert!(matches!(r.code, Some(0 | 1)), "{}", r.stderr);
            assert_clean(&r, &all);
        }
        // Rejected: expired, wrong secret, damaged, truncated.
        let r = run(with_env(cli()), &["parse", t, "--at", "4000000000"], None);
        assert_clean(&r, &all);
        let r = run(
            env_cmd(&[
                ("ZEGO_SERVER_SECRET", &"0".repeat(32)),
                ("AGORA_APP_CERTIFICATE", &"0".repeat(32)),
            ]),
            &["parse", t],
            None,
        );
        assert_clean(&r, &all);
        let mut damaged = t.clone();
        damaged.insert(30, '!');
        let r = run(with_env(cli()), &["parse", &damaged], None);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert_clean(&r, &[damaged, t.clone()]);
        let r = run(with_env(cli()), &["parse", &t[..t.len() - 10]], None);
        assert_clean(&r, std::slice::from_ref(t));
    }
}

#[test]
fn errors_never_echo_secret_values() {
    let long = format!("{ZEGO_SECRET}x");
    let bad_cert = format!("{}zz", &AGORA_CERT[..30]);
    let (zfile, _) = secret_files();
    let cert_flag = format!("--app-certificate={AGORA_CERT}");
    let cert_token = format!("007{AGORA_CERT}");
    let cases: Vec<(Command, Vec<&str>)> = vec![
        // Secrets on the command line are refused without echoing them.
        (
            with_env(cli()),
            vec!["build", "zego", "--user", "a", "--secret", ZEGO_SECRET],
        ),
        (
            with_env(cli()),
            vec!["build", "agora", "fpa", "--certificate", AGORA_CERT],
        ),
        (with_env(cli()), vec!["build", "agora", "fpa", &cert_flag]),
        // Invalid secrets in the environment.
        (
            env_cmd(&[("ZEGO_APP_ID", ZEGO_APP_ID), ("ZEGO_SERVER_SECRET", &long)]),
            vec!["build", "zego", "--user", "a"],
        ),
        (
            env_cmd(&[
                ("AGORA_APP_ID", AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE", &bad_cert),
            ]),
            vec!["build", "agora", "fpa"],
        ),
        // Both a value and a file.
        (
            env_cmd(&[
                ("ZEGO_APP_ID", ZEGO_APP_ID),
                ("ZEGO_SERVER_SECRET", ZEGO_SECRET),
                ("ZEGO_SERVER_SECRET_FILE", zfile.to_str().unwrap()),
            ]),
            vec!["build", "zego", "--user", "a"],
        ),
        // The app certificate given as the app id.
        (
            env_cmd(&[
                ("AGORA_APP_ID", AGORA_CERT),
                ("AGORA_APP_CERTIFICATE", "zz"),
            ]),
            vec!["build", "agora", "fpa"],
        ),
        // A secret file given as the token, or as the certificate of the other vendor.
        (with_env(cli()), vec!["parse", ZEGO_SECRET]),
        (with_env(cli()), vec!["parse", &cert_token]),
    ];
    for (cmd, args) in cases {
        let r = run(cmd, &args, None);
        assert_ne!(r.code, Some(0), "{args:?}");
        assert_clean(&r, &[]);
        assert!(!r.stderr.contains(&long) && !r.stderr.contains(&bad_cert));
    }
}

#[test]
fn demo_keeps_tokens_off_stderr() {
    for args in [vec!["demo"], vec!["demo", "--json"]] {
        let r = run(cli(), &args, None);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let tokens = tokens_in(&r.stdout);
        assert!(tokens.len() >= 3, "{}", r.stdout);
        assert_clean(&r, &tokens);
        // The demo's own (public) credentials stay off stderr too.
        assert!(!r.stderr.contains(rtc_tokens::DEMO_ZEGO_SERVER_SECRET));
        assert!(!r.stderr.contains(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE));
    }
}
