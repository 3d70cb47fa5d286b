//! The limits Agora documents for the names a token carries, checked on the
//! everyday path.
//!
//! A token can encode any string of up to 65 535 bytes ([`Error::TooLong`]),
//! and Agora's reference builders check nothing more, so the encoders of this
//! crate ([`AccessToken`](crate::access_token::AccessToken),
//! [`AccessToken2`](crate::access_token2::AccessToken2), the
//! [`builder`](crate::builder) and `hazmat`) encode whatever they are given:
//! the conformance vectors need exactly that. Agora's SDKs refuse names outside
//! the limits below, though, so a token for such a name can never be used. Code
//! that takes names from its users checks them here first (the `rtc-tokens`
//! facade does, for every token it issues). The checks never echo the name.
//!
//! | [`Name`] | bytes | characters | Agora's documentation |
//! | --- | --- | --- | --- |
//! | [`Channel`](Name::Channel) | 1 to 63 ("less than 64 bytes") | [`is_name_char`] | Video SDK `joinChannel`, `channelId` |
//! | [`UserAccount`](Name::UserAccount) | 1 to 255 | [`is_name_char`] | Video SDK `registerLocalUserAccount` / `joinChannelWithUserAccount`, `userAccount` |
//! | [`RtmUserId`](Name::RtmUserId) | 1 to 64, no leading space | [`is_name_char`] | Signaling (RTM) limitations, "User ID length: 64"; RTM `login`, `userId` |
//! | [`ChatUserId`](Name::ChatUserId) | 1 to 64 | letters, digits, `_`, `-`, `.` | Chat RESTful API, user registration, `username` |
//!
//! The character set of the first three is Agora's 89 characters: ASCII
//! letters and digits, the space and `!#$%&()+-:;<=.>?@[]^_{}|~,`. A numeric
//! uid needs no check (uid 0, "any user", is carried as the empty string).
//!
//! ```
//! use agora_dynamic_key::limits::{self, Name};
//! use agora_dynamic_key::ErrorKind;
//!
//! assert!(limits::check_channel_name("lobby-1").is_ok());
//! let err = limits::check_channel_name(&"c".repeat(64)).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::InvalidInput);
//! assert!(err.to_string().contains("channel name"));
//! assert!(Name::UserAccount.check("user\0").is_err());
//! ```

use core::fmt;

use crate::{Error, Principal};

/// Agora's punctuation for channel names, user accounts and RTM user ids,
/// besides ASCII letters and digits.
pub const NAME_PUNCTUATION: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";

/// Longest channel name, in bytes: Agora documents "less than 64 bytes".
pub const MAX_CHANNEL_NAME_BYTES: usize = 63;
/// Longest RTC user account (string uid), in bytes.
pub const MAX_USER_ACCOUNT_BYTES: usize = 255;
/// Longest RTM (Signaling) user id, in bytes.
pub const MAX_RTM_USER_ID_BYTES: usize = 64;
/// Longest Chat user id, in bytes.
pub const MAX_CHAT_USER_ID_BYTES: usize = 64;

/// True for the 89 characters Agora allows in channel names, user accounts
/// and RTM user ids: ASCII letters and digits, and [`NAME_PUNCTUATION`].
#[must_use]
pub fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || NAME_PUNCTUATION.as_bytes().contains(&b)
}

/// True for the characters Agora Chat allows in user ids: ASCII letters and
/// digits, `_`, `-` and `.`.
#[must_use]
pub fn is_chat_user_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// A name Agora limits; [`Name::check`] applies its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Name {
    /// An RTC channel name (also the 006 RTM token's channel field).
    Channel,
    /// An RTC user account (a string uid).
    UserAccount,
    /// An RTM (Signaling) user id.
    RtmUserId,
    /// A Chat user id.
    ChatUserId,
}

