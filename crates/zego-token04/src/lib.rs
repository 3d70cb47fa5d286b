#![doc = include_str!("../README.md")]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod claims;
mod codec;
mod error;
mod json;
pub mod limits;
mod privilege;
mod token03;
mod types;

#[cfg(feature = "hazmat")]
#[cfg_attr(docsrs, doc(cfg(feature = "hazmat")))]
pub mod hazmat;

use core::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

pub use crate::claims::Claims;
pub use crate::codec::{MAX_CBC_PLAINTEXT_LEN, MAX_GCM_PLAINTEXT_LEN, MAX_TOKEN_LEN};
pub use crate::error::{Error, ErrorKind};
pub use crate::privilege::PrivilegePayload;
pub use crate::token03::{Token03, recognise_token03};
pub use crate::types::{AppId, MAX_USER_ID_UTF16, Mode, ServerSecret, UserId};

use crate::codec::SealInputs;

/// Default validity of a [`TokenRequest`]: one hour.
pub const DEFAULT_EFFECTIVE_SECS: i64 = 3600;

/// What to put in a token.
///
/// Start with [`TokenRequest::new`] (one hour, empty payload = plain identity
/// token, GCM) and chain the setters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenRequest {
    /// The app id.
    pub app_id: AppId,
    /// The user id.
    pub user_id: UserId,
    /// Validity in seconds from the creation time; must be positive.
    pub effective_secs: i64,
    /// The payload string (empty for an identity token; see [`PrivilegePayload`]).
    pub payload: String,
    /// The encryption mode.
    pub mode: Mode,
}

impl TokenRequest {
    /// An identity token request: valid for 3600 s, empty payload, GCM.
    #[must_use]
    pub fn new(app_id: AppId, user_id: UserId) -> Self {
        Self {
            app_id,
            user_id,
            effective_secs: DEFAULT_EFFECTIVE_SECS,
            payload: String::new(),
            mode: Mode::Gcm,
        }
    }

    /// Sets the validity in seconds (checked when building: must be positive).
    #[must_use]
    pub const fn effective_secs(mut self, secs: i64) -> Self {
        self.effective_secs = secs;
        self
    }

    /// Sets a raw payload string.
    #[must_use]
    pub fn payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = payload.into();
        self
    }

    /// Sets the payload to a privilege payload in ZEGO's Go form.
    #[must_use]
    pub fn privilege(mut self, privilege: &PrivilegePayload) -> Self {
        self.payload = privilege.to_json();
        self
    }

    /// Sets the encryption mode.
    #[must_use]
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }
}

/// A freshly built token and the values that went into it.
///
/// `Debug` redacts the token: it is a bearer credential.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct IssuedToken {
    /// The token string (`04` + base64).
    pub token: String,
    /// Creation time, unix seconds.
    pub ctime: i64,
    /// Expiry time, unix seconds.
    pub expire: i64,
    /// The JSON nonce that was drawn.
    pub nonce: i32,
    /// The encryption mode.
    pub mode: Mode,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"<redacted>")
            .field("ctime", &self.ctime)
            .field("expire", &self.expire)
            .field("nonce", &self.nonce)
            .field("mode", &self.mode)
            .finish()
    }
}

/// What [`inspect`] can read without the secret.
///
/// **None of this is authenticated**: the header expiry is clear text that
/// anyone can change. Use it only for routing or diagnostics; [`parse`] and
/// [`verify`] compare it with the encrypted copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Header {
    /// The mode, from the trailing mode byte (absent or `0`: CBC, `1`: GCM).
    pub mode: Mode,
    /// The clear-text (unauthenticated) expiry, unix seconds.
    pub expire: i64,
    /// The IV (CBC, 16) or nonce (GCM, 12) length.
    pub iv_len: usize,
    /// The ciphertext length field (for GCM it includes the 16-byte tag).
    pub ciphertext_len: usize,
}

/// The current unix time in seconds.
fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, i64::wrapping_neg),
    }
}

/// Builds a token now, with the system clock and fresh OS randomness.
///
/// # Errors
/// As [`build_at`].
pub fn build(secret: &ServerSecret, req: &TokenRequest) -> Result<IssuedToken, Error> {
    build_at(secret, req, now_unix())
}

