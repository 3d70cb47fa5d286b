//! The facade's one error type.
//!
//! An [`Error`] has a [`kind`](Error::kind) to branch on (the conformance
//! categories plus `internal`), the [`vendor`](Error::vendor) it concerns and a
//! lowercase [`message`](Error::message) that names the field at fault and never
//! contains a secret or token bytes. When a vendor crate refused, its typed
//! error is kept: [`Error::vendor_error`] returns it and
//! [`source()`](std::error::Error::source) yields the vendor crate's own error
//! (downcast it to `zego_token04::Error`, `agora_dynamic_key::Error` or
//! `tencent_usersig::Error`).
//!
//! The `Display` text is self-contained (`vendor: message`, the vendor's text
//! included), so print it alone; a reporter that also walks `source()` would
//! say the vendor's words twice.

use std::fmt;

use crate::Vendor;

/// The category of a failure: the conformance categories, plus `internal`.
///
/// Every vendor error lands in one of these, so a backend can answer a client
/// the same way whichever vendor it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request or a setting is invalid: nothing was built.
    InvalidInput,
    /// The token is not well formed (bad encoding, truncated, bad lengths).
    Malformed,
    /// The token has a version prefix this provider does not handle.
    Version,
    /// The token's signature does not verify with the configured credentials.
    Signature,
    /// The token cannot be decrypted with the configured secret, or it was altered.
    Decrypt,
    /// The token was valid but has expired.
    Expired,
    /// The token is authentic but not for what the caller expected: another
    /// app id, room/channel or user (see
    /// [`ParseOptions::expect_room`](crate::ParseOptions::expect_room)), or
    /// without a privilege the caller requires (see
    /// [`ParseOptions::require`](crate::ParseOptions::require)). The message
    /// names the field or privilege.
    Mismatch,
    /// The machine failed us (the operating system's random number generator):
    /// nothing was built and the request itself is fine; retrying may succeed.
    /// A server answers it with a 5xx status, not a 4xx.
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order the documentation lists them (for bindings
    /// that map each kind onto a class of their own, and for label sets).
    pub const ALL: &'static [Self] = &[
        Self::InvalidInput,
        Self::Malformed,
        Self::Version,
        Self::Signature,
        Self::Decrypt,
        Self::Expired,
        Self::Mismatch,
        Self::Internal,
    ];

    /// The category's stable name: `invalid_input`, `malformed`, `version`,
    /// `signature`, `decrypt`, `expired`, `mismatch` or `internal`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Malformed => "malformed",
            Self::Version => "version",
            Self::Signature => "signature",
            Self::Decrypt => "decrypt",
            Self::Expired => "expired",
            Self::Mismatch => "mismatch",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A vendor crate's own error, as kept inside a facade [`Error`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VendorError {
    /// From `zego_token04`.
    Zego(zego_token04::Error),
    /// From `agora_dynamic_key`.
    Agora(agora_dynamic_key::Error),
    /// From `tencent_usersig`.
    Tencent(tencent_usersig::Error),
}

impl VendorError {
    /// The vendor crate's error as a trait object (what `source()` returns).
    #[must_use]
    pub fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        match self {
            Self::Zego(e) => e,
            Self::Agora(e) => e,
            Self::Tencent(e) => e,
        }
    }

    /// The vendor whose crate raised it.
    #[must_use]
    pub const fn vendor(&self) -> Vendor {
        match self {
            Self::Zego(_) => Vendor::Zego,
            Self::Agora(_) => Vendor::Agora,
            Self::Tencent(_) => Vendor::Tencent,
        }
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_error(), f)
    }
}

/// An error from the facade: a [`kind`](Error::kind), the vendor it concerns
/// (when there is one), a lowercase message that never contains a secret or
/// token bytes, and the vendor crate's error when one caused it
/// ([`vendor_error`](Error::vendor_error), also `source()`).
///
/// ```
/// use rtc_tokens::{AgoraProvider, ErrorKind, ParseOptions, TokenProvider};
///
/// let err = AgoraProvider::demo()
///     .inspect("007eJxTYBBY", &ParseOptions::default())
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Malformed);
/// let source = std::error::Error::source(&err).expect("the vendor error");
/// assert!(source.downcast_ref::<rtc_tokens::agora_dynamic_key::Error>().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    vendor: Option<Vendor>,
    message: String,
    source: Option<VendorError>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.vendor {
            Some(vendor) => write!(f, "{vendor}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| {
            let e: &(dyn std::error::Error + 'static) = e.as_error();
            e
        })
    }
}

impl Error {
    /// A new error of `kind` about `vendor`, caused by nothing below the facade.
    #[must_use]
    pub fn new(kind: ErrorKind, vendor: Option<Vendor>, message: impl Into<String>) -> Self {
        Self {
            kind,
            vendor,
            message: message.into(),
            source: None,
        }
    }

