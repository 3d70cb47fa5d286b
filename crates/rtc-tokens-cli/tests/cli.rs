//! End-to-end tests: run the `rtc-tokens` binary with a cleared environment.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const ZEGO_APP_ID: &str = "1234567890";
const ZEGO_SECRET: &str = "demo0000demo0000demo0000demo0000";
const AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
const AGORA_CERT: &str = "fedcba9876543210fedcba9876543210";

/// The binary with an empty environment: nothing leaks in from the caller.
fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rtc-tokens"));
    cmd.env_clear();
    cmd
}

fn with_zego(mut cmd: Command) -> Command {
    cmd.env("ZEGO_APP_ID", ZEGO_APP_ID)
        .env("ZEGO_SERVER_SECRET", ZEGO_SECRET);
    cmd
}

fn with_agora(mut cmd: Command) -> Command {
    cmd.env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", AGORA_CERT);
    cmd
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

/// Runs with `--json`, expects `code`, returns stdout as JSON.
fn run_json(mut cmd: Command, args: &[&str], code: i32) -> Value {
    let out = cmd
        .args(args)
        .arg("--json")
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    json(&out)
}

/// Runs, expects exit 2 with one line on stderr and nothing on stdout; returns stderr.
fn usage_error(mut cmd: Command, args: &[&str]) -> String {
    let out = cmd
        .args(args)
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    err
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    // A folder per call: tests run in parallel and may write files of the same name.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rtc-tokens-cli-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn every_subcommand_has_help_with_examples() {
    let agora_kinds = [
        "rtc",
        "rtc-rtm",
        "rtm",
        "rtm2",
        "chat-user",
        "chat-app",
        "fpa",
        "apaas-room-user",
        "apaas-user",
        "apaas-app",
    ];
    let mut paths: Vec<Vec<&str>> = vec![
        vec![],
        vec!["build"],
        vec!["build", "zego"],
        vec!["build", "agora"],
        vec!["parse"],
        vec!["demo"],
        vec!["completions"],
    ];
    paths.extend(agora_kinds.iter().map(|k| vec!["build", "agora", k]));
    for path in paths {
        cli()
            .args(&path)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Usage:")));
    }
    cli()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("rtc-tokens"));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        cli()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("rtc-tokens").and(predicate::str::contains("parse")));
    }
    let out = run_json(cli(), &["completions", "bash"], 0);
    assert_eq!(out["shell"], "bash");
    assert!(out["script"].as_str().unwrap().contains("rtc-tokens"));
    usage_error(cli(), &["completions", "cmd.exe"]);
}

