//! Validated input types: mode, app id, user id, server secret.

use core::fmt;
use core::num::NonZeroU32;
use core::str::FromStr;

use aes::Aes256;
use aes::cipher::KeyInit;
use aes_gcm::Aes256Gcm;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::Error;

/// The encryption mode of a token04.
///
/// [`Mode::Gcm`] (AES-256-GCM, ZEGO's recommended mode) is the default.
/// [`Mode::Cbc`] (AES-256-CBC, deprecated by ZEGO) is **unauthenticated**:
/// anyone can flip bits of the first plaintext block without detection. Build
/// CBC tokens only for peers that cannot read GCM.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// AES-256-GCM with a 12-byte nonce and a 16-byte tag; trailing mode byte `1`.
    #[default]
    Gcm,
    /// AES-256-CBC with PKCS#7 padding and a 16-byte IV; no mode byte.
    Cbc,
}

impl Mode {
    /// Every mode, the default first.
    pub const ALL: [Self; 2] = [Self::Gcm, Self::Cbc];

    /// The lowercase name, `"gcm"` or `"cbc"`: the one spelling
    /// [`FromStr`] accepts (in any ASCII case) and serde reads and writes.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Gcm => "gcm",
            Self::Cbc => "cbc",
        }
    }

    /// The IV (CBC, 16) or nonce (GCM, 12) length in bytes.
    #[must_use]
    pub const fn iv_len(self) -> usize {
        match self {
            Self::Gcm => 12,
            Self::Cbc => 16,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = Error;

    /// Parses a mode's [`as_str`](Self::as_str) name, ASCII case-insensitive.
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or(Error::UnknownMode)
    }
}

/// A ZEGO app id: any `u32` except 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppId(NonZeroU32);

impl AppId {
    /// Wraps an app id.
    ///
    /// # Errors
    /// [`Error::InvalidAppId`] (ZEGO code 1) if `id` is 0.
    pub const fn new(id: u32) -> Result<Self, Error> {
        match NonZeroU32::new(id) {
            Some(v) => Ok(Self(v)),
            None => Err(Error::InvalidAppId),
        }
    }

    /// The numeric value.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl TryFrom<u32> for AppId {
    type Error = Error;

