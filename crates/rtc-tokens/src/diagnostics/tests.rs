use super::*;
use crate::{
    AgoraProvider, AgoraVersion, ParseOptions, PrivilegeExpiries, TokenKind, TokenProvider,
    TokenRequest, ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn agora_token(request: &TokenRequest) -> String {
    AgoraProvider::demo().issue_at(request, NOW).unwrap().token
}

fn zego_token() -> String {
    ZegoProvider::demo()
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token
}

fn inspect(provider: &dyn TokenProvider, token: &str) -> ParsedToken {
    provider
        .inspect(token, &ParseOptions::skip_expiry())
        .unwrap()
}

#[test]
fn expiry_notes() {
    let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
    let parsed = inspect(&AgoraProvider::demo(), &token);
    let end = NOW + 3_600;
    assert_eq!(
        parsed.notes(NOW + 1),
        [
            Note::ExpiresIn {
                at: end,
                secs: 3_599
            },
            Note::RtcOnly
        ]
    );
    assert_eq!(
        parsed.notes(end + 60),
        [
            Note::Expired {
                at: end,
                secs_ago: 60
            },
            Note::RtcOnly
        ]
    );
    assert!(!parsed.notes(NOW)[0].is_warning());
}

#[test]
fn agoras_24_hour_cap_is_noted() {
    // Our builders cap the validity; other libraries write 0 or more.
    use agora_dynamic_key::access_token2::{AccessToken2, ServiceRtc};
    let app_id = agora_dynamic_key::AppId::new(crate::DEMO_AGORA_APP_ID).unwrap();
    let cert = agora_dynamic_key::AppCertificate::new(crate::DEMO_AGORA_APP_CERTIFICATE).unwrap();
    let now = u32::try_from(NOW).unwrap();
    let mut raw = AccessToken2::new(app_id, now, 0);
    raw.add_service(ServiceRtc::new("lobby", "alice"));
    let token = raw.build(&cert).unwrap();
    let notes = inspect(&AgoraProvider::demo(), &token).notes(NOW);
    assert!(notes.iter().any(|n| matches!(
        n,
        Note::ValidityCapped { cap_secs: 86_400, effective_expires_at, .. }
            if *effective_expires_at == NOW + 86_400
    )));
}

#[test]
fn unchecked_and_invalid_signatures_are_noted() {
    let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
    let other = AgoraProvider::new(
        agora_dynamic_key::AppId::new(crate::DEMO_AGORA_APP_ID).unwrap(),
        agora_dynamic_key::AppCertificate::new("00000000000000000000000000000000").unwrap(),
    );
    assert!(
        inspect(&other, &token)
            .notes(NOW)
            .contains(&Note::SignatureInvalid)
    );

    let v006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let token = v006
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    let parsed = inspect(&v006, &token);
    assert!(parsed.notes(NOW).contains(&Note::NeedsChannelAndUid));
    assert!(
        parsed
            .principal_notes(Some("lobby"), Some("alice"))
            .is_empty()
    );
    assert_eq!(
        parsed.principal_notes(Some("x"), Some("alice")),
        [Note::ChannelMismatch {
            expected: "x".into(),
            found: None
        }]
    );
    assert_eq!(parsed.principal_notes(None, Some("y")).len(), 1);
}

#[test]
fn zego_cbc_is_noted_as_unauthenticated() {
    let cbc = ZegoProvider::demo().with_mode(zego_token04::Mode::Cbc);
    let token = cbc
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    assert!(
        inspect(&cbc, &token)
            .notes(NOW)
            .contains(&Note::CbcUnauthenticated)
    );
    let gcm = inspect(&ZegoProvider::demo(), &zego_token());
    assert!(!gcm.notes(NOW).contains(&Note::CbcUnauthenticated));
    // Without the secret: the header's expiry, unauthenticated, and not verified.
    let sealed = crate::dangerous::insecure_decode(&token)
        .unwrap()
        .notes(NOW);
    assert!(sealed.contains(&Note::CbcUnauthenticated));
    assert!(sealed.contains(&Note::ExpiryUnauthenticated));
    assert!(sealed.contains(&Note::NotVerified {
        vendor: Vendor::Zego
    }));
}

#[test]
fn privileges_ending_early_are_noted() {
    let request = TokenRequest::rtc("alice", "lobby").with_privilege_expiries(PrivilegeExpiries {
        publish_audio: Some(600),
        ..PrivilegeExpiries::default()
    });
    let parsed = inspect(&AgoraProvider::demo(), &agora_token(&request));
    let early = |n: &Note| matches!(n, Note::PrivilegeExpiresEarly { at, .. } if *at == NOW + 600);
    let gone = |n: &Note| matches!(n, Note::PrivilegeExpired { at, .. } if *at == NOW + 600);
    assert!(parsed.notes(NOW).iter().any(early));
    assert!(parsed.notes(NOW + 601).iter().any(gone));
    // Once the token has expired, its privileges are not worth a note.
    assert_eq!(parsed.notes(NOW + 9_999).len(), 2, "expired, rtc only");
}

#[test]
fn principal_mismatches_are_noted() {
    let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
    let parsed = inspect(&AgoraProvider::demo(), &token);
    assert!(
        parsed
            .principal_notes(Some("lobby"), Some("alice"))
            .is_empty()
    );
    assert_eq!(
        parsed.principal_notes(Some("hall"), Some("bob")),
        [
            Note::ChannelMismatch {
                expected: "hall".into(),
                found: Some("lobby".into())
            },
            Note::UserMismatch {
                expected: "bob".into(),
                found: Some("alice".into())
            }
        ]
    );
    let any = agora_token(&TokenRequest::rtc("x", "lobby").with_kind(TokenKind::Rtc));
    let mut any = inspect(&AgoraProvider::demo(), &any);
    any.user = Some(String::new());
    assert!(any.principal_notes(None, Some("bob")).is_empty());
}

fn demo_keys() -> (agora_dynamic_key::AppId, agora_dynamic_key::AppCertificate) {
    (
        agora_dynamic_key::AppId::new(crate::DEMO_AGORA_APP_ID).unwrap(),
        agora_dynamic_key::AppCertificate::new(crate::DEMO_AGORA_APP_CERTIFICATE).unwrap(),
    )
}

#[test]
fn a_unix_time_where_007_wants_seconds_is_noted() {
    use agora_dynamic_key::access_token2::{AccessToken2, RtcPrivilege, ServiceRtc};
    let (app_id, cert) = demo_keys();
    let now = u32::try_from(NOW).unwrap();
    let end = now + 3_600;
    // The token's expire and a privilege both given as the unix time to end at.
    let mut raw = AccessToken2::new(app_id, now, end);
    raw.add_service(
        ServiceRtc::new("lobby", "alice")
            .with_privilege(RtcPrivilege::JoinChannel, end)
            .with_privilege(RtcPrivilege::PublishAudioStream, 600),
    );
    let notes = inspect(&AgoraProvider::demo(), &raw.build(&cert).unwrap()).notes(NOW);
    let wrong: Vec<&Note> = notes
        .iter()
        .filter(|n| matches!(n, Note::TimestampAsValidity { .. }))
        .collect();
    assert_eq!(
        wrong,
        [
            &Note::TimestampAsValidity {
                service: None,
                privilege: None,
                value: end
            },
            &Note::TimestampAsValidity {
                service: Some("rtc".into()),
                privilege: Some("join channel".into()),
                value: end
            }
        ]
    );
    assert!(wrong.iter().all(|n| n.is_warning()));
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Note::ValidityCapped { .. }))
    );
    let json = serde_json::to_value(wrong[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"note": "timestamp_as_validity", "value": end})
    );
    // Seconds of validity, as our builders write them, are not noted.
    let ours = inspect(
        &AgoraProvider::demo(),
        &agora_token(&TokenRequest::rtc("alice", "lobby")),
    );
    assert!(
        !ours
            .notes(NOW)
            .iter()
            .any(|n| matches!(n, Note::TimestampAsValidity { .. }))
    );
}

