//! The PrivateMapKey's binary userbuf: room-level privileges (spec "PrivateMapKey").
//!
//! Big-endian: `u8 version` (0 numeric room, 1 string room) · `u16` account length ·
//! account · `u32 sdkappid` · `u32 room id` (0 for a string room) · `u32 expiry`
//! (absolute unix seconds) · `u32 privilege map` · `u32 account type` · for version 1,
//! `u16` room length · room. [`PrivateMapKey::encode`] writes exactly what it is given
//! (only lengths beyond 16 bits are refused); [`PrivateMapKey::decode`] refuses anything
//! but exactly one such buffer (an unknown version, a string room with a numeric id, a
//! short buffer, trailing bytes, text that is not UTF-8).

use core::fmt;
use core::ops::{BitOr, BitOrAssign};

use crate::Error;

/// One room-level privilege: a bit of the privilege map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Privilege {
    /// Create the room (1).
    CreateRoom,
    /// Enter the room (2).
    EnterRoom,
    /// Send audio (4).
    SendAudio,
    /// Receive audio (8).
    ReceiveAudio,
    /// Send video (16).
    SendVideo,
    /// Receive video (32).
    ReceiveVideo,
    /// Send sub-stream (screen share) video (64).
    SendSubVideo,
    /// Receive sub-stream video (128).
    ReceiveSubVideo,
}

impl Privilege {
    /// Every privilege, lowest bit first.
    pub const ALL: [Self; 8] = [
        Self::CreateRoom,
        Self::EnterRoom,
        Self::SendAudio,
        Self::ReceiveAudio,
        Self::SendVideo,
        Self::ReceiveVideo,
        Self::SendSubVideo,
        Self::ReceiveSubVideo,
    ];

    /// The privilege's bit in the map.
    #[must_use]
    pub const fn bit(self) -> u32 {
        match self {
            Self::CreateRoom => 1,
            Self::EnterRoom => 2,
            Self::SendAudio => 4,
            Self::ReceiveAudio => 8,
            Self::SendVideo => 16,
            Self::ReceiveVideo => 32,
            Self::SendSubVideo => 64,
            Self::ReceiveSubVideo => 128,
        }
    }

    /// The privilege's name in snake case (`create_room`, `send_audio`, ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::CreateRoom => "create_room",
            Self::EnterRoom => "enter_room",
            Self::SendAudio => "send_audio",
            Self::ReceiveAudio => "receive_audio",
            Self::SendVideo => "send_video",
            Self::ReceiveVideo => "receive_video",
            Self::SendSubVideo => "send_sub_video",
            Self::ReceiveSubVideo => "receive_sub_video",
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A privilege map: a set of [`Privilege`]s, keeping bits Tencent has not defined as they
/// are (so a parsed map re-encodes unchanged).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Privileges(u32);

impl Privileges {
    /// No privilege.
    pub const NONE: Self = Self(0);
    /// All eight privileges (255).
    pub const ALL: Self = Self(255);

    /// The map with exactly these bits, known or not.
    #[must_use]
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// The map's bits.
    #[must_use]
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// The map with `p` added.
    #[must_use]
    pub const fn with(self, p: Privilege) -> Self {
        Self(self.0 | p.bit())
    }

    /// True when `p` is granted.
    #[must_use]
    pub const fn contains(self, p: Privilege) -> bool {
        self.0 & p.bit() != 0
    }

    /// The granted privileges, lowest bit first.
    pub fn iter(self) -> impl Iterator<Item = Privilege> {
        Privilege::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// Bits set that name no privilege.
    #[must_use]
    pub const fn unknown_bits(self) -> u32 {
        self.0 & !Self::ALL.0
    }
}

impl From<Privilege> for Privileges {
    fn from(p: Privilege) -> Self {
        Self(p.bit())
    }
}

impl FromIterator<Privilege> for Privileges {
    fn from_iter<I: IntoIterator<Item = Privilege>>(iter: I) -> Self {
        iter.into_iter().fold(Self::NONE, Self::with)
    }
}

impl BitOr for Privileges {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl BitOr<Privilege> for Privileges {
    type Output = Self;
    fn bitor(self, rhs: Privilege) -> Self {
        self.with(rhs)
    }
}

impl BitOrAssign<Privilege> for Privileges {
    fn bitor_assign(&mut self, rhs: Privilege) {
        *self = self.with(rhs);
    }
}

impl fmt::Debug for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set = f.debug_set();
        set.entries(self.iter());
        if self.unknown_bits() != 0 {
            set.entry(&format_args!("{:#x}", self.unknown_bits()));
        }
        set.finish()
    }
}

/// A TRTC room: a numeric id (userbuf version 0) or a string (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Room {
    /// A numeric room id.
    Numeric(u32),
    /// A string room id.
    Str(String),
}

