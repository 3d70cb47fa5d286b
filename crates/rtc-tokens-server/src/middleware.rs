//! Request middleware: access log and metrics, CORS, the body bounds, API
//! keys and rate limits.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::config::Auth;
use crate::error::ApiError;
use crate::jwt::{self, Caller};
use crate::metrics::{route_index, route_label};

/// The API key a request was authenticated with (index into the key list),
/// passed from [`authenticate`] to [`observe`] in the response extensions.
#[derive(Clone, Copy, Debug)]
struct CallerKey(usize);

/// One log line and the metrics for every request. The route is the matched
/// template, never the raw path (raw paths carry user ids); neither the
/// query string, the headers nor the bodies are logged. The client address
/// is the one the per-address limits use ([`crate::client_ip`]).
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
    let client = crate::client_ip::of(&request);
    let mut response = next.run(request).await;
    let latency = start.elapsed();
    let status = response.status().as_u16();
    state.metrics().record_request(route, status, latency);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if state.is_shutting_down() {
        // Draining: move keep-alive clients to another replica.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if tracing::enabled!(target: "access", tracing::Level::INFO) {
        let key = match (
            response.extensions().get::<CallerKey>(),
            &state.config().auth,
        ) {
            // JWT callers' buckets follow the keys': logged as "jwt".
            (Some(CallerKey(i)), Auth::ApiKeys(keys)) => keys
                .fingerprint(*i)
                .or_else(|| (*i >= keys.len()).then_some("jwt")),
            _ => None,
        };
        tracing::info!(
            target: "access",
            method = %method,
            route = route_label(route),
            status,
            latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            key = key.unwrap_or("-"),
            client = %client.map_or_else(|| "-".to_owned(), |ip| ip.to_string()),
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
    let mut response = if is_preflight(&request) {
        preflight(ALLOW_METHODS)
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

/// Whether `request` is a CORS preflight: `OPTIONS` with
/// `Access-Control-Request-Method`.
pub(crate) fn is_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// A preflight's answer: 204 allowing `methods` and the headers clients
/// send (`authorization`, `content-type`), cached for 10 minutes.
pub(crate) fn preflight(methods: &'static str) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
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
}

/// A response that also closes the connection (after a refusal whose
/// request may still have unread bytes, or from a client to slow down).
fn closing(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Refuses a declared body over the limit with 413 before reading it, and
/// gives a body the body timeout to arrive (the handler's read then fails
/// and [`ApiError::from_body`] answers 408). Both close the connection.
pub(crate) async fn bound_body(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let has_body =
        declared.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return next.run(request).await;
    }
    let limit = u64::try_from(state.config().max_body_bytes).unwrap_or(u64::MAX);
    if declared.is_some_and(|n| n > limit) {
        return closing(ApiError::payload_too_large());
    }
    let timeout = state.config().limits.body_timeout;
    let request =
        request.map(|body| Body::new(tower_http::timeout::DeadlineBody::new(timeout, body)));
    let mut response = next.run(request).await;
    let status = response.status();
    if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::PAYLOAD_TOO_LARGE {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Whole seconds to wait, at least 1.
fn retry_secs(wait: Duration) -> u64 {
    wait.as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
        .max(1)
}

/// `Authorization: Bearer <key>` against the configured keys — or, when
/// JWT authentication is on, a bearer JWT, whose claims the route layer's
/// policy then checks (see [`crate::jwt`]) — then the caller's rate limit. Failed authentications are rate limited per client
/// address: once an address has used up its allowance, its requests are
/// refused with 429 before their key is even checked. Without keys
/// (`--insecure-no-auth`), the rate limit applies per client address.
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
    let mut caller = Caller::Service;
    let ip = crate::client_ip::of(&request);
    let key = match &state.config().auth {
        Auth::Disabled => {
            if let Some(limiter) = state.address_limiter()
                && let Err(wait) = limiter.check(ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
            {
                return ApiError::rate_limited_for("this client address", retry_secs(wait))
                    .into_response();
            }
            None
        }
        Auth::ApiKeys(keys) => {
            let failures = state.auth_failures().zip(ip);
            if let Some((limiter, ip)) = failures
                && let Some(wait) = limiter.blocked(ip)
            {
                return closing(ApiError::rate_limited_for(
                    "failed authentications from this client address",
                    retry_secs(wait),
                ));
            }
            let refuse = |message: &'static str| {
                if let Some((limiter, ip)) = failures {
                    let _ = limiter.check(ip);
                }
                closing(ApiError::unauthorized(message))
            };
            let Some(value) = request.headers().get(header::AUTHORIZATION) else {
                return refuse("missing Authorization: Bearer <api key>");
            };
            let presented = value.to_str().ok().and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
            let Some(presented) = presented else {
                return refuse("expected Authorization: Bearer <api key>");
            };
            match (keys.check(presented), state.jwt()) {
                (Some(index), _) => Some(index),
                (None, Some(verifier)) if jwt::looks_like_jwt(presented) => {
                    match verifier.authenticate(presented).await {
                        Ok(claims) => {
                            let bucket = keys.len().saturating_add(verifier.bucket(&claims));
                            caller = Caller::User(claims);
                            Some(bucket)
                        }
                        Err(rejection) => {
                            state.metrics().record_jwt_rejection(rejection);
                            if rejection != jwt::Rejection::KeysUnavailable
                                && let Some((limiter, ip)) = failures
                            {
                                let _ = limiter.check(ip);
                            }
                            return closing(rejection.to_api_error());
                        }
                    }
                }
                (None, _) => return refuse("invalid api key"),
            }
        }
    };
    if let Some(limiter) = state.limiter()
        && let Err(wait) = limiter.check(key.unwrap_or(0))
    {
        let mut response = ApiError::rate_limited(retry_secs(wait)).into_response();
        if let Some(i) = key {
            response.extensions_mut().insert(CallerKey(i));
        }
        return response;
    }
    let mut response = jwt::with_caller(caller, next.run(request)).await;
    if let Some(i) = key {
        response.extensions_mut().insert(CallerKey(i));
    }
    response
}
