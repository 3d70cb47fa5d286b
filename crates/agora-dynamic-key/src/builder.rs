//! Everyday builders with the references' semantics (spec §2.4 and §3.5) and the
//! 24-hour cap.
//!
//! An RTC token is described by an [`RtcSpec`] (channel, [`Principal`], [`Role`], validity,
//! optional per-privilege validities) and built by [`TokenBuilder::rtc`] (007),
//! [`TokenBuilder::rtc_rtm`] (007, RTC plus RTM), [`TokenBuilder::convoai`] and
//! [`TokenBuilder::stt`] (RTC, RTM and a Conversational AI or speech-to-text service) or
//! [`TokenBuilder::rtc006`]. The other
//! services take their few arguments directly ([`TokenBuilder::rtm`],
//! [`TokenBuilder::chat_user`], [`TokenBuilder::apaas_room_user`]…).
//!
//! Agora's servers accept a token for at most 24 hours, so these builders cap
//! ([`crate::capped_validity`]):
//!
//! * 007: a token validity of 0 or above [`MAX_VALIDITY_SECS`] becomes 86 400 s; a privilege
//!   validity above the applied token validity is lowered to it; a privilege validity of 0
//!   stays 0 (the references' default: as long as the token).
//! * 006: `ts` (the token's own expiry) is `now + 24 h`, as in every reference; a privilege
//!   expire timestamp of 0 or beyond `ts` is lowered to `ts`.
//!
//! [`Issued`] reports the validity applied and whether any value given was changed. For
//! tokens that must carry exactly what they are given, use
//! [`AccessToken`](crate::access_token::AccessToken) and [`AccessToken2`] directly.
//!
//! Porting from Agora's SDKs: `build_token_with_uid`, `build_token_with_user_account` and
//! `build_token_with_rtm` keep their positional form here ([`TokenBuilder::rtc_with_uid`],
//! [`TokenBuilder::rtc_with_account`], [`TokenBuilder::rtc_with_rtm`]), as do the 006
//! builders ([`TokenBuilder::rtc006_with_uid`], [`TokenBuilder::rtc006_with_account`],
//! [`TokenBuilder::rtm006`]). The `…_and_privilege` variants are
//! `rtc(&RtcSpec::new(channel, principal, validity).with_privileges(p))`, and
//! `build_token_with_rtm2` is [`TokenBuilder::rtc_rtm`] with `Some(rtm_validity)`. npm
//! `agora-token`'s `ConvoAITokenBuilder.buildToken` and `SttTokenBuilder.buildToken` take the
//! same twelve arguments as `build_token_with_rtm2`: they are [`TokenBuilder::convoai`] and
//! [`TokenBuilder::stt`] with the same `RtcSpec`, RTM user and `Some(rtm_validity)`.
//!
//! Where the references disagree (spec §6) these builders follow python3/go: 006 roles give
//! Attendee, Publisher and Admin the publish privileges (not java/ruby, D5); the integer uid 0
//! is `""` and any other uid its unsigned decimal (D7); the aPaaS room-user chat user id is
//! the lowercase hex MD5 of the UTF-8 user uuid, 32 characters (not java's 31-character
//! variant D3 or C#'s D4), and it carries the chat and room-user privileges (not nodejs D1,
//! java D2); the aPaaS role is an `i16` defaulting to -1 and 0 stays 0 (not nodejs D6).

mod v006;

use std::sync::{Arc, Mutex};

use md5::Digest as _;

use crate::access_token2::{
    AccessToken2, ApaasPrivilege, ChatPrivilege, FpaPrivilege, Permissions, RtcPrivilege,
    Rtm2Privilege, RtmPrivilege, Service, ServiceApaas, ServiceChat, ServiceConvoAi, ServiceFpa,
    ServiceRtc, ServiceRtm, ServiceRtm2, ServiceStt,
};
use crate::access_token2::{IssueKey, RtcToken, issue_key};
use crate::{AppCertificate, AppId, Error, MAX_VALIDITY_SECS, Principal, Role};