impl Name {
    /// The field's name, as error messages give it.
    #[must_use]
    pub const fn field(self) -> &'static str {
        match self {
            Self::Channel => "channel name",
            Self::UserAccount => "user account",
            Self::RtmUserId => "rtm user id",
            Self::ChatUserId => "chat user id",
        }
    }

    /// The longest value, in bytes.
    #[must_use]
    pub const fn max_bytes(self) -> usize {
        match self {
            Self::Channel => MAX_CHANNEL_NAME_BYTES,
            Self::UserAccount => MAX_USER_ACCOUNT_BYTES,
            Self::RtmUserId => MAX_RTM_USER_ID_BYTES,
            Self::ChatUserId => MAX_CHAT_USER_ID_BYTES,
        }
    }

    /// The rule, in words (for error messages).
    #[must_use]
    pub const fn rule(self) -> &'static str {
        match self {
            Self::Channel => {
                "must be 1 to 63 bytes of ascii letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,"
            }
            Self::UserAccount => {
                "must be 1 to 255 bytes of ascii letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,"
            }
            Self::RtmUserId => {
                "must be 1 to 64 bytes of ascii letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~, \
                 and must not start with a space"
            }
            Self::ChatUserId => "must be 1 to 64 bytes of ascii letters, digits, _, - and .",
        }
    }

    /// True when `b` may appear in this name.
    #[must_use]
    pub fn allows(self, b: u8) -> bool {
        match self {
            Self::Channel | Self::UserAccount | Self::RtmUserId => is_name_char(b),
            Self::ChatUserId => is_chat_user_id_char(b),
        }
    }

    /// Checks `value` against this name's limit.
    ///
    /// # Errors
    /// [`Error::InvalidName`] (`invalid_input`) when `value` is empty, longer
    /// than [`max_bytes`](Self::max_bytes) or has a character the name does not
    /// allow (an RTM user id also must not start with a space).
    pub fn check(self, value: &str) -> Result<(), Error> {
        let bytes = value.as_bytes();
        let leading_space = self == Self::RtmUserId && bytes.first() == Some(&b' ');
        if bytes.is_empty()
            || bytes.len() > self.max_bytes()
            || leading_space
            || !bytes.iter().all(|&b| self.allows(b))
        {
            return Err(Error::InvalidName(self));
        }
        Ok(())
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field())
    }
}

/// Checks an RTC channel name ([`Name::Channel`]).
///
/// # Errors
/// As [`Name::check`].
pub fn check_channel_name(channel: &str) -> Result<(), Error> {
    Name::Channel.check(channel)
}

/// Checks an RTC user account ([`Name::UserAccount`]).
///
/// # Errors
/// As [`Name::check`].
pub fn check_user_account(account: &str) -> Result<(), Error> {
    Name::UserAccount.check(account)
}

/// Checks an RTC principal: an account as [`check_user_account`]; a numeric
/// uid is always fine.
///
/// # Errors
/// As [`Name::check`].
pub fn check_principal(principal: &Principal<'_>) -> Result<(), Error> {
    match *principal {
        Principal::Uid(_) => Ok(()),
        Principal::Account(account) => check_user_account(account),
    }
}

/// Checks an RTM (Signaling) user id ([`Name::RtmUserId`]).
///
/// # Errors
/// As [`Name::check`].
pub fn check_rtm_user_id(user_id: &str) -> Result<(), Error> {
    Name::RtmUserId.check(user_id)
}

/// Checks a Chat user id ([`Name::ChatUserId`]).
///
/// # Errors
/// As [`Name::check`].
pub fn check_chat_user_id(user_id: &str) -> Result<(), Error> {
    Name::ChatUserId.check(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_89_characters() {
        let n = (0..=255u8).filter(|&b| is_name_char(b)).count();
        assert_eq!(n, 89);
        let chat = (0..=255u8).filter(|&b| is_chat_user_id_char(b)).count();
        assert_eq!(chat, 65);
    }

    #[test]
    fn lengths_at_the_edge() {
        for name in [
            Name::Channel,
            Name::UserAccount,
            Name::RtmUserId,
            Name::ChatUserId,
        ] {
            let max = name.max_bytes();
            assert!(name.check(&"a".repeat(max)).is_ok(), "{name}");
            assert_eq!(
                name.check(&"a".repeat(max + 1)),
                Err(Error::InvalidName(name))
            );
            assert_eq!(name.check(""), Err(Error::InvalidName(name)));
            assert!(name.rule().contains(&max.to_string()), "{name}");
        }
    }

    #[test]
    fn characters() {
        assert!(check_channel_name("Room 1: a+b=c, [x]{y}|~").is_ok());
        for bad in [
            "a\0b",
            "a\nb",
            "caf\u{e9}",
            "a/b",
            "a\"b",
            "a'b",
            "a*b",
            "a\\b",
        ] {
            assert!(check_channel_name(bad).is_err(), "{bad:?}");
            assert!(check_user_account(bad).is_err(), "{bad:?}");
            assert!(check_rtm_user_id(bad).is_err(), "{bad:?}");
            assert!(check_chat_user_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_rtm_user_id(" alice").is_err());
        assert!(check_rtm_user_id("al ice").is_ok());
        assert!(check_chat_user_id("user_1-a.b").is_ok());
        assert!(check_chat_user_id("user 1").is_err());
        assert!(check_principal(&Principal::Uid(0)).is_ok());
        assert!(check_principal(&Principal::Account("")).is_err());
    }

    #[test]
    fn the_message_names_the_field_and_the_limit_not_the_value() {
        let secret_looking = "x".repeat(300);
        let msg = check_user_account(&secret_looking).unwrap_err().to_string();
        assert!(
            msg.starts_with("invalid user account: must be 1 to 255 bytes"),
            "{msg}"
        );
        assert!(!msg.contains("xxx"), "{msg}");
    }
}