/// What bash completes for `words` (the last one being completed), by
/// sourcing the generated script and calling its completion function.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let out = cli().args(["completions", "bash"]).assert().success();
    let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let path = temp_file("rtc-tokens.bash", &script);
    let program = r#"
        source "$1" || exit 3
        shift
        read -ra spec <<< "$(complete -p rtc-tokens)"
        for ((i = 0; i < ${#spec[@]}; i++)); do
            [[ ${spec[i]} == -F ]] && fn=${spec[i+1]}
        done
        [[ -n $fn ]] || exit 4
        COMP_WORDS=("$@")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        "$fn" rtc-tokens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", program, "bash"])
        .arg(&path)
        .arg("rtc-tokens")
        .args(words)
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "bash: {out:?}");
    let mut found: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    found.sort();
    found
}

#[test]
fn bash_completion_works_below_the_top_level() {
    assert!(bash_complete(&["bu"]).contains(&"build".to_owned()));
    assert_eq!(bash_complete(&["build", "ag"]), ["agora"]);
    assert_eq!(
        bash_complete(&["build", "agora", "r"]),
        ["rtc", "rtc-rtm", "rtm", "rtm2"]
    );
    let rtc_flags = bash_complete(&["build", "agora", "rtc", "--ch"]);
    assert_eq!(rtc_flags, ["--channel"]);
    let parse_flags = bash_complete(&["parse", "--ign"]);
    assert_eq!(parse_flags, ["--ignore-expiry"]);
}

#[test]
fn demo_builds_and_parses_one_token_of_each_kind() {
    let out = cli()
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("FAKE demo credentials"), "{text}");
    assert_eq!(text.matches("OK: no problem found").count(), 3, "{text}");
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );

    let out = run_json(cli(), &["demo"], 0);
    assert_eq!(out["demo_credentials"], true);
    assert!(out["note"].as_str().unwrap().contains("FAKE"));
    let tokens = out["tokens"].as_array().unwrap();
    let versions: Vec<&str> = tokens
        .iter()
        .map(|t| t["built"]["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["04", "007", "006"]);
    for t in tokens {
        assert_eq!(t["parsed"]["ok"], true);
        assert_eq!(t["parsed"]["verification"], "verified");
        assert_eq!(t["parsed"]["room"], "demo-room");
    }
    assert_eq!(tokens[0]["built"]["mode"], "gcm");
}

#[test]
fn zego_build_then_parse_every_payload() {
    // (extra build args, expected privileges, room)
    let cases: &[(&[&str], &[&str], Option<&str>)] = &[
        (
            &[],
            &["identity: any room, any stream (unless privilege checks are on)"],
            None,
        ),
        (
            &["--room", "lobby"],
            &["log in to room lobby", "publish streams"],
            Some("lobby"),
        ),
        (
            &["--room", "lobby", "--login-only"],
            &["log in to room lobby"],
            Some("lobby"),
        ),
        (
            &["--stream", "s1", "--stream", "s2"],
            &["publish streams s1, s2"],
            None,
        ),
        (
            &["--room", "lobby", "--stream", "s1", "--mode", "cbc"],
            &["log in to room lobby", "publish streams s1"],
            Some("lobby"),
        ),
    ];
    for (extra, privileges, room) in cases {
        let mut args = vec!["build", "zego", "--user", "alice"];
        args.extend_from_slice(extra);
        let built = run_json(with_zego(cli()), &args, 0);
        let cbc = extra.contains(&"cbc");
        assert_eq!(built["vendor"], "zego");
        assert_eq!(built["version"], "04");
        assert_eq!(built["mode"], if cbc { "cbc" } else { "gcm" });
        assert_eq!(
            built["expires_at"].as_u64().unwrap() - built["issued_at"].as_u64().unwrap(),
            3600
        );
        let token = built["token"].as_str().unwrap();

        let parsed = run_json(with_zego(cli()), &["parse", token], 0);
        assert_eq!(parsed["ok"], true, "{parsed}");
        let verification = if cbc {
            "decrypted_unauthenticated"
        } else {
            "verified"
        };
        assert_eq!(parsed["verification"], verification);
        assert_eq!(parsed["user"], "alice");
        assert_eq!(parsed["room"].as_str(), *room);
        assert_eq!(parsed["app_id"], ZEGO_APP_ID);
        assert_eq!(parsed["expires_at"], built["expires_at"]);
        let names: Vec<&str> = parsed["privileges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, *privileges);
    }
    // The mode also comes from ZEGO_TOKEN_MODE.
    let mut cmd = with_zego(cli());
    cmd.env("ZEGO_TOKEN_MODE", "cbc");
    let built = run_json(cmd, &["build", "zego", "--user", "a"], 0);
    assert_eq!(built["mode"], "cbc");
}

#[test]
fn secrets_from_files() {
    let zego_file = temp_file("zego.secret", &format!("{ZEGO_SECRET}\n"));
    let agora_file = temp_file("agora.cert", AGORA_CERT);
    let zego_path = zego_file.to_str().unwrap();
    let agora_path = agora_file.to_str().unwrap();

    let mut cmd = cli();
    cmd.env("ZEGO_APP_ID", ZEGO_APP_ID);
    let built = run_json(
        cmd,
        &["build", "zego", "--user", "bob", "--secret-file", zego_path],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let parsed = run_json(cli(), &["parse", token, "--secret-file", zego_path], 0);
    assert_eq!(parsed["verification"], "verified");
    let mut cmd = cli();
    cmd.env("ZEGO_SERVER_SECRET_FILE", zego_path);
    assert_eq!(
        run_json(cmd, &["parse", token], 0)["verification"],
        "verified"
    );

    let mut cmd = cli();
    cmd.env("AGORA_APP_CERTIFICATE_FILE", agora_path);
    let args = [
        "build",
        "agora",
        "rtm",
        "--user",
        "bob",
        "--app-id",
        AGORA_APP_ID,
    ];
    let token = run_json(cmd, &args, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let parsed = run_json(
        cli(),
        &["parse", &token, "--certificate-file", agora_path],
        0,
    );
    assert_eq!(parsed["verification"], "verified");
    assert_eq!(parsed["user"], "bob");
}

#[test]
fn agora_build_then_parse_every_builder() {
    // (build args after `build agora`, version, service types in the token, user, room)
    type Case<'a> = (
        &'a [&'a str],
        &'a str,
        &'a [&'a str],
        Option<&'a str>,
        Option<&'a str>,
    );
    let cases: &[Case<'_>] = &[
        (
            &["rtc", "--channel", "lobby", "--uid", "42"],
            "007",
            &["rtc"],
            Some("42"),
            Some("lobby"),
        ),
        (
            &[
                "rtc",
                "--channel",
                "lobby",
                "--account",
                "alice",
                "--role",
                "subscriber",
            ],
            "007",
            &["rtc"],
            Some("alice"),
            Some("lobby"),
        ),
        (
            &[
                "rtc",
                "--channel",
                "lobby",
                "--uid",
                "42",
                "--join-validity",
                "600",
                "--audio-validity",
                "60",
            ],
            "007",
            &["rtc"],
            Some("42"),
            Some("lobby"),
        ),
        (
            &["rtc-rtm", "--channel", "lobby", "--user", "alice"],
            "007",
            &["rtc", "rtm"],
            Some("alice"),
            Some("lobby"),
        ),
        (
            &["rtm", "--user", "alice"],
            "007",
            &["rtm"],
            Some("alice"),
            None,
        ),
        (
            &[
                "rtm2",
                "--user",
                "alice",
                "--permission",
                "message-channels:read:ch1,ch2",
                "--permission",
                "users:write:bob",
            ],
            "007",
            &["rtm2"],
            Some("alice"),
            None,
        ),
        (
            &["chat-user", "--user", "alice"],
            "007",
            &["chat"],
            Some("alice"),
            None,
        ),
        (&["chat-app"], "007", &["chat"], None, None),
        (&["fpa"], "007", &["fpa"], None, None),
        (
            &[
                "apaas-room-user",
                "--room",
                "r1",
                "--user",
                "alice",
                "--role",
                "1",
            ],
            "007",
            &["rtm", "chat", "apaas"],
            Some("alice"),
            None,
        ),
        (
            &["education-user", "--user", "alice"],
            "007",
            &["apaas"],
            Some("alice"),
            None,
        ),
        (&["apaas-app"], "007", &["apaas"], None, None),
        (
            &[
                "rtc",
                "--channel",
                "lobby",
                "--uid",
                "42",
                "--token-version",
                "006",
            ],
            "006",
            &[],
            Some("42"),
            Some("lobby"),
        ),
        (
            &["rtm", "--user", "alice", "--token-version", "006"],
            "006",
            &[],
            Some(""),
            Some("alice"),
        ),
    ];
    for (args, version, services, user, room) in cases {
        let mut build = vec!["build", "agora"];
        build.extend_from_slice(args);
        let built = run_json(with_agora(cli()), &build, 0);
        assert_eq!(built["vendor"], "agora");
        assert_eq!(built["version"], *version, "{args:?}");
        let token = built["token"].as_str().unwrap();

        let mut parse = vec!["parse", token];
        if *version == "006" {
            // 006 verifies only with the channel and uid it was built for.
            parse.extend(["--channel", room.unwrap(), "--account", user.unwrap()]);
        }
        let parsed = run_json(with_agora(cli()), &parse, 0);
        assert_eq!(parsed["ok"], true, "{args:?}: {parsed}");
        assert_eq!(parsed["verification"], "verified", "{args:?}");
        assert_eq!(parsed["user"].as_str(), *user, "{args:?}");
        assert_eq!(parsed["room"].as_str(), *room, "{args:?}");
        if *version == "007" {
            let types: Vec<&str> = parsed["detail"]["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["type"].as_str().unwrap())
                .collect();
            assert_eq!(types, *services, "{args:?}");
        }
    }
}

#[test]
fn agora_details_survive_the_round_trip() {
    let args = [
        "build",
        "agora",
        "rtm2",
        "--user",
        "u",
        "--permission",
        "stream-channels:write:a,b",
    ];
    let token = run_json(with_agora(cli()), &args, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let parsed = run_json(cli(), &["parse", &token], 0);
    assert_eq!(
        parsed["detail"]["services"][0]["permissions"]["1"]["1"],
        serde_json::json!(["a", "b"])
    );

    // Per-privilege validities land in the token.
    let args = [
        "build",
        "agora",
        "rtc",
        "--channel",
        "c",
        "--uid",
        "1",
        "--audio-validity",
        "60",
    ];
    let token = run_json(with_agora(cli()), &args, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let parsed = run_json(cli(), &["parse", &token], 0);
    assert_eq!(parsed["detail"]["services"][0]["privileges"]["2"], 60);
    assert_eq!(parsed["detail"]["services"][0]["privileges"]["1"], 3600);

    // Over 24 hours is capped, and says so.
    let args = ["build", "agora", "chat-app", "--validity", "200000"];
    let built = run_json(with_agora(cli()), &args, 0);
    assert_eq!(
        built["expires_at"].as_u64().unwrap() - built["issued_at"].as_u64().unwrap(),
        86_400
    );
    assert!(built["notes"][0].as_str().unwrap().contains("24 hours"));
}

#[test]
fn agora_006_verifies_only_with_channel_and_uid() {
    let args = [
        "build",
        "agora",
        "rtc",
        "--channel",
        "lobby",
        "--uid",
        "42",
        "--token-version",
        "006",
    ];
    let token = run_json(with_agora(cli()), &args, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let parsed = run_json(with_agora(cli()), &["parse", &token], 0);
    assert_eq!(parsed["verification"], "not_checked");
    assert!(
        parsed["warnings"][0]
            .as_str()
            .unwrap()
            .contains("--channel")
    );

    let parsed = run_json(
        with_agora(cli()),
        &["parse", &token, "--channel", "lobby", "--uid", "7"],
        1,
    );
    assert_eq!(parsed["verification"], "signature_invalid");
    assert_eq!(
        (parsed["user"].clone(), parsed["room"].as_str()),
        (Value::Null, Some("lobby"))
    );
    assert_eq!(parsed["problems"][0]["kind"], "signature");
    assert!(
        parsed["warnings"][0]
            .as_str()
            .unwrap()
            .contains("uid/account \"7\"")
    );

    // uid 0 is the empty string, the string "0" is not.
    let args = [
        "build",
        "agora",
        "rtc",
        "--channel",
        "c",
        "--uid",
        "0",
        "--token-version",
        "006",
    ];
    let token = run_json(with_agora(cli()), &args, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    run_json(
        with_agora(cli()),
        &["parse", &token, "--channel", "c", "--uid", "0"],
        0,
    );
    run_json(
        with_agora(cli()),
        &["parse", &token, "--channel", "c", "--account", "0"],
        1,
    );

    usage_error(with_agora(cli()), &["parse", &token, "--channel", "c"]);
}

#[test]
fn expired_tokens_say_since_when() {
    let built = run_json(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--validity", "3600"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let issued = built["issued_at"].as_u64().unwrap();

    let at = (issued + 1).to_string();
    with_zego(cli())
        .args(["parse", token, "--at", &at])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("expires in 59 min")
                .and(predicate::str::contains("OK: no problem found")),
        );

    let at = (issued + 3600 + 3 * 3600 + 100).to_string();
    let expires_utc = built["expires_at_utc"].as_str().unwrap();
    with_zego(cli())
        .args(["parse", token, "--at", &at])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("REJECTED (expired)"))
        .stderr(predicate::str::contains(format!(
            "rejected: expired 3 h ago, at {expires_utc}"
        )));
    let parsed = run_json(with_zego(cli()), &["parse", token, "--at", &at], 1);
    assert_eq!(parsed["expired"], true);
    assert_eq!(parsed["expires_in_secs"], -(3 * 3600 + 100));
    assert_eq!(parsed["verification"], "verified");
    run_json(with_zego(cli()), &["parse", token, "--ignore-expiry"], 0);
}

#[test]
fn zego_without_the_secret_reads_only_the_header() {
    let built = run_json(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--mode", "cbc"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let parsed = run_json(cli(), &["parse", token], 0);
    assert_eq!(parsed["verification"], "not_checked");
    assert_eq!(parsed["expiry_authenticated"], false);
    assert_eq!(parsed["app_id"], Value::Null);
    assert_eq!(parsed["expires_at"], built["expires_at"]);
    assert_eq!(parsed["detail"]["format"], "zego04_sealed");
    assert_eq!(parsed["detail"]["mode"], "cbc");
    assert!(
        parsed["warnings"][0]
            .as_str()
            .unwrap()
            .contains("ZEGO_SERVER_SECRET")
    );
}

#[test]
fn conformance_vectors_from_the_vendors_references_decode() {
    // zego-public.json parse_go_gcm: the Go reference, GCM, privilege payload.
    let go_gcm = "04AAAAAGZIIxAADDYQRazwhxuEiFZzFgDRweUuPAb/cjl7i+GKfnhWtZ9GQY2YbuFOqr2XkZOKr7s2Tp+6j26UrvI4RQixcaqjzAm5XzaZUMOFL3OXBIBwt5EzivjA3p0ObB6ify+vtmzXFgb1waRnvbBZPL8RDPMxm7uToNIYYqTofAePsJi+vH3JpYOcol0AWI8zHTZ5Ik990IbEKCY1lzW9nR57mhSy86bhbiwCWoQAWqiX7va+gT+kbGnGXYCTKoVQPQJeSFR7xmnoJ/EOFu/SjGWsF3gzngIJroMFrjNuFakoi3OLclcB";
    let secret = "fa94dd0f974cf2e293728a526b028271";
    let mut cmd = cli();
    cmd.env("ZEGO_SERVER_SECRET", secret);
    let p = run_json(cmd, &["parse", go_gcm, "--at", "1716000000"], 0);
    assert_eq!(p["verification"], "verified");
    assert_eq!(p["app_id"], "1234567890");
    assert_eq!(p["user"], "user1");
    assert_eq!(p["room"], "room1");
    assert_eq!(p["issued_at"], 1_716_000_000);
    assert_eq!(p["expires_at"], 1_716_003_600);
    assert_eq!(p["expires_at_utc"], "2024-05-18T03:40:00Z");
    assert_eq!(p["detail"]["mode"], "gcm");
    assert_eq!(p["detail"]["nonce"], 1_422_262_400);
    assert_eq!(
        p["detail"]["payload"],
        r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1"]}"#
    );
    // Without the secret: the header only, and it is long expired.
    let p = run_json(cli(), &["parse", go_gcm], 1);
    assert_eq!(
        (p["detail"]["mode"].as_str(), p["expires_at"].as_u64()),
        (Some("gcm"), Some(1_716_003_600))
    );
    assert_eq!(p["problems"][0]["kind"], "expired");

    // parse_python_cbc: the Python reference, CBC, a non-ASCII user id.
    let py_cbc = "04AAAAAGZIJKAAEGI4ZjY1OTM4NTI2N2JhZTUAcDru9jljtjXmbJHgvM7JFbFCtOtBrvNEE7d+uBq/UD5BdtUIIXfcd/1wfOu7vN236X75DMMi4Rk2dIoJDPZ6GtSFCZYvhUfLi/DnevcfP4tVFHKIsREGwhReiVxMqZ7o5qu6ao7NfcYvsXHoPW1/8IU=";
    let mut cmd = cli();
    cmd.env("ZEGO_SERVER_SECRET", secret);
    let p = run_json(cmd, &["parse", py_cbc, "--ignore-expiry"], 0);
    assert_eq!(p["verification"], "decrypted_unauthenticated");
    assert_eq!(
        (p["app_id"].as_str(), p["user"].as_str()),
        (Some("2913569222"), Some("用户"))
    );
    assert_eq!(
        (p["issued_at"].as_u64(), p["expires_at"].as_u64()),
        (Some(1_716_000_400), Some(1_716_004_000))
    );
    assert_eq!(p["detail"]["nonce"], 71_327_460);

    // agora-public.json: 006-verify-rtc-uid-ok (Agora's published AccessToken test).
    let t006 = "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW";
    let cert = "5CFd2fd1755d40ecb72977518be15d3b";
    let channel = "7d72365eb983485397e3e3f9d460bdda";
    let mut cmd = cli();
    cmd.env("AGORA_APP_CERTIFICATE", cert);
    let p = run_json(
        cmd,
        &[
            "parse",
            t006,
            "--channel",
            channel,
            "--uid",
            "2882341273",
            "--at",
            "1000000",
        ],
        0,
    );
    assert_eq!(p["verification"], "verified");
    assert_eq!(p["app_id"], "970CA35de60c44645bbae8a215061b33");
    assert_eq!(p["expires_at"], 1_111_111);
    assert_eq!(p["detail"]["salt"], 1);
    assert_eq!(p["detail"]["crc_channel_name"], 276_646_071_u32);
    assert_eq!(p["detail"]["crc_uid"], 3_847_331_927_u32);
    assert_eq!(p["privileges"][0]["name"], "join channel");
    assert_eq!(p["privileges"][0]["expires_at"], 1_446_455_471);

    // 007-parse-rtc (python deflate) and 007-parse-rtc-go-deflate: same content.
    for t007 in [
        "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj",
        "007eJxSYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxoAAAAD//8JqJOM=",
    ] {
        let mut cmd = cli();
        cmd.env("AGORA_APP_CERTIFICATE", cert);
        let p = run_json(cmd, &["parse", t007, "--at", "1111112"], 0);
        assert_eq!(p["verification"], "verified");
        assert_eq!(
            (p["user"].as_str(), p["room"].as_str()),
            (Some("2882341273"), Some(channel))
        );
        assert_eq!(
            (p["issued_at"].as_u64(), p["expires_at"].as_u64()),
            (Some(1_111_111), Some(1_111_711))
        );
        assert_eq!(p["expires_at_utc"], "1970-01-13T20:48:31Z");
        assert_eq!(
            (p["detail"]["salt"].as_u64(), p["detail"]["expire"].as_u64()),
            (Some(1), Some(600))
        );
        assert_eq!(p["detail"]["services"][0]["privileges"]["1"], 600);
    }

    // 007-parse-apaas-room-user: rtm, chat (md5 of the user), apaas.
    let apaas = "007eJxTYOi6fYVB7qlA2ZWQ+Ko3N2IafQOddj+K4tjh3PS7P2vx4a0KDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGRgYmBmYgDQjmM/FYGRhYWRsYmhkbswKF1VgMDMwMza2MDYxskg0NktLSjROSzIzMDZISk1OszCwNEllh6tlZjA0MkY2hpEBANqIKYQ=";
    let p = run_json(cli(), &["parse", apaas, "--at", "1111112"], 0);
    assert_eq!(p["verification"], "not_checked");
    let s = &p["detail"]["services"];
    assert_eq!(
        (s[0]["type"].as_str(), s[0]["user_id"].as_str()),
        (Some("rtm"), Some("2882341273"))
    );
    assert_eq!(s[1]["user_id"], "6063383428a36fba3fb6030becf8094e");
    assert_eq!(
        (s[2]["room_uuid"].as_str(), s[2]["role"].as_i64()),
        (Some("123"), Some(1))
    );
}

#[test]
fn rejected_tokens_are_explained_in_plain_words() {
    // 007-parse-rtc-wrong-certificate: signed with another certificate.
    let t007 = "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj";
    let mut cmd = cli();
    cmd.env("AGORA_APP_CERTIFICATE", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    let out = cmd
        .args(["parse", t007, "--at", "1111112"])
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("signed with another app certificate"), "{err}");
    assert!(!err.contains(&t007[3..20]), "no token bytes on stderr");

    // zego reject_gcm_wrong_secret.
    let zego = "04AAAAAGVT/xAADAoTIcRwI5hdbtE+RQB0Te5aY1g0X2kvAU4xFOHjxZNL2Sl89BCSmsjUXKN/ElDQqGUxTduDN6xt5acDEuY6xr3TfPGzGXSMYvrkZDZOhK3SSCpSqo0D0D2ROe/kLQG3b81pyJN0PCEDIclof+Q4004eoLRfgBMQW3i+efYtTFSWKeEB";
    let mut cmd = cli();
    cmd.env("ZEGO_SERVER_SECRET", "fa94dd0f974cf2e293728a526b028272");
    let p = run_json(cmd, &["parse", zego, "--ignore-expiry"], 1);
    assert_eq!(
        (
            p["verification"].as_str(),
            p["problems"][0]["kind"].as_str()
        ),
        (Some("decrypt_failed"), Some("decrypt"))
    );
    assert!(
        p["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("another secret")
    );

    // Truncated tokens: zego reject_truncated, agora 007-reject-truncated-java.
    let truncated_zego = "04AAAAAGVT/xAADAoTIcRwI5hdbtE+RQB0Te5aY1g0X2kvAU4xFOHjxZNL2Sl89BCSmsjUXKN/ElDQqGUxTduDN6xt5acDEg==";
    let truncated_agora = "007eJxTYLC/xv0i87343FLb46KrG9gPxT+Vj8pojqvt";
    for token in [truncated_zego, truncated_agora] {
        let p = run_json(cli(), &["parse", token], 1);
        assert_eq!(p["problems"][0]["kind"], "malformed", "{p}");
        assert!(
            p["problems"][0]["message"]
                .as_str()
                .unwrap()
                .contains("truncated")
        );
    }

    // Not a token at all, or not of the vendor asked for.
    let p = run_json(cli(), &["parse", "hello"], 1);
    assert_eq!(
        (p["vendor"].clone(), p["problems"][0]["kind"].as_str()),
        (Value::Null, Some("version"))
    );
    cli()
        .args(["parse", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("JWT"));
    let p = run_json(cli(), &["parse", t007, "--vendor", "zego"], 1);
    assert!(
        p["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a zego token")
    );
}

#[test]
fn human_build_output_pipes_into_parse() {
    // To a pipe, build prints the token alone; the details need a terminal or --json.
    let out = with_zego(cli())
        .args(["build", "zego", "--user", "stdin-user"])
        .assert()
        .success()
        .stderr("");
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let token = text.trim_end();
    let out = with_zego(cli())
        .args(["parse", "--json"])
        .write_stdin(format!("  {token}\n"))
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout)["user"], "stdin-user");
    let out = with_zego(cli())
        .args(["parse", "-", "--json"])
        .write_stdin(token.to_owned())
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout)["user"], "stdin-user");
    let err = usage_error(cli(), &["parse"]);
    assert!(err.contains("no token"), "{err}");
}

#[test]
fn captured_build_output_is_the_token_and_parses_back() {
    // T=$(rtc-tokens build agora rtc --channel lobby --uid 42); rtc-tokens parse "$T" ...
    for version in ["007", "006"] {
        let out = with_agora(cli())
            .args(["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"])
            .args(["--token-version", version])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.ends_with('\n') && !text.contains(' '), "{text}");
        let token = text.trim_end();
        let out = with_agora(cli())
            .args(["parse", token, "--channel", "lobby", "--uid", "42"])
            .assert()
            .success()
            .stderr("");
        let report = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(report.contains("verified"), "{report}");
        assert!(report.contains("OK: no problem found"), "{report}");
    }
}

/// Runs `shell_command` under `script`, so stdout and stderr are a terminal;
/// `None` when `script` (util-linux) is not installed.
fn on_a_terminal(mut cmd: std::process::Command, shell_command: &str) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let out = cmd
        .arg(script)
        .args(["-qec", shell_command, "/dev/null"])
        .output()
        .expect("script runs");
    Some(String::from_utf8_lossy(&out.stdout).replace('\r', ""))
}

#[test]
fn on_a_terminal_details_go_to_stderr_and_rejections_show_once() {
    let bin = env!("CARGO_BIN_EXE_rtc-tokens");
    let mut cmd = std::process::Command::new("env");
    cmd.env_clear()
        .env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", AGORA_CERT)
        .env("NO_COLOR", "1");
    // Piped stdout, terminal stderr: the pipe gets the token alone.
    let Some(seen) = on_a_terminal(
        cmd,
        &format!("'{bin}' build agora rtm --user u 2>/dev/tty | sed 's/^/piped: /'"),
    ) else {
        eprintln!("script(1) not installed: skipped");
        return;
    };
    let piped: Vec<&str> = seen.lines().filter(|l| l.starts_with("piped: ")).collect();
    assert_eq!(piped.len(), 1, "{seen}");
    assert!(piped[0].starts_with("piped: 007"), "{seen}");
    assert!(seen.contains("renew at"), "details on the terminal: {seen}");

    let mut cmd = std::process::Command::new("env");
    cmd.env_clear().env("NO_COLOR", "1");
    let seen = on_a_terminal(cmd, &format!("'{bin}' parse 007abc")).unwrap();
    assert_eq!(seen.matches("cut short").count(), 1, "{seen}");
}

#[test]
fn tokens_mangled_in_transit_are_recognised() {
    // Issue until the token holds a `+` and a `/`, so every mangling applies.
    let token = (0..200)
        .map(|n| {
            let out = with_agora(cli())
                .args(["build", "agora", "rtc", "--channel", "lobby"])
                .args(["--account", &format!("user{n}")])
                .assert()
                .success();
            String::from_utf8(out.get_output().stdout.clone())
                .unwrap()
                .trim()
                .to_owned()
        })
        .find(|t| t.contains('+') && t.contains('/'))
        .expect("a token with + and /");
    let encoded = token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let (head, tail) = token.split_at(30);
    let cases = [
        (
            token.replace('+', " "),
            "plus_became_space",
            "became spaces",
        ),
        (encoded, "url_encoded", "URL-encoded"),
        (format!("\"{token}\""), "quoted", "quotes"),
        (format!("{token}{token}"), "concatenated", "two tokens"),
        (
            format!("{head}\n{tail}"),
            "whitespace_inside",
            "line breaks",
        ),
        (
            token[..token.len() - 3].to_owned(),
            "truncated",
            "cut short",
        ),
    ];
    for (mangled, how, words) in cases {
        let p = run_json(with_agora(cli()), &["parse", &mangled], 1);
        assert_eq!(p["problems"][0]["kind"], "malformed", "{how}: {p}");
        assert_eq!(p["problems"][0]["mangling"], how, "{p}");
        let out = with_agora(cli()).args(["parse", &mangled]).assert().code(1);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(words), "{how}: {err}");
        assert!(!err.contains("damaged"), "{how}: {err}");
        assert!(!err.contains(&token[3..20]), "no token bytes on stderr");
    }
}

#[test]
fn error_texts_say_what_is_wrong_once() {
    let err = usage_error(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--validity", "0"],
    );
    assert!(err.contains("at least 1 second"), "{err}");
    assert!(!err.contains("effective time"), "{err}");
    let err = usage_error(
        with_agora(cli()),
        &["build", "agora", "rtm", "--user", "u", "--validity", "0"],
    );
    assert!(err.contains("at least 1 second"), "{err}");
    // More than Agora's 24 hours: built, capped, with a note saying so.
    let built = run_json(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "rtc",
            "--channel",
            "c",
            "--uid",
            "1",
            "--validity",
            "100000",
        ],
        0,
    );
    assert!(
        built["notes"][0].as_str().unwrap().contains("86400 s"),
        "{built}"
    );
    // A facade error and its vendor source are one message, not two.
    // A certificate of the right length but not hex says so, not its length.
    let mut cmd = cli();
    cmd.env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", "z".repeat(32));
    let err = usage_error(cmd, &["build", "agora", "rtm", "--user", "u"]);
    assert!(
        err.contains("AGORA_APP_CERTIFICATE") && err.contains("hex"),
        "{err}"
    );
    assert!(!err.contains("got 32"), "{err}");
    // A missing secret file: the setting, the path, and "no such file".
    let missing = std::env::temp_dir().join("rtc-tokens-no-such-dir/agora.cert");
    let mut cmd = cli();
    cmd.env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE_FILE", &missing);
    let err = usage_error(cmd, &["build", "agora", "rtm", "--user", "u"]);
    assert!(err.contains("AGORA_APP_CERTIFICATE_FILE"), "{err}");
    assert!(err.contains(&*missing.to_string_lossy()), "{err}");
    assert!(
        err.contains("no such file") && !err.contains("entity"),
        "{err}"
    );
    let long_user = "a".repeat(70);
    let err = usage_error(with_zego(cli()), &["build", "zego", "--user", &long_user]);
    assert_eq!(err.matches("invalid user id").count(), 1, "{err}");
}

