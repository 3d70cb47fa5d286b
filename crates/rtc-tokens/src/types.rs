//! Vendor-neutral request, issued token and parsed view.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::named::named_text;
use crate::{Error, ErrorKind, Named, Privilege, VendorDetail};

/// The default validity of a requested token: one hour.
pub const DEFAULT_VALIDITY_SECS: u32 = 3_600;

/// The default time before expiry at which a client should fetch a new token:
/// 30 seconds, when Agora's SDKs fire their will-expire callbacks.
pub const DEFAULT_RENEW_BEFORE_SECS: u32 = 30;

/// A token vendor.
///
/// Its spellings are its [`Named`] data: written as `zego`, `agora` or
/// `tencent`; `zegocloud` is read as ZEGO, `trtc` as Tencent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    /// ZEGOCLOUD (token04).
    Zego,
    /// Agora (AccessToken 006 and AccessToken2 007).
    Agora,
    /// Tencent Cloud TRTC (UserSig and PrivateMapKey, TLS sig v2).
    Tencent,
}

impl Named for Vendor {
    const ALL: &'static [Self] = &[Self::Zego, Self::Agora, Self::Tencent];

    fn name(self) -> &'static str {
        match self {
            Self::Zego => "zego",
            Self::Agora => "agora",
            Self::Tencent => "tencent",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Zego => &["zegocloud"],
            Self::Agora => &[],
            Self::Tencent => &["trtc"],
        }
    }
}

named_text!(Vendor, "vendor");

/// A token format version, as its prefix (or, for Tencent, its shape) reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenVersion {
    /// ZEGO token04 (`04…`).
    #[serde(rename = "04")]
    Zego04,
    /// Agora AccessToken (`006…`).
    #[serde(rename = "006")]
    Agora006,
    /// Agora AccessToken2 (`007…`).
    #[serde(rename = "007")]
    Agora007,
    /// Tencent UserSig or PrivateMapKey (TLS sig v2), which has no prefix: written
    /// `usersig`.
    #[serde(rename = "usersig")]
    TencentUserSig,
}

impl TokenVersion {
    /// The version's name: its prefix, `04`, `006` or `007`, or `usersig`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Zego04 => "04",
            Self::Agora006 => "006",
            Self::Agora007 => "007",
            Self::TencentUserSig => "usersig",
        }
    }

    /// The version as written: its prefix, `04`, `006` or `007`; for a Tencent
    /// UserSig, which has no prefix, its name `usersig` (the same as
    /// [`as_str`](Self::as_str)).
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        self.as_str()
    }

    /// The vendor whose format this is.
    #[must_use]
    pub const fn vendor(self) -> Vendor {
        match self {
            Self::Zego04 => Vendor::Zego,
            Self::Agora006 | Self::Agora007 => Vendor::Agora,
            Self::TencentUserSig => Vendor::Tencent,
        }
    }

    /// Recognises the vendor and version of a token: by its prefix (`04`,
    /// `006`, `007`), else by a Tencent UserSig's shape. A UserSig has no
    /// prefix; it is recognised when it is made only of its base64 variant's
    /// characters (letters, digits, `*`, `-`, `_`), in groups of four, and its
    /// first bytes open a zlib stream (in practice it starts with `eJ`; it
    /// never starts with a digit, so no ZEGO or Agora token can be taken for
    /// one, nor one for theirs). The prefixes are checked first, and the shape
    /// check decodes three bytes only: whether the rest is a UserSig is for
    /// the parser to say (`malformed` if not).
    ///
    /// The token is taken exactly as given: the vendors' servers refuse one
    /// with surrounding whitespace (a trailing newline, a leading space), and
    /// so does this. A tool reading a token from a file or a terminal trims it
    /// itself, and can say so.
    ///
    /// ```
    /// use rtc_tokens::{ErrorKind, TokenVersion};
    ///
    /// assert_eq!(TokenVersion::detect("007eJxTYBBY").unwrap(), TokenVersion::Agora007);
    /// assert_eq!(TokenVersion::detect("eJyrVgrxCdYr").unwrap(), TokenVersion::TencentUserSig);
    /// let err = TokenVersion::detect("007eJxTYBBY\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Malformed);
    /// assert_eq!(TokenVersion::detect("hello").unwrap_err().kind(), ErrorKind::Version);
    /// ```
    ///
    /// # Errors
    ///
    /// `version` when the token starts with none of `04`, `006`, `007` and
    /// does not have a UserSig's shape (or is empty), `malformed` when a known
    /// token has surrounding whitespace.
    pub fn detect(token: &str) -> Result<Self, Error> {
        let trimmed = token.trim();
        let version = if trimmed.starts_with("006") {
            Self::Agora006
        } else if trimmed.starts_with("007") {
            Self::Agora007
        } else if trimmed.starts_with("04") {
            Self::Zego04
        } else if tencent_usersig::usersig::looks_like_usersig(trimmed) {
            Self::TencentUserSig
        } else {
            return Err(Error::new(
                ErrorKind::Version,
                None,
                "not a known token: expected a 04 (zego), 006 or 007 (agora) prefix, \
                 or a tencent usersig",
            ));
        };
        if trimmed.len() != token.len() {
            return Err(Error::new(
                ErrorKind::Malformed,
                Some(version.vendor()),
                "the token has surrounding whitespace (a trailing newline?), which the \
                 vendor's servers refuse: trim it where it is read",
            ));
        }
        Ok(version)
    }
}

