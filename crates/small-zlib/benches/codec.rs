//! The codec against general-purpose zlib, on 007 token bodies.
//!
//! `cargo bench -p small-zlib -- --warm-up-time 1 --measurement-time 3`
//!
//! Every compressor gets the same bytes the same way (a borrowed slice, output a fresh
//! `Vec`), so the groups compare the compressors and nothing else.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};

/// The 158-byte body of a benchmark token: an RTC publisher token (app id
/// `970CA35de60c44645bbae8a215061b33`, channel `7d72365eb983485397e3e3f9d460bdda`, uid
/// 2882341273, four privileges for 600 s, issued at 1 111 111 with salt 1).
const BODY_HEX: &str = "2000c731521be14613488eac3ef393d403a87ea96102529dc5d633e12faabcce540f2000393730434133356465363063343436343562626165386132313530363162333347f4100058020000010000000100010004000100580200000200580200000300580200000400580200002000376437323336356562393833343835333937653365336639643436306264646100000a0032383832333431323733";

/// Where the signature (bytes 2..34) and the salt (after app id, issue ts and expire) sit.
const SIGNATURE: std::ops::Range<usize> = 2..34;
const SALT: std::ops::Range<usize> = 76..80;

/// `n` copies of the body, each with its own pseudo-random signature and salt, as
/// consecutive tokens have (so branch predictors cannot learn one input).
fn fresh_bodies(body: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let mut b = body.to_vec();
            for chunk in b[SIGNATURE].chunks_mut(8) {
                chunk.copy_from_slice(&next().to_le_bytes()[..chunk.len()]);
            }
            b[SALT].copy_from_slice(&next().to_le_bytes()[..4]);
            b
        })
        .collect()
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
    ("ours", small_zlib::compress),
    ("miniz_oxide level 6", miniz_level6),
    ("C zlib level 6 (flate2)", flate2_level6),
];

fn benches(c: &mut Criterion) {
    let body = hex::decode(BODY_HEX).unwrap();
    assert_eq!(body.len(), 158);
    let fresh = fresh_bodies(&body, 64);

    let mut g = c.benchmark_group("deflate 007 body");
    for (name, f) in COMPRESSORS {
        g.bench_function(name, |b| b.iter(|| f(black_box(&body))));
    }
    g.finish();

    let mut g = c.benchmark_group("deflate 007 body, 64 fresh signatures and salts in turn");
    for (name, f) in COMPRESSORS {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % fresh.len();
                f(black_box(&fresh[i]))
            })
        });
    }
    g.finish();

    let ours = small_zlib::compress(&body);
    let level6 = miniz_level6(&body);
    let btype = |z: &[u8]| ["stored", "fixed", "dynamic", "invalid"][usize::from((z[2] >> 1) & 3)];
    eprintln!(
        "body {} bytes: ours {} bytes ({}), C zlib level 6 {} bytes, miniz_oxide level 6 {} \
         bytes ({})",
        body.len(),
        ours.len(),
        btype(&ours),
        flate2_level6(&body).len(),
        level6.len(),
        btype(&level6)
    );

    let limit = 256 * 1024;
    let mut g = c.benchmark_group("inflate 007 body");
    g.bench_function("ours (miniz_oxide level 6 stream)", |b| {
        b.iter(|| small_zlib::decompress(black_box(&level6), limit).unwrap())
    });
    g.bench_function("ours (our stream)", |b| {
        b.iter(|| small_zlib::decompress(black_box(&ours), limit).unwrap())
    });
    g.bench_function(
        "miniz_oxide decompress_to_vec_zlib_with_limit (miniz_oxide level 6 stream)",
        |b| {
            b.iter(|| {
                miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(black_box(&level6), limit)
                    .unwrap()
            })
        },
    );
    g.finish();

    // Zlib bombs (valid streams inflating past the limit): runs of distance-1 matches, and
    // of distance-3 (overlapping) ones.
    let mut g = c.benchmark_group("decompress bomb refusal at 256 KiB");
    for (name, data) in [
        ("1 MiB of zeros, level 9", vec![0u8; 1 << 20]),
        (
            "1 MiB of \"abc\", level 9",
            b"abc".iter().cycle().take(1 << 20).copied().collect(),
        ),
    ] {
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&data, 9);
        g.bench_function(name, |b| {
            b.iter(|| small_zlib::decompress(black_box(&bomb), limit).unwrap_err())
        });
    }
    g.finish();
}

criterion_group!(codec, benches);
criterion_main!(codec);
