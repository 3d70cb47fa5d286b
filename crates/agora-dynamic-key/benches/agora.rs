//! Token construction and parsing, with general-purpose zlib as the baseline.
//!
//! `cargo bench -p agora-dynamic-key --features hazmat -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::io::Write;

use agora_dynamic_key::access_token::{AccessToken, ParsedAccessToken, Privilege};
use agora_dynamic_key::access_token2::{ParsedAccessToken2, RtcPrivilege, ServiceRtc};
use agora_dynamic_key::builder::{RtcRole, TokenBuilder};
use agora_dynamic_key::{AppCertificate, AppId, hazmat};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const CHANNEL: &str = "7d72365eb983485397e3e3f9d460bdda";

fn publisher_body(cert: &AppCertificate) -> Vec<u8> {
    let mut t = hazmat::access_token2_with_salt(
        AppId::new(APP_ID).unwrap(),
        1_700_000_000,
        3600,
        12_345_678,
    );
    t.add_service(
        ServiceRtc::with_uid(CHANNEL, 2_882_341_273)
            .with_privilege(RtcPrivilege::JoinChannel, 3600)
            .with_privilege(RtcPrivilege::PublishAudioStream, 3600)
            .with_privilege(RtcPrivilege::PublishVideoStream, 3600)
            .with_privilege(RtcPrivilege::PublishDataStream, 3600),
    );
    t.content(cert).unwrap()
}

fn flate2_level6(body: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(body).unwrap();
    e.finish().unwrap()
}

fn benches(c: &mut Criterion) {
    let cert = AppCertificate::new(CERT).unwrap();
    let builder =
        TokenBuilder::new(AppId::new(APP_ID).unwrap(), cert.clone()).with_now(1_700_000_000);
    let body = publisher_body(&cert);

    let mut g = c.benchmark_group("007 rtc publisher token");
    g.bench_function("ours (TokenBuilder::rtc_with_uid)", |b| {
        b.iter(|| {
            builder
                .rtc_with_uid(
                    black_box(CHANNEL),
                    black_box(2_882_341_273),
                    RtcRole::Publisher,
                    3600,
                    3600,
                )
                .unwrap()
        })
    });
    g.bench_function("baseline (same body, miniz_oxide level 6 + base64)", |b| {
        b.iter(|| {
            let body = publisher_body(&cert);
            let z = miniz_oxide::deflate::compress_to_vec_zlib(&body, 6);
            let mut s = String::from("007");
            STANDARD.encode_string(&z, &mut s);
            s
        })
    });
    g.bench_function(
        "baseline (same body, C zlib level 6 via flate2 + base64)",
        |b| {
            b.iter(|| {
                let body = publisher_body(&cert);
                let z = flate2_level6(&body);
                let mut s = String::from("007");
                STANDARD.encode_string(&z, &mut s);
                s
            })
        },
    );
    g.finish();

    let mut g = c.benchmark_group("deflate 007 body");
    g.bench_function("ours", |b| {
        b.iter(|| hazmat::zlib_compress(black_box(&body)))
    });
    g.bench_function("miniz_oxide level 6", |b| {
        b.iter(|| miniz_oxide::deflate::compress_to_vec_zlib(black_box(&body), 6))
    });
    g.bench_function("C zlib level 6 (flate2)", |b| {
        b.iter(|| flate2_level6(black_box(&body)))
    });
    g.finish();

    let ours = hazmat::zlib_compress(&body);
    let level6 = miniz_oxide::deflate::compress_to_vec_zlib(&body, 6);
    let btype = |z: &[u8]| ["stored", "fixed", "dynamic", "invalid"][usize::from((z[2] >> 1) & 3)];
    eprintln!(
        "body {} bytes: ours {} bytes ({}), level 6 {} bytes ({})",
        body.len(),
        ours.len(),
        btype(&ours),
        level6.len(),
        btype(&level6)
    );

    let mut g = c.benchmark_group("inflate 007 body");
    g.bench_function("ours", |b| {
        b.iter(|| hazmat::zlib_decompress(black_box(&level6), 256 * 1024).unwrap())
    });
    g.bench_function("ours (our stream)", |b| {
        b.iter(|| hazmat::zlib_decompress(black_box(&ours), 256 * 1024).unwrap())
    });
    g.bench_function("miniz_oxide decompress_to_vec_zlib_with_limit", |b| {
        b.iter(|| {
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(black_box(&level6), 256 * 1024)
                .unwrap()
        })
    });
    g.finish();

    // Zlib bombs (valid streams inflating past MAX_INFLATED_LEN), refused as malformed:
    // long runs of distance-1 matches, and of distance-3 (overlapping) matches.
    let mut g = c.benchmark_group("zlib bomb refusal");
    for (name, data) in [
        ("1 MiB of zeros, level 9", vec![0u8; 1 << 20]),
        (
            "1 MiB of \"abc\", level 9",
            b"abc".iter().cycle().take(1 << 20).copied().collect(),
        ),
    ] {
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&data, 9);
        let token = format!("007{}", STANDARD.encode(&bomb));
        g.bench_function(format!("ParsedAccessToken2::parse, {name}"), |b| {
            b.iter(|| ParsedAccessToken2::parse(black_box(&token)).unwrap_err())
        });
    }
    g.finish();

    // A fixed salt keeps the parsed token (and so its block type) the same in every run;
    // with a random salt the encoder picks a fixed or dynamic block depending on the body.
    let token = builder
        .clone()
        .with_fixed_salt(12_345_678)
        .rtc_with_uid(CHANNEL, 2_882_341_273, RtcRole::Publisher, 3600, 3600)
        .unwrap()
        .token;
    let mut g = c.benchmark_group("007 parse + verify");
    g.bench_function("ours", |b| {
        b.iter(|| {
            let p = ParsedAccessToken2::parse(black_box(&token)).unwrap();
            p.verify(&cert).unwrap();
            p
        })
    });
    g.finish();

    let mut g = c.benchmark_group("006 rtc token");
    g.bench_function("ours (TokenBuilder::rtc006_with_uid)", |b| {
        b.iter(|| {
            builder
                .rtc006_with_uid(
                    black_box(CHANNEL),
                    2_882_341_273,
                    agora_dynamic_key::access_token::Role::Publisher,
                    1_700_003_600,
                )
                .unwrap()
        })
    });
    g.bench_function("ours (AccessToken::build)", |b| {
        let mut t = AccessToken::new(
            AppId::new(APP_ID).unwrap(),
            CHANNEL,
            "2882341273",
            1_700_086_400,
        );
        for p in [
            Privilege::JoinChannel,
            Privilege::PublishAudioStream,
            Privilege::PublishVideoStream,
            Privilege::PublishDataStream,
        ] {
            t.add_privilege(p, 1_700_003_600);
        }
        b.iter(|| black_box(&t).build(&cert).unwrap())
    });
    let t006 = builder
        .rtc006_with_uid(
            CHANNEL,
            2_882_341_273,
            agora_dynamic_key::access_token::Role::Publisher,
            1_700_003_600,
        )
        .unwrap()
        .token;
    g.bench_function("ours parse + verify", |b| {
        b.iter(|| {
            let p = ParsedAccessToken::parse(black_box(&t006)).unwrap();
            p.verify(&cert, CHANNEL, "2882341273").unwrap();
            p
        })
    });
    g.finish();
}

criterion_group!(agora, benches);
criterion_main!(agora);
