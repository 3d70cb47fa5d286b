//! The Agora provider (AccessToken2 007 by default, AccessToken 006 on request).

use agora_dynamic_key::access_token::{self, ParsedAccessToken};
use agora_dynamic_key::access_token2::{ParsedAccessToken2, Service, ServiceType};
use agora_dynamic_key::builder::{Issued, RtcPrivilegeExpiries, RtcSpec, TokenBuilder};
use agora_dynamic_key::limits::{self, Name};
use agora_dynamic_key::{AppCertificate, AppId, Principal, capped_validity};

use crate::named::named_text;
use crate::privilege::Held;
use crate::provider::{self, Renewal, no_stream_ids, required_user_id, signature_checked};
use crate::{
    Error, ErrorKind, IssuedToken, Named, ParseOptions, ParsedToken, Privilege, PrivilegeView,
    Role, TokenKind, TokenProvider, TokenRequest, TokenVersion, Vendor, VendorDetail, Verification,
};

/// Clearly fake demo app id, for examples and `rtc-tokens demo` only.
pub const DEMO_AGORA_APP_ID: &str = "0123456789abcdef0123456789abcdef";
/// Clearly fake demo app certificate, for examples and `rtc-tokens demo` only.
pub const DEMO_AGORA_APP_CERTIFICATE: &str = "fedcba9876543210fedcba9876543210";

/// Which Agora token format a provider issues.
///
/// Its spellings are its [`Named`] data: written as the version prefix,
/// `007` or `006`; `7` and `6` are read too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AgoraVersion {
    /// AccessToken (`006`), legacy: RTC and RTM only.
    V006,
    /// AccessToken2 (`007`), current (default).
    #[default]
    V007,
}

impl Named for AgoraVersion {
    /// Every version, the default (current) first.
    const ALL: &'static [Self] = &[Self::V007, Self::V006];

    fn name(self) -> &'static str {
        match self {
            Self::V006 => "006",
            Self::V007 => "007",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::V006 => &["6"],
            Self::V007 => &["7"],
        }
    }
}

named_text!(AgoraVersion, "agora token version");

/// Issues and checks Agora tokens.
///
/// Request mapping (007): `rtc` uses `uid` (0 = any user) or else `user_id` as
/// the account, with the role's privileges (per-privilege validities when
/// given); `rtm` and `chat` use `user_id`; `rtc_rtm` puts `uid` (or `user_id`)
/// in the RTC service and `user_id` in the RTM service, and so do `convoai` and
/// `stt`, which add the Conversational AI or speech-to-text service; `chat_app`
/// takes no user. Validities are capped at 24 hours
/// ([`capped_validity`](agora_dynamic_key::capped_validity)); 0 is refused. 006
/// issues `rtc` and `rtm` only. The mapping onto the vendor crate's
/// [`RtcSpec`](agora_dynamic_key::builder::RtcSpec) is all this provider
/// adds, besides refusing channel names, accounts and user ids outside the
/// limits Agora documents for its SDKs ([`agora_dynamic_key::limits`]).
#[derive(Clone, Debug)]
pub struct AgoraProvider {
    app_id: AppId,
    certificate: AppCertificate,
    version: AgoraVersion,
    renewal: Renewal,
    /// Kept so that its clones share the builder's per-second signing-key cache.
    builder: TokenBuilder,
}

