//! Public mode at request time: callers without an `Authorization` header
//! are served under a per-client-address rate limit, the room patterns and
//! the validity cap of [`PublicMode`].
//!
//! `gate` runs before authentication on the token routes. A request that
//! carries a key goes the usual way. One without a key (public mode only)
//! is charged to its client address (the TCP peer, or what a trusted proxy
//! forwarded, see [`crate::client_ip`]; an IPv6 /64 counting as one, by the
//! [`crate::auth::AddressLimiter`] the hardening shares) and then runs inside a task-local
//! scope marking it a public caller's; for such a request `restrict` applies the server's
//! public-mode settings: every token the handler issues has its validity lowered to the
//! cap and its room checked against the patterns; administrator tokens
//! (chat app, aPaaS app, FPA) are refused. The Origin allow-list is the
//! CORS middleware's, as for every request.

use std::net::{IpAddr, Ipv4Addr};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rtc_tokens::{TokenKind, TokenRequest};

use crate::AppState;
use crate::config::PublicMode;
use crate::error::ApiError;

tokio::task_local! {
    /// Set while a keyless request admitted by [`gate`] is handled.
    static PUBLIC: PublicCaller;
}

/// The public-mode settings when the current request is a public caller's.
fn current(state: &AppState) -> Option<&PublicMode> {
    PUBLIC
        .try_with(|_| ())
        .ok()
        .and(state.config().public.as_ref())
}

/// Lets a keyless request through in public mode, charged to its address.
pub(crate) async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limiter) = state.public_limiter() else {
        return next.run(request).await;
    };
    if request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let address = crate::client_ip::of(&request).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if let Err(wait) = limiter.check(address) {
        let secs = wait
            .as_secs()
            .saturating_add(u64::from(wait.subsec_nanos() > 0))
            .max(1);
        return ApiError::rate_limited_for("this client address", secs).into_response();
    }
    let mut request = request;
    request.extensions_mut().insert(PublicCaller);
    PUBLIC.scope(PublicCaller, next.run(request)).await
}

/// Marks a request served in public mode (authentication lets it through).
#[derive(Clone, Copy, Debug)]
pub struct PublicCaller;

/// For a public caller: the request with its validity lowered to the public
/// cap, or why it is refused. `None` for everyone else (unchanged).
///
/// # Errors
///
/// 403 `forbidden` for an administrator token or a room outside the
/// patterns.
pub(crate) fn restrict(
    state: &AppState,
    request: &TokenRequest,
) -> Result<Option<TokenRequest>, ApiError> {
    let Some(mode) = current(state) else {
        return Ok(None);
    };
    if !matches!(
        request.kind,
        TokenKind::Rtc | TokenKind::Rtm | TokenKind::RtcRtm | TokenKind::Chat
    ) {
        return Err(ApiError::forbidden(format!(
            "kind: {} tokens need an api key",
            request.kind
        )));
    }
    check_room(mode, request.room.as_deref())?;
    let mut capped = request.clone();
    capped.validity_secs = capped.validity_secs.min(mode.max_validity_secs);
    if let Some(p) = capped.privilege_expiries.as_mut() {
        for v in [
            &mut p.join,
            &mut p.publish_audio,
            &mut p.publish_video,
            &mut p.publish_data,
        ]
        .into_iter()
        .flatten()
        {
            *v = (*v).min(mode.max_validity_secs);
        }
    }
    Ok(Some(capped))
}

/// For a public caller: `validity` lowered to the cap after checking `room`
/// (for the routes that build their tokens without a [`TokenRequest`]).
///
/// # Errors
///
/// As [`restrict`]; `admin` refuses outright.
pub(crate) fn restrict_custom(
    state: &AppState,
    room: Option<&str>,
    validity: u32,
    admin: bool,
) -> Result<u32, ApiError> {
    let Some(mode) = current(state) else {
        return Ok(validity);
    };
    if admin {
        return Err(ApiError::forbidden(
            "administrator services need an api key",
        ));
    }
    check_room(mode, room)?;
    Ok(validity.min(mode.max_validity_secs))
}

fn check_room(mode: &PublicMode, room: Option<&str>) -> Result<(), ApiError> {
    match room {
        Some(room) if !mode.allows_room(room) => Err(ApiError::forbidden(
            "room: not open to callers without an api key",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn public_requests_are_capped_and_admin_kinds_refused() {
        let mut config = crate::config::ServerConfig::new(crate::config::Auth::Disabled);
        config.public = Some(PublicMode {
            rooms: vec![crate::config::RoomPattern::new("lobby-*")],
            ..PublicMode::default()
        });
        let state = AppState::new(rtc_tokens::Providers::new(), config);
        let mut r = TokenRequest::rtc("alice", "lobby-1");
        r.validity_secs = 86_400;
        assert_eq!(restrict(&state, &r).unwrap(), None);
        let out = PUBLIC
            .scope(PublicCaller, async {
                let capped = restrict(&state, &r).unwrap().unwrap();
                let mut other = r.clone();
                other.room = Some("vip".into());
                let chat_app = TokenRequest {
                    kind: TokenKind::ChatApp,
                    ..TokenRequest::default()
                };
                (
                    capped.validity_secs,
                    restrict(&state, &other).unwrap_err().status(),
                    restrict(&state, &chat_app).unwrap_err().status(),
                )
            })
            .await;
        assert_eq!(out.0, 3_600);
        assert_eq!(out.1.as_u16(), 403);
        assert_eq!(out.2.as_u16(), 403);
    }
}
