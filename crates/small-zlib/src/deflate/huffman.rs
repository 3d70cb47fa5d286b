//! Huffman code lengths and canonical codes over symbol bitsets.
//!
//! Length-limited optimal code lengths ([`huffman_lengths_used`]: two-queue minimum
//! redundancy on counting-sorted weights), zlib's own construction ([`zlib_lengths`]: equally
//! optimal, but its tie-breaking sometimes gives a shorter header), canonical LSB-first codes (RFC 1951 §3.2.2), and
//! the symbol bitsets that let all of them walk only the symbols present. Every function is
//! total: out-of-range symbols are ignored, never indexed.

use super::*;

/// Canonical Huffman codes, bit-reversed for LSB-first output (RFC 1951 §3.2.2).
pub(super) fn canonical_codes(lens: &[u8], codes: &mut [u16]) {
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
    for (&l, out) in lens.iter().zip(codes.iter_mut()) {
        *out = 0;
        if l == 0 {
            continue;
        }
        let Some(n) = next.get_mut(usize::from(l)) else {
            continue;
        };
        let c = *n;
        *n = n.wrapping_add(1);
        *out = c.reverse_bits() >> (16u32.wrapping_sub(u32::from(l)));
    }
}

/// [`canonical_codes`] over the symbols in `used` only (every symbol with a non-zero length
/// must be in it), as `code | len << 16`.
pub(super) fn canonical_codes_used(lens: &[u8], used: &[u64; USED_WORDS], codes: &mut [u32]) {
    let mut bl_count = [0u16; 16];
    for_each_used(used, |i| {
        let l = lens.get(i).copied().unwrap_or(0);
        if let Some(c) = bl_count.get_mut(usize::from(l & 15)) {
            *c = c.wrapping_add(1);
        }
    });
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
    for_each_used(used, |i| {
        let l = lens.get(i).copied().unwrap_or(0);
        if l == 0 {
            return;
        }
        let Some(n) = next.get_mut(usize::from(l & 15)) else {
            return;
        };
        let c = *n;
        *n = n.wrapping_add(1);
        if let Some(out) = codes.get_mut(i) {
            *out = u32::from(c.reverse_bits() >> (16u32.wrapping_sub(u32::from(l))))
                | (u32::from(l) << 16);
        }
    });
}

/// Largest alphabet (literal/length symbols, fixed code included).
pub(super) const MAX_SYMS: usize = 288;
/// Words of a symbol bitset.
pub(super) const USED_WORDS: usize = MAX_SYMS.div_ceil(64);

/// Bitset of the symbols with a non-zero frequency (at most [`MAX_SYMS`]).
#[inline]
pub(super) fn used_bits(freq: &[u32]) -> [u64; USED_WORDS] {
    let mut bits = [0u64; USED_WORDS];
    for (i, &f) in freq.iter().enumerate() {
        if let Some(w) = bits.get_mut(i >> 6) {
            *w |= u64::from(f > 0) << (i & 63);
        }
    }
    bits
}

/// Calls `f` for every set bit, in ascending order.
#[inline]
pub(super) fn for_each_used(bits: &[u64; USED_WORDS], mut f: impl FnMut(usize)) {
    for (wi, &word) in bits.iter().enumerate() {
        let mut w = word;
        while w != 0 {
            f((wi << 6) | w.trailing_zeros() as usize);
            w &= w.wrapping_sub(1);
        }
    }
}

/// Optimal Huffman code lengths for `freq` (at most [`MAX_SYMS`] symbols), limited to
/// `limit` bits, written to `lens`.
#[cfg(test)]
pub(super) fn huffman_lengths(freq: &[u32], limit: u8, lens: &mut [u8]) {
    lens.fill(0);
    huffman_lengths_used::<MAX_SYMS>(freq, &mut used_bits(freq), limit, lens);
}

