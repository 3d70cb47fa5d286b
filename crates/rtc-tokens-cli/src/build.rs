//! `rtc-tokens build`: the facade's providers for what a neutral request
//! expresses, and the Agora provider's vendor builder
//! ([`AgoraProvider::token_builder`]) for the rest (rtm2 permissions, FPA,
//! APaaS). Vendor types come through the facade's re-exports.

use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow, bail};
use rtc_tokens::agora_dynamic_key::access_token2::{PermissionType, Permissions, ResourceType};
use rtc_tokens::agora_dynamic_key::builder::{Issued, TokenBuilder};
use rtc_tokens::zego_token04;
use rtc_tokens::{
    AgoraProvider, AgoraVersion, DEFAULT_RENEW_BEFORE_SECS, IssuedToken, Named, PrivilegeExpiries,
    Role, TokenKind, TokenProvider, TokenRequest, TokenVersion, Vendor,
};
use serde::Serialize;

use crate::cli::{AgoraCreds, AgoraKind, RtcPrivilegeArgs, RtcRtmArgs, TencentBuild, ZegoBuild};
use crate::output::{Style, field};
use crate::{creds, time};

/// A built token, as `build --json` prints it.
#[derive(Debug, Serialize)]
pub struct Built {
    /// `zego`, `agora` or `tencent`.
    pub vendor: Vendor,
    /// `04`, `006`, `007` or `usersig`.
    pub version: TokenVersion,
    /// What the token is for: `rtc`, `rtc_rtm`, `convoai`, `stt`, `rtm`, `rtm2`, `chat_user`,
    /// `chat_app`, `fpa`, `apaas_room_user`, `apaas_user`, `apaas_app` (Agora), `usersig` or
    /// `private_map_key` (Tencent).
    pub kind: &'static str,
    /// ZEGO only: `gcm` or `cbc` (null for Agora).
    pub mode: Option<&'static str>,
    /// The token.
    pub token: String,
    /// Issue time, unix seconds.
    pub issued_at: u64,
    /// Issue time, RFC 3339 UTC.
    pub issued_at_utc: String,
    /// Expiry, unix seconds.
    pub expires_at: u64,
    /// Expiry, RFC 3339 UTC.
    pub expires_at_utc: String,
    /// When a client should fetch a new token, unix seconds.
    pub renew_at: u64,
    /// When a client should fetch a new token, RFC 3339 UTC.
    pub renew_at_utc: String,
    /// Things worth knowing about this token (capped validity, 006 semantics…).
    pub notes: Vec<String>,
}

impl Built {
    /// From a token the facade issued.
    pub fn from_facade(
        kind: &'static str,
        mode: Option<&'static str>,
        issued: IssuedToken,
    ) -> Self {
        Self {
            vendor: issued.vendor,
            version: issued.version,
            kind,
            mode,
            issued_at_utc: time::rfc3339(issued.issued_at),
            expires_at_utc: time::rfc3339(issued.expires_at),
            renew_at_utc: time::rfc3339(issued.renew_at),
            token: issued.token,
            issued_at: issued.issued_at,
            expires_at: issued.expires_at,
            renew_at: issued.renew_at,
            notes: Vec::new(),
        }
    }

    /// From a vendor builder's result (Agora 007 kinds the facade cannot express).
    fn from_agora(kind: &'static str, issued: Issued) -> Self {
        let issued_at = u64::from(issued.issued_at);
        let mut built = Self::from_facade(
            kind,
            None,
            IssuedToken {
                token: issued.token,
                vendor: Vendor::Agora,
                version: TokenVersion::Agora007,
                issued_at,
                expires_at: issued.expires_at,
                renew_at: rtc_tokens::renew_at(
                    issued_at,
                    issued.expires_at,
                    DEFAULT_RENEW_BEFORE_SECS,
                ),
            },
        );
        if issued.capped {
            let validity = issued.expires_at.saturating_sub(issued_at);
            built.notes.push(capped_note(validity));
        }
        built
    }

    /// Adds the note that a 006 token's own `ts` is not when it stops working.
    pub fn note_006(&mut self) {
        self.notes.push(
            "006: the token's own ts is always 24 h after issue; it stops working when its \
             privileges expire (expires_at)"
                .to_owned(),
        );
    }

    /// The human-readable form: the token alone on the first line, a blank
    /// line, then the [`details`](Self::details).
    pub fn render(&self, style: Style, now: u64) -> String {
        format!("{}\n\n{}", self.token, self.details(style, now))
    }