impl fmt::Display for TokenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a token is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Real-time audio and video in a room or channel (both vendors).
    #[default]
    Rtc,
    /// Agora real-time messaging (Signaling) login.
    Rtm,
    /// Agora RTC and RTM in one token.
    RtcRtm,
    /// Agora Chat user token.
    Chat,
    /// Agora Chat app (administrator) token.
    ChatApp,
    /// Agora Conversational AI agent token (007 only): RTC and RTM as for
    /// [`Self::RtcRtm`] plus the Conversational AI service. It also
    /// authenticates the ConvoAI REST API ([`IssuedToken::rest_authorization`]).
    #[serde(rename = "convoai")]
    ConvoAi,
    /// Agora speech-to-text token (007 only): RTC and RTM as for
    /// [`Self::RtcRtm`] plus the speech-to-text service.
    Stt,
}

impl TokenKind {
    /// Every kind, the default first (e.g. for a metrics label set).
    pub const ALL: &'static [Self] = &[
        Self::Rtc,
        Self::Rtm,
        Self::RtcRtm,
        Self::Chat,
        Self::ChatApp,
        Self::ConvoAi,
        Self::Stt,
    ];

    /// The stable snake_case name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rtc => "rtc",
            Self::Rtm => "rtm",
            Self::RtcRtm => "rtc_rtm",
            Self::Chat => "chat",
            Self::ChatApp => "chat_app",
            Self::ConvoAi => "convoai",
            Self::Stt => "stt",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TokenKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "rtc" => Ok(Self::Rtc),
            "rtm" => Ok(Self::Rtm),
            "rtc_rtm" | "rte" => Ok(Self::RtcRtm),
            "chat" => Ok(Self::Chat),
            "chat_app" => Ok(Self::ChatApp),
            "convoai" => Ok(Self::ConvoAi),
            "stt" => Ok(Self::Stt),
            _ => Err(Error::invalid_input(
                None,
                "unknown token kind: expected rtc, rtm, rtc_rtm, chat, chat_app, convoai or stt",
            )),
        }
    }
}

/// The user's role in the room or channel.
///
/// Its spellings are its [`Named`] data: written as `publisher` or
/// `subscriber`; Agora's `host` and `broadcaster` are read as a publisher,
/// `audience` as a subscriber.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// May join and publish (Agora's host or broadcaster).
    #[default]
    Publisher,
    /// May join and receive only (Agora's audience).
    Subscriber,
}

impl Named for Role {
    /// Every role, the default first.
    const ALL: &'static [Self] = &[Self::Publisher, Self::Subscriber];

    fn name(self) -> &'static str {
        match self {
            Self::Publisher => "publisher",
            Self::Subscriber => "subscriber",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Publisher => &["host", "broadcaster"],
            Self::Subscriber => &["audience"],
        }
    }
}

named_text!(Role, "role");

/// Per-privilege validities for an Agora RTC token, in seconds from issue.
///
/// A missing value means "as long as the token". Only Agora 007 can express
/// them; a ZEGO or 006 request carrying them is refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivilegeExpiries {
    /// Joining the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<u32>,
    /// Publishing audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_audio: Option<u32>,
    /// Publishing video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_video: Option<u32>,
    /// Publishing data streams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_data: Option<u32>,
}

impl PrivilegeExpiries {
    /// Whether any publishing privilege is set.
    #[must_use]
    pub const fn has_publish(&self) -> bool {
        self.publish_audio.is_some() || self.publish_video.is_some() || self.publish_data.is_some()
    }
}

