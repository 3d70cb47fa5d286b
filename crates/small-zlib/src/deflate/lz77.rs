//! The LZ77 pass: zlib level 6 matching over the hash chains in the per-thread scratch.
//!
//! [`Encoder::lz77`] records the matches of one body (packed by [`pack_match`], in position
//! order, never overlapping) in the scratch and counts every symbol into the encoder's
//! [`Freqs`], with the fixed block's exact size. Matching is zlib's `deflate_slow` at level 6:
//! chains of at most 128 candidates (a quarter past a `good` match), lazy evaluation up to
//! `max_lazy`, the "too far" rule for length-3 matches, never position 0 as a candidate. The
//! same body always gives the same matches.

use super::huffman::for_each_used;
use super::*;

/// Length of the common prefix of `data[a..]` and `data[b..]`, at most `max`; eight bytes
/// per step.
pub(super) fn common_prefix(data: &[u8], a: usize, b: usize, max: usize) -> usize {
    let (Some(x), Some(y)) = (data.get(a..), data.get(b..)) else {
        return 0;
    };
    let x = x.get(..max).unwrap_or(x);
    let y = y.get(..max).unwrap_or(y);
    let (xc, _) = x.as_chunks::<8>();
    let (yc, _) = y.as_chunks::<8>();
    let mut n = 0usize;
    for (p, q) in xc.iter().zip(yc) {
        let d = u64::from_le_bytes(*p) ^ u64::from_le_bytes(*q);
        if d != 0 {
            return n.wrapping_add((d.trailing_zeros() / 8) as usize);
        }
        n = n.wrapping_add(8);
    }
    match (x.get(n..), y.get(n..)) {
        (Some(xr), Some(yr)) => {
            n.wrapping_add(xr.iter().zip(yr).take_while(|(p, q)| p == q).count())
        }
        _ => n,
    }
}

/// Longest match at `i` among `first` (an earlier position, non-zero) and its chain
/// (`prev`), longer than `prev_len`: `(len, dist)`, or `(0, 0)`. Kept out of line: most
/// positions of a token body have no candidate, and inlined, its setup slowed the loop over
/// them (17.0k → 16.1k instructions per benchmark body).
#[inline(never)]
pub(super) fn longest_match(
    data: &[u8],
    prev: &[u16],
    first: usize,
    i: usize,
    prev_len: usize,
) -> (usize, usize) {
    let n = data.len();
    let max = MAX_MATCH.min(n.wrapping_sub(i));
    let mut chain = if prev_len >= GOOD_LENGTH {
        MAX_CHAIN >> 2
    } else {
        MAX_CHAIN
    };
    let mut best_len = prev_len.max(MIN_MATCH.wrapping_sub(1));
    let mut best_dist = 0;
    let mut c = first;
    loop {
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
        chain = chain.wrapping_sub(1);
        c = usize::from(prev.get(c).copied().unwrap_or(0));
        if c == 0 || c >= i || chain == 0 {
            break;
        }
    }
    if best_dist == 0 || (best_len == MIN_MATCH && best_dist > TOO_FAR) {
        (0, 0)
    } else {
        (best_len, best_dist)
    }
}

/// Inserts positions `i..hashed` into the hash chains (`head`, as long as a power of two,
/// and `prev`) until one has an earlier candidate: returns it and the candidate, or
/// `(hashed, 0)`. Out of line and small, so the loop over the positions without a
/// candidate (most of a token body's) keeps its state in registers.
#[inline(never)]
pub(super) fn next_candidate(
    data: &[u8],
    head: &mut [u16],
    prev: &mut [u16],
    mut i: usize,
    hashed: usize,
    shift: u32,
) -> (usize, usize) {
    let mask = head.len().wrapping_sub(1);
    let prev = prev.get_mut(..hashed).unwrap_or(&mut []);
    while let Some(p) = prev.get_mut(i) {
        // The 3 bytes at `i` (one 4-byte load where the input allows).
        let v = match data.get(i..).and_then(|s| s.first_chunk::<4>()) {
            Some(w) => u32::from_le_bytes(*w) & 0x00ff_ffff,
            None => match data.get(i..i.wrapping_add(MIN_MATCH)) {
                Some(&[a, b, c]) => u32::from(a) | (u32::from(b) << 8) | (u32::from(c) << 16),
                _ => 0,
            },
        };
        let h = (v.wrapping_mul(0x9E37_79B1) >> shift) as usize & mask;
        let Some(slot) = head.get_mut(h) else { break };
        let first = *slot;
        *slot = i as u16;
        *p = first;
        if first != 0 {
            // A candidate alone in its chain whose 3 bytes differ (a hash collision) cannot
            // match: skipped here rather than by a call to `longest_match` (same result).
            let f = usize::from(first);
            let bytes = data
                .get(f..)
                .and_then(|s| s.first_chunk::<4>())
                .map_or(0, |w| u32::from_le_bytes(*w) & 0x00ff_ffff);
            if bytes == v || prev.get(f).is_some_and(|&c| c != 0) {
                return (i, f);
            }
        }
        i = i.wrapping_add(1);
    }
    (hashed, 0)
}

