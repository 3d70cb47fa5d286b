//! AccessToken version `006` (spec §2): the legacy token.
//!
//! ```text
//! token   = "006" || app_id || base64(bytes(signature) || u32 crc32(channel) || u32 crc32(uid) || bytes(m))
//! m       = u32 salt || u32 ts || privmap(privileges)
//! signature = HMAC-SHA256(app_certificate, app_id || channel_name || uid || m)
//! ```
//!
//! `ts` is the token's own absolute expiry and privilege values are absolute unix
//! timestamps. [`AccessToken`] encodes exactly what it is given; the capped everyday
//! builders live in [`crate::builder`].

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};

use crate::access_token2::ServiceType;
use crate::wire::{Reader, Writer};
use crate::{AppCertificate, AppId, Error, MAX_TOKEN_LEN};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The version prefix of a 006 token.
pub const VERSION: &str = "006";

/// 006 privilege ids (spec §2.3). The format accepts any `u16`; see
/// [`AccessToken::add_raw_privilege`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum Privilege {
    /// Join a channel (1).
    JoinChannel = 1,
    /// Publish audio (2).
    PublishAudioStream = 2,
    /// Publish video (3).
    PublishVideoStream = 3,
    /// Publish data streams (4).
    PublishDataStream = 4,
    /// Administrate the channel (101; only the C++ reference still lists it).
    AdministrateChannel = 101,
    /// Log in to RTM (1000).
    RtmLogin = 1000,
}

impl From<Privilege> for u16 {
    fn from(p: Privilege) -> u16 {
        p as u16
    }
}

impl Privilege {
    /// The privilege for a wire id, if the references define it.
    #[must_use]
    pub const fn from_u16(id: u16) -> Option<Self> {
        Some(match id {
            1 => Self::JoinChannel,
            2 => Self::PublishAudioStream,
            3 => Self::PublishVideoStream,
            4 => Self::PublishDataStream,
            101 => Self::AdministrateChannel,
            1000 => Self::RtmLogin,
            _ => return None,
        })
    }

    /// What it allows, in plain lowercase words (`join channel`, `log in to rtm`…).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::JoinChannel => "join channel",
            Self::PublishAudioStream => "publish audio",
            Self::PublishVideoStream => "publish video",
            Self::PublishDataStream => "publish data stream",
            Self::AdministrateChannel => "administrate channel",
            Self::RtmLogin => "log in to rtm",
        }
    }

    /// The service it belongs to: [`ServiceType::Rtm`] for RTM login, else
    /// [`ServiceType::Rtc`] (a 006 token has no service list of its own).
    #[must_use]
    pub const fn service(self) -> ServiceType {
        match self {
            Self::RtmLogin => ServiceType::Rtm,
            _ => ServiceType::Rtc,
        }
    }
}

/// The RTC role, for 006 and 007 alike (also re-exported as [`crate::Role`] and, for code
/// written against earlier versions, as `builder::RtcRole`).
///
/// Publisher and Subscriber are the 007 references' two roles (`RtcTokenBuilder2`);
/// Attendee and Admin are the 006 references' further values. Following python3/go/nodejs
/// (spec §2.4), Attendee, Publisher and Admin get join plus publish audio/video/data and
/// Subscriber gets join only; in 007 this crate treats Attendee and Admin as Publisher.
/// (java and ruby invert Attendee and Subscriber, spec D5; this crate does not.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Role {
    /// 0: join and publish.
    Attendee = 0,
    /// 1: join and publish (the default).
    #[default]
    Publisher = 1,
    /// 2: join only.
    Subscriber = 2,
    /// 101: join and publish.
    Admin = 101,
}

impl Role {
    /// Whether the role may publish (every role but [`Role::Subscriber`]).
    #[must_use]
    pub const fn publishes(self) -> bool {
        !matches!(self, Self::Subscriber)
    }

    /// The 006 privileges this role receives, per python3/go/nodejs.
    #[must_use]
    pub fn privileges(self) -> &'static [Privilege] {
        match self {
            Self::Subscriber => &[Privilege::JoinChannel],
            Self::Attendee | Self::Publisher | Self::Admin => &[
                Privilege::JoinChannel,
                Privilege::PublishAudioStream,
                Privilege::PublishVideoStream,
                Privilege::PublishDataStream,
            ],
        }
    }
}

