//! Resource limits: the longest token the parsers accept, the largest
//! inflated 007 body, the largest string a token can carry, and hostile
//! inputs (decompression bombs, oversized strings, lying length fields)
//! refused as `malformed` without a large allocation.
//!
//! The limits, as documented in the README's "Security notes":
//! - token string: at most [`MAX_TOKEN_LEN`] = 262 144 characters (006 and
//!   007), checked before base64 decoding;
//! - inflated 007 body: at most [`MAX_INFLATED_LEN`] = 262 144 bytes; the
//!   inflater stops at that many output bytes (a 100 MiB zlib bomb costs at
//!   most 256 KiB);
//! - every string (channel, uid, user id, ...) and list: at most 65 535
//!   bytes or entries; more is `TooLong` (`invalid_input`) at build time.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::io::Read as _;

use agora_dynamic_key::access_token::{AccessToken, ParsedAccessToken};
use agora_dynamic_key::access_token2::{AccessToken2, ParsedAccessToken2, ServiceRtc, ServiceRtm};
use agora_dynamic_key::builder::{RtcRole, TokenBuilder};
use agora_dynamic_key::{
    AppCertificate, AppId, Error, ErrorKind, MAX_INFLATED_LEN, MAX_TOKEN_LEN, MAX_VALIDITY_SECS,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";

fn cert() -> AppCertificate {
    AppCertificate::new(CERT).unwrap()
}

fn app_id() -> AppId {
    AppId::new(APP_ID).unwrap()
}

/// Hand-made zlib streams (the encoders we have would take long to compress 100 MiB).
mod zlib {
    /// An LSB-first bit writer, as DEFLATE packs bits.
    #[derive(Default)]
    pub struct Bits {
        pub out: Vec<u8>,
        acc: u64,
        n: u32,
    }

    impl Bits {
        /// `count` bits of `value`, least significant first (headers, extra bits).
        pub fn bits(&mut self, value: u32, count: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }

        /// A Huffman code of `len` bits, most significant first.
        pub fn code(&mut self, code: u32, len: u32) {
            let reversed = code.reverse_bits() >> (32 - len);
            self.bits(reversed, len);
        }

        /// Pads to a byte boundary with zero bits.
        pub fn align(&mut self) {
            if self.n > 0 {
                self.bits(0, 8 - self.n);
            }
        }
    }

    pub fn adler32(data: impl IntoIterator<Item = u8>) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for x in data {
            a = (a + u32::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        b << 16 | a
    }

    /// A valid zlib stream inflating to `1 + 258 * matches` zero bytes: one
    /// dynamic block whose length code 285 (258 bytes) and distance code 0
    /// (distance 1) are one bit each, so every 2 bits yield 258 bytes.
    pub fn zero_bomb(matches: usize) -> (Vec<u8>, usize) {
        let mut w = Bits::default();
        w.out.extend_from_slice(&[0x78, 0x01]);
        w.bits(1, 1); // BFINAL
        w.bits(2, 2); // dynamic Huffman
        w.bits(29, 5); // HLIT: 286 literal/length codes
        w.bits(1, 5); // HDIST: 2 distance codes
        w.bits(14, 4); // HCLEN: 18 code length codes
        // Code length code lengths, in the RFC 1951 order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
        // symbol 18 gets 1 bit, symbols 1 and 2 get 2 bits.
        for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
            w.bits(len, 3);
        }
        // Canonical codes: 18 -> 0, 1 -> 10, 2 -> 11.
        let (one, two) = ((0b10, 2), (0b11, 2));
        let zeros = |w: &mut Bits, n: u32| {
            w.code(0, 1);
            w.bits(n - 11, 7);
        };
        w.code(two.0, two.1); // literal 0: 2 bits
        zeros(&mut w, 138); // literals 1..=138
        zeros(&mut w, 117); // literals 139..=255
        w.code(two.0, two.1); // 256 (end of block): 2 bits
        zeros(&mut w, 28); // 257..=284
        w.code(one.0, one.1); // 285 (length 258): 1 bit
        w.code(one.0, one.1); // distance code 0: 1 bit
        w.code(one.0, one.1); // distance code 1: 1 bit
        // Literal/length codes: 285 -> 0, literal 0 -> 10, end of block -> 11.
        w.code(0b10, 2);
        for _ in 0..matches {
            w.code(0, 1); // length 258
            w.code(0, 1); // distance 1
        }
        w.code(0b11, 2);
        w.align();
        let n = 1 + 258 * matches;
        let adler = (((n % 65_521) as u32) << 16) | 1;
        w.out.extend_from_slice(&adler.to_be_bytes());
        (w.out, n)
    }

    /// A valid zlib stream of `data` cut into stored blocks of `chunk` bytes
    /// (0: `empty` empty blocks first, then one block with everything).
    pub fn stored_blocks(data: &[u8], chunk: usize, empty: usize) -> Vec<u8> {
        let mut w = Bits::default();
        w.out.extend_from_slice(&[0x78, 0x01]);
        let mut blocks: Vec<&[u8]> = vec![&[]; empty];
        if chunk == 0 {
            blocks.push(data);
        } else {
            blocks.extend(data.chunks(chunk));
        }
        let last = blocks.len() - 1;
        for (i, b) in blocks.iter().enumerate() {
            w.bits(u32::from(i == last), 1);
            w.bits(0, 2);
            w.align();
            let len = b.len() as u16;
            w.out.extend_from_slice(&len.to_le_bytes());
            w.out.extend_from_slice(&(!len).to_le_bytes());
            w.out.extend_from_slice(b);
        }
        w.out
            .extend_from_slice(&adler32(data.iter().copied()).to_be_bytes());
        w.out
    }
}

fn token007(z: &[u8]) -> String {
    format!("007{}", STANDARD.encode(z))
}

#[test]
fn documented_values() {
    assert_eq!(MAX_TOKEN_LEN, 262_144);
    assert_eq!(MAX_INFLATED_LEN, 262_144);
    assert_eq!(MAX_VALIDITY_SECS, 86_400);
}

#[test]
fn the_bomb_generator_makes_valid_zlib() {
    let (z, n) = zlib::zero_bomb(4_000);
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&z[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out.len(), n);
    assert!(out.iter().all(|&b| b == 0));
    let body = b"stored blocks round trip".repeat(10);
    for (chunk, empty) in [(1, 0), (7, 3), (0, 100)] {
        let z = zlib::stored_blocks(&body, chunk, empty);
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, body);
    }
}

