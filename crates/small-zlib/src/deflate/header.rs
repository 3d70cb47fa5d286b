//! The dynamic block's header: its code lengths, their run-length coding, and the estimate.
//!
//! [`DynamicHeader::new`] builds the literal/length and distance code lengths (limited to 15
//! bits) the cheaper of two optimal ways, run-length codes them with the code-length code
//! (RFC 1951 §3.2.7) and reports the block's exact size; [`DynamicHeader::emit`] writes the
//! header. [`dynamic_estimate`] predicts that size without building the header, so the
//! encoder can skip it when the fixed block clearly wins. One run-length coder
//! ([`rle_coded`]) serves both, so the estimate and the header count runs alike.

use std::sync::OnceLock;

use super::bits::BitWriter;
use super::huffman::{
    canonical_codes, data_bits, for_each_used, huffman_lengths_used, used_bits, zlib_lengths,
};
use super::*;

/// zlib's code lengths are tried only when ours lose to the fixed block by at most this
/// many bits (see [`DynamicHeader::new`]).
pub(super) const ZLIB_VARIANT_MARGIN: u64 = 16;

/// Bodies up to this size have their dynamic block estimated before it is built.
pub(super) const ESTIMATE_MAX: usize = 1024;

/// The dynamic block is built unless its estimate exceeds the fixed block's exact size by
/// this many bits (see [`dynamic_estimate`]).
pub(super) const ESTIMATE_MARGIN: u64 = 16;

/// `round(log2(x) * 2^16)` for `x` in `0..=2 * ESTIMATE_MAX` (0 for 0).
pub(super) fn log2_table() -> &'static [u32; 2 * ESTIMATE_MAX + 1] {
    static LOG2: OnceLock<[u32; 2 * ESTIMATE_MAX + 1]> = OnceLock::new();
    LOG2.get_or_init(|| {
        let mut t = [0u32; 2 * ESTIMATE_MAX + 1];
        for (x, v) in t.iter_mut().enumerate().skip(1) {
            *v = ((x as f64).log2() * 65536.0).round() as u32;
        }
        t
    })
}

/// Estimated size in bits of the dynamic block for `freq` (from a body of at most
/// [`ESTIMATE_MAX`] bytes), at a fraction of the cost of building it.
///
/// Symbol bits: the entropy of each alphabet (a lower bound of any prefix code; Huffman's is
/// within about 1% of it for token bodies) plus the extra bits. Header: the code lengths
/// approximated by `round(log2(total / freq))`, run-length coded by [`rle_coded`] itself
/// (into a token count), each token at the entropy of the token counts, plus the field and
/// code-length-code bits. Over 100 000 realistic 007 bodies (the `props` strategy; test
/// `estimate_stats`) the estimate is within −84..+48 bits of the real dynamic block; with
/// the dynamic block built only when the estimate is less than [`ESTIMATE_MARGIN`] (16)
/// bits above the fixed one, 81% of the bodies that end in a fixed block skip building it,
/// and 8 were skipped where the dynamic block was smaller, by at most 5 bits.
#[inline]
pub(super) fn dynamic_estimate(freq: &Freqs) -> u64 {
    let log = log2_table();
    let lg = |x: u32| u64::from(log.get(x as usize).copied().unwrap_or(u32::MAX));
    // Symbol entropy (<< 16) of both alphabets, with round(log2(total / f)) as each used
    // symbol's code length, those lengths coded as the real header codes them (each token
    // at the entropy of the token counts, plus its extra bits): one walk over the symbols.
    let (lt_lit, lt_dist) = (lg(freq.lit_total), lg(freq.dist_total));
    let mut ent = 0u64;
    let hlit = used_end(&freq.lit_used).max(257);
    let hdist = used_end(&freq.dist_used).max(1);
    let mut tokens = TokenCounts::new();
    rle_coded(
        &freq.lit_used,
        hlit,
        &freq.dist_used,
        hdist,
        |i, dist| {
            let (counts, lt): (&[u32], u64) = if dist {
                (&freq.dist, lt_dist)
            } else {
                (&freq.lit, lt_lit)
            };
            let f = counts.get(i).copied().unwrap_or(0);
            let d = lt.saturating_sub(lg(f));
            ent = ent.wrapping_add(u64::from(f).wrapping_mul(d));
            (d.wrapping_add(1 << 15) >> 16).clamp(1, 15) as u8
        },
        &mut tokens,
    );
    let tokens = tokens.finish();
    let (mut tok_total, mut tok_nlog, mut extra) = (0u32, 0u64, 0u64);
    for (s, &c) in tokens.iter().enumerate() {
        tok_total = tok_total.wrapping_add(c);
        tok_nlog = tok_nlog.wrapping_add(u64::from(c).wrapping_mul(lg(c)));
        extra = extra.wrapping_add(u64::from(c).wrapping_mul(cl_extra_bits(s as u16)));
    }
    let tok_ent = u64::from(tok_total)
        .wrapping_mul(lg(tok_total))
        .saturating_sub(tok_nlog);
    let hclen = CL_ORDER
        .iter()
        .rposition(|&s| tokens.get(s).copied().unwrap_or(0) != 0)
        .map_or(4, |p| p.wrapping_add(1))
        .max(4) as u64;
    17u64
        .wrapping_add(hclen.wrapping_mul(3))
        .wrapping_add(extra)
        .wrapping_add(tok_ent >> 16)
        .wrapping_add(ent >> 16)
        .wrapping_add(freq.extra_bits)
}

