//! The Tencent provider through the neutral trait: issuing, verifying,
//! detection (never confused with ZEGO or Agora, on every vector), the
//! configuration keys, unverified decoding and the Tencent notes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use rtc_tokens::config::Config;
use rtc_tokens::diagnostics::{Mangling, Note, mangling};
use rtc_tokens::tencent_usersig::{PrivateMapKey, Privileges, Room, SdkAppId, SecretKey, UserSig};
use rtc_tokens::{
    AgoraProvider, DEMO_TENCENT_SDK_APP_ID, DEMO_TENCENT_SECRET_KEY, ErrorKind, ParseOptions,
    Privilege, Providers, Role, TencentProvider, TokenProvider, TokenRequest, TokenVersion, Vendor,
    VendorDetail, Verification, ZegoProvider, dangerous,
};
use serde_json::Value;

const NOW: u64 = 1_700_000_000;

fn names(p: &rtc_tokens::ParsedToken) -> Vec<&str> {
    p.privileges.iter().map(|v| v.name.as_str()).collect()
}

#[test]
fn usersig_and_private_map_key_round_trip() {
    let p = TencentProvider::demo();
    let plain = p
        .issue_at(&TokenRequest::default().with_user("alice"), NOW)
        .unwrap();
    assert_eq!(plain.version, TokenVersion::TencentUserSig);
    assert_eq!((plain.issued_at, plain.expires_at), (NOW, NOW + 3600));
    let parsed = p.verify(&plain.token, &ParseOptions::at(NOW)).unwrap();
    assert_eq!(parsed.user.as_deref(), Some("alice"));
    assert_eq!(parsed.room, None);
    assert_eq!(parsed.app_id.as_deref(), Some("1400000000"));
    assert_eq!(parsed.verification, Verification::Verified);

    let numeric = p
        .issue_at(&TokenRequest::rtc("alice", "1234"), NOW)
        .unwrap();
    let parsed = p.verify(&numeric.token, &ParseOptions::at(NOW)).unwrap();
    let VendorDetail::Tencent(t) = &parsed.detail else {
        panic!("not tencent")
    };
    let k = t.private_map_key.as_ref().unwrap();
    assert_eq!(k.room, Room::Numeric(1234));
    assert_eq!(k.privileges, Privileges::ALL);
    assert_eq!(parsed.room.as_deref(), Some("1234"));
    assert_eq!(names(&parsed).len(), 8);

    let sub = TokenRequest::rtc("bob", "lobby-1").with_role(Role::Subscriber);
    let parsed = p
        .verify(
            &p.issue_at(&sub, NOW).unwrap().token,
            &ParseOptions::at(NOW),
        )
        .unwrap();
    assert_eq!(
        names(&parsed),
        [
            "enter room",
            "receive audio",
            "receive video",
            "receive sub video"
        ]
    );
    // What a subscriber cannot do is a mismatch when required.
    let publish = ParseOptions::at(NOW).require([Privilege::PublishAudio]);
    let token = p.issue_at(&sub, NOW).unwrap().token;
    assert_eq!(
        p.verify(&token, &publish).unwrap_err().kind(),
        ErrorKind::Mismatch
    );
    let room = ParseOptions::at(NOW).expect_room("lobby-2");
    let err = p.verify(&token, &room).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mismatch);
    assert!(err.message().starts_with("room mismatch"), "{err}");
}

#[test]
fn a_privilege_list_is_tencent_only() {
    let request = TokenRequest::rtc("alice", "lobby").with_privileges([Privilege::JoinChannel]);
    for p in [
        Arc::new(ZegoProvider::demo()) as Arc<dyn TokenProvider>,
        Arc::new(AgoraProvider::demo()),
    ] {
        let err = p.issue_at(&request, NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("privileges"), "{err}");
    }
    let p = TencentProvider::demo();
    let token = p.issue_at(&request, NOW).unwrap().token;
    let parsed = p.verify(&token, &ParseOptions::at(NOW)).unwrap();
    assert_eq!(names(&parsed), ["enter room"]);
    let json: Value = serde_json::from_str(
        r#"{"user_id":"a","room":"1","privileges":["join_channel","subscribe_screen"]}"#,
    )
    .unwrap();
    let request: TokenRequest = serde_json::from_value(json).unwrap();
    assert_eq!(
        request.privileges,
        Some(vec![Privilege::JoinChannel, Privilege::SubscribeScreen])
    );
}

