//! End-to-end tests of the command line itself: help, completions, what
//! goes to a pipe or a terminal, and the JSON field names.

mod common;

use predicates::prelude::*;

use common::*;

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
fn facade_choices_show_in_help_and_completion() {
    let rtc = ["build", "agora", "rtc"];
    assert_eq!(
        bash_complete(&[&rtc[..], &["--role", ""]].concat()),
        ["publisher", "subscriber"]
    );
    assert_eq!(
        bash_complete(&[&rtc[..], &["--token-version", ""]].concat()),
        ["006", "007"]
    );
    assert_eq!(
        bash_complete(&["build", "zego", "--mode", ""]),
        ["cbc", "gcm"]
    );
    let out = cli().args(rtc).arg("--help").assert().success();
    let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for line in [
        "publisher:  Join and publish [aliases: host, broadcaster]",
        "subscriber: Join and receive only [aliases: audience]",
        "007: AccessToken2 (current) [aliases: 7]",
        "[default: publisher]",
    ] {
        assert!(help.contains(line), "{line}: {help}");
    }
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
    let parsed = json(&out.get_output().stdout);
    assert_eq!(parsed["user"], "stdin-user");
    // The line break ends the line; the leading spaces were in the token.
    assert_eq!(
        parsed["warnings"][0],
        "the token had leading whitespace: ZEGO's servers would refuse it as sent (checked here \
         trimmed)"
    );
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
