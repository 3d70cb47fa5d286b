//! Request middleware: access log and metrics, CORS, API keys and rate limits.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::config::Auth;
use crate::error::ApiError;
use crate::metrics::{route_index, route_label};

/// The API key a request was authenticated with (index into the key list),
/// passed from [`authenticate`] to [`observe`] in the response extensions.
#[derive(Clone, Copy, Debug)]
struct CallerKey(usize);

/// One log line and the metrics for every request. The route is the matched
/// template, never the raw path (raw paths carry user ids); neither the
/// query string, the headers nor the bodies are logged.
pub(crate) async fn observe(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let route = route_index(
        request
            .extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
    );
    let method = request.method().clone();
    let mut response = next.run(request).await;
    let latency = start.elapsed();
    let status = response.status().as_u16();
    state.metrics().record_request(route, status, latency);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if tracing::enabled!(target: "access", tracing::Level::INFO) {
        let key = match (
            response.extensions().get::<CallerKey>(),
            &state.config().auth,
        ) {
            (Some(CallerKey(i)), Auth::ApiKeys(keys)) => keys.fingerprint(*i),
            _ => None,
        };
        tracing::info!(
            target: "access",
            method = %method,
            route = route_label(route),
            status,
            latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            key = key.unwrap_or("-"),
        );
    }
    response
}

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "authorization, content-type";

/// CORS from the allow-list: a request with a disallowed `Origin` gets 403,
/// a preflight from an allowed one 204 with the allowed methods and headers.
pub(crate) async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(origin) = request.headers().get(header::ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let allowed = origin.to_str().is_ok_and(|o| state.config().cors.allows(o));
    if !allowed {
        return ApiError::forbidden("origin not allowed: add it to CORS_ALLOW_ORIGIN")
            .into_response();
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        let mut r = next.run(request).await;
        r.headers_mut().insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.append(header::VARY, HeaderValue::from_static("origin"));
    response
}

/// `Authorization: Bearer <key>` against the configured keys, then the
/// key's rate limit.
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request
        .extensions()
        .get::<crate::public::PublicCaller>()
        .is_some()
    {
        // Public mode: charged to its address by `public::gate` instead.
        return next.run(request).await;
    }
    let key = match &state.config().auth {
        Auth::Disabled => None,
        Auth::ApiKeys(keys) => {
            let Some(value) = request.headers().get(header::AUTHORIZATION) else {
                return ApiError::unauthorized("missing Authorization: Bearer <api key>")
                    .into_response();
            };
            let presented = value.to_str().ok().and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
            let Some(presented) = presented else {
                return ApiError::unauthorized("expected Authorization: Bearer <api key>")
                    .into_response();
            };
            match keys.check(presented) {
                Some(index) => Some(index),
                None => return ApiError::unauthorized("invalid api key").into_response(),
            }
        }
    };
    if let Some(limiter) = state.limiter()
        && let Err(wait) = limiter.check(key.unwrap_or(0))
    {
        let secs = wait
            .as_secs()
            .saturating_add(u64::from(wait.subsec_nanos() > 0))
            .max(1);
        let mut response = ApiError::rate_limited(secs).into_response();
        if let Some(i) = key {
            response.extensions_mut().insert(CallerKey(i));
        }
        return response;
    }
    let mut response = next.run(request).await;
    if let Some(i) = key {
        response.extensions_mut().insert(CallerKey(i));
    }
    response
}