impl AgoraProvider {
    /// A provider for `app_id` with its app certificate, issuing 007 tokens.
    #[must_use]
    pub fn new(app_id: AppId, certificate: AppCertificate) -> Self {
        Self {
            builder: TokenBuilder::new(app_id.clone(), certificate.clone()),
            app_id,
            certificate,
            version: AgoraVersion::V007,
            renewal: Renewal::default(),
        }
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[must_use]
    pub fn demo() -> Self {
        provider::demo(|| {
            let app_id = AppId::new(DEMO_AGORA_APP_ID)?;
            let cert = AppCertificate::new(DEMO_AGORA_APP_CERTIFICATE)?;
            Ok(Self::new(app_id, cert))
        })
    }

    /// Issues tokens of `version` (007 by default).
    #[must_use]
    pub fn with_version(mut self, version: AgoraVersion) -> Self {
        self.version = version;
        self
    }

    /// Sets how long before expiry clients are told to renew.
    #[must_use]
    pub fn with_renew_before(mut self, secs: u32) -> Self {
        self.renewal = Renewal::before(secs);
        self
    }

    /// The version new tokens use.
    #[must_use]
    pub fn version(&self) -> AgoraVersion {
        self.version
    }

    /// The vendor crate's builder on this provider's credentials, for the
    /// tokens a vendor-neutral [`TokenRequest`] cannot express (rtm2
    /// permissions, FPA, APaaS/Education). Its clock is the system's; call
    /// [`TokenBuilder::with_now`] to fix it.
    #[must_use]
    pub fn token_builder(&self) -> TokenBuilder {
        self.builder.clone()
    }

    fn builder(&self, now: u32) -> TokenBuilder {
        self.token_builder().with_now(now)
    }
}

/// The request as an 007 token: a thin mapping onto the vendor crate's builders.
fn issue_007(b: &TokenBuilder, r: &TokenRequest) -> Result<Issued, Error> {
    let issued = match r.kind {
        TokenKind::Rtc => b.rtc(&rtc_spec(r, rtc_principal(r)?)?),
        TokenKind::RtcRtm | TokenKind::ConvoAi | TokenKind::Stt => {
            let rtm_user = user_id(r, Name::RtmUserId)?;
            let principal = r.uid.map_or(Principal::Account(rtm_user), Principal::Uid);
            limits::check_principal(&principal).map_err(|e| Error::from(e).in_field("user_id"))?;
            let spec = rtc_spec(r, principal)?;
            match r.kind {
                TokenKind::ConvoAi => b.convoai(&spec, rtm_user, None),
                TokenKind::Stt => b.stt(&spec, rtm_user, None),
                _ => b.rtc_rtm(&spec, rtm_user, None),
            }
        }
        TokenKind::Rtm => {
            no_room_uid_or_role(r)?;
            b.rtm(user_id(r, Name::RtmUserId)?, r.validity_secs)
        }
        TokenKind::Chat => {
            no_room_uid_or_role(r)?;
            b.chat_user(user_id(r, Name::ChatUserId)?, r.validity_secs)
        }
        TokenKind::ChatApp => {
            no_room_uid_or_role(r)?;
            if r.user_id.is_some() {
                return Err(agora_err("a chat_app token names no user: drop user_id"));
            }
            b.chat_app(r.validity_secs)
        }
    };
    Ok(issued?)
}

/// The request as a 006 token (RTC and RTM only, no per-privilege expiries).
fn issue_006(b: &TokenBuilder, r: &TokenRequest, now: u32) -> Result<Issued, Error> {
    if r.privilege_expiries.is_some() {
        return Err(agora_err(
            "006 cannot express per-privilege expiries: use 007",
        ));
    }
    let issued = match r.kind {
        TokenKind::Rtc => b.rtc006(&rtc_spec(r, rtc_principal(r)?)?),
        TokenKind::Rtm => {
            no_room_uid_or_role(r)?;
            let expire_ts = now.saturating_add(capped_validity(r.validity_secs));
            b.rtm006(user_id(r, Name::RtmUserId)?, expire_ts)
        }
        other => {
            return Err(agora_err(&format!("006 has no {other} tokens: use 007")));
        }
    };
    Ok(issued?)
}

/// The RTC part of a request: channel, principal, role, validity and per-privilege
/// validities (unset ones last as long as the token).
fn rtc_spec<'a>(r: &'a TokenRequest, principal: Principal<'a>) -> Result<RtcSpec<'a>, Error> {
    let v = r.validity_secs;
    let spec = RtcSpec::new(channel(r)?, principal, v).with_role(r.role.into());
    let Some(p) = r.privilege_expiries else {
        return Ok(spec);
    };
    if r.role == Role::Subscriber && p.has_publish() {
        return Err(agora_err(
            "a subscriber cannot be given publish privilege expiries",
        ));
    }
    Ok(spec.with_privileges(RtcPrivilegeExpiries {
        join: p.join.unwrap_or(v),
        publish_audio: p.publish_audio.unwrap_or(v),
        publish_video: p.publish_video.unwrap_or(v),
        publish_data: p.publish_data.unwrap_or(v),
    }))
}

/// An RTC token's one user: the numeric uid or the account (`user_id`,
/// within Agora's limits for a user account).
fn rtc_principal(r: &TokenRequest) -> Result<Principal<'_>, Error> {
    match (r.uid, r.user_id.as_deref()) {
        (Some(uid), None) => Ok(Principal::Uid(uid)),
        (None, Some(account)) => {
            limits::check_user_account(account).map_err(|e| Error::from(e).in_field("user_id"))?;
            Ok(Principal::Account(account))
        }
        (Some(_), Some(_)) => Err(agora_err(
            "an rtc token names one user: give uid or user_id, not both (rtc_rtm takes both)",
        )),
        (None, None) => Err(agora_err("uid or user_id is required")),
    }
}

