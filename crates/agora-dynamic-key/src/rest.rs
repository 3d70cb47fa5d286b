//! The `Authorization` header Agora's Conversational AI REST API accepts instead of Basic
//! authentication: `agora token=<token>`.
//!
//! The token is one this app's certificate signed, usually the one the agent joins with
//! ([`TokenBuilder::convoai`](crate::builder::TokenBuilder::convoai)); the channel and uid it
//! names must match the agent request's. [`TokenAuthorization`] holds the header value: like
//! the token it carries, it is a credential, so its `Debug` is redacted and it has no
//! `Display`. A token with a character a header value cannot carry (whitespace, a control
//! character, anything outside visible ASCII) is refused rather than trimmed or escaped, so
//! what is sent is exactly the token that was built.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

/// The header's name, as the `http` crate spells it (header names are case-insensitive).
pub const AUTHORIZATION: &str = "authorization";

/// The value of the `Authorization` header for token authentication on Agora's
/// Conversational AI REST API: `agora token=<token>`.
///
/// ```
/// use agora_dynamic_key::builder::{RtcSpec, TokenBuilder};
/// use agora_dynamic_key::rest::{AUTHORIZATION, TokenAuthorization};
/// use agora_dynamic_key::{AppCertificate, AppId, Principal};
///
/// # fn main() -> Result<(), agora_dynamic_key::Error> {
/// let b = TokenBuilder::new(
///     AppId::new("0123456789abcdef0123456789abcdef")?,
///     AppCertificate::new("fedcba9876543210fedcba9876543210")?,
/// );
/// let issued = b.convoai(&RtcSpec::new("support-42", Principal::Uid(1001), 3600), "1001", None)?;
/// let auth = TokenAuthorization::new(&issued.token)?;
/// // e.g. request.header(AUTHORIZATION, auth.as_str())
/// assert_eq!(AUTHORIZATION, "authorization");
/// assert!(auth.as_str().starts_with("agora token=007"));
/// assert!(TokenAuthorization::new(" 007eJx").is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TokenAuthorization(String);

impl TokenAuthorization {
    /// The scheme and parameter name before the token.
    pub const PREFIX: &'static str = "agora token=";

    /// `agora token=<token>`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for an empty token or one with a byte outside visible ASCII
    /// (`!` to `~`): whitespace (a trailing newline too), control characters and non-ASCII
    /// would change or break the header. The token itself is not decoded or verified.
    pub fn new(token: &str) -> Result<Self, Error> {
        if token.is_empty() {
            return Err(Error::Malformed("token is empty"));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Malformed(
                "token has a character an http header value cannot carry",
            ));
        }
        let mut value = String::with_capacity(Self::PREFIX.len().saturating_add(token.len()));
        value.push_str(Self::PREFIX);
        value.push_str(token);
        Ok(Self(value))
    }

    /// The header value, `agora token=<token>`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The token inside.
    #[must_use]
    pub fn token(&self) -> &str {
        self.0.get(Self::PREFIX.len()..).unwrap_or_default()
    }
}

impl fmt::Debug for TokenAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenAuthorization(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn formats_the_header_value() {
        let a = TokenAuthorization::new("007eJxTYA==").unwrap();
        assert_eq!(a.as_str(), "agora token=007eJxTYA==");
        assert_eq!(a.token(), "007eJxTYA==");
        assert_eq!(a.clone(), a);
    }

    #[test]
    fn refuses_what_a_header_cannot_carry() {
        for bad in [
            "",
            " 007eJx",
            "007eJx\n",
            "007eJx\r\nX-Evil: 1",
            "007 eJx",
            "007eJx\t",
            "007eJé",
            "007\0",
        ] {
            let e = TokenAuthorization::new(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Malformed, "{bad:?}");
            assert!(!e.to_string().contains("007"), "{e}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        let a = TokenAuthorization::new("007eJxSECRET").unwrap();
        let d = format!("{a:?}");
        assert!(!d.contains("SECRET"), "{d}");
        assert!(d.contains("redacted"));
    }
}
