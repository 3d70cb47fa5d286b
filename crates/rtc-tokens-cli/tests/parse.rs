//! End-to-end tests of `parse`: expiry, tokens without their secret, the
//! vendors' conformance vectors, rejections, mangled tokens, and warnings
//! about a token that does not match the configuration.

mod common;

use predicates::prelude::*;
use serde_json::Value;

use common::*;

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
fn a_token_for_another_configured_app_is_rejected_and_the_setting_named() {
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
        &["parse", token, "--channel", "lobby", "--uid", "42"],
        1,
    );
    assert_eq!(p["problems"][0]["kind"], "mismatch", "{p}");
    let warnings = p["warnings"].to_string();
    assert!(warnings.contains("but AGORA_APP_ID is ffff"), "{warnings}");
}

#[test]
fn a_token_for_another_channel_or_user_is_rejected() {
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    // With the certificate, and without it: a 007 token decodes fully.
    for cmd in [with_agora(cli()), cli()] {
        let p = run_json(cmd, &["parse", token, "--channel", "other"], 1);
        assert_eq!(p["ok"], false);
        assert_eq!(p["problems"][0]["kind"], "mismatch", "{p}");
        let message = p["problems"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("for channel \"lobby\", not the one expected"),
            "{message}"
        );
        // The note stays, as a warning.
        assert!(p["warnings"].to_string().contains("\\\"other\\\""), "{p}");
    }
    let p = run_json(with_agora(cli()), &["parse", token, "--uid", "7"], 1);
    assert_eq!(p["problems"][0]["kind"], "mismatch", "{p}");
    let out = cli()
        .args(["parse", token, "--channel", "other"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("channel mismatch"), "{stderr}");
}

#[test]
fn another_app_id_is_a_mismatch_named_by_the_loaders_aliases() {
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
    // Authentic (the certificate is right) but for another app: rejected.
    let p = run_json(cmd, &["parse", token], 1);
    assert_eq!(p["problems"][0]["kind"], "mismatch", "{p}");
    let warnings = p["warnings"].to_string();
    let want = format!("the token is for app id {AGORA_APP_ID}, but APP_ID is ffff");
    assert!(warnings.contains(&want), "{warnings}");
}

#[test]
fn a_token_with_a_trailing_newline_is_read_trimmed_with_a_warning() {
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtc", "--channel", "lobby", "--uid", "42"],
        0,
    );
    let token = built["token"].as_str().unwrap();
    let p = run_json(with_agora(cli()), &["parse", &format!("{token}\n")], 0);
    assert_eq!(p["verification"], "verified");
    assert_eq!(
        p["warnings"][0],
        "the token had a trailing newline: Agora's servers would refuse it as sent (checked here \
         trimmed)"
    );
    let p = run_json(with_agora(cli()), &["parse", token], 0);
    assert_eq!(p["warnings"], serde_json::json!([]), "{p}");
}
