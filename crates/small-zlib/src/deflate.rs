//! The encoder: one zlib stream, one deflate block, sized like zlib's level 6.
//!
//! Contract: [`zlib_compress`] returns a complete zlib stream (`78 9c` header, Adler-32
//! trailer) of its input, and never fails. The same input always gives the same stream.
//! Inputs over [`SMALL_MAX`] (16 KiB) go to `miniz_oxide` level 6; the rest come here.
//!
//! Matching does what zlib's level 6 does: hash chains of up to 128 candidates, lazy
//! matching (`max_lazy` 16, `good` 8, `nice` 128, zlib's "too far" rule for length-3
//! matches, never position 0 as a candidate). The block is whichever of stored,
//! fixed-Huffman or dynamic-Huffman is smallest; the dynamic block's code lengths are the
//! cheaper of two optimal constructions, a two-queue one and zlib's ([`DynamicHeader::new`]).
//! Building the dynamic block costs more than the rest, so it is first *estimated*
//! ([`dynamic_estimate`]: symbol entropy plus a header coded from approximate lengths) and
//! built only when the estimate comes within [`ESTIMATE_MARGIN`] bits of the fixed block.
//!
//! Guarantees, tested here (sizes against C zlib level 6 through flate2; "measured" is the
//! worst case the `#[ignore]`d stats tests found, the bound is what the property tests hold):
//! - every stream round-trips through C zlib's inflater and this crate's;
//! - realistic 007 token bodies: bound 2 bytes longer, against `miniz_oxide` level 6 too
//!   (measured over 100 000 bodies, `size_vs_level6_stats`: at most 2 bytes, 11 bodies
//!   longer at all, 0.21 bytes shorter on average);
//! - arbitrary inputs (any bytes, small alphabets, repeated fragments), `random_size_stats`
//!   over 20 000 each: up to 1 KiB measured 1 byte; up to 4 KiB measured 3, bound 6; up to
//!   16 KiB measured 21, bound 24. On average they are 0.05 bytes shorter than zlib's.
//!
//! Cost: no allocation besides the output. The match finder's hash heads, chain links and
//! match list live in a per-thread scratch (at most 4 Ki heads, and two links and one match
//! per input byte of the largest input the thread compressed, about 100 KiB after a 16 KiB
//! one); only the heads the input can reach are cleared per call. The scratch keeps copies
//! of input bytes: do not compress secrets with it. Each position is hashed once; the LZ77
//! pass records only the matches; symbol statistics carry bitsets of the symbols used, so
//! the Huffman and header work walks the 30–80 symbols present rather than all 316.
//!
//! Layout: this module holds the entry point, the scratch, the symbol statistics, the choice
//! of block and the symbol writer (kept beside its caller: in its own module it compiled to
//! 15% more instructions); `lz77` the match finder, `huffman` the code lengths and canonical
//! codes, `header` the dynamic header and its estimate, `bits` the bit writer and fixed tables.
//!
//! Design history, measurements and the experiments tried and dropped:
//! `docs/design/small-zlib.md`.

mod bits;
mod header;
mod huffman;
mod lz77;
#[cfg(test)]
mod tests;

use std::cell::RefCell;

use crate::adler::adler32;
use bits::{BitWriter, fixed_tables};
pub(crate) use header::CL_ORDER;
use header::{DynamicHeader, ESTIMATE_MARGIN, ESTIMATE_MAX, dynamic_estimate};
#[cfg(test)]
use huffman::data_bits;
use huffman::{USED_WORDS, canonical_codes_used};

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
/// Hash heads for the largest input: `1 << HASH_BITS_MAX` entries.
const HASH_BITS_MAX: u32 = 12;

/// Match-finder state reused by the calls on one thread (cleared per call only where the
/// call can look). It holds at most 4 Ki heads, and two links and one symbol per input byte
/// of the largest body the thread compressed (about 100 KiB after a [`SMALL_MAX`] body); it
/// keeps copies of body bytes (public token contents, never key material).
struct Scratch {
    head: Vec<u16>,
    prev: Vec<u16>,
    matches: Vec<u64>,
}

