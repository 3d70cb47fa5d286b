//! The decoder: exactly one zlib stream, strictly, within an output limit.
//!
//! Contract: [`zlib_decompress`] returns the stream's output, or an [`Error`] and nothing
//! else. It accepts every block type (stored, fixed, dynamic; any number of blocks, so
//! sync-flushed streams too) and refuses: a bad header or a preset dictionary
//! ([`Error::Malformed`]), output beyond the caller's limit ([`Error::OutputTooLarge`],
//! checked as the output grows), over-subscribed codes and incomplete ones where C zlib
//! refuses them (see `huffman`), invalid symbols, lengths or distances, a truncated stream,
//! a wrong Adler-32, non-zero padding bits, and any byte after the Adler-32 trailer: C
//! zlib's verdict, plus those last two refusals. Deflate is not canonical: other streams
//! (another encoder, an empty stored block, ...) may decode to the same output.
//!
//! Its state is a few small tables on the stack, with no multi-KiB decompressor to set up
//! per call: the fixed code's tables are built once per process; a dynamic block's are
//! built in place (9/8/7-bit lookup tables filled length by length, doubling by copy).
//!
//! Decoding. A table entry carries its symbol whole: a literal's byte, or a length or
//! distance base with its extra-bit count, and the bits a hit consumes. While 8 input bytes
//! remain, one unaligned load tops the 64-bit bit buffer up to at least 56 bits, enough for
//! six literals or a literal run and a match (at most 35 bits), so those are taken without
//! truncation checks. Literals go into zero-initialised room (one store each), short
//! non-overlapping matches as one 16-byte copy. For the fixed code, whose literals are 8 or
//! 9 bits, the next entry's index is picked from both candidates by the length's low bit
//! rather than computed after the shift (a shorter dependency chain). Everything else (the
//! last input bytes, codes longer than the tables, invalid symbols, output past the room)
//! takes a careful one-symbol path that makes every check.
//!
//! Zlib bombs. Matches longer than their distance are a fill (distance 1) or doubling
//! copies of the period, not a byte loop; past the room, output is appended without
//! zero-filling, and a copy that continues the previous one's period starts from further
//! back in that periodic stretch. A 1 KiB stream of 1 MiB of zeros is refused at a
//! 256 KiB limit after producing 256 KiB, in tens of microseconds (bench group
//! `zlib bomb refusal` in agora-dynamic-key).
//!
//! Layout: the table entry format and table construction are in `huffman`; the bit reader,
//! output, block and symbol decoding here.
//!
//! Measurements and history: `docs/design/small-zlib.md`.

use std::sync::OnceLock;

use crate::Error;
use crate::adler::adler32;
use crate::deflate::CL_ORDER;
use huffman::*;

mod huffman;

const TRUNCATED: Error = Error::Malformed("truncated zlib stream");
const BAD: Error = Error::Malformed("invalid zlib stream");

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Inflates a whole zlib stream, refusing more than `limit` output bytes.
pub(crate) fn zlib_decompress(input: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    let (&cmf, &flg) = match input {
        [a, b, ..] => (a, b),
        _ => return Err(TRUNCATED),
    };
    if cmf & 0x0f != 8 || cmf >> 4 > 7 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
        return Err(Error::Malformed("invalid zlib header"));
    }
    if flg & 0x20 != 0 {
        return Err(Error::Malformed("zlib preset dictionary is not supported"));
    }
    let mut r = Bits {
        data: input.get(2..).unwrap_or(&[]),
        pos: 0,
        buf: 0,
        cnt: 0,
    };
    let buf = zeroed(input.len().saturating_mul(3).min(limit));
    let mut out = Out {
        buf,
        pos: 0,
        limit,
        run: Run::default(),
    };
    blocks(&mut r, &mut out)?;
    r.align_strict()?;
    let rest = r.remaining_bytes();
    let out = out.finish();
    match rest {
        [a, b, c, d] => {
            if u32::from_be_bytes([*a, *b, *c, *d]) != adler32(&out) {
                return Err(Error::Malformed("zlib checksum mismatch"));
            }
        }
        _ if rest.len() < 4 => return Err(TRUNCATED),
        _ => return Err(Error::Malformed("data after the end of the zlib stream")),
    }
    Ok(out)
}