impl Encoder {
    /// Finds the matches of `data` (into `s.matches`) and counts every symbol into
    /// `self.freq`, the fixed block's size included.
    pub(super) fn lz77(&mut self, data: &[u8], s: &mut Scratch) {
        let n = data.len();
        self.freq = Freqs::new();
        s.matches.clear();
        let Some((head, hash)) = hash_heads(&mut s.head, n) else {
            return;
        };
        // Chain links need no clearing: one is read only after its position was inserted.
        if s.prev.len() < n {
            s.prev.resize(n, 0);
        }
        let prev = &mut s.prev[..];
        let matches = &mut s.matches;
        let freq = &mut self.freq;

        // Positions below `hashed` have the 3 bytes a match needs, and a hash. Entries of
        // `head` and `prev` are positions, 0 meaning none: position 0 is never a candidate,
        // as in zlib (whose NIL is position 0): it holds the signature's length prefix
        // `20 00`, and a far length-3 match to it usually costs a new distance code for
        // nothing.
        let hashed = n.saturating_sub(MIN_MATCH.wrapping_sub(1));

        // Matches only: literals are the bytes between them. The common case, a position
        // with no earlier candidate and no match pending, costs a hash, a head lookup and
        // the insertion. Position 0 is never inserted nor looked up (nothing precedes it).
        let mut extra_bits = 0u64;
        let mut match_bits = 0u64;
        let mut i = 1usize;
        loop {
            // No match pending here: find the next position with a candidate and a match.
            let (at, len, dist) = next_match(data, head, prev, i, hashed, hash.shift);
            if len == 0 {
                break;
            }
            let (at, len, dist) = lazy_match(data, head, prev, hashed, hash, (at, len, dist));
            matches.push(pack_match(at, len, dist));
            let (extra, fixed) = count_match(freq, len, dist);
            extra_bits = extra_bits.wrapping_add(extra);
            match_bits = match_bits.wrapping_add(fixed);
            let end = at.wrapping_add(len);
            insert_range(data, head, prev, at.wrapping_add(2), end.min(hashed), hash);
            i = end;
        }
        count_literals(data, matches, freq, extra_bits, match_bits);
    }
}

/// The hash heads for an `n`-byte input, cleared, and the hash's shift: 2^10 .. 2^12 heads
/// (four per position up to 1 KiB of input: fewer false candidates for a 2 KiB clear).
/// Entries hold position + 1.
#[inline]
fn hash_heads(head: &mut Vec<u16>, n: usize) -> Option<(&mut [u16], Hash)> {
    let bits = n
        .max(256)
        .next_power_of_two()
        .ilog2()
        .wrapping_add(2)
        .min(HASH_BITS_MAX);
    let shift = 32u32.wrapping_sub(bits);
    let size = 1usize << bits;
    if head.len() < size {
        head.resize(size, 0);
    }
    let head = head.get_mut(..size)?;
    head.fill(0);
    Some((
        head,
        Hash {
            shift,
            mask: size.wrapping_sub(1),
        },
    ))
}

/// The hash of 3 bytes for one call's heads: multiplicative, its top bits kept.
#[derive(Clone, Copy)]
struct Hash {
    shift: u32,
    /// The number of heads minus one.
    mask: usize,
}

impl Hash {
    /// Hash of the 3 bytes at `i` (0 past the hashed end).
    #[inline]
    fn at(self, data: &[u8], i: usize) -> usize {
        match data.get(i..i.wrapping_add(MIN_MATCH)) {
            Some(&[a, b, c]) => {
                let v = u32::from(a) | (u32::from(b) << 8) | (u32::from(c) << 16);
                (v.wrapping_mul(0x9E37_79B1) >> self.shift) as usize & self.mask
            }
            _ => 0,
        }
    }
}

/// From position `i` on, inserting each position, the first match (no match pending):
/// `(at, len, dist)`, `len` 0 when none is left.
#[inline]
fn next_match(
    data: &[u8],
    head: &mut [u16],
    prev: &mut [u16],
    mut i: usize,
    hashed: usize,
    shift: u32,
) -> (usize, usize, usize) {
    while i < hashed {
        let first;
        (i, first) = next_candidate(data, head, prev, i, hashed, shift);
        if first == 0 {
            break;
        }
        let (len, dist) = longest_match(data, prev, first, i, 0);
        if len != 0 {
            return (i, len, dist);
        }
        i = i.wrapping_add(1);
    }
    (0, 0, 0)
}