#[test]
fn at_takes_unix_seconds_or_rfc3339() {
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtm", "--user", "u", "--validity", "600"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let expires = built["expires_at_utc"].as_str().unwrap();
    let expires_at = built["expires_at"].as_u64().unwrap();
    let p = run_json(with_agora(cli()), &["parse", token, "--at", expires], 1);
    assert_eq!(p["problems"][0]["kind"], "expired", "{p}");
    assert_eq!(p["checked_at"], expires_at);
    let before = (expires_at - 60).to_string();
    run_json(with_agora(cli()), &["parse", token, "--at", &before], 0);
    // The same instant with an offset.
    let p = run_json(
        with_agora(cli()),
        &["parse", token, "--at", "2000-01-01T01:00:00+01:00"],
        0,
    );
    assert_eq!(p["checked_at"], 946_684_800);
    let err = usage_error(cli(), &["parse", token, "--at", "tomorrow"]);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn bad_input_is_a_usage_error_without_secrets() {
    let short = "0123456789abcdef0123456789abcde";
    let mut cmd = cli();
    cmd.env("ZEGO_APP_ID", "1").env("ZEGO_SERVER_SECRET", short);
    let err = usage_error(cmd, &["build", "zego", "--user", "a"]);
    assert!(
        err.contains("ZEGO_SERVER_SECRET: must be exactly 32 bytes") && !err.contains(short),
        "{err}"
    );

    let mut cmd = cli();
    cmd.env("AGORA_APP_ID", AGORA_APP_ID)
        .env("AGORA_APP_CERTIFICATE", short);
    let err = usage_error(cmd, &["build", "agora", "fpa"]);
    assert!(
        err.contains("AGORA_APP_CERTIFICATE: must be 32 hex") && !err.contains(short),
        "{err}"
    );

    // A bad secret is refused by parse too, even though parse can work without one.
    let mut cmd = cli();
    cmd.env("ZEGO_SERVER_SECRET", short);
    usage_error(cmd, &["parse", "04AAAA"]);

    // Missing environment variables.
    let err = usage_error(cli(), &["build", "zego", "--user", "a"]);
    assert!(err.contains("ZEGO_APP_ID"), "{err}");
    let mut cmd = cli();
    cmd.env("ZEGO_APP_ID", "1");
    let err = usage_error(cmd, &["build", "zego", "--user", "a"]);
    assert!(
        err.contains("ZEGO_SERVER_SECRET") && err.contains("--secret-file"),
        "{err}"
    );
    let mut cmd = cli();
    cmd.env("AGORA_APP_CERTIFICATE", AGORA_CERT);
    assert!(usage_error(cmd, &["build", "agora", "chat-app"]).contains("AGORA_APP_ID"));
    let mut cmd = cli();
    cmd.env("AGORA_APP_ID", AGORA_APP_ID);
    assert!(usage_error(cmd, &["build", "agora", "chat-app"]).contains("AGORA_APP_CERTIFICATE"));

    // Unknown vendor, both a secret and its file, unreadable file, invalid values.
    assert!(usage_error(cli(), &["build", "skype"]).contains("skype"));
    assert!(usage_error(cli(), &["parse", "x", "--vendor", "skype"]).contains("skype"));
    let mut cmd = with_zego(cli());
    cmd.env("ZEGO_SERVER_SECRET_FILE", "/nonexistent/zego.secret");
    assert!(usage_error(cmd, &["build", "zego", "--user", "a"]).contains("not both"));
    let err = usage_error(
        with_zego(cli()),
        &[
            "build",
            "zego",
            "--user",
            "a",
            "--secret-file",
            "/nonexistent/s",
        ],
    );
    assert!(err.contains("--secret-file: cannot read"), "{err}");
    let mut cmd = with_zego(cli());
    cmd.env("ZEGO_APP_ID", "0");
    usage_error(cmd, &["build", "zego", "--user", "a"]);
    usage_error(with_zego(cli()), &["build", "zego", "--user", ""]);
    usage_error(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--login-only"],
    );
    usage_error(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--mode", "ecb"],
    );
    usage_error(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "rtc",
            "--channel",
            "c",
            "--uid",
            "1",
            "--account",
            "a",
        ],
    );
    usage_error(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "rtc",
            "--channel",
            "c",
            "--uid",
            "1",
            "--token-version",
            "006",
            "--join-validity",
            "5",
        ],
    );
    usage_error(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "rtm2",
            "--user",
            "u",
            "--permission",
            "planets:read:x",
        ],
    );
    let mut cmd = with_agora(cli());
    cmd.env("AGORA_TOKEN_VERSION", "008");
    usage_error(cmd, &["build", "agora", "rtm", "--user", "u"]);
}

