//! Secret hygiene: `Debug` of every type that holds the app certificate
//! omits it, and no error message carries the certificate or token bytes.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use agora_dynamic_key::access_token::{AccessToken, ParsedAccessToken, Role};
use agora_dynamic_key::access_token2::{AccessToken2, ParsedAccessToken2, ServiceRtc};
use agora_dynamic_key::builder::{RtcRole, TokenBuilder};
use agora_dynamic_key::{AppCertificate, AppId};

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const OTHER_CERT: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn cert() -> AppCertificate {
    AppCertificate::new(CERT).unwrap()
}

fn builder() -> TokenBuilder {
    TokenBuilder::new(AppId::new(APP_ID).unwrap(), cert()).with_now(1_700_000_000)
}

/// Fails if `text` contains the certificate, in either case, whole or in 8-character pieces.
fn assert_no_cert(text: &str) {
    let lower = text.to_ascii_lowercase();
    for piece in CERT.to_ascii_lowercase().as_bytes().chunks(8) {
        assert!(
            !lower.contains(std::str::from_utf8(piece).unwrap()),
            "{text}"
        );
    }
    // As a Debug byte list (the certificate is kept as its ASCII bytes).
    let bytes = format!("{:?}", &CERT.as_bytes()[..4]);
    assert!(!text.contains(&bytes[1..bytes.len() - 1]), "{text}");
}

#[test]
fn app_certificate_debug_is_redacted() {
    let c = cert();
    for text in [format!("{c:?}"), format!("{c:#?}")] {
        assert_no_cert(&text);
        assert!(text.contains("redacted"), "{text}");
    }
}

#[test]
fn token_builder_debug_is_redacted() {
    let b = builder();
    for text in [format!("{b:?}"), format!("{b:#?}")] {
        assert_no_cert(&text);
        assert!(text.contains("redacted"), "{text}");
    }
}

#[test]
fn tokens_under_construction_hold_no_certificate() {
    // AccessToken and AccessToken2 take the certificate only in `build`; their Debug is safe.
    let app = AppId::new(APP_ID).unwrap();
    let mut t6 = AccessToken::new(app.clone(), "chan", "42", 1_700_000_600);
    t6.add_privilege(agora_dynamic_key::access_token::Privilege::JoinChannel, 0);
    assert_no_cert(&format!("{t6:?}"));
    let mut t7 = AccessToken2::new(app, 1_700_000_000, 600);
    t7.add_service(ServiceRtc::new("chan", "42"));
    assert_no_cert(&format!("{t7:?}"));
    // Nor do parsed tokens.
    let p6 = ParsedAccessToken::parse(&t6.build(&cert()).unwrap()).unwrap();
    let p7 = ParsedAccessToken2::parse(&t7.build(&cert()).unwrap()).unwrap();
    assert_no_cert(&format!("{p6:?}"));
    assert_no_cert(&format!("{p7:?}"));
}

/// `builder::Issued` redacts the bearer token in `Debug`, like
/// `zego_token04::IssuedToken` and `rtc_tokens::IssuedToken`.
#[test]
fn issued_debug_omits_the_token() {
    let i = builder()
        .rtc_with_uid("chan", 42, RtcRole::Publisher, 600, 600)
        .unwrap();
    let text = format!("{i:?}");
    assert!(!text.contains(&i.token), "{text}");
}

#[test]
fn errors_carry_no_certificate_or_token() {
    let b = builder();
    let t7 = b
        .rtc_with_uid("chan", 42, RtcRole::Publisher, 600, 600)
        .unwrap()
        .token;
    let t6 = b
        .rtc006_with_uid("chan", 42, Role::Publisher, 0)
        .unwrap()
        .token;
    let wrong = AppCertificate::new(OTHER_CERT).unwrap();
    let p7 = ParsedAccessToken2::parse(&t7).unwrap();
    let p6 = ParsedAccessToken::parse(&t6).unwrap();
    let mut errors = vec![
        (t7.clone(), p7.verify(&wrong).unwrap_err()),
        (t7.clone(), p7.check_expiry(u64::MAX).unwrap_err()),
        (t6.clone(), p6.verify(&wrong, "chan", "42").unwrap_err()),
        (t6.clone(), p6.verify(&cert(), "other", "42").unwrap_err()),
    ];
    for t in [&t6, &t7] {
        let mut bad = t.clone();
        bad.insert(40, '!');
        let e = if t.starts_with("006") {
            ParsedAccessToken::parse(&bad).unwrap_err()
        } else {
            ParsedAccessToken2::parse(&bad).unwrap_err()
        };
        errors.push((bad.clone(), e));
        let short = &t[..t.len() - 8];
        let e = if t.starts_with("006") {
            ParsedAccessToken::parse(short).unwrap_err()
        } else {
            ParsedAccessToken2::parse(short).unwrap_err()
        };
        errors.push((short.to_owned(), e));
    }
    for (token, e) in errors {
        for text in [e.to_string(), format!("{e:?}")] {
            assert_no_cert(&text);
            assert!(!text.contains(&token[3..30]), "{text}");
        }
    }
    // A refused certificate is not echoed.
    let almost = &CERT[..31];
    let e = AppCertificate::new(almost).unwrap_err();
    assert!(!e.to_string().contains(almost) && !format!("{e:?}").contains(almost));
}
