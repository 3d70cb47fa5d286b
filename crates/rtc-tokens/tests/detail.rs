//! The JSON shape of `VendorDetail` (what `--json` and the server emit) and
//! `dangerous::insecure_decode` on every token version.

use rtc_tokens::{
    AgoraProvider, ErrorKind, ParseOptions, TokenProvider, TokenRequest, TokenVersion, Vendor,
    VendorDetail, Verification, ZegoProvider, dangerous,
};
use serde_json::{Value, json};

/// Vector `007-streaming-fcdn-rtm2` (agora-public.json): issue_ts 1111111, salt 1, expire 600.
const T007: &str = "007eJxTYPj86Lzdz79M25wNn/lMfvu+TkfmdpiviKvChm8ZV3SWndytwGBpbuDsaGyakmpmkGxiYmZimpSUmGqRaGRoamBmmGRs7P5FgCGCiYGBkYGBgRkImYAsEJ8JTCowmKeYGxmbmaYmWVoYm1iYGluapxqnGqdZppiYGSSlpCRyMRhZWBgZmxgamRuzUaSbA6gXopuToSS1uCS+tDi1iJkB4jQmoGBuanFxYnqqbiKCmcTIAIEcDMUlRamJubqJLGD1jAxsDCD9uokAO/VDvQ==";
/// Vector `006-rtc-uid-join` (python3/test/AccessTokenTest.py).
const T006: &str = "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW";
/// Vector `gcm_build_identity_demo` (Go GCM reference; app 1, user "demo", secret below).
const T04: &str = "04AAAAAGVT/xAADAoTIcRwI5hdbtE+RQB0Te5aY1g0X2kvAU4xFOHjxZNL2Sl89BCSmsjUXKN/ElDQqGUxTduDN6xt5acDEuY6xr3TfPGzGXSMYvrkZDZOhK3SSCpSqo0D0D2ROe/kLQG3b81pyJN0PCEDIclof+Q4004eoLRfgBMQW3i+efYtTFSWKeEB";
const ZEGO_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn detail_json(detail: &VendorDetail) -> Value {
    serde_json::to_value(detail).unwrap()
}

#[test]
fn agora007_detail_json_is_the_conformance_shape() {
    let parsed = dangerous::insecure_decode(T007).unwrap();
    assert_eq!(
        detail_json(&parsed.detail),
        json!({
            "format": "agora007",
            "salt": 1,
            "issue_ts": 1_111_111,
            "expire": 600,
            "services": [
                {"type": "streaming", "channel_name": "7d72365eb983485397e3e3f9d460bdda",
                 "account": "2882341273", "privileges": {"1": 600, "2": 600}},
                {"type": "fcdn", "channel_name": "7d72365eb983485397e3e3f9d460bdda",
                 "account": "2882341273", "privileges": {"1": 600, "2": 600}},
                {"type": "rtm2", "user_id": "test_user",
                 "permissions": {"0": {"0": ["message-a", "message-b"]}, "1": {"1": ["stream-a"]},
                                 "4": {"0": ["user-a"]}},
                 "privileges": {"1": 600}}
            ]
        })
    );
}

#[test]
fn agora007_rtc_service_json() {
    let p = AgoraProvider::demo();
    let issued = p
        .issue_at(&TokenRequest::rtc("alice", "lobby"), 1_700_000_000)
        .unwrap();
    let parsed = p.inspect(&issued.token, &ParseOptions::default()).unwrap();
    let VendorDetail::Agora007(t) = &parsed.detail else {
        panic!("not a 007 detail")
    };
    assert_eq!(
        detail_json(&parsed.detail),
        json!({
            "format": "agora007", "salt": t.salt, "issue_ts": 1_700_000_000, "expire": 3600,
            "services": [{"type": "rtc", "channel_name": "lobby", "uid": "alice",
                          "privileges": {"1": 3600, "2": 3600, "3": 3600, "4": 3600}}]
        })
    );
}

#[test]
fn agora006_detail_json() {
    let parsed = dangerous::insecure_decode(T006).unwrap();
    assert_eq!(
        detail_json(&parsed.detail),
        json!({
            "format": "agora006", "salt": 1, "ts": 1_111_111,
            "crc_channel_name": 276_646_071_u32, "crc_uid": 3_847_331_927_u32,
            "privileges": [[1, 1_446_455_471]]
        })
    );
}

#[test]
fn zego04_detail_json() {
    let secret = zego_token04::ServerSecret::new(ZEGO_SECRET).unwrap();
    let app = zego_token04::AppId::new(1).unwrap();
    let parsed = ZegoProvider::new(app, secret)
        .inspect(T04, &ParseOptions::default())
        .unwrap();
    assert_eq!(
        detail_json(&parsed.detail),
        json!({
            "format": "zego04", "mode": "gcm", "ctime": 1_700_000_000_i64,
            "expire": 1_700_003_600_i64, "nonce": 1_234_567_890, "payload": ""
        })
    );
    assert_eq!(parsed.app_id.as_deref(), Some("1"));
}

