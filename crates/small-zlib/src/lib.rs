//! A zlib (RFC 1950/1951) codec for small inputs: one stream in, one stream out.
//!
//! [`compress`] writes a standard zlib stream (`78 9c` header, one deflate block, Adler-32
//! trailer) that any inflater reads, doing the work zlib's level 6 does but set up for inputs
//! of a few hundred bytes, where general-purpose deflaters spend most of their time preparing
//! state. [`decompress`] reads any valid zlib stream strictly and within an output limit.
//!
//! ```
//! let body = b"007 token bodies repeat: 970CA35de60c44645bbae8a215061b33 970CA35de6";
//! let stream = small_zlib::compress(body);
//! assert_eq!(&stream[..2], &[0x78, 0x9c]);
//! assert_eq!(small_zlib::decompress(&stream, 1024)?, body);
//! // The limit is a hard bound on the output, checked while decoding.
//! assert_eq!(
//!     small_zlib::decompress(&stream, 8),
//!     Err(small_zlib::Error::OutputTooLarge { limit: 8 })
//! );
//! # Ok::<(), small_zlib::Error>(())
//! ```
//!
//! Guarantees (each one a test of this crate):
//! - `decompress(&compress(x), x.len()) == Ok(x)` for every `x`; C zlib reads every stream.
//! - Size, against C zlib level 6 (worst cases measured; the property tests hold the bound
//!   after the slash): realistic 007 token bodies at most 2 / 2 bytes longer, 0.2 bytes
//!   shorter on average; arbitrary inputs up to 4 KiB at most 3 / 6 bytes, up to 16 KiB at
//!   most 21 / 24 bytes, on average slightly shorter. Inputs over 16 KiB go to `miniz_oxide`
//!   level 6.
//! - [`decompress`] accepts exactly one stream and refuses with [`Error`], never a panic: a bad
//!   header, a preset dictionary, output beyond `limit` (checked as it is produced, so a zlib
//!   bomb costs at most `limit` bytes of memory), a wrong Adler-32, non-zero padding bits, any
//!   byte after the trailer. Two different streams therefore never decode to one output by
//!   padding or trailing garbage.
//! - No `unsafe`; no allocation besides the output (and a per-thread match-finder scratch for
//!   [`compress`], which holds copies of input bytes).
//!
//! Why it exists, the design, the measurements and what was tried and dropped:
//! `docs/design/small-zlib.md`. How to benchmark: `docs/performance.md`.
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
/// dictionary, invalid or truncated data, wrong Adler-32, non-zero padding bits, or bytes
/// after the trailer.
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
