//! End-to-end tests of `build agora convoai` and `build agora stt`: built through
//! the facade as 007 only, and parsed back with their service listed.

mod common;

use predicates::prelude::*;
use serde_json::Value;

use common::*;

/// The `type` of each 007 service in a parsed token's detail.
fn service_types(parsed: &Value) -> Vec<String> {
    parsed["detail"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn convoai_and_stt_parse_back_with_their_service() {
    for (kind, name) in [("convoai", "convoai"), ("stt", "stt")] {
        let built = run_json(
            with_agora(cli()),
            &[
                "build",
                "agora",
                kind,
                "--channel",
                "support-42",
                "--uid",
                "1001",
                "--user",
                "agent-1",
            ],
            0,
        );
        assert_eq!(built["kind"], name);
        assert_eq!(built["version"], "007");
        let token = built["token"].as_str().unwrap();
        let parsed = run_json(with_agora(cli()), &["parse", token], 0);
        assert_eq!(parsed["verification"], "verified", "{kind}");
        assert_eq!(parsed["user"], "1001");
        assert_eq!(parsed["room"], "support-42");
        assert_eq!(service_types(&parsed), ["rtc", "rtm", name]);
        let rtm = &parsed["detail"]["services"][1];
        assert_eq!(rtm["user_id"], "agent-1");
        let listed = parsed["privileges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["service"] == name && p["name"] == "no privileges");
        assert!(listed, "{kind}: {parsed}");
        // The human view lists the service too.
        with_agora(cli())
            .args(["parse", token])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("{name}: no privileges")));
    }
}

#[test]
fn convoai_and_stt_are_007_whatever_the_environment_says() {
    for kind in ["convoai", "stt"] {
        let mut cmd = with_agora(cli());
        cmd.env("AGORA_TOKEN_VERSION", "006");
        let built = run_json(
            cmd,
            &["build", "agora", kind, "--channel", "c", "--user", "u"],
            0,
        );
        assert_eq!(built["version"], "007", "{kind}");
        let parsed = run_json(
            with_agora(cli()),
            &["parse", built["token"].as_str().unwrap()],
            0,
        );
        // Without --uid the RTC account is the RTM user.
        assert_eq!(parsed["user"], "u");
        assert_eq!(service_types(&parsed), ["rtc", "rtm", kind]);
    }
}

#[test]
fn convoai_and_stt_take_the_rtc_rtm_flags() {
    let built = run_json(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "stt",
            "--channel",
            "c",
            "--user",
            "u",
            "--role",
            "subscriber",
            "--validity",
            "600",
            "--join-validity",
            "300",
        ],
        0,
    );
    let parsed = run_json(
        with_agora(cli()),
        &["parse", built["token"].as_str().unwrap()],
        0,
    );
    let rtc = &parsed["detail"]["services"][0]["privileges"];
    assert_eq!(rtc, &serde_json::json!({"1": 300}));
    assert_eq!(parsed["detail"]["expire"], 600);
    // A subscriber has no publish privileges to time.
    let err = usage_error(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "convoai",
            "--channel",
            "c",
            "--user",
            "u",
            "--role",
            "subscriber",
            "--audio-validity",
            "60",
        ],
    );
    assert!(err.contains("subscriber"), "{err}");
    // --user is required, as for rtc-rtm.
    cli()
        .args(["build", "agora", "convoai", "--channel", "c"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--user"));
}

#[test]
fn convoai_and_stt_have_help_with_examples() {
    for kind in ["convoai", "stt"] {
        cli()
            .args(["build", "agora", kind, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("--user")));
    }
}
