//! Huffman decoding tables: the entry format and table construction.
//!
//! A [`Huffman`] table answers codes of up to `log2(FAST)` bits with one lookup and the rest
//! through a checked slow path; every entry carries its symbol whole (see the entry format
//! below). Construction refuses lengths over 15, over-subscribed codes, and incomplete codes
//! except where C zlib (`inftrees.c`) tolerates them: a literal/length or distance code
//! with a single code, of length 1, or a distance code with no codes at all (a block
//! without matches). The unassigned codes of those are caught while decoding, never read
//! as a symbol.

use super::*;

/// Lookup-table sizes: literal/length codes 9 bits, distance codes 8, code-length codes 7
/// (their longest).
pub(super) const LIT_FAST: usize = 1 << 9;
pub(super) const DIST_FAST: usize = 1 << 8;
pub(super) const CL_FAST: usize = 1 << 7;

pub(super) type LitHuffman = Huffman<LIT_FAST>;
pub(super) type DistHuffman = Huffman<DIST_FAST>;

// A decoded symbol, as a table entry (`u32`):
//   bits 0..8    the bits a table hit consumes: the code length, plus the extra bits of a
//                length or distance,
//   bits 8..16   a literal's byte (or a code-length symbol); for anything else the code
//                length (bits 8..12) and the kind (bits 12..16, below),
//   bits 16..31  a length or distance base,
//   bit 31       set for anything but a literal.
// A literal is stored straight from bits 8..16, and shifting the bit buffer by the whole
// entry consumes its code (shifts take the count modulo 64).
pub(super) const NOT_LIT: u32 = 1 << 31;
pub(super) const KIND: u32 = NOT_LIT | 0xf000;
/// A length or distance: base in bits 16..31, extra bits = consumed - code length.
pub(super) const K_BASE: u32 = NOT_LIT | 0x1000;
/// End of block.
pub(super) const K_EOB: u32 = NOT_LIT | 0x2000;
/// A symbol with no meaning (literal/length 286 and 287, distance 30 and 31).
pub(super) const K_BAD: u32 = NOT_LIT | 0x4000;
/// No table entry: a code longer than the table, or unused (decoded bit by bit).
pub(super) const K_SLOW: u32 = NOT_LIT | 0x8000;

#[inline(always)]
pub(super) const fn is_lit(e: u32) -> bool {
    e & NOT_LIT == 0
}

/// The entry's code length (its extra bits excluded).
#[inline(always)]
pub(super) const fn code_len(e: u32) -> u32 {
    if is_lit(e) { e & 0xff } else { (e >> 8) & 15 }
}

/// The extra bits of a length or distance entry.
#[inline(always)]
pub(super) const fn extra_bits(e: u32) -> u32 {
    (e & 0xff).wrapping_sub(code_len(e))
}

/// A length or distance entry's base.
#[inline(always)]
pub(super) const fn base(e: u32) -> usize {
    ((e >> 16) & 0x7fff) as usize
}

/// The entry for a symbol's `info` (below) and code length.
pub(super) const fn with_len(info: u32, len: u32) -> u32 {
    if is_lit(info) {
        info.wrapping_add(len)
    } else {
        info.wrapping_add(len << 8).wrapping_add(len)
    }
}

/// The entry of literal/length symbol `sym`, without its code length.
#[inline]
pub(super) fn lit_info(sym: usize) -> u32 {
    match sym {
        0..=255 => (sym as u32) << 8,
        256 => K_EOB,
        _ => {
            let i = sym.wrapping_sub(257);
            match (LEN_BASE.get(i), LEN_EXTRA.get(i)) {
                (Some(&b), Some(&x)) => u32::from(b) << 16 | K_BASE | u32::from(x),
                _ => K_BAD,
            }
        }
    }
}

/// The entry of distance symbol `sym`, without its code length.
#[inline]
pub(super) fn dist_info(sym: usize) -> u32 {
    match (DIST_BASE.get(sym), DIST_EXTRA.get(sym)) {
        (Some(&b), Some(&x)) => u32::from(b) << 16 | K_BASE | u32::from(x),
        _ => K_BAD,
    }
}

/// The entry of code-length symbol `sym`: the symbol itself, as a literal.
#[inline]
pub(super) fn cl_info(sym: usize) -> u32 {
    (sym as u32) << 8
}

