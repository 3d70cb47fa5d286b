//! Strict standard base64 decoding (RFC 4648 §4, `=`-padded) into a caller's buffer, and
//! the encoding the 007 builder appends to its token.
//!
//! Accepts exactly what `base64`'s `STANDARD` engine accepts (a length that is a multiple
//! of 4, one or two `=` only at the very end, zero trailing bits) and nothing else, but
//! writes into a buffer the caller provides (the 007 parser's is on the stack) and decodes
//! two quads per step through pre-placed tables: one lookup per character, the quad's
//! three bytes assembled by OR already in memory order, an invalid character flagged by
//! bit 31. The 007 benchmark token's 208 characters: about 0.81k instructions, against
//! 1.9k for `STANDARD.decode` (which also allocates a zeroed `Vec`).

/// A character outside the alphabet: bit 31 (valid entries stay below 2^24).
const INVALID: u32 = 0x8000_0000;

/// The 6-bit value of a standard-alphabet character, or [`INVALID`].
const fn value(c: u8) -> u32 {
    match c {
        b'A'..=b'Z' => c.wrapping_sub(b'A') as u32,
        b'a'..=b'z' => c.wrapping_sub(b'a').wrapping_add(26) as u32,
        b'0'..=b'9' => c.wrapping_sub(b'0').wrapping_add(52) as u32,
        b'+' => 62,
        b'/' => 63,
        _ => INVALID,
    }
}

/// Every byte's value placed where character `pos` (0..4) of a quad puts its bits in the
/// quad's three output bytes, little-endian (byte 0 in bits 0..8), [`INVALID`] kept as is:
/// OR-ing a quad's four entries gives its bytes in memory order.
const fn table(pos: u32) -> [u32; 256] {
    let mut t = [INVALID; 256];
    let mut rest: &mut [u32] = &mut t;
    let mut c = 0u8;
    while let [first, tail @ ..] = rest {
        let v = value(c);
        *first = if v == INVALID {
            INVALID
        } else {
            match pos {
                0 => v << 2,
                1 => (v >> 4) | (v & 15) << 12,
                2 => (v >> 2) << 8 | (v & 3) << 22,
                _ => v << 16,
            }
        };
        rest = tail;
        c = c.wrapping_add(1);
    }
    t
}

static T0: [u32; 256] = table(0);
static T1: [u32; 256] = table(1);
static T2: [u32; 256] = table(2);
static T3: [u32; 256] = table(3);

#[inline(always)]
fn lookup(t: &[u32; 256], c: u8) -> u32 {
    t.get(usize::from(c)).copied().unwrap_or(INVALID)
}

/// A full quad's three bytes, little-endian (bit 31 set if a character is invalid).
#[inline(always)]
fn quad(q: &[u8; 4]) -> u32 {
    let [a, b, c, d] = *q;
    lookup(&T0, a) | lookup(&T1, b) | lookup(&T2, c) | lookup(&T3, d)
}

/// The largest decoded length of `n` characters (what `out` must hold).
pub(crate) const fn decoded_len(n: usize) -> usize {
    (n / 4).saturating_mul(3)
}

/// Decodes `input` into the start of `out` (at least [`decoded_len`] bytes) and returns the
/// decoded length; `None` for anything `STANDARD` refuses (or a short `out`).
pub(crate) fn decode(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let (quads, rest) = input.as_chunks::<4>();
    if !rest.is_empty() {
        return None;
    }
    let Some((last, full)) = quads.split_last() else {
        return Some(0);
    };
    let body_len = full.len().checked_mul(3)?;
    let (body, tail) = out.split_at_mut_checked(body_len)?;
    let mut bad = 0u32;
    let (pairs, single) = full.as_chunks::<2>();
    let (pair_out, single_out) = body.as_chunks_mut::<6>();
    for ([q0, q1], o) in pairs.iter().zip(pair_out.iter_mut()) {
        let (a, b) = (quad(q0), quad(q1));
        bad |= a | b;
        let v = (u64::from(a) | u64::from(b) << 24).to_le_bytes();
        if let Some(six) = v.first_chunk::<6>() {
            *o = *six;
        }
    }
    if let ([q], Some(o)) = (single, single_out.first_chunk_mut::<3>()) {
        let a = quad(q);
        bad |= a;
        if let Some(three) = a.to_le_bytes().first_chunk::<3>() {
            *o = *three;
        }
    }
    // The last quad: `xx==` (one byte; the second character's low 4 bits must be zero),
    // `xxx=` (two bytes; the third's low 2 bits) or a full quad; a `=` anywhere else is an
    // invalid character.
    let (v, n, trailing) = match *last {
        [a, b, b'=', b'='] => (lookup(&T0, a) | lookup(&T1, b), 1usize, 0xf000u32),
        [a, b, c, b'='] => (
            lookup(&T0, a) | lookup(&T1, b) | lookup(&T2, c),
            2,
            0xc0_0000,
        ),
        _ => (quad(last), 3, 0),
    };
    if (bad | v) & INVALID != 0 || v & trailing != 0 {
        return None;
    }
    let bytes = v.to_le_bytes();
    let src = bytes.get(..n)?;
    tail.get_mut(..n)?.copy_from_slice(src);
    body_len.checked_add(n)
}