/// A 006 token under construction. Encodes exactly what it is given (no cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The app id (signed as its ASCII bytes).
    pub app_id: AppId,
    /// The channel name (only its CRC32 is carried; it is signed).
    pub channel_name: String,
    /// The uid as a string; the numeric uid 0 is `""` (see [`uid_string`]).
    pub uid: String,
    /// The token's own absolute expiry (unix seconds).
    pub ts: u32,
    /// Privilege id → absolute expiry timestamp, packed in ascending id order.
    pub privileges: BTreeMap<u16, u32>,
    salt: u32,
    salt_failed: bool,
}

/// The 006/007 integer-uid rule: 0 becomes `""` (the wildcard), anything else its
/// unsigned decimal string (python/go; spec §2.2 and D7).
#[must_use]
pub fn uid_string(uid: u32) -> String {
    // Not the formatting machinery of `to_string`, measurable on the token-building path.
    UidDigits::new(uid).as_str().to_owned()
}

/// [`uid_string`] on the stack: the digits written backwards into a 10-byte buffer.
pub(crate) struct UidDigits {
    digits: [u8; 10],
    start: usize,
}

impl UidDigits {
    pub(crate) fn new(uid: u32) -> Self {
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        let mut n = uid;
        while n != 0 {
            start = start.wrapping_sub(1);
            if let Some(d) = digits.get_mut(start) {
                *d = b'0'.wrapping_add((n % 10) as u8);
            }
            n /= 10;
        }
        Self { digits, start }
    }

    /// The decimal digits (empty for 0).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.digits.get(self.start..).unwrap_or(&[])
    }

    /// The decimal digits as a string (ASCII digits: the empty fallback is unreachable and
    /// only avoids a panic).
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl AccessToken {
    /// Starts a token with a fresh salt from the OS CSPRNG (uniform in `1..=99_999_999`).
    ///
    /// If the OS generator fails, [`AccessToken::build`] reports [`Error::Random`].
    pub fn new(
        app_id: AppId,
        channel_name: impl Into<String>,
        uid: impl Into<String>,
        ts: u32,
    ) -> Self {
        let (salt, salt_failed) = match crate::random_salt() {
            Ok(s) => (s, false),
            Err(_) => (0, true),
        };
        Self {
            salt_failed,
            ..Self::with_salt(app_id, channel_name, uid, ts, salt)
        }
    }

    /// Starts a token with a salt the caller drew (the builder's, from the OS CSPRNG).
    pub(crate) fn with_salt(
        app_id: AppId,
        channel_name: impl Into<String>,
        uid: impl Into<String>,
        ts: u32,
        salt: u32,
    ) -> Self {
        Self {
            app_id,
            channel_name: channel_name.into(),
            uid: uid.into(),
            ts,
            privileges: BTreeMap::new(),
            salt,
            salt_failed: false,
        }
    }

    /// Sets (or replaces) a privilege's absolute expiry timestamp.
    pub fn add_privilege(&mut self, privilege: Privilege, expire_ts: u32) -> &mut Self {
        self.add_raw_privilege(privilege.into(), expire_ts)
    }

    /// Sets (or replaces) a privilege by raw id.
    pub fn add_raw_privilege(&mut self, id: u16, expire_ts: u32) -> &mut Self {
        self.privileges.insert(id, expire_ts);
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

    /// The signed message `m = u32 salt || u32 ts || privmap`.
    fn message(&self) -> Result<Vec<u8>, Error> {
        let mut w =
            Writer::with_capacity(10usize.saturating_add(self.privileges.len().saturating_mul(6)));
        w.u32(self.salt);
        w.u32(self.ts);
        w.privmap(self.privileges.iter().map(|(&id, &v)| (id, v)))?;
        Ok(w.buf)
    }

    /// Signs and encodes the token.
    ///
    /// # Errors
    /// [`Error::TooLong`] when the privileges do not fit the 16-bit length of `m`;
    /// [`Error::Random`] when the salt could not be drawn.
    pub fn build(&self, cert: &AppCertificate) -> Result<String, Error> {
        if self.salt_failed {
            return Err(Error::Random);
        }
        let m = self.message()?;
        let sig = mac(
            cert,
            self.app_id.as_str(),
            &self.channel_name,
            &self.uid,
            &m,
        )?
        .finalize()
        .into_bytes();
        let mut w = Writer::with_capacity(m.len().saturating_add(46));
        w.bytes(&sig, "signature")?;
        w.u32(crc32fast::hash(self.channel_name.as_bytes()));
        w.u32(crc32fast::hash(self.uid.as_bytes()));
        w.bytes(&m, "privileges")?;
        let mut token =
            String::with_capacity(w.buf.len().div_ceil(3).saturating_mul(4).saturating_add(35));
        token.push_str(VERSION);
        token.push_str(self.app_id.as_str());
        STANDARD.encode_string(&w.buf, &mut token);
        Ok(token)
    }
}

fn mac(
    cert: &AppCertificate,
    app_id: &str,
    channel: &str,
    uid: &str,
    m: &[u8],
) -> Result<HmacSha256, Error> {
    // HMAC accepts keys of any length; this cannot fail.
    let mut h =
        HmacSha256::new_from_slice(cert.expose()).map_err(|_| Error::InvalidAppCertificate)?;
    h.update(app_id.as_bytes());
    h.update(channel.as_bytes());
    h.update(uid.as_bytes());
    h.update(m);
    Ok(h)
}

/// A decoded 006 token. Verifying needs the channel name and uid (only their CRC32s are
/// carried).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAccessToken {
    /// The 32 characters after `006`, as found (not validated by the parser).
    pub app_id: String,
    /// CRC32 of the channel name.
    pub crc_channel_name: u32,
    /// CRC32 of the uid string.
    pub crc_uid: u32,
    /// The salt.
    pub salt: u32,
    /// The token's own absolute expiry (unix seconds).
    pub ts: u32,
    /// Privilege id → absolute expiry timestamp.
    pub privileges: BTreeMap<u16, u32>,
    signature: Vec<u8>,
    message: Vec<u8>,
}