#[test]
fn seconds_where_006_wants_a_unix_time_are_noted() {
    use agora_dynamic_key::access_token::{AccessToken, Privilege};
    let (app_id, cert) = demo_keys();
    let end = u32::try_from(NOW).unwrap() + 3_600;
    let mut raw = AccessToken::new(app_id, "lobby", "alice", end);
    raw.add_privilege(Privilege::JoinChannel, 3_600)
        .add_privilege(Privilege::PublishAudioStream, 0);
    let token = raw.build(&cert).unwrap();
    let v006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let notes = inspect(&v006, &token).notes(NOW);
    assert!(
        matches!(notes[0], Note::Expired { at: 3_600, .. }),
        "{notes:?}"
    );
    assert!(notes.contains(&Note::ValidityAsTimestamp {
        service: Some("rtc".into()),
        privilege: Some("join channel".into()),
        value: 3_600
    }));
    // 0 means no expiry of its own: not noted.
    assert_eq!(
        notes
            .iter()
            .filter(|n| matches!(n, Note::ValidityAsTimestamp { .. }))
            .count(),
        1
    );
    let mut own = AccessToken::new(demo_keys().0, "lobby", "alice", 86_400);
    own.add_privilege(Privilege::JoinChannel, 0);
    let notes = inspect(&v006, &own.build(&cert).unwrap()).notes(NOW);
    assert!(notes.contains(&Note::ValidityAsTimestamp {
        service: None,
        privilege: None,
        value: 86_400
    }));
}

