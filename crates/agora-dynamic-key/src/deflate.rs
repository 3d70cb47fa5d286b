//! A small zlib (RFC 1950/1951) encoder for token bodies.
//!
//! Why it exists: a 007 token body is a few hundred bytes. General-purpose deflaters set up
//! (and clear) tens of KiB of match-finder and Huffman state per stream; measured with
//! `benches/agora.rs` on the development machine, `miniz_oxide::deflate::compress_to_vec_zlib`
//! at level 6 spends several microseconds per body of ~150 bytes, more than the whole rest of
//! token construction (three HMAC-SHA256 with SHA-NI, packing, base64). This encoder sizes its
//! state to the input (a hash table of at most `1 << 12` `u16` heads plus one `u16` chain link
//! per input byte) and does the same work zlib's level 6 does: hash chains of up to 128
//! candidates, lazy matching (`max_lazy` 16, `good` 8, `nice` 128, zlib's "too far" rule for
//! length-3 matches) and then emits whichever single block is smallest: stored, fixed-Huffman
//! or dynamic-Huffman. Bodies above [`SMALL_MAX`] go to `miniz_oxide` at level 6, so long
//! inputs keep compressing exactly as well as before.
//!
//! The output is a normal zlib stream (`78 9c` header, Adler-32 trailer); the test-suite
//! round-trips it through flate2's inflater and compares its size with level 6.

use std::sync::OnceLock;

/// Largest body handled by the purpose-built encoder; larger bodies use `miniz_oxide`.
/// Also keeps every position and distance within `u16` and the 32 KiB window.
pub(crate) const SMALL_MAX: usize = 16 * 1024;

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MAX_CHAIN: usize = 128;
const GOOD_LENGTH: usize = 8;
const NICE_LENGTH: usize = 128;
const MAX_LAZY: usize = 16;
const TOO_FAR: usize = 4096;

/// Compresses `data` into a zlib stream.
pub(crate) fn zlib_compress(data: &[u8]) -> Vec<u8> {
    if data.len() > SMALL_MAX {
        return miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
    }
    let mut enc = Encoder::default();
    enc.lz77(data);
    let mut w = BitWriter::with_capacity(data.len().wrapping_add(16));
    w.out.extend_from_slice(&[0x78, 0x9c]);
    enc.emit_block(data, &mut w);
    w.align();
    w.out.extend_from_slice(&adler32(data).to_be_bytes());
    w.out
}

/// Adler-32 (RFC 1950).
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a = a.wrapping_add(u32::from(x));
            b = b.wrapping_add(a);
        }
        a = a.wrapping_rem(MOD);
        b = b.wrapping_rem(MOD);
    }
    (b << 16) | a
}

/// One LZ77 symbol: a literal byte or a (length, distance) pair.
#[derive(Clone, Copy)]
enum Sym {
    Lit(u8),
    Match { len: u16, dist: u16 },
}

#[derive(Default)]
struct Encoder {
    syms: Vec<Sym>,
    lit_freq: Vec<u32>,
    dist_freq: Vec<u32>,
}

fn inc(v: &mut [u32], i: usize) {
    if let Some(x) = v.get_mut(i) {
        *x = x.wrapping_add(1);
    }
}

/// Deflate length code (257..=285), extra bit count and extra value for a match length.
fn len_code(len: usize) -> (usize, u32, u32) {
    let l = len.wrapping_sub(MIN_MATCH);
    if l < 8 {
        (257usize.wrapping_add(l), 0, 0)
    } else if l >= 255 {
        (285, 0, 0)
    } else {
        let lg = l.ilog2() as usize; // 3..=7
        let extra = lg.wrapping_sub(2);
        let code = 257usize
            .wrapping_add(lg.wrapping_sub(1).wrapping_mul(4))
            .wrapping_add((l >> extra) & 3);
        (
            code,
            extra as u32,
            (l & ((1usize << extra).wrapping_sub(1))) as u32,
        )
    }
}

/// Deflate distance code (0..=29), extra bit count and extra value.
fn dist_code(dist: usize) -> (usize, u32, u32) {
    let d = dist.wrapping_sub(1);
    if d < 4 {
        (d, 0, 0)
    } else {
        let lg = d.ilog2() as usize; // 2..=14
        let extra = lg.wrapping_sub(1);
        let code = lg.wrapping_mul(2).wrapping_add((d >> extra) & 1);
        (
            code,
            extra as u32,
            (d & ((1usize << extra).wrapping_sub(1))) as u32,
        )
    }
}