/// The neutral role as Agora's (the one place they meet).
impl From<Role> for agora_dynamic_key::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Publisher => Self::Publisher,
            Role::Subscriber => Self::Subscriber,
        }
    }
}

fn agora_err(message: &str) -> Error {
    Error::invalid_input(Some(Vendor::Agora), message)
}

/// The channel name (`room`), within Agora's limits for one.
fn channel(r: &TokenRequest) -> Result<&str, Error> {
    no_stream_ids(r, Vendor::Agora)?;
    let room = r
        .room
        .as_deref()
        .ok_or_else(|| agora_err("room (the channel name) is required"))?;
    limits::check_channel_name(room).map_err(|e| Error::from(e).in_field("room"))?;
    Ok(room)
}

/// The `user_id`, within Agora's limits for the `name` it is used as.
fn user_id(r: &TokenRequest, name: Name) -> Result<&str, Error> {
    let user_id = required_user_id(r, Vendor::Agora)?;
    name.check(user_id)
        .map_err(|e| Error::from(e).in_field("user_id"))?;
    Ok(user_id)
}

fn no_room_uid_or_role(r: &TokenRequest) -> Result<(), Error> {
    let what = r.kind.as_str();
    if r.room.is_some() {
        return Err(agora_err(&format!(
            "{what} tokens carry no channel: drop room"
        )));
    }
    if r.uid.is_some() {
        return Err(agora_err(&format!(
            "{what} tokens carry no numeric uid: use user_id"
        )));
    }
    if r.role == Role::Subscriber {
        return Err(agora_err(&format!(
            "{what} tokens have no roles: drop role"
        )));
    }
    no_stream_ids(r, Vendor::Agora)?;
    if r.privilege_expiries.is_some() {
        return Err(agora_err(&format!(
            "{what} tokens have no per-privilege expiries"
        )));
    }
    Ok(())
}

impl TokenProvider for AgoraProvider {
    fn vendor(&self) -> Vendor {
        Vendor::Agora
    }

    fn app_id(&self) -> String {
        self.app_id.as_str().to_owned()
    }

    fn issue_at(&self, request: &TokenRequest, now: u64) -> Result<IssuedToken, Error> {
        request.check_validity(Vendor::Agora)?;
        request.no_privilege_list(Vendor::Agora)?;
        let now = u32::try_from(now).map_err(|_| agora_err("the clock is past 2106"))?;
        let builder = self.builder(now);
        let (issued, version) = match self.version {
            AgoraVersion::V007 => (issue_007(&builder, request)?, TokenVersion::Agora007),
            AgoraVersion::V006 => (issue_006(&builder, request, now)?, TokenVersion::Agora006),
        };
        let issued_at = u64::from(issued.issued_at);
        // The builder reports when the token stops working (for 006, its privileges'
        // expiry, earlier than the token's own `ts`); parsing reports the same.
        Ok(self
            .renewal
            .issued(version, issued.token, issued_at, issued.expires_at))
    }

    fn inspect(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        match options.check_version(token) {
            Ok(TokenVersion::Agora007) => self.inspect_007(token),
            Ok(TokenVersion::Agora006) => self.inspect_006(token, options),
            Err(e) if e.kind() == ErrorKind::Malformed => Err(e),
            _ => Err(Error::new(
                ErrorKind::Version,
                Some(Vendor::Agora),
                "not an agora token: expected a 006 or 007 prefix",
            )),
        }
    }
}

