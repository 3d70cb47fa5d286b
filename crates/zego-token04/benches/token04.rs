//! Build and parse benchmarks for both modes.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zego_token04::hazmat::{FixedInputs, build_fixed};
use zego_token04::{
    AppId, Mode, PrivilegePayload, ServerSecret, TokenRequest, UserId, build_at, parse,
};

const NOW: i64 = 1_700_000_000;

fn request(mode: Mode) -> TokenRequest {
    TokenRequest::new(
        AppId::new(1_234_567_890).unwrap(),
        UserId::new("demo-user").unwrap(),
    )
    .privilege(&PrivilegePayload::login_only("demo-room"))
    .mode(mode)
}

fn benches(c: &mut Criterion) {
    let secret = ServerSecret::new("0123456789abcdef0123456789abcdef").unwrap();
    for mode in [Mode::Gcm, Mode::Cbc] {
        let req = request(mode);
        c.bench_function(&format!("{mode}_build"), |b| {
            b.iter(|| build_at(black_box(&secret), black_box(&req), black_box(NOW)).unwrap());
        });
        let token = build_at(&secret, &req, NOW).unwrap().token;
        c.bench_function(&format!("{mode}_parse"), |b| {
            b.iter(|| parse(black_box(&token), black_box(&secret)).unwrap());
        });
    }
    // The build without the OS random number generator (fixed IV and nonce).
    let payload = PrivilegePayload::login_only("demo-room").to_json();
    let inputs = FixedInputs {
        mode: Mode::Gcm,
        app_id: 1_234_567_890,
        user_id: "demo-user",
        ctime: NOW,
        expire: NOW + 3600,
        nonce: 42,
        iv: &[7; 12],
        payload: &payload,
    };
    c.bench_function("gcm_build_fixed", |b| {
        b.iter(|| build_fixed(black_box(&secret), black_box(&inputs)).unwrap());
    });
}

criterion_group!(token04, benches);
criterion_main!(token04);
