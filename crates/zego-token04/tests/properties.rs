//! Property tests: round trips, tamper detection, no panics.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use zego_token04::{
    AppId, Error, ErrorKind, Mode, PrivilegePayload, ServerSecret, TokenRequest, UserId, build_at,
    inspect, parse, verify,
};

const DEMO_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn secret() -> ServerSecret {
    ServerSecret::new(DEMO_SECRET).unwrap()
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Gcm), Just(Mode::Cbc)]
}

/// Any user id the rules accept: 1..=64 UTF-16 code units, any characters.
fn user_id() -> impl Strategy<Value = String> {
    "(?s).{1,64}".prop_filter("at most 64 utf-16 units", |s| {
        s.encode_utf16().count() <= 64
    })
}

/// A GCM token around an arbitrary plaintext, as a foreign generator could make it.
fn gcm_token(plaintext: &[u8], expire: i64) -> String {
    let cipher = Aes256Gcm::new_from_slice(DEMO_SECRET.as_bytes()).unwrap();
    let nonce_bytes = [7u8; 12];
    let nonce = Nonce::try_from(&nonce_bytes[..]).unwrap();
    let mut ct = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(&nonce, &[], ct.as_mut_slice().into())
        .unwrap();
    ct.extend_from_slice(&tag);
    let mut body = expire.to_be_bytes().to_vec();
    body.extend_from_slice(&12u16.to_be_bytes());
    body.extend_from_slice(&nonce_bytes);
    body.extend_from_slice(&u16::try_from(ct.len()).unwrap().to_be_bytes());
    body.extend_from_slice(&ct);
    body.push(1);
    format!("04{}", STANDARD.encode(body))
}

fn demo_token(mode: Mode) -> String {
    let req = TokenRequest::new(AppId::new(1).unwrap(), UserId::new("demo").unwrap())
        .privilege(&PrivilegePayload::login_only("demo"))
        .mode(mode);
    build_at(&secret(), &req, 1_700_000_000).unwrap().token
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn build_then_parse_round_trips(
        mode in mode(),
        app_id in 1u32..,
        user in user_id(),
        payload in "(?s).{0,300}",
        effective in 1i64..=1_000_000_000,
        now in -4_000_000_000i64..=4_000_000_000,
    ) {
        let req = TokenRequest::new(AppId::new(app_id).unwrap(), UserId::new(user.clone()).unwrap())
            .effective_secs(effective)
            .payload(payload.clone())
            .mode(mode);
        let issued = build_at(&secret(), &req, now).unwrap();
        prop_assert_eq!(issued.expire, now + effective);
        let c = verify(&issued.token, &secret(), now).unwrap();
        prop_assert_eq!(c.mode, mode);
        prop_assert_eq!(c.app_id, app_id);
        prop_assert_eq!(&c.user_id, &user);
        prop_assert_eq!(c.ctime, now);
        prop_assert_eq!(c.expire, now + effective);
        prop_assert_eq!(c.nonce, issued.nonce);
        prop_assert_eq!(&c.payload, &payload);
        let h = inspect(&issued.token).unwrap();
        prop_assert_eq!((h.mode, h.expire, h.iv_len), (mode, now + effective, mode.iv_len()));
        prop_assert_eq!(verify(&issued.token, &secret(), now + effective).unwrap_err(), Error::Expired);
    }

    #[test]
    fn privilege_payload_round_trips(
        room in "(?s).{0,40}",
        login in any::<bool>(),
        publish in any::<bool>(),
        streams in prop::collection::vec("(?s).{0,20}", 0..4),
    ) {
        let p = PrivilegePayload { room_id: room, login, publish, stream_ids: streams };
        let json = p.to_json();
        // Valid JSON with the same content, read back identically.
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(v["room_id"].as_str(), Some(p.room_id.as_str()));
        prop_assert_eq!(PrivilegePayload::from_json(&json), Some(p.clone()));
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        prop_assert_eq!(PrivilegePayload::from_json(&pretty), Some(p));
    }

    /// Tokens whose JSON another generator wrote (any key order, spaces,
    /// serde_json's escaping) are read back.
    #[test]
    fn foreign_json_is_read(
        app_id in any::<u32>(),
        user in "(?s).{0,30}",
        ctime in any::<i64>(),
        expire in any::<i64>(),
        nonce in any::<i32>(),
        payload in prop::option::of("(?s).{0,60}"),
        order in Just(["app_id", "user_id", "ctime", "expire", "nonce", "payload"]).prop_shuffle(),
        pretty in any::<bool>(),
    ) {
        // Members in a random order, values escaped the serde_json way.
        let sep = if pretty { ", " } else { "," };
        let colon = if pretty { ": " } else { ":" };
        let members: Vec<String> = order
            .iter()
            .map(|&k| {
                let v = match k {
                    "app_id" => serde_json::json!(app_id),
                    "user_id" => serde_json::json!(user),
                    "ctime" => serde_json::json!(ctime),
                    "expire" => serde_json::json!(expire),
                    "nonce" => serde_json::json!(nonce),
                    _ => serde_json::json!(payload),
                };
                format!("\"{k}\"{colon}{v}")
            })
            .collect();
        let text = format!("{{{}}}", members.join(sep));
        let c = parse(&gcm_token(text.as_bytes(), expire), &secret()).unwrap();
        prop_assert_eq!((c.app_id, c.ctime, c.expire, c.nonce), (app_id, ctime, expire, nonce));
        prop_assert_eq!(c.user_id, user);
        prop_assert_eq!(c.payload, payload.unwrap_or_default());
    }

    /// Arbitrary authenticated plaintexts never panic and, if refused, are malformed.
    #[test]
    fn arbitrary_plaintext_never_panics(pt in prop::collection::vec(any::<u8>(), 0..200), expire in any::<i64>()) {
        if let Err(e) = parse(&gcm_token(&pt, expire), &secret()) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        }
    }

    #[test]
    fn parse_never_panics_on_strings(s in "(?s).{0,300}") {
        let _ = parse(&s, &secret());
        let _ = inspect(&s);
    }

    #[test]
    fn parse_never_panics_on_bodies(body in prop::collection::vec(any::<u8>(), 0..300)) {
        let t = format!("04{}", STANDARD.encode(&body));
        let _ = parse(&t, &secret());
        let _ = inspect(&t);
    }

    /// Random mutations of real tokens of both modes never panic.
    #[test]
    fn parse_never_panics_on_mutated_tokens(
        mode in mode(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let t = demo_token(mode);
        let mut body = STANDARD.decode(&t[2..]).unwrap();
        for (idx, b) in edits {
            let i = idx.index(body.len());
            body[i] = b;
        }
        let _ = parse(&format!("04{}", STANDARD.encode(&body)), &secret());
    }

    /// With a wrong secret, a CBC token always gives the one opaque decrypt
    /// error, whether the padding happened to be valid or not.
    #[test]
    fn cbc_wrong_secret_is_always_decrypt(key in "[0-9a-f]{32}") {
        prop_assume!(key != DEMO_SECRET);
        let other = ServerSecret::new(&key).unwrap();
        prop_assert_eq!(parse(&demo_token(Mode::Cbc), &other).unwrap_err(), Error::Decrypt);
        prop_assert_eq!(parse(&demo_token(Mode::Gcm), &other).unwrap_err(), Error::Decrypt);
    }
}