impl ParsedAccessToken {
    /// Decodes a 006 token (strict standard base64 with padding).
    ///
    /// # Errors
    /// [`Error::Version`] for another prefix; [`Error::Malformed`] for a token that is too
    /// long, badly encoded, truncated, or has bytes after the signed message.
    pub fn parse(token: &str) -> Result<Self, Error> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Malformed("token too long"));
        }
        if token.len() < VERSION.len() {
            return Err(Error::Malformed("token too short"));
        }
        if !token.starts_with(VERSION) {
            return Err(Error::Version { expected: VERSION });
        }
        let app_id = token
            .get(3..35)
            .ok_or(Error::Malformed("token too short"))?;
        let body = token.get(35..).ok_or(Error::Malformed("token too short"))?;
        let content = STANDARD
            .decode(body)
            .map_err(|_| Error::Malformed("invalid base64"))?;
        let mut r = Reader::new(&content);
        let signature = r.bytes()?.to_vec();
        let crc_channel_name = r.u32()?;
        let crc_uid = r.u32()?;
        let message = r.bytes()?.to_vec();
        if !r.is_empty() {
            return Err(Error::Malformed("data after the signed message"));
        }
        let mut m = Reader::new(&message);
        let salt = m.u32()?;
        let ts = m.u32()?;
        let privileges = m.privmap()?;
        Ok(Self {
            app_id: app_id.to_owned(),
            crc_channel_name,
            crc_uid,
            salt,
            ts,
            privileges,
            signature,
            message,
        })
    }

    /// Checks the signature for the given channel name and uid, in constant time, over the
    /// raw signed bytes. The CRC32s carried in the token must match them too.
    ///
    /// # Errors
    /// [`Error::Signature`] when anything does not match.
    pub fn verify(
        &self,
        cert: &AppCertificate,
        channel_name: &str,
        uid: &str,
    ) -> Result<(), Error> {
        let crc_ok = crc32fast::hash(channel_name.as_bytes()) == self.crc_channel_name
            && crc32fast::hash(uid.as_bytes()) == self.crc_uid;
        let mac_ok = mac(cert, &self.app_id, channel_name, uid, &self.message)?
            .verify_slice(&self.signature)
            .is_ok();
        if crc_ok && mac_ok {
            Ok(())
        } else {
            Err(Error::Signature)
        }
    }

    /// Whether the token could be for `channel_name`: its CRC32 matches the one carried.
    /// `false` proves another channel; `true` is a hint only ([`verify`](Self::verify)
    /// proves it).
    #[must_use]
    pub fn may_be_for_channel(&self, channel_name: &str) -> bool {
        crc32fast::hash(channel_name.as_bytes()) == self.crc_channel_name
    }

    /// Whether the token could be for the uid string `uid` (`""` for uid 0): its CRC32
    /// matches the one carried. `false` proves another uid; `true` is a hint only.
    #[must_use]
    pub fn may_be_for_uid(&self, uid: &str) -> bool {
        crc32fast::hash(uid.as_bytes()) == self.crc_uid
    }

    /// The token's own expiry as an absolute unix time (`ts`).
    #[must_use]
    pub fn expires_at(&self) -> u64 {
        u64::from(self.ts)
    }

    /// When the token stops working, as an absolute unix time: the earliest of its own `ts`
    /// and its privileges' expiries (a privilege expiry of 0 means "none" and is skipped).
    ///
    /// [`Self::check_expiry`] checks `ts` alone, as the references do.
    #[must_use]
    pub fn effective_expires_at(&self) -> u64 {
        self.privileges
            .values()
            .filter(|&&ts| ts != 0)
            .fold(self.ts, |earliest, &ts| earliest.min(ts))
            .into()
    }

    /// A privilege's absolute expiry, if the token carries it.
    #[must_use]
    pub fn privilege_expires_at(&self, privilege: Privilege) -> Option<u64> {
        self.privileges
            .get(&u16::from(privilege))
            .map(|&v| u64::from(v))
    }

    /// Fails when the token has expired at `now` (unix seconds): `now >= ts`.
    ///
    /// # Errors
    /// [`Error::Expired`].
    pub fn check_expiry(&self, now: u64) -> Result<(), Error> {
        let expired_at = self.expires_at();
        if now >= expired_at {
            Err(Error::Expired { expired_at, now })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_strings_are_decimal_with_zero_as_empty() {
        for uid in [0u32, 1, 9, 10, 99, 100, 2_882_341_273, u32::MAX] {
            let want = if uid == 0 {
                String::new()
            } else {
                uid.to_string()
            };
            assert_eq!(uid_string(uid), want);
        }
    }

    // From vector `006-rtc-uid-join` (python3/test/AccessTokenTest.py).
    const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
    const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
    const CHANNEL: &str = "7d72365eb983485397e3e3f9d460bdda";
    const TOKEN: &str = "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW";

    fn fixed(uid: &str) -> AccessToken {
        let mut t = AccessToken::new(AppId::new(APP_ID).unwrap(), CHANNEL, uid, 1_111_111);
        t.salt = 1;
        t
    }

    #[test]
    fn known_answer_build_and_parse() {
        let cert = AppCertificate::new(CERT).unwrap();
        let mut t = fixed("2882341273");
        t.add_privilege(Privilege::JoinChannel, 1_446_455_471);
        assert_eq!(t.build(&cert).unwrap(), TOKEN);

        let p = ParsedAccessToken::parse(TOKEN).unwrap();
        assert_eq!(p.app_id, APP_ID);
        assert_eq!((p.salt, p.ts), (1, 1_111_111));
        assert_eq!(
            (p.crc_channel_name, p.crc_uid),
            (276_646_071, 3_847_331_927)
        );
        assert_eq!(p.privileges, BTreeMap::from([(1, 1_446_455_471)]));
        p.verify(&cert, CHANNEL, "2882341273").unwrap();
        assert_eq!(p.verify(&cert, CHANNEL, "").unwrap_err(), Error::Signature);
        assert!(p.check_expiry(1_111_110).is_ok());
        assert_eq!(
            p.check_expiry(1_111_111).unwrap_err().kind(),
            crate::ErrorKind::Expired
        );
    }

    #[test]
    fn privilege_names_and_services() {
        for id in [1u16, 2, 3, 4, 101, 1000] {
            let p = Privilege::from_u16(id).unwrap();
            assert_eq!(u16::from(p), id);
            assert_eq!(p.name(), p.name().to_lowercase());
        }
        assert_eq!(Privilege::from_u16(5), None);
        assert_eq!(Privilege::RtmLogin.service(), ServiceType::Rtm);
        assert_eq!(Privilege::JoinChannel.service(), ServiceType::Rtc);
        assert!(Role::Admin.publishes() && !Role::Subscriber.publishes());
    }

    #[test]
    fn effective_expiry_is_the_earliest_non_zero() {
        let mut p = ParsedAccessToken::parse(TOKEN).unwrap();
        // The vector's privilege (1_446_455_471) outlives its ts (1_111_111).
        assert_eq!(p.effective_expires_at(), 1_111_111);
        p.privileges = BTreeMap::from([(1, 1_000_000), (2, 0)]);
        assert_eq!(p.effective_expires_at(), 1_000_000);
        p.privileges = BTreeMap::from([(1, 0)]);
        assert_eq!(p.effective_expires_at(), 1_111_111);
    }

    #[test]
    fn rejects() {
        assert_eq!(
            ParsedAccessToken::parse("007").unwrap_err().kind(),
            crate::ErrorKind::Version
        );
        for t in [
            "006970CA35de60c44645bbae8a215061b33!",
            "006970CA35de60c44645bbae8a215061b33invalid",
            "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHl",
            "00",
            "006",
        ] {
            assert_eq!(
                ParsedAccessToken::parse(t).unwrap_err().kind(),
                crate::ErrorKind::Malformed,
                "{t}"
            );
        }
    }
}
