//! Privilege expiry: `verify` requires what a token needs to be usable (or
//! what the caller names), and each parsed privilege reports its absolute
//! expiry, for 007, 006 and ZEGO.

use rtc_tokens::agora_dynamic_key::access_token::{self, AccessToken};
use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId};
use rtc_tokens::{
    AgoraProvider, AgoraVersion, DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID, ErrorKind,
    ParseOptions, Privilege, PrivilegeExpiries, TokenKind, TokenProvider, TokenRequest,
    ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn join_for_a_minute() -> TokenRequest {
    TokenRequest::rtc("alice", "lobby").with_privilege_expiries(PrivilegeExpiries {
        join: Some(60),
        ..PrivilegeExpiries::default()
    })
}

#[test]
fn a_007_token_whose_join_privilege_expired_fails_verify_naming_it() {
    let p = AgoraProvider::demo();
    let issued = p.issue_at(&join_for_a_minute(), NOW).unwrap();
    assert_eq!(issued.expires_at, NOW + 3_600);
    assert!(p.verify(&issued.token, &ParseOptions::at(NOW + 59)).is_ok());
    let err = p
        .verify(&issued.token, &ParseOptions::at(NOW + 61))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired, "{err}");
    assert!(err.message().contains("join channel"), "{err}");
    assert!(err.message().contains(&(NOW + 60).to_string()), "{err}");
    // Asked for what still lasts, or for nothing, it verifies.
    let publish =
        ParseOptions::at(NOW + 61).require([Privilege::PublishAudio, Privilege::PublishVideo]);
    assert!(p.verify(&issued.token, &publish).is_ok());
    assert!(
        p.verify(&issued.token, &ParseOptions::at(NOW + 61).require([]))
            .is_ok()
    );
    // Skipping expiry skips privilege expiry too.
    assert!(
        p.verify(&issued.token, &ParseOptions::skip_expiry())
            .is_ok()
    );
}

#[test]
fn a_privilege_the_token_lacks_is_a_mismatch() {
    let p = AgoraProvider::demo();
    let subscriber = TokenRequest::rtc("alice", "lobby").with_role(rtc_tokens::Role::Subscriber);
    let token = p.issue_at(&subscriber, NOW).unwrap().token;
    let options = ParseOptions::at(NOW + 1).require([Privilege::PublishAudio]);
    let err = p.verify(&token, &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mismatch, "{err}");
    assert!(err.message().contains("publish audio"), "{err}");
    // An RTM token logs in (its default) but joins no channel.
    let rtm = TokenRequest {
        kind: TokenKind::Rtm,
        user_id: Some("alice".to_owned()),
        ..TokenRequest::default()
    };
    for version in [AgoraVersion::V007, AgoraVersion::V006] {
        let p = AgoraProvider::demo().with_version(version);
        let token = p.issue_at(&rtm, NOW).unwrap().token;
        let base = if version == AgoraVersion::V006 {
            ParseOptions::at(NOW + 1).with_channel_uid("alice", "")
        } else {
            ParseOptions::at(NOW + 1)
        };
        assert!(p.verify(&token, &base).is_ok(), "{version}");
        let join = base.require([Privilege::JoinChannel]);
        assert_eq!(
            p.verify(&token, &join).unwrap_err().kind(),
            ErrorKind::Mismatch,
            "{version}"
        );
    }
    // ZEGO: a login-only (subscriber) token does not publish.
    let zego = ZegoProvider::demo();
    let token = zego.issue_at(&subscriber, NOW).unwrap().token;
    assert!(zego.verify(&token, &ParseOptions::at(NOW + 1)).is_ok());
    let join = ParseOptions::at(NOW + 1).require([Privilege::JoinChannel]);
    assert!(zego.verify(&token, &join).is_ok());
    let err = zego.verify(&token, &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mismatch, "{err}");
}

#[test]
fn a_006_token_whose_join_privilege_expired_fails_verify_naming_it() {
    let app_id = AppId::new(DEMO_AGORA_APP_ID).unwrap();
    let cert = AppCertificate::new(DEMO_AGORA_APP_CERTIFICATE).unwrap();
    let ts = u32::try_from(NOW + 3_600).unwrap();
    let join_until = u32::try_from(NOW + 60).unwrap();
    let mut token = AccessToken::new(app_id, "lobby", "42", ts);
    token
        .add_privilege(access_token::Privilege::JoinChannel, join_until)
        .add_privilege(access_token::Privilege::PublishAudioStream, ts);
    let token = token.build(&cert).unwrap();
    let p = AgoraProvider::demo();
    let options = |now| ParseOptions::at(now).with_channel_uid("lobby", "42");
    let parsed = p.verify(&token, &options(NOW + 59)).unwrap();
    let join = parsed
        .privileges
        .iter()
        .find(|v| v.name == "join channel")
        .unwrap();
    assert_eq!(join.expires_at, Some(NOW + 60));
    let err = p.verify(&token, &options(NOW + 61)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired, "{err}");
    assert!(err.message().contains("join channel"), "{err}");
}

#[test]
fn parsed_privileges_report_their_absolute_expiry() {
    // 007: issue time + the privilege's seconds; unset ones last as the token.
    let p = AgoraProvider::demo();
    let token = p.issue_at(&join_for_a_minute(), NOW).unwrap().token;
    let parsed = p.verify(&token, &ParseOptions::at(NOW)).unwrap();
    let expiries: Vec<_> = parsed
        .privileges
        .iter()
        .map(|v| (v.name.as_str(), v.expires_at))
        .collect();
    assert_eq!(
        expiries,
        [
            ("join channel", Some(NOW + 60)),
            ("publish audio", Some(NOW + 3_600)),
            ("publish video", Some(NOW + 3_600)),
            ("publish data stream", Some(NOW + 3_600)),
        ]
    );
    // 006: the absolute timestamps it carries.
    let p = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby").with_validity(600), NOW)
        .unwrap()
        .token;
    let parsed = p
        .verify(
            &token,
            &ParseOptions::at(NOW).with_channel_uid("lobby", "alice"),
        )
        .unwrap();
    assert!(!parsed.privileges.is_empty());
    for v in &parsed.privileges {
        assert_eq!(v.expires_at, Some(NOW + 600), "{v:?}");
    }
    // ZEGO: its privileges last as the token.
    let p = ZegoProvider::demo();
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby").with_validity(600), NOW)
        .unwrap()
        .token;
    let parsed = p.verify(&token, &ParseOptions::at(NOW)).unwrap();
    assert!(!parsed.privileges.is_empty());
    for v in &parsed.privileges {
        assert_eq!(v.expires_at, Some(NOW + 600), "{v:?}");
    }
}