#[test]
fn a_100_mib_zlib_bomb_is_malformed() {
    let (z, n) = zlib::zero_bomb((100 << 20) / 258 + 1);
    assert!(n >= 100 << 20);
    let token = token007(&z);
    // It fits the token limit (about 135 KB of base64), so the inflater meets it.
    assert!(token.len() < MAX_TOKEN_LEN, "{}", token.len());
    assert_eq!(
        ParsedAccessToken2::parse(&token).err(),
        Some(Error::Malformed("inflated body too large"))
    );
    // Just over the body limit is refused the same way.
    let (z, n) = zlib::zero_bomb(MAX_INFLATED_LEN / 258 + 1);
    assert!(n > MAX_INFLATED_LEN);
    assert_eq!(
        ParsedAccessToken2::parse(&token007(&z)).err(),
        Some(Error::Malformed("inflated body too large"))
    );
    // Just under it, the zeros inflate; they are no token: refused by the parser,
    // or (as now: the parser ignores bytes after the services, like the
    // references) parsed as an empty token whose signature cannot verify.
    let (z, n) = zlib::zero_bomb(MAX_INFLATED_LEN / 258);
    assert!(n < MAX_INFLATED_LEN);
    match ParsedAccessToken2::parse(&token007(&z)) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::Malformed),
        Ok(p) => {
            assert!(p.services.is_empty());
            assert_eq!(p.verify(&cert()).err(), Some(Error::Signature));
        }
    }
}

/// A real token's inflated body, for re-wrapping in other zlib streams.
fn real_body() -> (Vec<u8>, String) {
    let b = TokenBuilder::new(app_id(), cert()).with_now(1_700_000_000);
    let t = b
        .rtc_with_uid("limits", 42, RtcRole::Publisher, 600, 600)
        .unwrap()
        .token;
    let p = ParsedAccessToken2::parse(&t).unwrap();
    (p.content().to_vec(), t)
}

