//! Tencent `ParsedUserSig::parse` + `verify` on arbitrary strings, with a conformance
//! vector's key and sdkappid (so seeds reach a successful verification).
//!
//! Properties: nothing panics; only `malformed`/`version` on parse and
//! `signature`/`mismatch`/`expired` on verify; a parsed PrivateMapKey userbuf re-encodes
//! and decodes to itself; a verified token re-signs to the same HMAC.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_usersig::{
    ErrorKind, MAX_TOKEN_LEN, ParsedUserSig, PrivateMapKey, SdkAppId, SecretKey, UserSig,
};

const KEY: &str = "19d516b61b135f0afb8549dc19c471fbc0fb57412998ef06f6f5e02128ee72a2";
const SDKAPPID: SdkAppId = match SdkAppId::new(1_559_208_632) {
    Ok(id) => id,
    Err(_) => panic!("a non-zero sdkappid"),
};

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let key = SecretKey::new(KEY).unwrap();
    match ParsedUserSig::parse(token) {
        Ok(parsed) => {
            assert!(token.len() <= MAX_TOKEN_LEN);
            assert!(parsed.userbuf_b64().is_some() == parsed.private_map_key.is_some());
            let userbuf = parsed.private_map_key.as_ref().map(|k| {
                let bytes = k.encode().unwrap();
                assert_eq!(&PrivateMapKey::decode(&bytes).unwrap(), k);
                bytes
            });
            match parsed.verify(&key, SDKAPPID, parsed.time) {
                Ok(()) => {
                    let mut doc = UserSig::new(
                        &*parsed.identifier,
                        parsed.sdkappid,
                        parsed.time,
                        parsed.expire,
                    );
                    doc.userbuf = userbuf;
                    let again = ParsedUserSig::parse(&doc.to_token(&key).unwrap()).unwrap();
                    assert_eq!(again.signature(), parsed.signature());
                }
                Err(e) => assert!(matches!(
                    e.kind(),
                    ErrorKind::Signature | ErrorKind::Mismatch | ErrorKind::Expired
                )),
            }
            let _ = parsed.check_expiry(parsed.expires_at());
        }
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::Malformed | ErrorKind::Version
        )),
    }
});
