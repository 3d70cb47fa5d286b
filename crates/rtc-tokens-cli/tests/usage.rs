//! End-to-end tests of bad input: usage errors are one line, say what is
//! wrong once and never echo a secret; `--at` formats.

mod common;

use common::*;

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
fn an_unconfigured_vendor_says_what_to_set_and_points_to_demo() {
    for (args, vendor, vars) in [
        (
            ["build", "agora", "rtm", "--user", "u"].as_slice(),
            "agora",
            [
                "AGORA_APP_ID",
                "AGORA_APP_CERTIFICATE_FILE",
                "AGORA_APP_CERTIFICATE",
            ],
        ),
        (
            &["build", "agora", "fpa"],
            "agora",
            [
                "AGORA_APP_ID",
                "AGORA_APP_CERTIFICATE_FILE",
                "AGORA_APP_CERTIFICATE",
            ],
        ),
        (
            &["build", "zego", "--user", "u"],
            "zego",
            [
                "ZEGO_APP_ID",
                "ZEGO_SERVER_SECRET_FILE",
                "ZEGO_SERVER_SECRET",
            ],
        ),
    ] {
        let err = usage_error(cli(), args);
        assert!(
            err.starts_with(&format!("error: {vendor} is not configured: set ")),
            "{err}"
        );
        for var in vars {
            assert!(err.contains(var), "{var}: {err}");
        }
        assert!(err.contains("`rtc-tokens demo`"), "{err}");
    }
    // The other vendor's credentials do not count.
    let err = usage_error(with_zego(cli()), &["build", "agora", "fpa"]);
    assert!(err.contains("agora is not configured"), "{err}");
    // An app id alone still asks for the secret.
    let mut cmd = cli();
    cmd.env("AGORA_APP_ID", AGORA_APP_ID);
    let err = usage_error(cmd, &["build", "agora", "fpa"]);
    assert!(err.contains("AGORA_APP_CERTIFICATE is required"), "{err}");
}
