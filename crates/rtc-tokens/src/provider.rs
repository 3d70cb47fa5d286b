//! The vendor-neutral trait and a registry that dispatches on a token's prefix.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{
    Error, ErrorKind, ExpiryCheck, IssuedToken, Note, ParseOptions, ParsedToken, TokenRequest,
    TokenVersion, Vendor, Verification, check_privileges,
};

/// The current unix time in seconds (0 if the clock is before 1970).
#[must_use]
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Issues and checks tokens of one vendor.
///
/// Object safe, `Send + Sync`: a server holds an `Arc<dyn TokenProvider>` chosen
/// at run time and writes its token endpoint once.
///
/// ```
/// use std::sync::Arc;
/// use rtc_tokens::{AgoraProvider, ParseOptions, TokenProvider, TokenRequest, ZegoProvider};
///
/// # fn main() -> Result<(), rtc_tokens::Error> {
/// let providers: Vec<Arc<dyn TokenProvider>> = vec![
///     Arc::new(ZegoProvider::demo()),
///     Arc::new(AgoraProvider::demo()),
/// ];
/// for provider in &providers {
///     let issued = provider.issue(&TokenRequest::rtc("alice", "lobby"))?;
///     let parsed = provider.verify(&issued.token, &ParseOptions::default())?;
///     assert_eq!(parsed.user.as_deref(), Some("alice"));
///     assert_eq!(parsed.room.as_deref(), Some("lobby"));
/// }
/// # Ok(())
/// # }
/// ```
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// The vendor this provider serves.
    fn vendor(&self) -> Vendor;

    /// The configured app id, as text.
    fn app_id(&self) -> String;

    /// Issues a token as of `now` (unix seconds). Randomness still comes from
    /// the operating system's CSPRNG.
    ///
    /// # Errors
    ///
    /// `invalid_input` when the request is invalid or asks for something this
    /// vendor cannot express; the message says which field.
    fn issue_at(&self, request: &TokenRequest, now: u64) -> Result<IssuedToken, Error>;

    /// Issues a token as of the system clock.
    ///
    /// # Errors
    ///
    /// As [`issue_at`](Self::issue_at).
    fn issue(&self, request: &TokenRequest) -> Result<IssuedToken, Error> {
        self.issue_at(request, unix_now())
    }

    /// Decodes a token and checks what can be checked with the configured
    /// credentials, reporting the outcome in
    /// [`ParsedToken::verification`] rather than failing on a bad signature.
    /// Expiry is not checked.
    ///
    /// # Errors
    ///
    /// `version` for another vendor's or version's token, `malformed` for a
    /// damaged one, `decrypt` for a ZEGO token that does not decrypt.
    fn inspect(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error>;

    /// Decodes and verifies a token: its signature or encryption must check
    /// out, it must be for the app id, room and user `options` expects
    /// ([`check_expected`]), hold the privileges it requires
    /// ([`check_privileges`]: by default what the token needs to be usable)
    /// and, unless `options.expiry` is [`ExpiryCheck::Skip`], neither they nor
    /// the token may have expired.
    ///
    /// # Errors
    ///
    /// Those of [`inspect`](Self::inspect), then `signature` when the signature
    /// does not verify, `invalid_input` for a 006 token without the channel
    /// name and uid to verify it with, `mismatch` when it is for another app
    /// id, room or user than expected (a 006 token whose channel or uid CRC32
    /// differs says so rather than `signature`) or lacks a required privilege,
    /// `expired` when it or a required privilege has expired.
    fn verify(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        verify_parsed(self.inspect(token, options)?, options)
    }
}

/// The checks [`TokenProvider::verify`] makes once the token is inspected.
pub(crate) fn verify_parsed(
    parsed: ParsedToken,
    options: &ParseOptions,
) -> Result<ParsedToken, Error> {
    if let Err(e) = require_verified(&parsed) {
        // A 006 signature covers the channel and uid it is checked with:
        // when their CRC32s already differ, that is the news.
        if parsed.version == TokenVersion::Agora006 {
            check_expected(&parsed, options)?;
        }
        return Err(e);
    }
    check_expected(&parsed, options)?;
    // Before the token's own expiry: a privilege that expired first is the news.
    check_privileges(&parsed, options)?;
    check_expiry(&parsed, options.expiry)?;
    Ok(parsed)
}

