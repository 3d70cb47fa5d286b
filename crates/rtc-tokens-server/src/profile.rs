//! What a compatibility profile changes at request time, and the 007 tokens
//! with several services that a neutral `TokenRequest` cannot express.
//!
//! - [`no_cache`]: the original servers' cache headers (`Cache-Control:
//!   private, no-cache, no-store, must-revalidate`, `Expires: -1`,
//!   `Pragma: no-cache`) on every answer of the `agora-token-service`
//!   profile and on ZEGO's `/api/access_token`, whose sample sends them too.
//! - [`agora_error`] and [`text_error`]: the original's error bodies.
//! - [`multi_service`]: an AccessToken2 from the vendor crate's service
//!   types, signed with [`AgoraKeys`], capped at Agora's 24 hours.
//!
//! Messages still name the field and never echo a value: where the original
//! appends the offending value, this server appends its own message.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rtc_tokens::Vendor;
use rtc_tokens::agora_dynamic_key::access_token2::{AccessToken2, Service};
use rtc_tokens::agora_dynamic_key::capped_validity;
use serde_json::json;

use crate::AppState;
use crate::config::{AgoraKeys, Profile};
use crate::error::ApiError;

/// The route of ZEGO's easy_server sample, which always sends these headers.
pub(crate) const ZEGO_SAMPLE_PATH: &str = "/api/access_token";

/// Sets the original servers' cache headers where the profile or route asks.
pub(crate) async fn no_cache(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let sample = request.uri().path().trim_end_matches('/') == ZEGO_SAMPLE_PATH;
    let mut response = next.run(request).await;
    if sample || state.config().profile == Profile::AgoraTokenService {
        let h = response.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache, no-store, must-revalidate"),
        );
        h.insert(header::EXPIRES, HeaderValue::from_static("-1"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The token an agora-token-service route makes, for its error messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Made {
    /// `/rtc`.
    Rtc,
    /// `/rtm`.
    Rtm,
    /// `/rte`.
    RtcRtm,
    /// `/chat`.
    Chat,
}

impl Made {
    const fn words(self) -> &'static str {
        match self {
            Self::Rtc => "RTC token",
            Self::Rtm => "RTM token",
            Self::RtcRtm => "RTC and RTM token",
            Self::Chat => "Chat token",
        }
    }
}

/// A GET route's error under `profile`: the original's
/// `{"message": "Error Generating … token: …", "status": 400}` for a 400,
/// this server's shape otherwise (and always in the strict profile).
pub(crate) fn agora_error(profile: Profile, made: Made, error: ApiError) -> Response {
    if profile != Profile::AgoraTokenService || error.status() != StatusCode::BAD_REQUEST {
        return error.into_response();
    }
    let body = json!({
        "message": format!("Error Generating {}: {}", made.words(), error.message()),
        "status": 400,
    });
    let mut r = (StatusCode::BAD_REQUEST, super::routes::json_bytes(&body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// `POST /getToken`'s error under `profile`: the original answers a 400 as
/// plain text (Go's `http.Error`: the message and a newline).
pub(crate) fn text_error(profile: Profile, error: ApiError) -> Response {
    if profile != Profile::AgoraTokenService || error.status() != StatusCode::BAD_REQUEST {
        return error.into_response();
    }
    let mut r = (StatusCode::BAD_REQUEST, format!("{}\n", error.message())).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The configured Agora credentials, or 404 as for an unconfigured vendor.
pub(crate) fn agora_keys(state: &AppState) -> Result<&AgoraKeys, ApiError> {
    state.config().agora_keys.as_ref().ok_or_else(|| {
        ApiError::not_found(format!(
            "{} is not configured on this server",
            Vendor::Agora
        ))
    })
}

/// A 007 token holding `services`, valid `validity` seconds (capped at
/// Agora's 24 hours and the server's maximum), issued now.
///
/// # Errors
///
/// 400 when a name is too long for the format; 500 when the OS random
/// number generator failed.
pub(crate) fn multi_service(
    state: &AppState,
    keys: &AgoraKeys,
    validity: u32,
    services: Vec<Service>,
) -> Result<String, ApiError> {
    // Not expressible as one neutral request: JWT callers get none.
    crate::jwt::enforce_unbound(state)?;
    let validity = capped_validity(validity).min(state.config().max_validity_secs);
    let now = u32::try_from(rtc_tokens::unix_now()).unwrap_or(u32::MAX);
    let mut token = AccessToken2::new(keys.app_id.clone(), now, validity);
    for s in services {
        token.add_service(s);
    }
    token
        .build(&keys.certificate)
        .map_err(|e| ApiError::from(rtc_tokens::Error::from(e)))
}

/// The validity a multi-service token gets: at most the server's maximum
/// and Agora's cap, each privilege no longer than the token.
#[must_use]
pub(crate) fn capped(state: &AppState, validity: u32) -> u32 {
    capped_validity(validity).min(state.config().max_validity_secs)
}
