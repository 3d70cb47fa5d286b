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

use core::fmt;
use core::num::NonZeroU32;
use core::str::FromStr;

use hmac::KeyInit;
use zeroize::{Zeroize, ZeroizeOnDrop};

pub mod builder;
#[cfg(feature = "hazmat")]
pub mod hazmat;
pub mod limits;
pub mod userbuf;
pub mod usersig;

pub use builder::{Issued, PrivateMapKeySpec, UserSigBuilder};
pub use limits::UserId;
pub use userbuf::{PrivateMapKey, Privilege, Privileges, Room};
pub use usersig::{ParsedUserSig, UserSig};

/// Upper bound on the length of a token string accepted by the parser, checked before any
/// decoding (characters). The same bound as the Agora 007 parser's.
pub const MAX_TOKEN_LEN: usize = 256 * 1024;

/// Upper bound on the inflated JSON document accepted by the parser (bytes). The same
/// bound as the Agora 007 inflater's.
pub const MAX_INFLATED_LEN: usize = 256 * 1024;

/// The broad category of an [`Error`], matching the conformance vectors' error names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The caller supplied something that cannot be built (`invalid_input`).
    InvalidInput,
    /// The token does not decode (`malformed`).
    Malformed,
    /// The document's `TLS.ver` is not `"2.0"` (`version`).
    Version,
    /// The HMAC does not match (`signature`).
    Signature,
    /// The token has expired (`expired`).
    Expired,
    /// An authentic token for another sdkappid than the expected one (`mismatch`).
    Mismatch,
}

impl ErrorKind {
    /// The category name used by the conformance vectors (`invalid_input`, `malformed`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Malformed => "malformed",
            Self::Version => "version",
            Self::Signature => "signature",
            Self::Expired => "expired",
            Self::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong building, parsing or verifying a UserSig.
///
/// Messages are lowercase, name the field, and never contain the secret key, a user id
/// or token bytes.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The secret key is empty or longer than [`SecretKey::MAX_LEN`] bytes.
    #[error("invalid secret key: expected 1 to 1024 bytes")]
    InvalidKey,
    /// The SDKAppID is 0 or not a decimal number that fits 32 bits (see [`SdkAppId`]).
    #[error("invalid sdkappid: expected a decimal number from 1 to 4294967295")]
    InvalidSdkAppId,
    /// A user id breaks Tencent's documented limit (see [`limits`]).
    #[error("invalid user id: {}", limits::USER_ID_RULE)]
    InvalidUserId,
    /// A room breaks Tencent's documented limit (see [`limits`]); the message says which rule.
    #[error("invalid room: {0}")]
    InvalidRoom(&'static str),
    /// The validity is zero, or the expiry it gives does not fit the userbuf's 32 bits.
    #[error("invalid validity: {0}")]
    InvalidValidity(&'static str),
    /// A string does not fit its 16-bit length prefix in the userbuf.
    #[error("{field} is too long: at most 65535 bytes can be encoded")]
    TooLong {
        /// Which field was too long.
        field: &'static str,
    },
    /// The token does not decode; the text says which step failed.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// The document's `TLS.ver` is not `"2.0"`.
    #[error("unsupported token version: expected tls.ver 2.0")]
    Version,
    /// The HMAC does not match.
    #[error("signature mismatch")]
    Signature,
    /// An authentic token whose field differs from the expected value.
    #[error("{field} mismatch: the token is for another {field}")]
    Mismatch {
        /// Which field differs (`sdkappid`).
        field: &'static str,
    },
    /// The token expired at or before `now`.
    #[error("token expired at {expired_at} (now {now})")]
    Expired {
        /// Absolute unix time of the expiry (`TLS.time + TLS.expire`).
        expired_at: u64,
        /// The time the check was made at.
        now: u64,
    },
}

impl Error {
    /// The broad category of this error.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidKey
            | Self::InvalidSdkAppId
            | Self::InvalidUserId
            | Self::InvalidRoom(_)
            | Self::InvalidValidity(_)
            | Self::TooLong { .. } => ErrorKind::InvalidInput,
            Self::Malformed(_) => ErrorKind::Malformed,
            Self::Version => ErrorKind::Version,
            Self::Signature => ErrorKind::Signature,
            Self::Mismatch { .. } => ErrorKind::Mismatch,
            Self::Expired { .. } => ErrorKind::Expired,
        }
    }
}

/// A Tencent SDKAppID: any `u32` except 0 (the console's are 10-digit numbers such as
/// `1400000000`).
///
/// Validated on construction, so a builder or a verification expectation never holds 0.
///
/// ```
/// use tencent_usersig::SdkAppId;
///
/// let id: SdkAppId = "1400000000".parse().unwrap();
/// assert_eq!(id.get(), 1_400_000_000);
/// assert_eq!(id.to_string(), "1400000000");
/// assert!(SdkAppId::new(0).is_err());
/// assert!("0".parse::<SdkAppId>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SdkAppId(NonZeroU32);

