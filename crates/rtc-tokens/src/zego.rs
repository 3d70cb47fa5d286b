//! The ZEGOCLOUD token04 provider.

use zego_token04::limits::Id;
use zego_token04::{AppId, Claims, Header, Mode, PrivilegePayload, ServerSecret, UserId};

use crate::privilege::Held;
use crate::provider::{self, Renewal, rtc_user_id};
use crate::{
    Error, IssuedToken, ParseOptions, ParsedToken, Privilege, PrivilegeView, Role, TokenProvider,
    TokenRequest, TokenVersion, Vendor, VendorDetail, Verification,
};

/// Clearly fake demo app id, for examples and `rtc-tokens demo` only.
pub const DEMO_ZEGO_APP_ID: u32 = 1_234_567_890;
/// Clearly fake demo ServerSecret, for examples and `rtc-tokens demo` only.
pub const DEMO_ZEGO_SERVER_SECRET: &str = "demo0000demo0000demo0000demo0000";

/// Issues and checks ZEGOCLOUD token04 tokens.
///
/// Request mapping: `user_id` is the token's user id; with a `room`, a
/// publisher gets a privilege payload allowing login and publishing (only
/// `stream_ids` when given), a subscriber one allowing login only; without a
/// room, a publisher gets a plain identity token (or, with `stream_ids`, a
/// payload allowing publishing only those streams). Anything else is refused,
/// as are user, room and stream ids outside the limits ZEGO documents for its
/// SDK ([`zego_token04::limits`]).
#[derive(Clone, Debug)]
pub struct ZegoProvider {
    app_id: AppId,
    secret: ServerSecret,
    mode: Mode,
    renewal: Renewal,
}

impl ZegoProvider {
    /// A provider for `app_id` with its ServerSecret, issuing GCM tokens.
    #[must_use]
    pub fn new(app_id: AppId, secret: ServerSecret) -> Self {
        Self {
            app_id,
            secret,
            mode: Mode::Gcm,
            renewal: Renewal::default(),
        }
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[must_use]
    pub fn demo() -> Self {
        provider::demo(|| {
            let app_id = AppId::new(DEMO_ZEGO_APP_ID)?;
            let secret = ServerSecret::new(DEMO_ZEGO_SERVER_SECRET)?;
            Ok(Self::new(app_id, secret))
        })
    }

    /// Issues tokens in `mode` (GCM by default; CBC is legacy).
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets how long before expiry clients are told to renew.
    #[must_use]
    pub fn with_renew_before(mut self, secs: u32) -> Self {
        self.renewal = Renewal::before(secs);
        self
    }

    /// The mode new tokens use.
    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn payload_for(request: &TokenRequest) -> Result<Option<PrivilegePayload>, Error> {
        let room = request.room.as_deref().filter(|r| !r.is_empty());
        if let Some(room) = room {
            checked(Id::Room, "room", room)?;
        }
        for stream in &request.stream_ids {
            checked(Id::Stream, "stream_ids", stream)?;
        }
        let streams = request.stream_ids.clone();
        match (room, request.role) {
            (Some(room), Role::Publisher) => Ok(Some(PrivilegePayload::login_and_publish(
                room.to_owned(),
                streams,
            ))),
            (Some(room), Role::Subscriber) => {
                if streams.is_empty() {
                    Ok(Some(PrivilegePayload::login_only(room.to_owned())))
                } else {
                    Err(zego_err(
                        "a subscriber cannot be given stream_ids to publish",
                    ))
                }
            }
            (None, Role::Publisher) if streams.is_empty() => Ok(None),
            (None, Role::Publisher) => Ok(Some(PrivilegePayload::publish_only(streams))),
            (None, Role::Subscriber) => Err(zego_err(
                "zego can restrict a subscriber only within a room: set room",
            )),
        }
    }
}

fn zego_err(message: &str) -> Error {
    Error::invalid_input(Some(Vendor::Zego), message)
}

/// Checks `value` of the request's `field` against ZEGO's limit for `id`.
fn checked(id: Id, field: &str, value: &str) -> Result<(), Error> {
    id.check(value).map_err(|e| Error::from(e).in_field(field))
}

impl TokenProvider for ZegoProvider {
    fn vendor(&self) -> Vendor {
        Vendor::Zego
    }

    fn app_id(&self) -> String {
        self.app_id.get().to_string()
    }

    fn issue_at(&self, request: &TokenRequest, now: u64) -> Result<IssuedToken, Error> {
        let user_id = rtc_user_id(request, Vendor::Zego)?;
        request.no_privilege_list(Vendor::Zego)?;
        let user_id = UserId::new(user_id)?;
        checked(Id::User, "user_id", user_id.as_str())?;
        let now = i64::try_from(now).map_err(|_| zego_err("the clock is out of range"))?;
        let mut zreq = zego_token04::TokenRequest::new(self.app_id, user_id)
            .effective_secs(i64::from(request.validity_secs))
            .mode(self.mode);
        if let Some(payload) = Self::payload_for(request)? {
            zreq = zreq.privilege(&payload);
        }
        let issued = zego_token04::build_at(&self.secret, &zreq, now)?;
        let issued_at = u64::try_from(issued.ctime).unwrap_or(0);
        let expires_at = u64::try_from(issued.expire).unwrap_or(0);
        Ok(self
            .renewal
            .issued(TokenVersion::Zego04, issued.token, issued_at, expires_at))
    }

