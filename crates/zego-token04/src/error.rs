//! Errors and their categories.

/// The category of a failure, matching the conformance categories
/// (`invalid_input`, `malformed`, `version`, `decrypt`, `expired`), plus
/// `internal` for a failed OS random number generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A build input was refused; nothing was built.
    InvalidInput,
    /// The token is not well formed: bad base64, bad lengths, truncation,
    /// trailing bytes, too long, or (after successful decryption) claims that
    /// are not the expected JSON.
    Malformed,
    /// The token does not start with the `04` version prefix.
    Version,
    /// The token could not be decrypted with this secret or was altered
    /// (GCM tag failure, CBC padding failure, CBC garbage plaintext).
    Decrypt,
    /// The token decrypted fine but its expiry time has passed.
    Expired,
    /// The operating system's random number generator failed: nothing was
    /// built, and retrying later may succeed.
    Internal,
}

impl ErrorKind {
    /// The category's stable snake-case name, as used by the conformance vectors.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Malformed => "malformed",
            Self::Version => "version",
            Self::Decrypt => "decrypt",
            Self::Expired => "expired",
            Self::Internal => "internal",
        }
    }
}

impl core::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong while building, parsing or verifying a token.
///
/// Messages are lowercase and never contain the secret, the plaintext, the
/// IV/nonce or token bytes. Use [`Error::kind`] to branch on the category and
/// [`Error::zego_code`] for ZEGO's numeric build error codes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The app id is 0 (ZEGO code 1).
    #[error("invalid app id: must not be 0")]
    InvalidAppId,
    /// The user id is empty or longer than 64 UTF-16 code units (ZEGO code 3).
    #[error("invalid user id: must be non-empty and at most 64 utf-16 code units")]
    InvalidUserId,
    /// An id breaks the limit ZEGO documents for it (see
    /// [`limits`](crate::limits)); the message names the field and the limit,
    /// never the value.
    #[error("invalid {}: {}", .0.field(), .0.rule())]
    InvalidId(crate::limits::Id),
    /// The server secret is not exactly 32 bytes (ZEGO code 5).
    #[error("invalid server secret: must be exactly 32 bytes")]
    InvalidSecret,
    /// The effective time is not positive, or `ctime + effective` overflows (ZEGO code 6).
    #[error("invalid effective time: must be positive and the expiry must fit in an i64")]
    InvalidEffectiveTime,
    /// The IV (CBC, 16 bytes) or nonce (GCM, 12 bytes) has the wrong length.
    #[error("invalid iv length for this mode")]
    InvalidIvLength,
    /// The plaintext is too long: the ciphertext would not fit its 16-bit length field.
    #[error("token content too long: the ciphertext would exceed 65535 bytes")]
    TooLong,
    /// A mode name other than `gcm` or `cbc`.
    #[error("unknown mode: expected \"gcm\" or \"cbc\"")]
    UnknownMode,
    /// The operating system's random number generator failed
    /// ([`ErrorKind::Internal`]); nothing was built.
    #[error("the operating system random number generator failed")]
    Randomness,
    /// The token is not well formed; the reason is a fixed, non-sensitive phrase.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// The token does not carry the `04` version prefix.
    #[error("unsupported token version: expected prefix \"04\"")]
    Version,
    /// Decryption or authentication failed (wrong secret or altered token).
    ///
    /// Deliberately opaque: a GCM tag failure, a bad CBC padding and a CBC
    /// plaintext that is not JSON all give this same error.
    #[error("token could not be decrypted with this secret or was altered")]
    Decrypt,
    /// The token has expired (`now >= expire`).
    #[error("token expired")]
    Expired,
}

impl Error {
    /// The category of this error.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidAppId
            | Self::InvalidUserId
            | Self::InvalidId(_)
            | Self::InvalidSecret
            | Self::InvalidEffectiveTime
            | Self::InvalidIvLength
            | Self::TooLong
            | Self::UnknownMode => ErrorKind::InvalidInput,
            Self::Randomness => ErrorKind::Internal,
            Self::Malformed(_) => ErrorKind::Malformed,
            Self::Version => ErrorKind::Version,
            Self::Decrypt => ErrorKind::Decrypt,
            Self::Expired => ErrorKind::Expired,
        }
    }

    /// ZEGO's numeric error code for build refusals that have one:
    /// `1` app id, `3` user id, `5` secret, `6` effective time.
    #[must_use]
    pub const fn zego_code(&self) -> Option<u8> {
        match self {
            Self::InvalidAppId => Some(1),
            Self::InvalidUserId => Some(3),
            Self::InvalidSecret => Some(5),
            Self::InvalidEffectiveTime => Some(6),
            _ => None,
        }
    }
}