    /// An `invalid_input` error about a request field or combination.
    #[must_use]
    pub fn invalid_input(vendor: Option<Vendor>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, vendor, message)
    }

    /// An `invalid_input` error about a configuration setting, named in the message.
    #[must_use]
    pub fn config(setting: &str, problem: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::InvalidInput,
            None,
            format!("setting {setting}: {problem}"),
        )
    }

    /// A `mismatch` error: the token is authentic but not for what was
    /// expected; `message` names the field that differs.
    #[must_use]
    pub fn mismatch(vendor: Vendor, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Mismatch, Some(vendor), message)
    }

    /// The category.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The vendor the error concerns, if any.
    #[must_use]
    pub const fn vendor(&self) -> Option<Vendor> {
        self.vendor
    }

    /// The message without the vendor prefix.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The vendor crate's error that caused this one, if any.
    #[must_use]
    pub const fn vendor_error(&self) -> Option<&VendorError> {
        self.source.as_ref()
    }

    /// A vendor crate's error under `kind`: its message, its vendor, and
    /// itself kept as `source()`.
    fn from_vendor(kind: ErrorKind, source: VendorError) -> Self {
        Self {
            kind,
            vendor: Some(source.vendor()),
            message: source.as_error().to_string(),
            source: Some(source),
        }
    }

    /// This error with the request field at fault named first
    /// (`"room: invalid channel name: …"`), its vendor error kept.
    pub(crate) fn in_field(mut self, field: &str) -> Self {
        self.message = format!("{field}: {}", self.message);
        self
    }
}

impl From<zego_token04::Error> for Error {
    fn from(e: zego_token04::Error) -> Self {
        use zego_token04::ErrorKind as K;
        let kind = match e.kind() {
            K::InvalidInput => ErrorKind::InvalidInput,
            K::Malformed => ErrorKind::Malformed,
            K::Version => ErrorKind::Version,
            K::Decrypt => ErrorKind::Decrypt,
            K::Expired => ErrorKind::Expired,
            K::Internal => ErrorKind::Internal,
        };
        Self::from_vendor(kind, VendorError::Zego(e))
    }
}

impl From<agora_dynamic_key::Error> for Error {
    fn from(e: agora_dynamic_key::Error) -> Self {
        use agora_dynamic_key::ErrorKind as K;
        let kind = match e.kind() {
            K::InvalidInput => ErrorKind::InvalidInput,
            K::Malformed => ErrorKind::Malformed,
            K::Version => ErrorKind::Version,
            K::Signature => ErrorKind::Signature,
            K::Expired => ErrorKind::Expired,
            K::Internal => ErrorKind::Internal,
        };
        Self::from_vendor(kind, VendorError::Agora(e))
    }
}

impl From<tencent_usersig::Error> for Error {
    fn from(e: tencent_usersig::Error) -> Self {
        use tencent_usersig::ErrorKind as K;
        let kind = match e.kind() {
            K::InvalidInput => ErrorKind::InvalidInput,
            K::Malformed => ErrorKind::Malformed,
            K::Version => ErrorKind::Version,
            K::Signature => ErrorKind::Signature,
            K::Expired => ErrorKind::Expired,
            K::Mismatch => ErrorKind::Mismatch,
        };
        Self::from_vendor(kind, VendorError::Tencent(e))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn source_is_the_vendor_error() {
        let e = Error::from(agora_dynamic_key::Error::Signature);
        let src = e.source().expect("a source");
        assert_eq!(
            src.downcast_ref::<agora_dynamic_key::Error>(),
            Some(&agora_dynamic_key::Error::Signature)
        );
        assert_eq!(
            e.vendor_error(),
            Some(&VendorError::Agora(agora_dynamic_key::Error::Signature))
        );
        let e = Error::from(zego_token04::Error::Decrypt);
        let src = e.source().expect("a source");
        assert_eq!(
            src.downcast_ref::<zego_token04::Error>(),
            Some(&zego_token04::Error::Decrypt)
        );
        assert_eq!(e.kind(), ErrorKind::Decrypt);
        assert!(Error::invalid_input(None, "x").source().is_none());
    }

    #[test]
    fn a_failed_csprng_is_internal() {
        let agora = Error::from(agora_dynamic_key::Error::Random);
        let zego = Error::from(zego_token04::Error::Randomness);
        for e in [agora, zego] {
            assert_eq!(e.kind(), ErrorKind::Internal);
            assert_eq!(e.kind().as_str(), "internal");
            assert_eq!(e.message(), e.message().to_lowercase());
        }
    }

    #[test]
    fn all_lists_every_kind_once() {
        // A new kind fails to compile here until it is added to `ALL`.
        let listed = |kind: ErrorKind| match kind {
            ErrorKind::InvalidInput
            | ErrorKind::Malformed
            | ErrorKind::Version
            | ErrorKind::Signature
            | ErrorKind::Decrypt
            | ErrorKind::Expired
            | ErrorKind::Mismatch
            | ErrorKind::Internal => ErrorKind::ALL.contains(&kind),
        };
        assert!(ErrorKind::ALL.iter().all(|k| listed(*k)));
        let names: std::collections::BTreeSet<_> =
            ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), 8);
    }

    #[test]
    fn display_names_the_vendor_once() {
        let e = Error::from(agora_dynamic_key::Error::Malformed("truncated"));
        assert_eq!(e.to_string(), "agora: malformed token: truncated");
        assert_eq!(e.message(), "malformed token: truncated");
    }
}