/// The RTC role: the crate's one [`Role`], under the name earlier versions
/// of this module gave their 007 role enum.
pub type RtcRole = Role;

/// A token as issued by [`TokenBuilder`]. Its `Debug` omits the token: issued
/// tokens are credentials and stay out of logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Issued {
    /// The token string.
    pub token: String,
    /// Issue time, unix seconds (the builder's clock).
    pub issued_at: u32,
    /// When the token stops working, unix seconds: for 007 `issue_ts + expire`; for 006 the
    /// earliest of its own `ts` and its privileges' expiries (as
    /// [`ParsedAccessToken::effective_expires_at`](crate::access_token::ParsedAccessToken::effective_expires_at)
    /// reads it back).
    pub expires_at: u64,
    /// The validity applied, seconds: `expires_at - issued_at`.
    pub validity_secs: u32,
    /// True when any validity or expiry given was changed by the 24-hour rule.
    pub capped: bool,
}

impl Issued {
    /// A 007 token issued at `now` with the validity `cap` settled on.
    fn new(token: String, now: u32, cap: &Cap) -> Self {
        Self {
            token,
            issued_at: now,
            expires_at: u64::from(now).saturating_add(u64::from(cap.validity)),
            validity_secs: cap.validity,
            capped: cap.capped,
        }
    }
}

impl core::fmt::Debug for Issued {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Issued")
            .field("token", &"<redacted>")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("validity_secs", &self.validity_secs)
            .field("capped", &self.capped)
            .finish()
    }
}

/// Per-privilege RTC validities, seconds relative to the issue time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RtcPrivilegeExpiries {
    /// Join channel.
    pub join: u32,
    /// Publish audio.
    pub publish_audio: u32,
    /// Publish video.
    pub publish_video: u32,
    /// Publish data streams.
    pub publish_data: u32,
}

impl RtcPrivilegeExpiries {
    /// The same validity for all four privileges.
    #[must_use]
    pub const fn all(secs: u32) -> Self {
        Self {
            join: secs,
            publish_audio: secs,
            publish_video: secs,
            publish_data: secs,
        }
    }
}

/// What an RTC token grants: the channel, who ([`Principal`]), the [`Role`], the token
/// validity and, optionally, a validity per privilege.
///
/// Validities are seconds from the issue time. `privileges: None` gives every privilege
/// of the role the token validity; the builder then applies the 24-hour rule (see the
/// module docs).
///
/// ```
/// use agora_dynamic_key::builder::{RtcPrivilegeExpiries, RtcSpec};
/// use agora_dynamic_key::{Principal, Role};
///
/// let audience = RtcSpec::new("lobby", Principal::Uid(42), 3600).with_role(Role::Subscriber);
/// let host = RtcSpec::new("lobby", Principal::Account("alice"), 3600)
///     .with_privileges(RtcPrivilegeExpiries { join: 3600, publish_audio: 600, ..RtcPrivilegeExpiries::all(3600) });
/// assert_eq!(audience.role, Role::Subscriber);
/// assert_eq!(host.expiries().publish_audio, 600);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtcSpec<'a> {
    /// The channel name.
    pub channel: &'a str,
    /// The user: a numeric uid (0 = any) or an account.
    pub principal: Principal<'a>,
    /// Publisher (join and publish) or subscriber (join only).
    pub role: Role,
    /// The token validity, seconds.
    pub validity: u32,
    /// Per-privilege validities; `None` = the token validity for each.
    pub privileges: Option<RtcPrivilegeExpiries>,
}

impl<'a> RtcSpec<'a> {
    /// A publisher in `channel` for `validity` seconds, every privilege as long as the token.
    #[must_use]
    pub const fn new(channel: &'a str, principal: Principal<'a>, validity: u32) -> Self {
        Self {
            channel,
            principal,
            role: Role::Publisher,
            validity,
            privileges: None,
        }
    }

