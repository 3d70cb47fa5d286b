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

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

    fn inputs<'a>(mode: Mode, iv: &'a [u8]) -> FixedInputs<'a> {
        FixedInputs {
            mode,
            app_id: 1,
            user_id: "demo",
            ctime: 1_700_000_000,
            expire: 1_700_003_600,
            nonce: 1_234_567_890,
            iv,
            payload: "",
        }
    }

    #[test]
    fn known_answers() {
        let secret = ServerSecret::new(SECRET).unwrap();
        // Vector gcm_build_identity_demo (Go GCM reference, zego-public.json).
        let iv = [
            0x0a, 0x13, 0x21, 0xc4, 0x70, 0x23, 0x98, 0x5d, 0x6e, 0xd1, 0x3e, 0x45,
        ];
        let b = build_fixed(&secret, &inputs(Mode::Gcm, &iv)).unwrap();
        assert_eq!(
            b.plaintext,
            r#"{"app_id":1,"user_id":"demo","ctime":1700000000,"expire":1700003600,"nonce":1234567890,"payload":""}"#
        );
        assert_eq!(
            b.token,
            "04AAAAAGVT/xAADAoTIcRwI5hdbtE+RQB0Te5aY1g0X2kvAU4xFOHjxZNL2Sl89BCSmsjUXKN/ElDQqGUxTduDN6xt5acDEuY6xr3TfPGzGXSMYvrkZDZOhK3SSCpSqo0D0D2ROe/kLQG3b81pyJN0PCEDIclof+Q4004eoLRfgBMQW3i+efYtTFSWKeEB"
        );
        // Vector cbc_build_identity_demo (Go CBC reference, zego-public.json).
        let b = build_fixed(&secret, &inputs(Mode::Cbc, b"q7m0yy07bb9gdno7")).unwrap();
        assert_eq!(
            b.token,
            "04AAAAAGVT/xAAEHE3bTB5eTA3YmI5Z2RubzcAcP7J+xAU43s8cCIvGRFtHPaVW87umasBrfPABM7BXnTVIyIki7/V3oO0b+XwnyIbp1CqyEy6lDCkEAlVZHYi3sW9XE2bf9mJUF5dgmPtbkSQZfNxi3G+4o0c7nCWPtwVTQWaO7n1Et0sx9I9HSpKso8="
        );
    }

    #[test]
    fn refusals() {
        let secret = ServerSecret::new(SECRET).unwrap();
        let iv = [0u8; 12];
        let ok = inputs(Mode::Gcm, &iv);
        let cases = [
            (FixedInputs { app_id: 0, ..ok }, Error::InvalidAppId),
            (FixedInputs { user_id: "", ..ok }, Error::InvalidUserId),
            (
                FixedInputs {
                    expire: ok.ctime,
                    ..ok
                },
                Error::InvalidEffectiveTime,
            ),
            (
                FixedInputs {
                    ctime: i64::MIN,
                    expire: 1,
                    ..ok
                },
                Error::InvalidEffectiveTime,
            ),
            (
                FixedInputs {
                    mode: Mode::Cbc,
                    ..ok
                },
                Error::InvalidIvLength,
            ),
        ];
        for (i, want) in cases {
            assert_eq!(build_fixed(&secret, &i), Err(want));
        }
        let long = "a".repeat(65);
        let e = build_fixed(
            &secret,
            &FixedInputs {
                user_id: &long,
                ..ok
            },
        )
        .unwrap_err();
        assert_eq!(e.zego_code(), Some(3));
    }
}