fn hash3(data: &[u8], i: usize, shift: u32) -> usize {
    match data.get(i..i.wrapping_add(3)) {
        Some(&[a, b, c]) => {
            let v = u32::from(a) | (u32::from(b) << 8) | (u32::from(c) << 16);
            (v.wrapping_mul(0x9E37_79B1) >> shift) as usize
        }
        _ => 0,
    }
}

fn common_prefix(data: &[u8], a: usize, b: usize, max: usize) -> usize {
    match (data.get(a..), data.get(b..)) {
        (Some(x), Some(y)) => x
            .iter()
            .zip(y)
            .take(max)
            .take_while(|(p, q)| p == q)
            .count(),
        _ => 0,
    }
}

impl Encoder {
    fn lz77(&mut self, data: &[u8]) {
        let n = data.len();
        self.syms.clear();
        self.syms.reserve(n);
        self.lit_freq.clear();
        self.lit_freq.resize(286, 0);
        self.dist_freq.clear();
        self.dist_freq.resize(30, 0);

        // Hash table sized to the input: 2^8 .. 2^12 heads. Entries hold position + 1.
        let bits = n.max(256).next_power_of_two().ilog2().min(12);
        let shift = 32u32.wrapping_sub(bits);
        let mut head = vec![0u16; 1usize << bits];
        let mut prev = vec![0u16; n];

        let insert = |head: &mut [u16], prev: &mut [u16], i: usize| {
            if i.wrapping_add(MIN_MATCH) > n {
                return;
            }
            let h = hash3(data, i, shift);
            if let (Some(hd), Some(p)) = (head.get_mut(h), prev.get_mut(i)) {
                *p = *hd;
                *hd = i.wrapping_add(1) as u16;
            }
        };

        // Longest match at `i` among earlier positions (chain of `head`).
        let find = |head: &[u16], prev: &[u16], i: usize, prev_len: usize| -> (usize, usize) {
            let max = MAX_MATCH.min(n.wrapping_sub(i));
            if max < MIN_MATCH {
                return (0, 0);
            }
            let mut chain = if prev_len >= GOOD_LENGTH {
                MAX_CHAIN >> 2
            } else {
                MAX_CHAIN
            };
            let mut best_len = prev_len.max(MIN_MATCH.wrapping_sub(1));
            let mut best_dist = 0;
            let mut cand = head.get(hash3(data, i, shift)).copied().unwrap_or(0) as usize;
            while cand != 0 && chain > 0 {
                let c = cand.wrapping_sub(1);
                if c >= i {
                    break;
                }
                if data.get(c.wrapping_add(best_len)) == data.get(i.wrapping_add(best_len)) {
                    let l = common_prefix(data, c, i, max);
                    if l > best_len {
                        best_len = l;
                        best_dist = i.wrapping_sub(c);
                        if l >= NICE_LENGTH.min(max) {
                            break;
                        }
                    }
                }
                cand = prev.get(c).copied().unwrap_or(0) as usize;
                chain = chain.wrapping_sub(1);
            }
            if best_dist == 0 || (best_len == MIN_MATCH && best_dist > TOO_FAR) {
                (0, 0)
            } else {
                (best_len, best_dist)
            }
        };

        let mut i = 0usize;
        let mut prev_len = 0usize;
        let mut prev_dist = 0usize;
        let mut pending = false; // a literal at i - 1 is waiting
        while i < n {
            let (cur_len, cur_dist) = if prev_len < MAX_LAZY {
                find(&head, &prev, i, prev_len)
            } else {
                (0, 0)
            };
            insert(&mut head, &mut prev, i);
            if pending && prev_len >= MIN_MATCH && cur_len <= prev_len {
                // The match found at i - 1 wins: emit it and skip over it.
                self.push_match(prev_len, prev_dist);
                let end = i.wrapping_sub(1).wrapping_add(prev_len);
                let mut j = i.wrapping_add(1);
                while j < end {
                    insert(&mut head, &mut prev, j);
                    j = j.wrapping_add(1);
                }
                i = end;
                pending = false;
                prev_len = 0;
                prev_dist = 0;
            } else {
                if pending && let Some(&b) = data.get(i.wrapping_sub(1)) {
                    self.push_lit(b);
                }
                pending = true;
                prev_len = cur_len;
                prev_dist = cur_dist;
                i = i.wrapping_add(1);
            }
        }
        if pending && let Some(&b) = data.get(n.wrapping_sub(1)) {
            self.push_lit(b);
        }
        inc(&mut self.lit_freq, 256);
    }

