//! AccessToken2, version `007` (spec §3).
//!
//! ```text
//! token        = "007" || base64(zlib(bytes(signature) || signing_info))
//! signing_info = string(app_id) || u32 issue_ts || u32 expire || u32 salt || u16 n || service*
//! k1 = HMAC(u32le(issue_ts), certificate); k2 = HMAC(u32le(salt), k1); signature = HMAC(k2, signing_info)
//! ```
//!
//! `expire` is the lifetime in seconds from `issue_ts`; privilege values are seconds relative
//! to `issue_ts`. [`AccessToken2`] encodes exactly what it is given (a 4294967295-second token
//! builds); the capped everyday builders live in [`crate::builder`].
//!
//! Services are packed stably sorted by type (repeated types kept, in insertion order) and
//! privilege maps by numeric id, as every current reference does. The parser keeps wire
//! order, stops at an unknown service type (reported in
//! [`ParsedAccessToken2::unknown_service_type`]) and still verifies the signature over the raw
//! signed bytes.

use std::collections::BTreeMap;

use hmac::{KeyInit, Mac};

use crate::wire::{Reader, Writer};
use crate::{AppCertificate, AppId, Error, MAX_INFLATED_LEN, MAX_TOKEN_LEN};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The version prefix of a 007 token.
pub const VERSION: &str = "007";

/// 007 service types (spec §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum ServiceType {
    /// 1: real-time communication.
    Rtc = 1,
    /// 2: real-time messaging.
    Rtm = 2,
    /// 3: streaming.
    Streaming = 3,
    /// 4: flexible private access.
    Fpa = 4,
    /// 5: chat.
    Chat = 5,
    /// 6: fusion CDN.
    Fcdn = 6,
    /// 7: aPaaS (formerly "education").
    Apaas = 7,
    /// 8: RTM with permissions.
    Rtm2 = 8,
}

impl ServiceType {
    /// The service type for a wire value, if known.
    #[must_use]
    pub const fn from_u16(v: u16) -> Option<Self> {
        Some(match v {
            1 => Self::Rtc,
            2 => Self::Rtm,
            3 => Self::Streaming,
            4 => Self::Fpa,
            5 => Self::Chat,
            6 => Self::Fcdn,
            7 => Self::Apaas,
            8 => Self::Rtm2,
            _ => return None,
        })
    }

    /// The lowercase name used by the conformance vectors (`rtc`, `rtm`, ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Rtc => "rtc",
            Self::Rtm => "rtm",
            Self::Streaming => "streaming",
            Self::Fpa => "fpa",
            Self::Chat => "chat",
            Self::Fcdn => "fcdn",
            Self::Apaas => "apaas",
            Self::Rtm2 => "rtm2",
        }
    }

    /// What privilege `id` of this service allows, in plain lowercase words
    /// (`join channel`, `publish audio`, `log in to rtm`…); `None` for an id the
    /// references do not define for this service.
    ///
    /// ```
    /// use agora_dynamic_key::access_token2::ServiceType;
    ///
    /// assert_eq!(ServiceType::Rtc.privilege_name(2), Some("publish audio"));
    /// assert_eq!(ServiceType::Rtc.privilege_name(9), None);
    /// ```
    #[must_use]
    pub const fn privilege_name(self, id: u16) -> Option<&'static str> {
        Some(match (self, id) {
            (Self::Rtc, 1) => "join channel",
            (Self::Rtc, 2) => "publish audio",
            (Self::Rtc, 3) => "publish video",
            (Self::Rtc, 4) => "publish data stream",
            (Self::Rtm | Self::Rtm2, 1) => "log in to rtm",
            (Self::Streaming, 1) => "publish mix stream",
            (Self::Streaming, 2) => "publish raw stream",
            (Self::Fpa, 1) => "log in to fpa",
            (Self::Chat, 1) => "chat user",
            (Self::Chat, 2) => "chat app administrator",
            (Self::Fcdn, 1) => "publish to cdn",
            (Self::Fcdn, 2) => "play from cdn",
            (Self::Apaas, 1) => "apaas room user",
            (Self::Apaas, 2) => "apaas user",
            (Self::Apaas, 3) => "apaas app",
            _ => return None,
        })
    }
}

impl From<ServiceType> for u16 {
    fn from(t: ServiceType) -> u16 {
        t as u16
    }
}