impl AgoraProvider {
    fn inspect_007(&self, token: &str) -> Result<ParsedToken, Error> {
        let parsed = ParsedAccessToken2::parse(token)?;
        let verification =
            signature_checked(parsed.verify(&self.certificate).map_err(Error::from))?;
        Ok(view_007(parsed, verification))
    }

    fn inspect_006(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        let parsed = ParsedAccessToken::parse(token)?;
        let verification = match (&options.channel, &options.uid) {
            (Some(channel), Some(uid)) => signature_checked(
                parsed
                    .verify(&self.certificate, channel, uid)
                    .map_err(Error::from),
            )?,
            _ => Verification::NotChecked,
        };
        Ok(view_006(
            parsed,
            options.channel.clone(),
            options.uid.clone(),
            verification,
        ))
    }
}

/// How a 007 service that carries no privileges is listed among the privileges.
const NO_PRIVILEGES: &str = "no privileges";

/// The neutral view of a decoded 007 token (the one construction, shared by
/// [`AgoraProvider::inspect`] and [`crate::dangerous::insecure_decode`]).
pub(crate) fn view_007(parsed: ParsedAccessToken2, verification: Verification) -> ParsedToken {
    let issue_ts = u64::from(parsed.issue_ts);
    let (user, room) = principal(&parsed.services);
    let privileges = parsed
        .services
        .iter()
        .flat_map(|s| {
            let ty = s.service_type();
            let listed = s
                .privileges()
                .iter()
                .map(move |(&id, &secs)| PrivilegeView {
                    service: ty.name().to_owned(),
                    name: ty
                        .privilege_name(id)
                        .map_or_else(|| format!("privilege {id}"), str::to_owned),
                    expires_at: privilege_expiry_007(issue_ts, secs),
                });
            // A service without privileges (convoai, stt) is still listed, once.
            let bare = s.privileges().is_empty().then(|| PrivilegeView {
                service: ty.name().to_owned(),
                name: NO_PRIVILEGES.to_owned(),
                expires_at: None,
            });
            listed.chain(bare)
        })
        .collect();
    ParsedToken {
        vendor: Vendor::Agora,
        version: TokenVersion::Agora007,
        app_id: Some(parsed.app_id.clone()),
        user,
        room,
        issued_at: Some(issue_ts),
        // As Agora's servers apply it: 0 or more than 24 h counts as 24 h.
        expires_at: parsed.effective_expires_at(),
        privileges,
        verification,
        detail: VendorDetail::Agora007(Box::new(parsed)),
    }
}

/// The neutral view of a decoded 006 token; `channel` and `uid` are what the
/// caller says it was built for (the token carries only their CRC32s).
pub(crate) fn view_006(
    parsed: ParsedAccessToken,
    channel: Option<String>,
    uid: Option<String>,
    verification: Verification,
) -> ParsedToken {
    let privileges = parsed
        .privileges
        .iter()
        .map(|(&id, &ts)| {
            let known = access_token::Privilege::from_u16(id);
            let service = known.map_or(ServiceType::Rtc, access_token::Privilege::service);
            PrivilegeView {
                service: service.name().to_owned(),
                name: known.map_or_else(|| format!("privilege {id}"), |p| p.name().to_owned()),
                expires_at: privilege_expiry_006(ts),
            }
        })
        .collect();
    ParsedToken {
        vendor: Vendor::Agora,
        version: TokenVersion::Agora006,
        app_id: Some(parsed.app_id.clone()),
        user: uid,
        room: channel,
        issued_at: None,
        // Its own `ts` or its privileges' expiry, whichever comes first.
        expires_at: parsed.effective_expires_at(),
        privileges,
        verification,
        detail: VendorDetail::Agora006(parsed),
    }
}

/// A 007 privilege's absolute expiry: its value is seconds after `issue_ts`;
/// 0 (the reference builders' default) sets none, so it lasts as the token.
fn privilege_expiry_007(issue_ts: u64, secs: u32) -> Option<u64> {
    (secs != 0).then(|| issue_ts.saturating_add(u64::from(secs)))
}

