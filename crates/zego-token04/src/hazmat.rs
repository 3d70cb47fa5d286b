//! **DANGEROUS**: building with a fixed IV/nonce, JSON nonce and clock.
//!
//! For known-answer tests, conformance vectors and benchmarks only. Reusing a
//! GCM nonce with the same secret leaks the keystream and the authentication
//! key, which lets anyone forge tokens; a fixed CBC IV leaks equal plaintext
//! prefixes. Production code must use [`build`](crate::build) or
//! [`build_at`](crate::build_at), which draw them from the OS CSPRNG.

use crate::codec::{self, SealInputs};
use crate::{Error, Mode, ServerSecret};

/// Every value that goes into a token, fixed by the caller.
#[derive(Clone, Copy, Debug)]
pub struct FixedInputs<'a> {
    /// Encryption mode.
    pub mode: Mode,
    /// App id (must not be 0).
    pub app_id: u32,
    /// User id (non-empty, at most 64 UTF-16 code units).
    pub user_id: &'a str,
    /// Creation time, unix seconds.
    pub ctime: i64,
    /// Expiry time, unix seconds (must be greater than `ctime`).
    pub expire: i64,
    /// The JSON nonce.
    pub nonce: i32,
    /// The CBC IV (16 bytes) or GCM nonce (12 bytes).
    pub iv: &'a [u8],
    /// The payload string.
    pub payload: &'a str,
}

/// A token built from fixed inputs, with the JSON that was encrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedBuild {
    /// The whole token string.
    pub token: String,
    /// The claims JSON that was encrypted.
    pub plaintext: String,
}

/// Builds a token from fixed inputs, validating them exactly like
/// [`build`](crate::build).
///
/// # Errors
/// [`Error::InvalidAppId`] for app id 0, [`Error::InvalidUserId`] for an empty
/// or too long user id, [`Error::InvalidEffectiveTime`] if `expire - ctime`
/// is not positive (or overflows), [`Error::InvalidIvLength`] if `iv` is not
/// the mode's length, [`Error::TooLong`] if the ciphertext would not fit its
/// 16-bit length field. All are [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput).
pub fn build_fixed(secret: &ServerSecret, inputs: &FixedInputs<'_>) -> Result<FixedBuild, Error> {
    let mut plaintext = String::new();
    let token = codec::seal(
        secret,
        &SealInputs {
            mode: inputs.mode,
            app_id: inputs.app_id,
            user_id: inputs.user_id,
            ctime: inputs.ctime,
            expire: inputs.expire,
            nonce: inputs.nonce,
            iv: inputs.iv,
            payload: inputs.payload,
        },
        Some(&mut plaintext),
    )?;
    Ok(FixedBuild { token, plaintext })
}