macro_rules! privilege_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $n:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum $name { $($(#[$vm])* $v = $n),+ }
        impl From<$name> for u16 {
            fn from(p: $name) -> u16 { p as u16 }
        }
    };
}

privilege_enum!(
    /// RTC privileges.
    RtcPrivilege {
        /// 1
        JoinChannel = 1,
        /// 2
        PublishAudioStream = 2,
        /// 3
        PublishVideoStream = 3,
        /// 4
        PublishDataStream = 4,
    }
);
privilege_enum!(
    /// RTM privileges.
    RtmPrivilege {
        /// 1
        Login = 1,
    }
);
privilege_enum!(
    /// Streaming privileges.
    StreamingPrivilege {
        /// 1
        PublishMixStream = 1,
        /// 2
        PublishRawStream = 2,
    }
);
privilege_enum!(
    /// FPA privileges.
    FpaPrivilege {
        /// 1
        Login = 1,
    }
);
privilege_enum!(
    /// Chat privileges.
    ChatPrivilege {
        /// 1
        User = 1,
        /// 2
        App = 2,
    }
);
privilege_enum!(
    /// FCDN privileges.
    FcdnPrivilege {
        /// 1
        Publish = 1,
        /// 2
        Play = 2,
    }
);
privilege_enum!(
    /// aPaaS privileges.
    ApaasPrivilege {
        /// 1
        RoomUser = 1,
        /// 2
        User = 2,
        /// 3
        App = 3,
    }
);
privilege_enum!(
    /// RTM2 privileges.
    Rtm2Privilege {
        /// 1
        Login = 1,
    }
);

// Typed privilege setters and `From<ServiceX> for Service`.
macro_rules! service_impls {
    ($($svc:ident, $priv:ident, $variant:ident;)+) => {$(
        impl $svc {
            /// Sets (or replaces) a privilege, in seconds relative to `issue_ts`.
            pub fn add_privilege(&mut self, privilege: $priv, expire: u32) -> &mut Self {
                self.privileges.insert(u16::from(privilege), expire);
                self
            }

            /// Sets (or replaces) a privilege by raw id, in seconds relative to `issue_ts`.
            pub fn add_raw_privilege(&mut self, id: u16, expire: u32) -> &mut Self {
                self.privileges.insert(id, expire);
                self
            }

            /// By-value form of [`Self::add_privilege`].
            #[must_use]
            pub fn with_privilege(mut self, privilege: $priv, expire: u32) -> Self {
                self.add_privilege(privilege, expire);
                self
            }
        }

        impl From<$svc> for Service {
            fn from(s: $svc) -> Service {
                Service::$variant(s)
            }
        }
    )+};
}

/// Service 1, RTC: a channel and a uid (string; integer uid 0 is `""`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRtc {
    /// The channel name.
    pub channel_name: String,
    /// The uid or user account.
    pub uid: String,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceRtc {
    /// An RTC service for a string uid or user account.
    pub fn new(channel_name: impl Into<String>, uid: impl Into<String>) -> Self {
        Self {
            channel_name: channel_name.into(),
            uid: uid.into(),
            privileges: BTreeMap::new(),
        }
    }

    /// An RTC service for an integer uid (0 becomes `""`, the wildcard).
    pub fn with_uid(channel_name: impl Into<String>, uid: u32) -> Self {
        Self::new(channel_name, crate::access_token::uid_string(uid))
    }
}

/// Service 2, RTM: a user id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRtm {
    /// The RTM user id.
    pub user_id: String,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceRtm {
    /// An RTM service.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            privileges: BTreeMap::new(),
        }
    }
}

/// Service 3, streaming: a channel and an account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceStreaming {
    /// The channel name.
    pub channel_name: String,
    /// The account (integer uid 0 is `""`).
    pub account: String,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceStreaming {
    /// A streaming service for a string account.
    pub fn new(channel_name: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            channel_name: channel_name.into(),
            account: account.into(),
            privileges: BTreeMap::new(),
        }
    }

    /// A streaming service for an integer uid (0 becomes `""`).
    pub fn with_uid(channel_name: impl Into<String>, uid: u32) -> Self {
        Self::new(channel_name, crate::access_token::uid_string(uid))
    }
}

/// Service 4, FPA: privileges only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceFpa {
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceFpa {
    /// An FPA service.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

/// Service 5, chat: a user id (`""` for app tokens).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceChat {
    /// The chat user id.
    pub user_id: String,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceChat {
    /// A chat service.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            privileges: BTreeMap::new(),
        }
    }
}

