//! The facade's one error type.

use std::fmt;

use crate::Vendor;

/// The category of a failure, exactly the conformance categories.
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
}

impl ErrorKind {
    /// The category's stable name: `invalid_input`, `malformed`, `version`,
    /// `signature`, `decrypt` or `expired`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Malformed => "malformed",
            Self::Version => "version",
            Self::Signature => "signature",
            Self::Decrypt => "decrypt",
            Self::Expired => "expired",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from the facade: a [`kind`](Error::kind), the vendor it concerns
/// (when there is one) and a lowercase message that never contains a secret
/// or token bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    vendor: Option<Vendor>,
    message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.vendor {
            Some(vendor) => write!(f, "{vendor}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Error {
    /// A new error of `kind` about `vendor`.
    #[must_use]
    pub fn new(kind: ErrorKind, vendor: Option<Vendor>, message: impl Into<String>) -> Self {
        Self {
            kind,
            vendor,
            message: message.into(),
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
        };
        Self::new(kind, Some(Vendor::Zego), e.to_string())
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
        };
        Self::new(kind, Some(Vendor::Agora), e.to_string())
    }
}
