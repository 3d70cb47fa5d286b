//! Vendor-neutral request, issued token and parsed view.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::named::named_text;
use crate::{Error, ErrorKind, Named};

mod parsed;
mod request;

pub use parsed::{
    ExpiryCheck, IssuedToken, ParseOptions, ParsedToken, PrivilegeView, Verification,
};
pub use request::{PrivilegeExpiries, TokenRequest};

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

#[cfg(test)]
mod tests;
