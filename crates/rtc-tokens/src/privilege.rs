//! Privileges `verify` can require of a token, and the check.
//!
//! A token can outlive some of its privileges (Agora 007 and 006 carry an
//! expiry per privilege): a 007 token valid for an hour whose join privilege
//! lasts 60 s is useless after a minute. [`TokenProvider::verify`](crate::TokenProvider::verify)
//! therefore requires privileges too: those in
//! [`ParseOptions::require`](crate::ParseOptions::require), by default what the
//! token needs to be usable (RTC: join channel; RTM: log in; chat: its chat
//! privilege; a ZEGO token: nothing beyond its own expiry, which its
//! privileges share; a Tencent PrivateMapKey: entering its room). Which
//! vendor privilege a neutral one is lives in the providers' modules; this
//! module only asks them and decides.
//!
//! The same neutral privileges name what a Tencent PrivateMapKey grants
//! ([`TokenRequest::privileges`](crate::TokenRequest::privileges)): TRTC's
//! room privilege bits are joining (entering), creating the room, and
//! publishing and subscribing audio, video and the screen-share sub-stream.

use serde::{Deserialize, Serialize};

use crate::{
    Error, ErrorKind, ExpiryCheck, ParseOptions, ParsedToken, VendorDetail, agora, tencent, zego,
};

/// A privilege a backend can require of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Privilege {
    /// Join (ZEGO: log in to; Tencent: enter) the room or channel.
    JoinChannel,
    /// Publish audio (ZEGO: publish streams; Tencent: send audio).
    PublishAudio,
    /// Publish video (ZEGO: publish streams; Tencent: send video).
    PublishVideo,
    /// Publish data streams (Agora only).
    PublishData,
    /// Log in to Agora RTM (Signaling).
    RtmLogin,
    /// Use Agora Chat as a user.
    ChatUser,
    /// Use Agora Chat as the app (administrator).
    ChatApp,
    /// Create the room (a privilege of its own for Tencent; with joining for
    /// ZEGO and Agora).
    CreateRoom,
    /// Subscribe to (receive) audio (Tencent; with joining for ZEGO and Agora).
    SubscribeAudio,
    /// Subscribe to (receive) video (Tencent; with joining for ZEGO and Agora).
    SubscribeVideo,
    /// Publish the screen-share sub-stream (Tencent; publishing video for
    /// ZEGO and Agora).
    PublishScreen,
    /// Subscribe to the screen-share sub-stream (Tencent; with joining for
    /// ZEGO and Agora).
    SubscribeScreen,
}

impl Privilege {
    /// What it allows, in plain words (`join channel`, `publish audio`…).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::JoinChannel => "join channel",
            Self::PublishAudio => "publish audio",
            Self::PublishVideo => "publish video",
            Self::PublishData => "publish data stream",
            Self::RtmLogin => "log in to rtm",
            Self::ChatUser => "chat user",
            Self::ChatApp => "chat app administrator",
            Self::CreateRoom => "create room",
            Self::SubscribeAudio => "subscribe audio",
            Self::SubscribeVideo => "subscribe video",
            Self::PublishScreen => "publish screen share",
            Self::SubscribeScreen => "subscribe screen share",
        }
    }
}

/// Whether a token holds a privilege, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Held {
    /// It does not.
    No,
    /// For as long as the token itself.
    WithToken,
    /// Until this unix time.
    Until(u64),
}

/// What `parsed` holds of `privilege`, as its vendor reads it.
fn held(parsed: &ParsedToken, privilege: Privilege) -> Held {
    match &parsed.detail {
        VendorDetail::Agora007(t) => agora::held_007(t, privilege),
        VendorDetail::Agora006(t) => agora::held_006(t, privilege),
        VendorDetail::Zego04(c) => zego::held(c, privilege),
        VendorDetail::Tencent(t) => tencent::held(t, privilege),
        _ => Held::No,
    }
}

/// What `parsed` needs to be usable at all, as its vendor reads it.
fn usable(parsed: &ParsedToken) -> Vec<Privilege> {
    match &parsed.detail {
        VendorDetail::Agora007(t) => agora::usable_007(t),
        VendorDetail::Agora006(t) => agora::usable_006(t),
        VendorDetail::Tencent(t) => tencent::usable(t),
        _ => Vec::new(),
    }
}

/// Fails unless `parsed` holds the privileges `options` requires (by default
/// what it needs to be usable), unexpired at `options.expiry` (with
/// [`ExpiryCheck::Skip`], only held).
///
/// ```
/// use rtc_tokens::{AgoraProvider, ErrorKind, ParseOptions, Privilege, PrivilegeExpiries};
/// use rtc_tokens::{TokenProvider, TokenRequest};
///
/// # fn main() -> Result<(), rtc_tokens::Error> {
/// let now = 1_700_000_000;
/// // Valid for an hour, but joining only for a minute.
/// let join = PrivilegeExpiries { join: Some(60), ..PrivilegeExpiries::default() };
/// let request = TokenRequest::rtc("alice", "lobby").with_privilege_expiries(join);
/// let provider = AgoraProvider::demo();
/// let token = provider.issue_at(&request, now)?.token;
/// assert!(provider.verify(&token, &ParseOptions::at(now + 59)).is_ok());
/// let err = provider.verify(&token, &ParseOptions::at(now + 61)).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Expired);
/// assert!(err.message().contains("join channel"));
/// // Publishing lasts the hour.
/// let publish = ParseOptions::at(now + 61).require([Privilege::PublishAudio]);
/// assert!(provider.verify(&token, &publish).is_ok());
/// let chat = ParseOptions::at(now + 1).require([Privilege::ChatUser]);
/// assert_eq!(provider.verify(&token, &chat).unwrap_err().kind(), ErrorKind::Mismatch);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `mismatch` when a required privilege is not in the token, `expired` when
/// one has expired; the message names the privilege.
pub fn check_privileges(parsed: &ParsedToken, options: &ParseOptions) -> Result<(), Error> {
    let now = match options.expiry {
        ExpiryCheck::Now => Some(crate::unix_now()),
        ExpiryCheck::At(now) => Some(now),
        ExpiryCheck::Skip => None,
    };
    let required = options.require.clone().unwrap_or_else(|| usable(parsed));
    for privilege in required {
        let name = privilege.name();
        match held(parsed, privilege) {
            Held::No => {
                return Err(Error::mismatch(
                    parsed.vendor,
                    format!("privilege mismatch: the token does not grant {name}"),
                ));
            }
            Held::Until(at) if now.is_some_and(|now| now >= at) => {
                let ago = now.unwrap_or(at).saturating_sub(at);
                return Err(Error::new(
                    ErrorKind::Expired,
                    Some(parsed.vendor),
                    format!("privilege {name} expired at {at} ({ago} s ago)"),
                ));
            }
            Held::Until(_) | Held::WithToken => {}
        }
    }
    Ok(())
}