/// Optimal Huffman code lengths for the symbols in `used` (their frequencies in `freq`),
/// limited to `limit` bits, written to `lens` (whose other entries must be zero). A symbol
/// given a length without being used (the second code of a one-symbol alphabet) is added to
/// `used`, so `used` lists every symbol with a code.
///
/// Uses the in-place algorithm of Moffat and Katajainen on the sorted weights (no tree
/// allocation). Fewer than two used symbols get a complete two-symbol code, as zlib does. If
/// the optimal code is too deep, the weights are halved (staying non-zero) and it is rebuilt.
///
/// `N` (at least the alphabet size, at most [`MAX_SYMS`]) sizes the stack arrays.
///
/// Its work arrays are indexed by the used symbols' ranks, so they are sized for the number
/// of symbols used (32, 96 or `N`), not for the alphabet: zeroing arrays sized for all 286
/// literal/length symbols cost more than building the code for a 250-byte document.
#[inline]
pub(super) fn huffman_lengths_used<const N: usize>(
    freq: &[u32],
    used: &mut [u64; USED_WORDS],
    limit: u8,
    lens: &mut [u8],
) {
    match used_count(used) {
        0..=32 if N > 32 => lengths_used_in::<32>(freq, used, limit, lens),
        33..=96 if N > 96 => lengths_used_in::<96>(freq, used, limit, lens),
        _ => lengths_used_in::<N>(freq, used, limit, lens),
    }
}

/// Number of symbols in a bitset.
#[inline]
fn used_count(used: &[u64; USED_WORDS]) -> usize {
    used.iter()
        .fold(0usize, |n, w| n.wrapping_add(w.count_ones() as usize))
}

/// [`huffman_lengths_used`] with work arrays for up to `N` used symbols.
#[inline]
fn lengths_used_in<const N: usize>(
    freq: &[u32],
    used: &mut [u64; USED_WORDS],
    limit: u8,
    lens: &mut [u8],
) {
    let mut keys = [0u32; N];
    let mut sorted = [0u32; N];
    let mut depths = [0u32; N];
    let mut shift = 0u32;
    loop {
        // Compaction of the used symbols (in ascending symbol order) through the bitset,
        // counting the weights for the sort on the way.
        let mut m = 0usize;
        let mut top = 0u32;
        let mut start = [0u16; SORT_BUCKETS + 1];
        for_each_used(&*used, |i| {
            let x = freq.get(i).copied().unwrap_or(0);
            // weight (< 2^23) above the symbol (< 2^9): sorting keys sorts by weight.
            let w = (x >> shift).clamp(1, (1 << 23) - 1);
            if let Some(k) = keys.get_mut(m) {
                *k = (w << 9) | (i as u32);
            }
            top = top.max(w);
            if let Some(c) = start.get_mut((w as usize).wrapping_add(1) & 127) {
                *c = c.wrapping_add(1);
            }
            m = m.wrapping_add(1);
        });
        let (Some(keys), Some(sorted), Some(depths)) =
            (keys.get_mut(..m), sorted.get_mut(..m), depths.get_mut(..m))
        else {
            return;
        };
        if m < 2 {
            let s = keys.first().map_or(0, |k| (k & 511) as usize);
            for i in [s, usize::from(s == 0)] {
                if let Some(l) = lens.get_mut(i) {
                    *l = 1;
                }
                if let Some(w) = used.get_mut((i >> 6) & 7) {
                    *w |= 1u64 << (i & 63);
                }
            }
            return;
        }
        sort_keys(keys, &mut start, top, sorted);
        minimum_redundancy::<N>(sorted, depths);
        if depths.first().copied().unwrap_or(0) <= u32::from(limit) {
            for (k, &d) in sorted.iter().zip(depths.iter()) {
                if let Some(l) = lens.get_mut((k & 511) as usize) {
                    *l = d as u8;
                }
            }
            return;
        }
        shift = shift.wrapping_add(1);
    }
}