impl Scratch {
    const fn new() -> Self {
        Self {
            head: Vec::new(),
            prev: Vec::new(),
            matches: Vec::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// Compresses `data` into a zlib stream.
pub(crate) fn zlib_compress(data: &[u8]) -> Vec<u8> {
    if data.len() > SMALL_MAX {
        return miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
    }
    SCRATCH
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => compress_small(data, &mut s),
            Err(_) => compress_small(data, &mut Scratch::new()),
        })
        .unwrap_or_else(|_| compress_small(data, &mut Scratch::new()))
}

fn compress_small(data: &[u8], scratch: &mut Scratch) -> Vec<u8> {
    let mut enc = Encoder { freq: Freqs::new() };
    enc.lz77(data, scratch);
    let mut w = BitWriter::with_capacity(data.len().wrapping_add(16));
    w.out.extend_from_slice(&[0x78, 0x9c]);
    enc.emit_block(data, &scratch.matches, &mut w);
    w.align();
    w.out.extend_from_slice(&adler32(data).to_be_bytes());
    w.out
}

/// A match packed in a `u64`: its position, distance and length.
const fn pack_match(at: usize, len: usize, dist: usize) -> u64 {
    ((at as u64) << 32) | ((dist as u64) << 16) | (len as u64)
}

/// Position, length and distance of a packed match.
const fn unpack_match(m: u64) -> (usize, usize, usize) {
    (
        (m >> 32) as usize,
        (m & 0xffff) as usize,
        ((m >> 16) & 0xffff) as usize,
    )
}

/// Symbol frequencies with bitsets of the symbols used.
struct Freqs {
    lit: [u32; 286],
    dist: [u32; 30],
    lit_used: [u64; USED_WORDS],
    dist_used: [u64; USED_WORDS],
    /// Extra bits of all length and distance codes (the same under every code).
    extra_bits: u64,
    /// The fixed-Huffman block's exact size in bits, its 3 header bits included (counted
    /// with the symbols, so the choice of block needs no pass over the alphabet for it).
    fixed_bits: u64,
    /// Sums of `lit` and `dist`.
    lit_total: u32,
    dist_total: u32,
}

impl Freqs {
    const fn new() -> Self {
        Self {
            lit: [0; 286],
            dist: [0; 30],
            lit_used: [0; USED_WORDS],
            dist_used: [0; USED_WORDS],
            extra_bits: 0,
            fixed_bits: 0,
            lit_total: 0,
            dist_total: 0,
        }
    }
}

fn count(freq: &mut [u32], used: &mut [u64; USED_WORDS], i: usize) {
    if let Some(x) = freq.get_mut(i) {
        *x = x.wrapping_add(1);
    }
    if let Some(w) = used.get_mut((i >> 6) & 7) {
        *w |= 1u64 << (i & 63);
    }
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

struct Encoder {
    freq: Freqs,
}

impl Encoder {
    /// Bits needed for the symbol data (including extra bits and end-of-block).
    #[cfg(test)]
    fn data_bits(&self, lit_len: &[u8], dist_len: &[u8]) -> u64 {
        data_bits(&self.freq, lit_len, dist_len)
    }

    fn emit_block(&self, data: &[u8], matches: &[u64], w: &mut BitWriter) {
        let fixed = fixed_tables();
        let fixed_bits = self.freq.fixed_bits;
        let fixed_bytes = fixed_bits.div_ceil(8);
        // Stored: 3 header bits padded to a byte, LEN and NLEN, the raw bytes.
        let stored_bytes = (data.len() as u64).wrapping_add(5);
        // The dynamic code is built only when its estimate does not clearly lose.
        let dynamic = (data.len() > ESTIMATE_MAX
            || dynamic_estimate(&self.freq) < fixed_bits.wrapping_add(ESTIMATE_MARGIN))
        .then(|| DynamicHeader::new(&self.freq, fixed_bits));
        let dyn_bytes = dynamic
            .as_ref()
            .map_or(u64::MAX, |(_, bits)| bits.div_ceil(8));

        if stored_bytes < fixed_bytes && stored_bytes < dyn_bytes {
            w.put(1, 3); // BFINAL=1, BTYPE=00
            w.align();
            let len = data.len() as u16;
            w.out.extend_from_slice(&len.to_le_bytes());
            w.out.extend_from_slice(&(!len).to_le_bytes());
            w.out.extend_from_slice(data);
        } else if let Some((dynamic, _)) = dynamic.filter(|_| dyn_bytes < fixed_bytes) {
            w.put(0b101, 3); // BFINAL=1, BTYPE=10
            dynamic.emit(w);
            let mut lit_code = [0u32; 286];
            let mut dist_code = [0u32; 30];
            canonical_codes_used(&dynamic.lit_len, &dynamic.lit_coded, &mut lit_code);
            canonical_codes_used(&dynamic.dist_len, &dynamic.dist_coded, &mut dist_code);
            emit_syms(data, matches, w, &lit_code, &dist_code);
        } else {
            w.put(0b011, 3); // BFINAL=1, BTYPE=01
            emit_syms(data, matches, w, &fixed.lit_code, &fixed.dist_code);
        }
    }
}

/// Writes the literals between the matches and the matches, then end-of-block, with codes
/// given as `code | len << 16` per symbol. The bit buffer lives in locals for the loop (kept
/// in registers: through `&mut BitWriter` every insertion loaded and stored it).
fn emit_syms(data: &[u8], matches: &[u64], w: &mut BitWriter, lc: &[u32], dc: &[u32]) {
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
