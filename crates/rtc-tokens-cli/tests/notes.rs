//! End-to-end tests of the facade's typed notes as `parse` renders them:
//! words in the report (`note:` lines for what only informs, `warning:`
//! lines for what will fail), typed names under `notes` in `--json`, and a
//! legacy token explained rather than called unknown.

mod common;

use predicates::prelude::*;
use serde_json::{Value, json};

use common::*;

/// A ZEGO token03 (the CBC container with prefix `03` and no mode byte).
const TOKEN03: &str = "03AAAAAGVT8QAAEDAxMjM0NTY3ODlhYmNkZWYAEKWlpaWlpaWlpaWlpaWlpaU=";

/// A 007 token issued at 1700000000 for `lobby`/`alice` by another library,
/// with the unix time to end at (1700003600) as its `expire` and as its join
/// privilege, where 007 expects seconds of validity.
const TIMESTAMP_AS_VALIDITY_007: &str = "007eJxTYJDlOXznvKPSomuL/ijuvJDi7Dn7PcuOvfFXqxvFA3+crjVSYDAwNDI2MTUzt7BMTEpOSU1D5zN8DE4V+B+cmmyrx8AIhSA+K0NOflJSJStDYk5mcioAdIsj5Q==";

/// A 006 token for `lobby`/`alice` (expiry 1700003600) whose join privilege
/// says 3600, seconds of validity where 006 expects a unix time.
const VALIDITY_AS_TIMESTAMP_006: &str = "0060123456789abcdef0123456789abcdefIABePhu4EGIbXFoXpmHhR5Rjz+fTyQPQgi4NKPYXAN53+vdV5MxHvI4nEAB3aawCEP9TZQEAAQAQDgAA";

fn agora_token(args: &[&str]) -> String {
    let mut all = vec!["build", "agora"];
    all.extend_from_slice(args);
    run_json(with_agora(cli()), &all, 0)["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The notes of `parse --json`, by their typed name.
fn notes(parsed: &Value) -> Vec<Value> {
    parsed["notes"].as_array().unwrap().clone()
}

fn has_note(parsed: &Value, note: &Value) -> bool {
    notes(parsed).contains(note)
}

#[test]
fn a_zego_token03_is_explained_as_legacy() {
    cli()
        .args(["parse", TOKEN03])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("ZEGO token03 (legacy)")
                .and(predicate::str::contains(
                    "REJECTED (version): this is a ZEGO token03",
                ))
                .and(predicate::str::contains("not a known token").not()),
        )
        .stderr(predicate::str::contains("legacy format before token04"));
    let parsed = run_json(cli(), &["parse", TOKEN03], 1);
    assert_eq!(parsed["vendor"], "zego");
    assert_eq!(parsed["version"], Value::Null);
    assert_eq!(parsed["problems"][0]["kind"], "version");
    assert_eq!(parsed["problems"][0]["legacy"], "zego_token03");
    // Anything else with a 03 prefix stays unknown.
    let other = run_json(cli(), &["parse", "03abcdef"], 1);
    assert!(other["problems"][0].get("legacy").is_none());
    assert!(
        other["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a known token")
    );
}

#[test]
fn a_digit_account_that_is_also_a_uid_is_a_note() {
    let token = agora_token(&["rtc", "--channel", "lobby", "--account", "42"]);
    with_agora(cli())
        .args(["parse", &token])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "note: the RTC account \"42\" is all digits: Agora writes uid 42 the same way",
            )
            .and(predicate::str::contains("warning:").not()),
        );
    let parsed = run_json(with_agora(cli()), &["parse", &token], 0);
    assert!(has_note(
        &parsed,
        &json!({"note": "numeric_account", "account": "42", "uid": 42})
    ));
    assert!(parsed["warnings"].as_array().unwrap().is_empty());
    // A numeric uid token is the same string: the same note.
    let by_uid = agora_token(&["rtc", "--channel", "lobby", "--uid", "42"]);
    let parsed = run_json(with_agora(cli()), &["parse", &by_uid], 0);
    assert!(has_note(
        &parsed,
        &json!({"note": "numeric_account", "account": "42", "uid": 42})
    ));
}

