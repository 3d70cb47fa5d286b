//! `AgoraBuilder`: the everyday builders of `agora-dynamic-key` for one app id
//! and certificate, in npm `agora-token`'s (007) and `agora-access-token`'s
//! (006) argument order; `compat.js` puts those packages' names on them.
//!
//! Which privileges each builder grants and how services are laid out is the
//! vendor crate's (`TokenBuilder`); this module only maps JavaScript numbers
//! onto its types. Validities are capped at 24 hours by the crate, and names
//! over the wire's 65 535 bytes are refused. The certificate crosses once, at
//! construction; the builder keeps it (zeroized on drop) and caches the
//! current second's signing key.

use napi_derive::napi;
use rtc_tokens::agora_dynamic_key::access_token2::{Permissions, ServiceApaas};
use rtc_tokens::agora_dynamic_key::builder::{Issued, RtcPrivilegeExpiries, RtcSpec, TokenBuilder};
use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId, Error, Principal, Role};

use crate::{Result, invalid_input, js, secret};

/// npm `agora-token`'s RTC role: `RtcRole.PUBLISHER` (1) publishes, any other
/// value joins only (its builders test `role == Role.PUBLISHER`).
const fn token2_role(role: u32) -> Role {
    if role == Role::Publisher as u32 {
        Role::Publisher
    } else {
        Role::Subscriber
    }
}

/// npm `agora-access-token`'s 006 role: one of the crate's four roles.
fn token006_role(role: u32) -> Result<Role> {
    [
        Role::Attendee,
        Role::Publisher,
        Role::Subscriber,
        Role::Admin,
    ]
    .into_iter()
    .find(|r| *r as u32 == role)
    .ok_or_else(|| {
        invalid_input("role: expected 0 (attendee), 1 (publisher), 2 (subscriber) or 101 (admin)")
    })
}

/// One RTM2 permission entry: resource type, permission type, resource names.
#[napi(object)]
#[derive(Debug)]
pub struct PermissionEntry {
    /// Resource type (`Rtm2Permissions.kMessageChannels`…).
    pub resource: u32,
    /// Permission type (`Rtm2Permissions.kRead`, `kWrite`).
    pub permission: u32,
    /// Resource names.
    pub resources: Vec<String>,
}

/// The numbers npm `agora-token` names, from the crate's types.
#[napi(object)]
#[derive(Debug)]
pub struct AgoraConstants {
    /// `RtcRole.PUBLISHER`.
    pub publisher: u32,
    /// `RtcRole.SUBSCRIBER`.
    pub subscriber: u32,
    /// 006 `RtcRole.ATTENDEE`.
    pub attendee: u32,
    /// 006 `RtcRole.ADMIN`.
    pub admin: u32,
    /// RTM2 resource types: message, stream, group channels, server groups, users.
    pub resource_types: Vec<u32>,
    /// RTM2 permission types: read, write.
    pub permission_types: Vec<u32>,
}

/// The role and RTM2 numbers (see [`AgoraConstants`]).
#[napi]
pub fn agora_constants() -> AgoraConstants {
    use rtc_tokens::agora_dynamic_key::access_token2::{PermissionType, ResourceType};
    AgoraConstants {
        publisher: Role::Publisher as u32,
        subscriber: Role::Subscriber as u32,
        attendee: Role::Attendee as u32,
        admin: Role::Admin as u32,
        resource_types: [
            ResourceType::MessageChannels,
            ResourceType::StreamChannels,
            ResourceType::GroupChannels,
            ResourceType::ServerGroups,
            ResourceType::Users,
        ]
        .into_iter()
        .map(|t| u32::from(u16::from(t)))
        .collect(),
        permission_types: [PermissionType::Read, PermissionType::Write]
            .into_iter()
            .map(|t| u32::from(u16::from(t)))
            .collect(),
    }
}

/// A builder's result as JavaScript gets it: the token, or the error of its
/// kind.
fn token(issued: std::result::Result<Issued, Error>) -> Result<String> {
    Ok(js(issued.map_err(Into::into))?.token)
}

fn u16_of(n: u32, field: &str) -> Result<u16> {
    u16::try_from(n).map_err(|_| invalid_input(format!("{field}: must be at most 65535")))
}