/// Weights below this are sorted by counting.
pub(super) const SORT_BUCKETS: usize = 64;

/// Writes `keys` (weight << 9 | symbol, symbols ascending) sorted by weight, stable in the
/// symbol (so the result equals `keys.sort_unstable()`), to `out` (as long as `keys`).
/// `start[w + 1]` holds the number of keys of weight `w < SORT_BUCKETS` and `top` the
/// largest weight. Token bodies have small weights, so a counting sort does it; larger
/// weights use the std sort.
pub(super) fn sort_keys(
    keys: &[u32],
    start: &mut [u16; SORT_BUCKETS + 1],
    top: u32,
    out: &mut [u32],
) {
    if top as usize >= SORT_BUCKETS || out.len() != keys.len() {
        if let Some(o) = out.get_mut(..keys.len()) {
            o.copy_from_slice(keys);
            o.sort_unstable();
        }
        return;
    }
    let mut sum = 0u16;
    for c in start.iter_mut().take((top as usize).wrapping_add(2)) {
        sum = sum.wrapping_add(*c);
        *c = sum;
    }
    for &k in keys {
        if let Some(pos) = start.get_mut((k >> 9) as usize) {
            if let Some(dst) = out.get_mut(usize::from(*pos)) {
                *dst = k;
            }
            *pos = pos.wrapping_add(1);
        }
    }
}

/// Minimum-redundancy code lengths: `sorted` holds keys (weight << 9 | symbol) sorted by
/// weight (`2 <= len <= N`); `depths` (as long) receives the code lengths, largest first.
///
/// Two-queue Huffman construction (leaves in weight order, internal nodes in creation order,
/// a leaf winning ties), then depths from the root down. Same lengths as the in-place
/// algorithm of Moffat and Katajainen, which this replaced: that one keeps parent links in
/// the weight array, so each step waits on the store of the previous one; here leaves,
/// internal weights and parent links live in separate arrays and the steps overlap
/// (58 used literal symbols: about 1.7x faster).
pub(super) fn minimum_redundancy<const N: usize>(sorted: &[u32], depths: &mut [u32]) {
    let n = sorted.len().min(N);
    // Internal node k (0..n-1) has weight node_w[k] (u32::MAX until built: the queue's
    // sentinel); parents are internal node indices.
    let mut node_w = [u32::MAX; N];
    let mut node_parent = [0u16; N];
    let mut leaf_parent = [0u16; N];
    let (mut leaf, mut head) = (0usize, 0usize);
    let internal = n.saturating_sub(1);
    for k in 0..internal {
        let mut w = 0u32;
        for _ in 0..2 {
            let lw = sorted.get(leaf).map_or(u32::MAX, |&key| key >> 9);
            let nw = node_w.get(head).copied().unwrap_or(u32::MAX);
            if nw < lw {
                w = w.wrapping_add(nw);
                if let Some(p) = node_parent.get_mut(head) {
                    *p = k as u16;
                }
                head = head.wrapping_add(1);
            } else {
                w = w.wrapping_add(lw);
                if let Some(p) = leaf_parent.get_mut(leaf) {
                    *p = k as u16;
                }
                leaf = leaf.wrapping_add(1);
            }
        }
        if let Some(x) = node_w.get_mut(k) {
            *x = w;
        }
    }
    // Depths: the root (last node) is at 0; a node is one below its (later) parent.
    let mut depth = [0u8; N];
    for k in (0..internal.saturating_sub(1)).rev() {
        let p = usize::from(node_parent.get(k).copied().unwrap_or(0));
        let d = depth.get(p).copied().unwrap_or(0).wrapping_add(1);
        if let Some(x) = depth.get_mut(k) {
            *x = d;
        }
    }
    for (x, &p) in depths.iter_mut().zip(leaf_parent.iter()) {
        *x = u32::from(depth.get(usize::from(p)).copied().unwrap_or(0)).wrapping_add(1);
    }
}

