//! 007 `ParsedAccessToken2::parse` + `verify` on arbitrary strings, with the
//! conformance vectors' certificate (so seeds reach a successful verification).
//!
//! Properties: nothing panics; the inflated body never exceeds
//! `MAX_INFLATED_LEN`; only `malformed`/`version` on parse and `signature`
//! on verify.
#![no_main]

use agora_dynamic_key::access_token2::ParsedAccessToken2;
use agora_dynamic_key::{AppCertificate, ErrorKind, MAX_INFLATED_LEN, MAX_TOKEN_LEN};
use libfuzzer_sys::fuzz_target;

const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let cert = AppCertificate::new(CERT).unwrap();
    match ParsedAccessToken2::parse(token) {
        Ok(parsed) => {
            assert!(token.len() <= MAX_TOKEN_LEN);
            assert!(parsed.content().len() <= MAX_INFLATED_LEN);
            if let Err(e) = parsed.verify(&cert) {
                assert_eq!(e.kind(), ErrorKind::Signature);
            }
            assert!(parsed.effective_expires_at() >= parsed.issued_at());
            let _ = parsed.check_expiry(parsed.effective_expires_at());
        }
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::Malformed | ErrorKind::Version
        )),
    }
});