/// Order in which code-length code lengths are sent (RFC 1951 §3.2.7).
pub(crate) const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Most code-length symbols a header can need (one per literal/length and distance length).
pub(super) const MAX_RLE: usize = 286 + 30;

/// Run-length encoded code lengths: `symbol | extra << 8` each, and symbol frequencies.
pub(super) struct Rle {
    pub(super) items: [u16; MAX_RLE],
    pub(super) len: usize,
    pub(super) freq: [u32; 19],
}

impl Rle {
    pub(super) const fn new() -> Self {
        Self {
            items: [0; MAX_RLE],
            len: 0,
            freq: [0; 19],
        }
    }

    pub(super) fn as_slice(&self) -> &[u16] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

/// Where the run-length coding of code lengths goes, token by token: a symbol (0..=18)
/// and the value of its extra bits. The header keeps the tokens ([`Rle`]); the estimate
/// only counts them ([`TokenCounts`]).
pub(super) trait TokenSink {
    fn push(&mut self, sym: u8, extra: u8);

    /// At `end` (a coded symbol that does not continue the run, or the end of the lengths):
    /// the pending run of `run` lengths `l` (none if `run` is 0), then `gap` zero lengths.
    fn flush(&mut self, end: bool, l: u8, run: usize, gap: usize) {
        if end {
            if run > 0 {
                self.repeat(l, run);
            }
            self.zeros(gap);
        }
    }

    /// A run of `run` zero lengths: 18 (11-138 zeros), 17 (3-10 zeros), single zeros.
    fn zeros(&mut self, run: usize) {
        let mut left = run;
        while left >= 11 {
            let r = left.min(138);
            self.push(18, r.wrapping_sub(11) as u8);
            left = left.wrapping_sub(r);
        }
        if left >= 3 {
            self.push(17, left.wrapping_sub(3) as u8);
            left = 0;
        }
        for _ in 0..left {
            self.push(0, 0);
        }
    }

    /// A run of `run >= 1` lengths `l > 0`: `l`, then 16 (repeat 3-6 times), single `l`s.
    fn repeat(&mut self, l: u8, run: usize) {
        self.push(l, 0);
        let mut left = run.wrapping_sub(1);
        while left >= 3 {
            let r = left.min(6);
            self.push(16, r.wrapping_sub(3) as u8);
            left = left.wrapping_sub(r);
        }
        for _ in 0..left {
            self.push(l, 0);
        }
    }
}

impl TokenSink for Rle {
    fn push(&mut self, sym: u8, extra: u8) {
        if let Some(x) = self.items.get_mut(self.len) {
            *x = u16::from(sym) | (u16::from(extra) << 8);
            self.len = self.len.wrapping_add(1);
        }
        inc(&mut self.freq, usize::from(sym));
    }
}

/// Token counts only (the estimate's sink): per symbol, the 0, 16, 17 and 18 counts kept
/// in 16-bit lanes of one word until [`Self::finish`] (no count exceeds the 316 lengths).
pub(super) struct TokenCounts {
    pub(super) sym: [u32; 19],
    pub(super) lanes: u64,
}

impl TokenCounts {
    pub(super) const fn new() -> Self {
        Self {
            sym: [0; 19],
            lanes: 0,
        }
    }

    /// The count of every symbol.
    pub(super) fn finish(mut self) -> [u32; 19] {
        for (sym, k) in [(0usize, 0u32), (17, 16), (18, 32), (16, 48)] {
            if let Some(x) = self.sym.get_mut(sym) {
                *x = x.wrapping_add(((self.lanes >> k) & 0xffff) as u32);
            }
        }
        self.sym
    }
}

impl TokenSink for TokenCounts {
    fn push(&mut self, sym: u8, _extra: u8) {
        inc(&mut self.sym, usize::from(sym));
    }