/// Bits needed for the symbol data of `f` (including extra bits and end-of-block).
#[inline]
pub(super) fn data_bits(f: &Freqs, lit_len: &[u8], dist_len: &[u8]) -> u64 {
    let mut bits = f.extra_bits;
    for_each_used(&f.lit_used, |i| {
        let n = u64::from(f.lit.get(i).copied().unwrap_or(0));
        let l = u64::from(lit_len.get(i).copied().unwrap_or(0));
        bits = bits.wrapping_add(n.wrapping_mul(l));
    });
    for_each_used(&f.dist_used, |i| {
        let n = u64::from(f.dist.get(i).copied().unwrap_or(0));
        let l = u64::from(dist_len.get(i).copied().unwrap_or(0));
        bits = bits.wrapping_add(n.wrapping_mul(l));
    });
    bits
}

/// Code lengths as zlib's `build_tree` and `gen_bitlen` make them (trees.c): a binary heap
/// of the used symbols in ascending order, ordered by frequency and then by subtree depth
/// (the shallower first), two nodes merged at a time. Returns false, leaving `lens`
/// unspecified, for fewer than two used symbols (zlib then adds fake ones) or when a length
/// would exceed `limit` (zlib then rebalances): the caller uses [`huffman_lengths_used`].
/// `lens` must be zero outside the used symbols. Symbols from `N` (the alphabet size) on
/// are ignored; `H` is `2 * N + 1`.
///
/// A heap entry carries its node's key (`freq << 8 | depth`, so zlib's `smaller`, lower
/// frequency or equal and no deeper, is `<=` on keys) above the node index: a sift step
/// compares entries it has loaded, without a second load through the node.
///
/// Like [`huffman_lengths_used`], its work arrays are sized for the number of symbols used
/// (32, 96 or `N`); node positions are relative, so the lengths are the same.
#[inline]
pub(super) fn zlib_lengths<const N: usize, const H: usize>(
    freq: &[u32],
    used: &[u64; USED_WORDS],
    limit: u8,
    lens: &mut [u8],
) -> bool {
    const { assert!(H == 2 * N + 1) };
    match used_count(used) {
        0..=32 if N > 32 => zlib_lengths_in::<32, 65>(N, freq, used, limit, lens),
        33..=96 if N > 96 => zlib_lengths_in::<96, 193>(N, freq, used, limit, lens),
        _ => zlib_lengths_in::<N, H>(N, freq, used, limit, lens),
    }
}

