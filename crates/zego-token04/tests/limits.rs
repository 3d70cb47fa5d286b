//! Resource limits: the longest token the parser accepts, the largest
//! payload a token can carry, and hostile inputs (oversized strings, length
//! fields that lie) refused as `malformed` before any large allocation.
//!
//! The limits, as documented in the README's "Security notes":
//! - token string: at most [`MAX_TOKEN_LEN`] = 87 418 characters, checked
//!   before base64 decoding (so the decoded body is at most 65 560 bytes);
//! - claims JSON (plaintext): at most 65 519 bytes in both modes
//!   ([`MAX_GCM_PLAINTEXT_LEN`], [`MAX_CBC_PLAINTEXT_LEN`]); the payload gets
//!   what the other claims leave, counted after JSON escaping;
//! - user id: 1 to 64 UTF-16 code units ([`MAX_USER_ID_UTF16`]).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zego_token04::{
    AppId, Error, ErrorKind, MAX_CBC_PLAINTEXT_LEN, MAX_GCM_PLAINTEXT_LEN, MAX_TOKEN_LEN,
    MAX_USER_ID_UTF16, Mode, ServerSecret, TokenRequest, UserId, build_at, inspect, parse,
};

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn secret() -> ServerSecret {
    ServerSecret::new(SECRET).unwrap()
}

fn request(mode: Mode, payload: String) -> TokenRequest {
    TokenRequest::new(AppId::new(1).unwrap(), UserId::new("u").unwrap())
        .effective_secs(1)
        .payload(payload)
        .mode(mode)
}

/// Length of the claims JSON around the payload, for a nonce of `digits` characters.
fn overhead(digits: usize) -> usize {
    r#"{"app_id":1,"user_id":"u","ctime":0,"expire":1,"nonce":"#.len()
        + digits
        + r#","payload":""}"#.len()
}

fn token_of(body: &[u8]) -> String {
    format!("04{}", STANDARD.encode(body))
}

#[test]
fn documented_values() {
    assert_eq!(MAX_TOKEN_LEN, 87_418);
    assert_eq!(MAX_GCM_PLAINTEXT_LEN, 65_519);
    assert_eq!(MAX_CBC_PLAINTEXT_LEN, 65_519);
    assert_eq!(MAX_USER_ID_UTF16, 64);
}

#[test]
fn largest_payload_builds_parses_and_fits_the_token_limit() {
    for (mode, max) in [
        (Mode::Gcm, MAX_GCM_PLAINTEXT_LEN),
        (Mode::Cbc, MAX_CBC_PLAINTEXT_LEN),
    ] {
        // The JSON nonce is random: 1 ("7") to 11 ("-2147483648") characters.
        let always_fits = max - overhead(11);
        let never_fits = max - overhead(1) + 1;
        for _ in 0..3 {
            let t = build_at(&secret(), &request(mode, "x".repeat(always_fits)), 0).unwrap();
            assert!(t.token.len() <= MAX_TOKEN_LEN, "{mode}: {}", t.token.len());
            let c = parse(&t.token, &secret()).unwrap();
            assert_eq!(c.payload.len(), always_fits);
            let e = build_at(&secret(), &request(mode, "x".repeat(never_fits)), 0).unwrap_err();
            assert_eq!(
                (e.clone(), e.kind()),
                (Error::TooLong, ErrorKind::InvalidInput)
            );
        }
    }
}

#[test]
fn payload_limit_counts_json_escaping() {
    // `<` is written as `\u003c` (Go's escaping): 11 000 of them are 66 000 bytes of JSON.
    let e = build_at(&secret(), &request(Mode::Gcm, "<".repeat(11_000)), 0).unwrap_err();
    assert_eq!(e, Error::TooLong);
    let t = build_at(&secret(), &request(Mode::Gcm, "<".repeat(10_000)), 0).unwrap();
    assert_eq!(
        parse(&t.token, &secret()).unwrap().payload,
        "<".repeat(10_000)
    );
}

#[test]
fn user_id_limit_is_64_utf16_units() {
    assert!(UserId::new("a".repeat(64)).is_ok());
    assert!(UserId::new("\u{4e2d}".repeat(64)).is_ok());
    assert!(UserId::new("\u{1f600}".repeat(32)).is_ok());
    for bad in [
        String::new(),
        "a".repeat(65),
        "\u{1f600}".repeat(33),
        "a".repeat(1 << 20),
    ] {
        let e = UserId::new(bad).unwrap_err();
        assert_eq!(
            (e.kind(), e.zego_code()),
            (ErrorKind::InvalidInput, Some(3))
        );
    }
}

#[test]
fn oversized_tokens_are_malformed_before_decoding() {
    let s = secret();
    // One character over the limit, valid base64 or not, and far over it.
    for token in [
        format!("04{}", "A".repeat(MAX_TOKEN_LEN - 1)),
        format!("04{}", "!".repeat(MAX_TOKEN_LEN - 1)),
        format!("04{}", "A".repeat(16 << 20)),
    ] {
        assert_eq!(
            parse(&token, &s),
            Err(Error::Malformed("token too long")),
            "{}",
            token.len()
        );
        assert_eq!(inspect(&token), Err(Error::Malformed("token too long")));
    }
    // Exactly at the limit the body is decoded (about 64 KiB) and its layout refused.
    let at_limit = format!("04{}", "A".repeat(MAX_TOKEN_LEN - 2));
    assert_eq!(at_limit.len(), MAX_TOKEN_LEN);
    let e = parse(&at_limit, &s).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert_ne!(e, Error::Malformed("token too long"));
    // Another prefix is `version` whatever the length.
    assert_eq!(
        parse(&format!("05{}", "A".repeat(1 << 20)), &s)
            .unwrap_err()
            .kind(),
        ErrorKind::Version
    );
}

#[test]
fn length_fields_that_overrun_the_body_are_malformed() {
    let s = secret();
    let expire = 100i64.to_be_bytes();
    // iv length 65535 with 12 bytes present.
    let mut body = expire.to_vec();
    body.extend_from_slice(&u16::MAX.to_be_bytes());
    body.extend_from_slice(&[0; 12]);
    assert_eq!(
        parse(&token_of(&body), &s),
        Err(Error::Malformed("truncated iv"))
    );
    // Ciphertext length 65535 with 32 bytes present.
    let mut body = expire.to_vec();
    body.extend_from_slice(&12u16.to_be_bytes());
    body.extend_from_slice(&[0; 12]);
    body.extend_from_slice(&u16::MAX.to_be_bytes());
    body.extend_from_slice(&[0; 32]);
    body.push(1);
    assert_eq!(
        inspect(&token_of(&body)),
        Err(Error::Malformed("truncated ciphertext"))
    );
    assert_eq!(
        parse(&token_of(&body), &s),
        Err(Error::Malformed("truncated ciphertext"))
    );
    // Every truncation of a real token is malformed (never a panic or a decrypt attempt).
    let t = build_at(&s, &request(Mode::Gcm, String::new()), 0).unwrap();
    let body = STANDARD.decode(&t.token[2..]).unwrap();
    for n in 0..body.len() {
        let e = parse(&token_of(&body[..n]), &s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Malformed, "truncated to {n}");
    }
}