/// Which of a deflate block's codes a table decodes: what it may leave incomplete, and how
/// its errors name it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Code {
    /// The code-length code of a dynamic block's header: must be complete.
    Lengths,
    /// The literal/length code: complete, or the end-of-block code alone, of length 1.
    LitLen,
    /// The distance code: complete, one code of length 1, or none.
    Dist,
}

impl Code {
    const fn over_subscribed(self) -> Error {
        Error::Malformed(match self {
            Self::Lengths => "over-subscribed zlib code-length code",
            Self::LitLen => "over-subscribed zlib literal/length code",
            Self::Dist => "over-subscribed zlib distance code",
        })
    }

    const fn incomplete(self) -> Error {
        Error::Malformed(match self {
            Self::Lengths => "incomplete zlib code-length code",
            Self::LitLen => "incomplete zlib literal/length code",
            Self::Dist => "incomplete zlib distance code",
        })
    }
}

/// A canonical Huffman decoder: a lookup table of `FAST` (a power of two, at most 2^15)
/// entries plus counting decode for longer codes.
pub(super) struct Huffman<const FAST: usize> {
    /// Entries (see `KIND`); [`K_SLOW`] when the code is longer than the table's bits (or
    /// unused).
    pub(super) fast: [u32; FAST],
    pub(super) count: [u16; 16],
    pub(super) symbols: [u16; 288],
}

impl<const FAST: usize> Huffman<FAST> {
    const BITS: u32 = FAST.trailing_zeros();
    const MASK: u64 = (FAST as u64).wrapping_sub(1);

    pub(super) const fn empty() -> Self {
        Self {
            fast: [K_SLOW; FAST],
            count: [0; 16],
            symbols: [0; 288],
        }
    }

    /// Builds the decoder of `code` for code lengths `lens` (at most 288), `info` giving
    /// each symbol's entry.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a length over 15, an over-subscribed code, or an incomplete
    /// one that C zlib refuses (see [`Code`]).
    ///
    /// The table is filled length by length: the codes of length `len` take one entry each
    /// in a table of `2^len` entries, which is then doubled by copying for the next length,
    /// so each entry is written once by a copy instead of once per code replicated into it.
    #[inline]
    pub(super) fn new(code: Code, lens: &[u8], info: impl Fn(usize) -> u32) -> Result<Self, Error> {
        let mut h = Self::empty();
        h.build(code, lens, info)?;
        Ok(h)
    }

    /// [`Self::new`] in place (nothing of the previous code survives).
    #[inline]
    pub(super) fn build(
        &mut self,
        code: Code,
        lens: &[u8],
        info: impl Fn(usize) -> u32,
    ) -> Result<(), Error> {
        let h = self;
        h.count = [0; 16];
        let mut too_long = false;
        for_each_nonzero(lens, |_, l| {
            too_long |= l > 15;
            if let Some(c) = h.count.get_mut(usize::from(l & 15)) {
                *c = c.wrapping_add(1);
            }
        });
        if too_long {
            return Err(BAD);
        }
        // `left`: the codes of the current length not yet assigned. Below zero the code is
        // over-subscribed; above zero at the end, incomplete.
        let mut left: i32 = 1;
        let mut offs = [0u16; 16];
        for len in 1..16usize {
            left = left
                .wrapping_mul(2)
                .wrapping_sub(i32::from(h.count.get(len).copied().unwrap_or(0)));
            if left < 0 {
                return Err(code.over_subscribed());
            }
            let prev = offs
                .get(len.wrapping_sub(1))
                .copied()
                .unwrap_or(0)
                .wrapping_add(h.count.get(len.wrapping_sub(1)).copied().unwrap_or(0));
            if let Some(o) = offs.get_mut(len) {
                *o = prev;
            }
        }
        // Incomplete: refused, as C zlib does, unless the code has no codes at all (2^15
        // left) or a single one of length 1 (2^14 left, one code of length 1), and is not
        // the code-length code.
        if left > 0
            && (code == Code::Lengths
                || !(left == 1 << 15 || left == 1 << 14 && h.count.get(1) == Some(&1)))
        {
            return Err(code.incomplete());
        }
        if let Some(o) = offs.get_mut(1) {
            *o = 0;
        }
        // Symbols sorted by code length, then symbol: the canonical order.
        let mut start = offs;
        for_each_nonzero(lens, |sym, l| {
            if let Some(o) = start.get_mut(usize::from(l & 15)) {
                if let Some(s) = h.symbols.get_mut(usize::from(*o)) {
                    *s = sym as u16;
                }
                *o = o.wrapping_add(1);
            }
        });
        // Lengths below the shortest code have no entries: start the doubling there (the
        // entries of that first table are all empty).
        let min_len = (1..=Self::BITS as usize)
            .find(|&len| h.count.get(len).copied().unwrap_or(0) != 0)
            .unwrap_or(Self::BITS as usize);
        let mut size = 1usize << min_len;
        h.fast.get_mut(..size).unwrap_or(&mut []).fill(K_SLOW);
        let mut code = 0u32;
        let mut idx = 0usize;
        for len in 1..=(Self::BITS as usize) {
            if len > min_len {
                if let Some((lo, hi)) = h.fast.split_at_mut_checked(size)
                    && let Some(dst) = hi.get_mut(..size)
                {
                    dst.copy_from_slice(lo);
                }
                size = size.wrapping_mul(2);
            }
            let n = usize::from(h.count.get(len).copied().unwrap_or(0));
            let syms = h.symbols.get(idx..idx.wrapping_add(n)).unwrap_or(&[]);
            for &sym in syms {
                let rev = (code.reverse_bits() >> (32u32.wrapping_sub(len as u32))) as usize;
                if let Some(e) = h.fast.get_mut(rev) {
                    *e = with_len(info(usize::from(sym)), len as u32);
                }
                code = code.wrapping_add(1);
            }
            idx = idx.wrapping_add(n);
            code <<= 1;
        }
        Ok(())
    }