/// [`zlib_lengths`] for the symbols below `alphabet`, with work arrays for up to `N` used
/// symbols (`H` is `2 * N + 1`).
#[inline]
fn zlib_lengths_in<const N: usize, const H: usize>(
    alphabet: usize,
    freq: &[u32],
    used: &[u64; USED_WORDS],
    limit: u8,
    lens: &mut [u8],
) -> bool {
    const NODE: u64 = 0xffff;
    const { assert!(H == 2 * N + 1) };
    // Leaves 0..m are the used symbols, ascending (`sym` maps them back); internal nodes
    // follow. The heap is 1-based, as zlib's; nodes leaving it are stored from its top
    // down (zlib's `heap_max`), parents before children.
    let mut heap = [0u64; H];
    let mut sym = [0u16; N];
    let mut dad = [0u16; H];
    let mut m = 0usize;
    for_each_used(used, |n| {
        if n < alphabet {
            let f = freq.get(n).copied().unwrap_or(0).min((1 << 24) - 1);
            if let (Some(s), Some(h)) = (sym.get_mut(m), heap.get_mut(m.wrapping_add(1))) {
                *s = n as u16;
                *h = (u64::from(f) << 24) | m as u64;
            }
            m = m.wrapping_add(1);
        }
    });
    if m < 2 {
        return false;
    }
    let at = |heap: &[u64; H], i: usize| heap.get(i).copied().unwrap_or(u64::MAX);
    let mut len = m;
    for k in (1..=len / 2).rev() {
        sift_down(&mut heap, len, k);
    }
    let mut node = m as u64;
    let mut heap_max = H;
    loop {
        let n = at(&heap, 1);
        let last = at(&heap, len);
        if let Some(h) = heap.get_mut(1) {
            *h = last;
        }
        len = len.wrapping_sub(1);
        sift_down(&mut heap, len, 1);
        let o = at(&heap, 1);
        for x in [n, o] {
            heap_max = heap_max.wrapping_sub(1);
            if let Some(h) = heap.get_mut(heap_max) {
                *h = x & NODE;
            }
            if let Some(p) = dad.get_mut((x & NODE) as usize) {
                *p = node as u16;
            }
        }
        let (kn, ko) = (n >> 16, o >> 16);
        let depth = (kn & 0xff).max(ko & 0xff).wrapping_add(1).min(255);
        let f = (kn >> 8).wrapping_add(ko >> 8).min((1 << 24) - 1);
        if let Some(h) = heap.get_mut(1) {
            *h = (((f << 8) | depth) << 16) | node;
        }
        node = node.wrapping_add(1);
        sift_down(&mut heap, len, 1);
        if len < 2 {
            break;
        }
    }
    heap_max = heap_max.wrapping_sub(1);
    let root = at(&heap, 1) & NODE;
    if let Some(h) = heap.get_mut(heap_max) {
        *h = root;
    }
    lengths_from_root::<N, H>(&heap, heap_max, &dad, &sym, m, limit, lens)
}

/// zlib's `pqdownheap` on [`zlib_lengths`]'s heap (1-based, `len` entries): sinks the entry
/// at `k0` below every child with a smaller or equal key.
#[inline]
fn sift_down<const H: usize>(heap: &mut [u64; H], len: usize, k0: usize) {
    let at = |heap: &[u64; H], i: usize| heap.get(i).copied().unwrap_or(u64::MAX);
    let v = at(heap, k0);
    let kv = v >> 16;
    let mut k = k0;
    let mut j = k << 1;
    while j <= len {
        let mut c = at(heap, j);
        if j < len {
            let r = at(heap, j.wrapping_add(1));
            if r >> 16 <= c >> 16 {
                c = r;
                j = j.wrapping_add(1);
            }
        }
        if kv <= c >> 16 {
            break;
        }
        if let Some(h) = heap.get_mut(k) {
            *h = c;
        }
        k = j;
        j <<= 1;
    }
    if let Some(h) = heap.get_mut(k) {
        *h = v;
    }
}

/// The code lengths of [`zlib_lengths`]'s tree: nodes in `heap[heap_max..]`, each after its
/// parent (`dad`), leaves `0..m` standing for symbols `sym`. Writes the leaves' depths to
/// `lens`; false if one exceeds `limit`.
#[inline]
fn lengths_from_root<const N: usize, const H: usize>(
    heap: &[u64; H],
    heap_max: usize,
    dad: &[u16; H],
    sym: &[u16; N],
    m: usize,
    limit: u8,
    lens: &mut [u8],
) -> bool {
    const NODE: u64 = 0xffff;
    let mut depth_of = [0u8; H];
    for h in heap_max.wrapping_add(1)..H {
        let n = (heap.get(h).copied().unwrap_or(u64::MAX) & NODE) as usize;
        let parent = usize::from(dad.get(n).copied().unwrap_or(0));
        let bits = depth_of.get(parent).copied().unwrap_or(0).wrapping_add(1);
        if bits > limit {
            return false;
        }
        if let Some(d) = depth_of.get_mut(n) {
            *d = bits;
        }
        if n < m
            && let Some(l) = lens.get_mut(usize::from(sym.get(n).copied().unwrap_or(0)))
        {
            *l = bits;
        }
    }
    true
}
