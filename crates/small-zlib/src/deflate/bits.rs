//! Bit output: the LSB-first bit writer and the fixed-Huffman tables.
//!
//! [`BitWriter`] appends bits LSB first (RFC 1951 §3.1.1); [`fixed_tables`] builds the fixed
//! code (§3.2.6) once per process, its codes as `code | len << 16` per symbol.

use std::sync::OnceLock;

use super::huffman::canonical_codes;

/// LSB-first bit writer.
pub(super) struct BitWriter {
    pub(super) out: Vec<u8>,
    pub(super) buf: u64,
    pub(super) cnt: u32,
}

impl BitWriter {
    #[inline]
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            out: Vec::with_capacity(n),
            buf: 0,
            cnt: 0,
        }
    }

    /// Appends the low `n` bits of `v` (`n <= 32`; `v` has no bits above them).
    #[inline]
    pub(super) fn put(&mut self, v: u64, n: u32) {
        self.buf |= v.wrapping_shl(self.cnt);
        self.cnt = self.cnt.wrapping_add(n);
        if self.cnt >= 32 {
            self.out.extend_from_slice(&(self.buf as u32).to_le_bytes());
            self.buf >>= 32;
            self.cnt = self.cnt.wrapping_sub(32);
        }
    }

    /// Flushes whole bytes and pads the last partial byte with zero bits.
    #[inline]
    pub(super) fn align(&mut self) {
        while self.cnt > 0 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.cnt = self.cnt.saturating_sub(8);
        }
        self.buf = 0;
    }
}

/// Fixed-Huffman code (RFC 1951 §3.2.6), built once: lengths, and codes as `code | len << 16`.
pub(super) struct Tables {
    pub(super) lit_len: [u8; 288],
    pub(super) lit_code: [u32; 288],
    pub(super) dist_len: [u8; 30],
    pub(super) dist_code: [u32; 30],
}

pub(super) fn fixed_tables() -> &'static Tables {
    static FIXED: OnceLock<Tables> = OnceLock::new();
    FIXED.get_or_init(|| {
        let mut t = Tables {
            lit_len: [8; 288],
            lit_code: [0; 288],
            dist_len: [5; 30],
            dist_code: [0; 30],
        };
        for (i, l) in t.lit_len.iter_mut().enumerate() {
            *l = match i {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            };
        }
        let mut codes = [0u16; 288];
        canonical_codes(&t.lit_len, &mut codes);
        for ((c, &code), &l) in t.lit_code.iter_mut().zip(&codes).zip(&t.lit_len) {
            *c = u32::from(code) | (u32::from(l) << 16);
        }
        let mut codes = [0u16; 30];
        canonical_codes(&t.dist_len, &mut codes);
        for ((c, &code), &l) in t.dist_code.iter_mut().zip(&codes).zip(&t.dist_len) {
            *c = u32::from(code) | (u32::from(l) << 16);
        }
        t
    })
}
