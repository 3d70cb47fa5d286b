//! Secret hygiene in the facade: the `Debug` of providers, `Config` and
//! `Providers` never shows a ServerSecret or app certificate, `IssuedToken`'s
//! never shows the token, and no error (configuration, issue, parse) carries
//! a secret or the token.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::sync::Arc;

use rtc_tokens::zego_token04::Mode;
use rtc_tokens::{
    AgoraProvider, AgoraVersion, Config, ParseOptions, Providers, TokenKind, TokenProvider,
    TokenRequest, ZegoProvider,
};

/// Test credentials (not the demo ones, which are public).
const ZEGO_SECRET: &str = "5ecre75ecre75ecre75ecre75ecre7aa";
const AGORA_CERT: &str = "c0ffeec0ffeec0ffeec0ffeec0ffee12";
const AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
const NOW: u64 = 1_700_000_000;

fn env(pairs: &[(&str, &str)]) -> Result<Config, rtc_tokens::Error> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

fn config() -> Config {
    env(&[
        ("ZEGO_APP_ID", "1234567"),
        ("ZEGO_SERVER_SECRET", ZEGO_SECRET),
        ("AGORA_APP_ID", AGORA_APP_ID),
        ("AGORA_APP_CERTIFICATE", AGORA_CERT),
    ])
    .unwrap()
}

/// Fails if `text` shows either secret, whole or in 8-character pieces, or as bytes.
fn assert_no_secret(text: &str) {
    for secret in [ZEGO_SECRET, AGORA_CERT] {
        for piece in secret.as_bytes().chunks(8) {
            assert!(
                !text.contains(std::str::from_utf8(piece).unwrap()),
                "{text}"
            );
        }
        let bytes = format!("{:?}", &secret.as_bytes()[..4]);
        assert!(!text.contains(&bytes[1..bytes.len() - 1]), "{text}");
    }
}

#[test]
fn providers_config_and_registry_debug_redact_secrets() {
    let c = config();
    let zego = c.zego.clone().unwrap();
    let agora = c.agora.clone().unwrap();
    let registry = c.providers();
    for text in [
        format!("{c:?}"),
        format!("{c:#?}"),
        format!("{zego:?}"),
        format!("{:?}", zego.clone().with_mode(Mode::Cbc)),
        format!("{agora:?}"),
        format!("{:?}", agora.clone().with_version(AgoraVersion::V006)),
        format!("{registry:?}"),
        format!("{registry:#?}"),
        format!("{:?}", agora.token_builder()),
    ] {
        assert_no_secret(&text);
    }
    assert!(format!("{c:?}").contains("redacted"));
}

#[test]
fn issued_token_debug_omits_the_token() {
    let registry = config().providers();
    for (vendor, kind) in [
        (rtc_tokens::Vendor::Zego, TokenKind::Rtc),
        (rtc_tokens::Vendor::Agora, TokenKind::Rtc),
        (rtc_tokens::Vendor::Agora, TokenKind::Rtm),
    ] {
        let mut req = TokenRequest::rtc("alice", "room1").with_kind(kind);
        if kind == TokenKind::Rtm {
            req.room = None;
        }
        let t = registry.issue(Some(vendor), &req).unwrap();
        for text in [format!("{t:?}"), format!("{t:#?}")] {
            assert!(!text.contains(&t.token), "{text}");
            assert!(!text.contains(&t.token[3..40]), "{text}");
            assert!(text.contains("redacted"), "{text}");
            assert_no_secret(&text);
        }
        // What parsing reports holds neither the token nor a secret.
        let parsed = registry
            .verify(&t.token, &ParseOptions::at(t.issued_at))
            .unwrap();
        let text = format!("{parsed:?}");
        assert!(!text.contains(&t.token[3..40]), "{text}");
        assert_no_secret(&text);
    }
}

