//! Resource limits through the facade: every kind (`04`, `006`, `007`)
//! auto-detected by [`Providers`], oversized and hostile tokens refused as
//! `malformed` without decoding them whole, and oversized requests refused
//! as `invalid_input`.
//!
//! The facade adds no limits of its own; it delegates to the vendor crates:
//! `zego_token04::MAX_TOKEN_LEN` (87 418 characters),
//! `agora_dynamic_key::MAX_TOKEN_LEN` (262 144 characters) and
//! `agora_dynamic_key::MAX_INFLATED_LEN` (262 144 bytes of inflated 007 body).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::sync::Arc;

use rtc_tokens::agora_dynamic_key::{self, MAX_INFLATED_LEN};
use rtc_tokens::zego_token04;
use rtc_tokens::{
    AgoraProvider, AgoraVersion, ErrorKind, ParseOptions, Providers, TokenKind, TokenRequest,
    Vendor, ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn providers() -> Providers {
    Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
}

/// Inspect and verify (with a channel and uid, for 006) must both give `kind`.
fn assert_refused(token: &str, kind: ErrorKind) {
    let p = providers();
    let options = ParseOptions::at(NOW).with_channel_uid("room", "42");
    let inspected = p.inspect(token, &options).err().map(|e| e.kind());
    let verified = p.verify(token, &options).err().map(|e| e.kind());
    assert_eq!(
        (inspected, verified),
        (Some(kind), Some(kind)),
        "{}",
        token.len()
    );
}

/// Standard padded base64 (the facade has no base64 dependency of its own).
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A valid zlib stream inflating to `1 + 258 * matches` zero bytes, two bits
/// per 258 bytes (see agora-dynamic-key's tests/limits.rs for the derivation).
fn zero_bomb(matches: usize) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let (mut acc, mut n) = (0u64, 0u32);
    let mut bits = |out: &mut Vec<u8>, v: u32, c: u32| {
        acc |= u64::from(v) << n;
        n += c;
        while n >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            n -= 8;
        }
    };
    let code = |b: &mut dyn FnMut(&mut Vec<u8>, u32, u32), out: &mut Vec<u8>, c: u32, l: u32| {
        b(out, c.reverse_bits() >> (32 - l), l);
    };
    for (v, c) in [(1, 1), (2, 2), (29, 5), (1, 5), (14, 4)] {
        bits(&mut out, v, c);
    }
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits(&mut out, len, 3);
    }
    // Code lengths: 2, 255 zeros, 2, 28 zeros, 1 (literal/length); 1, 1 (distance).
    for (sym, extra) in [
        (2, None),
        (18, Some(138)),
        (18, Some(117)),
        (2, None),
        (18, Some(28)),
        (1, None),
        (1, None),
        (1, None),
    ] {
        match sym {
            18 => code(&mut bits, &mut out, 0, 1),
            1 => code(&mut bits, &mut out, 0b10, 2),
            _ => code(&mut bits, &mut out, 0b11, 2),
        }
        if let Some(e) = extra {
            bits(&mut out, e - 11, 7);
        }
    }
    code(&mut bits, &mut out, 0b10, 2); // literal 0
    for _ in 0..matches {
        bits(&mut out, 0, 2); // length 258, distance 1
    }
    code(&mut bits, &mut out, 0b11, 2); // end of block
    bits(&mut out, 0, 7); // pad (at most 7 bits pending)
    let len = 1 + 258 * matches;
    out.extend_from_slice(&((((len % 65_521) as u32) << 16) | 1).to_be_bytes());
    out
}

