//! JWT bearer authentication and the identity-bound issuance policy.
//!
//! [`JwtAuth`] verifies an app's own ID or access token (a JWT) and returns
//! its claims; the route layer then checks every token request against the
//! configured [`Policy`](rtc_tokens::policy::Policy) with those claims.
//!
//! Guarantees:
//! - The algorithm comes from the configuration, never from the token: a
//!   header `alg` outside [`JwtConfig::algorithms`] is refused, `none` never
//!   parses, `HS*` tokens are checked only with the configured shared secret
//!   and asymmetric ones only with JWKS keys of their own family (a JWKS
//!   never supplies an HMAC key), so an `HS256` token signed with an RSA
//!   public key is refused.
//! - `exp`, `iss` and `aud` are required and checked, `nbf` when present,
//!   with [`JwtConfig::leeway_secs`] of clock skew.
//! - A verified token is cached by its SHA-256 until its `exp` (bounded), so
//!   a client reusing its JWT costs a hash, not a signature check.
//! - Neither the JWT nor a key reaches a log line or an error body; errors
//!   name only a reason code ([`Rejection::code`]).
//!
//! The caller's identity travels from the middleware to the route layer in a
//! task-local (`Caller`): every token route funnels through
//! `routes::issue`, which calls `enforce`. When JWT authentication is on
//! and no identity was set, issuance fails closed.

pub(crate) mod cache;
pub mod jwks;

use std::sync::Arc;

use axum::http::StatusCode;
use jsonwebtoken::errors::ErrorKind as JwtErrorKind;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, Validation};
use rtc_tokens::TokenRequest;
use rtc_tokens::policy::Claims;

use crate::AppState;
use crate::config::jwt::{JwksSource, JwtConfig};
use crate::error::ApiError;
use cache::VerifiedCache;
use jwks::{JwksCache, KeySet, Lookup};

/// The longest JWT accepted, in bytes (ID tokens are 1–2 KiB).
pub const MAX_JWT_BYTES: usize = 8 * 1024;

/// Rate-limit buckets shared by JWT callers (by a hash of their user id).
pub const JWT_BUCKETS: usize = 256;

/// Why a bearer JWT was refused (answered as 401, or 503 for
/// [`KeysUnavailable`](Self::KeysUnavailable)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// Not a JWT (shape, base64, JSON, or `alg: none`), or too long.
    Malformed,
    /// The header's algorithm is not one the configuration allows.
    AlgorithmNotAllowed,
    /// No key with the token's `kid` for its algorithm, even after a refresh.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// `exp` is past (beyond the leeway).
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid,
    /// `iss` is not a configured issuer.
    WrongIssuer,
    /// `aud` names no configured audience.
    WrongAudience,
    /// `exp`, `iss` or `aud` is missing or not of the right type.
    MissingClaim,
    /// The JWKS URL could not be fetched and no key was ever cached.
    KeysUnavailable,
}

impl Rejection {
    /// Every rejection, in a fixed order (the metrics' label set).
    pub const ALL: &'static [Self] = &[
        Self::Malformed,
        Self::AlgorithmNotAllowed,
        Self::UnknownKey,
        Self::BadSignature,
        Self::Expired,
        Self::NotYetValid,
        Self::WrongIssuer,
        Self::WrongAudience,
        Self::MissingClaim,
        Self::KeysUnavailable,
    ];

    /// The stable reason code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::AlgorithmNotAllowed => "algorithm_not_allowed",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::MissingClaim => "missing_claim",
            Self::KeysUnavailable => "keys_unavailable",
        }
    }

    /// The HTTP error answered (never holding the token).
    #[must_use]
    pub fn to_api_error(self) -> ApiError {
        if self == Self::KeysUnavailable {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the identity provider's keys could not be fetched: retry later",
            )
        } else {
            ApiError::unauthorized(format!("invalid bearer token: {}", self.code()))
        }
    }

    fn from_jwt(kind: &JwtErrorKind) -> Self {
        match kind {
            JwtErrorKind::InvalidSignature => Self::BadSignature,
            JwtErrorKind::ExpiredSignature => Self::Expired,
            JwtErrorKind::ImmatureSignature => Self::NotYetValid,
            JwtErrorKind::InvalidIssuer => Self::WrongIssuer,
            JwtErrorKind::InvalidAudience => Self::WrongAudience,
            JwtErrorKind::MissingRequiredClaim(_) | JwtErrorKind::InvalidClaimFormat(_) => {
                Self::MissingClaim
            }
            JwtErrorKind::InvalidAlgorithm
            | JwtErrorKind::MissingAlgorithm
            | JwtErrorKind::UnsupportedAlgorithm
            | JwtErrorKind::InvalidAlgorithmName => Self::AlgorithmNotAllowed,
            _ => Self::Malformed,
        }
    }
}

