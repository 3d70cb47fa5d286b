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

    proptest::proptest! {
        #[test]
        fn any_token03_shape_is_recognised_with_its_expiry(
            expire in proptest::num::i64::ANY,
            iv in "[0-9A-Za-z]{16}",
            blocks in 1_usize..8,
        ) {
            let iv: [u8; 16] = iv.as_bytes().try_into().unwrap();
            let mut body = expire.to_be_bytes().to_vec();
            body.extend_from_slice(&16u16.to_be_bytes());
            body.extend_from_slice(&iv);
            body.extend_from_slice(&u16::try_from(blocks * 16).unwrap().to_be_bytes());
            body.extend(std::iter::repeat_n(7, blocks * 16));
            let token = format!("03{}", STANDARD.encode(body));
            proptest::prop_assert_eq!(recognise_token03(&token), Some(Token03 { expire }));
        }

        #[test]
        fn anything_else_is_refused_without_panicking(bytes in proptest::collection::vec(0u8.., 0..80)) {
            // Random bodies almost never have the shape; the point is no panic.
            let _ = recognise_token03(&format!("03{}", STANDARD.encode(&bytes)));
            let _ = recognise_token03(&String::from_utf8_lossy(&bytes));
        }
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