#[test]
fn oversized_tokens_of_every_kind_are_malformed() {
    let zego_over = format!("04{}", "A".repeat(zego_token04::MAX_TOKEN_LEN - 1));
    let a006_over = format!("006{}", "A".repeat(agora_dynamic_key::MAX_TOKEN_LEN - 2));
    let a007_over = format!("007{}", "A".repeat(agora_dynamic_key::MAX_TOKEN_LEN - 2));
    for t in [&zego_over, &a006_over, &a007_over] {
        assert_refused(t, ErrorKind::Malformed);
        let huge = format!("{}{}", &t[..3], "!".repeat(16 << 20));
        assert_refused(&huge, ErrorKind::Malformed);
    }
    // Unknown prefixes are `version` whatever their size.
    assert_refused(&format!("008{}", "A".repeat(16 << 20)), ErrorKind::Version);
}

#[test]
fn a_100_mib_zlib_bomb_is_malformed() {
    let token = format!("007{}", base64(&zero_bomb((100 << 20) / 258 + 1)));
    assert!(token.len() < agora_dynamic_key::MAX_TOKEN_LEN);
    assert_refused(&token, ErrorKind::Malformed);
    let just_over = format!("007{}", base64(&zero_bomb(MAX_INFLATED_LEN / 258 + 1)));
    assert_refused(&just_over, ErrorKind::Malformed);
}

#[test]
fn many_tiny_stored_blocks_are_malformed() {
    // 30 000 empty stored blocks (5 bytes each), then an empty final one.
    let mut z = vec![0x78, 0x01];
    for i in 0..=30_000 {
        z.push(u8::from(i == 30_000));
        z.extend_from_slice(&[0, 0, 0xff, 0xff]);
    }
    z.extend_from_slice(&1u32.to_be_bytes());
    let token = format!("007{}", base64(&z));
    assert!(token.len() < agora_dynamic_key::MAX_TOKEN_LEN);
    assert_refused(&token, ErrorKind::Malformed);
}

#[test]
fn the_largest_zego_token_verifies_through_the_facade() {
    let secret = zego_token04::ServerSecret::new(rtc_tokens::DEMO_ZEGO_SERVER_SECRET).unwrap();
    let app = zego_token04::AppId::new(rtc_tokens::DEMO_ZEGO_APP_ID).unwrap();
    // 65 519 bytes of claims at most; leave room for the longest nonce.
    let payload = "x".repeat(zego_token04::MAX_GCM_PLAINTEXT_LEN - 120);
    let req = zego_token04::TokenRequest::new(app, zego_token04::UserId::new("u").unwrap())
        .payload(payload);
    let t = zego_token04::build_at(&secret, &req, NOW as i64).unwrap();
    assert!(t.token.len() > 80_000 && t.token.len() <= zego_token04::MAX_TOKEN_LEN);
    let parsed = providers()
        .verify(&t.token, &ParseOptions::at(NOW))
        .unwrap();
    assert_eq!(parsed.vendor, Vendor::Zego);
}

#[test]
fn oversized_requests_are_invalid_input() {
    let huge = "r".repeat(70_000);
    for (provider, kind) in [
        (
            Arc::new(ZegoProvider::demo()) as Arc<dyn rtc_tokens::TokenProvider>,
            TokenKind::Rtc,
        ),
        (Arc::new(AgoraProvider::demo()), TokenKind::Rtc),
        (Arc::new(AgoraProvider::demo()), TokenKind::Rtm),
    ] {
        let p = Providers::new().with(provider);
        let mut req = TokenRequest::rtc("user", huge.as_str()).with_kind(kind);
        if kind == TokenKind::Rtm {
            req.room = None;
            req.user_id = Some(huge.clone());
        }
        let e = p.issue(None, &req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{kind:?}: {e}");
        assert!(!e.to_string().contains(&huge[..64]));
    }
    // 006 carries only CRC32s of the channel and the account, so its format has
    // no length limit; Agora's documented channel limit still applies
    // (`agora_dynamic_key::limits`).
    let p = Providers::new().with(Arc::new(
        AgoraProvider::demo().with_version(AgoraVersion::V006),
    ));
    let e = p
        .issue(None, &TokenRequest::rtc("user", huge.as_str()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
}
