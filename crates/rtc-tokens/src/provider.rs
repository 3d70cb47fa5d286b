//! The vendor-neutral trait and a registry that dispatches on a token's prefix.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{
    DEFAULT_RENEW_BEFORE_SECS, Error, ErrorKind, ExpiryCheck, IssuedToken, Note, ParseOptions,
    ParsedToken, TokenKind, TokenRequest, TokenVersion, Vendor, Verification, check_privileges,
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

/// What the three providers share when they issue: how long before expiry
/// clients are told to renew, and the one assembly of an [`IssuedToken`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Renewal {
    before: u32,
}

impl Default for Renewal {
    fn default() -> Self {
        Self::before(DEFAULT_RENEW_BEFORE_SECS)
    }
}

impl Renewal {
    /// Renew `secs` seconds before expiry.
    pub(crate) const fn before(secs: u32) -> Self {
        Self { before: secs }
    }

    /// The issued token of `version` (whose vendor it names), valid from
    /// `issued_at` until `expires_at`, with its renew time.
    pub(crate) fn issued(
        self,
        version: TokenVersion,
        token: String,
        issued_at: u64,
        expires_at: u64,
    ) -> IssuedToken {
        IssuedToken {
            token,
            vendor: version.vendor(),
            version,
            issued_at,
            expires_at,
            renew_at: renew_at(issued_at, expires_at, self.before),
        }
    }
}

/// A provider on its constant, clearly fake demo credentials: `build` cannot
/// fail (each provider's unit test builds its demo), so a failure is a bug in
/// a constant.
#[allow(
    clippy::expect_used,
    reason = "constant demo credentials, checked by each provider's unit test"
)]
pub(crate) fn demo<P>(build: impl FnOnce() -> Result<P, Error>) -> P {
    build().expect("the demo credentials are valid")
}

/// The request checks of a vendor whose every token is an RTC token for one
/// user named by `user_id` (ZEGO, Tencent): a validity, kind `rtc`, no
/// numeric uid, no per-privilege expiries. Returns the user id.
///
/// # Errors
///
/// `invalid_input` naming what `vendor` cannot express.
pub(crate) fn rtc_user_id(request: &TokenRequest, vendor: Vendor) -> Result<&str, Error> {
    request.check_validity(vendor)?;
    let refuse = |message: String| Err(Error::invalid_input(Some(vendor), message));
    if request.kind != TokenKind::Rtc {
        return refuse(format!(
            "{vendor} has one kind of token, rtc; {} tokens are agora only",
            request.kind
        ));
    }
    if request.uid.is_some() {
        return refuse(format!(
            "{vendor} has no numeric uid: pass the user as user_id"
        ));
    }
    if request.privilege_expiries.is_some() {
        return refuse(format!(
            "{vendor} cannot express per-privilege expiries: its privileges last as the token"
        ));
    }
    required_user_id(request, vendor)
}

/// The request's `user_id`, which `vendor` requires.
///
/// # Errors
///
/// `invalid_input` when it is missing.
pub(crate) fn required_user_id(request: &TokenRequest, vendor: Vendor) -> Result<&str, Error> {
    request
        .user_id
        .as_deref()
        .ok_or_else(|| Error::invalid_input(Some(vendor), "user_id is required"))
}

/// Refuses `stream_ids` for a vendor other than ZEGO.
///
/// # Errors
///
/// `invalid_input` when the request lists stream ids.
pub(crate) fn no_stream_ids(request: &TokenRequest, vendor: Vendor) -> Result<(), Error> {
    if request.stream_ids.is_empty() {
        return Ok(());
    }
    Err(Error::invalid_input(
        Some(vendor),
        format!("stream_ids are a zego restriction that {vendor} cannot express"),
    ))
}

/// The verification outcome of a signature check: a signature that does not
/// match is reported, not failed on; any other error is.
///
/// # Errors
///
/// The check's error when it is not a signature mismatch.
pub(crate) fn signature_checked(result: Result<(), Error>) -> Result<Verification, Error> {
    match result {
        Ok(()) => Ok(Verification::Verified),
        Err(e) if e.kind() == ErrorKind::Signature => Ok(Verification::SignatureInvalid),
        Err(e) => Err(e),
    }
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