/// Builds a token created at `now_unix` (unix seconds), drawing the IV/nonce
/// and the JSON nonce from the OS CSPRNG.
///
/// # Errors
/// - [`Error::InvalidEffectiveTime`] (ZEGO code 6) if `effective_secs <= 0`
///   or `now_unix + effective_secs` overflows;
/// - [`Error::TooLong`] if the ciphertext would exceed 65535 bytes (GCM
///   plaintext over [`MAX_GCM_PLAINTEXT_LEN`], CBC over [`MAX_CBC_PLAINTEXT_LEN`]);
/// - [`Error::Randomness`] if the OS random number generator fails.
pub fn build_at(
    secret: &ServerSecret,
    req: &TokenRequest,
    now_unix: i64,
) -> Result<IssuedToken, Error> {
    if req.effective_secs <= 0 {
        return Err(Error::InvalidEffectiveTime);
    }
    let expire = now_unix
        .checked_add(req.effective_secs)
        .ok_or(Error::InvalidEffectiveTime)?;
    let mut rnd = [0u8; 20];
    getrandom::fill(&mut rnd).map_err(|_| Error::Randomness)?;
    let (nonce, iv) = rnd.split_first_chunk::<4>().ok_or(Error::Randomness)?;
    let nonce = i32::from_be_bytes(*nonce);
    let iv = iv.get(..req.mode.iv_len()).ok_or(Error::Randomness)?;
    let token = codec::seal(
        secret,
        &SealInputs {
            mode: req.mode,
            app_id: req.app_id.get(),
            user_id: req.user_id.as_str(),
            ctime: now_unix,
            expire,
            nonce,
            iv,
            payload: &req.payload,
        },
        None,
    )?;
    Ok(IssuedToken {
        token,
        ctime: now_unix,
        expire,
        nonce,
        mode: req.mode,
    })
}

/// Decrypts and reads a token of either mode, **without** checking expiry.
///
/// Accepts tokens from every ZEGO reference generator (any JSON key order
/// and escaping). Tokens longer than [`MAX_TOKEN_LEN`] characters are refused
/// before decoding.
///
/// # Errors
/// - [`ErrorKind::Version`]: the prefix is not `04`;
/// - [`ErrorKind::Malformed`]: too short or too long, not strict padded
///   standard base64, a length field overrunning the body, wrong IV/nonce
///   length for the mode, bad ciphertext length, trailing bytes or unknown
///   mode byte, claims that are not the expected JSON (wrong types,
///   fractions, out-of-range integers, duplicate or missing keys), or a header
///   expiry different from the encrypted one;
/// - [`ErrorKind::Decrypt`]: wrong secret or altered token (GCM tag failure;
///   for CBC also bad padding and plaintext that is not JSON, so that no
///   padding oracle exists).
pub fn parse(token: &str, secret: &ServerSecret) -> Result<Claims, Error> {
    codec::open(token, secret)
}

/// [`parse`], then [`Claims::check_expiry`] against `now_unix`.
///
/// # Errors
/// As [`parse`], plus [`Error::Expired`] if `now_unix >= expire`.
pub fn verify(token: &str, secret: &ServerSecret, now_unix: i64) -> Result<Claims, Error> {
    let claims = parse(token, secret)?;
    claims.check_expiry(now_unix)?;
    Ok(claims)
}