    /// Sets the role.
    #[must_use]
    pub const fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    /// Sets a validity per privilege (only join is used for a subscriber).
    #[must_use]
    pub const fn with_privileges(mut self, privileges: RtcPrivilegeExpiries) -> Self {
        self.privileges = Some(privileges);
        self
    }

    /// The per-privilege validities requested (`privileges`, else the token validity).
    #[must_use]
    pub const fn expiries(&self) -> RtcPrivilegeExpiries {
        match self.privileges {
            Some(p) => p,
            None => RtcPrivilegeExpiries::all(self.validity),
        }
    }
}

/// Builds tokens for one app with a system or fixed clock. Salts always come from the OS
/// CSPRNG (except through the `hazmat` feature).
///
/// Keep one builder (or clones of it) rather than making one per token: it remembers the
/// current second's first signing key, `HMAC(issue_ts, certificate)`, which every 007 token
/// issued in that second shares (4 of a token's 14 SHA-256 compressions, about 0.2 µs). The
/// key is zeroized and never printed; clones share it.
#[derive(Clone, Debug)]
pub struct TokenBuilder {
    app_id: AppId,
    cert: AppCertificate,
    now: Option<u32>,
    #[cfg(feature = "hazmat")]
    salt: Option<u32>,
    issue_key: IssueKeyCache,
}

/// The last issue second's [`IssueKey`] (`HMAC(u32le(issue_ts), certificate)`): tokens
/// issued in the same second share it, which saves 4 of the 14 SHA-256 compressions of a
/// 007 token (about 0.2 µs). It is as secret as the certificate: zeroized on drop and never
/// printed. Clones of a builder (same certificate: no method changes it) share it.
#[derive(Clone, Default)]
struct IssueKeyCache(Arc<Mutex<Option<(u32, IssueKey)>>>);

impl IssueKeyCache {
    /// The key for `issue_ts`, from the cache when it holds that second's. A busy cache
    /// (another thread in it) is bypassed rather than waited for.
    fn get(&self, cert: &AppCertificate, issue_ts: u32) -> Result<IssueKey, Error> {
        let Ok(mut slot) = self.0.try_lock() else {
            return issue_key(cert, issue_ts);
        };
        match &*slot {
            Some((ts, key)) if *ts == issue_ts => Ok(key.clone()),
            _ => {
                let key = issue_key(cert, issue_ts)?;
                *slot = Some((issue_ts, key.clone()));
                Ok(key)
            }
        }
    }
}

impl core::fmt::Debug for IssueKeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IssueKeyCache(..)")
    }
}

/// Tracks the 24-hour rule while a token is assembled.
struct Cap {
    validity: u32,
    capped: bool,
}

impl Cap {
    fn token(validity: u32) -> Self {
        let applied = crate::capped_validity(validity);
        Self {
            validity: applied,
            capped: applied != validity,
        }
    }

    /// A privilege validity above the token validity is lowered to it; 0 stays 0.
    fn privilege(&mut self, v: u32) -> u32 {
        if v > self.validity {
            self.capped = true;
            self.validity
        } else {
            v
        }
    }
}

/// An RTC service's privileges, `(id, validity)` in ascending id order: join, plus publish
/// audio, video and data for a publisher, each with its own validity lowered to the token's
/// by `cap`. Only the first `n` entries of the returned array are used.
fn rtc_privileges(role: Role, cap: &mut Cap, p: RtcPrivilegeExpiries) -> ([(u16, u32); 4], usize) {
    let join = (u16::from(RtcPrivilege::JoinChannel), cap.privilege(p.join));
    if !role.publishes() {
        return ([join; 4], 1);
    }
    let privileges = [
        join,
        (
            u16::from(RtcPrivilege::PublishAudioStream),
            cap.privilege(p.publish_audio),
        ),
        (
            u16::from(RtcPrivilege::PublishVideoStream),
            cap.privilege(p.publish_video),
        ),
        (
            u16::from(RtcPrivilege::PublishDataStream),
            cap.privilege(p.publish_data),
        ),
    ];
    (privileges, 4)
}

