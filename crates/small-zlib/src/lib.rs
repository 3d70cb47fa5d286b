#![doc = include_str!("../README.md")]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]

mod adler;
mod deflate;
mod inflate;
#[cfg(test)]
mod testbody;

/// Why [`decompress`] refused a stream.
///
/// Messages are lowercase and never contain input or output bytes.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is not exactly one valid zlib stream; the text says what is wrong
    /// (`"truncated zlib stream"`, `"zlib checksum mismatch"`, ...).
    #[error("{0}")]
    Malformed(&'static str),
    /// The stream would decode to more than `limit` bytes; decoding stopped there.
    #[error("inflated output exceeds the limit of {limit} bytes")]
    OutputTooLarge {
        /// The limit the caller gave.
        limit: usize,
    },
}

/// Compresses `data` into one zlib stream.
///
/// Never fails. Inputs up to 16 KiB use this crate's encoder; larger ones `miniz_oxide` at
/// level 6. The same input always gives the same stream.
#[must_use]
pub fn compress(data: &[u8]) -> Vec<u8> {
    deflate::zlib_compress(data)
}

/// Decompresses exactly one zlib stream, producing at most `limit` bytes.
///
/// Accepts stored, fixed and dynamic blocks, any number of them (so sync-flushed streams
/// too), from any conforming encoder.
///
/// # Errors
/// [`Error::OutputTooLarge`] once the output would exceed `limit`;
/// [`Error::Malformed`] for anything but exactly one valid zlib stream: bad header, preset
/// dictionary, invalid or truncated data (including over-subscribed Huffman codes and
/// incomplete ones where C zlib refuses them), wrong Adler-32, non-zero padding bits, or
/// bytes after the trailer.
pub fn decompress(stream: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    inflate::zlib_decompress(stream, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_are_lowercase_and_name_the_limit() {
        let e = decompress(&compress(b"four"), 3).unwrap_err();
        assert_eq!(e, Error::OutputTooLarge { limit: 3 });
        assert_eq!(
            e.to_string(),
            "inflated output exceeds the limit of 3 bytes"
        );
        for bad in [
            &b""[..],
            b"\x78",
            b"\x78\x9c\x03\x00",
            b"\x79\x9c",
            b"\x78\xbb",
        ] {
            let e = decompress(bad, 16).unwrap_err();
            assert!(matches!(e, Error::Malformed(_)), "{bad:?}: {e:?}");
            let m = e.to_string();
            assert!(!m.is_empty() && m == m.to_lowercase(), "{m}");
        }
    }
}
