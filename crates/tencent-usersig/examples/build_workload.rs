//! A fixed build workload for instruction counts (callgrind), with the benchmark's inputs:
//! `cargo build --release -p tencent-usersig --features hazmat --example build_workload`,
//! then `valgrind --tool=callgrind target/release/examples/build_workload usersig|pmk|parse`.
//!
//! Builds 1 000 (or the second argument's number of) UserSigs (`usersig`) or PrivateMapKeys
//! (`pmk`, numeric room 1234, every privilege; `pmkstr`, string room "1234"), or parses
//! and verifies a UserSig as often (`parse`), and prints a checksum so nothing is optimised
//! away; `print` prints one token of each kind. Also timed by CPU time (`/usr/bin/time`),
//! which a loaded machine disturbs less than the wall clock criterion reads.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use tencent_usersig::{
    ParsedUserSig, PrivateMapKeySpec, Privileges, Room, SdkAppId, SecretKey, UserId, UserSigBuilder,
};

const SDKAPPID: SdkAppId = match SdkAppId::new(1_400_000_000) {
    Ok(id) => id,
    Err(_) => panic!("a non-zero sdkappid"),
};
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const NOW: u64 = 1_700_000_000;

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "usersig".into());
    let key = SecretKey::new(KEY).unwrap();
    let builder = UserSigBuilder::new(SDKAPPID, key.clone());
    let user = UserId::new("user_0123456789").unwrap();
    let spec = PrivateMapKeySpec::new(user.clone(), Room::Numeric(1234), Privileges::ALL, 86_400);
    let str_spec = PrivateMapKeySpec::new(
        user.clone(),
        Room::Str("1234".into()),
        Privileges::ALL,
        86_400,
    );
    let token = builder.user_sig_at_time(NOW, &user, 86_400).unwrap().token;
    let n: u64 = std::env::args()
        .nth(2)
        .map_or(1_000, |n| n.parse().unwrap());
    if what == "print" {
        println!("{token}");
        let pmk = builder.private_map_key_at_time(NOW, &spec).unwrap().token;
        println!("{pmk}");
        return;
    }
    let mut sum = 0usize;
    for i in 0..n {
        sum = sum.wrapping_add(match what.as_str() {
            "pmkstr" => builder
                .private_map_key_at_time(black_box(NOW + i % 2), &str_spec)
                .unwrap()
                .token
                .len(),
            "pmk" => builder
                .private_map_key_at_time(black_box(NOW + i % 2), &spec)
                .unwrap()
                .token
                .len(),
            "parse" => {
                let p = ParsedUserSig::parse(black_box(&token)).unwrap();
                p.verify(&key, SDKAPPID, NOW + 1).unwrap();
                p.identifier.len()
            }
            _ => builder
                .user_sig_at_time(black_box(NOW + i % 2), &user, 86_400)
                .unwrap()
                .token
                .len(),
        });
    }
    println!("{what}: {sum}");
}