/// An RTC service with the privileges of [`rtc_privileges`].
fn rtc_service(
    channel: &str,
    account: &str,
    role: Role,
    cap: &mut Cap,
    p: RtcPrivilegeExpiries,
) -> ServiceRtc {
    let mut s = ServiceRtc::new(channel, account);
    let (privileges, n) = rtc_privileges(role, cap, p);
    for &(id, v) in privileges.get(..n).unwrap_or(&[]) {
        s.add_raw_privilege(id, v);
    }
    s
}

/// The services of [`TokenBuilder::rtc_rtm`] (and of the ConvoAI and STT builders, which
/// add `extra`): RTC as `rtc` says, then RTM login for `rtm_user_id` lasting `rtm_validity`
/// lowered to the token's (`None`: the applied token validity).
fn rtc_rtm_services(
    rtc: &RtcSpec<'_>,
    rtm_user_id: &str,
    rtm_validity: Option<u32>,
    extra: Option<Service>,
) -> (Cap, Vec<Service>) {
    let mut cap = Cap::token(rtc.validity);
    let account = rtc.principal.to_account();
    let rtc = rtc_service(rtc.channel, &account, rtc.role, &mut cap, rtc.expiries());
    let login = match rtm_validity {
        Some(v) => cap.privilege(v),
        None => cap.validity,
    };
    let rtm = ServiceRtm::new(rtm_user_id).with_privilege(RtmPrivilege::Login, login);
    let mut services = vec![rtc.into(), rtm.into()];
    services.extend(extra);
    (cap, services)
}

