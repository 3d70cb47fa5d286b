//! End-to-end tests: tokens built by the binary parse back with every field,
//! for every ZEGO payload and every Agora builder.

mod common;

use serde_json::Value;

use common::*;

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
    assert_eq!(text.matches("OK: no problem found").count(), 4, "{text}");
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
    assert_eq!(versions, ["04", "007", "006", "usersig"]);
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
fn zego_mode_flag_over_environment_over_default() {
    // (ZEGO_TOKEN_MODE, --mode) -> the mode the token really has, as parse reads it.
    for (env, flag, mode) in [
        (None, None, "gcm"),
        (Some("cbc"), None, "cbc"),
        (Some("CBC"), None, "cbc"),
        (Some("cbc"), Some("gcm"), "gcm"),
        (Some("gcm"), Some("cbc"), "cbc"),
        (None, Some("Cbc"), "cbc"),
    ] {
        let mut cmd = with_zego(cli());
        if let Some(env) = env {
            cmd.env("ZEGO_TOKEN_MODE", env);
        }
        let mut args = vec!["build", "zego", "--user", "a"];
        args.extend(flag.map(|f| ["--mode", f]).iter().flatten());
        let built = run_json(cmd, &args, 0);
        assert_eq!(built["mode"], mode, "{env:?} {flag:?}");
        let token = built["token"].as_str().unwrap();
        let parsed = run_json(with_zego(cli()), &["parse", token], 0);
        assert_eq!(parsed["detail"]["mode"], mode, "{env:?} {flag:?}");
        assert_eq!(parsed["ok"], true, "{parsed}");
    }
    // A bad variable is named; a bad flag value is a usage error listing the choices.
    let mut cmd = with_zego(cli());
    cmd.env("ZEGO_TOKEN_MODE", "ecb");
    let err = usage_error(cmd, &["build", "zego", "--user", "a"]);
    assert!(err.contains("ZEGO_TOKEN_MODE"), "{err}");
    let err = usage_error(
        with_zego(cli()),
        &["build", "zego", "--user", "a", "--mode", "ecb"],
    );
    assert!(err.contains("[possible values: gcm, cbc]"), "{err}");
}

#[test]
fn agora_version_flag_over_environment_over_default() {
    for (env, flag, version) in [
        (None, None, "007"),
        (Some("006"), None, "006"),
        (Some("6"), None, "006"),
        (Some("006"), Some("007"), "007"),
        (Some("007"), Some("6"), "006"),
    ] {
        let mut cmd = with_agora(cli());
        if let Some(env) = env {
            cmd.env("AGORA_TOKEN_VERSION", env);
        }
        let mut args = vec!["build", "agora", "rtm", "--user", "u"];
        args.extend(flag.map(|f| ["--token-version", f]).iter().flatten());
        let built = run_json(cmd, &args, 0);
        assert_eq!(built["version"], version, "{env:?} {flag:?}");
    }
    // rtc-rtm exists only as 007, whatever the environment says.
    let mut cmd = with_agora(cli());
    cmd.env("AGORA_TOKEN_VERSION", "006");
    let built = run_json(
        cmd,
        &["build", "agora", "rtc-rtm", "--channel", "c", "--user", "u"],
        0,
    );
    assert_eq!(built["version"], "007");
}

#[test]
fn roles_accept_the_facade_aliases() {
    for (role, subscriber) in [
        ("publisher", false),
        ("HOST", false),
        ("broadcaster", false),
        ("subscriber", true),
        ("audience", true),
    ] {
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
                "--role",
                role,
            ],
            0,
        );
        let token = built["token"].as_str().unwrap();
        let parsed = run_json(with_agora(cli()), &["parse", token], 0);
        let publishes = parsed["privileges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"].as_str().unwrap().contains("publish"));
        assert_eq!(publishes, !subscriber, "{role}: {parsed}");
    }
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
    // The uid's CRC32 differs: that is the news, and the signature fails with it.
    assert_eq!(parsed["problems"][0]["kind"], "mismatch");
    assert_eq!(parsed["problems"][1]["kind"], "signature");
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