#[test]
fn a_digit_account_that_no_uid_matches_is_a_warning() {
    let token = agora_token(&["rtc", "--channel", "lobby", "--account", "042"]);
    with_agora(cli())
        .args(["parse", &token])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: the RTC account \"042\" is all digits, but no numeric uid is written that \
             way",
        ));
    let parsed = run_json(with_agora(cli()), &["parse", &token], 0);
    assert!(has_note(
        &parsed,
        &json!({"note": "numeric_account", "account": "042", "uid": null})
    ));
    // An account with letters is not noted.
    let alice = agora_token(&["rtc", "--channel", "lobby", "--account", "alice"]);
    let parsed = run_json(with_agora(cli()), &["parse", &alice], 0);
    assert!(
        !notes(&parsed)
            .iter()
            .any(|n| n["note"] == "numeric_account")
    );
}

#[test]
fn rtc_only_and_rtm_only_tokens_say_what_they_cannot_do() {
    let rtc = agora_token(&["rtc", "--channel", "lobby", "--account", "alice"]);
    with_agora(cli())
        .args(["parse", &rtc])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: this token has no RTM login: RTM/Signaling will refuse it",
        ));
    let parsed = run_json(with_agora(cli()), &["parse", &rtc], 0);
    assert!(has_note(&parsed, &json!({"note": "rtc_only"})));

    let rtm = agora_token(&["rtm", "--user", "alice"]);
    with_agora(cli())
        .args(["parse", &rtm])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: this token has no RTC join privilege",
        ));
    let parsed = run_json(with_agora(cli()), &["parse", &rtm], 0);
    assert!(has_note(&parsed, &json!({"note": "rtm_only"})));

    let both = agora_token(&["rtc-rtm", "--channel", "lobby", "--user", "alice"]);
    let parsed = run_json(with_agora(cli()), &["parse", &both], 0);
    assert!(
        !notes(&parsed)
            .iter()
            .any(|n| n["note"] == "rtc_only" || n["note"] == "rtm_only")
    );
}

#[test]
fn a_unix_time_where_007_wants_seconds_is_a_warning() {
    let args = ["parse", TIMESTAMP_AS_VALIDITY_007, "--at", "1700000100"];
    with_agora(cli()).args(args).assert().success().stdout(
        predicate::str::contains(
            "warning: the token's expire field is 1700003600 s, which looks like a unix time",
        )
        .and(predicate::str::contains(
            "warning: privilege \"join channel\" (rtc) lasts 1700003600 s",
        )),
    );
    let parsed = run_json(with_agora(cli()), &args, 0);
    assert!(has_note(
        &parsed,
        &json!({"note": "timestamp_as_validity", "value": 1_700_003_600_u32})
    ));
    assert!(has_note(
        &parsed,
        &json!({"note": "timestamp_as_validity", "service": "rtc",
                "privilege": "join channel", "value": 1_700_003_600_u32})
    ));
}

#[test]
fn seconds_where_006_wants_a_unix_time_are_a_warning() {
    let args = [
        "parse",
        VALIDITY_AS_TIMESTAMP_006,
        "--channel",
        "lobby",
        "--account",
        "alice",
        "--ignore-expiry",
    ];
    with_agora(cli())
        .args(args)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: privilege \"join channel\" (rtc) ends at 3600, which looks like seconds of \
             validity: a 006 token expects a unix time, so it ended at 1970-01-01T01:00:00Z",
        ));
    let parsed = run_json(with_agora(cli()), &args, 0);
    assert_eq!(parsed["verification"], "verified");
    assert!(has_note(
        &parsed,
        &json!({"note": "validity_as_timestamp", "service": "rtc",
                "privilege": "join channel", "value": 3600})
    ));
    // Without --ignore-expiry, it is rejected as expired in 1970.
    let strict = &args[..args.len() - 1];
    run_json(with_agora(cli()), strict, 1);
}
