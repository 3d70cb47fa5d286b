//! Randomness: salts are drawn from the OS CSPRNG (`getrandom::fill`, in
//! batches of 64 words per thread, then rejection sampling) uniformly in
//! `1..=99_999_999`, never from the clock.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use std::collections::HashSet;

use agora_dynamic_key::access_token::{AccessToken, ParsedAccessToken, Role};
use agora_dynamic_key::access_token2::{AccessToken2, ParsedAccessToken2, ServiceRtm};
use agora_dynamic_key::builder::{RtcRole, TokenBuilder};
use agora_dynamic_key::{AppCertificate, AppId};

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const SALT_MAX: u32 = 99_999_999;

fn builder() -> TokenBuilder {
    TokenBuilder::new(
        AppId::new(APP_ID).unwrap(),
        AppCertificate::new(CERT).unwrap(),
    )
    .with_now(1_700_000_000)
}

/// Range, spread and repeats of a sample of salts.
fn check_salts(salts: &[u32]) {
    assert!(salts.iter().all(|s| (1..=SALT_MAX).contains(s)));
    let distinct: HashSet<u32> = salts.iter().copied().collect();
    // Birthday bound: n^2 / 2e8 expected repeats (50 for 100 000).
    let n = salts.len() as f64;
    let expected_repeats = n * n / (2.0 * f64::from(SALT_MAX));
    let repeats = (salts.len() - distinct.len()) as f64;
    assert!(
        repeats <= 3.0 * expected_repeats + 10.0,
        "{repeats} repeats"
    );
    let mean = salts.iter().map(|&s| f64::from(s)).sum::<f64>() / n;
    let ideal = f64::from(SALT_MAX) / 2.0;
    assert!((mean - ideal).abs() < ideal * 0.02, "mean {mean}");
    // Every tenth of the range is hit about equally often.
    let mut deciles = [0usize; 10];
    for &s in salts {
        deciles[((s - 1) / 10_000_000).min(9) as usize] += 1;
    }
    for d in deciles {
        let share = d as f64 / n;
        assert!((share - 0.1).abs() < 0.02, "{deciles:?}");
    }
}

#[test]
fn salts_of_new_tokens_are_uniform_in_range() {
    let app = AppId::new(APP_ID).unwrap();
    let salts: Vec<u32> = (0..100_000)
        .map(|i| {
            if i % 2 == 0 {
                AccessToken2::new(app.clone(), 0, 0).salt()
            } else {
                AccessToken::new(app.clone(), "c", "u", 0).salt()
            }
        })
        .collect();
    check_salts(&salts);
}

#[test]
fn salts_parsed_back_from_built_tokens() {
    let b = builder();
    let mut salts = Vec::new();
    for i in 0..2_000u32 {
        let t7 = b
            .rtc_with_uid("room", i, RtcRole::Publisher, 600, 600)
            .unwrap()
            .token;
        salts.push(ParsedAccessToken2::parse(&t7).unwrap().salt);
        let t6 = b
            .rtc006_with_uid("room", i, Role::Publisher, 0)
            .unwrap()
            .token;
        salts.push(ParsedAccessToken::parse(&t6).unwrap().salt);
    }
    assert!(salts.iter().all(|s| (1..=SALT_MAX).contains(s)));
    let distinct: HashSet<u32> = salts.iter().copied().collect();
    assert!(
        distinct.len() >= salts.len() - 5,
        "{} distinct",
        distinct.len()
    );
}

#[test]
fn same_clock_same_input_gives_different_tokens() {
    // A clock-seeded salt would repeat here: the builder's clock is frozen.
    let b = builder();
    let a = b.rtm("user", 600).unwrap();
    let c = b.rtm("user", 600).unwrap();
    assert_eq!(a.issued_at, c.issued_at);
    assert_ne!(a.token, c.token);
    let a = b.rtc006_with_uid("room", 1, Role::Subscriber, 0).unwrap();
    let c = b.rtc006_with_uid("room", 1, Role::Subscriber, 0).unwrap();
    assert_ne!(a.token, c.token);
    let app = AppId::new(APP_ID).unwrap();
    let cert = AppCertificate::new(CERT).unwrap();
    let mut x = AccessToken2::new(app.clone(), 1_700_000_000, 600);
    let mut y = AccessToken2::new(app, 1_700_000_000, 600);
    x.add_service(ServiceRtm::new("u"));
    y.add_service(ServiceRtm::new("u"));
    assert_ne!(x.salt(), y.salt());
    assert_ne!(x.build(&cert).unwrap(), y.build(&cert).unwrap());
}

#[test]
fn salts_differ_across_threads() {
    // Each thread has its own pool of OS random words; pools must not repeat.
    let per_thread: Vec<Vec<u32>> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let app = AppId::new(APP_ID).unwrap();
                (0..200)
                    .map(|_| AccessToken2::new(app.clone(), 0, 0).salt())
                    .collect()
            })
        })
        .map(|h| h.join().unwrap())
        .collect();
    let all: HashSet<u32> = per_thread.iter().flatten().copied().collect();
    assert!(all.len() >= 795, "{} distinct of 800", all.len());
}
