//! Token construction and parsing, with general-purpose zlib as the baseline.
//!
//! `cargo bench -p agora-dynamic-key --features hazmat -- --warm-up-time 1 --measurement-time 3`
//!
//! The codec alone is benchmarked in `crates/small-zlib/benches/codec.rs`. Here the
//! baselines build the same signed body by the same path as ours and differ only in the
//! compressor; the parse groups cycle through many tokens, Agora's own among them.
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
use serde_json::Value;

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

fn miniz_level6(body: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(body, 6)
}

/// A compressor under test: one zlib stream of the input.
type Compress = fn(&[u8]) -> Vec<u8>;

const COMPRESSORS: [(&str, Compress); 3] = [
    ("ours (small_zlib::compress)", small_zlib::compress),
    ("miniz_oxide level 6", miniz_level6),
    ("C zlib level 6 via flate2", flate2_level6),
];

/// How many of the parse benchmarks' tokens of each version are ours.
const OURS: usize = 32;

/// The build cases of the conformance vectors (Agora's reference tokens and their inputs).
fn reference_cases() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/agora-public.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["op"] == "build" && c["expect"]["token"].is_string())
        .cloned()
        .collect()
}

/// 007 tokens with their certificates: every reference-made one, then [`OURS`] of ours.
fn tokens_007(builder: &TokenBuilder, cert: &AppCertificate) -> Vec<(String, AppCertificate)> {
    let mut out: Vec<(String, AppCertificate)> = reference_cases()
        .iter()
        .filter(|c| c["kind"] == "access_token2")
        .map(|c| {
            (
                c["expect"]["token"].as_str().unwrap().to_owned(),
                AppCertificate::new(c["input"]["app_certificate"].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    for i in 0..OURS as u32 {
        let channel = format!("{CHANNEL}{i}");
        let token = builder
            .rtc_with_uid(&channel, 1000 + i * 7919, RtcRole::Publisher, 3600, 3600)
            .unwrap()
            .token;
        out.push((token, cert.clone()));
    }
    out
}

/// 006 tokens with what verifies them (certificate, channel, uid): every reference-made
/// one, then [`OURS`] of ours.
fn tokens_006(
    builder: &TokenBuilder,
    cert: &AppCertificate,
) -> Vec<(String, AppCertificate, String, String)> {
    let mut out: Vec<_> = reference_cases()
        .iter()
        .filter(|c| c["kind"] == "access_token")
        .map(|c| {
            let s = |k: &str| c["input"][k].as_str().unwrap().to_owned();
            (
                c["expect"]["token"].as_str().unwrap().to_owned(),
                AppCertificate::new(&s("app_certificate")).unwrap(),
                s("channel_name"),
                s("uid"),
            )
        })
        .collect();
    for i in 0..OURS as u32 {
        let (channel, uid) = (format!("{CHANNEL}{i}"), 1000 + i * 7919);
        let token = builder
            .rtc006_with_uid(
                &channel,
                uid,
                agora_dynamic_key::access_token::Role::Publisher,
                1_700_003_600,
            )
            .unwrap()
            .token;
        out.push((token, cert.clone(), channel, uid.to_string()));
    }
    out
}

fn benches(c: &mut Criterion) {
    let cert = AppCertificate::new(CERT).unwrap();
    let builder =
        TokenBuilder::new(AppId::new(APP_ID).unwrap(), cert.clone()).with_now(1_700_000_000);

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
    // The same signed body (fixed salt: HMAC chain, packing and allocation as ours), then
    // each compressor, then the same base64: only the compressor differs.
    for (name, compress) in COMPRESSORS {
        g.bench_function(format!("same signed body, {name} + base64"), |b| {
            b.iter(|| {
                let body = publisher_body(black_box(&cert));
                let z = compress(&body);
                let mut s = String::from("007");
                STANDARD.encode_string(&z, &mut s);
                s
            })
        });
    }
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

    // Many tokens in turn: Agora's reference-made ones from the conformance vectors, and
    // ours for varied channels, uids and salts.
    let tokens = tokens_007(&builder, &cert);
    let mut g = c.benchmark_group("007 parse + verify");
    g.bench_function(
        format!(
            "{} tokens in turn ({} by Agora's libraries)",
            tokens.len(),
            tokens.len() - OURS
        ),
        |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % tokens.len();
                let (token, cert) = &tokens[i];
                let p = ParsedAccessToken2::parse(black_box(token)).unwrap();
                p.verify(cert).unwrap();
                p
            })
        },
    );
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
    let tokens = tokens_006(&builder, &cert);
    g.bench_function(
        format!(
            "parse + verify, {} tokens in turn ({} by Agora's libraries)",
            tokens.len(),
            tokens.len() - OURS
        ),
        |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % tokens.len();
                let (token, cert, channel, uid) = &tokens[i];
                let p = ParsedAccessToken::parse(black_box(token)).unwrap();
                p.verify(cert, channel, uid).unwrap();
                p
            })
        },
    );
    g.finish();
}

criterion_group!(agora, benches);
criterion_main!(agora);