#[test]
fn wrong_key_expiry_and_whitespace() {
    let p = TencentProvider::demo();
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    let app = SdkAppId::new(DEMO_TENCENT_SDK_APP_ID).unwrap();
    let other = TencentProvider::new(app, SecretKey::new("other").unwrap());
    let seen = other.inspect(&token, &ParseOptions::default()).unwrap();
    assert_eq!(seen.verification, Verification::SignatureInvalid);
    assert_eq!(
        other
            .verify(&token, &ParseOptions::at(NOW))
            .unwrap_err()
            .kind(),
        ErrorKind::Signature
    );
    assert_eq!(
        p.verify(&token, &ParseOptions::at(NOW + 3600))
            .unwrap_err()
            .kind(),
        ErrorKind::Expired
    );
    assert_eq!(
        p.verify(&format!("{token}\n"), &ParseOptions::at(NOW))
            .unwrap_err()
            .kind(),
        ErrorKind::Malformed
    );
    for (bad, kind) in [
        ("", ErrorKind::Malformed),
        ("hello", ErrorKind::Malformed),
        ("007eJxTYBBY", ErrorKind::Version),
        ("04AAAAAGVT8Q", ErrorKind::Version),
    ] {
        let err = p.inspect(bad, &ParseOptions::default()).unwrap_err();
        assert_eq!(err.kind(), kind, "{bad:?}: {err}");
    }
    let only = ParseOptions::default().only(TokenVersion::Agora007);
    assert_eq!(
        p.inspect(&token, &only).unwrap_err().kind(),
        ErrorKind::Version
    );
}

#[test]
fn providers_dispatch_to_tencent_by_shape() {
    let providers = Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
        .with(Arc::new(TencentProvider::demo()));
    assert_eq!(
        providers.vendors(),
        [Vendor::Zego, Vendor::Agora, Vendor::Tencent]
    );
    assert_eq!(providers.default_vendor(), None);
    let request = TokenRequest::rtc("alice", "lobby");
    for vendor in providers.vendors() {
        let issued = providers.issue(Some(vendor), &request).unwrap();
        let parsed = providers
            .verify(&issued.token, &ParseOptions::default())
            .unwrap();
        assert_eq!(parsed.vendor, vendor);
        assert_eq!(parsed.room.as_deref(), Some("lobby"));
        // Exactly one vendor's shape.
        assert_eq!(
            TokenVersion::detect(&issued.token).unwrap().vendor(),
            vendor
        );
    }
    let only = Providers::new().with(Arc::new(TencentProvider::demo()));
    assert_eq!(only.default_vendor(), Some(Vendor::Tencent));
}

/// Every `"token"` string in a JSON value, with the `vendor` of its case.
fn tokens(v: &Value, vendor: Option<&str>, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            let vendor = map.get("vendor").and_then(Value::as_str).or(vendor);
            for (k, v) in map {
                match (k.as_str(), v, vendor) {
                    ("token", Value::String(t), Some(vendor)) => {
                        out.push((vendor.to_owned(), t.clone()));
                    }
                    _ => tokens(v, vendor, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| tokens(v, vendor, out)),
        _ => {}
    }
}

fn vector_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        root.join("tests/vectors"),
        root.join("../shared/conformance/vectors"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                files.push(e.path());
            }
        }
    }
    files
}