/// Service 6, FCDN: a channel and an account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceFcdn {
    /// The channel name.
    pub channel_name: String,
    /// The account (integer uid 0 is `""`).
    pub account: String,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceFcdn {
    /// An FCDN service for a string account.
    pub fn new(channel_name: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            channel_name: channel_name.into(),
            account: account.into(),
            privileges: BTreeMap::new(),
        }
    }

    /// An FCDN service for an integer uid (0 becomes `""`).
    pub fn with_uid(channel_name: impl Into<String>, uid: u32) -> Self {
        Self::new(channel_name, crate::access_token::uid_string(uid))
    }
}

/// Service 7, aPaaS (formerly education): room, user and a signed role (default -1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceApaas {
    /// The room uuid (`""` for user and app tokens).
    pub room_uuid: String,
    /// The user uuid (`""` for app tokens).
    pub user_uuid: String,
    /// The role, packed as `i16`; -1 when not set.
    pub role: i16,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl Default for ServiceApaas {
    fn default() -> Self {
        Self {
            room_uuid: String::new(),
            user_uuid: String::new(),
            role: -1,
            privileges: BTreeMap::new(),
        }
    }
}

impl ServiceApaas {
    /// An aPaaS service with role -1.
    pub fn new(room_uuid: impl Into<String>, user_uuid: impl Into<String>) -> Self {
        Self {
            room_uuid: room_uuid.into(),
            user_uuid: user_uuid.into(),
            ..Self::default()
        }
    }

    /// Sets the role.
    #[must_use]
    pub fn with_role(mut self, role: i16) -> Self {
        self.role = role;
        self
    }
}

/// RTM2 resource types (any `u16` can be packed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum ResourceType {
    /// 0
    MessageChannels = 0,
    /// 1
    StreamChannels = 1,
    /// 2
    GroupChannels = 2,
    /// 3
    ServerGroups = 3,
    /// 4
    Users = 4,
}

impl From<ResourceType> for u16 {
    fn from(t: ResourceType) -> u16 {
        t as u16
    }
}

/// RTM2 permission types (any `u16` can be packed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum PermissionType {
    /// 0
    Read = 0,
    /// 1
    Write = 1,
}

impl From<PermissionType> for u16 {
    fn from(t: PermissionType) -> u16 {
        t as u16
    }
}

/// RTM2 permissions: resource type → permission type → resource names.
///
/// Packed in ascending resource type, then ascending permission type; each list keeps its
/// order and duplicates. A resource exists only once a permission was added to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions(BTreeMap<u16, BTreeMap<u16, Vec<String>>>);

impl Permissions {
    /// No permissions.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (replaces) the list for `(resource, permission)`.
    pub fn add(&mut self, resource: u16, permission: u16, list: Vec<String>) -> &mut Self {
        self.0.entry(resource).or_default().insert(permission, list);
        self
    }

    /// Typed form of [`Self::add`].
    pub fn add_typed(
        &mut self,
        resource: ResourceType,
        permission: PermissionType,
        list: Vec<String>,
    ) -> &mut Self {
        self.add(resource.into(), permission.into(), list)
    }

    /// The list for `(resource, permission)`.
    #[must_use]
    pub fn get(&self, resource: u16, permission: u16) -> Option<&[String]> {
        self.0.get(&resource)?.get(&permission).map(Vec::as_slice)
    }

    /// True when no resource is present.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(resource, permission, list)` in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, u16, &[String])> {
        self.0
            .iter()
            .flat_map(|(&r, m)| m.iter().map(move |(&p, l)| (r, p, l.as_slice())))
    }

    /// Resource types in ascending order with their permission maps.
    pub fn resources(&self) -> impl Iterator<Item = (u16, &BTreeMap<u16, Vec<String>>)> {
        self.0.iter().map(|(&r, m)| (r, m))
    }

    fn pack(&self, w: &mut Writer) -> Result<(), Error> {
        w.count(self.0.len(), "rtm2 resource types")?;
        for (&r, perms) in &self.0 {
            w.u16(r);
            w.count(perms.len(), "rtm2 permission types")?;
            for (&p, list) in perms {
                w.u16(p);
                w.count(list.len(), "rtm2 resource list")?;
                for s in list {
                    w.bytes(s.as_bytes(), "rtm2 resource name")?;
                }
            }
        }
        Ok(())
    }

    fn unpack(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut out = Self::new();
        for _ in 0..r.u16()? {
            let resource = r.u16()?;
            for _ in 0..r.u16()? {
                let permission = r.u16()?;
                let n = r.u16()?;
                let mut list = Vec::with_capacity(usize::from(n).min(r.rest().len() / 2));
                for _ in 0..n {
                    list.push(r.string()?);
                }
                out.add(resource, permission, list);
            }
        }
        Ok(out)
    }
}

