//! `rtc-tokens-server`: an HTTP token service for ZEGOCLOUD and Agora on the
//! `rtc-tokens` facade — authenticated, rate-limited, observable, and a
//! drop-in for AgoraIO-Community's agora-token-service and ZEGO's sample
//! token servers.
//!
//! The binary is a thin wrapper: [`config::load`] reads the settings,
//! [`AppState::new`] holds them, [`app`] builds the router and [`serve`] runs
//! it with the connection cap and timeouts until a shutdown signal, then
//! drains (see [`serve`]'s module for the guarantees). Tests start the same
//! server on `127.0.0.1:0`.
//!
//! See the README for the routes, the configuration table and deployment notes.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod auth;
pub mod client_ip;
pub mod config;
pub mod error;
mod json;
pub mod jwt;
pub mod metrics;
mod middleware;
pub mod profile;
pub mod public;
mod routes;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use rtc_tokens::Providers;

pub use client_ip::{ClientIp, ClientIpHeader, TrustedProxies};
pub use config::{
    AddressLimit, AgoraKeys, Auth, CorsPolicy, Limits, LoadOptions, Profile, PublicMode, RateLimit,
    RoomPattern, ServerConfig, Settings, StartupWarning,
};
pub use error::ApiError;
pub use metrics::Metrics;
pub use transport::serve;

use crate::auth::{AddressLimiter, RateLimiter};
use crate::config::limits::MAX_TRACKED_ADDRESSES;

/// Shared state: providers, configuration, counters. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    providers: Providers,
    config: ServerConfig,
    limiter: Option<RateLimiter>,
    jwt: Option<jwt::JwtAuth>,
    address_limiter: Option<AddressLimiter>,
    auth_failures: Option<AddressLimiter>,
    public_limiter: Option<AddressLimiter>,
    metrics: Metrics,
    shutting_down: AtomicBool,
}

impl AppState {
    /// State for `providers` under `config`.
    #[must_use]
    pub fn new(providers: Providers, config: ServerConfig) -> Self {
        let per_address =
            |r: AddressLimit| AddressLimiter::new(r.per_minute, r.burst, MAX_TRACKED_ADDRESSES);
        // JWT callers share `JWT_BUCKETS` buckets after the keys' ones.
        let jwt = config.jwt.clone().map(jwt::JwtAuth::new);
        let jwt_buckets = jwt.as_ref().map_or(0, |_| jwt::JWT_BUCKETS);
        let (limiter, address_limiter, auth_failures) = match &config.auth {
            Auth::ApiKeys(keys) => (
                config.rate_limit.map(|r| {
                    RateLimiter::new(
                        r.per_minute,
                        r.burst,
                        keys.len().saturating_add(jwt_buckets),
                    )
                }),
                None,
                config.limits.auth_failures.map(per_address),
            ),
            Auth::Disabled => (
                None,
                config.rate_limit.map(|r| {
                    per_address(AddressLimit {
                        per_minute: r.per_minute,
                        burst: r.burst,
                    })
                }),
                None,
            ),
        };
        let public_limiter = config
            .public
            .as_ref()
            .map(|p| AddressLimiter::new(p.per_minute, p.burst, MAX_TRACKED_ADDRESSES));
        Self {
            inner: Arc::new(Inner {
                providers,
                config,
                limiter,
                jwt,
                address_limiter,
                auth_failures,
                public_limiter,
                metrics: Metrics::new(),
                shutting_down: AtomicBool::new(false),
            }),
        }
    }

    /// The providers.
    #[must_use]
    pub fn providers(&self) -> &Providers {
        &self.inner.providers
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The counters.
    #[must_use]
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Marks the server as draining: `/readyz` answers 503 from now on.
    pub fn begin_shutdown(&self) {
        self.inner.shutting_down.store(true, Ordering::Relaxed);
    }

    /// Whether the server is draining.
    #[must_use]
    pub fn is_shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::Relaxed)
    }

    /// The JWT verifier, when JWT authentication is on.
    #[must_use]
    pub fn jwt(&self) -> Option<&jwt::JwtAuth> {
        self.inner.jwt.as_ref()
    }

    fn limiter(&self) -> Option<&RateLimiter> {
        self.inner.limiter.as_ref()
    }

    /// The per-client-address token limiter (without API keys).
    fn address_limiter(&self) -> Option<&AddressLimiter> {
        self.inner.address_limiter.as_ref()
    }

    /// The per-client-address limiter of failed authentications.
    fn auth_failures(&self) -> Option<&AddressLimiter> {
        self.inner.auth_failures.as_ref()
    }

    /// The per-client-address limiter of keyless callers in public mode.
    fn public_limiter(&self) -> Option<&AddressLimiter> {
        self.inner.public_limiter.as_ref()
    }
}