    /// The table entry for the next bits (whether or not that many bits are buffered).
    #[inline(always)]
    pub(super) fn lookup(&self, buf: u64) -> u32 {
        self.fast
            .get((buf & Self::MASK) as usize)
            .copied()
            .unwrap_or(K_SLOW)
    }

    /// Decodes one symbol and consumes its code (not its extra bits): one table lookup, or
    /// [`Self::decode_slow`] for a code longer than the table (or an unused or truncated
    /// one).
    #[inline]
    pub(super) fn decode(
        &self,
        r: &mut Bits<'_>,
        info: impl Fn(usize) -> u32,
    ) -> Result<u32, Error> {
        if r.cnt < 15 {
            r.refill();
        }
        let e = self.lookup(r.buf);
        let l = code_len(e);
        if e & K_SLOW != K_SLOW && l <= r.cnt {
            r.consume(l);
            return Ok(e);
        }
        self.decode_slow(r, e, info)
    }

    #[cold]
    #[inline(never)]
    pub(super) fn decode_slow(
        &self,
        r: &mut Bits<'_>,
        entry: u32,
        info: impl Fn(usize) -> u32,
    ) -> Result<u32, Error> {
        if entry & K_SLOW != K_SLOW {
            return Err(TRUNCATED);
        }
        // Canonical decoding one bit at a time (codes longer than the table).
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16u32 {
            code |= r.bits(1)? as i32;
            let count = i32::from(self.count.get(len as usize).copied().unwrap_or(0));
            if code.wrapping_sub(first) < count {
                let i = index.wrapping_add(code.wrapping_sub(first)) as usize;
                let sym = self.symbols.get(i).ok_or(BAD)?;
                return Ok(with_len(info(usize::from(*sym)), len));
            }
            index = index.wrapping_add(count);
            first = first.wrapping_add(count).wrapping_shl(1);
            code = code.wrapping_shl(1);
        }
        Err(BAD)
    }
}

/// Calls `f(symbol, length)` for every non-zero code length in order, skipping eight zero
/// lengths at a time (a dynamic block's literal lengths are mostly zero runs).
#[inline]
pub(super) fn for_each_nonzero(lens: &[u8], mut f: impl FnMut(usize, u8)) {
    let (chunks, tail) = lens.as_chunks::<8>();
    for (ci, c) in chunks.iter().enumerate() {
        if u64::from_ne_bytes(*c) == 0 {
            continue;
        }
        for (j, &l) in c.iter().enumerate() {
            if l != 0 {
                f((ci << 3) | j, l);
            }
        }
    }
    let base = chunks.len() << 3;
    for (j, &l) in tail.iter().enumerate() {
        if l != 0 {
            f(base.wrapping_add(j), l);
        }
    }
}
