//! A 007 token's zlib stream, independently of its body: the body is what is signed and
//! checked, and deflate is not canonical, so other encoders' streams of the same body parse
//! and verify alike; a stream C zlib refuses (an incomplete Huffman code) is refused here
//! too, as malformed, whatever the body it would give.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::io::{Read as _, Write as _};

use agora_dynamic_key::access_token2::{AccessToken2, ParsedAccessToken2, ServiceRtc};
use agora_dynamic_key::{AppCertificate, AppId, ErrorKind};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";

fn cert() -> AppCertificate {
    AppCertificate::new(CERT).unwrap()
}

/// A built 007 token and its inflated body.
fn token_and_body() -> (String, Vec<u8>) {
    let mut t = AccessToken2::new(AppId::new(APP_ID).unwrap(), 1_700_000_000, 600);
    t.add_service(ServiceRtc::new(
        "7d72365eb983485397e3e3f9d460bdda",
        "2882341273",
    ));
    let token = t.build(&cert()).unwrap();
    let z = STANDARD.decode(&token[3..]).unwrap();
    let mut body = Vec::new();
    flate2::read::ZlibDecoder::new(&z[..])
        .read_to_end(&mut body)
        .unwrap();
    (token, body)
}

fn token007(stream: &[u8]) -> String {
    format!("007{}", STANDARD.encode(stream))
}

fn c_zlib(stream: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(stream).unwrap();
    e.finish().unwrap()
}

/// Whether C zlib (through flate2) inflates `stream` as exactly one whole zlib stream.
fn c_zlib_accepts(stream: &[u8]) -> bool {
    let mut d = flate2::Decompress::new(true);
    let mut out = Vec::with_capacity(1 << 16);
    matches!(
        d.decompress_vec(stream, &mut out, flate2::FlushDecompress::Finish),
        Ok(flate2::Status::StreamEnd)
    ) && d.total_in() == stream.len() as u64
}

/// `data` as one dynamic block whose literal/length code gives all 256 bytes and the end of
/// block 9 bits each: 257 of the 512 9-bit codes, an incomplete code (no distance codes).
fn incomplete_code_stream(data: &[u8]) -> Vec<u8> {
    let mut w = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    w.bits(1, 1); // last block
    w.bits(2, 2); // dynamic
    w.bits(0, 5); // 257 literal/length codes
    w.bits(0, 5); // 1 distance code
    w.bits(3, 4); // 7 code-length code lengths: symbols 16 17 18 0 8 7 9
    for len in [0, 0, 0, 1, 0, 0, 1] {
        w.bits(len, 3); // symbols 0 and 9: 1 bit each, codes 0 and 1
    }
    for _ in 0..257 {
        w.bits(1, 1); // length 9
    }
    w.bits(0, 1); // distance code 0: length 0
    // All codes 9 bits: symbol s has code s, sent most significant bit first.
    for &b in data {
        w.bits(u32::from(b).reverse_bits() >> 23, 9);
    }
    w.bits(256u32.reverse_bits() >> 23, 9);
    if w.n > 0 {
        w.bits(0, 8 - w.n);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    w.out.extend_from_slice(&(b << 16 | a).to_be_bytes());
    w.out
}

/// An LSB-first bit writer, as deflate packs bits.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn bits(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
}

#[test]
fn an_incomplete_huffman_code_is_malformed_as_c_zlib_refuses_it() {
    let (_, body) = token_and_body();
    let stream = incomplete_code_stream(&body);
    assert!(!c_zlib_accepts(&stream));
    let err = ParsedAccessToken2::parse(&token007(&stream)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(
        err.to_string()
            .contains("incomplete zlib literal/length code"),
        "{err}"
    );
}

#[test]
fn other_streams_of_the_same_body_parse_and_verify_alike() {
    let (token, body) = token_and_body();
    let original = ParsedAccessToken2::parse(&token).unwrap();
    original.verify(&cert()).unwrap();
    for level in [0, 1, 9] {
        let other = token007(&c_zlib(&body, level));
        assert_ne!(other, token);
        let p = ParsedAccessToken2::parse(&other).unwrap();
        assert_eq!(p.content(), original.content());
        p.verify(&cert()).unwrap();
    }
}