/// A vendor-neutral token request.
///
/// See the crate documentation for how each field lands in a ZEGO token04 and
/// in an Agora 006 or 007 token. A combination the chosen vendor cannot express
/// is refused with `invalid_input`, never silently dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for (default: RTC).
    #[serde(default)]
    pub kind: TokenKind,
    /// The user's string id (ZEGO user id; Agora user account / RTM user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Agora's numeric uid (0 = any user). ZEGO has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// The room (ZEGO) or channel (Agora).
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "channel")]
    pub room: Option<String>,
    /// Publisher (default) or subscriber.
    #[serde(default)]
    pub role: Role,
    /// Requested validity in seconds (default one hour). 0 is refused with
    /// `invalid_input` by every provider; Agora caps it at 24 hours.
    #[serde(default = "default_validity")]
    pub validity_secs: u32,
    /// ZEGO only: the stream ids the user may publish (empty = any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stream_ids: Vec<String>,
    /// Agora 007 only: per-privilege validities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privilege_expiries: Option<PrivilegeExpiries>,
    /// Exactly these room privileges instead of the role's (Tencent only: a
    /// PrivateMapKey's privilege bits; needs a room). ZEGO and Agora grant by
    /// role and refuse it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileges: Option<Vec<Privilege>>,
}

const fn default_validity() -> u32 {
    DEFAULT_VALIDITY_SECS
}

impl Default for TokenRequest {
    fn default() -> Self {
        Self {
            kind: TokenKind::Rtc,
            user_id: None,
            uid: None,
            room: None,
            role: Role::Publisher,
            validity_secs: DEFAULT_VALIDITY_SECS,
            stream_ids: Vec::new(),
            privilege_expiries: None,
            privileges: None,
        }
    }
}

impl TokenRequest {
    /// An RTC request for a user by string id (ZEGO user id, Agora user account) in a
    /// room or channel, as publisher, for one hour. The same as [`Self::rtc_account`].
    #[must_use]
    pub fn rtc(user_id: impl Into<String>, room: impl Into<String>) -> Self {
        Self {
            user_id: Some(user_id.into()),
            room: Some(room.into()),
            ..Self::default()
        }
    }

    /// An RTC request for a user account in a channel (see [`Self::rtc`]).
    #[must_use]
    pub fn rtc_account(user_id: impl Into<String>, room: impl Into<String>) -> Self {
        Self::rtc(user_id, room)
    }

    /// An Agora RTC request for a numeric uid (0 = any user) in a channel, as
    /// publisher, for one hour. ZEGO has no numeric uid and refuses it.
    #[must_use]
    pub fn rtc_uid(uid: u32, room: impl Into<String>) -> Self {
        Self {
            uid: Some(uid),
            room: Some(room.into()),
            ..Self::default()
        }
    }

    /// An Agora RTM (Signaling) login for `user_id`, for one hour.
    #[must_use]
    pub fn rtm(user_id: impl Into<String>) -> Self {
        Self {
            kind: TokenKind::Rtm,
            user_id: Some(user_id.into()),
            ..Self::default()
        }
    }

    /// An Agora token for RTC in `room` and RTM as `user_id`, for one hour. The RTC
    /// service names `user_id` too, unless [`with_uid`](Self::with_uid) sets a uid.
    #[must_use]
    pub fn rtc_rtm(user_id: impl Into<String>, room: impl Into<String>) -> Self {
        Self {
            kind: TokenKind::RtcRtm,
            ..Self::rtc(user_id, room)
        }
    }

