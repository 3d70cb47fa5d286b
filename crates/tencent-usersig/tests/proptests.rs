//! Build → parse round trips for any document and any PrivateMapKey.
#![allow(missing_docs, clippy::unwrap_used)]

use proptest::prelude::*;
use tencent_usersig::{ParsedUserSig, PrivateMapKey, Privileges, Room, SecretKey, UserSig};

fn room() -> impl Strategy<Value = Room> {
    prop_oneof![
        any::<u32>().prop_map(Room::Numeric),
        ".{0,80}".prop_map(Room::Str)
    ]
}

proptest! {
    #[test]
    fn any_usersig_round_trips(
        identifier in ".{0,64}",
        sdkappid: u32,
        time: u64,
        expire: u64,
        key in "[ -~]{1,80}",
    ) {
        let key = SecretKey::new(&key).unwrap();
        let token = UserSig::new(identifier.clone(), sdkappid, time, expire).to_token(&key).unwrap();
        let p = ParsedUserSig::parse(&token).unwrap();
        prop_assert_eq!(&p.identifier, &identifier);
        prop_assert_eq!((p.sdkappid, p.time, p.expire), (sdkappid, time, expire));
        prop_assert!(p.private_map_key.is_none());
        p.verify_signature(&key).unwrap();
    }

    #[test]
    fn any_private_map_key_round_trips(
        account in ".{0,40}",
        sdkappid: u32,
        room in room(),
        expire_at: u32,
        bits: u32,
        account_type: u32,
    ) {
        let key = SecretKey::new("k").unwrap();
        let userbuf = PrivateMapKey {
            account: account.clone(),
            sdkappid,
            room,
            expire_at,
            privileges: Privileges::from_bits(bits),
            account_type,
        };
        let token = UserSig::new(account, sdkappid, 1, 2)
            .with_private_map_key(&userbuf)
            .unwrap()
            .to_token(&key)
            .unwrap();
        let p = ParsedUserSig::parse(&token).unwrap();
        p.verify_signature(&key).unwrap();
        prop_assert_eq!(p.private_map_key, Some(userbuf));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,300}") {
        let _ = ParsedUserSig::parse(&s);
    }
}