fn i16_of(n: i32, field: &str) -> Result<i16> {
    i16::try_from(n)
        .map_err(|_| invalid_input(format!("{field}: must be between -32768 and 32767")))
}

/// Which services an RTC token carries beside RTC.
#[napi]
#[derive(Debug, PartialEq, Eq)]
pub enum RtcRtmKind {
    /// RTC only (`buildTokenWithUid`, `buildTokenWithUserAccount`, …): the
    /// RTM user and validity are not read.
    Rtc,
    /// RTC and RTM only (`buildTokenWithRtm2`).
    Rtm,
    /// Plus Conversational AI (`ConvoAITokenBuilder.buildToken`).
    ConvoAi,
    /// Plus speech-to-text (`SttTokenBuilder.buildToken`).
    Stt,
}

/// Agora's builders for one app id and certificate.
#[napi]
pub struct AgoraBuilder {
    inner: TokenBuilder,
}

#[napi]
impl AgoraBuilder {
    /// A builder. The certificate crosses here, once.
    ///
    /// # Errors
    ///
    /// `invalid_input` when the app id or certificate is not 32 hex characters.
    #[napi(constructor)]
    pub fn new(app_id: String, certificate: String) -> Result<Self> {
        let certificate = secret(certificate);
        let app_id = js(AppId::new(&app_id).map_err(Into::into))?;
        let cert = js(AppCertificate::new(&certificate).map_err(Into::into))?;
        Ok(Self {
            inner: TokenBuilder::new(app_id, cert),
        })
    }

    /// 007 RTC and RTM token (`buildTokenWithRtm`): the account in both services.
    ///
    /// # Errors
    ///
    /// As [`Self::rtc_rtm`].
    #[napi]
    pub fn rtc_with_rtm(
        &self,
        channel: String,
        account: String,
        role: u32,
        token_expire: u32,
        privilege_expire: u32,
    ) -> Result<String> {
        token(self.inner.rtc_with_rtm(
            &channel,
            &account,
            token2_role(role),
            token_expire,
            privilege_expire,
        ))
    }

    /// 007 RTC token with per-privilege validities, for `account`, or the
    /// numeric `uid` (0 = any user) when `account` is `null`; with `kind`
    /// other than `Rtc`, also RTM for `rtm_user_id` (`buildTokenWithRtm2`),
    /// optionally with the Conversational AI or speech-to-text service.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a channel or user outside Agora's limits;
    /// `internal` when the OS random number generator fails.
    #[napi]
    #[allow(clippy::too_many_arguments)] // agora-token's positional order
    pub fn rtc_rtm(
        &self,
        kind: RtcRtmKind,
        channel: String,
        uid: u32,
        account: Option<String>,
        role: u32,
        token_expire: u32,
        join: u32,
        audio: u32,
        video: u32,
        data: u32,
        rtm_user_id: String,
        rtm_expire: u32,
    ) -> Result<String> {
        let principal = match &account {
            Some(a) => Principal::Account(a),
            None => Principal::Uid(uid),
        };
        let s = RtcSpec::new(&channel, principal, token_expire)
            .with_role(token2_role(role))
            .with_privileges(RtcPrivilegeExpiries {
                join,
                publish_audio: audio,
                publish_video: video,
                publish_data: data,
            });
        token(match kind {
            RtcRtmKind::Rtc => self.inner.rtc(&s),
            RtcRtmKind::Rtm => self.inner.rtc_rtm(&s, &rtm_user_id, Some(rtm_expire)),
            RtcRtmKind::ConvoAi => self.inner.convoai(&s, &rtm_user_id, Some(rtm_expire)),
            RtcRtmKind::Stt => self.inner.stt(&s, &rtm_user_id, Some(rtm_expire)),
        })
    }

    /// 007 RTM token.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a user id over the wire's limit; `internal`.
    #[napi]
    pub fn rtm(&self, user_id: String, expire: u32) -> Result<String> {
        token(self.inner.rtm(&user_id, expire))
    }