/// Decodes the deflate blocks up to and including the last one (padding and trailer are
/// the caller's).
#[inline(always)]
fn blocks(r: &mut Bits<'_>, out: &mut Out) -> Result<(), Error> {
    // Decoding tables for dynamic blocks, set up on the first one and rebuilt in place.
    let mut tables: Option<Tables> = None;
    loop {
        let last = r.bits(1)?;
        match r.bits(2)? {
            0 => stored(r, out)?,
            1 => {
                let (lit, dist) = fixed();
                codes::<true>(r, out, lit, dist)?;
            }
            2 => {
                let t = tables.get_or_insert_with(Tables::empty);
                dynamic(r, t)?;
                codes::<false>(r, out, &t.lit, &t.dist)?;
            }
            _ => return Err(BAD),
        }
        if last == 1 {
            break;
        }
    }
    Ok(())
}

/// `n` zero bytes.
#[allow(
    clippy::slow_vector_initialization,
    reason = "`vec![0; n]` is calloc, ~150 instructions slower here than malloc + memset \
              (glibc's calloc bypasses the thread cache); `extend(repeat_n)` is slower still"
)]
fn zeroed(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, 0);
    v
}

/// LSB-first bit reader.
#[derive(Clone, Copy)]
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    cnt: u32,
}

impl<'a> Bits<'a> {
    /// Tops the buffer up to at least 56 bits with one unaligned load when 8 input bytes
    /// remain (returns whether it could). The bits above `cnt` may hold the next input bits
    /// already; a reload writes the same bits there again.
    #[inline(always)]
    fn refill8(&mut self) -> bool {
        let Some(chunk) = self
            .data
            .get(self.pos..self.pos.wrapping_add(8))
            .and_then(|rest| rest.first_chunk::<8>())
        else {
            return false;
        };
        let c = self.cnt & 63;
        self.buf |= u64::from_le_bytes(*chunk) << c;
        self.pos = self.pos.wrapping_add(((63 ^ c) >> 3) as usize);
        self.cnt = c | 56;
        true
    }

    /// [`Self::refill8`], else byte by byte (near the end of the input).
    fn refill(&mut self) {
        if self.refill8() {
            return;
        }
        while self.cnt <= 56 {
            let Some(&b) = self.data.get(self.pos) else {
                break;
            };
            self.buf |= u64::from(b).wrapping_shl(self.cnt);
            self.cnt = self.cnt.wrapping_add(8);
            self.pos = self.pos.wrapping_add(1);
        }
    }

    fn bits(&mut self, n: u32) -> Result<u32, Error> {
        if self.cnt < n {
            self.refill();
            if self.cnt < n {
                return Err(TRUNCATED);
            }
        }
        let v = (self.buf & (1u64.wrapping_shl(n).wrapping_sub(1))) as u32;
        self.consume(n);
        Ok(v)
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.buf = self.buf.wrapping_shr(n);
        self.cnt = self.cnt.wrapping_sub(n);
    }

    /// Drops the bits up to the next byte boundary; they must be zero.
    fn align_strict(&mut self) -> Result<(), Error> {
        let pad = self.cnt % 8;
        if self.bits(pad)? != 0 {
            return Err(Error::Malformed("non-zero zlib padding bits"));
        }
        Ok(())
    }

    /// The unread input once byte-aligned (returns the buffered whole bytes to the input).
    fn remaining_bytes(&mut self) -> &'a [u8] {
        let back = (self.cnt / 8) as usize;
        self.pos = self.pos.saturating_sub(back);
        self.buf = 0;
        self.cnt = 0;
        self.data.get(self.pos..).unwrap_or(&[])
    }
}

const FAR: Error = Error::Malformed("invalid zlib distance");

/// The output: `buf[..pos]` is the inflated data; `buf[pos..]` is zero-initialised room
/// (never beyond the limit), so a literal is one bounds-checked store.
struct Out {
    buf: Vec<u8>,
    pos: usize,
    limit: usize,
    /// The last overlapping copy past the room: `buf[start..end]` repeats with `period`.
    run: Run,
}