    fn push_lit(&mut self, b: u8) {
        self.syms.push(Sym::Lit(b));
        inc(&mut self.lit_freq, usize::from(b));
    }

    fn push_match(&mut self, len: usize, dist: usize) {
        self.syms.push(Sym::Match {
            len: len as u16,
            dist: dist as u16,
        });
        inc(&mut self.lit_freq, len_code(len).0);
        inc(&mut self.dist_freq, dist_code(dist).0);
    }

    /// Bits needed for the symbol data (including extra bits and end-of-block).
    fn data_bits(&self, lit_len: &[u8], dist_len: &[u8]) -> u64 {
        let mut bits = 0u64;
        for (i, &f) in self.lit_freq.iter().enumerate() {
            let l = u64::from(lit_len.get(i).copied().unwrap_or(0));
            let extra = if (265..285).contains(&i) {
                ((i.wrapping_sub(261)) / 4) as u64
            } else {
                0
            };
            bits = bits.wrapping_add(u64::from(f).wrapping_mul(l.wrapping_add(extra)));
        }
        for (i, &f) in self.dist_freq.iter().enumerate() {
            let l = u64::from(dist_len.get(i).copied().unwrap_or(0));
            let extra = if i >= 4 {
                (i / 2).wrapping_sub(1) as u64
            } else {
                0
            };
            bits = bits.wrapping_add(u64::from(f).wrapping_mul(l.wrapping_add(extra)));
        }
        bits
    }

    fn emit_block(&self, data: &[u8], w: &mut BitWriter) {
        let fixed = fixed_tables();
        let fixed_bytes = 3u64
            .wrapping_add(self.data_bits(&fixed.lit_len, &fixed.dist_len))
            .div_ceil(8);
        let dynamic = DynamicHeader::new(self);
        let dyn_bytes = dynamic.total_bits(self).div_ceil(8);
        // Stored: 3 header bits padded to a byte, LEN and NLEN, the raw bytes.
        let stored_bytes = (data.len() as u64).wrapping_add(5);

        if stored_bytes < fixed_bytes && stored_bytes < dyn_bytes {
            w.put(1, 3); // BFINAL=1, BTYPE=00
            w.align();
            let len = data.len() as u16;
            w.out.extend_from_slice(&len.to_le_bytes());
            w.out.extend_from_slice(&(!len).to_le_bytes());
            w.out.extend_from_slice(data);
        } else if fixed_bytes <= dyn_bytes {
            w.put(0b011, 3); // BFINAL=1, BTYPE=01
            self.emit_syms(
                w,
                &fixed.lit_code,
                &fixed.lit_len,
                &fixed.dist_code,
                &fixed.dist_len,
            );
        } else {
            w.put(0b101, 3); // BFINAL=1, BTYPE=10
            dynamic.emit(w);
            self.emit_syms(
                w,
                &dynamic.lit_code,
                &dynamic.lit_len,
                &dynamic.dist_code,
                &dynamic.dist_len,
            );
        }
    }

    fn emit_syms(&self, w: &mut BitWriter, lc: &[u16], ll: &[u8], dc: &[u16], dl: &[u8]) {
        let code = |c: &[u16], l: &[u8], s: usize| {
            (
                u64::from(c.get(s).copied().unwrap_or(0)),
                u32::from(l.get(s).copied().unwrap_or(0)),
            )
        };
        for s in &self.syms {
            match *s {
                Sym::Lit(b) => {
                    let (c, l) = code(lc, ll, usize::from(b));
                    w.put(c, l);
                }
                Sym::Match { len, dist } => {
                    let (sym, eb, ev) = len_code(usize::from(len));
                    let (c, l) = code(lc, ll, sym);
                    w.put(c, l);
                    w.put(u64::from(ev), eb);
                    let (sym, eb, ev) = dist_code(usize::from(dist));
                    let (c, l) = code(dc, dl, sym);
                    w.put(c, l);
                    w.put(u64::from(ev), eb);
                }
            }
        }
        let (c, l) = code(lc, ll, 256);
        w.put(c, l);
    }
}

