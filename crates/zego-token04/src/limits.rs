//! The limits ZEGO documents for the ids a token names, checked on the
//! everyday path.
//!
//! The token itself accepts more: [`UserId`](crate::UserId) takes 1 to 64
//! UTF-16 code units, as ZEGO's token references do (the conformance vectors
//! have non-ASCII user ids), and the room and stream ids of a
//! [`PrivilegePayload`](crate::PrivilegePayload) are free text. ZEGO's Express
//! SDK refuses ids outside the limits below, though, so a token for such an id
//! can never be used. Code that takes ids from its users checks them here first
//! (the `rtc-tokens` facade does, for every token it issues). The checks never
//! echo the id.
//!
//! | [`Id`] | bytes | ZEGO's documentation |
//! | --- | --- | --- |
//! | [`User`](Id::User) | 1 to 64 | Express SDK `ZegoUser.userID`: "a utf8 string with a maximum length of 64 bytes" |
//! | [`Room`](Id::Room) | 1 to 128 | Express SDK `loginRoom`, `roomID`: "a maximum length of 128 bytes" |
//! | [`Stream`](Id::Stream) | 1 to 256 | FAQ "How to define the streamID?": at most 256 characters |
//!
//! All three allow only ASCII letters and digits and
//! ``~!@#$%^&*()_+=-`;',.<>/\`` ([`is_id_char`]), as ZEGO lists for each.
//!
//! ```
//! use zego_token04::limits::{self, Id};
//! use zego_token04::ErrorKind;
//!
//! assert!(limits::check_room_id("lobby-1").is_ok());
//! let err = limits::check_room_id(&"r".repeat(129)).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::InvalidInput);
//! assert!(err.to_string().contains("room id"));
//! assert!(Id::User.check("user\0").is_err());
//! ```

use core::fmt;

use crate::Error;

/// ZEGO's punctuation for user, room and stream ids, besides ASCII letters and digits.
pub const ID_PUNCTUATION: &str = "~!@#$%^&*()_+=-`;',.<>/\\";

/// Longest user id the SDK accepts, in UTF-8 bytes.
pub const MAX_SDK_USER_ID_BYTES: usize = 64;
/// Longest room id, in bytes.
pub const MAX_ROOM_ID_BYTES: usize = 128;
/// Longest stream id, in bytes.
pub const MAX_STREAM_ID_BYTES: usize = 256;

/// True for the characters ZEGO allows in user, room and stream ids: ASCII
/// letters and digits, and [`ID_PUNCTUATION`].
#[must_use]
pub fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || ID_PUNCTUATION.as_bytes().contains(&b)
}

/// An id ZEGO limits; [`Id::check`] applies its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Id {
    /// A user id, as the Express SDK takes it.
    User,
    /// A room id.
    Room,
    /// A stream id.
    Stream,
}

impl Id {
    /// The field's name, as error messages give it.
    #[must_use]
    pub const fn field(self) -> &'static str {
        match self {
            Self::User => "user id",
            Self::Room => "room id",
            Self::Stream => "stream id",
        }
    }

    /// The longest id, in bytes.
    #[must_use]
    pub const fn max_bytes(self) -> usize {
        match self {
            Self::User => MAX_SDK_USER_ID_BYTES,
            Self::Room => MAX_ROOM_ID_BYTES,
            Self::Stream => MAX_STREAM_ID_BYTES,
        }
    }

    /// The rule, in words (for error messages).
    #[must_use]
    pub const fn rule(self) -> &'static str {
        match self {
            Self::User => {
                "must be 1 to 64 bytes of ascii letters, digits and ~!@#$%^&*()_+=-`;',.<>/\\"
            }
            Self::Room => {
                "must be 1 to 128 bytes of ascii letters, digits and ~!@#$%^&*()_+=-`;',.<>/\\"
            }
            Self::Stream => {
                "must be 1 to 256 bytes of ascii letters, digits and ~!@#$%^&*()_+=-`;',.<>/\\"
            }
        }
    }

    /// Checks `value` against this id's limit.
    ///
    /// # Errors
    /// [`Error::InvalidId`] (`invalid_input`) when `value` is empty, longer than
    /// [`max_bytes`](Self::max_bytes) or has a character ZEGO does not allow.
    pub fn check(self, value: &str) -> Result<(), Error> {
        let bytes = value.as_bytes();
        if bytes.is_empty()
            || bytes.len() > self.max_bytes()
            || !bytes.iter().all(|&b| is_id_char(b))
        {
            return Err(Error::InvalidId(self));
        }
        Ok(())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field())
    }
}

/// Checks a user id as the SDK takes it ([`Id::User`]).
///
/// # Errors
/// As [`Id::check`].
pub fn check_user_id(user_id: &str) -> Result<(), Error> {
    Id::User.check(user_id)
}

/// Checks a room id ([`Id::Room`]).
///
/// # Errors
/// As [`Id::check`].
pub fn check_room_id(room_id: &str) -> Result<(), Error> {
    Id::Room.check(room_id)
}

/// Checks a stream id ([`Id::Stream`]).
///
/// # Errors
/// As [`Id::check`].
pub fn check_stream_id(stream_id: &str) -> Result<(), Error> {
    Id::Stream.check(stream_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_at_the_edge() {
        for id in [Id::User, Id::Room, Id::Stream] {
            let max = id.max_bytes();
            assert!(id.check(&"a".repeat(max)).is_ok(), "{id}");
            assert_eq!(id.check(&"a".repeat(max + 1)), Err(Error::InvalidId(id)));
            assert_eq!(id.check(""), Err(Error::InvalidId(id)));
            assert!(id.rule().contains(&max.to_string()), "{id}");
        }
    }

    #[test]
    fn characters() {
        assert_eq!((0..=255u8).filter(|&b| is_id_char(b)).count(), 62 + 24);
        assert!(check_user_id("user_1@example.com").is_ok());
        assert!(check_stream_id("room1/user-1").is_ok());
        for bad in ["a\0b", "a b", "a\tb", "\u{7528}\u{6237}", "a:b", "a?b"] {
            assert!(check_user_id(bad).is_err(), "{bad:?}");
            assert!(check_room_id(bad).is_err(), "{bad:?}");
            assert!(check_stream_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_message_names_the_field_and_the_limit_not_the_value() {
        let msg = check_room_id(&"x".repeat(200)).unwrap_err().to_string();
        assert!(
            msg.starts_with("invalid room id: must be 1 to 128 bytes"),
            "{msg}"
        );
        assert!(!msg.contains("xxx"), "{msg}");
    }
}