/// A stretch of output known to repeat with a period (see [`Out::copy_match_grow`]).
#[derive(Clone, Copy, Default)]
struct Run {
    start: usize,
    end: usize,
    period: usize,
}

impl Out {
    /// The error for output past the caller's limit.
    #[cold]
    const fn too_large(&self) -> Error {
        Error::OutputTooLarge { limit: self.limit }
    }

    #[inline(always)]
    fn put(&mut self, b: u8) -> Result<(), Error> {
        if let Some(slot) = self.buf.get_mut(self.pos) {
            *slot = b;
            self.pos = self.pos.wrapping_add(1);
            return Ok(());
        }
        self.put_grow(b)
    }

    /// A literal past the room: refused at the limit, else more room (all the vector's
    /// capacity, at least double) and the store.
    #[cold]
    #[inline(never)]
    fn put_grow(&mut self, b: u8) -> Result<(), Error> {
        if self.pos >= self.limit {
            return Err(self.too_large());
        }
        self.buf.truncate(self.pos);
        let room = self
            .buf
            .capacity()
            .max(self.pos.saturating_mul(2))
            .max(64)
            .min(self.limit);
        self.buf.push(b);
        self.buf.resize(room, 0);
        self.pos = self.pos.wrapping_add(1);
        Ok(())
    }

    /// Appends bytes (a stored block).
    fn extend(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if self.pos.saturating_add(chunk.len()) > self.limit {
            return Err(self.too_large());
        }
        self.buf.truncate(self.pos);
        self.buf.extend_from_slice(chunk);
        self.pos = self.buf.len();
        Ok(())
    }

    /// Copies `len` bytes from `d` back.
    fn copy_match(&mut self, d: usize, len: usize) -> Result<(), Error> {
        let pos = self.pos;
        let start = pos.checked_sub(d).ok_or(FAR)?;
        let end = pos.wrapping_add(len);
        if end > self.buf.len() {
            return self.copy_match_grow(start, d, len);
        }
        copy_within_room(&mut self.buf, start, pos, end);
        self.pos = end;
        Ok(())
    }

    /// A match past the room: refused beyond the limit, else appended to the vector
    /// (amortised growth, no zero-filling first: what zlib bombs exercise).
    #[inline(always)]
    fn copy_match_grow(&mut self, start: usize, d: usize, len: usize) -> Result<(), Error> {
        if self.pos.saturating_add(len) > self.limit {
            return Err(self.too_large());
        }
        if d == 1 {
            // A run of the last byte (what zlib bombs are made of): a fill.
            let out = &mut self.buf;
            out.truncate(self.pos);
            let b = out.last().copied().unwrap_or(0);
            out.extend(core::iter::repeat_n(b, len));
            self.pos = out.len();
            return Ok(());
        }
        self.copy_grow(start, d, len);
        Ok(())
    }

    /// [`Self::copy_match_grow`] for distances above 1.
    #[inline(never)]
    fn copy_grow(&mut self, start: usize, d: usize, len: usize) {
        let out = &mut self.buf;
        out.truncate(self.pos);
        if d >= len {
            out.extend_from_within(start..start.wrapping_add(len));
        } else {
            // Overlapping: the output from `start` repeats with period `d`, so copying
            // everything from `start` so far (d, 2d, 4d, ... bytes) continues it. When the
            // previous such copy had the same period and ended here, the periodic stretch
            // starts further back: copying from there takes one or two copies, not
            // log2(len / d) (runs of "abc" matches in a bomb).
            let pos = out.len();
            let run_start = if self.run.period == d && self.run.end == pos {
                self.run.start
            } else {
                start
            };
            // `buf[run_start..pos]` repeats with period `d`: step the source back by what
            // lies between it and `pos` (a multiple of `d`), doubling, while that is
            // shorter than the match.
            let (mut src, mut span) = (start, d);
            while span < len
                && let Some(s) = src.checked_sub(span)
                && s >= run_start
            {
                src = s;
                span = span.wrapping_mul(2);
            }
            let end = pos.wrapping_add(len);
            while out.len() < end {
                let n = out.len().wrapping_sub(src).min(end.wrapping_sub(out.len()));
                out.extend_from_within(src..src.wrapping_add(n));
            }
            self.run = Run {
                start: run_start,
                end,
                period: d,
            };
        }
        self.pos = out.len();
    }