    /// What the token is, when it expires and when to renew it, and the
    /// notes; without the token itself.
    pub fn details(&self, style: Style, now: u64) -> String {
        let mut out = String::new();
        let what = match self.mode {
            Some(mode) => format!("{} {} {} ({mode})", self.vendor, self.version, self.kind),
            None => format!("{} {} {}", self.vendor, self.version, self.kind),
        };
        field(&mut out, style, "token", &what);
        let at = |t: u64| format!("{} ({})", time::rfc3339(t), time::relative(t, now));
        field(&mut out, style, "issued", &at(self.issued_at));
        field(&mut out, style, "expires", &at(self.expires_at));
        field(&mut out, style, "renew at", &at(self.renew_at));
        for note in &self.notes {
            out.push_str(&format!("{} {note}\n", style.warn("note:")));
        }
        out
    }
}

fn capped_note(validity: u64) -> String {
    format!("validity capped at {validity} s: Agora's servers accept a token for at most 24 hours")
}

/// Builds a ZEGO token04 through the facade.
///
/// # Errors
///
/// Missing or invalid app id or secret, or a request ZEGO refuses.
pub fn zego(args: &ZegoBuild, now: u64) -> anyhow::Result<Built> {
    let provider = creds::zego(creds::Flags {
        app_id: args.app_id.as_deref(),
        secret_file: args.secret_file.as_deref(),
        format: args.mode.map(zego_token04::Mode::as_str),
    })?;
    let mode = provider.mode();
    let request = TokenRequest {
        user_id: Some(args.user.clone()),
        room: args.room.clone(),
        role: if args.login_only {
            Role::Subscriber
        } else {
            Role::Publisher
        },
        validity_secs: args.validity,
        stream_ids: args.streams.clone(),
        ..TokenRequest::default()
    };
    let issued = provider.issue_at(&request, now)?;
    let mut built = Built::from_facade("rtc", Some(mode.as_str()), issued);
    if mode == zego_token04::Mode::Cbc {
        built.notes.push(
            "cbc is ZEGO's legacy mode and is not authenticated; prefer gcm where clients allow"
                .to_owned(),
        );
    }
    Ok(built)
}

/// Builds a Tencent UserSig or PrivateMapKey through the facade.
///
/// # Errors
///
/// Missing or invalid SDKAppID or key, or a request Tencent refuses.
pub fn tencent(args: &TencentBuild, now: u64) -> anyhow::Result<Built> {
    let provider = creds::tencent(creds::Flags {
        app_id: args.app_id.as_deref(),
        secret_file: args.secret_file.as_deref(),
        format: None,
    })?;
    let request = TokenRequest {
        user_id: Some(args.user.clone()),
        room: args.room.clone(),
        role: args.role,
        validity_secs: args.validity,
        privileges: (!args.privileges.is_empty()).then(|| args.privileges.clone()),
        ..TokenRequest::default()
    };
    let kind = if args.room.is_some() {
        "private_map_key"
    } else {
        "usersig"
    };
    Ok(Built::from_facade(
        kind,
        None,
        provider.issue_at(&request, now)?,
    ))
}

/// The Agora provider, its version from `--token-version` when given (else
/// the loader's: AGORA_TOKEN_VERSION or 007).
fn agora_provider(c: &AgoraCreds, version: Option<AgoraVersion>) -> anyhow::Result<AgoraProvider> {
    creds::agora(creds::Flags {
        app_id: c.app_id.as_deref(),
        secret_file: c.secret_file.as_deref(),
        format: version.map(Named::name),
    })
}

fn privilege_expiries(p: &RtcPrivilegeArgs) -> Option<PrivilegeExpiries> {
    let e = PrivilegeExpiries {
        join: p.join_validity,
        publish_audio: p.audio_validity,
        publish_video: p.video_validity,
        publish_data: p.data_validity,
    };
    (e != PrivilegeExpiries::default()).then_some(e)
}

/// Issues through the facade's Agora provider and notes what the 24-hour rule changed.
fn via_facade(neutral: &Neutral<'_>, now: u64) -> anyhow::Result<Built> {
    let Neutral {
        creds,
        version,
        name: kind,
        request,
    } = neutral;
    let provider = match version {
        Version::Flag(flag) => agora_provider(creds, *flag)?,
        Version::Only007 => agora_provider(creds, None)?.with_version(AgoraVersion::V007),
    };
    let version = provider.version();
    let issued = provider.issue_at(request, now)?;
    let mut built = Built::from_facade(kind, None, issued);
    // The provider applies Agora's 24-hour cap; say so when it gave less than asked.
    let validity = built.expires_at.saturating_sub(built.issued_at);
    if validity != u64::from(request.validity_secs) {
        built.notes.push(capped_note(validity));
    }
    if version == AgoraVersion::V006 {
        built.note_006();
    }
    Ok(built)
}

