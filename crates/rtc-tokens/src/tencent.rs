//! The Tencent Cloud TRTC provider: UserSig and PrivateMapKey (TLS sig v2).

use tencent_usersig::{
    ParsedUserSig, PrivateMapKeySpec, Privileges, Room, SdkAppId, SecretKey, UserId, UserSigBuilder,
};

use crate::privilege::Held;
use crate::provider::{
    self, Renewal, no_stream_ids, rtc_user_id, signature_checked, verify_parsed,
};
use crate::{
    Error, ErrorKind, IssuedToken, ParseOptions, ParsedToken, Privilege, PrivilegeView, Role,
    TokenProvider, TokenRequest, TokenVersion, Vendor, VendorDetail, Verification,
};

/// Clearly fake demo SDKAppID, for examples and `rtc-tokens demo` only.
pub const DEMO_TENCENT_SDK_APP_ID: u32 = 1_400_000_000;
/// Clearly fake demo secret key, for examples and `rtc-tokens demo` only.
pub const DEMO_TENCENT_SECRET_KEY: &str =
    "demo0000demo0000demo0000demo0000demo0000demo0000demo0000demo0000";

/// The service name a Tencent token's privileges are listed under.
const SERVICE: &str = "trtc";

/// Issues and checks Tencent Cloud TRTC UserSigs and PrivateMapKeys.
///
/// Request mapping: `user_id` is the UserSig's identifier (required; 1–32
/// bytes of ASCII letters, digits, `_` and `-`). Without a room, a publisher
/// gets a plain UserSig (enters any room unless the app turns on room
/// permission control). With a `room`, the token is a PrivateMapKey: a
/// UserSig whose userbuf grants privileges in that room. A room written as a
/// decimal number from 1 to 4294967294 without leading zeros is TRTC's
/// numeric `roomId`, any other its `strRoomId` (1–64 bytes of letters, digits,
/// space and ``!#$%&()+-:;<=.>?@[]^_{}|~,``). A publisher gets every
/// privilege, a subscriber entering the room and receiving audio, video and
/// the sub-stream; [`TokenRequest::privileges`] grants exactly the listed ones
/// instead. Validity is not capped. Numeric uids, other kinds than `rtc`,
/// stream ids and per-privilege expiries are refused with `invalid_input`.
#[derive(Clone, Debug)]
pub struct TencentProvider {
    builder: UserSigBuilder,
    key: SecretKey,
    renewal: Renewal,
}

