//! Health, readiness, metrics, and the JSON 404/405 answers.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

/// `GET /healthz`: the process is up.
pub(crate) async fn healthz() -> Response {
    super::json(&json!({"status": "ok"}))
}

/// `GET /readyz`: 200 while serving, 503 once draining for shutdown.
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    let vendors = state.providers().vendors();
    if state.is_shutting_down() || vendors.is_empty() {
        let mut r = super::json(&json!({"status": "draining"}));
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return r;
    }
    super::json(&json!({"status": "ready", "vendors": vendors}))
}

/// `GET /metrics`: Prometheus text format.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let mut r = state.metrics().render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// Any unknown path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// A known path with the wrong method.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this route",
    )
}