#[test]
fn rtc_only_and_rtm_only_tokens_are_noted() {
    let kinds = |request: &TokenRequest, version: AgoraVersion| {
        let provider = AgoraProvider::demo().with_version(version);
        let token = provider.issue_at(request, NOW).unwrap().token;
        inspect(&provider, &token)
            .notes(NOW)
            .into_iter()
            .filter(|n| matches!(n, Note::RtcOnly | Note::RtmOnly))
            .collect::<Vec<_>>()
    };
    for version in [AgoraVersion::V006, AgoraVersion::V007] {
        let rtc = TokenRequest::rtc("alice", "lobby");
        assert_eq!(kinds(&rtc, version), [Note::RtcOnly], "{version:?}");
        assert_eq!(kinds(&TokenRequest::rtm("alice"), version), [Note::RtmOnly]);
    }
    let both = TokenRequest::rtc_rtm("alice", "lobby");
    assert_eq!(kinds(&both, AgoraVersion::V007), []);
    assert!(!Note::RtcOnly.is_warning() && !Note::RtmOnly.is_warning());
    // ZEGO's one token serves RTC and ZIM alike: nothing to note.
    let zego = inspect(&ZegoProvider::demo(), &zego_token()).notes(NOW);
    assert!(
        !zego
            .iter()
            .any(|n| matches!(n, Note::RtcOnly | Note::RtmOnly))
    );
}

#[test]
fn an_rtc_account_made_of_digits_is_noted() {
    let numeric = |request: &TokenRequest| {
        let parsed = inspect(&AgoraProvider::demo(), &agora_token(request));
        parsed
            .notes(NOW)
            .into_iter()
            .find(|n| matches!(n, Note::NumericAccount { .. }))
    };
    let same = Note::NumericAccount {
        account: "42".into(),
        uid: Some(42),
    };
    // Agora writes uid 42 as "42": one token for both ways of joining.
    assert_eq!(
        numeric(&TokenRequest::rtc("42", "lobby")),
        Some(same.clone())
    );
    assert_eq!(
        numeric(&TokenRequest::rtc_uid(42, "lobby")),
        Some(same.clone())
    );
    assert!(!same.is_warning());
    for account in ["042", "0", "4294967296"] {
        let note = numeric(&TokenRequest::rtc(account, "lobby")).unwrap();
        assert_eq!(
            note,
            Note::NumericAccount {
                account: account.into(),
                uid: None
            }
        );
        assert!(note.is_warning());
    }
    assert_eq!(numeric(&TokenRequest::rtc("alice", "lobby")), None);
    assert_eq!(numeric(&TokenRequest::rtc_uid(0, "lobby")), None);
    assert_eq!(
        numeric(&TokenRequest::rtm("42")),
        None,
        "rtm users are strings"
    );

    // 006 names its uid by CRC32: known once verified with it.
    let v006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let token = v006
        .issue_at(&TokenRequest::rtc("042", "lobby"), NOW)
        .unwrap()
        .token;
    let blind = inspect(&v006, &token).notes(NOW);
    assert!(
        !blind
            .iter()
            .any(|n| matches!(n, Note::NumericAccount { .. }))
    );
    let options = ParseOptions::skip_expiry().with_channel_uid("lobby", "042");
    let seen = v006.inspect(&token, &options).unwrap().notes(NOW);
    assert!(seen.contains(&Note::NumericAccount {
        account: "042".into(),
        uid: None
    }));
}