    /// The counts [`TokenSink::zeros`] and [`TokenSink::repeat`] push, from tables and
    /// without a branch on the data: the estimate's walk ends a run at most symbols of a
    /// token body, irregularly, and branching on that cost it more than the counting.
    fn flush(&mut self, end: bool, l: u8, run: usize, gap: usize) {
        let t = &FLUSH_TABLES;
        let e = u64::from(end);
        let r = t.run.get(run).copied().unwrap_or(0);
        let g = t.gap.get(gap).copied().unwrap_or(0);
        self.lanes = self
            .lanes
            .wrapping_add(g.wrapping_add(r & !0xffff).wrapping_mul(e));
        if let Some(x) = self.sym.get_mut(usize::from(l)) {
            *x = x.wrapping_add(((r & 0xffff).wrapping_mul(e)) as u32);
        }
    }
}

/// Token counts of a run and of a gap for [`TokenCounts`], up to the longest (all 286 + 30
/// lengths), in its lanes: `run[r]` holds the `l` count (low 16 bits) and the 16 count
/// (bits 48..64); `gap[g]` the 0, 17 and 18 counts (bits 0, 16, 32).
pub(super) struct FlushTables {
    pub(super) run: [u64; MAX_RLE + 1],
    pub(super) gap: [u64; MAX_RLE + 1],
}

/// [`FlushTables`], computed at compile time: the greedy splits of
/// [`TokenSink::repeat`] and [`TokenSink::zeros`] (a test checks that the counts agree).
// Indexing in a constant evaluation: an index out of range fails the build, not a run.
#[allow(clippy::indexing_slicing)]
pub(super) static FLUSH_TABLES: FlushTables = {
    let mut t = FlushTables {
        run: [0; MAX_RLE + 1],
        gap: [0; MAX_RLE + 1],
    };
    let mut n = 0usize;
    while n <= MAX_RLE {
        if n > 0 {
            // `l`, then a 16 per 3-6 further lengths, the rest as single `l`s.
            let (mut left, mut sixteens) = (n.wrapping_sub(1), 0u64);
            while left >= 3 {
                left = left.wrapping_sub(if left < 6 { left } else { 6 });
                sixteens = sixteens.wrapping_add(1);
            }
            t.run[n] = (left.wrapping_add(1) as u64) | (sixteens << 48);
        }
        // An 18 per 11-138 zeros, a 17 for 3-10, the rest as single zeros.
        let (mut left, mut eighteens, mut seventeens) = (n, 0u64, 0u64);
        while left >= 11 {
            left = left.wrapping_sub(if left < 138 { left } else { 138 });
            eighteens = eighteens.wrapping_add(1);
        }
        if left >= 3 {
            left = 0;
            seventeens = 1;
        }
        t.gap[n] = (left as u64) | (seventeens << 16) | (eighteens << 32);
        n = n.wrapping_add(1);
    }
    t
};

pub(super) struct DynamicHeader {
    pub(super) lit_len: [u8; 286],
    pub(super) dist_len: [u8; 30],
    /// Symbols with a code (the used ones, plus a filler code for a one-symbol alphabet).
    pub(super) lit_coded: [u64; USED_WORDS],
    pub(super) dist_coded: [u64; USED_WORDS],
    pub(super) hlit: usize,
    pub(super) hdist: usize,
    pub(super) hclen: usize,
    pub(super) rle: Rle,
    pub(super) cl_len: [u8; 19],
    /// Built with zlib's lengths for the literal/length alphabet.
    pub(super) zlib_ok: bool,
}

/// Highest set bit of a bitset, plus one (0 when empty).
pub(super) fn used_end(bits: &[u64; USED_WORDS]) -> usize {
    bits.iter()
        .rposition(|&w| w != 0)
        .zip(bits.iter().rfind(|&&w| w != 0))
        .map_or(0, |(wi, &w)| {
            (wi << 6) | (64usize.wrapping_sub(w.leading_zeros() as usize))
        })
}

impl DynamicHeader {
    /// The cheaper of two dynamic headers for `freq`, both with optimal code lengths: ours
    /// (two-queue construction) and zlib's (its heap, ties going to the shallower subtree).
    /// Optimal codes can differ in which lengths they use, and the header's cost follows:
    /// over 20 000 realistic bodies, ours alone came out up to 3 bytes longer than C zlib's
    /// level 6 in 2 cases (every one a dynamic block with the same LZ77 parse and a header
    /// 10–19 bits longer); with the choice, over 100 000 bodies, at most 1 byte longer (23
    /// bodies) and 0.21 bytes shorter on average (test `size_vs_level6_stats`).
    ///
    /// zlib's construction costs about four times ours, so it is skipped when ours loses
    /// to the fixed block (`fixed_bits`) by more than [`ZLIB_VARIANT_MARGIN`] (16) bits:
    /// over 100 000 realistic bodies zlib's lengths saved at most 34 bits (and were the
    /// costlier choice about as often: by up to 82 bits; equal for 63%); lowering this
    /// margin from 40 to 16 bits changed no size against C zlib's over those bodies (a
    /// policy simulation; see the module docs).
    ///
    /// Returns the header and the block's size in bits (header and symbols).
    #[inline]
    pub(super) fn new(freq: &Freqs, fixed_bits: u64) -> (Self, u64) {
        let cost = |d: &Self| {
            d.header_bits()
                .wrapping_add(data_bits(freq, &d.lit_len, &d.dist_len))
        };
        let ours = Self::build(freq, false);
        let ours_cost = cost(&ours);
        if ours_cost > fixed_bits.saturating_add(ZLIB_VARIANT_MARGIN) {
            return (ours, ours_cost);
        }
        match Self::try_build(freq).map(|z| (cost(&z), z)) {
            Some((zlib_cost, zlib)) if zlib_cost < ours_cost => (zlib, zlib_cost),
            _ => (ours, ours_cost),
        }
    }