impl SdkAppId {
    /// Wraps an SDKAppID.
    ///
    /// # Errors
    /// [`Error::InvalidSdkAppId`] if `id` is 0.
    pub const fn new(id: u32) -> Result<Self, Error> {
        match NonZeroU32::new(id) {
            Some(v) => Ok(Self(v)),
            None => Err(Error::InvalidSdkAppId),
        }
    }

    /// The numeric value.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl TryFrom<u32> for SdkAppId {
    type Error = Error;

    fn try_from(id: u32) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl From<SdkAppId> for u32 {
    fn from(id: SdkAppId) -> Self {
        id.get()
    }
}

impl FromStr for SdkAppId {
    type Err = Error;

    /// Parses a decimal number from 1 to 4294967295 (Rust's `u32` syntax: an optional
    /// `+`, leading zeros allowed).
    fn from_str(s: &str) -> Result<Self, Error> {
        s.parse::<u32>()
            .map_err(|_| Error::InvalidSdkAppId)
            .and_then(Self::new)
    }
}

impl fmt::Display for SdkAppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// HMAC-SHA256, the signature of every token.
pub(crate) type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The application's secret key (the console shows 64 hex characters).
///
/// Like Tencent's references, the key is an opaque string whose UTF-8 bytes key the HMAC;
/// it is not hex-decoded. Zeroized on drop, redacted in `Debug`, and deliberately without
/// `Display` or serialization.
///
/// It also keeps the HMAC keyed with it (the hashes of the padded key, computed once by
/// [`SecretKey::new`]), so a token costs two fewer SHA-256 blocks to sign or verify. That
/// state is as secret as the key; `sha2`'s and `hmac`'s `zeroize` features wipe it on drop.
#[derive(Clone)]
pub struct SecretKey {
    key: Vec<u8>,
    mac: HmacSha256,
}

impl SecretKey {
    /// The longest key accepted, in bytes (the console's keys are 64).
    pub const MAX_LEN: usize = 1024;

    /// Wraps a secret key.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when `key` is empty or longer than [`Self::MAX_LEN`] bytes.
    pub fn new(key: &str) -> Result<Self, Error> {
        if key.is_empty() || key.len() > Self::MAX_LEN {
            return Err(Error::InvalidKey);
        }
        Ok(Self {
            key: key.as_bytes().to_vec(),
            mac: keyed_mac(key.as_bytes()),
        })
    }

    /// A fresh HMAC keyed with this key (a copy of the state computed once).
    pub(crate) fn mac(&self) -> HmacSha256 {
        self.mac.clone()
    }
}

/// HMAC-SHA256 keyed with `key`.
fn keyed_mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()))
}

impl Zeroize for SecretKey {
    fn zeroize(&mut self) {
        self.key.zeroize();
        // The keyed state is replaced; the old one is wiped as it drops (`zeroize` features).
        self.mac = keyed_mac(&[]);
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl ZeroizeOnDrop for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// The current unix time in seconds.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_debug_is_redacted_and_empty_keys_are_refused() {
        let k = SecretKey::new("f4bb043bf9d7ea80").unwrap();
        let d = format!("{k:?}");
        assert!(!d.contains("f4bb"));
        assert!(d.contains("redacted"));
        assert_eq!(
            SecretKey::new("").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert!(SecretKey::new(&"k".repeat(1025)).is_err());
    }

    #[test]
    fn the_keyed_state_follows_the_key() {
        use hmac::Mac as _;
        let sign = |k: &SecretKey| {
            let mut m = k.mac();
            m.update(b"x");
            m.finalize().into_bytes()
        };
        let mut k = SecretKey::new("f4bb043bf9d7ea80").unwrap();
        let mut fresh = <HmacSha256 as KeyInit>::new_from_slice(b"f4bb043bf9d7ea80").unwrap();
        fresh.update(b"x");
        assert_eq!(sign(&k), fresh.finalize().into_bytes());
        assert_eq!(sign(&k.clone()), sign(&k));
        let before = sign(&k);
        k.zeroize();
        assert_ne!(sign(&k), before);
        assert!(k.key.iter().all(|&b| b == 0));
    }

    #[test]
    fn sdkappids_are_never_zero() {
        assert_eq!(SdkAppId::new(0), Err(Error::InvalidSdkAppId));
        assert_eq!(SdkAppId::try_from(7).map(u32::from), Ok(7));
        assert_eq!(
            "4294967295".parse::<SdkAppId>().map(SdkAppId::get),
            Ok(u32::MAX)
        );
        for bad in ["", "0", "-1", "4294967296", "14e8", " 1"] {
            let e = bad.parse::<SdkAppId>().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
        }
    }

    #[test]
    fn error_messages_are_lowercase() {
        let errs = [
            Error::InvalidKey,
            Error::InvalidSdkAppId,
            Error::InvalidUserId,
            Error::InvalidRoom("x"),
            Error::InvalidValidity("x"),
            Error::TooLong { field: "account" },
            Error::Malformed("x"),
            Error::Version,
            Error::Signature,
            Error::Mismatch { field: "sdkappid" },
            Error::Expired {
                expired_at: 1,
                now: 2,
            },
        ];
        for e in errs {
            let m = e.to_string();
            assert_eq!(m, m.to_lowercase(), "{m}");
        }
    }
}