impl TencentProvider {
    /// A provider for the application `sdk_app_id` with its secret key.
    #[must_use]
    pub fn new(sdk_app_id: SdkAppId, key: SecretKey) -> Self {
        Self {
            builder: UserSigBuilder::new(sdk_app_id, key.clone()),
            key,
            renewal: Renewal::default(),
        }
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[must_use]
    pub fn demo() -> Self {
        provider::demo(|| {
            let app = SdkAppId::new(DEMO_TENCENT_SDK_APP_ID)?;
            Ok(Self::new(app, SecretKey::new(DEMO_TENCENT_SECRET_KEY)?))
        })
    }

    /// Sets how long before expiry clients are told to renew.
    #[must_use]
    pub fn with_renew_before(mut self, secs: u32) -> Self {
        self.renewal = Renewal::before(secs);
        self
    }

    /// The neutral privileges a TRTC privilege map grants (bit 1 create room,
    /// 2 enter room, 4 send audio, …), for a front end that receives the map
    /// itself (a sample server's `privMap`) and issues through
    /// [`TokenRequest::privileges`].
    ///
    /// ```
    /// use rtc_tokens::{Privilege, TencentProvider};
    ///
    /// let p = TencentProvider::privileges_of_map(2 | 8).unwrap();
    /// assert_eq!(p, [Privilege::JoinChannel, Privilege::SubscribeAudio]);
    /// assert!(TencentProvider::privileges_of_map(256).is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid_input` for a map with bits Tencent does not define, or none.
    pub fn privileges_of_map(map: u32) -> Result<Vec<Privilege>, Error> {
        let bits = Privileges::from_bits(map);
        if bits.unknown_bits() != 0 || map == 0 {
            return Err(tencent_err(
                "privilege map: expected 1 to 255, the bits tencent defines",
            ));
        }
        Ok(NEUTRAL
            .into_iter()
            .filter(|&p| bit(p).is_some_and(|b| bits.contains(b)))
            .collect())
    }

    /// The vendor crate's builder on this provider's credentials, for what a
    /// vendor-neutral [`TokenRequest`] cannot express (a PrivateMapKey whose
    /// account is not the identifier, privilege bits Tencent has not defined).
    #[must_use]
    pub fn usersig_builder(&self) -> UserSigBuilder {
        self.builder.clone()
    }
}

fn tencent_err(message: &str) -> Error {
    Error::invalid_input(Some(Vendor::Tencent), message)
}

/// The neutral room as a TRTC room: a canonical decimal in range is numeric.
pub(crate) fn room(room: &str) -> Room {
    match room.parse::<u32>() {
        Ok(n)
            if (1..=tencent_usersig::limits::MAX_NUMERIC_ROOM).contains(&n)
                && n.to_string() == room =>
        {
            Room::Numeric(n)
        }
        _ => Room::Str(room.to_owned()),
    }
}

/// The TRTC privilege a neutral one is, if TRTC has it.
const fn bit(privilege: Privilege) -> Option<tencent_usersig::Privilege> {
    use tencent_usersig::Privilege as T;
    match privilege {
        Privilege::JoinChannel => Some(T::EnterRoom),
        Privilege::CreateRoom => Some(T::CreateRoom),
        Privilege::PublishAudio => Some(T::SendAudio),
        Privilege::SubscribeAudio => Some(T::ReceiveAudio),
        Privilege::PublishVideo => Some(T::SendVideo),
        Privilege::SubscribeVideo => Some(T::ReceiveVideo),
        Privilege::PublishScreen => Some(T::SendSubVideo),
        Privilege::SubscribeScreen => Some(T::ReceiveSubVideo),
        Privilege::PublishData | Privilege::RtmLogin | Privilege::ChatUser | Privilege::ChatApp => {
            None
        }
    }
}

/// The neutral privileges TRTC has, in the order of its bits.
const NEUTRAL: [Privilege; 8] = [
    Privilege::CreateRoom,
    Privilege::JoinChannel,
    Privilege::PublishAudio,
    Privilege::SubscribeAudio,
    Privilege::PublishVideo,
    Privilege::SubscribeVideo,
    Privilege::PublishScreen,
    Privilege::SubscribeScreen,
];

/// What a subscriber may do: enter, and receive everything.
fn subscriber() -> Privileges {
    use tencent_usersig::Privilege as T;
    Privileges::NONE | T::EnterRoom | T::ReceiveAudio | T::ReceiveVideo | T::ReceiveSubVideo
}

/// The privilege bits a request grants in its room.
fn privileges(request: &TokenRequest) -> Result<Privileges, Error> {
    use tencent_usersig::Privilege as T;
    let Some(list) = &request.privileges else {
        return Ok(match request.role {
            Role::Publisher => Privileges::ALL,
            Role::Subscriber => subscriber(),
        });
    };
    if list.is_empty() {
        return Err(tencent_err(
            "privileges: an empty list grants nothing: list at least one",
        ));
    }
    let mut bits = Privileges::NONE;
    for &p in list {
        let b = bit(p).ok_or_else(|| {
            tencent_err(&format!(
                "privileges: trtc has no room privilege {:?}",
                p.name()
            ))
        })?;
        let sends = matches!(b, T::SendAudio | T::SendVideo | T::SendSubVideo);
        if sends && request.role == Role::Subscriber {
            return Err(tencent_err(&format!(
                "privileges: a subscriber cannot be given {}",
                p.name()
            )));
        }
        bits = bits.with(b);
    }
    Ok(bits)
}

impl TokenProvider for TencentProvider {
    fn vendor(&self) -> Vendor {
        Vendor::Tencent
    }