    /// The header with zlib's code lengths, unless they exceed a limit (then none).
    #[inline]
    pub(super) fn try_build(freq: &Freqs) -> Option<Self> {
        let d = Self::build(freq, true);
        d.zlib_ok.then_some(d)
    }

    #[inline]
    pub(super) fn build(freq: &Freqs, zlib_order: bool) -> Self {
        let mut lit_len = [0u8; 286];
        let mut dist_len = [0u8; 30];
        let mut lit_coded = freq.lit_used;
        let mut dist_coded = freq.dist_used;
        let mut zlib_ok = zlib_order;
        if !(zlib_order && zlib_lengths::<286, 573>(&freq.lit, &lit_coded, 15, &mut lit_len)) {
            zlib_ok = false;
            lit_len = [0; 286];
            huffman_lengths_used::<286>(&freq.lit, &mut lit_coded, 15, &mut lit_len);
        }
        // No matches: send a single zero-length distance code (RFC 1951 §3.2.7 allows "no
        // distance codes"), as miniz does; zlib sends two 1-bit codes, which costs bytes.
        if dist_coded.iter().any(|&w| w != 0)
            && !(zlib_order && zlib_lengths::<30, 61>(&freq.dist, &dist_coded, 15, &mut dist_len))
        {
            dist_len = [0; 30];
            huffman_lengths_used::<30>(&freq.dist, &mut dist_coded, 15, &mut dist_len);
        }
        let hlit = used_end(&lit_coded).max(257);
        let hdist = used_end(&dist_coded).max(1);
        let mut rle = Rle::new();
        rle_coded(
            &lit_coded,
            hlit,
            &dist_coded,
            hdist,
            |i, dist| {
                let lens: &[u8] = if dist { &dist_len } else { &lit_len };
                lens.get(i).copied().unwrap_or(0)
            },
            &mut rle,
        );
        let cl_freq = rle.freq;
        let cl_used = used_bits(&cl_freq);
        let mut cl_len = [0u8; 19];
        if !(zlib_order && zlib_lengths::<19, 39>(&cl_freq, &cl_used, 7, &mut cl_len)) {
            cl_len = [0; 19];
            huffman_lengths_used::<19>(&cl_freq, &mut cl_used.clone(), 7, &mut cl_len);
        }
        let hclen = CL_ORDER
            .iter()
            .rposition(|&s| cl_len.get(s).copied().unwrap_or(0) != 0)
            .map_or(4, |p| p.wrapping_add(1))
            .max(4);
        Self {
            lit_len,
            dist_len,
            lit_coded,
            dist_coded,
            hlit,
            hdist,
            hclen,
            rle,
            cl_len,
            zlib_ok,
        }
    }

    #[inline]
    pub(super) fn header_bits(&self) -> u64 {
        let mut bits = 3u64 + 5 + 5 + 4;
        bits = bits.wrapping_add((self.hclen as u64).wrapping_mul(3));
        for (s, (&f, &l)) in self.rle.freq.iter().zip(&self.cl_len).enumerate() {
            let per = u64::from(l).wrapping_add(cl_extra_bits(s as u16));
            bits = bits.wrapping_add(u64::from(f).wrapping_mul(per));
        }
        bits
    }

