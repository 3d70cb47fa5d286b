//! What a backend means to ask: `verify` with an expected app id, room and
//! user fails with `mismatch` naming the field, for every vendor and version.

use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId};
use rtc_tokens::{
    AgoraProvider, AgoraVersion, ErrorKind, ParseOptions, TokenProvider, TokenRequest, ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn providers() -> Vec<(&'static str, Box<dyn TokenProvider>)> {
    vec![
        ("zego", Box::new(ZegoProvider::demo())),
        ("007", Box::new(AgoraProvider::demo())),
        (
            "006",
            Box::new(AgoraProvider::demo().with_version(AgoraVersion::V006)),
        ),
    ]
}

/// Options expecting `room` and `user` (what a 006 token is verified with).
fn expecting(room: &str, user: &str) -> ParseOptions {
    ParseOptions::at(NOW + 1)
        .expect_room(room)
        .expect_user(user)
}

#[test]
fn the_expected_app_room_and_user_verify() {
    for (name, p) in providers() {
        let token = p
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token;
        let options = expecting("lobby", "alice").expect_app_id(p.app_id());
        let parsed = p
            .verify(&token, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.room.as_deref(), Some("lobby"), "{name}");
        // The old spelling still verifies a 006 token.
        let old = ParseOptions::at(NOW + 1).with_channel_uid("lobby", "alice");
        assert!(p.verify(&token, &old).is_ok(), "{name}");
    }
}

#[test]
fn another_room_user_or_app_id_is_a_mismatch_naming_the_field() {
    for (name, p) in providers() {
        let token = p
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token;
        let room = if name == "zego" { "room" } else { "channel" };
        let cases = [
            (expecting("kitchen", "alice"), room),
            (expecting("lobby", "bob"), "user"),
            (expecting("lobby", "alice").expect_app_id("999"), "app id"),
        ];
        for (options, field) in cases {
            let err = p.verify(&token, &options).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Mismatch, "{name} {field}: {err}");
            assert!(
                err.message().starts_with(&format!("{field} mismatch")),
                "{name}: {err}"
            );
            assert!(!err.message().contains(&token), "{name}: echoes the token");
            for expected in ["kitchen", "bob", "999"] {
                assert!(
                    !err.message().contains(expected),
                    "{name}: echoes {expected}"
                );
            }
        }
    }
}

#[test]
fn a_token_for_any_user_or_room_is_not_a_mismatch() {
    // Agora uid 0 joins as any user; a ZEGO identity token names no room.
    let agora = AgoraProvider::demo();
    let token = agora
        .issue_at(&TokenRequest::rtc_uid(0, "lobby"), NOW)
        .unwrap()
        .token;
    let options = ParseOptions::at(NOW + 1).expect_user("42");
    assert!(agora.verify(&token, &options).is_ok());
    let zego = ZegoProvider::demo();
    let token = zego
        .issue_at(
            &TokenRequest {
                user_id: Some("alice".to_owned()),
                ..TokenRequest::default()
            },
            NOW,
        )
        .unwrap()
        .token;
    let options = ParseOptions::at(NOW + 1).expect_room("lobby");
    assert!(zego.verify(&token, &options).is_ok());
}

#[test]
fn a_006_token_checked_against_another_channel_says_mismatch_not_signature() {
    let p = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    let err = p
        .verify(&token, &expecting("kitchen", "alice"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mismatch, "{err}");
    assert!(err.message().starts_with("channel mismatch"), "{err}");
    // What the caller expected is never echoed (it could be a token pasted
    // into the wrong field).
    assert!(!err.message().contains("kitchen"), "{err}");
    // Signed with another certificate, for the right channel: signature.
    let other = AgoraProvider::new(
        AppId::new(rtc_tokens::DEMO_AGORA_APP_ID).unwrap(),
        AppCertificate::new("00000000000000000000000000000000").unwrap(),
    );
    let err = other
        .verify(&token, &expecting("lobby", "alice"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Signature, "{err}");
}

#[test]
fn surrounding_whitespace_is_malformed_for_every_provider() {
    let mut registry = rtc_tokens::Providers::new();
    registry.insert(std::sync::Arc::new(ZegoProvider::demo()));
    registry.insert(std::sync::Arc::new(AgoraProvider::demo()));
    for (name, p) in providers() {
        let token = p
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token;
        let options = expecting("lobby", "alice");
        assert!(p.verify(&token, &options).is_ok(), "{name}");
        for sent in [
            format!("{token}\n"),
            format!(" {token}"),
            format!("{token}\r\n"),
        ] {
            for err in [
                p.inspect(&sent, &options).unwrap_err(),
                p.verify(&sent, &options).unwrap_err(),
                registry.verify(&sent, &options).unwrap_err(),
                rtc_tokens::dangerous::insecure_decode(&sent).unwrap_err(),
            ] {
                assert_eq!(err.kind(), ErrorKind::Malformed, "{name}: {err}");
                assert!(err.message().contains("whitespace"), "{name}: {err}");
            }
        }
    }
}