    fn app_id(&self) -> String {
        self.builder.sdkappid().to_string()
    }

    fn issue_at(&self, request: &TokenRequest, now: u64) -> Result<IssuedToken, Error> {
        let user = rtc_user_id(request, Vendor::Tencent)?;
        no_stream_ids(request, Vendor::Tencent)?;
        let user = UserId::new(user).map_err(|e| Error::from(e).in_field("user_id"))?;
        let room_name = request.room.as_deref().filter(|r| !r.is_empty());
        let issued = match room_name {
            Some(name) => {
                let room = room(name);
                tencent_usersig::limits::check_room(&room)
                    .map_err(|e| Error::from(e).in_field("room"))?;
                let spec =
                    PrivateMapKeySpec::new(user, room, privileges(request)?, request.validity_secs);
                self.builder.private_map_key_at(now, &spec)?
            }
            None if request.privileges.is_some() => {
                return Err(tencent_err(
                    "privileges are granted in a room (a privatemapkey): set room",
                ));
            }
            None if request.role == Role::Subscriber => {
                return Err(tencent_err(
                    "tencent can restrict a subscriber only within a room: set room",
                ));
            }
            None => self
                .builder
                .user_sig_at(now, &user, request.validity_secs)?,
        };
        Ok(self.renewal.issued(
            TokenVersion::TencentUserSig,
            issued.token,
            issued.issued_at,
            issued.expires_at,
        ))
    }

    fn inspect(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        check_version(token, options)?;
        let parsed = ParsedUserSig::parse(token)?;
        let verification =
            signature_checked(parsed.verify_signature(&self.key).map_err(Error::from))?;
        Ok(view(parsed, verification))
    }

