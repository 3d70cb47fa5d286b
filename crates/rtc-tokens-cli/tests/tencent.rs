//! `build tencent` and `parse` of Tencent UserSigs and PrivateMapKeys, through
//! the built binary.

mod common;

use assert_cmd::Command;
use common::*;

const TENCENT_APP_ID: &str = "1400000000";
const TENCENT_KEY: &str = "demo0000demo0000demo0000demo0000demo0000demo0000demo0000demo0000";

fn with_tencent(mut cmd: Command) -> Command {
    cmd.env("TENCENT_SDK_APP_ID", TENCENT_APP_ID)
        .env("TENCENT_SECRET_KEY", TENCENT_KEY);
    cmd
}

fn names(parsed: &serde_json::Value) -> Vec<String> {
    parsed["privileges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn build_then_parse_usersig_and_private_map_keys() {
    // (extra build args, kind, room, privileges)
    type Case<'a> = (&'a [&'a str], &'a str, Option<&'a str>, &'a [&'a str]);
    let cases: &[Case<'_>] = &[
        (
            &[],
            "usersig",
            None,
            &["identity: any room (unless room permission control is on)"],
        ),
        (
            &["--room", "1234"],
            "private_map_key",
            Some("1234"),
            &[
                "create room",
                "enter room",
                "send audio",
                "receive audio",
                "send video",
                "receive video",
                "send sub video",
                "receive sub video",
            ],
        ),
        (
            &["--room", "lobby", "--role", "subscriber"],
            "private_map_key",
            Some("lobby"),
            &[
                "enter room",
                "receive audio",
                "receive video",
                "receive sub video",
            ],
        ),
        (
            &[
                "--room",
                "lobby",
                "--privilege",
                "join-channel",
                "--privilege",
                "publish_audio",
            ],
            "private_map_key",
            Some("lobby"),
            &["enter room", "send audio"],
        ),
    ];
    for (extra, kind, room, privileges) in cases {
        let mut args = vec!["build", "tencent", "--user", "alice"];
        args.extend_from_slice(extra);
        let built = run_json(with_tencent(cli()), &args, 0);
        assert_eq!(built["vendor"], "tencent");
        assert_eq!(built["version"], "usersig");
        assert_eq!(built["kind"], *kind);
        let token = built["token"].as_str().unwrap();
        assert!(token.starts_with("eJ"), "{token}");

        let parsed = run_json(with_tencent(cli()), &["parse", token], 0);
        assert_eq!(parsed["ok"], true, "{parsed}");
        assert_eq!(parsed["vendor"], "tencent");
        assert_eq!(parsed["verification"], "verified");
        assert_eq!(parsed["user"], "alice");
        assert_eq!(parsed["room"].as_str(), *room);
        assert_eq!(parsed["app_id"], TENCENT_APP_ID);
        assert_eq!(parsed["expires_at"], built["expires_at"]);
        assert_eq!(parsed["detail"]["format"], "tencent_usersig");
        assert_eq!(names(&parsed), *privileges);

        // Without the key it decodes, unverified, and says how to verify.
        let seen = run_json(cli(), &["parse", token], 0);
        assert_eq!(seen["verification"], "not_checked");
        let warnings = seen["warnings"].to_string();
        assert!(warnings.contains("TENCENT_SECRET_KEY"), "{warnings}");
    }
}

#[test]
fn parse_rejects_a_wrong_key_another_app_and_a_wrong_vendor() {
    let built = run_json(
        with_tencent(cli()),
        &["build", "tencent", "--user", "alice"],
        0,
    );
    let token = built["token"].as_str().unwrap();

    let mut other_key = cli();
    other_key
        .env("TENCENT_SDK_APP_ID", TENCENT_APP_ID)
        .env("TENCENT_SECRET_KEY", "another-key");
    let parsed = run_json(other_key, &["parse", token], 1);
    assert_eq!(parsed["verification"], "signature_invalid");
    assert_eq!(parsed["problems"][0]["kind"], "signature");

    let mut other_app = with_tencent(cli());
    other_app.env("TENCENT_SDK_APP_ID", "1400000001");
    let parsed = run_json(other_app, &["parse", token], 1);
    assert_eq!(parsed["problems"][0]["kind"], "mismatch", "{parsed}");

    let parsed = run_json(
        with_tencent(cli()),
        &["parse", token, "--vendor", "agora"],
        1,
    );
    assert_eq!(parsed["problems"][0]["kind"], "version");

    // Cut short in transit: recognised as such.
    let cut = &token[..token.len() - 2];
    let parsed = run_json(cli(), &["parse", cut], 1);
    assert_eq!(parsed["problems"][0]["mangling"], "truncated", "{parsed}");

    let text = cli()
        .args(["parse", token])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.starts_with("Tencent UserSig"), "{text}");
}

#[test]
fn build_refuses_what_tencent_cannot_express() {
    let cases: &[&[&str]] = &[
        &["--user", "al ice"],
        &["--user", "alice", "--room", "a/b"],
        &["--user", "alice", "--role", "subscriber"],
        &[
            "--user",
            "alice",
            "--room",
            "r",
            "--role",
            "subscriber",
            "--privilege",
            "publish-video",
        ],
    ];
    for extra in cases {
        let mut args = vec!["build", "tencent"];
        args.extend_from_slice(extra);
        let out = with_tencent(cli())
            .args(&args)
            .assert()
            .failure()
            .get_output()
            .clone();
        assert!(out.stdout.is_empty(), "{extra:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("tencent"), "{extra:?}: {err}");
        assert!(!err.contains(TENCENT_KEY));
    }
    // Nothing configured: says what to set.
    let err = usage_error(cli(), &["build", "tencent", "--user", "alice"]);
    assert!(err.contains("TENCENT_SDK_APP_ID"), "{err}");
    // A secret is never a flag value.
    let err = usage_error(
        cli(),
        &["build", "tencent", "--user", "a", "--secret-key", "k"],
    );
    assert!(err.contains("--secret-key"), "{err}");
    assert!(!err.contains(" k "), "{err}");
}
