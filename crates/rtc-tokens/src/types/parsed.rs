//! What a provider answers: the issued token, the parsed view of a token, and
//! the options of parsing and verifying.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{TokenVersion, Vendor};
use crate::{Error, ErrorKind, Privilege, VendorDetail};

/// A token issued by a provider.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The token string to hand to the client.
    pub token: String,
    /// The vendor that will accept it.
    pub vendor: Vendor,
    /// The token format.
    pub version: TokenVersion,
    /// Issue time, unix seconds.
    pub issued_at: u64,
    /// The expiry actually applied, unix seconds (Agora's is capped at 24 hours).
    pub expires_at: u64,
    /// When the client should fetch a new token, unix seconds.
    pub renew_at: u64,
}

impl IssuedToken {
    /// The `Authorization` header value that authenticates Agora's Conversational
    /// AI REST API with this token, `agora token=<token>`; send it under
    /// [`agora_dynamic_key::rest::AUTHORIZATION`]. The token is usually a
    /// [`TokenKind::ConvoAi`](super::TokenKind::ConvoAi) one whose channel and uid match the agent request's.
    /// Like the token, the value is a credential: its `Debug` is redacted.
    ///
    /// ```
    /// use rtc_tokens::{AgoraProvider, TokenProvider, TokenRequest};
    ///
    /// # fn main() -> Result<(), rtc_tokens::Error> {
    /// let request = TokenRequest::convoai("1001", "support-42").with_uid(1001);
    /// let issued = AgoraProvider::demo().issue(&request)?;
    /// let auth = issued.rest_authorization()?;
    /// assert!(auth.as_str().starts_with("agora token=007"));
    /// assert_eq!(auth.token(), issued.token);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid_input` for a token that is not an Agora 007 one; the vendor
    /// crate's `malformed` for one a header value cannot carry.
    pub fn rest_authorization(&self) -> Result<agora_dynamic_key::rest::TokenAuthorization, Error> {
        if self.version != TokenVersion::Agora007 {
            return Err(Error::invalid_input(
                Some(self.vendor),
                "the conversational ai rest api takes an agora 007 token",
            ));
        }
        Ok(agora_dynamic_key::rest::TokenAuthorization::new(
            &self.token,
        )?)
    }
}

impl fmt::Debug for IssuedToken {
    /// Omits the token itself: issued tokens are credentials and stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"<redacted>")
            .field("vendor", &self.vendor)
            .field("version", &self.version)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("renew_at", &self.renew_at)
            .finish()
    }
}

/// How far a parse could check a token's integrity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// The signature (Agora HMAC) or the authentication tag (ZEGO GCM) checked out.
    Verified,
    /// ZEGO CBC: it decrypted with the secret and its padding and JSON are valid,
    /// but CBC is not authenticated, so an altered token could still decrypt.
    DecryptedUnauthenticated,
    /// The signature does not match the configured certificate.
    SignatureInvalid,
    /// Nothing was checked: an Agora 006 token without the channel name and
    /// uid it was built for, or any token read with
    /// [`dangerous::insecure_decode`](crate::dangerous::insecure_decode).
    NotChecked,
}

impl Verification {
    /// Whether the token is accepted as authentic.
    #[must_use]
    pub const fn is_ok(self) -> bool {
        matches!(self, Self::Verified | Self::DecryptedUnauthenticated)
    }
}

/// One privilege of a parsed token, in plain words.
///
/// A service that carries no privileges (Agora's `convoai` and `stt` services,
/// as their builders add them) is listed once, named `no privileges`, without
/// an expiry: every service a token holds shows up here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivilegeView {
    /// The service it belongs to (`rtc`, `rtm`, `chat`, `room`…).
    pub service: String,
    /// What it allows, in plain words (`join channel`, `publish audio`…).
    pub name: String,
    /// When it expires, unix seconds, if the format says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

/// The vendor-neutral view of a parsed token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParsedToken {
    /// The vendor.
    pub vendor: Vendor,
    /// The format.
    pub version: TokenVersion,
    /// The app id inside the token; `None` when it cannot be read (a ZEGO
    /// token decoded without its secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The user (ZEGO user id; Agora uid/account/user id), when the token names one.
    pub user: Option<String>,
    /// The room or channel, when the token names one.
    pub room: Option<String>,
    /// Issue time, unix seconds (absent for 006, which does not carry it, and for
    /// a ZEGO token read without its secret).
    pub issued_at: Option<u64>,
    /// Expiry, unix seconds.
    pub expires_at: u64,
    /// The privileges, in plain words.
    pub privileges: Vec<PrivilegeView>,
    /// How far the token's integrity was checked.
    pub verification: Verification,
    /// Vendor-specific detail.
    pub detail: VendorDetail,
}