/// The standard alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the standard, `=`-padded base64 of `data` to `out`: the output is sized once,
/// then each 3 bytes become 4 characters through one 24-bit word (the 007 token's ~150
/// bytes: about 0.5k instructions, against 1.5k for `STANDARD.encode_string`). A table of
/// character pairs (two lookups per 3 bytes, 8 KiB) saved 0.2–0.4k instructions but moved
/// the encoder's share of a 007 token's time only from 4.2% to 3.7%: not worth the table.
pub(crate) fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(
        start.saturating_add(data.len().div_ceil(3).saturating_mul(4)),
        b'=',
    );
    let Some(dst) = out.get_mut(start..) else {
        return;
    };
    let sym = |v: u32| ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'=');
    let src = data.chunks_exact(3);
    let tail = src.remainder();
    let mut quads = dst.chunks_exact_mut(4);
    for (s, d) in src.zip(&mut quads) {
        if let (&[a, b, c], [w, x, y, z]) = (s, d) {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
            (*w, *x, *y, *z) = (sym(n >> 18), sym(n >> 12), sym(n >> 6), sym(n));
        }
    }
    // One or two bytes left: two or three characters, the rest stays `=`.
    if let Some([w, x, y, _]) = quads.next() {
        let a = u32::from(tail.first().copied().unwrap_or(0));
        let b = tail.get(1).copied().map(u32::from);
        let n = (a << 16) | (b.unwrap_or(0) << 8);
        (*w, *x) = (sym(n >> 18), sym(n >> 12));
        if b.is_some() {
            *y = sym(n >> 6);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    fn ours(s: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; decoded_len(s.len())];
        let n = decode(s, &mut out)?;
        out.truncate(n);
        Some(out)
    }

    #[test]
    fn matches_the_standard_engine() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for i in 0..200_000u32 {
            let s: Vec<u8> = if i % 2 == 0 {
                // Valid encodings of random bytes, sometimes with one character changed.
                let data: Vec<u8> = (0..rnd() % 40).map(|_| rnd() as u8).collect();
                let mut s = STANDARD.encode(&data).into_bytes();
                if i % 4 == 0 && !s.is_empty() {
                    let at = (rnd() % s.len() as u64) as usize;
                    s[at] = match rnd() % 4 {
                        0 => b'=',
                        1 => rnd() as u8,
                        _ => alphabet[(rnd() % 64) as usize],
                    };
                }
                s
            } else {
                // Short strings from the alphabet, `=` and a few others.
                (0..rnd() % 14)
                    .map(|_| match rnd() % 10 {
                        0 | 1 => b'=',
                        2 => b"-_ \n\0\x80\xff."[(rnd() % 8) as usize],
                        _ => alphabet[(rnd() % 64) as usize],
                    })
                    .collect()
            };
            assert_eq!(ours(&s), STANDARD.decode(&s).ok(), "{s:?}");
        }
    }

    #[test]
    fn edge_cases() {
        for s in [
            "",
            "=",
            "==",
            "===",
            "====",
            "QQ==",
            "QR==",
            "QUE=",
            "QUF=",
            "QUFB",
            "QQ=A",
            "Q===",
            "QQ==QUFB",
            "QUFBQQ==",
            "QUFB====",
            "QUFBQUFB",
            "QUFBQUFBQUFB",
            "QUFB\nQUFB",
        ] {
            assert_eq!(ours(s.as_bytes()), STANDARD.decode(s).ok(), "{s:?}");
        }
        // A short output buffer is refused, not a panic.
        assert_eq!(decode(b"QUFB", &mut [0u8; 2]), None);
    }

    #[test]
    fn encodes_as_the_base64_crate() {
        let mut seed = 1u32;
        for len in 0..300usize {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) as u8
                })
                .collect();
            let mut out = b"007".to_vec();
            encode_into(&data, &mut out);
            let want = format!("007{}", STANDARD.encode(&data));
            assert_eq!(out, want.as_bytes(), "len {len}");
        }
    }
}