/// Builds an Agora token: the facade for rtc, rtc-rtm, convoai, stt, rtm and chat, the vendor
/// crate's builders for rtm2, fpa and apaas.
///
/// # Errors
///
/// Missing or invalid app id or certificate, or a request Agora cannot express.
pub fn agora(kind: &AgoraKind, now: u64) -> anyhow::Result<Built> {
    match neutral_request(kind) {
        Some(neutral) => via_facade(&neutral, now),
        None => vendor_only(kind, now),
    }
}

/// An Agora kind a neutral [`TokenRequest`] expresses.
struct Neutral<'a> {
    creds: &'a AgoraCreds,
    version: Version,
    name: &'static str,
    request: TokenRequest,
}

/// Which Agora token version a kind is built as.
#[derive(Clone, Copy)]
enum Version {
    /// `--token-version` when given, else the loader's (environment or 007).
    Flag(Option<AgoraVersion>),
    /// Only 007 can express the kind, whatever the environment says.
    Only007,
}

/// The request for rtc, rtc-rtm, convoai, stt, rtm and chat; `None` for the vendor-only kinds.
fn neutral_request(kind: &AgoraKind) -> Option<Neutral<'_>> {
    let v007 = Version::Only007;
    let (creds, version, name, request) = match kind {
        AgoraKind::Rtc {
            creds,
            channel,
            uid,
            account,
            role: r,
            validity,
            privileges,
            token_version,
        } => {
            let request = rtc_request(TokenKind::Rtc, channel, *uid, account.as_deref(), *r)
                .with_validity(validity.validity);
            let request = with_privileges(request, privileges);
            (creds, Version::Flag(*token_version), "rtc", request)
        }
        AgoraKind::RtcRtm(args) => rtc_rtm_request(TokenKind::RtcRtm, "rtc_rtm", args),
        AgoraKind::Convoai(args) => rtc_rtm_request(TokenKind::ConvoAi, "convoai", args),
        AgoraKind::Stt(args) => rtc_rtm_request(TokenKind::Stt, "stt", args),
        AgoraKind::Rtm {
            creds,
            user,
            validity,
            token_version,
        } => (
            creds,
            Version::Flag(*token_version),
            "rtm",
            TokenRequest::rtm(user.as_str()).with_validity(validity.validity),
        ),
        AgoraKind::ChatUser {
            creds,
            user,
            validity,
        } => (
            creds,
            v007,
            "chat_user",
            TokenRequest::chat_user(user.as_str()).with_validity(validity.validity),
        ),
        AgoraKind::ChatApp { creds, validity } => (
            creds,
            v007,
            "chat_app",
            TokenRequest::chat_app().with_validity(validity.validity),
        ),
        _ => return None,
    };
    Some(Neutral {
        creds,
        version,
        name,
        request,
    })
}

/// A 007 request carrying RTC and RTM (`rtc_rtm`, `convoai`, `stt`), with its name.
fn rtc_rtm_request<'a>(
    kind: TokenKind,
    name: &'static str,
    args: &'a RtcRtmArgs,
) -> (&'a AgoraCreds, Version, &'static str, TokenRequest) {
    let request = rtc_request(kind, &args.channel, args.uid, Some(&args.user), args.role)
        .with_validity(args.validity.validity);
    let request = with_privileges(request, &args.privileges);
    (&args.creds, Version::Only007, name, request)
}

/// An RTC (or RTC + RTM) request: the channel, a uid and/or a user, a role.
fn rtc_request(
    kind: TokenKind,
    channel: &str,
    uid: Option<u32>,
    user: Option<&str>,
    role: Role,
) -> TokenRequest {
    let mut request = TokenRequest::default()
        .with_kind(kind)
        .with_room(channel)
        .with_role(role);
    if let Some(uid) = uid {
        request = request.with_uid(uid);
    }
    if let Some(user) = user {
        request = request.with_user(user);
    }
    request
}

fn with_privileges(request: TokenRequest, p: &RtcPrivilegeArgs) -> TokenRequest {
    match privilege_expiries(p) {
        Some(e) => request.with_privilege_expiries(e),
        None => request,
    }
}

