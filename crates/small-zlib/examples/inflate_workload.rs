//! A fixed decompression workload for instruction counts (callgrind):
//! `valgrind --tool=callgrind target/debug/examples/inflate_workload` (build with
//! `cargo build --release -p small-zlib --example inflate_workload`).
//!
//! Inflates a 007-shaped token body 1 000 times, as this crate's stream (a fixed block;
//! argument `fixed`) or as a `miniz_oxide` level-6 stream (a dynamic block, so one table
//! build per call; argument `dynamic`), and prints a checksum so nothing is optimised away.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

fn main() {
    let body: Vec<u8> = b"\x20\x00\xc7\x31\x52\x1b\xe1\x46\x13\x48\x8e\xac\x3e\xf3\x93\xd4"
        .iter()
        .copied()
        .chain(*b"970CA35de60c44645bbae8a215061b33")
        .chain([
            0x47, 0xf4, 0x10, 0, 0x58, 2, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 4, 0,
        ])
        .chain((1u8..=4).flat_map(|p| [0, p, 0, 0x58, 2, 0, 0]))
        .chain(*b"\x20\x007d72365eb983485397e3e3f9d460bdda\x00\x00\x0a\x002882341273")
        .collect();
    let ours = small_zlib::compress(&body);
    let miniz = miniz_oxide::deflate::compress_to_vec_zlib(&body, 6);
    assert_eq!(ours[2] >> 1 & 3, 1, "our stream is one fixed block");
    assert_eq!(
        miniz[2] >> 1 & 3,
        2,
        "miniz_oxide's stream is one dynamic block"
    );
    let stream = match std::env::args().nth(1).as_deref() {
        Some("fixed") => ours,
        Some("dynamic") => miniz,
        _ => panic!("usage: inflate_workload fixed|dynamic"),
    };
    let mut sum = 0usize;
    for _ in 0..1000 {
        let out = small_zlib::decompress(black_box(&stream), 1024).unwrap();
        sum = sum.wrapping_add(out.len());
    }
    println!("{} {sum}", stream.len());
}
