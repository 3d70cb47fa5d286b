//! Secret hygiene: `Debug` of every type that holds a secret or a token
//! omits it, and no error message carries the secret, the token, its bytes
//! or the plaintext claims.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zego_token04::{
    AppId, Mode, PrivilegePayload, ServerSecret, TokenRequest, UserId, build_at, inspect, parse,
    verify,
};

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const OTHER_SECRET: &str = "0123456789abcdef0123456789abcdef";
const USER: &str = "hygiene-user-7f3a";
const ROOM: &str = "hygiene-room-91bc";

fn issue(mode: Mode) -> zego_token04::IssuedToken {
    let req = TokenRequest::new(AppId::new(77).unwrap(), UserId::new(USER).unwrap())
        .privilege(&PrivilegePayload::login_only(ROOM))
        .mode(mode);
    build_at(&ServerSecret::new(SECRET).unwrap(), &req, 1_000).unwrap()
}

/// Fails if `text` contains the secret (as text, hex or any 8-character piece of it).
fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(&hex::encode(SECRET)), "{text}");
    for piece in SECRET.as_bytes().chunks(8) {
        assert!(
            !text.contains(std::str::from_utf8(piece).unwrap()),
            "{text}"
        );
    }
    // The key bytes as a Debug byte list.
    assert!(
        !text.contains(&format!("{:?}", &SECRET.as_bytes()[..4])[1..8]),
        "{text}"
    );
}

#[test]
fn server_secret_debug_is_redacted() {
    let s = ServerSecret::new(SECRET).unwrap();
    for text in [format!("{s:?}"), format!("{s:#?}")] {
        assert_no_secret(&text);
        assert!(text.contains("redacted"), "{text}");
    }
    let from_bytes = ServerSecret::from_bytes(SECRET.as_bytes()).unwrap();
    assert_no_secret(&format!("{from_bytes:?}"));
}

#[test]
fn issued_token_debug_omits_the_token() {
    for mode in [Mode::Gcm, Mode::Cbc] {
        let t = issue(mode);
        for text in [format!("{t:?}"), format!("{t:#?}")] {
            assert!(!text.contains(&t.token), "{text}");
            assert!(!text.contains(&t.token[2..40]), "{text}");
            assert!(text.contains("redacted"), "{text}");
        }
    }
}

#[test]
fn request_debug_holds_no_secret() {
    // A request holds no secret (only what goes into the token); its Debug is safe to log.
    let req = TokenRequest::new(AppId::new(77).unwrap(), UserId::new(USER).unwrap());
    assert_no_secret(&format!("{req:?}"));
}

#[test]
fn errors_carry_no_secret_token_or_plaintext() {
    let right = ServerSecret::new(SECRET).unwrap();
    let wrong = ServerSecret::new(OTHER_SECRET).unwrap();
    let mut failures = Vec::new();
    for mode in [Mode::Gcm, Mode::Cbc] {
        let t = issue(mode).token;
        let mut body = STANDARD.decode(&t[2..]).unwrap();
        failures.push((t.clone(), parse(&t, &wrong).unwrap_err()));
        failures.push((t.clone(), verify(&t, &right, i64::MAX).unwrap_err()));
        let last = body.len() - 2;
        body[last] ^= 0x80;
        let altered = format!("04{}", STANDARD.encode(&body));
        failures.push((altered.clone(), parse(&altered, &right).unwrap_err()));
        let truncated = format!("04{}", STANDARD.encode(&body[..body.len() / 2]));
        failures.push((truncated.clone(), parse(&truncated, &right).unwrap_err()));
        failures.push((truncated.clone(), inspect(&truncated).unwrap_err()));
        let bad64 = format!("{}!{}", &t[..30], &t[31..]);
        failures.push((bad64.clone(), parse(&bad64, &right).unwrap_err()));
    }
    assert!(failures.len() >= 12);
    for (token, e) in failures {
        for text in [e.to_string(), format!("{e:?}")] {
            assert_no_secret(&text);
            assert!(!text.contains(&token[2..30]), "{text}");
            assert!(!text.contains(USER) && !text.contains(ROOM), "{text}");
        }
    }
    // Building errors do not echo the refused input either.
    let e = UserId::new(format!("{}{}", USER, "x".repeat(64))).unwrap_err();
    assert!(!e.to_string().contains(USER));
    let e = ServerSecret::new(&SECRET[..31]).unwrap_err();
    assert!(!e.to_string().contains(&SECRET[..31]) && !format!("{e:?}").contains(&SECRET[..31]));
}
