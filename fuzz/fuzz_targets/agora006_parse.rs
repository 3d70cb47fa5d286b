//! 006 `ParsedAccessToken::parse` + `verify` on arbitrary input.
//!
//! Input: the token on the first line; optional channel name and uid on the
//! next two (otherwise the conformance vectors' channel and uid, with the
//! vectors' certificate, so seeds reach a successful verification).
//!
//! Properties: nothing panics; a verified token's CRC32s match the channel
//! and uid it was verified with.
#![no_main]

use agora_dynamic_key::access_token::ParsedAccessToken;
use agora_dynamic_key::{AppCertificate, ErrorKind, MAX_TOKEN_LEN};
use libfuzzer_sys::fuzz_target;

const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const CHANNEL: &str = "7d72365eb983485397e3e3f9d460bdda";
const UID: &str = "2882341273";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(3, '\n');
    let token = lines.next().unwrap_or_default();
    let channel = lines.next().unwrap_or(CHANNEL);
    let uid = lines.next().unwrap_or(UID);
    let cert = AppCertificate::new(CERT).unwrap();
    match ParsedAccessToken::parse(token) {
        Ok(parsed) => {
            assert!(token.len() <= MAX_TOKEN_LEN);
            if parsed.verify(&cert, channel, uid).is_ok() {
                assert_eq!(parsed.crc_channel_name, crc32(channel));
                assert_eq!(parsed.crc_uid, crc32(uid));
            }
            let _ = parsed.check_expiry(u64::from(parsed.ts));
        }
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::Malformed | ErrorKind::Version
        )),
    }
});

/// CRC-32 (IEEE), bitwise: the fuzz crate keeps its dependencies minimal.
fn crc32(s: &str) -> u32 {
    let mut crc = !0u32;
    for &b in s.as_bytes() {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