/// When a parse checks expiry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExpiryCheck {
    /// Against the system clock (default).
    #[default]
    Now,
    /// Against the given unix time.
    At(u64),
    /// Not at all (for inspecting old tokens and conformance).
    Skip,
}

/// Options for [`TokenProvider::verify`](crate::TokenProvider::verify) and
/// [`TokenProvider::inspect`](crate::TokenProvider::inspect).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// When to check expiry (used by `verify`).
    pub expiry: ExpiryCheck,
    /// The app id the token must be for (ZEGO: the decimal app id); another
    /// fails `verify` with `mismatch`.
    pub app_id: Option<String>,
    /// The room (ZEGO) or channel (Agora) the token must be for; a token for
    /// another fails `verify` with `mismatch`. A token that names no room (a
    /// ZEGO identity token, an RTM token) is not refused for it. An Agora 006
    /// token carries only its CRC32, and is verified with it and `uid`.
    pub channel: Option<String>,
    /// The user the token must be for: ZEGO user id, Agora uid as a string
    /// (`""` for uid 0) or account, RTM/chat user id; another fails `verify`
    /// with `mismatch` (an Agora token for uid 0, any user, is not refused).
    /// An Agora 006 token is verified with it and `channel`.
    pub uid: Option<String>,
    /// Accept only this format (e.g. refuse legacy 006 tokens): another
    /// version's token fails with `version`. `None` accepts every format the
    /// provider knows.
    pub version: Option<TokenVersion>,
    /// The privileges `verify` requires, each held and unexpired (see
    /// [`check_privileges`](crate::check_privileges)). `None` (the default)
    /// requires what the token needs to be usable: RTC join channel, RTM
    /// login, its chat privilege; `Some` of an empty list, nothing.
    pub require: Option<Vec<Privilege>>,
}

impl ParseOptions {
    /// Options that check expiry against `now`.
    #[must_use]
    pub fn at(now: u64) -> Self {
        Self {
            expiry: ExpiryCheck::At(now),
            ..Self::default()
        }
    }

    /// Options that skip the expiry check.
    #[must_use]
    pub fn skip_expiry() -> Self {
        Self {
            expiry: ExpiryCheck::Skip,
            ..Self::default()
        }
    }

    /// Accepts only tokens of `version`.
    #[must_use]
    pub fn only(mut self, version: TokenVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Fails with `version` when `version` is set and the token is of another.
    ///
    /// # Errors
    ///
    /// `version` when the token's prefix is unknown or not the one required.
    pub fn check_version(&self, token: &str) -> Result<TokenVersion, Error> {
        let detected = TokenVersion::detect(token)?;
        match self.version {
            Some(wanted) if wanted != detected => Err(Error::new(
                ErrorKind::Version,
                Some(wanted.vendor()),
                format!("expected a {wanted} token, got a {detected} token"),
            )),
            _ => Ok(detected),
        }
    }

    /// Expects the channel and uid an Agora 006 token is verified with (any
    /// token is then checked against them): `expect_room` and `expect_user`.
    #[must_use]
    pub fn with_channel_uid(self, channel: impl Into<String>, uid: impl Into<String>) -> Self {
        self.expect_room(channel).expect_user(uid)
    }

    /// Requires these privileges, instead of what the token needs to be usable
    /// (an empty list requires none).
    #[must_use]
    pub fn require(mut self, privileges: impl IntoIterator<Item = Privilege>) -> Self {
        self.require = Some(privileges.into_iter().collect());
        self
    }

    /// Expects the token to be for `app_id` (ZEGO: the decimal app id).
    ///
    /// ```
    /// use rtc_tokens::{AgoraProvider, ErrorKind, ParseOptions, TokenProvider, TokenRequest};
    ///
    /// # fn main() -> Result<(), rtc_tokens::Error> {
    /// let provider = AgoraProvider::demo();
    /// let token = provider.issue(&TokenRequest::rtc("alice", "lobby"))?.token;
    /// let ok = ParseOptions::default().expect_app_id(provider.app_id()).expect_room("lobby");
    /// assert!(provider.verify(&token, &ok.expect_user("alice")).is_ok());
    /// let other = ParseOptions::default().expect_room("kitchen");
    /// assert_eq!(provider.verify(&token, &other).unwrap_err().kind(), ErrorKind::Mismatch);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn expect_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Expects the token to be for `room` (ZEGO room id, Agora channel name).
    #[must_use]
    pub fn expect_room(mut self, room: impl Into<String>) -> Self {
        self.channel = Some(room.into());
        self
    }

    /// Expects the token to be for `user` (ZEGO user id; Agora uid string,
    /// `""` for uid 0, or account; RTM/chat user id).
    #[must_use]
    pub fn expect_user(mut self, user: impl Into<String>) -> Self {
        self.uid = Some(user.into());
        self
    }
}