/// rtm2, fpa and apaas: the Agora provider's vendor builder.
fn vendor_only(kind: &AgoraKind, now: u64) -> anyhow::Result<Built> {
    let (name, issued) = match kind {
        AgoraKind::Rtm2 {
            creds,
            user,
            permissions,
            validity,
        } => {
            let permissions = parse_permissions(permissions)?;
            let b = builder(creds, now)?;
            (
                "rtm2",
                b.rtm_with_permissions(user, &permissions, validity.validity),
            )
        }
        AgoraKind::Fpa { creds } => ("fpa", builder(creds, now)?.fpa()),
        AgoraKind::ApaasRoomUser {
            creds,
            room,
            user,
            role,
            validity,
        } => {
            let b = builder(creds, now)?;
            (
                "apaas_room_user",
                b.apaas_room_user(room, user, *role, validity.validity),
            )
        }
        AgoraKind::ApaasUser {
            creds,
            user,
            validity,
        } => (
            "apaas_user",
            builder(creds, now)?.apaas_user(user, validity.validity),
        ),
        AgoraKind::ApaasApp { creds, validity } => (
            "apaas_app",
            builder(creds, now)?.apaas_app(validity.validity),
        ),
        // The neutral kinds never get here: `agora` sends them to the facade.
        _ => bail!("internal: {kind:?} is built through the facade"),
    };
    Ok(Built::from_agora(
        name,
        issued.map_err(rtc_tokens::Error::from)?,
    ))
}

/// The Agora provider's vendor builder, for the kinds a neutral request cannot express.
fn builder(c: &AgoraCreds, now: u64) -> anyhow::Result<TokenBuilder> {
    let provider = agora_provider(c, None)?;
    let now =
        u32::try_from(now).context("the clock is past 2106, beyond agora's u32 timestamps")?;
    Ok(provider.token_builder().with_now(now))
}

/// Parses `RESOURCE:PERMISSION:NAME[,NAME...]` options into rtm2 permissions.
/// Several options for the same resource and permission add up.
///
/// # Errors
///
/// A malformed option, naming it.
pub fn parse_permissions(options: &[String]) -> anyhow::Result<Permissions> {
    let mut merged: BTreeMap<(u16, u16), Vec<String>> = BTreeMap::new();
    for option in options {
        let mut parts = option.splitn(3, ':');
        let (Some(resource), Some(permission), Some(names)) =
            (parts.next(), parts.next(), parts.next())
        else {
            bail!("--permission {option:?}: expected RESOURCE:PERMISSION:NAME[,NAME...]");
        };
        let resource = resource_type(resource).ok_or_else(|| {
            anyhow!("--permission {option:?}: unknown resource type {resource:?}")
        })?;
        let permission = permission_type(permission).ok_or_else(|| {
            anyhow!("--permission {option:?}: unknown permission {permission:?} (read or write)")
        })?;
        let list = merged.entry((resource, permission)).or_default();
        list.extend(
            names
                .split(',')
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        );
    }
    let mut permissions = Permissions::new();
    for ((resource, permission), list) in merged {
        permissions.add(resource, permission, list);
    }
    Ok(permissions)
}

fn resource_type(s: &str) -> Option<u16> {
    let t = match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "message-channels" | "message-channel" | "messages" => ResourceType::MessageChannels,
        "stream-channels" | "stream-channel" | "streams" => ResourceType::StreamChannels,
        "group-channels" | "group-channel" | "groups" => ResourceType::GroupChannels,
        "server-groups" | "server-group" => ResourceType::ServerGroups,
        "users" | "user" => ResourceType::Users,
        other => return other.parse().ok(),
    };
    Some(t.into())
}

fn permission_type(s: &str) -> Option<u16> {
    let t = match s.trim().to_ascii_lowercase().as_str() {
        "read" | "r" => PermissionType::Read,
        "write" | "w" => PermissionType::Write,
        other => return other.parse().ok(),
    };
    Some(t.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_parse_and_merge() {
        let p = parse_permissions(&[
            "message-channels:read:a,b".to_owned(),
            "0:0:c".to_owned(),
            "users:write:".to_owned(),
            "9:65535:x".to_owned(),
        ])
        .unwrap();
        assert_eq!(p.get(0, 0).unwrap(), ["a", "b", "c"]);
        assert_eq!(p.get(4, 1).unwrap(), [] as [String; 0]);
        assert_eq!(p.get(9, 65535).unwrap(), ["x"]);
        for bad in ["read:a", "planets:read:a", "users:maybe:a"] {
            assert!(parse_permissions(&[bad.to_owned()]).is_err(), "{bad}");
        }
    }
}