/// Lowercase hex MD5 of the UTF-8 string (the aPaaS chat user id).
#[must_use]
pub fn md5_hex(s: &str) -> String {
    use core::fmt::Write as _;
    let digest = md5::Md5::digest(s.as_bytes());
    let mut out = String::with_capacity(32);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

impl TokenBuilder {
    /// A builder using the system clock.
    #[must_use]
    pub fn new(app_id: AppId, cert: AppCertificate) -> Self {
        Self {
            app_id,
            cert,
            now: None,
            #[cfg(feature = "hazmat")]
            salt: None,
            issue_key: IssueKeyCache::default(),
        }
    }

    /// Freezes the clock at `now` (unix seconds), e.g. for tests. Salts stay random.
    #[must_use]
    pub fn with_now(mut self, now: u32) -> Self {
        self.now = Some(now);
        self
    }

    /// DANGEROUS: uses a fixed salt for every token (tests and conformance only).
    #[cfg(feature = "hazmat")]
    #[must_use]
    pub fn with_fixed_salt(mut self, salt: u32) -> Self {
        self.salt = Some(salt);
        self
    }

    /// The app id.
    #[must_use]
    pub fn app_id(&self) -> &AppId {
        &self.app_id
    }

    fn now(&self) -> u32 {
        self.now.unwrap_or_else(crate::unix_now)
    }

    /// The salt for the next token: fresh from the OS CSPRNG (or the `hazmat` fixed one).
    fn salt(&self) -> Result<u32, Error> {
        #[cfg(feature = "hazmat")]
        if let Some(s) = self.salt {
            return Ok(s);
        }
        crate::random_salt()
    }

    /// A token with one RTC service, packed from borrowed strings (see [`RtcToken`]);
    /// byte for byte what [`Self::issue`] makes of the same [`rtc_service`].
    fn issue_rtc(
        &self,
        channel: &str,
        account: &[u8],
        role: Role,
        token_validity: u32,
        p: RtcPrivilegeExpiries,
    ) -> Result<Issued, Error> {
        let mut cap = Cap::token(token_validity);
        let (privileges, n) = rtc_privileges(role, &mut cap, p);
        let now = self.now();
        let salt = self.salt()?;
        let k1 = self.issue_key.get(&self.cert, now)?;
        let token = RtcToken {
            app_id: &self.app_id,
            issue_ts: now,
            expire: cap.validity,
            salt,
            channel_name: channel.as_bytes(),
            uid: account,
            privileges: privileges.get(..n).unwrap_or(&[]),
        }
        .build_keyed(&k1)?;
        Ok(Issued::new(token, now, &cap))
    }

    fn issue(&self, cap: &Cap, services: Vec<Service>) -> Result<Issued, Error> {
        let now = self.now();
        let mut t = AccessToken2::with_salt(self.app_id.clone(), now, cap.validity, self.salt()?);
        t.services = services;
        let k1 = self.issue_key.get(&self.cert, now)?;
        Ok(Issued::new(t.build_keyed(&k1)?, now, cap))
    }

    /// An RTC token as `spec` says: join, plus publish audio/video/data for a publisher,
    /// each with its validity (see [`RtcSpec`]) lowered to the token's.
    ///
    /// Packed straight from the borrowed strings (no allocation besides the token), byte
    /// for byte what [`AccessToken2`] makes of the same service.
    ///
    /// # Errors
    /// [`Error::TooLong`] for a channel or account over 65535 bytes; [`Error::Random`].
    pub fn rtc(&self, spec: &RtcSpec<'_>) -> Result<Issued, Error> {
        spec.principal.write_account(|account| {
            self.issue_rtc(
                spec.channel,
                account,
                spec.role,
                spec.validity,
                spec.expiries(),
            )
        })
    }

    /// An RTC token as `rtc` says plus an RTM service for `rtm_user_id` (type 2), in one
    /// token. The RTM login lasts `rtm_validity` (lowered to the token validity), or
    /// exactly the applied token validity when `None`.
    ///
    /// # Errors
    /// As [`Self::rtc`].
    pub fn rtc_rtm(
        &self,
        rtc: &RtcSpec<'_>,
        rtm_user_id: &str,
        rtm_validity: Option<u32>,
    ) -> Result<Issued, Error> {
        let (cap, services) = rtc_rtm_services(rtc, rtm_user_id, rtm_validity, None);
        self.issue(&cap, services)
    }

    /// `ConvoAITokenBuilder.buildToken` (npm `agora-token` 2.0.6): the token a Conversational
    /// AI agent joins with, which also authenticates the ConvoAI REST API
    /// ([`crate::rest::TokenAuthorization`]). As [`Self::rtc_rtm`] (RTC as `rtc` says, RTM
    /// login for `rtm_user_id`), plus a Conversational AI service (type 9) with no privileges.
    ///
    /// The reference's `rtcAccount` is `rtc.principal`, its role and per-privilege expiries
    /// `rtc.role` and `rtc.privileges`, `rtcTokenExpire` is `rtc.validity` and
    /// `rtmTokenExpire` is `rtm_validity` (`None`: the applied token validity); the 24-hour
    /// rule applies as for every builder here.
    ///
    /// ```
    /// use agora_dynamic_key::access_token2::{ParsedAccessToken2, ServiceType};
    /// use agora_dynamic_key::builder::{RtcSpec, TokenBuilder};
    /// use agora_dynamic_key::{AppCertificate, AppId, Principal};
    ///
    /// # fn main() -> Result<(), agora_dynamic_key::Error> {
    /// let b = TokenBuilder::new(
    ///     AppId::new("0123456789abcdef0123456789abcdef")?,
    ///     AppCertificate::new("fedcba9876543210fedcba9876543210")?,
    /// );
    /// let agent = RtcSpec::new("support-42", Principal::Uid(1001), 3600);
    /// let issued = b.convoai(&agent, "1001", None)?;
    /// let types: Vec<_> = ParsedAccessToken2::parse(&issued.token)?
    ///     .services
    ///     .iter()
    ///     .map(|s| s.service_type())
    ///     .collect();
    /// assert_eq!(types, [ServiceType::Rtc, ServiceType::Rtm, ServiceType::ConvoAi]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`Self::rtc`].
    #[doc(alias = "ConvoAITokenBuilder")]
    pub fn convoai(
        &self,
        rtc: &RtcSpec<'_>,
        rtm_user_id: &str,
        rtm_validity: Option<u32>,
    ) -> Result<Issued, Error> {
        let extra = Service::from(ServiceConvoAi::new());
        let (cap, services) = rtc_rtm_services(rtc, rtm_user_id, rtm_validity, Some(extra));
        self.issue(&cap, services)
    }

    /// `SttTokenBuilder.buildToken` (npm `agora-token` 2.0.6): as [`Self::convoai`], with a
    /// speech-to-text service (type 10, no privileges) in place of the Conversational AI one.
    ///
    /// # Errors
    /// As [`Self::rtc`].
    #[doc(alias = "SttTokenBuilder")]
    pub fn stt(
        &self,
        rtc: &RtcSpec<'_>,
        rtm_user_id: &str,
        rtm_validity: Option<u32>,
    ) -> Result<Issued, Error> {
        let extra = Service::from(ServiceStt::new());
        let (cap, services) = rtc_rtm_services(rtc, rtm_user_id, rtm_validity, Some(extra));
        self.issue(&cap, services)
    }

    /// `RtcTokenBuilder2.build_token_with_uid`, for code ported from Agora's SDKs:
    /// [`Self::rtc`] with every privilege lasting `privilege_validity`.
    ///
    /// # Errors
    /// As [`Self::rtc`].
    pub fn rtc_with_uid(
        &self,
        channel: &str,
        uid: u32,
        role: Role,
        token_validity: u32,
        privilege_validity: u32,
    ) -> Result<Issued, Error> {
        self.rtc(
            &RtcSpec::new(channel, Principal::Uid(uid), token_validity)
                .with_role(role)
                .with_privileges(RtcPrivilegeExpiries::all(privilege_validity)),
        )
    }

    /// `RtcTokenBuilder2.build_token_with_user_account`, for code ported from Agora's SDKs:
    /// [`Self::rtc`] with every privilege lasting `privilege_validity`.
    ///
    /// # Errors
    /// As [`Self::rtc`].
    pub fn rtc_with_account(
        &self,
        channel: &str,
        account: &str,
        role: Role,
        token_validity: u32,
        privilege_validity: u32,
    ) -> Result<Issued, Error> {
        self.rtc(
            &RtcSpec::new(channel, Principal::Account(account), token_validity)
                .with_role(role)
                .with_privileges(RtcPrivilegeExpiries::all(privilege_validity)),
        )
    }

    /// `RtcTokenBuilder2.build_token_with_rtm`, for code ported from Agora's SDKs:
    /// [`Self::rtc_rtm`] for `account` in both services, every RTC privilege lasting
    /// `privilege_validity` and the RTM login the (applied) token validity.
    ///
    /// # Errors
    /// As [`Self::rtc`].
    pub fn rtc_with_rtm(
        &self,
        channel: &str,
        account: &str,
        role: Role,
        token_validity: u32,
        privilege_validity: u32,
    ) -> Result<Issued, Error> {
        let spec = RtcSpec::new(channel, Principal::Account(account), token_validity)
            .with_role(role)
            .with_privileges(RtcPrivilegeExpiries::all(privilege_validity));
        self.rtc_rtm(&spec, account, None)
    }

    /// `RtmTokenBuilder2.build_token`: rtm(user_id) login = validity.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtm(&self, user_id: &str, validity: u32) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let rtm = ServiceRtm::new(user_id).with_privilege(RtmPrivilege::Login, cap.validity);
        self.issue(&cap, vec![rtm.into()])
    }

    /// `RtmTokenBuilder2.build_token_with_permissions`: an rtm2 service (type 8) with the
    /// permissions, login = validity.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtm_with_permissions(
        &self,
        user_id: &str,
        permissions: &Permissions,
        validity: u32,
    ) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let rtm2 = ServiceRtm2::new(user_id, permissions.clone())
            .with_privilege(Rtm2Privilege::Login, cap.validity);
        self.issue(&cap, vec![rtm2.into()])
    }

    /// `ChatTokenBuilder2.build_user_token`: chat(user_id) user = validity.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn chat_user(&self, user_id: &str, validity: u32) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let chat = ServiceChat::new(user_id).with_privilege(ChatPrivilege::User, cap.validity);
        self.issue(&cap, vec![chat.into()])
    }

    /// `ChatTokenBuilder2.build_app_token`: chat("") app = validity.
    ///
    /// # Errors
    /// [`Error::Random`].
    pub fn chat_app(&self, validity: u32) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let chat = ServiceChat::new("").with_privilege(ChatPrivilege::App, cap.validity);
        self.issue(&cap, vec![chat.into()])
    }

    /// `FpaTokenBuilder.build_token`: expire fixed at 86 400 s, fpa login = 0.
    ///
    /// # Errors
    /// [`Error::Random`].
    pub fn fpa(&self) -> Result<Issued, Error> {
        let cap = Cap {
            validity: MAX_VALIDITY_SECS,
            capped: false,
        };
        let fpa = ServiceFpa::new().with_privilege(FpaPrivilege::Login, 0);
        self.issue(&cap, vec![fpa.into()])
    }

    /// `ApaasTokenBuilder.build_room_user_token` (python3/go): rtm(user_uuid) login, chat(md5
    /// hex of user_uuid) user, apaas(room_uuid, user_uuid, role) room-user, all = validity.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn apaas_room_user(
        &self,
        room_uuid: &str,
        user_uuid: &str,
        role: i16,
        validity: u32,
    ) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let v = cap.validity;
        let apaas = ServiceApaas::new(room_uuid, user_uuid)
            .with_role(role)
            .with_privilege(ApaasPrivilege::RoomUser, v);
        let rtm = ServiceRtm::new(user_uuid).with_privilege(RtmPrivilege::Login, v);
        let chat = ServiceChat::new(md5_hex(user_uuid)).with_privilege(ChatPrivilege::User, v);
        self.issue(&cap, vec![apaas.into(), rtm.into(), chat.into()])
    }

    /// `ApaasTokenBuilder.build_user_token`: apaas("", user_uuid, -1) user = validity.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn apaas_user(&self, user_uuid: &str, validity: u32) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let apaas =
            ServiceApaas::new("", user_uuid).with_privilege(ApaasPrivilege::User, cap.validity);
        self.issue(&cap, vec![apaas.into()])
    }

    /// `ApaasTokenBuilder.build_app_token`: apaas("", "", -1) app = validity.
    ///
    /// # Errors
    /// [`Error::Random`].
    pub fn apaas_app(&self, validity: u32) -> Result<Issued, Error> {
        let cap = Cap::token(validity);
        let apaas = ServiceApaas::new("", "").with_privilege(ApaasPrivilege::App, cap.validity);
        self.issue(&cap, vec![apaas.into()])
    }

    /// `EducationTokenBuilder.build_room_user_token`: byte-identical to
    /// [`Self::apaas_room_user`].
    ///
    /// # Errors
    /// As [`Self::apaas_room_user`].
    pub fn education_room_user(
        &self,
        room_uuid: &str,
        user_uuid: &str,
        role: i16,
        validity: u32,
    ) -> Result<Issued, Error> {
        self.apaas_room_user(room_uuid, user_uuid, role, validity)
    }

    /// `EducationTokenBuilder.build_user_token`: identical to [`Self::apaas_user`].
    ///
    /// # Errors
    /// As [`Self::apaas_user`].
    pub fn education_user(&self, user_uuid: &str, validity: u32) -> Result<Issued, Error> {
        self.apaas_user(user_uuid, validity)
    }

    /// `EducationTokenBuilder.build_app_token`: identical to [`Self::apaas_app`].
    ///
    /// # Errors
    /// As [`Self::apaas_app`].
    pub fn education_app(&self, validity: u32) -> Result<Issued, Error> {
        self.apaas_app(validity)
    }
}