    fn try_from(id: u32) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl From<AppId> for u32 {
    fn from(id: AppId) -> Self {
        id.get()
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Longest accepted user id, in UTF-16 code units (as ZEGO's Java and TS references count).
pub const MAX_USER_ID_UTF16: usize = 64;

/// Checks the user id rules: non-empty, at most 64 UTF-16 code units.
pub(crate) fn check_user_id(s: &str) -> Result<(), Error> {
    // Each UTF-16 code unit needs at least one UTF-8 byte, so long strings fail fast.
    if s.is_empty() || s.len() > MAX_USER_ID_UTF16.saturating_mul(4) {
        return Err(Error::InvalidUserId);
    }
    if s.len() > MAX_USER_ID_UTF16 && s.encode_utf16().nth(MAX_USER_ID_UTF16).is_some() {
        return Err(Error::InvalidUserId);
    }
    Ok(())
}

/// A ZEGO user id: non-empty and at most 64 UTF-16 code units
/// (so 64 ASCII characters, 64 CJK characters or 32 emoji are all fine).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(String);

impl UserId {
    /// Validates and wraps a user id.
    ///
    /// # Errors
    /// [`Error::InvalidUserId`] (ZEGO code 3) if it is empty or longer than
    /// 64 UTF-16 code units.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        check_user_id(&id)?;
        Ok(Self(id))
    }

    /// The user id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps into the inner string.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for UserId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UserId {
    type Error = Error;

    fn try_from(id: String) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl TryFrom<&str> for UserId {
    type Error = Error;

    fn try_from(id: &str) -> Result<Self, Error> {
        Self::new(id)
    }
}

/// The ZEGO ServerSecret: exactly 32 bytes, used as the AES-256 key as it is.
///
/// The console shows it as 32 hex characters; those 32 ASCII bytes *are* the
/// key (it is never hex-decoded, and case matters). The AES key schedules are
/// computed once here and wiped on drop; `Debug` prints a redaction, and
/// there is deliberately no `Display`, `Serialize`, comparison or accessor.
#[derive(Clone)]
pub struct ServerSecret {
    gcm: Aes256Gcm,
    aes: Aes256,
}

// Both fields wipe their key material in their own `Drop` (the `zeroize`
// features of `aes` and `aes-gcm` are enabled); see the test below.
impl ZeroizeOnDrop for ServerSecret {}

impl ServerSecret {
    /// Validates a secret.
    ///
    /// # Errors
    /// [`Error::InvalidSecret`] (ZEGO code 5) unless `secret` is exactly 32
    /// bytes (a 32-character secret containing a non-ASCII character is longer
    /// and refused).
    pub fn new(secret: &str) -> Result<Self, Error> {
        Self::from_bytes(secret.as_bytes())
    }

    /// Validates a secret given as raw bytes.
    ///
    /// # Errors
    /// [`Error::InvalidSecret`] (ZEGO code 5) unless `secret` is exactly 32 bytes.
    pub fn from_bytes(secret: &[u8]) -> Result<Self, Error> {
        let key: Zeroizing<[u8; 32]> =
            Zeroizing::new(secret.try_into().map_err(|_| Error::InvalidSecret)?);
        let aes = Aes256::new((&*key).into());
        let gcm = Aes256Gcm::from(aes.clone());
        Ok(Self { gcm, aes })
    }

    /// The AES-256-GCM cipher.
    pub(crate) fn gcm(&self) -> &Aes256Gcm {
        &self.gcm
    }

    /// The raw AES-256 cipher, for CBC.
    pub(crate) fn aes(&self) -> &Aes256 {
        &self.aes
    }
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names() {
        assert_eq!(Mode::default(), Mode::Gcm);
        assert_eq!("gcm".parse::<Mode>().unwrap(), Mode::Gcm);
        assert_eq!("CBC".parse::<Mode>().unwrap(), Mode::Cbc);
        assert_eq!("ecb".parse::<Mode>().unwrap_err(), Error::UnknownMode);
        assert_eq!(Mode::Cbc.to_string(), "cbc");
        for mode in Mode::ALL {
            assert_eq!(mode.as_str().parse::<Mode>().unwrap(), mode);
            let json = serde_json::to_string(&mode).unwrap();
            assert_eq!(json, format!("\"{}\"", mode.as_str()));
            assert_eq!(serde_json::from_str::<Mode>(&json).unwrap(), mode);
        }
    }

    #[test]
    fn app_id() {
        assert_eq!(AppId::new(0).unwrap_err().zego_code(), Some(1));
        assert_eq!(AppId::new(u32::MAX).unwrap().get(), u32::MAX);
    }

    #[test]
    fn user_id_counts_utf16_units() {
        assert!(UserId::new("").is_err());
        assert!(UserId::new("a".repeat(64)).is_ok());
        assert!(UserId::new("a".repeat(65)).is_err());
        assert!(UserId::new("用".repeat(64)).is_ok());
        assert!(UserId::new("用".repeat(65)).is_err());
        assert!(UserId::new("😀".repeat(32)).is_ok());
        assert!(UserId::new("😀".repeat(32) + "a").is_err());
        assert_eq!(UserId::new("").unwrap_err().zego_code(), Some(3));
    }

    #[test]
    fn secret_rules_and_redaction() {
        assert!(ServerSecret::new("fa94dd0f974cf2e293728a526b028271").is_ok());
        assert!(ServerSecret::new("fa94dd0f974cf2e293728a526b02827").is_err());
        // 32 characters but 33 bytes.
        let e = ServerSecret::new("é94dd0f974cf2e293728a526b028271a").unwrap_err();
        assert_eq!(e.zego_code(), Some(5));
        let s = ServerSecret::new("fa94dd0f974cf2e293728a526b028271").unwrap();
        assert_eq!(format!("{s:?}"), "ServerSecret(<redacted>)");
    }

    #[test]
    fn key_material_is_wiped_on_drop() {
        fn wipes<T: ZeroizeOnDrop>() {}
        wipes::<Aes256>();
        wipes::<Aes256Gcm>();
        wipes::<ServerSecret>();
    }
}