/// Service 8, RTM2: a user id and [`Permissions`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRtm2 {
    /// The RTM user id.
    pub user_id: String,
    /// Resource permissions.
    pub permissions: Permissions,
    /// Privilege id → seconds relative to `issue_ts`.
    pub privileges: BTreeMap<u16, u32>,
}

impl ServiceRtm2 {
    /// An RTM2 service.
    pub fn new(user_id: impl Into<String>, permissions: Permissions) -> Self {
        Self {
            user_id: user_id.into(),
            permissions,
            privileges: BTreeMap::new(),
        }
    }
}

service_impls! {
    ServiceRtc, RtcPrivilege, Rtc;
    ServiceRtm, RtmPrivilege, Rtm;
    ServiceStreaming, StreamingPrivilege, Streaming;
    ServiceFpa, FpaPrivilege, Fpa;
    ServiceChat, ChatPrivilege, Chat;
    ServiceFcdn, FcdnPrivilege, Fcdn;
    ServiceApaas, ApaasPrivilege, Apaas;
    ServiceRtm2, Rtm2Privilege, Rtm2;
}

/// One service of a 007 token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// Type 1.
    Rtc(ServiceRtc),
    /// Type 2.
    Rtm(ServiceRtm),
    /// Type 3.
    Streaming(ServiceStreaming),
    /// Type 4.
    Fpa(ServiceFpa),
    /// Type 5.
    Chat(ServiceChat),
    /// Type 6.
    Fcdn(ServiceFcdn),
    /// Type 7.
    Apaas(ServiceApaas),
    /// Type 8.
    Rtm2(ServiceRtm2),
}

impl Service {
    /// The service type.
    #[must_use]
    pub const fn service_type(&self) -> ServiceType {
        match self {
            Self::Rtc(_) => ServiceType::Rtc,
            Self::Rtm(_) => ServiceType::Rtm,
            Self::Streaming(_) => ServiceType::Streaming,
            Self::Fpa(_) => ServiceType::Fpa,
            Self::Chat(_) => ServiceType::Chat,
            Self::Fcdn(_) => ServiceType::Fcdn,
            Self::Apaas(_) => ServiceType::Apaas,
            Self::Rtm2(_) => ServiceType::Rtm2,
        }
    }

    /// Privilege id → seconds relative to `issue_ts`.
    #[must_use]
    pub const fn privileges(&self) -> &BTreeMap<u16, u32> {
        match self {
            Self::Rtc(s) => &s.privileges,
            Self::Rtm(s) => &s.privileges,
            Self::Streaming(s) => &s.privileges,
            Self::Fpa(s) => &s.privileges,
            Self::Chat(s) => &s.privileges,
            Self::Fcdn(s) => &s.privileges,
            Self::Apaas(s) => &s.privileges,
            Self::Rtm2(s) => &s.privileges,
        }
    }

    /// Mutable access to the privileges.
    pub fn privileges_mut(&mut self) -> &mut BTreeMap<u16, u32> {
        match self {
            Self::Rtc(s) => &mut s.privileges,
            Self::Rtm(s) => &mut s.privileges,
            Self::Streaming(s) => &mut s.privileges,
            Self::Fpa(s) => &mut s.privileges,
            Self::Chat(s) => &mut s.privileges,
            Self::Fcdn(s) => &mut s.privileges,
            Self::Apaas(s) => &mut s.privileges,
            Self::Rtm2(s) => &mut s.privileges,
        }
    }

    fn pack(&self, w: &mut Writer) -> Result<(), Error> {
        pack_service_head(
            w,
            self.service_type(),
            self.privileges().iter().map(|(&id, &v)| (id, v)),
        )?;
        match self {
            Self::Rtc(s) => pack_rtc_fields(w, s.channel_name.as_bytes(), s.uid.as_bytes())?,
            Self::Rtm(s) => w.bytes(s.user_id.as_bytes(), "user id")?,
            Self::Streaming(s) => {
                w.bytes(s.channel_name.as_bytes(), "channel name")?;
                w.bytes(s.account.as_bytes(), "account")?;
            }
            Self::Fpa(_) => {}
            Self::Chat(s) => w.bytes(s.user_id.as_bytes(), "user id")?,
            Self::Fcdn(s) => {
                w.bytes(s.channel_name.as_bytes(), "channel name")?;
                w.bytes(s.account.as_bytes(), "account")?;
            }
            Self::Apaas(s) => {
                w.bytes(s.room_uuid.as_bytes(), "room uuid")?;
                w.bytes(s.user_uuid.as_bytes(), "user uuid")?;
                w.i16(s.role);
            }
            Self::Rtm2(s) => {
                w.bytes(s.user_id.as_bytes(), "user id")?;
                s.permissions.pack(w)?;
            }
        }
        Ok(())
    }