/// Fails unless the parsed token's integrity was established.
///
/// # Errors
///
/// `signature` for a signature mismatch; `invalid_input` when it was not checked (a 006
/// token without its channel and uid, or one from
/// [`dangerous::insecure_decode`](crate::dangerous::insecure_decode)).
pub fn require_verified(parsed: &ParsedToken) -> Result<(), Error> {
    match parsed.verification {
        Verification::Verified | Verification::DecryptedUnauthenticated => Ok(()),
        Verification::SignatureInvalid => Err(Error::new(
            ErrorKind::Signature,
            Some(parsed.vendor),
            "signature does not match: signed with another certificate, or altered",
        )),
        Verification::NotChecked if parsed.version == TokenVersion::Agora006 => {
            Err(Error::invalid_input(
                Some(parsed.vendor),
                "a 006 token can be verified only with the channel name and uid it was built for",
            ))
        }
        Verification::NotChecked => Err(Error::invalid_input(
            Some(parsed.vendor),
            "the token was decoded without credentials: verify it with its provider",
        )),
    }
}

/// Fails with `mismatch` when the parsed token is for another app id, room
/// or user than `options` expects (for a 006 token, whose channel and uid are
/// CRC32s, when the CRC32 of the expected one differs). Expectations the token
/// cannot contradict pass: a token naming no room, an Agora token for uid 0
/// (any user), a ZEGO token read without its secret.
///
/// # Errors
///
/// `mismatch`, the message naming the field (`app id`, `room`/`channel`,
/// `user`) and both values where the token carries its own.
pub fn check_expected(parsed: &ParsedToken, options: &ParseOptions) -> Result<(), Error> {
    // The expected values are the caller's and are never echoed (a token
    // pasted into the wrong field must not reach a log through us).
    if let (Some(want), Some(have)) = (&options.app_id, &parsed.app_id)
        && want != have
    {
        return Err(Error::mismatch(
            parsed.vendor,
            format!("app id mismatch: the token is for app id {have}, not the one expected"),
        ));
    }
    let room = match parsed.vendor {
        Vendor::Zego | Vendor::Tencent => "room",
        Vendor::Agora => "channel",
    };
    let notes = parsed.principal_notes(options.channel.as_deref(), options.uid.as_deref());
    let Some(note) = notes.first() else {
        return Ok(());
    };
    let message = match note {
        Note::ChannelMismatch {
            found: Some(found), ..
        } => format!("{room} mismatch: the token is for {room} {found:?}, not the one expected"),
        Note::ChannelMismatch { .. } => {
            format!("{room} mismatch: the token was not built for the {room} expected")
        }
        Note::UserMismatch {
            found: Some(found), ..
        } => format!("user mismatch: the token is for user {found:?}, not the one expected"),
        Note::UserMismatch { .. } => {
            "user mismatch: the token was not built for the user expected".to_owned()
        }
        _ => return Ok(()),
    };
    Err(Error::mismatch(parsed.vendor, message))
}

/// Fails with `expired` when the parsed token has expired under `check`.
///
/// # Errors
///
/// `expired` when `now >= expires_at`.
pub fn check_expiry(parsed: &ParsedToken, check: ExpiryCheck) -> Result<(), Error> {
    let now = match check {
        ExpiryCheck::Now => unix_now(),
        ExpiryCheck::At(now) => now,
        ExpiryCheck::Skip => return Ok(()),
    };
    if now >= parsed.expires_at {
        let ago = now.saturating_sub(parsed.expires_at);
        return Err(Error::new(
            ErrorKind::Expired,
            Some(parsed.vendor),
            format!("token expired at {} ({ago} s ago)", parsed.expires_at),
        ));
    }
    Ok(())
}

/// `renew_at` for a token: `renew_before` seconds before expiry, never before issue.
#[must_use]
pub fn renew_at(issued_at: u64, expires_at: u64, renew_before: u32) -> u64 {
    expires_at
        .saturating_sub(u64::from(renew_before))
        .max(issued_at)
}

