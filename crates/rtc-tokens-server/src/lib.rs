//! `rtc-tokens-server`: an HTTP token service for ZEGOCLOUD and Agora on the
//! `rtc-tokens` facade — authenticated, rate-limited, observable, and a
//! drop-in for AgoraIO-Community's agora-token-service and ZEGO's sample
//! token servers.
//!
//! The binary is a thin wrapper: [`config::load`] reads the settings,
//! [`AppState::new`] holds them, [`app`] builds the router and [`serve`] runs
//! it until a shutdown signal, letting in-flight requests finish. Tests start
//! the same router on `127.0.0.1:0`.
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
pub mod config;
pub mod error;
pub mod metrics;
mod middleware;
mod routes;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use rtc_tokens::Providers;
use tokio::net::TcpListener;

pub use config::{
    Auth, CorsPolicy, LoadOptions, RateLimit, ServerConfig, Settings, StartupWarning,
};
pub use error::ApiError;
pub use metrics::Metrics;

use crate::auth::RateLimiter;

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
    metrics: Metrics,
    shutting_down: AtomicBool,
}

impl AppState {
    /// State for `providers` under `config`.
    #[must_use]
    pub fn new(providers: Providers, config: ServerConfig) -> Self {
        let buckets = match &config.auth {
            Auth::ApiKeys(keys) => keys.len(),
            Auth::Disabled => 1,
        };
        let limiter = config
            .rate_limit
            .map(|r| RateLimiter::new(r.per_minute, r.burst, buckets));
        Self {
            inner: Arc::new(Inner {
                providers,
                config,
                limiter,
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

    fn limiter(&self) -> Option<&RateLimiter> {
        self.inner.limiter.as_ref()
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

/// The service's router.
///
/// Open routes: `/healthz`, `/readyz`, `/metrics`, `/ping`. Every other
/// route requires an API key (unless authentication is disabled) and is rate
/// limited per key.
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
    let protected = protected.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::authenticate,
    ));

    let body_limit = state.config().max_body_bytes;
    open.merge(protected)
        .fallback(routes::ops::not_found)
        .method_not_allowed_fallback(routes::ops::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::cors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then stops
/// accepting, lets in-flight requests finish (at most
/// [`ServerConfig::shutdown_timeout`]) and returns.
///
/// # Errors
///
/// `TimedOut` when in-flight requests did not finish in time.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    use axum::serve::ListenerExt;

    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let draining = state.clone();
    let signal = async move {
        shutdown.await;
        draining.begin_shutdown();
        let _ = tx.send(());
    };
    let timeout = state.config().shutdown_timeout;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(listener, app(state)).with_graceful_shutdown(signal);
    let server = std::pin::pin!(server.into_future());
    let deadline = async move {
        if rx.await.is_ok() {
            tokio::time::sleep(timeout).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => result,
        () = deadline => Err(io::Error::new(io::ErrorKind::TimedOut, "in-flight requests did not finish before the shutdown timeout")),
    }
}