    fn unpack(t: ServiceType, r: &mut Reader<'_>) -> Result<Self, Error> {
        let privileges = r.privmap()?;
        Ok(match t {
            ServiceType::Rtc => Self::Rtc(ServiceRtc {
                channel_name: r.string()?,
                uid: r.string()?,
                privileges,
            }),
            ServiceType::Rtm => Self::Rtm(ServiceRtm {
                user_id: r.string()?,
                privileges,
            }),
            ServiceType::Streaming => Self::Streaming(ServiceStreaming {
                channel_name: r.string()?,
                account: r.string()?,
                privileges,
            }),
            ServiceType::Fpa => Self::Fpa(ServiceFpa { privileges }),
            ServiceType::Chat => Self::Chat(ServiceChat {
                user_id: r.string()?,
                privileges,
            }),
            ServiceType::Fcdn => Self::Fcdn(ServiceFcdn {
                channel_name: r.string()?,
                account: r.string()?,
                privileges,
            }),
            ServiceType::Apaas => Self::Apaas(ServiceApaas {
                room_uuid: r.string()?,
                user_uuid: r.string()?,
                role: r.i16()?,
                privileges,
            }),
            ServiceType::Rtm2 => Self::Rtm2(ServiceRtm2 {
                user_id: r.string()?,
                permissions: Permissions::unpack(r)?,
                privileges,
            }),
        })
    }
}

/// A 007 token under construction. Encodes exactly what it is given (no cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken2 {
    /// The app id (signed as its ASCII bytes).
    pub app_id: AppId,
    /// Issue time, unix seconds.
    pub issue_ts: u32,
    /// Lifetime in seconds from `issue_ts`.
    pub expire: u32,
    /// Services in insertion order (packed stably sorted by type).
    pub services: Vec<Service>,
    pub(crate) salt: u32,
    salt_failed: bool,
}

impl AccessToken2 {
    /// Starts a token with a fresh salt from the OS CSPRNG (uniform in `1..=99_999_999`).
    ///
    /// If the OS generator fails, [`AccessToken2::build`] reports [`Error::Random`].
    #[must_use]
    pub fn new(app_id: AppId, issue_ts: u32, expire: u32) -> Self {
        let (salt, salt_failed) = match crate::random_salt() {
            Ok(s) => (s, false),
            Err(_) => (0, true),
        };
        Self {
            salt_failed,
            ..Self::with_salt(app_id, issue_ts, expire, salt)
        }
    }

    /// Starts a token with a salt the caller drew (the builder's, from the OS CSPRNG).
    pub(crate) fn with_salt(app_id: AppId, issue_ts: u32, expire: u32, salt: u32) -> Self {
        Self {
            app_id,
            issue_ts,
            expire,
            services: Vec::new(),
            salt,
            salt_failed: false,
        }
    }

    /// Adds a service (a repeated type is kept, never merged).
    pub fn add_service(&mut self, service: impl Into<Service>) -> &mut Self {
        self.services.push(service.into());
        self
    }

    /// The salt that will be packed (0 only if the OS random generator failed).
    #[must_use]
    pub fn salt(&self) -> u32 {
        self.salt
    }

    #[cfg(feature = "hazmat")]
    pub(crate) fn set_salt(&mut self, salt: u32) {
        self.salt = salt;
        self.salt_failed = false;
    }

    /// The signed, uncompressed body: `bytes(signature) || signing_info`.
    ///
    /// # Errors
    /// [`Error::NoService`] without services; [`Error::TooLong`] for a string or list over
    /// 65535 bytes or entries; [`Error::Random`] when the salt could not be drawn.
    pub fn content(&self, cert: &AppCertificate) -> Result<Vec<u8>, Error> {
        self.content_keyed(&issue_key(cert, self.issue_ts)?)
    }

