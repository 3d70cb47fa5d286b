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

use zeroize::{Zeroize, ZeroizeOnDrop};

pub mod access_token;
pub mod access_token2;
mod b64;
pub mod builder;
#[cfg(feature = "hazmat")]
pub mod hazmat;
pub mod limits;
pub mod rest;
mod wire;

pub use access_token::Role;

/// Agora's servers accept a token for at most 24 hours; the everyday builders in
/// [`builder`] cap every validity at this many seconds (see [`capped_validity`]).
pub const MAX_VALIDITY_SECS: u32 = 86_400;

/// The token validity Agora's servers apply to a requested one, in seconds: 0 (the
/// references' "unset") and anything above [`MAX_VALIDITY_SECS`] count as 24 hours.
///
/// The one place this rule is written: the [`builder`] caps with it,
/// [`ParsedAccessToken2::effective_expires_at`](access_token2::ParsedAccessToken2::effective_expires_at)
/// reads with it, and callers that show or check a validity before issuing use it too.
///
/// ```
/// use agora_dynamic_key::{MAX_VALIDITY_SECS, capped_validity};
///
/// assert_eq!(capped_validity(600), 600);
/// assert_eq!(capped_validity(0), MAX_VALIDITY_SECS);
/// assert_eq!(capped_validity(100_000), MAX_VALIDITY_SECS);
/// ```
#[must_use]
pub const fn capped_validity(secs: u32) -> u32 {
    if secs == 0 || secs > MAX_VALIDITY_SECS {
        MAX_VALIDITY_SECS
    } else {
        secs
    }
}

/// Who a token is for: Agora's numeric uid or a string user account.
///
/// On the wire both are strings: an account as given, a uid as its unsigned decimal,
/// except uid 0 ("any user"), which is the empty string (python/go; spec §2.2 and D7).
/// [`Principal::to_account`] and [`access_token::uid_string`] apply that rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Principal<'a> {
    /// A numeric uid (0 = any user, written as `""`).
    Uid(u32),
    /// A user account string, written as is.
    Account(&'a str),
}

impl Principal<'_> {
    /// The string the token carries for this principal (uid 0 is `""`).
    #[must_use]
    pub fn to_account(&self) -> String {
        match *self {
            Self::Uid(uid) => access_token::uid_string(uid),
            Self::Account(account) => account.to_owned(),
        }
    }

    /// Calls `f` with the bytes the token carries for this principal, without allocating.
    pub(crate) fn write_account<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match *self {
            Self::Uid(uid) => f(access_token::UidDigits::new(uid).as_bytes()),
            Self::Account(account) => f(account.as_bytes()),
        }
    }
}

impl fmt::Display for Principal<'_> {
    /// The account string (uid 0 shows as nothing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Uid(0) => Ok(()),
            Self::Uid(uid) => write!(f, "{uid}"),
            Self::Account(account) => f.write_str(account),
        }
    }
}

/// Upper bound on the length of a token string accepted by the parsers, checked before
/// any decoding (characters).
pub const MAX_TOKEN_LEN: usize = 256 * 1024;

/// Upper bound on the inflated body of a 007 token accepted by the parser (bytes).
pub const MAX_INFLATED_LEN: usize = 256 * 1024;

/// The broad category of an [`Error`], matching the conformance vectors' error names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The caller supplied something that cannot be built (`invalid_input`).
    InvalidInput,
    /// The token does not decode (`malformed`).
    Malformed,
    /// The token has the wrong version prefix (`version`).
    Version,
    /// The signature does not match (`signature`).
    Signature,
    /// The token or privilege has expired (`expired`).
    Expired,
    /// The operating system's random number generator failed (`internal`): nothing was
    /// built, and retrying later may succeed.
    Internal,
}

impl ErrorKind {
    /// The category name used by the conformance vectors (`invalid_input`, `malformed`, ...;
    /// `internal` has no vector: it cannot be provoked from the outside).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Malformed => "malformed",
            Self::Version => "version",
            Self::Signature => "signature",
            Self::Expired => "expired",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong building, parsing or verifying a token.
///
/// Messages are lowercase and never contain certificates or token bytes.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The app id is not 32 ASCII hex characters.
    #[error("invalid app id: expected 32 ascii hex characters")]
    InvalidAppId,
    /// The app certificate is not 32 ASCII hex characters.
    #[error("invalid app certificate: expected 32 ascii hex characters")]
    InvalidAppCertificate,
    /// A string or list does not fit its 16-bit length prefix.
    #[error("{field} is too long: at most 65535 bytes or entries can be encoded")]
    TooLong {
        /// Which field was too long.
        field: &'static str,
    },
    /// A name breaks the limit Agora documents for it (see [`limits`]); the
    /// message names the field and the limit, never the value.
    #[error("invalid {}: {}", .0.field(), .0.rule())]
    InvalidName(limits::Name),
    /// A 007 token needs at least one service.
    #[error("no service added")]
    NoService,
    /// The operating system's random number generator failed while drawing a salt
    /// ([`ErrorKind::Internal`]).
    #[error("the operating system random number generator failed")]
    Random,
    /// The token does not decode.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// The token does not start with the expected version.
    #[error("unsupported token version: expected {expected}")]
    Version {
        /// The version prefix that was expected (`006` or `007`).
        expected: &'static str,
    },
    /// The signature does not match.
    #[error("signature mismatch")]
    Signature,
    /// The token (or the checked privilege) expired before `now`.
    #[error("token expired at {expired_at} (now {now})")]
    Expired {
        /// Absolute unix time of the expiry.
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
            Self::InvalidAppId
            | Self::InvalidAppCertificate
            | Self::TooLong { .. }
            | Self::InvalidName(_)
            | Self::NoService => ErrorKind::InvalidInput,
            Self::Random => ErrorKind::Internal,
            Self::Malformed(_) => ErrorKind::Malformed,
            Self::Version { .. } => ErrorKind::Version,
            Self::Signature => ErrorKind::Signature,
            Self::Expired { .. } => ErrorKind::Expired,
        }
    }
}