/// A 006 privilege's absolute expiry: its value is a unix time; 0 sets none.
fn privilege_expiry_006(ts: u32) -> Option<u64> {
    (ts != 0).then_some(u64::from(ts))
}

fn held_from(expiry: Option<Option<u64>>) -> Held {
    match expiry {
        None => Held::No,
        Some(None) => Held::WithToken,
        Some(Some(at)) => Held::Until(at),
    }
}

/// Where a neutral privilege sits in a 007 token: the services and the id.
/// Agora has no privilege of its own for creating a channel or subscribing
/// (they come with joining) nor for screen sharing (a video stream).
const fn where_007(privilege: Privilege) -> (&'static [ServiceType], u16) {
    match privilege {
        Privilege::JoinChannel
        | Privilege::CreateRoom
        | Privilege::SubscribeAudio
        | Privilege::SubscribeVideo
        | Privilege::SubscribeScreen => (&[ServiceType::Rtc], 1),
        Privilege::PublishAudio => (&[ServiceType::Rtc], 2),
        Privilege::PublishVideo | Privilege::PublishScreen => (&[ServiceType::Rtc], 3),
        Privilege::PublishData => (&[ServiceType::Rtc], 4),
        Privilege::RtmLogin => (&[ServiceType::Rtm, ServiceType::Rtm2], 1),
        Privilege::ChatUser => (&[ServiceType::Chat], 1),
        Privilege::ChatApp => (&[ServiceType::Chat], 2),
    }
}

/// Whether a 007 token holds `privilege`, and until when.
pub(crate) fn held_007(t: &ParsedAccessToken2, privilege: Privilege) -> Held {
    let (types, id) = where_007(privilege);
    let issue_ts = u64::from(t.issue_ts);
    held_from(
        t.services
            .iter()
            .filter(|s| types.contains(&s.service_type()))
            .find_map(|s| s.privileges().get(&id))
            .map(|&secs| privilege_expiry_007(issue_ts, secs)),
    )
}

/// What a 007 token needs to be usable: joining its RTC channel, logging in
/// to RTM, its chat privilege.
pub(crate) fn usable_007(t: &ParsedAccessToken2) -> Vec<Privilege> {
    let mut needs = Vec::new();
    for s in &t.services {
        let need = match s.service_type() {
            ServiceType::Rtc => Privilege::JoinChannel,
            ServiceType::Rtm | ServiceType::Rtm2 => Privilege::RtmLogin,
            ServiceType::Chat if s.privileges().contains_key(&1) => Privilege::ChatUser,
            ServiceType::Chat => Privilege::ChatApp,
            _ => continue,
        };
        if !needs.contains(&need) {
            needs.push(need);
        }
    }
    needs
}

/// Whether a 006 token holds `privilege`, and until when (006 has no chat).
pub(crate) fn held_006(t: &ParsedAccessToken, privilege: Privilege) -> Held {
    use access_token::Privilege as P;
    let id = match privilege {
        Privilege::JoinChannel
        | Privilege::CreateRoom
        | Privilege::SubscribeAudio
        | Privilege::SubscribeVideo
        | Privilege::SubscribeScreen => P::JoinChannel,
        Privilege::PublishAudio => P::PublishAudioStream,
        Privilege::PublishVideo | Privilege::PublishScreen => P::PublishVideoStream,
        Privilege::PublishData => P::PublishDataStream,
        Privilege::RtmLogin => P::RtmLogin,
        Privilege::ChatUser | Privilege::ChatApp => return Held::No,
    };
    held_from(
        t.privileges
            .get(&u16::from(id))
            .map(|&ts| privilege_expiry_006(ts)),
    )
}

/// What a 006 token needs to be usable: RTM login for an RTM token, else joining.
pub(crate) fn usable_006(t: &ParsedAccessToken) -> Vec<Privilege> {
    let rtm = u16::from(access_token::Privilege::RtmLogin);
    if t.privileges.contains_key(&rtm) {
        vec![Privilege::RtmLogin]
    } else {
        vec![Privilege::JoinChannel]
    }
}

