//! A small, strict JSON writer and reader for the token claims.
//!
//! The writer reproduces Go 1.19 `encoding/json` byte for byte for the few
//! shapes we emit. The reader accepts any RFC 8259 JSON, but distinguishes
//! *syntax* failures (the bytes are not one JSON value) from *shape*
//! failures (valid JSON, wrong content), because for unauthenticated CBC the
//! former must look exactly like a decryption failure.

use std::borrow::Cow;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// How each byte is written: 0 as is, 1 with a two-byte escape, 2 as
/// `\u00xx`, 3 maybe the start of U+2028/U+2029.
// Evaluated at compile time: an out-of-range index would fail the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 2;
        b += 1;
    }
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[b'<' as usize] = 2;
    t[b'>' as usize] = 2;
    t[b'&' as usize] = 2;
    t[0xe2] = 3;
    t
};

#[inline]
fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Number of bytes [`write_str`] appends for `s` (including the quotes).
pub(crate) fn escaped_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut len = bytes.len().saturating_add(2);
    for (pos, &b) in bytes.iter().enumerate() {
        let add = match class(b) {
            0 => 0,
            1 => 1,
            2 => 5,
            // 3 bytes of UTF-8 become 6 bytes of escape.
            _ => {
                if is_line_sep(bytes, pos) {
                    3
                } else {
                    0
                }
            }
        };
        len = len.saturating_add(add);
    }
    len
}

/// Whether `bytes[pos..]` starts with U+2028 or U+2029 (E2 80 A8/A9).
#[inline]
fn is_line_sep(bytes: &[u8], pos: usize) -> bool {
    matches!(
        bytes.get(pos..).and_then(|t| t.get(..3)),
        Some([0xe2, 0x80, 0xa8 | 0xa9])
    )
}

/// Appends `s` as a JSON string literal, escaped exactly as Go 1.19 does
/// with HTML escaping on (the `json.Marshal` default).
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    loop {
        let Some(run) = rest.iter().position(|&b| class(b) != 0) else {
            out.extend_from_slice(rest);
            break;
        };
        let Some((head, tail)) = rest.split_at_checked(run) else {
            break;
        };
        out.extend_from_slice(head);
        let Some((&b, after)) = tail.split_first() else {
            break;
        };
        rest = after;
        match class(b) {
            1 => {
                let c = match b {
                    b'\n' => b'n',
                    b'\r' => b'r',
                    b'\t' => b't',
                    other => other,
                };
                out.extend_from_slice(&[b'\\', c]);
            }
            2 => {
                let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                let lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
            }
            _ => match after {
                [0x80, last @ (0xa8 | 0xa9), more @ ..] => {
                    let digit = if *last == 0xa8 { b'8' } else { b'9' };
                    out.extend_from_slice(&[b'\\', b'u', b'2', b'0', b'2', digit]);
                    rest = more;
                }
                _ => out.push(b),
            },
        }
    }
    out.push(b'"');
}

/// Appends the decimal form of `v`.
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