/// True when `s` is exactly 32 ASCII hex digits (either case).
///
/// Eight bytes per step, without branching on the bytes: a byte is a digit when it is in
/// `'0'..='9'`, a letter when it is in `'a'..='f'` once bit 5 is set (`'A'..='F'` fold onto
/// them, nothing else does); each range test adds a bias to every lane and reads bit 7, and
/// lanes cannot carry into each other once bytes with bit 7 set are refused.
pub(crate) fn is_hex32(s: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let Ok(s) = <&[u8; 32]>::try_from(s) else {
        return false;
    };
    let mut bad = 0u64;
    for w in s.as_chunks::<8>().0 {
        let w = u64::from_le_bytes(*w);
        let f = w | 0x2020_2020_2020_2020;
        // x >= '0' and x <= '9'; f >= 'a' and f <= 'f' (biases 0x80 - lo and 0x7f - hi).
        let digit = w.wrapping_add(0x5050_5050_5050_5050) & !w.wrapping_add(0x4646_4646_4646_4646);
        let letter = f.wrapping_add(0x1f1f_1f1f_1f1f_1f1f) & !f.wrapping_add(0x1919_1919_1919_1919);
        bad |= ((digit | letter) & HIGH) ^ HIGH | (w & HIGH);
    }
    bad == 0
}

/// An Agora app id: 32 ASCII hex characters in either case, kept verbatim.
///
/// The case matters: the ASCII bytes are signed, never the hex-decoded value. Stored inline
/// (no heap allocation): cloning one copies 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct AppId([u8; 32]);

impl AppId {
    /// Validates and wraps an app id.
    ///
    /// # Errors
    /// [`Error::InvalidAppId`] unless `s` is exactly 32 ASCII hex characters.
    pub fn new(s: &str) -> Result<Self, Error> {
        match <[u8; 32]>::try_from(s.as_bytes()) {
            Ok(bytes) if is_hex32(&bytes) => Ok(Self(bytes)),
            _ => Err(Error::InvalidAppId),
        }
    }

    /// The app id as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // The bytes were checked to be ASCII hex digits in `new` and never change, so this
        // conversion cannot fail; the empty fallback only avoids a panic path (and `unsafe`).
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The app id's 32 ASCII bytes, as signed.
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

// As for the `String` this type used to hold: hashes and prints like the string.
impl core::hash::Hash for AppId {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AppId").field(&self.as_str()).finish()
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for AppId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl core::str::FromStr for AppId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

/// An Agora app certificate: 32 ASCII hex characters, used as its ASCII bytes.
///
/// The secret is zeroized on drop, its `Debug` output is redacted, and it deliberately has
/// no `Display` or serialization.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AppCertificate([u8; 32]);

impl AppCertificate {
    /// Validates and wraps an app certificate.
    ///
    /// # Errors
    /// [`Error::InvalidAppCertificate`] unless `s` is exactly 32 ASCII hex characters.
    pub fn new(s: &str) -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        match bytes.get_mut(..) {
            Some(dst) if is_hex32(s.as_bytes()) => dst.copy_from_slice(s.as_bytes()),
            _ => return Err(Error::InvalidAppCertificate),
        }
        Ok(Self(bytes))
    }

    /// The ASCII bytes used as key material.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for AppCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppCertificate(<redacted>)")
    }
}

/// Draws a salt uniformly from `1..=99_999_999` using the operating system's CSPRNG.
///
/// Random words are fetched from the OS in batches of 64 per thread (one `getrandom` call
/// instead of one per token; the system call costs about as much as the rest of a 006
/// token). Salts are not secret: they only make tokens issued in the same second differ.
pub(crate) fn random_salt() -> Result<u32, Error> {
    const RANGE: u32 = 99_999_999;
    // Largest multiple of RANGE that fits in u32: rejection sampling keeps it uniform.
    const ZONE: u32 = u32::MAX - (u32::MAX % RANGE);
    loop {
        let x = random_u32()?;
        if x < ZONE {
            return Ok((x % RANGE).wrapping_add(1));
        }
    }
}

struct RandomPool {
    words: [u32; 64],
    left: usize,
}