/// Verifies bearer JWTs for one configuration.
pub struct JwtAuth {
    config: JwtConfig,
    validations: Vec<(Algorithm, Validation)>,
    static_keys: Option<Arc<KeySet>>,
    jwks: Option<Arc<JwksCache>>,
    cache: VerifiedCache,
}

impl std::fmt::Debug for JwtAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtAuth")
            .field("algorithms", &self.config.algorithms)
            .field("jwks", &self.jwks)
            .finish_non_exhaustive()
    }
}

fn unix_now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

impl JwtAuth {
    /// The verifier of `config`.
    #[must_use]
    pub fn new(config: JwtConfig) -> Self {
        let validations = config
            .algorithms
            .iter()
            .map(|alg| {
                let mut v = Validation::new(*alg);
                v.leeway = config.leeway_secs;
                v.validate_nbf = true;
                v.set_issuer(&config.issuers);
                v.set_audience(&config.audiences);
                v.set_required_spec_claims(&["exp", "iss", "aud"]);
                (*alg, v)
            })
            .collect();
        let (static_keys, jwks) = match &config.jwks {
            JwksSource::None => (None, None),
            JwksSource::Keys(keys) => (Some(Arc::clone(keys)), None),
            JwksSource::Url(url) => match JwksCache::new(url.clone(), config.algorithms.clone()) {
                Ok(cache) => (None, Some(Arc::new(cache))),
                Err(problem) => {
                    // Validated when loading; fail closed if not.
                    tracing::error!(problem, "jwt.jwks_url: no key will be accepted");
                    (Some(Arc::new(KeySet::default())), None)
                }
            },
        };
        let cache = VerifiedCache::new(config.cache_entries);
        Self {
            config,
            validations,
            static_keys,
            jwks,
            cache,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &JwtConfig {
        &self.config
    }

    /// How many JWKS fetches were attempted (0 without a JWKS URL).
    #[must_use]
    pub fn jwks_fetches(&self) -> u64 {
        self.jwks.as_ref().map_or(0, |j| j.fetches())
    }

    /// Verifies `token` and returns its claims.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] reason.
    pub async fn authenticate(&self, token: &str) -> Result<Arc<Claims>, Rejection> {
        if token.len() > MAX_JWT_BYTES {
            return Err(Rejection::Malformed);
        }
        let now = unix_now();
        let digest = cache::digest(token);
        if let Some(claims) = self.cache.get(&digest, now) {
            return Ok(claims);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| Rejection::Malformed)?;
        let alg = header.alg;
        let Some((_, validation)) = self.validations.iter().find(|(a, _)| *a == alg) else {
            return Err(Rejection::AlgorithmNotAllowed);
        };
        let claims = if alg.family() == AlgorithmFamily::Hmac {
            let key = self
                .config
                .secret
                .as_ref()
                .ok_or(Rejection::AlgorithmNotAllowed)?;
            verify(token, key.key(), validation)?
        } else {
            let kid = header.kid.as_deref();
            let keys = match (&self.static_keys, &self.jwks) {
                (Some(keys), _) => Arc::clone(keys),
                (None, Some(cache)) => cache.keys(kid, alg).await.map_err(|e| match e {
                    Lookup::UnknownKey => Rejection::UnknownKey,
                    Lookup::Unavailable => Rejection::KeysUnavailable,
                })?,
                (None, None) => return Err(Rejection::AlgorithmNotAllowed),
            };
            let mut outcome = Err(Rejection::UnknownKey);
            for key in keys.candidates(kid, alg) {
                outcome = verify(token, &key.key, validation);
                if outcome != Err(Rejection::BadSignature) {
                    break;
                }
            }
            outcome?
        };
        let exp = claims.get("exp").and_then(serde_json::Value::as_u64);
        let claims = Arc::new(claims);
        if let Some(exp) = exp {
            self.cache.insert(digest, Arc::clone(&claims), exp, now);
        }
        Ok(claims)
    }

    /// The rate-limit bucket (offset into the JWT buckets) of a caller.
    #[must_use]
    pub fn bucket(&self, claims: &Claims) -> usize {
        let user = self.config.policy.user_id(claims).unwrap_or_default();
        let d = cache::digest(&user);
        usize::from(u16::from_be_bytes([d[0], d[1]])) % JWT_BUCKETS
    }
}

fn verify(token: &str, key: &DecodingKey, validation: &Validation) -> Result<Claims, Rejection> {
    jsonwebtoken::decode::<Claims>(token, key, validation)
        .map(|data| data.claims)
        .map_err(|e| Rejection::from_jwt(e.kind()))
}

/// Whether a bearer credential has the shape of a JWT (three base64url
/// parts), as opposed to an API key.
#[must_use]
pub fn looks_like_jwt(credential: &str) -> bool {
    credential.split('.').count() == 3 && credential.starts_with("eyJ")
}

/// Who is calling, as the middleware established it.
#[derive(Clone, Debug)]
pub(crate) enum Caller {
    /// A server-to-server caller (API key) or an unauthenticated one: no policy.
    Service,
    /// An app user, by the claims of its verified JWT: the policy applies.
    User(Arc<Claims>),
}

tokio::task_local! {
    static CALLER: Caller;
}

/// Runs `f` with `caller` as the identity [`enforce`] sees.
pub(crate) async fn with_caller<F: Future>(caller: Caller, f: F) -> F::Output {
    CALLER.scope(caller, f).await
}

/// Refuses JWT callers a token the policy cannot see as one neutral request
/// (the multi-service `POST /token/generate`): 403 `kind_not_allowed`.
/// Counted like a policy decision. A no-op when JWT authentication is off.
///
/// # Errors
///
/// As [`enforce`].
pub(crate) fn enforce_unbound(state: &AppState) -> Result<(), ApiError> {
    if state.jwt().is_none() {
        return Ok(());
    }
    match CALLER.try_with(Clone::clone) {
        Ok(Caller::Service) => Ok(()),
        Ok(Caller::User(_)) => {
            let denial = rtc_tokens::policy::Denial::KindNotAllowed;
            state.metrics().record_policy(Some(denial));
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                denial.code(),
                "multi-service tokens are not issued to identity-bound callers",
            ))
        }
        Err(_) => Err(missing_caller()),
    }
}

fn missing_caller() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "caller identity unavailable",
    )
}

/// Applies the policy to `request` for the current caller, counting the
/// decision. A no-op when JWT authentication is off.
///
/// # Errors
///
/// 403 with the denial's reason code; 500 when JWT authentication is on but
/// no caller identity was established (fail closed).
pub(crate) fn enforce(state: &AppState, request: &TokenRequest) -> Result<(), ApiError> {
    let Some(jwt) = state.jwt() else {
        return Ok(());
    };
    match CALLER.try_with(Clone::clone) {
        Ok(Caller::Service) => Ok(()),
        Ok(Caller::User(claims)) => match jwt.config().policy.check(&claims, request) {
            Ok(()) => {
                state.metrics().record_policy(None);
                Ok(())
            }
            Err(denial) => {
                state.metrics().record_policy(Some(denial));
                Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    denial.code(),
                    denial.message(),
                ))
            }
        },
        Err(_) => Err(missing_caller()),
    }
}
