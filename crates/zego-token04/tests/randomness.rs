//! Randomness: GCM nonces, CBC IVs and JSON nonces come from the OS CSPRNG
//! (`getrandom::fill`, see `build_at`), never from the clock.
//!
//! The million-token run is `#[ignore]`d in the default (debug) suite; run it
//! with `cargo test -p zego-token04 --release --test randomness -- --ignored`
//! (`cargo xtask fuzz` does, after a full fuzz run).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zego_token04::{AppId, Mode, ServerSecret, TokenRequest, UserId, build_at, parse};

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn request(mode: Mode) -> TokenRequest {
    TokenRequest::new(AppId::new(1).unwrap(), UserId::new("u").unwrap()).mode(mode)
}

/// The IV/nonce of a token, read from the first 36 base64 characters of the
/// body (`expire` 8 bytes, `iv_len` 2 bytes, then the IV) without parsing it.
fn iv_of(token: &str, iv_len: usize) -> Vec<u8> {
    let head = STANDARD.decode(&token[2..38]).unwrap();
    assert_eq!(usize::from(u16::from_be_bytes([head[8], head[9]])), iv_len);
    head[10..10 + iv_len].to_vec()
}

/// Builds `n` tokens at one fixed clock and asserts that their IVs are all distinct.
fn distinct_ivs(mode: Mode, n: usize) {
    let secret = ServerSecret::new(SECRET).unwrap();
    let req = request(mode);
    let iv_len = mode.iv_len();
    let mut seen: HashSet<Vec<u8>> = HashSet::with_capacity(n);
    for i in 0..n {
        let t = build_at(&secret, &req, 1_700_000_000).unwrap();
        assert!(
            seen.insert(iv_of(&t.token, iv_len)),
            "repeated IV after {i} tokens"
        );
    }
    assert_eq!(seen.len(), n);
}

#[test]
fn gcm_nonces_are_distinct_100k() {
    distinct_ivs(Mode::Gcm, 100_000);
}

#[test]
#[ignore = "a million GCM builds: run in release (cargo xtask fuzz, or see the file header)"]
fn gcm_nonces_are_distinct_1m() {
    distinct_ivs(Mode::Gcm, 1_000_000);
}

#[test]
fn cbc_ivs_are_distinct() {
    distinct_ivs(Mode::Cbc, 20_000);
}

#[test]
fn extracted_iv_is_the_one_parse_uses() {
    // The slicing above reads the real IV: changing it breaks the GCM tag.
    let secret = ServerSecret::new(SECRET).unwrap();
    let t = build_at(&secret, &request(Mode::Gcm), 0).unwrap();
    let mut body = STANDARD.decode(&t.token[2..]).unwrap();
    assert_eq!(body[10..22], iv_of(&t.token, 12)[..]);
    body[10] ^= 1;
    let altered = format!("04{}", STANDARD.encode(&body));
    assert!(parse(&altered, &secret).is_err());
}

#[test]
fn same_clock_same_request_gives_different_tokens() {
    let secret = ServerSecret::new(SECRET).unwrap();
    for mode in [Mode::Gcm, Mode::Cbc] {
        let a = build_at(&secret, &request(mode), 1_700_000_000).unwrap();
        let b = build_at(&secret, &request(mode), 1_700_000_000).unwrap();
        assert_eq!((a.ctime, a.expire), (b.ctime, b.expire));
        assert_ne!(a.token, b.token);
        assert_ne!(
            iv_of(&a.token, mode.iv_len()),
            iv_of(&b.token, mode.iv_len())
        );
    }
}

#[test]
fn json_nonces_are_spread_over_i32() {
    // 4 096 draws of a uniform i32: both signs, many distinct values, and not
    // a counter or a timestamp (consecutive draws are not close).
    let secret = ServerSecret::new(SECRET).unwrap();
    let nonces: Vec<i32> = (0..4096)
        .map(|_| build_at(&secret, &request(Mode::Gcm), 0).unwrap().nonce)
        .collect();
    let distinct: HashSet<i32> = nonces.iter().copied().collect();
    assert!(distinct.len() > 4090, "{} distinct", distinct.len());
    assert!(nonces.iter().any(|&n| n < 0) && nonces.iter().any(|&n| n > 0));
    let close = nonces
        .windows(2)
        .filter(|w| (i64::from(w[0]) - i64::from(w[1])).abs() < 1 << 20)
        .count();
    assert!(close < 16, "{close} consecutive nonces within 2^20");
}
