use super::*;

#[test]
fn role_spellings_are_one_list_for_from_str_and_serde() {
    for &role in Role::ALL {
        for name in std::iter::once(role.name()).chain(role.aliases().iter().copied()) {
            assert_eq!(name.parse::<Role>().unwrap(), role, "{name}");
            let upper = format!(" {} ", name.to_ascii_uppercase());
            assert_eq!(upper.parse::<Role>().unwrap(), role, "{upper}");
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role, "{json}");
        }
        let json = serde_json::to_string(&role).unwrap();
        assert_eq!(json, format!("\"{role}\""));
    }
    let err = "king".parse::<Role>().unwrap_err();
    assert_eq!(
        err.message(),
        "unknown role: expected publisher or subscriber"
    );
    let err = serde_json::from_str::<Role>("\"king\"").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected `publisher` or `subscriber`"),
        "{err}"
    );
    assert!(serde_json::from_str::<Role>("\"Host\"").is_err());
}

#[test]
fn kind_names_round_trip_through_from_str_and_serde() {
    assert_eq!(TokenKind::ALL[0], TokenKind::default());
    for &kind in TokenKind::ALL {
        assert_eq!(kind.as_str().parse::<TokenKind>().unwrap(), kind);
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{kind}\""));
        assert_eq!(serde_json::from_str::<TokenKind>(&json).unwrap(), kind);
    }
    let err = "sip".parse::<TokenKind>().unwrap_err();
    assert!(err.message().contains("convoai or stt"), "{err}");
}

#[test]
fn vendor_spellings_are_one_list_for_from_str_and_serde() {
    for &vendor in Vendor::ALL {
        for name in std::iter::once(vendor.name()).chain(vendor.aliases().iter().copied()) {
            assert_eq!(name.to_uppercase().parse::<Vendor>().unwrap(), vendor);
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::from_str::<Vendor>(&json).unwrap(), vendor);
        }
        assert_eq!(
            serde_json::to_string(&vendor).unwrap(),
            format!("\"{vendor}\"")
        );
    }
    let err = serde_json::from_str::<Vendor>("\"twilio\"").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected `zego`, `agora` or `tencent`"),
        "{err}"
    );
    let err = "twilio".parse::<Vendor>().unwrap_err();
    assert_eq!(
        err.message(),
        "unknown vendor: expected zego, agora or tencent"
    );
}