impl fmt::Display for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Numeric(n) => write!(f, "{n}"),
            Self::Str(s) => f.write_str(s),
        }
    }
}

/// A PrivateMapKey's userbuf, field for field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrivateMapKey {
    /// The user id the privileges are for (the references use the UserSig's identifier).
    pub account: String,
    /// The application.
    pub sdkappid: u32,
    /// The room.
    pub room: Room,
    /// Absolute unix time the privileges expire at.
    pub expire_at: u32,
    /// The granted privileges.
    pub privileges: Privileges,
    /// The account type (0 in every reference).
    pub account_type: u32,
}

impl PrivateMapKey {
    /// The userbuf's version byte: 0 for a numeric room, 1 for a string room.
    #[must_use]
    pub const fn version(&self) -> u8 {
        match self.room {
            Room::Numeric(_) => 0,
            Room::Str(_) => 1,
        }
    }

    /// The binary userbuf.
    ///
    /// # Errors
    /// [`Error::TooLong`] when the account or the string room exceeds 65535 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        let account = u16_len(&self.account, "account")?;
        let (room_id, room_str) = match &self.room {
            Room::Numeric(n) => (*n, None),
            Room::Str(s) => (0, Some((u16_len(s, "room")?, s.as_bytes()))),
        };
        let mut out = Vec::with_capacity(
            self.account
                .len()
                .saturating_add(room_str.map_or(0, |(_, s)| s.len()))
                .saturating_add(25),
        );
        out.push(self.version());
        out.extend_from_slice(&account.to_be_bytes());
        out.extend_from_slice(self.account.as_bytes());
        for word in [
            self.sdkappid,
            room_id,
            self.expire_at,
            self.privileges.bits(),
            self.account_type,
        ] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        if let Some((len, bytes)) = room_str {
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(bytes);
        }
        Ok(out)
    }

    /// Decodes exactly one binary userbuf.
    ///
    /// # Errors
    /// [`Error::Malformed`] for an unknown version, a string room with a non-zero numeric
    /// id, a short buffer, bytes after it or text that is not UTF-8.
    pub fn decode(buf: &[u8]) -> Result<Self, Error> {
        let mut r = Reader(buf);
        let version = r.u8()?;
        if version > 1 {
            return Err(Error::Malformed("unknown userbuf version"));
        }
        let account = r.string()?;
        let sdkappid = r.u32()?;
        let room_id = r.u32()?;
        let expire_at = r.u32()?;
        let privileges = Privileges::from_bits(r.u32()?);
        let account_type = r.u32()?;
        let room = if version == 0 {
            Room::Numeric(room_id)
        } else if room_id != 0 {
            return Err(Error::Malformed(
                "userbuf string room with a numeric room id",
            ));
        } else {
            Room::Str(r.string()?)
        };
        if !r.0.is_empty() {
            return Err(Error::Malformed("trailing bytes after the userbuf"));
        }
        Ok(Self {
            account,
            sdkappid,
            room,
            expire_at,
            privileges,
            account_type,
        })
    }
}

fn u16_len(s: &str, field: &'static str) -> Result<u16, Error> {
    u16::try_from(s.len()).map_err(|_| Error::TooLong { field })
}

struct Reader<'a>(&'a [u8]);