    #[inline]
    pub(super) fn emit(&self, w: &mut BitWriter) {
        w.put(self.hlit.wrapping_sub(257) as u64, 5);
        w.put(self.hdist.wrapping_sub(1) as u64, 5);
        w.put(self.hclen.wrapping_sub(4) as u64, 4);
        for &s in CL_ORDER.iter().take(self.hclen) {
            w.put(u64::from(self.cl_len.get(s).copied().unwrap_or(0)), 3);
        }
        let mut cl_code = [0u16; 19];
        canonical_codes(&self.cl_len, &mut cl_code);
        for &item in self.rle.as_slice() {
            let s = item & 0xff;
            let i = usize::from(s);
            let l = u32::from(self.cl_len.get(i).copied().unwrap_or(0));
            let e = u64::from(item >> 8);
            w.put(
                u64::from(cl_code.get(i).copied().unwrap_or(0)) | (e << l),
                l.wrapping_add(cl_extra_bits(s) as u32),
            );
        }
    }
}

/// Extra bits after code-length symbol `s`.
pub(super) fn cl_extra_bits(s: u16) -> u64 {
    match s {
        16 => 2,
        17 => 3,
        18 => 7,
        _ => 0,
    }
}

/// `rle_lengths` of the literal/length code lengths `..hlit` and the distance ones
/// `..hdist`, walking only the coded symbols (`lit_coded`, `dist_coded`: exactly the
/// non-zero lengths): the zero runs between them are gaps, found without reading the zeros.
/// `length(i, dist)` gives symbol `i`'s length (of the distance alphabet if `dist`), once
/// per coded symbol in order: the header reads its arrays, the estimate computes them.
pub(super) fn rle_coded<S: TokenSink>(
    lit_coded: &[u64; USED_WORDS],
    hlit: usize,
    dist_coded: &[u64; USED_WORDS],
    hdist: usize,
    mut length: impl FnMut(usize, bool) -> u8,
    out: &mut S,
) {
    // Next position to encode, and the pending run of equal non-zero lengths.
    let (mut pos, mut run_len, mut run) = (0usize, 0u8, 0usize);
    // Coded lengths are non-zero, so the first symbol (run_len 0) always ends the empty run.
    let mut step = |p: usize, l: u8, out: &mut S| {
        // `|`, not `||`: a short-circuit branch here was the estimate's most mispredicted.
        let end = (p != pos) | (l != run_len);
        out.flush(end, run_len, run, p.wrapping_sub(pos));
        run = if end { 1 } else { run.wrapping_add(1) };
        run_len = l;
        pos = p.wrapping_add(1);
    };
    for_each_used(lit_coded, |i| {
        if i < hlit {
            step(i, length(i, false), out);
        }
    });
    for_each_used(dist_coded, |i| {
        if i < hdist {
            step(hlit.wrapping_add(i), length(i, true), out);
        }
    });
    let total = hlit.wrapping_add(hdist);
    out.flush(true, run_len, run, total.saturating_sub(pos));
}

/// Run-length encodes code lengths with symbols 16 (repeat previous 3-6), 17 (3-10 zeros)
/// and 18 (11-138 zeros).
#[cfg(test)]
pub(super) fn rle_lengths(lit: &[u8], dist: &[u8]) -> Rle {
    let mut all = [0u8; MAX_RLE];
    let total = lit.len().wrapping_add(dist.len());
    if let Some(dst) = all.get_mut(..lit.len()) {
        dst.copy_from_slice(lit);
    }
    if let Some(dst) = all.get_mut(lit.len()..total) {
        dst.copy_from_slice(dist);
    }
    let lens = all.get(..total).unwrap_or(&[]);
    let mut out = Rle::new();
    let mut i = 0usize;
    while let Some(&l) = lens.get(i) {
        let run = lens
            .get(i..)
            .map_or(1, |r| r.iter().take_while(|&&x| x == l).count());
        let mut left = run;
        if l == 0 {
            while left >= 11 {
                let r = left.min(138);
                out.push(18, r.wrapping_sub(11) as u8);
                left = left.wrapping_sub(r);
            }
            if left >= 3 {
                out.push(17, left.wrapping_sub(3) as u8);
                left = 0;
            }
        } else {
            out.push(l, 0);
            left = left.wrapping_sub(1);
            while left >= 3 {
                let r = left.min(6);
                out.push(16, r.wrapping_sub(3) as u8);
                left = left.wrapping_sub(r);
            }
        }
        for _ in 0..left {
            out.push(l, 0);
        }
        i = i.wrapping_add(run);
    }
    out
}
