//! Byte-for-byte stability of the tokens: 4 000 UserSigs and PrivateMapKeys over
//! deterministic pseudo-random inputs (identifiers that JSON must escape, non-ASCII ones,
//! long keys, userbufs of every size, every integer width) must keep giving exactly the
//! tokens the implementation of 2026-12-06 gave (serde_json document, `small_zlib` of
//! that date). The tokens are hashed together; the digest below was recorded then.
//! A change of the document writer, the HMAC set-up, the base64 step or the codec that
//! alters any byte fails here.
#![allow(missing_docs, clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tencent_usersig::{PrivateMapKey, Privileges, Room, SecretKey, UserSig};

/// SHA-256 of every token of [`tokens`], each followed by `\n`.
const DIGEST: &str = "e7462c5e001ec7643e3c13451bd380232120b45590dc0b201ee43703267113cb";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// A string of `0..max` characters from one of several alphabets.
    fn text(&mut self, max: u64) -> String {
        const ALPHABETS: [&str; 6] = [
            "abcdefghijklmnopqrstuvwxyz0123456789_",
            "0123456789",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_@.",
            "\"\\/\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} a",
            "äöü€日本語\u{2028}\u{2029}\u{feff}😀x",
            "0123456789abcdef",
        ];
        let alphabet: Vec<char> = self.pick(&ALPHABETS).chars().collect();
        let n = self.below(max);
        (0..n).map(|_| *self.pick(&alphabet)).collect()
    }

    fn int(&mut self) -> u64 {
        match self.below(4) {
            0 => self.below(100),
            1 => self.below(1 << 32),
            2 => 1_600_000_000 + self.below(400_000_000),
            _ => self.next(),
        }
    }
}

fn tokens() -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();
    for i in 0..4_000u32 {
        let key = match rng.below(3) {
            0 => "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e".to_owned(),
            _ => {
                let k = rng.text(140);
                if k.is_empty() { "k".to_owned() } else { k }
            }
        };
        let key = SecretKey::new(&key).unwrap();
        let identifier = rng.text(if i % 4 == 0 { 300 } else { 40 });
        let sdkappid = rng.int() as u32;
        let (time, expire) = (rng.int(), rng.int());
        let doc = UserSig::new(identifier.clone(), sdkappid, time, expire);
        let doc = match rng.below(3) {
            0 => doc,
            1 => {
                let n = rng.below(if i % 8 == 0 { 2_000 } else { 120 });
                doc.with_userbuf((0..n).map(|_| rng.next() as u8).collect())
            }
            _ => {
                let room = if rng.below(2) == 0 {
                    Room::Numeric(rng.int() as u32)
                } else {
                    Room::Str(rng.text(80))
                };
                let key = PrivateMapKey {
                    account: identifier,
                    sdkappid,
                    room,
                    expire_at: rng.int() as u32,
                    privileges: Privileges::from_bits(rng.below(512) as u32),
                    account_type: rng.below(2) as u32,
                };
                doc.with_private_map_key(&key).unwrap()
            }
        };
        out.push(doc.to_token(&key).unwrap());
    }
    out
}

#[test]
fn tokens_are_unchanged() {
    let mut h = Sha256::new();
    let mut block_types = [0u32; 3];
    for t in tokens() {
        let std: String = t
            .chars()
            .map(|c| match c {
                '*' => '+',
                '-' => '/',
                '_' => '=',
                c => c,
            })
            .collect();
        let z = STANDARD.decode(std).unwrap();
        block_types[usize::from((z[2] >> 1) & 3)] += 1;
        h.update(t.as_bytes());
        h.update(b"\n");
    }
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(digest, DIGEST);
    // The sample reaches both kinds of block a document compresses to (fixed, dynamic;
    // a document always compresses, so never stored).
    assert!(block_types[1] > 0 && block_types[2] > 0, "{block_types:?}");
}
