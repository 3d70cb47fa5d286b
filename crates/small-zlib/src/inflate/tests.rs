//! Tests of the decoder: round trips against C zlib at every level and this crate's encoder,
//! overlapping matches of every period, refusals, and agreement with `miniz_oxide`.

use super::*;
use crate::testbody::random_body;
use proptest::collection::vec;
use proptest::prelude::*;
use std::io::Write;

fn z(level: u32, data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn decodes_all_levels_and_sizes() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![],
        b"hello hello hello hello".to_vec(),
        (0..3000u32)
            .map(|i| (i.wrapping_mul(2654435761u32) >> 13) as u8)
            .collect(),
        (0..70000u32)
            .map(|i| b"0123456789abcdef"[(i * 31 % 17 % 16) as usize])
            .collect(),
        // Matches fill the preallocated room, then literals must grow it.
        (0..20000u32)
            .map(|i| {
                if i < 12000 {
                    0
                } else {
                    (i.wrapping_mul(2654435761u32) >> 11) as u8
                }
            })
            .collect(),
    ];
    for d in &inputs {
        for level in [0, 1, 6, 9] {
            assert_eq!(&zlib_decompress(&z(level, d), 1 << 20).unwrap(), d);
        }
        assert_eq!(
            &zlib_decompress(&crate::deflate::zlib_compress(d), 1 << 20).unwrap(),
            d
        );
    }
}

#[test]
fn overlapping_matches_of_every_period() {
    // Periods 1..=40 make distance-d matches longer than d (fill and doubling copies),
    // at a limit that falls inside a match and at one that does not.
    for period in 1..=40u32 {
        let d: Vec<u8> = (0..5000u32)
            .map(|i| (i % period * 7 + period) as u8)
            .collect();
        for level in [1, 6, 9] {
            let zs = z(level, &d);
            assert_eq!(zlib_decompress(&zs, 5000).unwrap(), d);
            assert!(zlib_decompress(&zs, 4999).is_err());
        }
    }
}

#[test]
fn runs_of_changing_periods() {
    // Periodic stretches whose period changes, or that a literal or a shorter match
    // interrupts, so a remembered periodic run must be dropped or restarted.
    let mut d = Vec::new();
    let mut seed = 12345u32;
    for seg in 0..400u32 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let period = 2 + (seed >> 16) % 9;
        let len = 20 + (seed >> 8) % 700;
        d.extend((0..len).map(|i| ((i % period) * 37 + seg % 3) as u8));
        if seg % 5 == 0 {
            d.push((seed >> 24) as u8);
        }
    }
    for level in [1, 6, 9] {
        let zs = z(level, &d);
        assert_eq!(zlib_decompress(&zs, d.len()).unwrap(), d);
        assert!(zlib_decompress(&zs, d.len() - 1).is_err());
    }
}

#[test]
fn refuses_bad_streams() {
    let good = z(6, b"some token body some token body");
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(zlib_decompress(&trailing, 1024).is_err());
    let mut bad_adler = good.clone();
    *bad_adler.last_mut().unwrap() ^= 1;
    assert!(zlib_decompress(&bad_adler, 1024).is_err());
    assert!(zlib_decompress(&good[..good.len() - 1], 1024).is_err());
    assert!(zlib_decompress(&good, 4).is_err());
    assert!(zlib_decompress(&[], 4).is_err());
    // A bomb: 1 MiB of zeros compresses to about 1 KiB; the limit stops it early.
    let bomb = z(9, &vec![0u8; 1 << 20]);
    assert!(zlib_decompress(&bomb, 256 * 1024).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Differential: what this decoder accepts, `miniz_oxide` accepts with the same
    /// output (ours is the stricter one), on valid streams of C zlib and of ours with up to
    /// three bytes changed.
    #[test]
    fn what_we_accept_miniz_oxide_accepts_alike(
        data in random_body(2000),
        level in 0u32..11,
        flips in vec((any::<usize>(), any::<u8>()), 0..4),
    ) {
        let mut zs = if level == 10 { crate::deflate::zlib_compress(&data) } else { z(level, &data) };
        let n = zs.len();
        for (i, x) in flips {
            zs[i % n] ^= x;
        }
        if let Ok(out) = zlib_decompress(&zs, 1 << 20) {
            let theirs =
                miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&zs, 1 << 20).ok();
            prop_assert_eq!(theirs.as_deref(), Some(&out[..]));
        }
    }
}
