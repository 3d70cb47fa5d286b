//! Bit output: the LSB-first bit writer, the fixed-Huffman tables and the symbol writer.
//!
//! [`BitWriter`] appends bits LSB first (RFC 1951 §3.1.1); [`fixed_tables`] builds the fixed
//! code (§3.2.6) once per process; [`emit_syms`] writes a block's literals, matches and
//! end-of-block under any code given as `code | len << 16` per symbol.

use std::sync::OnceLock;

use super::huffman::canonical_codes;
use super::*;

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

/// Writes the literals between the matches and the matches, then end-of-block, with codes
/// given as `code | len << 16` per symbol. The bit buffer lives in locals for the loop (kept
/// in registers: through `&mut BitWriter` every insertion loaded and stored it).
pub(super) fn emit_syms(data: &[u8], matches: &[u64], w: &mut BitWriter, lc: &[u32], dc: &[u32]) {
    /// Appends the low `n` bits of `v` (`cnt + n <= 64`), flushing 32 bits at 32 pending.
    fn put(out: &mut Vec<u8>, buf: &mut u64, cnt: &mut u32, v: u64, n: u32) {
        *buf |= v.wrapping_shl(*cnt);
        *cnt = cnt.wrapping_add(n);
        if *cnt >= 32 {
            out.extend_from_slice(&(*buf as u32).to_le_bytes());
            *buf >>= 32;
            *cnt = cnt.wrapping_sub(32);
        }
    }
    let code = |c: &[u32], s: usize| {
        let e = c.get(s).copied().unwrap_or(0);
        (u64::from(e & 0xffff), e >> 16)
    };
    // Literals two at a time (at most 30 bits, which the buffer's 64 hold above the fewer
    // than 32 pending): half the checks of the flush branch, which is taken irregularly
    // (8- and 9-bit codes) and was the encoder's most mispredicted branch.
    let lits = |run: &[u8], out: &mut Vec<u8>, buf: &mut u64, cnt: &mut u32| {
        let mut pairs = run.chunks_exact(2);
        for pair in &mut pairs {
            if let &[a, b] = pair {
                let (ca, la) = code(lc, usize::from(a));
                let (cb, lb) = code(lc, usize::from(b));
                put(out, buf, cnt, ca | (cb << la), la.wrapping_add(lb));
            }
        }
        for &b in pairs.remainder() {
            let (c, l) = code(lc, usize::from(b));
            put(out, buf, cnt, c, l);
        }
    };
    let out = &mut w.out;
    let (mut buf, mut cnt) = (w.buf, w.cnt);
    let mut pos = 0usize;
    for &m in matches {
        let (at, len, dist) = unpack_match(m);
        lits(data.get(pos..at).unwrap_or(&[]), out, &mut buf, &mut cnt);
        let (sym, eb, ev) = len_code(len);
        let (c, l) = code(lc, sym);
        put(
            out,
            &mut buf,
            &mut cnt,
            c | (u64::from(ev) << l),
            l.wrapping_add(eb),
        );
        let (sym, eb, ev) = dist_code(dist);
        let (c, l) = code(dc, sym);
        put(
            out,
            &mut buf,
            &mut cnt,
            c | (u64::from(ev) << l),
            l.wrapping_add(eb),
        );
        pos = at.wrapping_add(len);
    }
    lits(data.get(pos..).unwrap_or(&[]), out, &mut buf, &mut cnt);
    let (c, l) = code(lc, 256);
    put(out, &mut buf, &mut cnt, c, l);
    (w.buf, w.cnt) = (buf, cnt);
}
