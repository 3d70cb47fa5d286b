//! Recognising ZEGO's legacy token03 by its shape, so that a diagnostic can
//! say "legacy token03" rather than "unknown version". This crate neither
//! builds nor decrypts token03.
//!
//! token03 is token04's predecessor: `"03"` followed by the padded standard
//! base64 of the CBC container (big-endian `i64` expire, `u16` IV length = 16,
//! a 16-character alphanumeric IV, `u16` ciphertext length, AES-256-CBC
//! ciphertext, a positive multiple of 16 bytes) with no mode byte.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::codec::MAX_TOKEN_LEN;

/// What a token03's clear-text header says. **Not authenticated.**
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Token03 {
    /// The clear-text expiry, unix seconds.
    pub expire: i64,
}

/// Recognises a ZEGO token03 by its prefix and layout; `None` for anything
/// else (a token04 included). Bounded: a string longer than the longest
/// token is refused before decoding.
///
/// ```
/// assert_eq!(zego_token04::recognise_token03("04AAAA"), None);
/// ```
#[must_use]
pub fn recognise_token03(token: &str) -> Option<Token03> {
    let b64 = token.strip_prefix("03")?;
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let body = STANDARD.decode(b64).ok()?;
    let (expire, rest) = body.split_first_chunk::<8>()?;
    let (iv_len, rest) = rest.split_first_chunk::<2>()?;
    if u16::from_be_bytes(*iv_len) != 16 {
        return None;
    }
    let (iv, rest) = rest.split_first_chunk::<16>()?;
    if !iv.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let (ct_len, ct) = rest.split_first_chunk::<2>()?;
    let ct_len = usize::from(u16::from_be_bytes(*ct_len));
    let shaped = ct.len() == ct_len && ct_len > 0 && ct_len % 16 == 0;
    shaped.then(|| Token03 {
        expire: i64::from_be_bytes(*expire),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token03(iv: &[u8; 16], ct_len: usize, extra: &[u8]) -> String {
        let mut body = 1_700_000_000_i64.to_be_bytes().to_vec();
        body.extend_from_slice(&16u16.to_be_bytes());
        body.extend_from_slice(iv);
        body.extend_from_slice(&u16::try_from(ct_len).unwrap().to_be_bytes());
        body.extend(std::iter::repeat_n(0xa5, ct_len));
        body.extend_from_slice(extra);
        format!("03{}", STANDARD.encode(body))
    }

    #[test]
    fn the_token03_shape_is_recognised() {
        let iv = b"0123456789abcdef";
        assert_eq!(
            recognise_token03(&token03(iv, 64, &[])),
            Some(Token03 {
                expire: 1_700_000_000
            })
        );
        // A mode byte makes it a (relabelled) token04 body, not a token03.
        assert_eq!(recognise_token03(&token03(iv, 64, &[1])), None);
        assert_eq!(recognise_token03(&token03(iv, 60, &[])), None);
        assert_eq!(recognise_token03(&token03(iv, 0, &[])), None);
        assert_eq!(
            recognise_token03(&token03(b"0123456789abcde\0", 64, &[])),
            None
        );
        let relabelled = format!("04{}", &token03(iv, 64, &[])[2..]);
        assert_eq!(recognise_token03(&relabelled), None);
        assert_eq!(recognise_token03("03"), None);
        assert_eq!(recognise_token03("03 not base64"), None);
    }
}