#[test]
fn configuration_errors_do_not_echo_secrets() {
    // Wrong-length or wrong-alphabet secrets are refused by name, never by value.
    let cases = [
        vec![
            ("ZEGO_APP_ID", "1"),
            ("ZEGO_SERVER_SECRET", &ZEGO_SECRET[..31]),
        ],
        vec![
            ("ZEGO_APP_ID", "1"),
            ("ZEGO_SERVER_SECRET", "5ecre75ecre75ecre75ecre75ecre7aaX"),
        ],
        vec![
            ("AGORA_APP_ID", AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE", "c0ffeec0ffeec0ffeec0ffeec0ffee1z"),
        ],
        vec![
            ("AGORA_APP_ID", AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE", AGORA_CERT),
            ("AGORA_APP_CERTIFICATE_FILE", "/nonexistent/c0ffeec0ffee"),
        ],
    ];
    for pairs in cases {
        let e = env(&pairs).unwrap_err();
        for text in [e.to_string(), format!("{e:?}")] {
            assert_no_secret(&text);
        }
    }
    let e = Config::from_toml_str(
        &format!(
            "[zego]\napp_id = 1\nserver_secret = \"{}\"\n",
            &ZEGO_SECRET[..30]
        ),
        None,
    )
    .unwrap_err();
    assert_no_secret(&e.to_string());
    assert_no_secret(&format!("{e:?}"));
}

#[test]
fn parse_and_issue_errors_carry_no_secret_or_token() {
    let good = config().providers();
    // The same app ids with other secrets: every check fails.
    let other = env(&[
        ("ZEGO_APP_ID", "1234567"),
        ("ZEGO_SERVER_SECRET", "00000000000000000000000000000000"),
        ("AGORA_APP_ID", AGORA_APP_ID),
        ("AGORA_APP_CERTIFICATE", "00000000000000000000000000000000"),
    ])
    .unwrap()
    .providers();
    let mut tokens = Vec::new();
    for (vendor, version) in [
        (rtc_tokens::Vendor::Zego, None),
        (rtc_tokens::Vendor::Agora, Some(AgoraVersion::V007)),
        (rtc_tokens::Vendor::Agora, Some(AgoraVersion::V006)),
    ] {
        let p: Arc<dyn TokenProvider> = match version {
            None => good.get(vendor).unwrap().clone(),
            Some(v) => Arc::new(config().agora.unwrap().with_version(v)),
        };
        tokens.push(
            p.issue_at(&TokenRequest::rtc("alice", "room1"), NOW)
                .unwrap()
                .token,
        );
    }
    for t in &tokens {
        let opts = ParseOptions::at(NOW).with_channel_uid("room1", "alice");
        let mut errors = vec![
            other.verify(t, &opts).unwrap_err(),
            good.verify(t, &ParseOptions::at(NOW + 400_000))
                .unwrap_err(),
        ];
        let mut damaged = t.clone();
        damaged.insert(20, '!');
        errors.push(good.verify(&damaged, &opts).unwrap_err());
        errors.push(good.inspect(&t[..t.len() / 2], &opts).unwrap_err());
        for e in errors {
            for text in [e.to_string(), format!("{e:?}")] {
                assert_no_secret(&text);
                assert!(!text.contains(&t[4..30]), "{text}");
            }
        }
    }
    // A refused request does not echo it either.
    let e = good
        .issue(
            Some(rtc_tokens::Vendor::Zego),
            &TokenRequest::rtc("u".repeat(65), "r"),
        )
        .unwrap_err();
    assert_no_secret(&e.to_string());
}

#[test]
fn demo_providers_are_not_the_configured_ones() {
    // The public demo credentials never leak into a configured registry.
    let text = format!("{:?}", config().providers());
    assert!(!text.contains(rtc_tokens::DEMO_ZEGO_SERVER_SECRET));
    assert!(!text.contains(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE));
    let registry = Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()));
    let text = format!("{registry:?}");
    assert!(
        !text.contains(rtc_tokens::DEMO_ZEGO_SERVER_SECRET),
        "{text}"
    );
    assert!(
        !text.contains(rtc_tokens::DEMO_AGORA_APP_CERTIFICATE),
        "{text}"
    );
}