/// Registers `path` and `path/` with the same handler.
fn both<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    path: &str,
    handler: axum::routing::MethodRouter<S>,
) -> Router<S> {
    router
        .route(path, handler.clone())
        .route(&format!("{path}/"), handler)
}

/// `routes` behind authentication (API keys or JWTs) and the public-mode
/// gate.
fn guarded(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    routes
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::authenticate,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            public::gate,
        ))
}

/// The service's router.
///
/// Open routes: `/healthz`, `/readyz`, `/metrics`, `/ping`. Every other
/// route requires an API key (unless authentication is disabled) and is rate
/// limited per key (per client address without keys); failed
/// authentications are rate limited per client address. A declared body
/// over the limit is refused with 413 before it is read, and a body must
/// arrive within the body timeout (408).
pub fn app(state: AppState) -> Router {
    let open = Router::new()
        .route("/healthz", get(routes::ops::healthz))
        .route("/readyz", get(routes::ops::readyz))
        .route("/metrics", get(routes::ops::metrics))
        .route("/ping", get(routes::agora::ping));

    let mut protected = Router::new()
        .route("/v1/tokens", post(routes::neutral::issue))
        .route("/v1/tokens/parse", post(routes::neutral::parse))
        .route("/getToken", post(routes::agora::get_token));
    protected = both(
        protected,
        "/rtc/{channelName}/{role}/{tokenType}/{rtcuid}",
        get(routes::agora::rtc),
    );
    protected = protected
        .route(
            "/rtc/{channelName}/{role}/{tokenType}//",
            get(routes::agora::rtc_empty_uid),
        )
        .route("/token/generate", post(routes::sample::token_generate));
    protected = both(
        protected,
        "/rte/{channelName}/{role}/{tokenType}//{rtmuid}",
        get(routes::agora::rte),
    );
    protected = both(protected, "/rtm/{rtmuid}", get(routes::agora::rtm));
    protected = both(
        protected,
        "/rte/{channelName}/{role}/{tokenType}/{rtcuid}",
        get(routes::agora::rte),
    );
    protected = both(
        protected,
        "/rte/{channelName}/{role}/{tokenType}/{rtcuid}/{rtmuid}",
        get(routes::agora::rte),
    );
    protected = both(protected, "/chat/app", get(routes::agora::chat_app));
    protected = both(
        protected,
        "/chat/account/{chatid}",
        get(routes::agora::chat_account),
    );
    protected = both(
        protected,
        "/api/get_access_token",
        get(routes::zego::access_token),
    );
    protected = both(protected, "/access_token", get(routes::zego::access_token));
    protected = both(protected, "/sxb_dev", post(routes::tencent::auth_priv_map));
    let protected = guarded(protected, &state);
    // ZEGO's easy_server sample answers any origin: outside the CORS allow-list.
    let zego_sample = both(
        Router::new(),
        profile::ZEGO_SAMPLE_PATH,
        get(routes::sample::zego_access_token),
    );
    let zego_sample =
        guarded(zego_sample, &state).layer(axum::middleware::from_fn(routes::sample::any_origin));

    let body_limit = state.config().max_body_bytes;
    open.merge(protected)
        .fallback(routes::ops::not_found)
        .method_not_allowed_fallback(routes::ops::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::bound_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::cors,
        ))
        .merge(zego_sample.layer(DefaultBodyLimit::max(body_limit)))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            profile::no_cache,
        ))
        .with_state(state)
}

/// The router of the reserved connections (see [`serve`]): `/healthz`,
/// `/readyz` and `/metrics`; any other route answers 503 with
/// `Retry-After`.
pub fn reserved_app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(routes::ops::healthz))
        .route("/readyz", get(routes::ops::readyz))
        .route("/metrics", get(routes::ops::metrics))
        .fallback(transport::at_capacity)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .with_state(state)
}