    /// [`Self::content`] from the first link of the signing chain,
    /// `k1 = HMAC(u32le(issue_ts), certificate)` ([`issue_key`]).
    pub(crate) fn content_keyed(&self, k1: &IssueKey) -> Result<Vec<u8>, Error> {
        if self.salt_failed {
            return Err(Error::Random);
        }
        if self.services.is_empty() {
            return Err(Error::NoService);
        }
        let mut w = Writer::with_capacity(256);
        pack_head(
            &mut w,
            &self.app_id,
            self.issue_ts,
            self.expire,
            self.salt,
            self.services.len(),
        )?;
        if self.services.is_sorted_by_key(Service::service_type) {
            // The common case (one service, or added in type order): no sorted copy.
            for s in &self.services {
                s.pack(&mut w)?;
            }
        } else {
            let mut sorted: Vec<&Service> = self.services.iter().collect();
            sorted.sort_by_key(|s| s.service_type()); // stable
            for s in sorted {
                s.pack(&mut w)?;
            }
        }
        let mut buf = w.buf;
        sign(&mut buf, k1, self.salt)?;
        Ok(buf)
    }

    /// Signs, compresses and encodes the token.
    ///
    /// # Errors
    /// As [`AccessToken2::content`].
    pub fn build(&self, cert: &AppCertificate) -> Result<String, Error> {
        self.build_keyed(&issue_key(cert, self.issue_ts)?)
    }

    /// [`Self::build`] from the first link of the signing chain ([`issue_key`]).
    pub(crate) fn build_keyed(&self, k1: &IssueKey) -> Result<String, Error> {
        Ok(encode(&self.content_keyed(k1)?))
    }
}

/// A token with a single RTC service, borrowed from the caller: what the RTC builders of
/// [`crate::builder::TokenBuilder`] issue. It packs exactly as an [`AccessToken2`] holding
/// the same [`ServiceRtc`] (the same packing code), without owned strings, a privilege
/// `BTreeMap` or a `Vec<Service>` (four allocations per token).
pub(crate) struct RtcToken<'a> {
    pub(crate) app_id: &'a AppId,
    pub(crate) issue_ts: u32,
    pub(crate) expire: u32,
    pub(crate) salt: u32,
    pub(crate) channel_name: &'a [u8],
    pub(crate) uid: &'a [u8],
    /// Privilege id → value, ids strictly ascending (the order a `BTreeMap` packs in).
    pub(crate) privileges: &'a [(u16, u32)],
}

impl RtcToken<'_> {
    /// Signs, compresses and encodes the token, as [`AccessToken2::build_keyed`].
    pub(crate) fn build_keyed(&self, k1: &IssueKey) -> Result<String, Error> {
        let len = BODY_HEAD_LEN
            .saturating_add(12)
            .saturating_add(self.privileges.len().saturating_mul(6))
            .saturating_add(self.channel_name.len())
            .saturating_add(self.uid.len());
        let mut w = Writer::with_capacity(len);
        pack_head(
            &mut w,
            self.app_id,
            self.issue_ts,
            self.expire,
            self.salt,
            1,
        )?;
        pack_service_head(&mut w, ServiceType::Rtc, self.privileges.iter().copied())?;
        pack_rtc_fields(&mut w, self.channel_name, self.uid)?;
        sign(&mut w.buf, k1, self.salt)?;
        Ok(encode(&w.buf))
    }
}

/// The length of `bytes(signature) || string(app_id) || u32 issue_ts || u32 expire ||
/// u32 salt || u16 n`.
const BODY_HEAD_LEN: usize = 34 + 34 + 12 + 2;

/// Room for `bytes(signature)` (filled in by [`sign`]), then signing_info up to its
/// service count.
fn pack_head(
    w: &mut Writer,
    app_id: &AppId,
    issue_ts: u32,
    expire: u32,
    salt: u32,
    services: usize,
) -> Result<(), Error> {
    w.buf.resize(34, 0);
    w.bytes(app_id.as_bytes(), "app id")?;
    w.u32(issue_ts);
    w.u32(expire);
    w.u32(salt);
    w.count(services, "services")
}

/// Every service's start: `u16 type || privileges`.
fn pack_service_head(
    w: &mut Writer,
    service: ServiceType,
    privileges: impl ExactSizeIterator<Item = (u16, u32)>,
) -> Result<(), Error> {
    w.u16(service.into());
    w.privmap(privileges)
}

/// The RTC service's fields after its head: `string(channel_name) || string(uid)`.
fn pack_rtc_fields(w: &mut Writer, channel_name: &[u8], uid: &[u8]) -> Result<(), Error> {
    w.bytes(channel_name, "channel name")?;
    w.bytes(uid, "uid")
}