thread_local! {
    static POOL: core::cell::RefCell<RandomPool> =
        const { core::cell::RefCell::new(RandomPool { words: [0; 64], left: 0 }) };
}

fn random_u32() -> Result<u32, Error> {
    let pooled = POOL.try_with(|cell| {
        let mut pool = cell.try_borrow_mut().ok()?;
        if pool.left == 0 {
            let mut bytes = [0u8; 256];
            getrandom::fill(&mut bytes).ok()?;
            for (w, c) in pool.words.iter_mut().zip(bytes.as_chunks::<4>().0) {
                *w = u32::from_le_bytes(*c);
            }
            bytes.zeroize();
            pool.left = pool.words.len();
        }
        pool.left = pool.left.checked_sub(1)?;
        let i = pool.left;
        pool.words.get_mut(i).map(core::mem::take)
    });
    match pooled {
        Ok(Some(x)) => Ok(x),
        // No thread-local storage (thread teardown) or re-entrancy: ask the OS directly.
        _ => getrandom::u32().map_err(|_| Error::Random),
    }
}

/// The current unix time in seconds, saturated to the `u32` range.
pub(crate) fn unix_now() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_hex32_matches_the_byte_test() {
        let good = *b"970CA35de60c44645bbae8a215061b33";
        assert!(is_hex32(&good));
        for at in 0..32 {
            for b in 0..=255u8 {
                let mut s = good;
                s[at] = b;
                assert_eq!(is_hex32(&s), b.is_ascii_hexdigit(), "{b:#x} at {at}");
            }
        }
        assert!(!is_hex32(&good[..31]));
        assert!(!is_hex32(b"970CA35de60c44645bbae8a215061b330"));
        assert!(!is_hex32(b""));
    }

    #[test]
    fn app_id_validation() {
        assert!(AppId::new("970CA35de60c44645bbae8a215061b33").is_ok());
        assert_eq!(
            AppId::new("970CA35de60c44645bbae8a215061b33")
                .unwrap()
                .as_str(),
            "970CA35de60c44645bbae8a215061b33"
        );
        for bad in [
            "",
            "invalid",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            " 70CA35de60c44645bbae8a215061b33",
        ] {
            assert_eq!(AppId::new(bad).unwrap_err().kind(), ErrorKind::InvalidInput);
            assert_eq!(
                AppCertificate::new(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput
            );
        }
    }

    #[test]
    fn app_id_prints_and_hashes_like_its_string() {
        use std::hash::{BuildHasher, RandomState};
        let s = "970CA35de60c44645bbae8a215061b33";
        let id = AppId::new(s).unwrap();
        assert_eq!(format!("{id:?}"), format!("AppId({s:?})"));
        assert_eq!(id.to_string(), s);
        assert_eq!(id.as_ref() as &str, s);
        assert_eq!(s.parse::<AppId>().unwrap(), id);
        assert_eq!(id.clone(), id);
        assert_ne!(AppId::new(&s.to_lowercase()).unwrap(), id);
        let h = RandomState::new();
        assert_eq!(h.hash_one(&id), h.hash_one(s));
    }

    #[test]
    fn certificate_debug_is_redacted() {
        let c = AppCertificate::new("5CFd2fd1755d40ecb72977518be15d3b").unwrap();
        let d = format!("{c:?}");
        assert!(!d.contains("5CFd"));
        assert!(d.contains("redacted"));
    }

    #[test]
    fn capped_validity_is_the_24_hour_rule() {
        assert_eq!(capped_validity(1), 1);
        assert_eq!(capped_validity(MAX_VALIDITY_SECS), MAX_VALIDITY_SECS);
        for v in [0, MAX_VALIDITY_SECS + 1, u32::MAX] {
            assert_eq!(capped_validity(v), MAX_VALIDITY_SECS);
        }
    }

    #[test]
    fn principals_write_uid_zero_as_empty() {
        assert_eq!(Principal::Uid(0).to_account(), "");
        assert_eq!(Principal::Uid(42).to_account(), "42");
        assert_eq!(Principal::Account("0").to_account(), "0");
        assert_eq!(Principal::Uid(0).to_string(), "");
        assert_eq!(Principal::Uid(u32::MAX).to_string(), "4294967295");
        for p in [
            Principal::Uid(0),
            Principal::Uid(7),
            Principal::Account("bob"),
        ] {
            assert_eq!(p.write_account(|b| b.to_vec()), p.to_account().into_bytes());
        }
    }

    #[test]
    fn salt_range() {
        for _ in 0..1000 {
            let s = random_salt().unwrap();
            assert!((1..=99_999_999).contains(&s));
        }
    }

    #[test]
    fn error_messages_are_lowercase() {
        let errs = [
            Error::InvalidAppId,
            Error::InvalidAppCertificate,
            Error::TooLong {
                field: "channel name",
            },
            Error::NoService,
            Error::Random,
            Error::Malformed("truncated"),
            Error::Version { expected: "007" },
            Error::Signature,
            Error::Expired {
                expired_at: 1,
                now: 2,
            },
        ];
        for e in errs {
            let m = e.to_string();
            assert_eq!(m, m.to_lowercase());
        }
    }
}