    fn finish(mut self) -> Vec<u8> {
        self.buf.truncate(self.pos);
        self.buf
    }
}

/// Writes `buf[pos..end]` as a copy of `buf[start..]` (`start < pos <= end <= buf.len()`):
/// one copy when the distance is at least the length, a fill for distance 1, else doubling
/// copies of everything from `start` (the output repeats with period `pos - start`).
#[inline(always)]
fn copy_within_room(buf: &mut [u8], start: usize, pos: usize, end: usize) {
    let d = pos.wrapping_sub(start);
    let len = end.wrapping_sub(pos);
    if len <= 16 && d >= len {
        // A short match that does not overlap itself (most of a token's): one 16-byte
        // copy through a local, no library call. Bytes past `start + len` are read but
        // only land past `end`, in the room (scratch, overwritten later).
        if let Some(&chunk) = buf
            .get(start..start.wrapping_add(16))
            .and_then(|c| c.first_chunk::<16>())
            && let Some(dst) = buf
                .get_mut(pos..pos.wrapping_add(16))
                .and_then(|c| c.first_chunk_mut::<16>())
        {
            *dst = chunk;
            return;
        }
    }
    if d == 1 {
        let b = buf.get(start).copied().unwrap_or(0);
        if let Some(run) = buf.get_mut(pos..end) {
            run.fill(b);
        }
        return;
    }
    let mut p = pos;
    while p < end {
        let n = p.wrapping_sub(start).min(end.wrapping_sub(p));
        let Some((head, tail)) = buf.split_at_mut_checked(p) else {
            return;
        };
        if let (Some(src), Some(dst)) = (head.get(start..start.wrapping_add(n)), tail.get_mut(..n))
        {
            dst.copy_from_slice(src);
        }
        p = p.wrapping_add(n);
    }
}

fn stored(r: &mut Bits<'_>, out: &mut Out) -> Result<(), Error> {
    r.align_strict()?;
    let len = r.bits(16)?;
    let nlen = r.bits(16)?;
    if len != !nlen & 0xffff {
        return Err(Error::Malformed("invalid stored block length"));
    }
    let rest = r.remaining_bytes();
    let len = len as usize;
    let chunk = rest.get(..len).ok_or(TRUNCATED)?;
    out.extend(chunk)?;
    r.pos = r.pos.wrapping_add(len);
    Ok(())
}

/// The fixed code's decoders (RFC 1951 §3.2.6), built once per process.
fn fixed() -> (&'static LitHuffman, &'static DistHuffman) {
    static FIXED: OnceLock<Option<(LitHuffman, DistHuffman)>> = OnceLock::new();
    static EMPTY: (LitHuffman, DistHuffman) = (Huffman::empty(), Huffman::empty());
    let tables = FIXED.get_or_init(|| {
        let lit: Vec<u8> = (0..288usize)
            .map(|i| match i {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            })
            .collect();
        Some((
            Huffman::new(Code::LitLen, &lit, lit_info).ok()?,
            // All 32 distance codes (30 and 31 are invalid symbols): a complete code.
            Huffman::new(Code::Dist, &[5u8; 32], dist_info).ok()?,
        ))
    });
    match tables {
        Some((a, b)) => (a, b),
        // Unreachable in practice: the fixed code is valid. Empty tables decode nothing.
        None => (&EMPTY.0, &EMPTY.1),
    }
}

/// The decoders of a dynamic block.
struct Tables {
    lit: LitHuffman,
    dist: DistHuffman,
    cl: Huffman<CL_FAST>,
}

impl Tables {
    const fn empty() -> Self {
        Self {
            lit: Huffman::empty(),
            dist: Huffman::empty(),
            cl: Huffman::empty(),
        }
    }
}