/// Appends the decimal form of `v`.
pub(crate) fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    loop {
        pos = pos.saturating_sub(1);
        // `v % 10` is always < 10, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (v % 10) as u8;
        if let Some(slot) = buf.get_mut(pos) {
            *slot = b'0'.saturating_add(digit);
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(buf.get(pos..).unwrap_or_default());
}

/// Upper bound of the decimal length of an i64 (sign included).
pub(crate) const I64_MAX_LEN: usize = 20;

/// Position of the first `"`, `\\` or control character (< 0x20): the bytes
/// that end a plain run inside a JSON string. Eight bytes at a time.
fn find_string_special(bytes: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0usize;
    for chunk in chunks.by_ref() {
        let w = u64::from_le_bytes(chunk.try_into().ok()?);
        // Classic "has byte less than n" / "has zero byte" tests: the lowest
        // flagged byte is always exact (false positives only above it).
        let ctl = w.wrapping_sub(LO.wrapping_mul(0x20)) & !w & HI;
        let q = w ^ LO.wrapping_mul(u64::from(b'"'));
        let quote = q.wrapping_sub(LO) & !q & HI;
        let b = w ^ LO.wrapping_mul(u64::from(b'\\'));
        let bslash = b.wrapping_sub(LO) & !b & HI;
        let m = ctl | quote | bslash;
        if m != 0 {
            let byte = usize::try_from(m.trailing_zeros() / 8).ok()?;
            return offset.checked_add(byte);
        }
        offset = offset.checked_add(8)?;
    }
    let tail = chunks.remainder();
    let pos = tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    offset.checked_add(pos)
}

/// Decodes the escape that follows a backslash; returns the character and
/// the number of bytes used (surrogate pairs must be complete).
fn decode_escape(after: &[u8]) -> Result<(char, usize), JsonError> {
    let (&b, rest) = after.split_first().ok_or(JsonError::Syntax)?;
    let c = match b {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(rest)?;
            return match hi {
                0xd800..=0xdbff => {
                    let lo = match rest.get(4..) {
                        Some([b'\\', b'u', more @ ..]) => hex4(more)?,
                        _ => return Err(JsonError::Syntax),
                    };
                    if !(0xdc00..=0xdfff).contains(&lo) {
                        return Err(JsonError::Syntax);
                    }
                    let cp = 0x10000u32
                        .saturating_add((hi.saturating_sub(0xd800)) << 10)
                        .saturating_add(lo.saturating_sub(0xdc00));
                    Ok((char::from_u32(cp).ok_or(JsonError::Syntax)?, 11))
                }
                0xdc00..=0xdfff => Err(JsonError::Syntax),
                _ => Ok((char::from_u32(hi).ok_or(JsonError::Syntax)?, 5)),
            };
        }
        _ => return Err(JsonError::Syntax),
    };
    Ok((c, 1))
}

/// Reads four hex digits.
fn hex4(bytes: &[u8]) -> Result<u32, JsonError> {
    let digits = bytes.get(..4).ok_or(JsonError::Syntax)?;
    let mut v = 0u32;
    for &d in digits {
        let n = char::from(d).to_digit(16).ok_or(JsonError::Syntax)?;
        v = (v << 4) | n;
    }
    Ok(v)
}

/// Position just past the run of ASCII digits starting at `start`, which
/// must hold at least one digit.
fn digits_from(bytes: &[u8], start: usize) -> Result<usize, JsonError> {
    let mut pos = start;
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos = pos.saturating_add(1);
    }
    if pos == start {
        return Err(JsonError::Syntax);
    }
    Ok(pos)
}

/// Why JSON was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonError {
    /// The input is not exactly one JSON value (bad UTF-8 is checked by the
    /// caller; this covers grammar, bad escapes, lone surrogates, trailing
    /// bytes, nesting too deep).
    Syntax,
    /// Valid JSON of the wrong shape: wrong types, fractions or exponents
    /// where integers belong, out-of-range integers, duplicate or missing keys.
    Shape(&'static str),
}

/// Deepest nesting accepted inside unknown values.
const MAX_DEPTH: u32 = 64;

/// A number as read: an integer if it had no fraction or exponent and its
/// magnitude fits a u64.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Number {
    Int(i128),
    /// Fraction, exponent, or too many digits.
    NotInt,
}