/// Lazy evaluation (zlib's `deflate_slow`): while the next position, once inserted, has a
/// longer match, the pending match's first byte becomes a literal and that match takes its
/// place. Returns the match to emit as `(at, len, dist)`.
#[inline]
fn lazy_match(
    data: &[u8],
    head: &mut [u16],
    prev: &mut [u16],
    hashed: usize,
    hash: Hash,
    (mut at, mut len, mut dist): (usize, usize, usize),
) -> (usize, usize, usize) {
    loop {
        let j = at.wrapping_add(1);
        let (mut cur_len, mut cur_dist) = (0, 0);
        if j < hashed
            && let Some(slot) = head.get_mut(hash.at(data, j))
        {
            let first = usize::from(*slot);
            if first != 0 && len < MAX_LAZY {
                (cur_len, cur_dist) = longest_match(data, prev, first, j, len);
            }
            if let Some(p) = prev.get_mut(j) {
                *p = first as u16;
            }
            *slot = j as u16;
        }
        if cur_len <= len {
            return (at, len, dist);
        }
        (at, len, dist) = (j, cur_len, cur_dist);
    }
}

/// Counts a match's length and distance symbols: returns its extra bits and its size in
/// the fixed code without them.
#[inline]
fn count_match(freq: &mut Freqs, len: usize, dist: usize) -> (u64, u64) {
    let (lc, le, _) = len_code(len);
    let (dc, de, _) = dist_code(dist);
    count(&mut freq.lit, &mut freq.lit_used, lc);
    count(&mut freq.dist, &mut freq.dist_used, dc);
    // Fixed code: length symbols 257..=279 take 7 bits, 280..=287 8; distances 5.
    (
        u64::from(le.wrapping_add(de)),
        if lc < 280 { 12 } else { 13 },
    )
}

/// Inserts positions `from..to` (inside a match) into the hash chains.
#[inline]
fn insert_range(
    data: &[u8],
    head: &mut [u16],
    prev: &mut [u16],
    from: usize,
    to: usize,
    hash: Hash,
) {
    for j in from..to {
        if let (Some(slot), Some(p)) = (head.get_mut(hash.at(data, j)), prev.get_mut(j)) {
            *p = *slot;
            *slot = j as u16;
        }
    }
}

/// Counts the literals between `matches` and end-of-block, then sets the totals, the extra
/// bits and the fixed block's exact size (`match_bits`: the matches' fixed-code bits).
#[inline]
fn count_literals(
    data: &[u8],
    matches: &[u64],
    freq: &mut Freqs,
    extra_bits: u64,
    match_bits: u64,
) {
    let n = data.len();
    let mut lit_start = 0usize;
    let mut literals = 0usize;
    let mut count_run = |from: usize, to: usize| {
        let run = data.get(from..to).unwrap_or(&[]);
        literals = literals.wrapping_add(run.len());
        for &b in run {
            count(&mut freq.lit, &mut freq.lit_used, usize::from(b));
        }
    };
    for &m in matches {
        let (at, len, _) = unpack_match(m);
        count_run(lit_start, at);
        lit_start = at.wrapping_add(len);
    }
    count_run(lit_start, n);
    count(&mut freq.lit, &mut freq.lit_used, 256);
    freq.extra_bits = extra_bits;
    // Literals 144..=255 take 9 bits in the fixed code, the others 8.
    let mut high = 0u64;
    // Bitset of the literals 144..=255.
    const HIGH: [u64; USED_WORDS] = [0, 0, !0 << 16, !0, 0];
    let mut high_used = [0u64; USED_WORDS];
    for (h, (&u, &keep)) in high_used.iter_mut().zip(freq.lit_used.iter().zip(&HIGH)) {
        *h = u & keep;
    }
    for_each_used(&high_used, |b| {
        high = high.wrapping_add(u64::from(freq.lit.get(b).copied().unwrap_or(0)));
    });
    // Block header, literals, matches, end-of-block (7 bits) and the extra bits.
    freq.fixed_bits = 3u64
        .wrapping_add((literals as u64).wrapping_mul(8))
        .wrapping_add(high)
        .wrapping_add(match_bits)
        .wrapping_add(7)
        .wrapping_add(extra_bits);
    // One symbol per literal and per match, and end-of-block.
    let m = matches.len();
    freq.lit_total = literals.wrapping_add(m).wrapping_add(1) as u32;
    freq.dist_total = m as u32;
}