/// Reads a dynamic block's header into `t`.
fn dynamic(r: &mut Bits<'_>, t: &mut Tables) -> Result<(), Error> {
    let hlit = (r.bits(5)? as usize).wrapping_add(257);
    let hdist = (r.bits(5)? as usize).wrapping_add(1);
    let hclen = (r.bits(4)? as usize).wrapping_add(4);
    if hlit > 286 || hdist > 30 {
        return Err(BAD);
    }
    let mut cl = [0u8; 19];
    for &i in CL_ORDER.iter().take(hclen) {
        if let Some(x) = cl.get_mut(i) {
            *x = r.bits(3)? as u8;
        }
    }
    t.cl.build(Code::Lengths, &cl, cl_info)?;
    let clh = &t.cl;
    let mut lens = [0u8; 316];
    let total = hlit.wrapping_add(hdist);
    let mut i = 0usize;
    while i < total {
        let sym = ((clh.decode(r, cl_info)? >> 8) & 0xff) as usize;
        if sym < 16 {
            // A single length (the common case): no run to fill.
            *lens.get_mut(i).ok_or(BAD)? = sym as u8;
            i = i.wrapping_add(1);
            continue;
        }
        let (val, rep) = match sym {
            16 => {
                let prev = i
                    .checked_sub(1)
                    .and_then(|p| lens.get(p))
                    .copied()
                    .ok_or(BAD)?;
                (prev, 3usize.wrapping_add(r.bits(2)? as usize))
            }
            17 => (0, 3usize.wrapping_add(r.bits(3)? as usize)),
            18 => (0, 11usize.wrapping_add(r.bits(7)? as usize)),
            _ => return Err(BAD),
        };
        let end = i.wrapping_add(rep);
        if end > total {
            return Err(BAD);
        }
        lens.get_mut(i..end).ok_or(BAD)?.fill(val);
        i = end;
    }
    let (lit, dist) = lens.get(..total).ok_or(BAD)?.split_at(hlit);
    if lit.get(256).copied().unwrap_or(0) == 0 {
        return Err(BAD); // no end-of-block code
    }
    t.lit.build(Code::LitLen, lit, lit_info)?;
    t.dist.build(Code::Dist, dist, dist_info)
}

/// Decodes a distance (code and extra bits) one careful step at a time.
fn distance(r: &mut Bits<'_>, dist: &DistHuffman) -> Result<usize, Error> {
    let e = dist.decode(r, dist_info)?;
    if e & KIND != K_BASE {
        return Err(BAD);
    }
    Ok(base(e).wrapping_add(r.bits(extra_bits(e))? as usize))
}

/// Decodes one symbol (and a match's distance) one careful step at a time, each checked
/// for truncation; returns whether it was the end of the block.
#[inline(never)]
fn careful_symbol(
    r: &mut Bits<'_>,
    out: &mut Out,
    lit: &LitHuffman,
    dist: &DistHuffman,
) -> Result<bool, Error> {
    let e = lit.decode(r, lit_info)?;
    if is_lit(e) {
        out.put((e >> 8) as u8)?;
        return Ok(false);
    }
    match e & KIND {
        K_EOB => return Ok(true),
        K_BASE => {
            let len = base(e).wrapping_add(r.bits(extra_bits(e))? as usize);
            let d = distance(r, dist)?;
            out.copy_match(d, len)?;
        }
        _ => return Err(BAD),
    }
    Ok(false)
}

