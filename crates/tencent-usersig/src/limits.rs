//! The user id and room limits Tencent documents, applied by the everyday [`builder`].
//!
//! Checked on 2026-12-06 against Tencent's SDK references and the reference libraries' own
//! docs, which agree; Tencent words each limit as the field's "recommended value". (The
//! Chinese pages first cited, cloud.tencent.com 647/32396 and 647/17275, could not be read.)
//!
//! * User ids: at most 32 bytes of letters (a-z, A-Z), digits (0-9), underscores and
//!   hyphens. This is the `userid` doc of every reference library's `genUserSig` and
//!   `genPrivateMapKey` (npm `tls-sig-api-v2` 1.0.2, `tencentyun/tls-sig-api-v2-java`,
//!   `-golang`, `-php`) and of `TRTCParams.userId` in the TRTC SDK reference
//!   (<https://pub.dev/documentation/tencent_trtc_cloud/2.1.2/trtc_cloud_def/TRTCParams/userId.html>).
//!   The concepts page (<https://trtc.io/document/37714>) is looser in its wording
//!   ("preferably 32 bytes or shorter", digits, letters, underscores); an older version of
//!   it also asked for "not only digits". We keep the libraries' rule: hyphens allowed,
//!   all-digit ids allowed.
//! * Numeric rooms: 1 to 4294967294; 0 means "use the string room" (`TRTCParams.roomId`,
//!   `TRTCSwitchRoomConfig.roomId`:
//!   <https://liteav.sdk.qcloud.com/doc/product/trtc/dart/api/v3/en/trtc_cloud_def/TRTCParams-class.html>).
//!   A translated concepts page says 1 to 4294967295; we keep the SDK reference's range.
//! * String rooms: at most 64 bytes of 89 characters: letters, digits, space and
//!   `` !#$%&()+-:;<=.>?@[]^_{}|~, `` (`TRTCSwitchRoomConfig.strRoomId`,
//!   <https://liteav.sdk.qcloud.com/doc/product/trtc/dart/api/v3/en/trtc_cloud_def/TRTCSwitchRoomConfig-class.html>;
//!   `TRTCUser.strRoomId`,
//!   <https://pub.dev/documentation/tencent_rtc_sdk/latest/trtc_cloud_def/TRTCUser-class.html>).
//!   No page gives a lower bound: the empty string means "no string room", so we refuse it.
//!
//! The references check none of this. Here the everyday builder refuses what breaks a rule
//! (`invalid_input`), while the low-level [`UserSig`](crate::UserSig) and
//! [`PrivateMapKey`](crate::PrivateMapKey) encode what they are given and the parser
//! reports what it finds.
//!
//! [`builder`]: crate::builder

use core::fmt;

use crate::Error;
use crate::userbuf::Room;

/// The longest user id, in bytes.
pub const MAX_USER_ID_LEN: usize = 32;

/// The longest string room, in bytes.
pub const MAX_STR_ROOM_LEN: usize = 64;

/// The largest numeric room id (`u32::MAX` is refused, as 0 is).
pub const MAX_NUMERIC_ROOM: u32 = u32::MAX - 1;

/// The user id rule in words, as error messages say it.
pub const USER_ID_RULE: &str = "expected 1 to 32 bytes of ascii letters, digits, '_' and '-'";

/// True when `s` is a user id Tencent accepts.
#[must_use]
pub fn is_valid_user_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_USER_ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True when `b` is one of the 89 characters a string room may hold.
#[must_use]
pub const fn is_str_room_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b' ' | b'!'
                | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'('
                | b')'
                | b'+'
                | b'-'
                | b':'
                | b';'
                | b'<'
                | b'='
                | b'.'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b']'
                | b'^'
                | b'_'
                | b'{'
                | b'}'
                | b'|'
                | b'~'
                | b','
        )
}

/// Checks a room against Tencent's documented limits.
///
/// # Errors
/// [`Error::InvalidRoom`] naming the rule broken.
pub fn check_room(room: &Room) -> Result<(), Error> {
    match room {
        Room::Numeric(0) | Room::Numeric(u32::MAX) => {
            Err(Error::InvalidRoom("a numeric room id is 1 to 4294967294"))
        }
        Room::Numeric(_) => Ok(()),
        Room::Str(s) if s.is_empty() || s.len() > MAX_STR_ROOM_LEN => {
            Err(Error::InvalidRoom("a string room is 1 to 64 bytes"))
        }
        Room::Str(s) if !s.bytes().all(is_str_room_byte) => Err(Error::InvalidRoom(
            "a string room holds letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~, only",
        )),
        Room::Str(_) => Ok(()),
    }
}

/// A user id that meets Tencent's documented rule ([`USER_ID_RULE`]).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(String);

impl UserId {
    /// Validates a user id.
    ///
    /// # Errors
    /// [`Error::InvalidUserId`] unless `s` is 1 to 32 bytes of `[a-zA-Z0-9_-]`.
    pub fn new(s: &str) -> Result<Self, Error> {
        if is_valid_user_id(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::InvalidUserId)
        }
    }

    /// The user id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UserId").field(&self.0).finish()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UserId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl core::str::FromStr for UserId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids() {
        for ok in ["a", "user_1-x", "1234567", &"a".repeat(32)] {
            assert_eq!(UserId::new(ok).unwrap().as_str(), ok);
        }
        for bad in ["", &"a".repeat(33), "a b", "é", "a@b", "a.b"] {
            assert_eq!(UserId::new(bad).unwrap_err(), Error::InvalidUserId);
        }
    }

    #[test]
    fn rooms() {
        assert!(check_room(&Room::Numeric(1)).is_ok());
        assert!(check_room(&Room::Numeric(MAX_NUMERIC_ROOM)).is_ok());
        assert!(check_room(&Room::Numeric(0)).is_err());
        assert!(check_room(&Room::Numeric(u32::MAX)).is_err());
        assert!(check_room(&Room::Str("room 1:{a}|b~,".into())).is_ok());
        assert!(check_room(&Room::Str("x".repeat(64))).is_ok());
        assert!(check_room(&Room::Str("x".repeat(65))).is_err());
        assert!(check_room(&Room::Str(String::new())).is_err());
        for bad in ["a/b", "a*b", "a\"b", "é", "a'b", "a\\b", "a`b", "a\nb"] {
            assert!(check_room(&Room::Str(bad.into())).is_err(), "{bad}");
        }
        let allowed = (0u8..=127).filter(|&b| is_str_room_byte(b)).count();
        assert_eq!(allowed, 89);
    }
}