/// A cursor over a UTF-8 JSON text.
pub(crate) struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { rest: text }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.rest.as_bytes().first().copied()
    }

    /// Advances past `n` bytes, which the caller has checked are ASCII or end
    /// on a char boundary.
    #[inline]
    fn advance(&mut self, n: usize) -> Result<(), JsonError> {
        self.rest = self.rest.get(n..).ok_or(JsonError::Syntax)?;
        Ok(())
    }

    #[inline]
    fn skip_ws(&mut self) {
        let n = self
            .rest
            .as_bytes()
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(self.rest.len());
        if n > 0 {
            // Whitespace is ASCII, so `n` is a char boundary.
            self.rest = self.rest.get(n..).unwrap_or_default();
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), JsonError> {
        self.skip_ws();
        if self.peek() == Some(b) {
            self.advance(1)
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// Succeeds only if nothing but whitespace remains.
    pub(crate) fn finish(mut self) -> Result<(), JsonError> {
        self.skip_ws();
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// Reads the next value's first byte without consuming it.
    pub(crate) fn peek_value(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// Reads `null` if it is next; returns whether it was.
    pub(crate) fn take_null(&mut self) -> Result<bool, JsonError> {
        if self.peek_value() == Some(b'n') {
            if self.rest.starts_with("null") {
                self.advance(4)?;
                return Ok(true);
            }
            return Err(JsonError::Syntax);
        }
        Ok(false)
    }

    /// Iterates over an object's members: `f` is called with each key and must
    /// consume exactly one value.
    pub(crate) fn object(
        &mut self,
        mut f: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.expect(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            return self.advance(1);
        }
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.expect(b':')?;
            f(self, key)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.advance(1)?,
                Some(b'}') => return self.advance(1),
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// Iterates over an array's elements: `f` must consume exactly one value.
    pub(crate) fn array(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.expect(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            return self.advance(1);
        }
        loop {
            f(self)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.advance(1)?,
                Some(b']') => return self.advance(1),
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// Reads a string literal (the next non-whitespace byte must be `"`).
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(JsonError::Syntax);
        }
        self.advance(1)?;
        let bytes = self.rest.as_bytes();
        let run = find_string_special(bytes).ok_or(JsonError::Syntax)?;
        if bytes.get(run) == Some(&b'"') {
            let s = self.rest.get(..run).ok_or(JsonError::Syntax)?;
            self.advance(run.saturating_add(1))?;
            return Ok(Cow::Borrowed(s));
        }
        // With escapes: copy plain runs, decode escapes. The decoded string
        // is never longer than the rest of the text.
        let mut owned = String::with_capacity(self.rest.len());
        loop {
            let bytes = self.rest.as_bytes();
            let run = find_string_special(bytes).ok_or(JsonError::Syntax)?;
            owned.push_str(self.rest.get(..run).ok_or(JsonError::Syntax)?);
            match bytes.get(run) {
                Some(b'"') => {
                    self.advance(run.saturating_add(1))?;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    let after = bytes.get(run.saturating_add(1)..).unwrap_or_default();
                    let (c, used) = decode_escape(after)?;
                    owned.push(c);
                    self.advance(run.saturating_add(1).saturating_add(used))?;
                }
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// Reads a number (the next non-whitespace byte must start one).
    pub(crate) fn number(&mut self) -> Result<Number, JsonError> {
        self.skip_ws();
        let bytes = self.rest.as_bytes();
        let mut pos = 0usize;
        let neg = bytes.first() == Some(&b'-');
        if neg {
            pos = 1;
        }
        let int_start = pos;
        let int_len = bytes
            .get(int_start..)
            .unwrap_or_default()
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len().saturating_sub(int_start));
        pos = int_start.saturating_add(int_len);
        let digits = bytes.get(int_start..pos).unwrap_or_default();
        let digit = |d: &u8| u64::from(d.wrapping_sub(b'0'));
        // Up to 19 digits always fit a u64; longer runs are checked.
        let acc: Option<u64> = if digits.len() <= 19 {
            Some(
                digits
                    .iter()
                    .fold(0u64, |a, d| a.wrapping_mul(10).wrapping_add(digit(d))),
            )
        } else {
            digits.iter().try_fold(0u64, |a, d| {
                a.checked_mul(10).and_then(|a| a.checked_add(digit(d)))
            })
        };
        if int_len == 0 || (int_len > 1 && bytes.get(int_start) == Some(&b'0')) {
            return Err(JsonError::Syntax);
        }
        let mut is_int = true;
        if bytes.get(pos) == Some(&b'.') {
            is_int = false;
            pos = digits_from(bytes, pos.saturating_add(1))?;
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            is_int = false;
            pos = pos.saturating_add(1);
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos = pos.saturating_add(1);
            }
            pos = digits_from(bytes, pos)?;
        }
        self.advance(pos)?;
        Ok(match (is_int, acc) {
            (true, Some(v)) => {
                let v = i128::from(v);
                Number::Int(if neg { v.saturating_neg() } else { v })
            }
            _ => Number::NotInt,
        })
    }

    /// Skips one value of any type, checking its syntax.
    pub(crate) fn skip_value(&mut self) -> Result<(), JsonError> {
        self.skip_depth(0)
    }

    fn skip_depth(&mut self, depth: u32) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return Err(JsonError::Syntax);
        }
        let next = depth.saturating_add(1);
        match self.peek_value() {
            Some(b'{') => self.object(|r, _| r.skip_depth(next)),
            Some(b'[') => self.array(|r| r.skip_depth(next)),
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => Err(JsonError::Syntax),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        if self.rest.starts_with(word) {
            self.advance(word.len())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// Reads an integer in `T`'s range. Any other valid value is a shape
    /// error (after being skipped, so syntax errors later still win).
    pub(crate) fn int<T: TryFrom<i128>>(&mut self, what: &'static str) -> Result<T, JsonError> {
        match self.peek_value() {
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                Number::Int(v) => T::try_from(v).map_err(|_| JsonError::Shape(what)),
                Number::NotInt => Err(JsonError::Shape(what)),
            },
            _ => {
                self.skip_value()?;
                Err(JsonError::Shape(what))
            }
        }
    }
}

/// Records the first shape error while letting parsing continue, so a later
/// syntax error still takes precedence.
#[derive(Default)]
pub(crate) struct ShapeTracker {
    first: Option<&'static str>,
}

impl ShapeTracker {
    /// Passes values and syntax errors through; stores shape errors.
    pub(crate) fn check<T>(&mut self, r: Result<T, JsonError>) -> Result<Option<T>, JsonError> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(JsonError::Syntax) => Err(JsonError::Syntax),
            Err(JsonError::Shape(why)) => {
                self.note(why);
                Ok(None)
            }
        }
    }

    /// Records a shape error.
    pub(crate) fn note(&mut self, why: &'static str) {
        if self.first.is_none() {
            self.first = Some(why);
        }
    }

    /// The first recorded shape error.
    pub(crate) fn result(&self) -> Result<(), JsonError> {
        match self.first {
            Some(why) => Err(JsonError::Shape(why)),
            None => Ok(()),
        }
    }
}

/// Reads a whole document that must be an object; `member` handles each key
/// and must consume its value. Non-object documents are checked for syntax
/// and then refused as a shape error.
pub(crate) fn read_object<'a>(
    text: &'a str,
    shape: &mut ShapeTracker,
    mut member: impl FnMut(&mut Reader<'a>, Cow<'a, str>, &mut ShapeTracker) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    let mut r = Reader::new(text);
    if r.peek_value() == Some(b'{') {
        r.object(|r, key| member(r, key, shape))?;
    } else {
        r.skip_value()?;
        shape.note("not a json object");
    }
    r.finish()?;
    shape.result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut v = Vec::new();
        write_str(&mut v, s);
        assert_eq!(v.len(), escaped_len(s), "length mismatch for {s:?}");
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn go_escaping() {
        assert_eq!(esc(""), r#""""#);
        assert_eq!(esc("demo"), r#""demo""#);
        assert_eq!(esc("u<1>&\"2\""), r#""u\u003c1\u003e\u0026\"2\"""#);
        assert_eq!(esc("a\\b/c"), r#""a\\b/c""#);
        assert_eq!(
            esc("\n\r\t\u{8}\u{c}\u{0}\u{1f}"),
            r#""\n\r\t\u0008\u000c\u0000\u001f""#
        );
        assert_eq!(esc("x\u{2028}y\u{2029}z"), r#""x\u2028y\u2029z""#);
        assert_eq!(
            esc("\u{7f}\u{80}\u{9f}é😀\u{2027}\u{202a}"),
            "\"\u{7f}\u{80}\u{9f}é😀\u{2027}\u{202a}\""
        );
    }

    #[test]
    fn special_byte_search() {
        let naive = |b: &[u8]| b.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        let mut x = 0x9e37_79b9_u32;
        for len in 0..80 {
            for _ in 0..50 {
                let v: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        // Mostly plain bytes, some specials, some high bytes.
                        match x % 16 {
                            0 => b'"',
                            1 => b'\\',
                            2 => (x >> 8) as u8 % 0x20,
                            3 => 0x80 | (x >> 8) as u8,
                            _ => 0x20 + (x >> 8) as u8 % 0x5f,
                        }
                    })
                    .collect();
                assert_eq!(find_string_special(&v), naive(&v), "{v:?}");
            }
        }
        for b in 0..=255u8 {
            let mut v = vec![b'a'; 20];
            v[11] = b;
            assert_eq!(find_string_special(&v), naive(&v), "{b}");
        }
    }

    #[test]
    fn integers() {
        for v in [0i64, 1, -1, 9, 10, i64::MAX, i64::MIN, 1_700_000_000] {
            let mut out = Vec::new();
            write_i64(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
        let mut out = Vec::new();
        write_u64(&mut out, u64::MAX);
        assert_eq!(String::from_utf8(out).unwrap(), u64::MAX.to_string());
        assert!(I64_MAX_LEN >= i64::MIN.to_string().len());
    }

    #[test]
    fn strings_round_trip_through_reader() {
        for s in ["", "plain", "a\"b\\c\n\u{0}\u{2028}<&>", "😀用户"] {
            let mut v = Vec::new();
            write_str(&mut v, s);
            let text = String::from_utf8(v).unwrap();
            let mut r = Reader::new(&text);
            assert_eq!(r.string().unwrap(), s);
            r.finish().unwrap();
        }
    }

    #[test]
    fn reader_escapes() {
        let mut r = Reader::new(r#""\/\b\f\u00e9\ud83d\ude00\u2028""#);
        assert_eq!(r.string().unwrap(), "/\u{8}\u{c}é😀\u{2028}");
        for bad in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\x""#,
            "\"a\u{1}\"",
            r#""\u12"#,
            r#""abc"#,
        ] {
            assert_eq!(
                Reader::new(bad).string().unwrap_err(),
                JsonError::Syntax,
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers() {
        let int = |s: &str| Reader::new(s).int::<i64>("x");
        assert_eq!(int("0"), Ok(0));
        assert_eq!(int("-0"), Ok(0));
        assert_eq!(int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(int("9223372036854775808"), Err(JsonError::Shape("x")));
        assert_eq!(
            int("99999999999999999999999999999999999999999"),
            Err(JsonError::Shape("x"))
        );
        assert_eq!(int("1.0"), Err(JsonError::Shape("x")));
        assert_eq!(int("1e3"), Err(JsonError::Shape("x")));
        assert_eq!(int("\"1\""), Err(JsonError::Shape("x")));
        for bad in ["01", "-", "1.", "1e", "+1", ".5", "--1"] {
            assert_eq!(int(bad), Err(JsonError::Syntax), "{bad}");
        }
    }

    #[test]
    fn skipping_and_depth() {
        let mut r = Reader::new(r#" {"a":[1,2.5e-3,true,false,null,{"b":"c"}],"d":{}} "#);
        r.skip_value().unwrap();
        r.finish().unwrap();
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(Reader::new(&deep).skip_value(), Err(JsonError::Syntax));
        for bad in [
            "{",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "tru",
            "nul",
            "{1:2}",
        ] {
            assert_eq!(
                Reader::new(bad).skip_value(),
                Err(JsonError::Syntax),
                "{bad}"
            );
        }
    }
}
