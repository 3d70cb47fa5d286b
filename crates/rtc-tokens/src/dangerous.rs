//! Decoding without credentials: for looking at a token, never for trusting it.
//!
//! Like `jsonwebtoken::dangerous::insecure_decode`: nothing here checks a
//! signature, a decryption or an expiry, and every [`ParsedToken`] it returns
//! says so with [`Verification::NotChecked`]. Use it to show a user what a
//! token claims (a CLI's `parse`, a support tool); authorise with
//! [`TokenProvider::verify`](crate::TokenProvider::verify).

use agora_dynamic_key::access_token::ParsedAccessToken;
use agora_dynamic_key::access_token2::ParsedAccessToken2;

use crate::{Error, ParsedToken, TokenVersion, Verification, agora, tencent, zego};

/// Decodes `token` without any credential, recognising its vendor and version
/// from its prefix (`04`, `006`, `007`) or a Tencent UserSig's shape
/// ([`TokenVersion::detect`]). The token is taken as given:
/// surrounding whitespace is `malformed`, as the vendors' servers refuse it.
///
/// - Agora 007 decodes fully; 006 too, except the channel name and uid, of
///   which it carries only CRC32s (`user` and `room` are `None`).
/// - A ZEGO token04 is encrypted with the app's ServerSecret: only its
///   clear-text header is read ([`VendorDetail::Zego04Sealed`](crate::VendorDetail::Zego04Sealed):
///   mode and expiry, the expiry unauthenticated); `app_id`, `user`, `room`,
///   `issued_at` are `None` and `privileges` is empty.
/// - A Tencent UserSig or PrivateMapKey is signed, not encrypted: it decodes
///   fully, unverified.
///
/// `verification` is always [`Verification::NotChecked`].
///
/// ```
/// use rtc_tokens::{AgoraProvider, TokenProvider, TokenRequest, Verification, dangerous};
///
/// # fn main() -> Result<(), rtc_tokens::Error> {
/// let issued = AgoraProvider::demo().issue(&TokenRequest::rtc("alice", "lobby"))?;
/// let seen = dangerous::insecure_decode(&issued.token)?;
/// assert_eq!(seen.room.as_deref(), Some("lobby"));
/// assert_eq!(seen.verification, Verification::NotChecked);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `version` for an unknown prefix, `malformed` for a token that does not
/// decode or has surrounding whitespace.
pub fn insecure_decode(token: &str) -> Result<ParsedToken, Error> {
    Ok(match TokenVersion::detect(token)? {
        TokenVersion::Agora007 => {
            agora::view_007(ParsedAccessToken2::parse(token)?, Verification::NotChecked)
        }
        TokenVersion::Agora006 => agora::view_006(
            ParsedAccessToken::parse(token)?,
            None,
            None,
            Verification::NotChecked,
        ),
        TokenVersion::Zego04 => zego::view_sealed(zego_token04::inspect(token)?),
        TokenVersion::TencentUserSig => tencent::view(
            tencent_usersig::ParsedUserSig::parse(token)?,
            Verification::NotChecked,
        ),
    })
}
