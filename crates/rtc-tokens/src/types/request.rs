//! The neutral token request: what a caller asks a provider for, and its
//! vendor-independent checks.

use serde::{Deserialize, Serialize};

use super::{DEFAULT_VALIDITY_SECS, Role, TokenKind, Vendor};
use crate::{Error, Privilege};

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