#[test]
fn insecure_decode_007() {
    // Taken as given: a trailing newline is refused, as Agora's servers do.
    let err = dangerous::insecure_decode(&format!("  {T007}\n")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.message().contains("whitespace"), "{err}");
    let parsed = dangerous::insecure_decode(T007).unwrap();
    assert_eq!(parsed.vendor, Vendor::Agora);
    assert_eq!(parsed.version, TokenVersion::Agora007);
    assert_eq!(
        parsed.app_id.as_deref(),
        Some("970CA35de60c44645bbae8a215061b33")
    );
    assert_eq!(parsed.verification, Verification::NotChecked);
    assert_eq!(parsed.issued_at, Some(1_111_111));
    assert_eq!(parsed.expires_at, 1_111_111 + 600);
    assert_eq!(parsed.user.as_deref(), Some("2882341273"));
    assert_eq!(
        parsed.room.as_deref(),
        Some("7d72365eb983485397e3e3f9d460bdda")
    );
}

#[test]
fn insecure_decode_006() {
    let parsed = dangerous::insecure_decode(T006).unwrap();
    assert_eq!(parsed.version, TokenVersion::Agora006);
    assert_eq!(parsed.verification, Verification::NotChecked);
    assert_eq!((parsed.user.clone(), parsed.room.clone()), (None, None));
    assert_eq!(parsed.expires_at, 1_111_111);
}

#[test]
fn insecure_decode_zego_reveals_only_the_header() {
    let parsed = dangerous::insecure_decode(T04).unwrap();
    assert_eq!(parsed.vendor, Vendor::Zego);
    assert_eq!(parsed.version, TokenVersion::Zego04);
    assert_eq!(parsed.verification, Verification::NotChecked);
    assert_eq!(parsed.app_id, None);
    assert_eq!(parsed.user, None);
    assert_eq!(parsed.room, None);
    assert_eq!(parsed.issued_at, None);
    assert!(parsed.privileges.is_empty());
    assert_eq!(parsed.expires_at, 1_700_003_600);
    assert!(matches!(parsed.detail, VendorDetail::Zego04Sealed(_)));
    let json = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        json["detail"],
        json!({"format": "zego04_sealed", "mode": "gcm", "expire": 1_700_003_600_i64})
    );
    assert!(json.get("app_id").is_none());
}

#[test]
fn insecure_decode_refuses_what_is_not_a_token() {
    assert_eq!(
        dangerous::insecure_decode("hello").unwrap_err().kind(),
        ErrorKind::Version
    );
    for bad in ["007eJx", "006970CA35de60c4464", "04AAAA"] {
        let e = dangerous::insecure_decode(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Malformed, "{bad}");
        assert!(std::error::Error::source(&e).is_some());
    }
}

#[test]
fn an_undecoded_token_does_not_pass_require_verified() {
    let issued = AgoraProvider::demo()
        .issue(&TokenRequest::rtc("alice", "lobby"))
        .unwrap();
    let seen = dangerous::insecure_decode(&issued.token).unwrap();
    let err = rtc_tokens::require_verified(&seen).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("without credentials"), "{err}");
}

mod properties {
    use proptest::prelude::*;
    use rtc_tokens::{
        AgoraProvider, AgoraVersion, ParseOptions, Role, TokenProvider, TokenRequest, Verification,
        dangerous,
    };

    proptest! {
        /// Decoding without credentials is the provider's own view, minus the check.
        #[test]
        fn insecure_decode_is_inspect_without_the_check(
            user in "[a-z0-9]{1,16}", room in "[a-z0-9]{1,16}", uid in proptest::option::of(any::<u32>()),
            subscriber in any::<bool>(), validity in 1u32..200_000, v006 in any::<bool>(),
        ) {
            let version = if v006 { AgoraVersion::V006 } else { AgoraVersion::V007 };
            let p = AgoraProvider::demo().with_version(version);
            let role = if subscriber { Role::Subscriber } else { Role::Publisher };
            let req = match uid {
                Some(uid) => TokenRequest::rtc_uid(uid, room),
                None => TokenRequest::rtc(user, room),
            }
            .with_role(role)
            .with_validity(validity);
            let issued = p.issue_at(&req, 1_700_000_000).unwrap();
            let mut inspected = p.inspect(&issued.token, &ParseOptions::skip_expiry()).unwrap();
            let seen = dangerous::insecure_decode(&issued.token).unwrap();
            prop_assert_eq!(seen.verification, Verification::NotChecked);
            prop_assert_eq!(seen.expires_at, issued.expires_at);
            inspected.verification = Verification::NotChecked;
            prop_assert_eq!(seen, inspected);
        }
    }
}