    /// An Agora Conversational AI agent token (007 only): RTC in `room` and RTM as
    /// `user_id`, plus the Conversational AI service, for one hour. As for
    /// [`Self::rtc_rtm`], the RTC service names `user_id` unless
    /// [`with_uid`](Self::with_uid) sets the agent's uid.
    ///
    /// ```
    /// use rtc_tokens::{AgoraProvider, TokenKind, TokenProvider, TokenRequest};
    ///
    /// # fn main() -> Result<(), rtc_tokens::Error> {
    /// let request = TokenRequest::convoai("1001", "support-42").with_uid(1001);
    /// assert_eq!(request.kind, TokenKind::ConvoAi);
    /// let issued = AgoraProvider::demo().issue(&request)?;
    /// let parsed = AgoraProvider::demo().verify(&issued.token, &Default::default())?;
    /// assert!(parsed.privileges.iter().any(|p| p.service == "convoai"));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn convoai(user_id: impl Into<String>, room: impl Into<String>) -> Self {
        Self {
            kind: TokenKind::ConvoAi,
            ..Self::rtc(user_id, room)
        }
    }

    /// An Agora speech-to-text token (007 only): as [`Self::convoai`], with the
    /// speech-to-text service in place of the Conversational AI one.
    #[must_use]
    pub fn stt(user_id: impl Into<String>, room: impl Into<String>) -> Self {
        Self {
            kind: TokenKind::Stt,
            ..Self::rtc(user_id, room)
        }
    }

    /// An Agora Chat user token for `user_id`, for one hour.
    #[must_use]
    pub fn chat_user(user_id: impl Into<String>) -> Self {
        Self {
            kind: TokenKind::Chat,
            user_id: Some(user_id.into()),
            ..Self::default()
        }
    }

    /// An Agora Chat app (administrator) token, for one hour.
    #[must_use]
    pub fn chat_app() -> Self {
        Self {
            kind: TokenKind::ChatApp,
            ..Self::default()
        }
    }

    /// Sets the kind.
    #[must_use]
    pub fn with_kind(mut self, kind: TokenKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the room (ZEGO) or channel (Agora).
    #[must_use]
    pub fn with_room(mut self, room: impl Into<String>) -> Self {
        self.room = Some(room.into());
        self
    }

    /// Sets the user's string id (ZEGO user id; Agora account or RTM/Chat user id).
    #[must_use]
    pub fn with_user(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Sets Agora's numeric uid. An `rtc` request names one user: start from
    /// [`Self::rtc_uid`] rather than adding a uid to [`Self::rtc`]; an `rtc_rtm`
    /// request puts the uid in its RTC service and `user_id` in its RTM one.
    #[must_use]
    pub fn with_uid(mut self, uid: u32) -> Self {
        self.uid = Some(uid);
        self
    }

    /// Sets the role.
    #[must_use]
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    /// Sets the validity in seconds (at least 1; Agora caps it at 24 hours).
    #[must_use]
    pub fn with_validity(mut self, secs: u32) -> Self {
        self.validity_secs = secs;
        self
    }

    /// Sets the ZEGO stream ids the user may publish.
    #[must_use]
    pub fn with_stream_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stream_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets Agora's per-privilege validities.
    #[must_use]
    pub fn with_privilege_expiries(mut self, expiries: PrivilegeExpiries) -> Self {
        self.privilege_expiries = Some(expiries);
        self
    }

    /// Grants exactly these room privileges instead of the role's (Tencent
    /// only: ZEGO and Agora grant by role and refuse it).
    ///
    /// ```
    /// use rtc_tokens::{Privilege, TencentProvider, TokenProvider, TokenRequest};
    ///
    /// # fn main() -> Result<(), rtc_tokens::Error> {
    /// let listen = TokenRequest::rtc("alice", "1234")
    ///     .with_privileges([Privilege::JoinChannel, Privilege::SubscribeAudio]);
    /// let provider = TencentProvider::demo();
    /// let parsed = provider.verify(&provider.issue(&listen)?.token, &Default::default())?;
    /// let names: Vec<_> = parsed.privileges.iter().map(|p| p.name.as_str()).collect();
    /// assert_eq!(names, ["enter room", "receive audio"]);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_privileges(mut self, privileges: impl IntoIterator<Item = Privilege>) -> Self {
        self.privileges = Some(privileges.into_iter().collect());
        self
    }

    /// Refuses a privilege list, for the vendors that grant by role.
    pub(crate) fn no_privilege_list(&self, vendor: Vendor) -> Result<(), Error> {
        if self.privileges.is_some() {
            return Err(Error::invalid_input(
                Some(vendor),
                format!(
                    "{vendor} grants privileges by role: drop privileges (a privilege list is \
                     tencent only)"
                ),
            ));
        }
        Ok(())
    }

    /// Refuses a validity of 0, for every vendor alike (ZEGO refuses it; Agora's
    /// servers would read it as 24 hours, which nobody asking for 0 means).
    pub(crate) fn check_validity(&self, vendor: Vendor) -> Result<(), Error> {
        if self.validity_secs == 0 {
            return Err(Error::invalid_input(
                Some(vendor),
                "validity_secs must be at least 1 second",
            ));
        }
        Ok(())
    }
}

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
    /// [`TokenKind::ConvoAi`] one whose channel and uid match the agent request's.
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

#[cfg(test)]
mod tests;