const SHORT: Error = Error::Malformed("userbuf too short");

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let (head, rest) = self.0.split_first_chunk::<N>().ok_or(SHORT)?;
        self.0 = rest;
        Ok(*head)
    }

    fn u8(&mut self) -> Result<u8, Error> {
        Ok(u8::from_be_bytes(self.take()?))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.take()?))
    }

    fn string(&mut self) -> Result<String, Error> {
        let len = usize::from(u16::from_be_bytes(self.take()?));
        let (bytes, rest): (&'a [u8], &'a [u8]) = self.0.split_at_checked(len).ok_or(SHORT)?;
        self.0 = rest;
        String::from_utf8(bytes.to_vec()).map_err(|_| Error::Malformed("userbuf text is not utf-8"))
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    #[test]
    fn encodes_the_reference_userbufs() {
        let numeric = PrivateMapKey {
            account: "uDrylz42v".into(),
            sdkappid: 1_403_014_259,
            room: Room::Numeric(2_963_867_136),
            expire_at: 1_651_366_803,
            privileges: Privileges::from_bits(91),
            account_type: 0,
        };
        let b64 = "AAAJdURyeWx6NDJ2U6BMc7CpBgBibduTAAAAWwAAAAA=";
        assert_eq!(STANDARD.encode(numeric.encode().unwrap()), b64);
        assert_eq!(
            PrivateMapKey::decode(&STANDARD.decode(b64).unwrap()).unwrap(),
            numeric
        );
        let string = PrivateMapKey {
            account: "mCgTXeOQf5rnr_".into(),
            sdkappid: 1_562_498_341,
            room: Room::Str("kRvGqBjg_NG".into()),
            expire_at: 1_787_796_212,
            privileges: Privileges::from_bits(148),
            account_type: 0,
        };
        let b64 = "AQAObUNnVFhlT1FmNXJucl9dIdUlAAAAAGqPmvQAAACUAAAAAAALa1J2R3FCamdfTkc=";
        assert_eq!(STANDARD.encode(string.encode().unwrap()), b64);
        assert_eq!(
            PrivateMapKey::decode(&STANDARD.decode(b64).unwrap()).unwrap(),
            string
        );
    }

    #[test]
    fn decoding_is_strict() {
        let good = PrivateMapKey {
            account: "a".into(),
            sdkappid: 1,
            room: Room::Str("r".into()),
            expire_at: 2,
            privileges: Privileges::ALL,
            account_type: 0,
        }
        .encode()
        .unwrap();
        for n in 0..good.len() {
            assert!(PrivateMapKey::decode(&good[..n]).is_err(), "prefix {n}");
        }
        let mut long = good.clone();
        long.push(0);
        assert!(PrivateMapKey::decode(&long).is_err());
        let mut v2 = good.clone();
        v2[0] = 2;
        assert!(PrivateMapKey::decode(&v2).is_err());
        let mut with_id = good.clone();
        with_id[11] = 1; // low byte of the room id
        assert!(PrivateMapKey::decode(&with_id).is_err());
        let mut not_utf8 = good;
        not_utf8[3] = 0xff;
        assert!(PrivateMapKey::decode(&not_utf8).is_err());
    }

    #[test]
    fn privileges_are_typed_bits() {
        let p = Privileges::NONE | Privilege::EnterRoom | Privilege::SendAudio;
        assert_eq!(p.bits(), 6);
        assert!(p.contains(Privilege::EnterRoom) && !p.contains(Privilege::CreateRoom));
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            [Privilege::EnterRoom, Privilege::SendAudio]
        );
        assert_eq!(
            Privilege::ALL.into_iter().collect::<Privileges>(),
            Privileges::ALL
        );
        assert_eq!(Privileges::from_bits(0x1_00 | 1).unknown_bits(), 0x100);
        assert_eq!(format!("{p:?}"), "{EnterRoom, SendAudio}");
        let bits: u32 = Privilege::ALL.iter().map(|p| p.bit()).sum();
        assert_eq!(bits, 255);
    }

    #[test]
    fn too_long_fields_are_refused() {
        let k = PrivateMapKey {
            account: "a".repeat(65_536),
            sdkappid: 1,
            room: Room::Numeric(1),
            expire_at: 2,
            privileges: Privileges::ALL,
            account_type: 0,
        };
        assert_eq!(k.encode().unwrap_err(), Error::TooLong { field: "account" });
    }
}