/// Decodes a block's symbols up to its end.
///
/// While 8 input bytes remain, a refill buffers at least 56 bits, enough for three
/// literals (9 bits at most from the table) or two literals and a match (35 bits at most:
/// 9 + 5 extra, then 8 + 13 extra): table hits are taken whole without checking for
/// truncation, and the bit buffer and output position live in locals (registers) meanwhile.
/// Everything else (the last bytes, codes longer than the tables, invalid symbols, output
/// past the room) goes through [`careful_symbol`].
fn codes<const FIXED: bool>(
    r: &mut Bits<'_>,
    out: &mut Out,
    lit: &LitHuffman,
    dist: &DistHuffman,
) -> Result<(), Error> {
    let mut b = *r;
    let mut opos = out.pos;
    loop {
        let room = out.buf.as_mut_slice();
        if b.refill8() {
            let mut e = lit.lookup(b.buf);
            if is_lit(e)
                && let Some(window) = room
                    .get_mut(opos..opos.wrapping_add(8))
                    .and_then(|w| w.first_chunk_mut::<8>())
            {
                let n;
                (n, e) = literal_run::<FIXED>(&mut b, lit, window, e);
                opos = opos.wrapping_add(n);
                if n == 6 {
                    continue;
                }
                // A match takes up to 35 bits; `e`'s code (at most 9 bits) is buffered.
                if b.cnt < 35 && !b.refill8() {
                    *r = b;
                    out.pos = opos;
                    if careful_symbol(r, out, lit, dist)? {
                        return Ok(());
                    }
                    b = *r;
                    opos = out.pos;
                    continue;
                }
            }
            if e & KIND == K_BASE {
                let total = e & 0xff;
                let extra = (b.buf & !(u64::MAX << total)) >> code_len(e);
                let len = base(e).wrapping_add(extra as usize);
                b.consume(total);
                let de = dist.lookup(b.buf);
                let d = if de & KIND == K_BASE {
                    let total = de & 0xff;
                    let extra = (b.buf & !(u64::MAX << total)) >> code_len(de);
                    b.consume(total);
                    base(de).wrapping_add(extra as usize)
                } else {
                    *r = b;
                    let d = distance(r, dist);
                    b = *r;
                    d?
                };
                let start = opos.checked_sub(d).ok_or(FAR)?;
                let end = opos.wrapping_add(len);
                if end <= room.len() {
                    copy_within_room(room, start, opos, end);
                    opos = end;
                } else {
                    out.pos = opos;
                    out.copy_match_grow(start, d, len)?;
                    opos = out.pos;
                }
                continue;
            }
            if e & KIND == K_EOB {
                b.consume(e & 0xff);
                *r = b;
                out.pos = opos;
                return Ok(());
            }
        }
        if careful_at(r, &mut b, out, &mut opos, lit, dist)? {
            return Ok(());
        }
    }
}

/// Takes up to six literals, the first being `e` (a literal entry whose code is buffered),
/// into `window` while at least 54 bits are buffered, with no bounds checks: returns how
/// many, leaving in `e` the entry of the next symbol.
#[inline(always)]
fn literal_run<const FIXED: bool>(
    b: &mut Bits<'_>,
    lit: &LitHuffman,
    window: &mut [u8; 8],
    mut e: u32,
) -> (usize, u32) {
    let mut n = 0usize;
    for slot in window.iter_mut().take(6) {
        if !is_lit(e) {
            break;
        }
        *slot = (e >> 8) as u8;
        if FIXED {
            // The fixed code's literals are 8 or 9 bits: the next entry is at `buf >> 8` or
            // `buf >> 9`, picked by the length's low bit, so the next lookup waits for a
            // flag test instead of the buffer shift (the chain lookup -> shift -> mask ->
            // lookup bounds this loop; about 5% off our stream's inflate time).
            let next8 = lit.lookup(b.buf >> 8);
            let next9 = lit.lookup(b.buf >> 9);
            b.buf = b.buf.wrapping_shr(e);
            b.cnt = b.cnt.wrapping_sub(e);
            e = if e & 1 != 0 { next9 } else { next8 };
        } else {
            // Whole-entry shift and subtraction: only the low bits count (the count's low
            // byte cannot borrow, its code being buffered).
            b.buf = b.buf.wrapping_shr(e);
            b.cnt = b.cnt.wrapping_sub(e);
            e = lit.lookup(b.buf);
        }
        n = n.wrapping_add(1);
    }
    b.cnt &= 0xff;
    (n, e)
}

/// [`careful_symbol`] from the fast loop's state (the bit reader `b` and output position
/// `opos` it keeps in locals), which it updates: returns whether the block ended.
#[inline(always)]
fn careful_at<'a>(
    r: &mut Bits<'a>,
    b: &mut Bits<'a>,
    out: &mut Out,
    opos: &mut usize,
    lit: &LitHuffman,
    dist: &DistHuffman,
) -> Result<bool, Error> {
    *r = *b;
    out.pos = *opos;
    let eob = careful_symbol(r, out, lit, dist)?;
    *b = *r;
    *opos = out.pos;
    Ok(eob)
}

#[cfg(test)]
mod tests;