/// Reads what can be read without the secret: mode, clear-text expiry and
/// the field lengths, after the same layout checks as [`parse`].
///
/// The expiry returned here is **unauthenticated** (anyone can change it);
/// never use it for an access decision.
///
/// # Errors
/// [`ErrorKind::Version`] or [`ErrorKind::Malformed`] as in [`parse`].
pub fn inspect(token: &str) -> Result<Header, Error> {
    codec::inspect(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

    fn secret() -> ServerSecret {
        ServerSecret::new(DEMO_SECRET).unwrap()
    }

    #[test]
    fn parse_known_tokens() {
        // Vector gcm_build_identity_demo (Go GCM reference, zego-public.json).
        let t = "04AAAAAGVT/xAADAoTIcRwI5hdbtE+RQB0Te5aY1g0X2kvAU4xFOHjxZNL2Sl89BCSmsjUXKN/ElDQqGUxTduDN6xt5acDEuY6xr3TfPGzGXSMYvrkZDZOhK3SSCpSqo0D0D2ROe/kLQG3b81pyJN0PCEDIclof+Q4004eoLRfgBMQW3i+efYtTFSWKeEB";
        let c = parse(t, &secret()).unwrap();
        assert_eq!(
            (
                c.mode,
                c.app_id,
                c.user_id.as_str(),
                c.ctime,
                c.expire,
                c.nonce,
                c.payload.as_str()
            ),
            (
                Mode::Gcm,
                1,
                "demo",
                1_700_000_000,
                1_700_003_600,
                1_234_567_890,
                ""
            )
        );
        let h = inspect(t).unwrap();
        assert_eq!((h.mode, h.expire, h.iv_len), (Mode::Gcm, 1_700_003_600, 12));
        assert_eq!(h.ciphertext_len, 100 + 16);
        assert_eq!(verify(t, &secret(), 1_700_003_599).unwrap(), c);
        assert_eq!(verify(t, &secret(), 1_700_003_600), Err(Error::Expired));

        // Vector cbc_build_identity_demo (Go CBC reference, zego-public.json).
        let t = "04AAAAAGVT/xAAEHE3bTB5eTA3YmI5Z2RubzcAcP7J+xAU43s8cCIvGRFtHPaVW87umasBrfPABM7BXnTVIyIki7/V3oO0b+XwnyIbp1CqyEy6lDCkEAlVZHYi3sW9XE2bf9mJUF5dgmPtbkSQZfNxi3G+4o0c7nCWPtwVTQWaO7n1Et0sx9I9HSpKso8=";
        let c = parse(t, &secret()).unwrap();
        assert_eq!(
            (c.mode, c.nonce, c.expire),
            (Mode::Cbc, 1_234_567_890, 1_700_003_600)
        );
        assert_eq!(inspect(t).unwrap().ciphertext_len, 112);
    }

    #[test]
    fn build_round_trip_both_modes() {
        let req = TokenRequest::new(AppId::new(7).unwrap(), UserId::new("alice").unwrap())
            .privilege(&PrivilegePayload::login_only("room"));
        for mode in [Mode::Gcm, Mode::Cbc] {
            let issued = build_at(&secret(), &req.clone().mode(mode), 1_000).unwrap();
            assert_eq!(
                (issued.ctime, issued.expire, issued.mode),
                (1_000, 4_600, mode)
            );
            assert!(!format!("{issued:?}").contains(&issued.token));
            let c = verify(&issued.token, &secret(), 1_001).unwrap();
            assert_eq!(
                (c.app_id, c.user_id.as_str(), c.nonce),
                (7, "alice", issued.nonce)
            );
            assert_eq!(c.privilege(), Some(PrivilegePayload::login_only("room")));
        }
        let now = build(&secret(), &req).unwrap();
        assert!(now.ctime > 1_700_000_000);
    }

    #[test]
    fn build_refusals() {
        let req = TokenRequest::new(AppId::new(1).unwrap(), UserId::new("u").unwrap());
        for secs in [0, -1] {
            let e = build_at(&secret(), &req.clone().effective_secs(secs), 0).unwrap_err();
            assert_eq!(
                (e.kind(), e.zego_code()),
                (ErrorKind::InvalidInput, Some(6))
            );
        }
        let e = build_at(&secret(), &req.clone().effective_secs(2), i64::MAX - 1).unwrap_err();
        assert_eq!(e, Error::InvalidEffectiveTime);
        // Largest plaintexts that fit, and one byte more.
        let fixed = "{\"app_id\":1,\"user_id\":\"u\",\"ctime\":0,\"expire\":3600,\"nonce\":".len();
        for (mode, max) in [
            (Mode::Gcm, MAX_GCM_PLAINTEXT_LEN),
            (Mode::Cbc, MAX_CBC_PLAINTEXT_LEN),
        ] {
            // Nonce digits vary, so search around the limit.
            let base = max - fixed - 40;
            let mut accepted = 0;
            for extra in 0..40 {
                let r = req.clone().mode(mode).payload("x".repeat(base + extra));
                match build_at(&secret(), &r, 0) {
                    Ok(t) => {
                        accepted += 1;
                        assert!(t.token.len() <= MAX_TOKEN_LEN);
                        parse(&t.token, &secret()).unwrap();
                    }
                    Err(e) => assert_eq!(e, Error::TooLong),
                }
            }
            assert!(accepted > 0);
            let r = req.clone().mode(mode).payload("x".repeat(max));
            assert_eq!(build_at(&secret(), &r, 0), Err(Error::TooLong));
        }
    }

    #[test]
    fn parse_refusals() {
        let s = secret();
        let kind = |t: &str| parse(t, &s).unwrap_err().kind();
        assert_eq!(kind(""), ErrorKind::Malformed);
        assert_eq!(kind("0"), ErrorKind::Malformed);
        assert_eq!(kind("03AAAA"), ErrorKind::Version);
        assert_eq!(kind("04"), ErrorKind::Malformed);
        assert_eq!(kind("04AAAA AA"), ErrorKind::Malformed);
        assert_eq!(kind("04AAA"), ErrorKind::Malformed);
        assert_eq!(kind("04AAAAAA=="), ErrorKind::Malformed);
        let long = format!("04{}", "A".repeat(MAX_TOKEN_LEN));
        assert_eq!(parse(&long, &s), Err(Error::Malformed("token too long")));
    }

    #[test]
    fn header_expiry_must_match() {
        let req = TokenRequest::new(AppId::new(1).unwrap(), UserId::new("u").unwrap());
        for mode in [Mode::Gcm, Mode::Cbc] {
            let t = build_at(&secret(), &req.clone().mode(mode), 100)
                .unwrap()
                .token;
            let mut body =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &t[2..])
                    .unwrap();
            body[7] ^= 1;
            let t2 = format!(
                "04{}",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &body)
            );
            assert_eq!(
                parse(&t2, &secret()),
                Err(Error::Malformed("header expiry differs from the claims"))
            );
        }
    }
}
