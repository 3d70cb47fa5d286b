//! Route handlers.

pub(crate) mod agora;
pub(crate) mod neutral;
pub(crate) mod ops;
pub(crate) mod sample;
pub(crate) mod tencent;
pub(crate) mod zego;

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rtc_tokens::{IssuedToken, TokenProvider, TokenRequest, Vendor};
use serde::Serialize;

use crate::AppState;
use crate::error::ApiError;

/// The default validity of the compatibility routes, as the servers they replace.
pub(crate) const COMPAT_DEFAULT_VALIDITY: u32 = 3_600;

/// `value` as JSON bytes (an empty object if it cannot be encoded, which
/// the route's values never fail to be).
pub(crate) fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

/// A JSON response.
pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut r = body.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(_) => ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "response could not be encoded",
        )
        .into_response(),
    }
}

/// The provider of `vendor`, or 404 when this server does not serve it.
pub(crate) fn provider(
    state: &AppState,
    vendor: Vendor,
) -> Result<&Arc<dyn TokenProvider>, ApiError> {
    state
        .providers()
        .get(vendor)
        .ok_or_else(|| ApiError::not_found(format!("{vendor} is not configured on this server")))
}

/// Issues a token and counts it, after the JWT caller's policy allows the
/// request (every token route funnels through here). A public-mode
/// caller's request is first restricted ([`crate::public::restrict`]).
pub(crate) fn issue(
    state: &AppState,
    provider: &Arc<dyn TokenProvider>,
    request: &TokenRequest,
) -> Result<IssuedToken, ApiError> {
    let restricted = crate::public::restrict(state, request)?;
    let request = restricted.as_ref().unwrap_or(request);
    crate::jwt::enforce(state, request)?;
    let issued = provider.issue(request)?;
    state.metrics().record_token(issued.vendor, request.kind);
    Ok(issued)
}

/// A compatibility route's validity parameter: seconds, default one hour,
/// at least 1, capped at the server's maximum (24 h by default).
pub(crate) fn compat_validity(raw: Option<&str>, name: &str, max: u32) -> Result<u32, ApiError> {
    validity_param(raw, name, max, false)
}

/// As [`compat_validity`]; with `zero_is_default` (the `agora-token-service`
/// profile) 0 means the default hour instead of a 400.
pub(crate) fn validity_param(
    raw: Option<&str>,
    name: &str,
    max: u32,
    zero_is_default: bool,
) -> Result<u32, ApiError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(COMPAT_DEFAULT_VALIDITY.min(max));
    };
    let secs: u64 = raw
        .parse()
        .map_err(|_| ApiError::invalid(format!("{name}: expected a whole number of seconds")))?;
    if secs == 0 && zero_is_default {
        return Ok(COMPAT_DEFAULT_VALIDITY.min(max));
    }
    if secs == 0 {
        return Err(ApiError::invalid(format!(
            "{name}: must be at least 1 second"
        )));
    }
    Ok(u32::try_from(secs).unwrap_or(u32::MAX).min(max))
}