/// The user and room a 007 token names: from its first RTC service, else the
/// first service that names a user.
fn principal(services: &[Service]) -> (Option<String>, Option<String>) {
    for s in services {
        if let Service::Rtc(rtc) = s {
            return (Some(rtc.uid.clone()), Some(rtc.channel_name.clone()));
        }
    }
    for s in services {
        let found = match s {
            Service::Rtm(x) => Some((x.user_id.clone(), None)),
            Service::Rtm2(x) => Some((x.user_id.clone(), None)),
            Service::Chat(x) if !x.user_id.is_empty() => Some((x.user_id.clone(), None)),
            Service::Streaming(x) => Some((x.account.clone(), Some(x.channel_name.clone()))),
            Service::Fcdn(x) => Some((x.account.clone(), Some(x.channel_name.clone()))),
            Service::Apaas(x) if !x.user_uuid.is_empty() => Some((
                x.user_uuid.clone(),
                Some(x.room_uuid.clone()).filter(|r| !r.is_empty()),
            )),
            _ => None,
        };
        if let Some((user, room)) = found {
            return (Some(user), room);
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_credentials_are_valid() {
        assert!(AppId::new(DEMO_AGORA_APP_ID).is_ok());
        assert!(AppCertificate::new(DEMO_AGORA_APP_CERTIFICATE).is_ok());
    }

    #[test]
    fn convoai_and_stt_add_their_service_to_rtc_and_rtm() {
        let p = AgoraProvider::demo();
        for (request, extra) in [
            (
                TokenRequest::convoai("alice", "lobby"),
                ServiceType::ConvoAi,
            ),
            (
                TokenRequest::stt("alice", "lobby").with_uid(42),
                ServiceType::Stt,
            ),
        ] {
            let issued = p.issue_at(&request, 1_700_000_000).unwrap();
            let parsed = p.inspect(&issued.token, &ParseOptions::default()).unwrap();
            assert_eq!(parsed.verification, Verification::Verified);
            assert_eq!(parsed.room.as_deref(), Some("lobby"));
            let VendorDetail::Agora007(t) = &parsed.detail else {
                panic!("not 007")
            };
            let types: Vec<_> = t.services.iter().map(Service::service_type).collect();
            assert_eq!(types, [ServiceType::Rtc, ServiceType::Rtm, extra]);
            let bare: Vec<_> = parsed
                .privileges
                .iter()
                .filter(|v| v.name == NO_PRIVILEGES)
                .collect();
            assert_eq!(bare.len(), 1);
            assert_eq!(bare[0].service, extra.name());
            assert_eq!(bare[0].expires_at, None);
            assert!(issued.rest_authorization().is_ok());
        }
    }

    #[test]
    fn convoai_and_stt_are_007_only() {
        let p = AgoraProvider::demo().with_version(AgoraVersion::V006);
        for kind in [TokenKind::ConvoAi, TokenKind::Stt] {
            let request = TokenRequest::rtc("alice", "lobby").with_kind(kind);
            let err = p.issue(&request).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput);
            assert!(err.message().contains(kind.as_str()), "{err}");
            let issued = p.issue(&TokenRequest::rtc("alice", "lobby")).unwrap();
            assert_eq!(
                issued.rest_authorization().unwrap_err().kind(),
                ErrorKind::InvalidInput
            );
        }
    }

    #[test]
    fn version_spellings() {
        assert_eq!(AgoraVersion::default(), AgoraVersion::ALL[0]);
        for &v in AgoraVersion::ALL {
            assert_eq!(v.name().parse::<AgoraVersion>().unwrap(), v);
            for alias in v.aliases() {
                assert_eq!(format!(" {alias} ").parse::<AgoraVersion>().unwrap(), v);
            }
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{v}\""));
            assert_eq!(serde_json::from_str::<AgoraVersion>(&json).unwrap(), v);
            for alias in v.aliases() {
                let json = format!("\"{alias}\"");
                assert_eq!(serde_json::from_str::<AgoraVersion>(&json).unwrap(), v);
            }
        }
        let err = "008".parse::<AgoraVersion>().unwrap_err();
        assert_eq!(
            err.message(),
            "unknown agora token version: expected 007 or 006"
        );
    }
}