#[test]
fn secrets_cannot_be_passed_as_flag_values() {
    let secret = "s3cr3tvalue0000000000000000000000";
    let secret_eq = format!("--secret={secret}");
    let certificate_eq = format!("--certificate={secret}");
    for args in [
        ["build", "zego", "--user", "a", "--secret", secret].as_slice(),
        &["build", "zego", "--user", "a", &secret_eq],
        &["build", "agora", "fpa", "--app-certificate", secret],
        &["parse", "007x", &certificate_eq],
    ] {
        let err = usage_error(with_zego(cli()), args);
        assert!(err.contains("never taken from a flag value"), "{err}");
        assert!(!err.contains(secret), "{err}");
    }
}

#[test]
fn json_field_names_are_stable() {
    let built = run_json(with_zego(cli()), &["build", "zego", "--user", "a"], 0);
    let keys: Vec<&str> = built
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "vendor",
        "version",
        "kind",
        "mode",
        "token",
        "issued_at",
        "issued_at_utc",
        "expires_at",
        "expires_at_utc",
        "renew_at",
        "renew_at_utc",
        "notes",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);

    let parsed = run_json(cli(), &["parse", built["token"].as_str().unwrap()], 0);
    let mut keys: Vec<&str> = parsed
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = [
        "ok",
        "vendor",
        "version",
        "verification",
        "app_id",
        "user",
        "room",
        "issued_at",
        "issued_at_utc",
        "expires_at",
        "expires_at_utc",
        "expiry_authenticated",
        "expires_in_secs",
        "expired",
        "checked_at",
        "privileges",
        "detail",
        "notes",
        "warnings",
        "problems",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn mismatches_with_the_configuration_are_warned_about() {
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let mut cmd = with_agora(cli());
    cmd.env("AGORA_APP_ID", "ffffffffffffffffffffffffffffffff");
    let p = run_json(
        cmd,
        &["parse", token, "--channel", "other", "--uid", "42"],
        0,
    );
    let warnings = p["warnings"].to_string();
    assert!(warnings.contains("but AGORA_APP_ID is ffff"), "{warnings}");
    assert!(
        warnings.contains("for channel \\\"lobby\\\", not \\\"other\\\""),
        "{warnings}"
    );
}

#[test]
fn the_app_id_warning_knows_the_loaders_aliases() {
    // ZEGO: the sample servers' bare APP_ID (with a ZEGO secret set) and ZEGOCLOUD_APP_ID.
    let built = run_json(with_zego(cli()), &["build", "zego", "--user", "u1"], 0);
    let token = built["token"].as_str().unwrap();
    for var in ["APP_ID", "ZEGOCLOUD_APP_ID"] {
        let mut cmd = cli();
        cmd.env(var, "987654321")
            .env("ZEGO_SERVER_SECRET", ZEGO_SECRET);
        let out = cmd.args(["parse", token, "--json"]).output().unwrap();
        let warnings = json(&out.stdout)["warnings"].to_string();
        let want = format!("the token is for app id {ZEGO_APP_ID}, but {var} is 987654321");
        assert!(warnings.contains(&want), "{var}: {warnings}");
    }
    // Agora: the bare APP_ID with an Agora certificate set.
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let mut cmd = cli();
    cmd.env("APP_ID", "ffffffffffffffffffffffffffffffff")
        .env("AGORA_APP_CERTIFICATE", AGORA_CERT);
    let p = run_json(cmd, &["parse", token], 0);
    let warnings = p["warnings"].to_string();
    let want = format!("the token is for app id {AGORA_APP_ID}, but APP_ID is ffff");
    assert!(warnings.contains(&want), "{warnings}");
}