/// Canonical Huffman codes, bit-reversed for LSB-first output (RFC 1951 §3.2.2).
fn canonical_codes(lens: &[u8]) -> Vec<u16> {
    let mut bl_count = [0u16; 16];
    for &l in lens {
        if let Some(c) = bl_count.get_mut(usize::from(l)) {
            *c = c.wrapping_add(1);
        }
    }
    if let Some(c) = bl_count.get_mut(0) {
        *c = 0;
    }
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for bits in 1..16usize {
        code = code.wrapping_add(bl_count.get(bits.wrapping_sub(1)).copied().unwrap_or(0)) << 1;
        if let Some(n) = next.get_mut(bits) {
            *n = code;
        }
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let Some(n) = next.get_mut(usize::from(l)) else {
                return 0;
            };
            let c = *n;
            *n = n.wrapping_add(1);
            c.reverse_bits() >> (16u32.wrapping_sub(u32::from(l)))
        })
        .collect()
}

/// Optimal Huffman code lengths for `freq`, limited to `limit` bits.
///
/// Fewer than two used symbols get a complete two-symbol code (as zlib does). If the optimal
/// tree is too deep, frequencies are halved (keeping them non-zero) and the tree rebuilt.
fn huffman_lengths(freq: &[u32], limit: u8) -> Vec<u8> {
    let mut lens = vec![0u8; freq.len()];
    let mut f: Vec<u32> = freq.to_vec();
    loop {
        let mut leaves: Vec<(u32, usize)> = f
            .iter()
            .enumerate()
            .filter(|&(_, &x)| x > 0)
            .map(|(i, &x)| (x, i))
            .collect();
        match leaves.len() {
            0 => return lens,
            1 => {
                let s = leaves.first().map_or(0, |l| l.1);
                let other = usize::from(s == 0);
                for i in [s, other] {
                    if let Some(l) = lens.get_mut(i) {
                        *l = 1;
                    }
                }
                return lens;
            }
            _ => {}
        }
        leaves.sort_unstable();
        let m = leaves.len();
        // Nodes 0..m are leaves (ascending weight), m.. are internal nodes in creation order.
        let total = m.wrapping_mul(2).wrapping_sub(1);
        let mut weight: Vec<u64> = leaves.iter().map(|l| u64::from(l.0)).collect();
        weight.resize(total, 0);
        let mut parent = vec![0usize; total];
        let (mut li, mut ii) = (0usize, m);
        for next in m..total {
            let mut pick = || {
                let take_leaf = li < m && (ii >= next || weight.get(li) <= weight.get(ii));
                let idx = if take_leaf { li } else { ii };
                if take_leaf {
                    li = li.wrapping_add(1);
                } else {
                    ii = ii.wrapping_add(1);
                }
                idx
            };
            let a = pick();
            let b = pick();
            let w = weight
                .get(a)
                .copied()
                .unwrap_or(0)
                .wrapping_add(weight.get(b).copied().unwrap_or(0));
            if let Some(x) = weight.get_mut(next) {
                *x = w;
            }
            for c in [a, b] {
                if let Some(p) = parent.get_mut(c) {
                    *p = next;
                }
            }
        }
        // Depths: parents always have larger indices, the root is the last node.
        let mut depth = vec![0u8; total];
        let mut max_depth = 0u8;
        for node in (0..total.wrapping_sub(1)).rev() {
            let p = parent.get(node).copied().unwrap_or(0);
            let d = depth.get(p).copied().unwrap_or(0).saturating_add(1);
            if let Some(x) = depth.get_mut(node) {
                *x = d;
            }
            max_depth = max_depth.max(d);
        }
        if max_depth <= limit {
            for (k, leaf) in leaves.iter().enumerate() {
                if let (Some(l), Some(&d)) = (lens.get_mut(leaf.1), depth.get(k)) {
                    *l = d;
                }
            }
            return lens;
        }
        for x in &mut f {
            if *x > 0 {
                *x = (*x >> 1).max(1);
            }
        }
    }
}

