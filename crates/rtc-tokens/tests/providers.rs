//! Every request combination through the same trait, for both vendors: build,
//! then parse with the same provider, and the fields must come back; and every
//! refusal.

use std::sync::Arc;

use proptest::prelude::*;
use rtc_tokens::{
    AgoraProvider, AgoraVersion, ErrorKind, ExpiryCheck, ParseOptions, ParsedToken,
    PrivilegeExpiries, Providers, Role, TokenKind, TokenProvider, TokenRequest, TokenVersion,
    Vendor, VendorDetail, Verification, ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn zego() -> Arc<dyn TokenProvider> {
    Arc::new(ZegoProvider::demo())
}

fn agora() -> Arc<dyn TokenProvider> {
    Arc::new(AgoraProvider::demo())
}

fn agora006() -> Arc<dyn TokenProvider> {
    Arc::new(AgoraProvider::demo().with_version(AgoraVersion::V006))
}

fn roundtrip(p: &dyn TokenProvider, req: &TokenRequest) -> ParsedToken {
    let issued = p
        .issue_at(req, NOW)
        .unwrap_or_else(|e| panic!("{req:?}: {e}"));
    assert_eq!(issued.vendor, p.vendor());
    assert_eq!(issued.issued_at, NOW);
    assert!(issued.renew_at < issued.expires_at);
    assert!(issued.renew_at >= issued.issued_at);
    let parsed = p.verify(&issued.token, &ParseOptions::at(NOW)).unwrap();
    assert_eq!(parsed.expires_at, issued.expires_at, "{req:?}");
    assert_eq!(parsed.version, issued.version);
    assert_eq!(parsed.app_id, Some(p.app_id()));
    parsed
}

fn names(parsed: &ParsedToken) -> Vec<String> {
    parsed
        .privileges
        .iter()
        .map(|p| format!("{}: {}", p.service, p.name))
        .collect()
}

#[test]
fn zego_room_publisher_gets_login_and_publish() {
    let parsed = roundtrip(&*zego(), &TokenRequest::rtc("alice", "lobby"));
    assert_eq!(parsed.user.as_deref(), Some("alice"));
    assert_eq!(parsed.room.as_deref(), Some("lobby"));
    assert_eq!(parsed.expires_at, NOW + 3600);
    assert_eq!(parsed.verification, Verification::Verified);
    assert_eq!(
        names(&parsed),
        ["rtc: log in to room lobby", "rtc: publish streams"]
    );
    let VendorDetail::Zego04(claims) = &parsed.detail else {
        panic!()
    };
    assert_eq!(claims.mode, zego_token04::Mode::Gcm);
    assert_eq!(
        claims.payload,
        r#"{"room_id":"lobby","privilege":{"1":1,"2":1},"stream_id_list":null}"#
    );
}

#[test]
fn zego_room_publisher_with_streams() {
    let req = TokenRequest::rtc("alice", "lobby").with_stream_ids(["s1", "s2"]);
    let parsed = roundtrip(&*zego(), &req);
    assert_eq!(
        names(&parsed),
        ["rtc: log in to room lobby", "rtc: publish streams s1, s2"]
    );
}

#[test]
fn zego_room_subscriber_gets_login_only() {
    let req = TokenRequest::rtc("bob", "lobby")
        .with_role(Role::Subscriber)
        .with_validity(60);
    let parsed = roundtrip(&*zego(), &req);
    assert_eq!(parsed.expires_at, NOW + 60);
    assert_eq!(names(&parsed), ["rtc: log in to room lobby"]);
}

#[test]
fn zego_without_room_is_identity_or_publish_only() {
    let identity = TokenRequest {
        room: None,
        ..TokenRequest::rtc("carol", "")
    };
    let parsed = roundtrip(&*zego(), &identity);
    assert_eq!(parsed.room, None);
    let VendorDetail::Zego04(claims) = &parsed.detail else {
        panic!()
    };
    assert!(claims.payload.is_empty());

    let publish_only = identity.clone().with_stream_ids(["cam"]);
    let parsed = roundtrip(&*zego(), &publish_only);
    assert_eq!(parsed.room, None);
    assert_eq!(names(&parsed), ["rtc: publish streams cam"]);
}

#[test]
fn zego_cbc_is_decrypted_but_unauthenticated() {
    let p = ZegoProvider::demo().with_mode(zego_token04::Mode::Cbc);
    let parsed = roundtrip(&p, &TokenRequest::rtc("alice", "lobby"));
    assert_eq!(parsed.verification, Verification::DecryptedUnauthenticated);
}

#[test]
fn zego_refusals() {
    let p = zego();
    let base = TokenRequest::rtc("alice", "lobby");
    let refused = [
        base.clone().with_kind(TokenKind::Rtm),
        base.clone().with_kind(TokenKind::RtcRtm),
        base.clone().with_kind(TokenKind::Chat),
        base.clone().with_kind(TokenKind::ChatApp),
        base.clone().with_uid(1),
        base.clone()
            .with_privilege_expiries(PrivilegeExpiries::default()),
        base.clone()
            .with_role(Role::Subscriber)
            .with_stream_ids(["s"]),
        TokenRequest {
            room: None,
            role: Role::Subscriber,
            ..base.clone()
        },
        TokenRequest {
            user_id: None,
            ..base.clone()
        },
        TokenRequest {
            user_id: Some(String::new()),
            ..base.clone()
        },
        TokenRequest {
            user_id: Some("x".repeat(65)),
            ..base.clone()
        },
        base.clone().with_validity(0),
    ];
    for req in refused {
        let err = p.issue_at(&req, NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{req:?}");
        assert_eq!(err.vendor(), Some(Vendor::Zego));
    }
}

#[test]
fn agora_rtc_with_uid_and_account() {
    let p = agora();
    let parsed = roundtrip(
        &*p,
        &TokenRequest::rtc("ignored", "ch")
            .with_uid(42)
            .into_uid_only(),
    );
    assert_eq!(parsed.user.as_deref(), Some("42"));
    assert_eq!(parsed.room.as_deref(), Some("ch"));
    assert_eq!(parsed.verification, Verification::Verified);
    assert_eq!(
        names(&parsed),
        [
            "rtc: join channel",
            "rtc: publish audio",
            "rtc: publish video",
            "rtc: publish data stream"
        ]
    );
    for p in &parsed.privileges {
        assert_eq!(p.expires_at, Some(NOW + 3600));
    }

    let parsed = roundtrip(
        &*p,
        &TokenRequest::rtc("alice", "ch").with_role(Role::Subscriber),
    );
    assert_eq!(parsed.user.as_deref(), Some("alice"));
    assert_eq!(names(&parsed), ["rtc: join channel"]);

    let wildcard = roundtrip(
        &*p,
        &TokenRequest::rtc("x", "ch").with_uid(0).into_uid_only(),
    );
    assert_eq!(wildcard.user.as_deref(), Some(""));
}

#[test]
fn agora_validity_is_capped_at_24h() {
    let p = agora();
    for (asked, applied) in [
        (86_400, 86_400),
        (86_401, 86_400),
        (u32::MAX, 86_400),
        (10, 10),
    ] {
        let parsed = roundtrip(&*p, &TokenRequest::rtc("a", "ch").with_validity(asked));
        assert_eq!(parsed.expires_at, NOW + applied, "asked {asked}");
    }
}

/// A validity of 0 means nothing sensible for either vendor: every provider and
/// version refuses it, naming the field.
#[test]
fn validity_zero_is_refused_everywhere() {
    let providers: [Arc<dyn TokenProvider>; 3] = [zego(), agora(), agora006()];
    for p in providers {
        let err = p
            .issue_at(&TokenRequest::rtc("a", "ch").with_validity(0), NOW)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("validity_secs"), "{err}");
    }
}

/// Every constructor makes a request its vendor issues, and the setters compose.
#[test]
fn constructors_cover_every_kind() {
    let a = agora();
    let cases = [
        (TokenRequest::rtc_uid(42, "ch"), Some("42"), Some("ch")),
        (TokenRequest::rtc_uid(0, "ch"), Some(""), Some("ch")),
        (
            TokenRequest::rtc_account("bob", "ch"),
            Some("bob"),
            Some("ch"),
        ),
        (TokenRequest::rtm("bob"), Some("bob"), None),
        (TokenRequest::rtc_rtm("bob", "ch"), Some("bob"), Some("ch")),
        (TokenRequest::chat_user("bob"), Some("bob"), None),
        (TokenRequest::chat_app(), None, None),
    ];
    for (req, user, room) in cases {
        let parsed = roundtrip(&*a, &req);
        assert_eq!(
            (parsed.user.as_deref(), parsed.room.as_deref()),
            (user, room),
            "{req:?}"
        );
    }
    let composed = TokenRequest::rtm("x")
        .with_kind(TokenKind::Rtc)
        .with_user("carol")
        .with_room("lobby")
        .with_role(Role::Subscriber)
        .with_validity(600);
    assert_eq!(
        composed,
        TokenRequest::rtc("carol", "lobby")
            .with_role(Role::Subscriber)
            .with_validity(600)
    );
    let parsed = roundtrip(&*zego(), &composed);
    assert_eq!(parsed.expires_at, NOW + 600);
    assert_eq!(names(&parsed), ["rtc: log in to room lobby"]);
}

#[test]
fn agora_privilege_expiries() {
    let p = agora();
    let expiries = PrivilegeExpiries {
        join: Some(600),
        publish_audio: Some(300),
        ..Default::default()
    };
    let parsed = roundtrip(
        &*p,
        &TokenRequest::rtc("a", "ch").with_privilege_expiries(expiries),
    );
    let got: Vec<_> = parsed.privileges.iter().map(|p| p.expires_at).collect();
    assert_eq!(
        got,
        [
            Some(NOW + 600),
            Some(NOW + 300),
            Some(NOW + 3600),
            Some(NOW + 3600)
        ]
    );

    let join_only = PrivilegeExpiries {
        join: Some(120),
        ..Default::default()
    };
    let req = TokenRequest::rtc("a", "ch")
        .with_role(Role::Subscriber)
        .with_privilege_expiries(join_only);
    let parsed = roundtrip(&*p, &req);
    assert_eq!(names(&parsed), ["rtc: join channel"]);
    assert_eq!(parsed.privileges[0].expires_at, Some(NOW + 120));
}

#[test]
fn agora_rtm_chat_and_rtc_rtm() {
    let p = agora();
    let rtm = TokenRequest {
        room: None,
        ..TokenRequest::rtc("alice", "")
    }
    .with_kind(TokenKind::Rtm);
    let parsed = roundtrip(&*p, &rtm);
    assert_eq!(parsed.user.as_deref(), Some("alice"));
    assert_eq!(names(&parsed), ["rtm: log in to rtm"]);

    let chat = TokenRequest {
        kind: TokenKind::Chat,
        ..rtm.clone()
    };
    assert_eq!(names(&roundtrip(&*p, &chat)), ["chat: chat user"]);

    let chat_app = TokenRequest {
        kind: TokenKind::ChatApp,
        user_id: None,
        ..rtm.clone()
    };
    let parsed = roundtrip(&*p, &chat_app);
    assert_eq!(names(&parsed), ["chat: chat app administrator"]);

    let both = TokenRequest::rtc("alice", "ch").with_kind(TokenKind::RtcRtm);
    let parsed = roundtrip(&*p, &both);
    assert_eq!(
        (parsed.user.as_deref(), parsed.room.as_deref()),
        (Some("alice"), Some("ch"))
    );
    assert!(names(&parsed).contains(&"rtm: log in to rtm".to_owned()));

    let with_uid = both.clone().with_uid(7);
    let parsed = roundtrip(&*p, &with_uid);
    assert_eq!(parsed.user.as_deref(), Some("7"));
    let VendorDetail::Agora007(t) = &parsed.detail else {
        panic!()
    };
    let agora_dynamic_key::access_token2::Service::Rtm(rtm) = &t.services[1] else {
        panic!()
    };
    assert_eq!(rtm.user_id, "alice");
}

#[test]
fn agora_006_rtc_and_rtm() {
    let p = agora006();
    let req = TokenRequest::rtc("x", "ch").with_uid(42).into_uid_only();
    let issued = p.issue_at(&req, NOW).unwrap();
    assert_eq!(issued.version, TokenVersion::Agora006);
    assert_eq!(issued.expires_at, NOW + 3600);
    // Without the channel and uid a 006 token cannot be verified.
    let inspected = p
        .inspect(&issued.token, &ParseOptions::skip_expiry())
        .unwrap();
    assert_eq!(inspected.verification, Verification::NotChecked);
    let err = p
        .verify(&issued.token, &ParseOptions::skip_expiry())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // With them it verifies; with a wrong uid it does not (its CRC32 differs).
    let ok = ParseOptions::at(NOW).with_channel_uid("ch", "42");
    let parsed = p.verify(&issued.token, &ok).unwrap();
    assert_eq!(parsed.verification, Verification::Verified);
    assert_eq!(
        (parsed.user.as_deref(), parsed.room.as_deref()),
        (Some("42"), Some("ch"))
    );
    let bad = ParseOptions::at(NOW).with_channel_uid("ch", "43");
    assert_eq!(
        p.verify(&issued.token, &bad).unwrap_err().kind(),
        ErrorKind::Mismatch
    );

    let rtm = TokenRequest {
        kind: TokenKind::Rtm,
        room: None,
        ..TokenRequest::rtc("alice", "")
    };
    let issued = p.issue_at(&rtm, NOW).unwrap();
    let parsed = p
        .verify(
            &issued.token,
            &ParseOptions::at(NOW).with_channel_uid("alice", ""),
        )
        .unwrap();
    assert_eq!(names(&parsed), ["rtm: log in to rtm"]);
}

#[test]
fn agora_refusals() {
    let base = TokenRequest::rtc("alice", "ch");
    let refused_007 = [
        TokenRequest {
            room: None,
            ..base.clone()
        },
        base.clone().with_uid(1),
        TokenRequest {
            user_id: None,
            ..base.clone()
        },
        base.clone().with_stream_ids(["s"]),
        base.clone()
            .with_role(Role::Subscriber)
            .with_privilege_expiries(PrivilegeExpiries {
                publish_video: Some(1),
                ..Default::default()
            }),
        base.clone().with_kind(TokenKind::Rtm),
        TokenRequest {
            room: None,
            ..base.clone()
        }
        .with_kind(TokenKind::Rtm)
        .with_uid(3),
        TokenRequest {
            room: None,
            ..base.clone()
        }
        .with_kind(TokenKind::Chat)
        .with_role(Role::Subscriber),
        TokenRequest {
            room: None,
            ..base.clone()
        }
        .with_kind(TokenKind::ChatApp),
        TokenRequest {
            user_id: None,
            ..base.clone()
        }
        .with_kind(TokenKind::RtcRtm),
    ];
    for req in refused_007 {
        let err = agora().issue_at(&req, NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{req:?}");
        assert_eq!(err.vendor(), Some(Vendor::Agora));
    }
    let refused_006 = [
        base.clone().with_kind(TokenKind::RtcRtm),
        TokenRequest {
            room: None,
            ..base.clone()
        }
        .with_kind(TokenKind::Chat),
        base.clone()
            .with_privilege_expiries(PrivilegeExpiries::default()),
    ];
    for req in refused_006 {
        let err = agora006().issue_at(&req, NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{req:?}");
    }
}

#[test]
fn expiry_signature_and_version_errors() {
    for p in [zego(), agora()] {
        let issued = p
            .issue_at(&TokenRequest::rtc("a", "r").with_validity(60), NOW)
            .unwrap();
        let at = |t| ParseOptions {
            expiry: ExpiryCheck::At(t),
            ..Default::default()
        };
        assert!(p.verify(&issued.token, &at(NOW + 59)).is_ok());
        assert_eq!(
            p.verify(&issued.token, &at(NOW + 60)).unwrap_err().kind(),
            ErrorKind::Expired
        );
        assert!(
            p.verify(&issued.token, &ParseOptions::skip_expiry())
                .is_ok()
        );
    }
    // Another vendor's token is a version error.
    let z = zego().issue_at(&TokenRequest::rtc("a", "r"), NOW).unwrap();
    let a = agora().issue_at(&TokenRequest::rtc("a", "r"), NOW).unwrap();
    assert_eq!(
        agora()
            .inspect(&z.token, &ParseOptions::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Version
    );
    assert_eq!(
        zego()
            .inspect(&a.token, &ParseOptions::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Version
    );
    // Signed with another certificate.
    let other = AgoraProvider::new(
        agora_dynamic_key::AppId::new(rtc_tokens::DEMO_AGORA_APP_ID).unwrap(),
        agora_dynamic_key::AppCertificate::new("00000000000000000000000000000000").unwrap(),
    );
    let parsed = other.inspect(&a.token, &ParseOptions::default()).unwrap();
    assert_eq!(parsed.verification, Verification::SignatureInvalid);
    assert_eq!(
        other
            .verify(&a.token, &ParseOptions::skip_expiry())
            .unwrap_err()
            .kind(),
        ErrorKind::Signature
    );
}

#[test]
fn registry_detects_vendor_and_version() {
    let providers = Providers::new().with(zego()).with(agora());
    assert_eq!(providers.default_vendor(), None);
    for vendor in [Vendor::Zego, Vendor::Agora] {
        let issued = providers
            .provider(Some(vendor))
            .unwrap()
            .issue(&TokenRequest::rtc("a", "r"))
            .unwrap();
        let parsed = providers
            .verify(&issued.token, &ParseOptions::default())
            .unwrap();
        assert_eq!(parsed.vendor, vendor);
    }
    assert_eq!(
        providers
            .verify("05abc", &ParseOptions::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Version
    );
    assert_eq!(
        providers
            .verify("", &ParseOptions::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Version
    );
    let only_zego = Providers::new().with(zego());
    assert_eq!(only_zego.default_vendor(), Some(Vendor::Zego));
    assert_eq!(
        only_zego.provider(Some(Vendor::Agora)).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        Providers::new().provider(None).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn debug_output_hides_secrets_and_tokens() {
    let z = ZegoProvider::demo();
    let a = AgoraProvider::demo();
    let text = format!("{z:?} {a:?}");
    assert!(
        !text.contains(rtc_tokens::DEMO_ZEGO_SERVER_SECRET),
        "{text}"
    );
    assert!(
        !text.contains(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE),
        "{text}"
    );
    let issued = a.issue(&TokenRequest::rtc("a", "r")).unwrap();
    assert!(!format!("{issued:?}").contains(&issued.token));
}

#[test]
fn request_json_round_trips_and_rejects_unknown_fields() {
    let json = r#"{"kind":"rtc_rtm","user_id":"u","uid":5,"channel":"c","role":"audience","validity_secs":60,"privilege_expiries":{"join":30}}"#;
    let req: TokenRequest = serde_json::from_str(json).unwrap();
    assert_eq!(req.kind, TokenKind::RtcRtm);
    assert_eq!(req.room.as_deref(), Some("c"));
    assert_eq!(req.role, Role::Subscriber);
    let back: TokenRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
    assert_eq!(back, req);
    assert!(serde_json::from_str::<TokenRequest>(r#"{"user_id":"u","bogus":1}"#).is_err());
    let defaults: TokenRequest = serde_json::from_str(r#"{"user_id":"u"}"#).unwrap();
    assert_eq!(defaults.validity_secs, 3600);
    assert_eq!(defaults.kind, TokenKind::Rtc);
}

trait UidOnly {
    fn into_uid_only(self) -> Self;
}

impl UidOnly for TokenRequest {
    fn into_uid_only(self) -> Self {
        Self {
            user_id: None,
            ..self
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_user_and_room_round_trip(
        // Within both vendors' documented limits (ASCII; Agora channels < 64 bytes);
        // non-ASCII names round-trip in the vendor crates' own property tests.
        user in "[a-zA-Z0-9_\\-<>&]{1,32}",
        room in "[a-zA-Z0-9_\\-]{1,63}",
        validity in 1u32..200_000,
        subscriber in any::<bool>(),
    ) {
        let role = if subscriber { Role::Subscriber } else { Role::Publisher };
        let req = TokenRequest::rtc(user.clone(), room.clone()).with_role(role).with_validity(validity);
        for p in [zego(), agora()] {
            let parsed = roundtrip(&*p, &req);
            prop_assert_eq!(parsed.user.as_deref(), Some(user.as_str()));
            prop_assert_eq!(parsed.room.as_deref(), Some(room.as_str()));
        }
    }
}

#[test]
fn agora_007_expiry_follows_the_24h_rule_when_parsing() {
    use agora_dynamic_key::access_token2::{AccessToken2, Service, ServiceRtc};
    let p = AgoraProvider::demo();
    let app_id = agora_dynamic_key::AppId::new(rtc_tokens::DEMO_AGORA_APP_ID).unwrap();
    let cert =
        agora_dynamic_key::AppCertificate::new(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE).unwrap();
    for (expire, effective) in [(0, 86_400), (600, 600), (u32::MAX, 86_400)] {
        let mut token = AccessToken2::new(app_id.clone(), 1_700_000_000, expire);
        token.add_service(Service::Rtc(ServiceRtc {
            channel_name: "ch".into(),
            uid: "1".into(),
            privileges: [(1, 0)].into_iter().collect(),
        }));
        let parsed = p
            .inspect(&token.build(&cert).unwrap(), &ParseOptions::default())
            .unwrap();
        assert_eq!(
            parsed.expires_at,
            1_700_000_000 + effective,
            "expire {expire}"
        );
    }
    // The builder is reachable for tokens a neutral request cannot express.
    let fpa = p.token_builder().with_now(NOW as u32).fpa().unwrap();
    assert!(p.verify(&fpa.token, &ParseOptions::at(NOW)).is_ok());
}