/// Writes `bytes(signature)` over the 34 bytes [`pack_head`] reserved, signing the rest.
fn sign(body: &mut [u8], k1: &IssueKey, salt: u32) -> Result<(), Error> {
    // `pack_head` reserved the 34 bytes: the error is unreachable and only avoids a panic.
    let (head, signing_info) = body.split_at_mut_checked(34).ok_or(Error::NoService)?;
    let sig = signer_keyed(k1, salt)?
        .chain_update(&*signing_info)
        .finalize()
        .into_bytes();
    let (len, mac) = head.split_at_mut(2);
    len.copy_from_slice(&[32u8, 0]);
    mac.copy_from_slice(sig.as_slice());
    Ok(())
}

/// `"007" || base64(zlib(body))`.
fn encode(body: &[u8]) -> String {
    let z = small_zlib::compress(body);
    let mut token = Vec::with_capacity(z.len().div_ceil(3).saturating_mul(4).saturating_add(3));
    token.extend_from_slice(VERSION.as_bytes());
    crate::b64::encode_into(&z, &mut token);
    // ASCII by construction; the lossy branch is unreachable and only avoids a panic.
    String::from_utf8(token).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `k1 = HMAC(u32le(issue_ts), certificate)`, the first link of the signing chain. It is
/// derived from the certificate alone and the issue second, so a builder issuing many
/// tokens in the same second computes it once (see `TokenBuilder`); zeroized on drop.
pub(crate) type IssueKey = zeroize::Zeroizing<[u8; 32]>;

/// Computes [`IssueKey`].
pub(crate) fn issue_key(cert: &AppCertificate, issue_ts: u32) -> Result<IssueKey, Error> {
    let bad = |_| Error::InvalidAppCertificate; // HMAC takes keys of any length: unreachable
    let k1 = HmacSha256::new_from_slice(&issue_ts.to_le_bytes())
        .map_err(bad)?
        .chain_update(cert.expose())
        .finalize()
        .into_bytes();
    Ok(zeroize::Zeroizing::new(k1.into()))
}

/// The HMAC keyed with k2 = HMAC(u32le(salt), k1).
fn signer_keyed(k1: &IssueKey, salt: u32) -> Result<HmacSha256, Error> {
    let bad = |_| Error::InvalidAppCertificate; // HMAC takes keys of any length: unreachable
    let k2: zeroize::Zeroizing<[u8; 32]> = zeroize::Zeroizing::new(
        HmacSha256::new_from_slice(&salt.to_le_bytes())
            .map_err(bad)?
            .chain_update(k1.as_slice())
            .finalize()
            .into_bytes()
            .into(),
    );
    HmacSha256::new_from_slice(k2.as_slice()).map_err(bad)
}

/// The HMAC keyed with k2 = HMAC(u32le(salt), HMAC(u32le(issue_ts), certificate)).
fn signer(cert: &AppCertificate, issue_ts: u32, salt: u32) -> Result<HmacSha256, Error> {
    signer_keyed(&issue_key(cert, issue_ts)?, salt)
}

/// Decoded zlib streams up to this many bytes (tokens up to 1024 characters) stay on the
/// stack while parsing.
const STACK_ZLIB_LEN: usize = 768;

/// A decoded 007 token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAccessToken2 {
    /// The app id as found (verification requires 32 hex characters).
    pub app_id: String,
    /// Issue time, unix seconds.
    pub issue_ts: u32,
    /// Lifetime in seconds from `issue_ts`.
    pub expire: u32,
    /// The salt.
    pub salt: u32,
    /// Services in wire order (not required to be sorted).
    pub services: Vec<Service>,
    /// Set when parsing stopped at a service type this crate does not know; the services
    /// before it are kept and the signature still covers everything.
    pub unknown_service_type: Option<u16>,
    /// `bytes(signature) || signing_info`: the signature is `body[2..signing_start]`.
    body: Vec<u8>,
    signing_start: usize,
}