/// A set of providers, at most one per vendor, with a default.
///
/// It recognises a token's vendor and version from its prefix (`04…`,
/// `006…`, `007…`) or, for a Tencent UserSig, its shape
/// ([`TokenVersion::detect`]) and hands it to the matching provider.
#[derive(Clone, Debug, Default)]
pub struct Providers {
    zego: Option<Arc<dyn TokenProvider>>,
    agora: Option<Arc<dyn TokenProvider>>,
    tencent: Option<Arc<dyn TokenProvider>>,
    default_vendor: Option<Vendor>,
}

impl Providers {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the provider for its vendor.
    #[must_use]
    pub fn with(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.insert(provider);
        self
    }

    /// Adds (or replaces) the provider for its vendor.
    pub fn insert(&mut self, provider: Arc<dyn TokenProvider>) {
        match provider.vendor() {
            Vendor::Zego => self.zego = Some(provider),
            Vendor::Agora => self.agora = Some(provider),
            Vendor::Tencent => self.tencent = Some(provider),
        }
    }

    /// Sets the vendor used when a request names none.
    #[must_use]
    pub fn with_default_vendor(mut self, vendor: Vendor) -> Self {
        self.default_vendor = Some(vendor);
        self
    }

    /// The provider for `vendor`, if configured.
    #[must_use]
    pub fn get(&self, vendor: Vendor) -> Option<&Arc<dyn TokenProvider>> {
        match vendor {
            Vendor::Zego => self.zego.as_ref(),
            Vendor::Agora => self.agora.as_ref(),
            Vendor::Tencent => self.tencent.as_ref(),
        }
    }

    /// The configured vendors.
    #[must_use]
    pub fn vendors(&self) -> Vec<Vendor> {
        <Vendor as crate::Named>::ALL
            .iter()
            .copied()
            .filter(|v| self.get(*v).is_some())
            .collect()
    }

    /// The default vendor: the one set, or the only one configured.
    #[must_use]
    pub fn default_vendor(&self) -> Option<Vendor> {
        let configured = self.vendors();
        let only = match configured.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        self.default_vendor.or(only)
    }

    /// The provider for `vendor`, or for the default vendor when `None`.
    ///
    /// # Errors
    ///
    /// `invalid_input` when that vendor is not configured, or no vendor is
    /// named and there is no default.
    pub fn provider(&self, vendor: Option<Vendor>) -> Result<&Arc<dyn TokenProvider>, Error> {
        let vendor = vendor.or_else(|| self.default_vendor()).ok_or_else(|| {
            Error::invalid_input(None, "no vendor given and no default vendor configured")
        })?;
        self.get(vendor).ok_or_else(|| {
            Error::invalid_input(Some(vendor), "this vendor is not configured on this server")
        })
    }

    /// Issues a token with the provider for `vendor` (or the default one).
    ///
    /// # Errors
    ///
    /// As [`provider`](Self::provider) and [`TokenProvider::issue`].
    pub fn issue(
        &self,
        vendor: Option<Vendor>,
        request: &TokenRequest,
    ) -> Result<IssuedToken, Error> {
        self.provider(vendor)?.issue(request)
    }

    /// Recognises the token's vendor and inspects it with that provider.
    ///
    /// # Errors
    ///
    /// `version` for an unknown prefix, `invalid_input` when the vendor is not
    /// configured, then as [`TokenProvider::inspect`].
    pub fn inspect(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        self.for_token(token)?.inspect(token, options)
    }

    /// Recognises the token's vendor and verifies it with that provider.
    ///
    /// # Errors
    ///
    /// As [`inspect`](Self::inspect) and [`TokenProvider::verify`].
    pub fn verify(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        self.for_token(token)?.verify(token, options)
    }

    fn for_token(&self, token: &str) -> Result<&Arc<dyn TokenProvider>, Error> {
        let vendor = TokenVersion::detect(token)?.vendor();
        self.get(vendor).ok_or_else(|| {
            Error::invalid_input(
                Some(vendor),
                "no provider is configured for this token's vendor",
            )
        })
    }
}