/// Every single-byte change of a GCM token's body fails to parse.
#[test]
fn every_gcm_body_byte_change_is_refused() {
    let t = demo_token(Mode::Gcm);
    let body = STANDARD.decode(&t[2..]).unwrap();
    for i in 0..body.len() {
        for x in [0x01u8, 0x02, 0x10, 0x80, 0xff] {
            let mut b = body.clone();
            b[i] ^= x;
            let res = parse(&format!("04{}", STANDARD.encode(&b)), &secret());
            assert!(res.is_err(), "byte {i} ^ {x:#04x} was accepted");
        }
    }
}

/// Every single-character change of a GCM token string fails to parse.
#[test]
fn every_gcm_token_char_change_is_refused() {
    let t = demo_token(Mode::Gcm);
    for i in 0..t.len() {
        for c in ['A', 'B', 'z', '0', '+', '/', '=', '-', '_', ' '] {
            if t.as_bytes()[i] == c as u8 {
                continue;
            }
            let mut m = t.clone().into_bytes();
            m[i] = c as u8;
            let m = String::from_utf8(m).unwrap();
            assert!(
                parse(&m, &secret()).is_err(),
                "char {i} -> {c:?} was accepted"
            );
        }
    }
}

/// Only a changed byte of the CBC IV can slip through (CBC is unauthenticated,
/// see vector parse_cbc_iv_bitflip_is_undetected); changes elsewhere are caught.
#[test]
fn cbc_changes_outside_the_iv_are_refused() {
    let t = demo_token(Mode::Cbc);
    let body = STANDARD.decode(&t[2..]).unwrap();
    let ct_start = 8 + 2 + 16 + 2;
    let last_two_blocks = body.len() - 32;
    for i in (0..ct_start).chain(last_two_blocks..body.len()) {
        if (10..26).contains(&i) {
            continue;
        }
        let mut b = body.clone();
        b[i] ^= 0x01;
        let res = parse(&format!("04{}", STANDARD.encode(&b)), &secret());
        assert!(res.is_err(), "byte {i} change was accepted");
    }
}