impl ParsedAccessToken2 {
    /// Decodes a 007 token: strict standard base64, any valid zlib stream (bounded to
    /// [`MAX_INFLATED_LEN`], Adler-32 checked, nothing after the stream).
    ///
    /// # Errors
    /// [`Error::Version`] for another prefix; [`Error::Malformed`] for anything that does not
    /// decode.
    pub fn parse(token: &str) -> Result<Self, Error> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Malformed("token too long"));
        }
        if token.len() < VERSION.len() {
            return Err(Error::Malformed("token too short"));
        }
        let Some(b64) = token.strip_prefix(VERSION) else {
            return Err(Error::Version { expected: VERSION });
        };
        // The zlib stream goes into a stack buffer when it fits (typical tokens do).
        let b64 = b64.as_bytes();
        let mut stack = [0u8; STACK_ZLIB_LEN];
        let mut heap = Vec::new();
        let need = crate::b64::decoded_len(b64.len());
        let buf: &mut [u8] = if need <= STACK_ZLIB_LEN {
            &mut stack
        } else {
            heap.resize(need, 0);
            &mut heap
        };
        let n = crate::b64::decode(b64, buf).ok_or(Error::Malformed("invalid base64"))?;
        let z = buf.get(..n).unwrap_or(&[]);
        let body = small_zlib::decompress(z, MAX_INFLATED_LEN).map_err(|e| match e {
            small_zlib::Error::OutputTooLarge { .. } => Error::Malformed("inflated body too large"),
            small_zlib::Error::Malformed(why) => Error::Malformed(why),
            _ => Error::Malformed("invalid zlib stream"),
        })?;
        let mut r = Reader::new(&body);
        r.bytes()?; // the signature, kept in `body`
        let signing_start = body.len().wrapping_sub(r.rest().len());
        let app_id = r.string()?;
        let issue_ts = r.u32()?;
        let expire = r.u32()?;
        let salt = r.u32()?;
        let count = r.u16()?;
        let mut services = Vec::with_capacity(usize::from(count).min(16));
        let mut unknown_service_type = None;
        for _ in 0..count {
            let t = r.u16()?;
            let Some(st) = ServiceType::from_u16(t) else {
                unknown_service_type = Some(t);
                break;
            };
            services.push(Service::unpack(st, &mut r)?);
        }
        Ok(Self {
            app_id,
            issue_ts,
            expire,
            salt,
            services,
            unknown_service_type,
            body,
            signing_start,
        })
    }

    /// Checks the signature over the raw signed bytes, in constant time. Like go, nodejs and
    /// rust (not python), the parsed app id must be 32 hex characters.
    ///
    /// # Errors
    /// [`Error::Signature`].
    pub fn verify(&self, cert: &AppCertificate) -> Result<(), Error> {
        let signature = self.body.get(2..self.signing_start).unwrap_or(&[]);
        let signing_info = self.body.get(self.signing_start..).unwrap_or(&[]);
        let mac_ok = signer(cert, self.issue_ts, self.salt)?
            .chain_update(signing_info)
            .verify_slice(signature)
            .is_ok();
        if mac_ok && crate::is_hex32(self.app_id.as_bytes()) {
            Ok(())
        } else {
            Err(Error::Signature)
        }
    }

    /// The inflated body (`bytes(signature) || signing_info`).
    #[must_use]
    pub fn content(&self) -> &[u8] {
        &self.body
    }

    /// Issue time as an absolute unix time.
    #[must_use]
    pub fn issued_at(&self) -> u64 {
        u64::from(self.issue_ts)
    }

    /// Expiry as written in the token: `issue_ts + expire`.
    #[must_use]
    pub fn expires_at(&self) -> u64 {
        u64::from(self.issue_ts).saturating_add(u64::from(self.expire))
    }

    /// Expiry as Agora's servers apply it: an `expire` of 0 or above
    /// [`MAX_VALIDITY_SECS`](crate::MAX_VALIDITY_SECS) counts as 24 hours
    /// ([`crate::capped_validity`]).
    #[must_use]
    pub fn effective_expires_at(&self) -> u64 {
        u64::from(self.issue_ts).saturating_add(u64::from(crate::capped_validity(self.expire)))
    }

    /// Absolute expiry of a privilege (`issue_ts + value`) in the first service of
    /// `service_type` that carries it.
    #[must_use]
    pub fn privilege_expires_at(&self, service_type: ServiceType, privilege: u16) -> Option<u64> {
        self.services
            .iter()
            .filter(|s| s.service_type() == service_type)
            .find_map(|s| s.privileges().get(&privilege))
            .map(|&v| u64::from(self.issue_ts).saturating_add(u64::from(v)))
    }

    /// Fails when the token has expired at `now` (unix seconds), using
    /// [`Self::effective_expires_at`] (`now >= expiry` is expired).
    ///
    /// # Errors
    /// [`Error::Expired`].
    pub fn check_expiry(&self, now: u64) -> Result<(), Error> {
        let expired_at = self.effective_expires_at();
        if now >= expired_at {
            Err(Error::Expired { expired_at, now })
        } else {
            Ok(())
        }
    }
}