/// Fixed-Huffman tables (RFC 1951 §3.2.6), built once.
struct Tables {
    lit_len: Vec<u8>,
    lit_code: Vec<u16>,
    dist_len: Vec<u8>,
    dist_code: Vec<u16>,
}

fn fixed_tables() -> &'static Tables {
    static FIXED: OnceLock<Tables> = OnceLock::new();
    FIXED.get_or_init(|| {
        let lit_len: Vec<u8> = (0..288usize)
            .map(|i| match i {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            })
            .collect();
        let dist_len = vec![5u8; 30];
        Tables {
            lit_code: canonical_codes(&lit_len),
            lit_len,
            dist_code: canonical_codes(&dist_len),
            dist_len,
        }
    })
}

/// Order in which code-length code lengths are sent (RFC 1951 §3.2.7).
pub(crate) const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

struct DynamicHeader {
    lit_len: Vec<u8>,
    lit_code: Vec<u16>,
    dist_len: Vec<u8>,
    dist_code: Vec<u16>,
    hlit: usize,
    hdist: usize,
    hclen: usize,
    /// Run-length encoded code lengths: (code-length symbol, extra value).
    rle: Vec<(u8, u8)>,
    cl_len: Vec<u8>,
    cl_code: Vec<u16>,
}

impl DynamicHeader {
    fn new(enc: &Encoder) -> Self {
        let lit_len = huffman_lengths(&enc.lit_freq, 15);
        let dist_len = huffman_lengths(&enc.dist_freq, 15);
        let hlit = lit_len
            .iter()
            .rposition(|&l| l != 0)
            .map_or(257, |p| p.wrapping_add(1))
            .max(257);
        let hdist = dist_len
            .iter()
            .rposition(|&l| l != 0)
            .map_or(1, |p| p.wrapping_add(1))
            .max(1);
        let all: Vec<u8> = lit_len
            .iter()
            .take(hlit)
            .chain(dist_len.iter().take(hdist))
            .copied()
            .collect();
        let rle = rle_lengths(&all);
        let mut cl_freq = [0u32; 19];
        for &(s, _) in &rle {
            inc(&mut cl_freq, usize::from(s));
        }
        let cl_len = huffman_lengths(&cl_freq, 7);
        let hclen = CL_ORDER
            .iter()
            .rposition(|&s| cl_len.get(s).copied().unwrap_or(0) != 0)
            .map_or(4, |p| p.wrapping_add(1))
            .max(4);
        Self {
            lit_code: canonical_codes(&lit_len),
            dist_code: canonical_codes(&dist_len),
            cl_code: canonical_codes(&cl_len),
            lit_len,
            dist_len,
            hlit,
            hdist,
            hclen,
            rle,
            cl_len,
        }
    }

    fn header_bits(&self) -> u64 {
        let mut bits = 3u64 + 5 + 5 + 4;
        bits = bits.wrapping_add((self.hclen as u64).wrapping_mul(3));
        for &(s, _) in &self.rle {
            let l = u64::from(self.cl_len.get(usize::from(s)).copied().unwrap_or(0));
            let extra = match s {
                16 => 2,
                17 => 3,
                18 => 7,
                _ => 0,
            };
            bits = bits.wrapping_add(l).wrapping_add(extra);
        }
        bits
    }

    fn total_bits(&self, enc: &Encoder) -> u64 {
        self.header_bits()
            .wrapping_add(enc.data_bits(&self.lit_len, &self.dist_len))
    }

    fn emit(&self, w: &mut BitWriter) {
        w.put(self.hlit.wrapping_sub(257) as u64, 5);
        w.put(self.hdist.wrapping_sub(1) as u64, 5);
        w.put(self.hclen.wrapping_sub(4) as u64, 4);
        for &s in CL_ORDER.iter().take(self.hclen) {
            w.put(u64::from(self.cl_len.get(s).copied().unwrap_or(0)), 3);
        }
        for &(s, e) in &self.rle {
            let i = usize::from(s);
            w.put(
                u64::from(self.cl_code.get(i).copied().unwrap_or(0)),
                u32::from(self.cl_len.get(i).copied().unwrap_or(0)),
            );
            match s {
                16 => w.put(u64::from(e), 2),
                17 => w.put(u64::from(e), 3),
                18 => w.put(u64::from(e), 7),
                _ => {}
            }
        }
    }
}

