//! UserSig and PrivateMapKey (numeric and string room) build, and parse + verify, with
//! the inputs `xtask/bench-node/tls-sig-bench.js` gives npm `tls-sig-api-v2`.
//!
//! `cargo bench -p tencent-usersig --features hazmat -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tencent_usersig::{
    ParsedUserSig, PrivateMapKeySpec, Privileges, Room, SdkAppId, SecretKey, UserId, UserSigBuilder,
};

const SDKAPPID: SdkAppId = match SdkAppId::new(1_400_000_000) {
    Ok(id) => id,
    Err(_) => panic!("a non-zero sdkappid"),
};
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const NOW: u64 = 1_700_000_000;

fn benches(c: &mut Criterion) {
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

    c.bench_function("usersig build", |b| {
        b.iter(|| {
            builder
                .user_sig_at_time(black_box(NOW), &user, 86_400)
                .unwrap()
        });
    });
    c.bench_function("privatemapkey build", |b| {
        b.iter(|| {
            builder
                .private_map_key_at_time(black_box(NOW), &spec)
                .unwrap()
        });
    });

    c.bench_function("privatemapkey build, string room", |b| {
        b.iter(|| {
            builder
                .private_map_key_at_time(black_box(NOW), &str_spec)
                .unwrap()
        });
    });

    let token = builder.user_sig_at_time(NOW, &user, 86_400).unwrap().token;
    c.bench_function("usersig parse+verify", |b| {
        b.iter(|| {
            let p = ParsedUserSig::parse(black_box(&token)).unwrap();
            p.verify(&key, SDKAPPID, NOW + 1).unwrap();
        });
    });
    let token = builder.private_map_key_at_time(NOW, &spec).unwrap().token;
    c.bench_function("privatemapkey parse+verify", |b| {
        b.iter(|| {
            let p = ParsedUserSig::parse(black_box(&token)).unwrap();
            p.verify(&key, SDKAPPID, NOW + 1).unwrap();
        });
    });
}

criterion_group!(usersig, benches);
criterion_main!(usersig);