#[test]
fn a_zego_token03_is_recognised_as_legacy() {
    // "03", then the CBC container: expiry, IV length 16, an alphanumeric
    // IV, ciphertext length 16 and 16 ciphertext bytes.
    let token03 = "03AAAAAGVT8QAAEDAxMjM0NTY3ODlhYmNkZWYAEKWlpaWlpaWlpaWlpaWlpaU=";
    assert_eq!(legacy_format(token03), Some(LegacyFormat::ZegoToken03));
    assert_eq!(
        legacy_format(&format!(" {token03}\n")),
        Some(LegacyFormat::ZegoToken03)
    );
    assert_eq!(LegacyFormat::ZegoToken03.as_str(), "zego_token03");
    assert_eq!(LegacyFormat::ZegoToken03.vendor(), Vendor::Zego);
    assert!(crate::dangerous::insecure_decode(token03).is_err());
    // A token04 (or a token03 body relabelled 04) is not legacy.
    assert_eq!(legacy_format(&zego_token()), None);
    assert_eq!(legacy_format(&format!("04{}", &token03[2..])), None);
    assert_eq!(legacy_format("03"), None);
    assert_eq!(legacy_format("0312345"), None);
    assert_eq!(mangling(token03), None);
}

#[test]
fn a_plus_at_the_very_end_that_became_a_space_is_recognised() {
    // About one token in 200 ends with `+` (no padding after it); a URL
    // decoder turns it into a trailing space, which trimming would lose.
    let token = (0..4000)
        .map(|n| agora_token(&TokenRequest::rtc(format!("user{n}"), "lobby")))
        .find(|t| t.ends_with('+'))
        .expect("a token ending in + within 4000 tries");
    let spaced = token.replace('+', " ");
    assert_eq!(mangling(&spaced), Some(Mangling::PlusBecameSpace));
    assert_eq!(
        mangling(&format!("{spaced}\n")),
        Some(Mangling::PlusBecameSpace),
        "a line break after it is not part of the token"
    );
}

#[test]
fn mangled_tokens_are_recognised() {
    // Issue until the token has a `+`, a `/` and padding, so every case applies.
    let mut n = 0;
    let token = loop {
        let t = agora_token(&TokenRequest::rtc(format!("user{n}"), "lobby"));
        if t.contains('+') && t.contains('/') {
            break t;
        }
        n += 1;
    };
    let zego = zego_token();
    for good in [&token, &zego, &format!("  {token}\n")] {
        assert_eq!(mangling(good), None);
    }
    assert_eq!(
        mangling(&token.replace('+', " ")),
        Some(Mangling::PlusBecameSpace)
    );
    let encoded = token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    assert_eq!(mangling(&encoded), Some(Mangling::UrlEncoded));
    for quoted in [
        format!("\"{token}\""),
        format!("'{zego}'"),
        format!("\u{201c}{token}\u{201d}"),
    ] {
        assert_eq!(mangling(&quoted), Some(Mangling::Quoted), "{quoted}");
    }
    for pasted in [
        format!("{token}{zego}"),
        format!("{zego}{token}"),
        format!("{token} {token}"),
        format!("{token},{zego}"),
    ] {
        assert_eq!(mangling(&pasted), Some(Mangling::Concatenated));
    }
    let (head, tail) = token.split_at(40);
    assert_eq!(
        mangling(&format!("{head}\n{tail}")),
        Some(Mangling::WhitespaceInside)
    );
    let cut = token.get(..token.len() - 5).unwrap();
    assert_eq!(mangling(cut), Some(Mangling::Truncated));
    assert_eq!(mangling("hello"), None);
    assert_eq!(mangling(""), None);
    assert_eq!(mangling("%zz"), None);
    assert_eq!(Mangling::PlusBecameSpace.as_str(), "plus_became_space");
}