    fn inspect(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        // Also refuses surrounding whitespace, as ZEGO's servers do.
        options.check_version(token)?;
        let claims = zego_token04::parse(token, &self.secret)?;
        Ok(view(claims))
    }
}

/// The neutral view of a decrypted token.
fn view(claims: Claims) -> ParsedToken {
    let verification = match claims.mode {
        Mode::Gcm => Verification::Verified,
        Mode::Cbc => Verification::DecryptedUnauthenticated,
    };
    let expires_at = u64::try_from(claims.expire).unwrap_or(0);
    let privilege = claims.privilege();
    let room = privilege
        .as_ref()
        .map(|p| p.room_id.clone())
        .filter(|r| !r.is_empty());
    let privileges = privilege_views(&claims.payload, privilege.as_ref(), expires_at);
    ParsedToken {
        vendor: Vendor::Zego,
        version: TokenVersion::Zego04,
        app_id: Some(claims.app_id.to_string()),
        user: Some(claims.user_id.clone()),
        room,
        issued_at: u64::try_from(claims.ctime).ok(),
        expires_at,
        privileges,
        verification,
        detail: VendorDetail::Zego04(claims),
    }
}

/// The neutral view of a token read without its secret: only the clear-text
/// header is known, and nothing is checked.
pub(crate) fn view_sealed(header: Header) -> ParsedToken {
    ParsedToken {
        vendor: Vendor::Zego,
        version: TokenVersion::Zego04,
        app_id: None,
        user: None,
        room: None,
        issued_at: None,
        expires_at: u64::try_from(header.expire).unwrap_or(0),
        privileges: Vec::new(),
        verification: Verification::NotChecked,
        detail: VendorDetail::Zego04Sealed(header),
    }
}

/// Whether a decrypted token holds `privilege` (its privileges last as the
/// token): an identity token (no payload) may log in and publish; a privilege
/// payload grants what it says; a custom payload is not read.
pub(crate) fn held(claims: &Claims, privilege: Privilege) -> Held {
    let (login, publish) = match claims.privilege() {
        Some(p) => (p.login, p.publish),
        None if claims.payload.is_empty() => (true, true),
        None => (false, false),
    };
    // Creating the room and subscribing come with logging in.
    let holds = match privilege {
        Privilege::JoinChannel
        | Privilege::CreateRoom
        | Privilege::SubscribeAudio
        | Privilege::SubscribeVideo
        | Privilege::SubscribeScreen => login,
        Privilege::PublishAudio | Privilege::PublishVideo | Privilege::PublishScreen => publish,
        _ => false,
    };
    if holds { Held::WithToken } else { Held::No }
}

fn privilege_views(
    payload: &str,
    privilege: Option<&PrivilegePayload>,
    expires_at: u64,
) -> Vec<PrivilegeView> {
    let view = |name: String| PrivilegeView {
        service: "rtc".to_owned(),
        name,
        expires_at: Some(expires_at),
    };
    match privilege {
        None if payload.is_empty() => {
            vec![view(
                "identity: any room, any stream (unless privilege checks are on)".into(),
            )]
        }
        None => vec![view("custom payload".into())],
        Some(p) => {
            let mut out = Vec::new();
            if p.login {
                out.push(view(if p.room_id.is_empty() {
                    "log in to a room".to_owned()
                } else {
                    format!("log in to room {}", p.room_id)
                }));
            }
            if p.publish {
                out.push(view(if p.stream_ids.is_empty() {
                    "publish streams".to_owned()
                } else {
                    format!("publish streams {}", p.stream_ids.join(", "))
                }));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::TokenKind;

    #[test]
    fn demo_credentials_are_valid() {
        assert!(AppId::new(DEMO_ZEGO_APP_ID).is_ok());
        assert!(ServerSecret::new(DEMO_ZEGO_SERVER_SECRET).is_ok());
    }

    #[test]
    fn refuses_what_zego_cannot_express() {
        let p = ZegoProvider::demo();
        let base = TokenRequest::rtc("alice", "lobby");
        for bad in [
            base.clone().with_kind(TokenKind::Rtm),
            base.clone().with_kind(TokenKind::Chat),
            base.clone().with_uid(7),
            base.clone().with_privilege_expiries(Default::default()),
            base.clone()
                .with_role(Role::Subscriber)
                .with_stream_ids(["s1"]),
            TokenRequest {
                room: None,
                role: Role::Subscriber,
                ..base.clone()
            },
            TokenRequest {
                user_id: None,
                ..base.clone()
            },
        ] {
            let err = p.issue_at(&bad, 1_700_000_000).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        }
    }
}