#[test]
fn no_vector_is_taken_for_another_vendor() {
    let mut all = Vec::new();
    for file in vector_files() {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        tokens(&v, None, &mut all);
    }
    let count = |vendor: &str| all.iter().filter(|(v, _)| v == vendor).count();
    assert!(count("tencent") >= 20 && count("agora") >= 20 && count("zego") >= 10);
    for (vendor, token) in &all {
        let detected = TokenVersion::detect(token).ok().map(TokenVersion::vendor);
        match vendor.as_str() {
            // A Tencent token is Tencent's or no one's (the reject cases).
            "tencent" => assert!(detected.is_none_or(|v| v == Vendor::Tencent), "{token}"),
            _ => assert_ne!(detected, Some(Vendor::Tencent), "{vendor}: {token}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// No ZEGO or Agora-shaped token (a prefix, then anything) is a UserSig.
    #[test]
    fn a_prefix_is_never_tencent(prefix in "04|006|007", rest in "[A-Za-z0-9*_+/=-]{0,64}") {
        let token = format!("{prefix}{rest}");
        prop_assert_ne!(TokenVersion::detect(&token).ok(), Some(TokenVersion::TencentUserSig));
    }

    /// A UserSig never starts like a ZEGO or Agora token.
    #[test]
    fn a_usersig_has_no_prefix(user in "[a-zA-Z0-9_-]{1,32}", validity in 1u32..100_000) {
        let p = TencentProvider::demo();
        let token = p.issue_at(&TokenRequest::default().with_user(user).with_validity(validity), NOW)
            .unwrap().token;
        prop_assert_eq!(TokenVersion::detect(&token).unwrap(), TokenVersion::TencentUserSig);
        prop_assert!(!token.starts_with('0'));
    }
}

#[test]
fn config_reads_the_tencent_keys() {
    let env = |name: &str| match name {
        "TENCENT_SDK_APP_ID" => Some("1400000001".to_owned()),
        "TENCENT_SECRET_KEY" => Some(DEMO_TENCENT_SECRET_KEY.to_owned()),
        "RTC_VENDOR" => Some("trtc".to_owned()),
        _ => None,
    };
    let config = Config::from_lookup(env).unwrap();
    let tencent = config.tencent.as_ref().unwrap();
    assert_eq!(tencent.app_id(), "1400000001");
    assert_eq!(config.default_vendor, Some(Vendor::Tencent));
    assert_eq!(config.providers().default_vendor(), Some(Vendor::Tencent));
    let toml =
        format!("[tencent]\nsdk_app_id = 1400000002\nsecret_key = \"{DEMO_TENCENT_SECRET_KEY}\"\n");
    let config = Config::from_toml_str(&toml, None).unwrap();
    assert_eq!(config.tencent.unwrap().app_id(), "1400000002");
    let missing = |name: &str| (name == "TENCENT_SDK_APP_ID").then(|| "1".to_owned());
    let err = Config::from_lookup(missing).unwrap_err();
    assert!(err.message().contains("TENCENT_SECRET_KEY"), "{err}");
    let zero = |name: &str| match name {
        "TENCENT_SDK_APP_ID" => Some("0".to_owned()),
        "TENCENT_SECRET_KEY" => Some("k".to_owned()),
        _ => None,
    };
    let err = Config::from_lookup(zero).unwrap_err();
    assert!(err.message().contains("TENCENT_SDK_APP_ID"), "{err}");
}

#[test]
fn insecure_decode_reads_a_usersig_unverified() {
    let p = TencentProvider::demo();
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    let seen = dangerous::insecure_decode(&token).unwrap();
    assert_eq!(seen.verification, Verification::NotChecked);
    assert_eq!(seen.room.as_deref(), Some("lobby"));
    assert!(seen.notes(NOW).contains(&Note::NotVerified {
        vendor: Vendor::Tencent
    }));
    let json = serde_json::to_value(&seen.detail).unwrap();
    assert_eq!(json["format"], "tencent_usersig");
    assert_eq!(json["private_map_key"]["room_str"], "lobby");
    assert_eq!(json["private_map_key"]["privilege_map"], 255);
}

#[test]
fn notes_name_what_tencent_would_refuse() {
    let key = SecretKey::new(DEMO_TENCENT_SECRET_KEY).unwrap();
    let userbuf = PrivateMapKey {
        account: "mallory".to_owned(),
        sdkappid: 7,
        room: Room::Numeric(1),
        expire_at: 1_700_003_600,
        privileges: Privileges::from_bits(0x302),
        account_type: 0,
    };
    let token = UserSig::new("al ice", DEMO_TENCENT_SDK_APP_ID, NOW, 3600)
        .with_private_map_key(&userbuf)
        .unwrap()
        .to_token(&key)
        .unwrap();
    let parsed = TencentProvider::demo()
        .inspect(&token, &ParseOptions::default())
        .unwrap();
    let notes = parsed.notes(NOW);
    for note in [
        Note::UserIdOutsideLimits,
        Note::PrivateMapKeyMismatch {
            field: "account".to_owned(),
        },
        Note::PrivateMapKeyMismatch {
            field: "sdkappid".to_owned(),
        },
        Note::UnknownPrivilegeBits { bits: 0x300 },
    ] {
        assert!(notes.contains(&note), "{note:?} not in {notes:?}");
    }
    assert!(names(&parsed).contains(&"privilege bits 0x300"));
}

#[test]
fn mangled_usersigs_are_recognised() {
    let p = TencentProvider::demo();
    // Long enough to be cut anywhere and still open with a zlib header.
    let token = p
        .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
        .unwrap()
        .token;
    assert_eq!(mangling(&token), None);
    assert_eq!(mangling(&format!("'{token}'")), Some(Mangling::Quoted));
    assert_eq!(
        mangling(&token.replace('*', "%2A")),
        if token.contains('*') {
            Some(Mangling::UrlEncoded)
        } else {
            None
        }
    );
    assert_eq!(
        mangling(&format!("{token},{token}")),
        Some(Mangling::Concatenated)
    );
    assert_eq!(
        mangling(&token[..token.len() - 1]),
        Some(Mangling::Truncated)
    );
}
