//! Drop-in for ZEGOCLOUD's sample token servers:
//! `GET /api/get_access_token?userID=&expired_ts=` and
//! `GET /access_token?uid=&expired_ts=` → `{"token"}` (token04).
//!
//! As in the samples, `expired_ts` is the validity in seconds (default 3600),
//! and the token is a plain identity token (empty privilege payload).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use rtc_tokens::{TokenProvider, TokenRequest, Vendor};
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

/// The handler of both ZEGO routes.
pub(crate) async fn access_token(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::from_query(&e))?;
    let provider = super::provider(&state, Vendor::Zego)?;
    let user = ["userID", "uid", "userId", "UserID"]
        .iter()
        .find_map(|k| query.get(*k))
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid("userID: is required"))?;
    let validity = super::compat_validity(
        query.get("expired_ts").map(String::as_str),
        "expired_ts",
        state.config().max_validity_secs,
    )?;
    identity_token(&state, provider, user, validity)
}

/// The samples' answer: `{"token"}`, a plain identity token04 for `user`
/// (empty privilege payload) valid for `validity` seconds.
pub(crate) fn identity_token(
    state: &AppState,
    provider: &Arc<dyn TokenProvider>,
    user: &str,
    validity: u32,
) -> Result<Response, ApiError> {
    let request = TokenRequest {
        user_id: Some(user.to_owned()),
        validity_secs: validity,
        ..TokenRequest::default()
    };
    let issued = super::issue(state, provider, &request)?;
    Ok(super::json(&json!({"token": issued.token})))
}