    /// 007 RTM2 token with resource-level permissions.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a type above 65535 or names over the wire's limits; `internal`.
    #[napi]
    pub fn rtm_with_permissions(
        &self,
        user_id: String,
        permissions: Vec<PermissionEntry>,
        expire: u32,
    ) -> Result<String> {
        let mut p = Permissions::new();
        for e in permissions {
            p.add(
                u16_of(e.resource, "resource type")?,
                u16_of(e.permission, "permission type")?,
                e.resources,
            );
        }
        token(self.inner.rtm_with_permissions(&user_id, &p, expire))
    }

    /// 007 Chat user token.
    ///
    /// # Errors
    ///
    /// As [`Self::rtm`].
    #[napi]
    pub fn chat_user(&self, user_id: String, expire: u32) -> Result<String> {
        token(self.inner.chat_user(&user_id, expire))
    }

    /// 007 Chat app token.
    ///
    /// # Errors
    ///
    /// `internal`.
    #[napi]
    pub fn chat_app(&self, expire: u32) -> Result<String> {
        token(self.inner.chat_app(expire))
    }

    /// 007 FPA token (24 hours).
    ///
    /// # Errors
    ///
    /// `internal`.
    #[napi]
    pub fn fpa(&self) -> Result<String> {
        token(self.inner.fpa())
    }

    /// 007 aPaaS (Flexible Classroom) room-user token: aPaaS, RTM and Chat
    /// (the chat user id is the MD5 of the user uuid).
    ///
    /// # Errors
    ///
    /// `invalid_input` for a role outside `i16`; as [`Self::rtm`]. A missing
    /// role is the crate's default.
    #[napi]
    pub fn apaas_room_user(
        &self,
        room_uuid: String,
        user_uuid: String,
        role: Option<i32>,
        expire: u32,
    ) -> Result<String> {
        // No role: the crate's own default (-1, "not set").
        let role = match role {
            Some(r) => i16_of(r, "role")?,
            None => ServiceApaas::default().role,
        };
        token(
            self.inner
                .apaas_room_user(&room_uuid, &user_uuid, role, expire),
        )
    }

    /// 007 aPaaS user token.
    ///
    /// # Errors
    ///
    /// As [`Self::rtm`].
    #[napi]
    pub fn apaas_user(&self, user_uuid: String, expire: u32) -> Result<String> {
        token(self.inner.apaas_user(&user_uuid, expire))
    }

    /// 007 aPaaS app token.
    ///
    /// # Errors
    ///
    /// `internal`.
    #[napi]
    pub fn apaas_app(&self, expire: u32) -> Result<String> {
        token(self.inner.apaas_app(expire))
    }

    /// 006 RTC token for a numeric uid, `privilegeExpiredTs` absolute (0 = 24 hours).
    ///
    /// # Errors
    ///
    /// `invalid_input` for an unknown role; as [`Self::rtm`].
    #[napi]
    pub fn rtc006_uid(
        &self,
        channel: String,
        uid: u32,
        role: u32,
        privilege_expired_ts: u32,
    ) -> Result<String> {
        let role = token006_role(role)?;
        token(
            self.inner
                .rtc006_with_uid(&channel, uid, role, privilege_expired_ts),
        )
    }

    /// 006 RTC token for a user account.
    ///
    /// # Errors
    ///
    /// As [`Self::rtc006_uid`].
    #[napi]
    pub fn rtc006_account(
        &self,
        channel: String,
        account: String,
        role: u32,
        privilege_expired_ts: u32,
    ) -> Result<String> {
        let role = token006_role(role)?;
        token(
            self.inner
                .rtc006_with_account(&channel, &account, role, privilege_expired_ts),
        )
    }

    /// 006 RTM token.
    ///
    /// # Errors
    ///
    /// As [`Self::rtm`].
    #[napi]
    pub fn rtm006(&self, account: String, privilege_expired_ts: u32) -> Result<String> {
        token(self.inner.rtm006(&account, privilege_expired_ts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_each_package() {
        assert_eq!(token2_role(1), Role::Publisher);
        assert_eq!(token2_role(2), Role::Subscriber);
        assert_eq!(token2_role(101), Role::Subscriber);
        assert_eq!(token006_role(101).ok(), Some(Role::Admin));
        assert!(token006_role(7).is_err());
    }
}