    /// As the trait's, and the token must be for this provider's SDKAppID
    /// unless `options` expects another (`mismatch`).
    fn verify(&self, token: &str, options: &ParseOptions) -> Result<ParsedToken, Error> {
        let mut options = options.clone();
        options.app_id.get_or_insert_with(|| self.app_id());
        verify_parsed(self.inspect(token, &options)?, &options)
    }
}

/// Refuses another vendor's token (`version`) and surrounding whitespace
/// (`malformed`); anything else goes to the parser, which says why it is no
/// UserSig (`malformed`).
fn check_version(token: &str, options: &ParseOptions) -> Result<(), Error> {
    match options.check_version(token) {
        Ok(TokenVersion::TencentUserSig) => Ok(()),
        Err(e) if e.kind() == ErrorKind::Malformed => Err(e),
        Ok(other) => Err(Error::new(
            ErrorKind::Version,
            Some(Vendor::Tencent),
            format!("not a tencent usersig: a {} token", other.vendor()),
        )),
        // No known prefix and not a UserSig's shape: the parser says what is wrong.
        Err(_)
            if options
                .version
                .is_none_or(|v| v == TokenVersion::TencentUserSig) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The neutral view of a decoded UserSig (shared with
/// [`crate::dangerous::insecure_decode`]).
pub(crate) fn view(parsed: ParsedUserSig, verification: Verification) -> ParsedToken {
    let expires_at = parsed.expires_at();
    let privileges = match &parsed.private_map_key {
        None => vec![PrivilegeView {
            service: SERVICE.to_owned(),
            name: "identity: any room (unless room permission control is on)".to_owned(),
            expires_at: Some(expires_at),
        }],
        Some(k) => {
            let at = Some(u64::from(k.expire_at));
            let known = k.privileges.iter().map(|p| p.name().replace('_', " "));
            let unknown = (k.privileges.unknown_bits() != 0)
                .then(|| format!("privilege bits {:#x}", k.privileges.unknown_bits()));
            known
                .chain(unknown)
                .map(|name| PrivilegeView {
                    service: SERVICE.to_owned(),
                    name,
                    expires_at: at,
                })
                .collect()
        }
    };
    ParsedToken {
        vendor: Vendor::Tencent,
        version: TokenVersion::TencentUserSig,
        app_id: Some(parsed.sdkappid.to_string()),
        user: Some(parsed.identifier.clone()),
        room: parsed.private_map_key.as_ref().map(|k| k.room.to_string()),
        issued_at: Some(parsed.time),
        expires_at,
        privileges,
        verification,
        detail: VendorDetail::Tencent(Box::new(parsed)),
    }
}

/// Whether a UserSig holds `privilege`: a plain one every room privilege for
/// as long as it lasts, a PrivateMapKey its bits until its userbuf's expiry.
pub(crate) fn held(t: &ParsedUserSig, privilege: Privilege) -> Held {
    let Some(b) = bit(privilege) else {
        return Held::No;
    };
    match &t.private_map_key {
        None => Held::WithToken,
        Some(k) if k.privileges.contains(b) => Held::Until(u64::from(k.expire_at)),
        Some(_) => Held::No,
    }
}

/// What a UserSig needs to be usable: a PrivateMapKey, entering its room.
pub(crate) fn usable(t: &ParsedUserSig) -> Vec<Privilege> {
    if t.private_map_key.is_some() {
        vec![Privilege::JoinChannel]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TokenKind;

    #[test]
    fn demo_credentials_are_valid() {
        assert!(SdkAppId::new(DEMO_TENCENT_SDK_APP_ID).is_ok());
        assert!(SecretKey::new(DEMO_TENCENT_SECRET_KEY).is_ok());
        let p = TencentProvider::demo();
        assert!(p.issue(&TokenRequest::rtc("alice", "lobby")).is_ok());
    }

    #[test]
    fn rooms_are_numeric_only_when_canonical() {
        assert_eq!(room("1234"), Room::Numeric(1234));
        for s in ["0", "01234", "4294967295", "+1", "lobby", "12 34"] {
            assert_eq!(room(s), Room::Str(s.to_owned()), "{s}");
        }
    }

    #[test]
    fn refuses_what_tencent_cannot_express() {
        let p = TencentProvider::demo();
        let base = TokenRequest::rtc("alice", "lobby");
        for bad in [
            base.clone().with_kind(TokenKind::Rtm),
            base.clone().with_uid(7),
            base.clone().with_stream_ids(["s1"]),
            base.clone().with_privilege_expiries(Default::default()),
            base.clone().with_privileges([]),
            base.clone().with_privileges([Privilege::RtmLogin]),
            base.clone()
                .with_role(Role::Subscriber)
                .with_privileges([Privilege::PublishAudio]),
            TokenRequest::rtc("alice", "a/b"),
            TokenRequest::rtc("al ice", "lobby"),
            TokenRequest {
                room: None,
                role: Role::Subscriber,
                ..base.clone()
            },
            TokenRequest {
                room: None,
                ..base.clone().with_privileges([Privilege::JoinChannel])
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

    #[test]
    fn a_token_for_another_sdkappid_is_a_mismatch() {
        let other = TencentProvider::new(
            SdkAppId::new(1_400_000_001).unwrap(),
            SecretKey::new(DEMO_TENCENT_SECRET_KEY).unwrap(),
        );
        let token = other
            .issue(&TokenRequest::rtc("alice", "lobby"))
            .unwrap()
            .token;
        let p = TencentProvider::demo();
        let err = p.verify(&token, &ParseOptions::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Mismatch);
        let ok = ParseOptions::default().expect_app_id("1400000001");
        assert!(p.verify(&token, &ok).is_ok());
    }
}