#[test]
fn many_tiny_stored_blocks() {
    let (body, _) = real_body();
    // The body in 1-byte stored blocks (6 input bytes per output byte) still parses and verifies.
    let t = token007(&zlib::stored_blocks(&body, 1, 0));
    let p = ParsedAccessToken2::parse(&t).unwrap();
    p.verify(&cert()).unwrap();
    assert_eq!(p.content(), body.as_slice());
    // 30 000 empty stored blocks, then nothing: decoded in one pass, empty body, malformed.
    let t = token007(&zlib::stored_blocks(&[], 0, 30_000));
    assert!(t.len() < MAX_TOKEN_LEN);
    assert_eq!(
        ParsedAccessToken2::parse(&t).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    // Enough empty blocks to pass the token limit: refused before decoding.
    let t = token007(&zlib::stored_blocks(&body, 0, 60_000));
    assert!(t.len() > MAX_TOKEN_LEN);
    assert_eq!(
        ParsedAccessToken2::parse(&t).err(),
        Some(Error::Malformed("token too long"))
    );
}

#[test]
fn largest_inflated_body_is_accepted_and_one_byte_more_is_not() {
    // Four RTM services with long user ids, the last one trimmed so that the
    // body is exactly MAX_INFLATED_LEN bytes.
    let make = |last: usize| {
        let mut t = AccessToken2::new(app_id(), 1_700_000_000, 600);
        for _ in 0..3 {
            t.add_service(ServiceRtm::new("a".repeat(65_535)));
        }
        t.add_service(ServiceRtm::new("b".repeat(last)));
        t
    };
    let probe = make(0).content(&cert()).unwrap().len();
    let last = MAX_INFLATED_LEN - probe;
    assert!(last <= 65_535);
    let t = make(last);
    assert_eq!(t.content(&cert()).unwrap().len(), MAX_INFLATED_LEN);
    let token = t.build(&cert()).unwrap();
    let p = ParsedAccessToken2::parse(&token).unwrap();
    p.verify(&cert()).unwrap();
    assert_eq!(p.services.len(), 4);

    let t = make(last + 1);
    let token = t.build(&cert()).unwrap();
    assert_eq!(
        ParsedAccessToken2::parse(&token).err(),
        Some(Error::Malformed("inflated body too large"))
    );
}

#[test]
fn oversized_tokens_are_malformed_before_decoding() {
    for prefix in ["006", "007"] {
        for filler in ["A", "!"] {
            let t = format!(
                "{prefix}{}",
                filler.repeat(MAX_TOKEN_LEN + 1 - prefix.len())
            );
            assert_eq!(t.len(), MAX_TOKEN_LEN + 1);
            let e = if prefix == "006" {
                ParsedAccessToken::parse(&t).unwrap_err()
            } else {
                ParsedAccessToken2::parse(&t).unwrap_err()
            };
            assert_eq!(e, Error::Malformed("token too long"));
        }
        let huge = format!("{prefix}{}", "A".repeat(16 << 20));
        // Both parsers check the length first, whatever the prefix.
        assert_eq!(
            ParsedAccessToken::parse(&huge).err(),
            Some(Error::Malformed("token too long"))
        );
        assert_eq!(
            ParsedAccessToken2::parse(&huge).err(),
            Some(Error::Malformed("token too long"))
        );
    }
    // Exactly at the limit a 006 token is decoded (192 KiB) and its layout refused.
    let t = format!("006{APP_ID}{}", "A".repeat(MAX_TOKEN_LEN - 35));
    assert_eq!(t.len(), MAX_TOKEN_LEN);
    let e = ParsedAccessToken::parse(&t).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert_ne!(e, Error::Malformed("token too long"));
}

#[test]
fn length_fields_that_overrun_are_malformed() {
    // 006: signature length 65535 with 32 bytes present.
    let mut content = u16::MAX.to_le_bytes().to_vec();
    content.extend_from_slice(&[0; 32]);
    let t = format!("006{APP_ID}{}", STANDARD.encode(&content));
    assert_eq!(
        ParsedAccessToken::parse(&t).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    // 007: a real body whose app id length claims 65535 bytes.
    let (mut body, _) = real_body();
    body[34..36].copy_from_slice(&u16::MAX.to_le_bytes());
    let t = token007(&zlib::stored_blocks(&body, 0, 0));
    assert_eq!(
        ParsedAccessToken2::parse(&t).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    // Every truncation of a real 007 body is malformed.
    let (body, _) = real_body();
    for n in 0..body.len() {
        let t = token007(&zlib::stored_blocks(&body[..n], 0, 0));
        assert_eq!(
            ParsedAccessToken2::parse(&t).unwrap_err().kind(),
            ErrorKind::Malformed,
            "truncated to {n}"
        );
    }
}

#[test]
fn largest_string_is_65535_bytes() {
    let ok = "c".repeat(65_535);
    let too_long = "c".repeat(65_536);
    // 007: any string field.
    let mut t = AccessToken2::new(app_id(), 1_700_000_000, 600);
    t.add_service(ServiceRtc::new(ok.as_str(), "1"));
    let p = ParsedAccessToken2::parse(&t.build(&cert()).unwrap()).unwrap();
    p.verify(&cert()).unwrap();
    let mut t = AccessToken2::new(app_id(), 1_700_000_000, 600);
    t.add_service(ServiceRtc::new(too_long.as_str(), "1"));
    let e = t.build(&cert()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(matches!(e, Error::TooLong { .. }));
    // The builders refuse the same way.
    let b = TokenBuilder::new(app_id(), cert()).with_now(1_700_000_000);
    let e = b
        .rtc_with_account(&too_long, "u", RtcRole::Publisher, 600, 600)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        b.rtm(&too_long, 600).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // 006 carries only CRC32s of the channel and uid, so their length is not limited;
    // its signed message (privileges) is, by its 16-bit length.
    let mut t = AccessToken::new(app_id(), too_long.as_str(), "1", 1_700_000_600);
    let token = t.build(&cert()).unwrap();
    ParsedAccessToken::parse(&token)
        .unwrap()
        .verify(&cert(), &too_long, "1")
        .unwrap();
    for id in 0..=u16::MAX {
        t.add_raw_privilege(id, 1);
    }
    assert_eq!(
        t.build(&cert()).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}