/// Run-length encodes code lengths with symbols 16 (repeat previous 3-6), 17 (3-10 zeros)
/// and 18 (11-138 zeros).
fn rle_lengths(lens: &[u8]) -> Vec<(u8, u8)> {
    let mut out = Vec::with_capacity(lens.len());
    let mut i = 0usize;
    while let Some(&l) = lens.get(i) {
        let run = lens
            .get(i..)
            .map_or(1, |r| r.iter().take_while(|&&x| x == l).count());
        let mut left = run;
        if l == 0 {
            while left >= 11 {
                let r = left.min(138);
                out.push((18, r.wrapping_sub(11) as u8));
                left = left.wrapping_sub(r);
            }
            if left >= 3 {
                out.push((17, left.wrapping_sub(3) as u8));
                left = 0;
            }
        } else {
            out.push((l, 0));
            left = left.wrapping_sub(1);
            while left >= 3 {
                let r = left.min(6);
                out.push((16, r.wrapping_sub(3) as u8));
                left = left.wrapping_sub(r);
            }
        }
        for _ in 0..left {
            out.push((l, 0));
        }
        i = i.wrapping_add(run);
    }
    out
}

/// LSB-first bit writer.
struct BitWriter {
    out: Vec<u8>,
    buf: u64,
    cnt: u32,
}

impl BitWriter {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: Vec::with_capacity(n),
            buf: 0,
            cnt: 0,
        }
    }

    /// Appends the low `n` bits of `v` (`n <= 32`).
    fn put(&mut self, v: u64, n: u32) {
        self.buf |= v.wrapping_shl(self.cnt);
        self.cnt = self.cnt.wrapping_add(n);
        if self.cnt >= 32 {
            self.out.extend_from_slice(&(self.buf as u32).to_le_bytes());
            self.buf >>= 32;
            self.cnt = self.cnt.wrapping_sub(32);
        }
    }

    /// Flushes whole bytes and pads the last partial byte with zero bits.
    fn align(&mut self) {
        while self.cnt > 0 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.cnt = self.cnt.saturating_sub(8);
        }
        self.buf = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(z)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn codes() {
        assert_eq!(len_code(3), (257, 0, 0));
        assert_eq!(len_code(10), (264, 0, 0));
        assert_eq!(len_code(11), (265, 1, 0));
        assert_eq!(len_code(13), (266, 1, 0));
        assert_eq!(len_code(227), (284, 5, 0));
        assert_eq!(len_code(257), (284, 5, 30));
        assert_eq!(len_code(258), (285, 0, 0));
        assert_eq!(dist_code(1), (0, 0, 0));
        assert_eq!(dist_code(5), (4, 1, 0));
        assert_eq!(dist_code(7), (5, 1, 0));
        assert_eq!(dist_code(32768), (29, 13, 8191));
    }

    #[test]
    fn round_trips() {
        let mut cases: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(),
            b"abcabcabcabcabcabcxyzxyzxyz0123456789abcdef0123456789abcdef".to_vec(),
            (0..=255u8).collect(),
            (0..5000u32).map(|i| (i * 7 % 13) as u8 + b'a').collect(),
            (0..20000u32).map(|i| (i % 251) as u8).collect(),
        ];
        cases.push(
            (0..600u32)
                .map(|i| b"0123456789abcdef"[(i.wrapping_mul(2654435761) >> 7) as usize % 16])
                .collect(),
        );
        for c in cases {
            let z = zlib_compress(&c);
            assert_eq!(inflate(&z), c);
        }
    }

    #[test]
    fn huffman_is_complete_and_limited() {
        // Fibonacci frequencies force a deep tree.
        let mut f = vec![0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for x in f.iter_mut() {
            *x = a;
            (a, b) = (b, a + b);
        }
        for limit in [7u8, 15] {
            let l = huffman_lengths(&f, limit);
            assert!(l.iter().all(|&x| x >= 1 && x <= limit));
            let kraft: f64 = l.iter().map(|&x| 2f64.powi(-i32::from(x))).sum();
            assert!(kraft <= 1.0 + 1e-12);
        }
    }
}
