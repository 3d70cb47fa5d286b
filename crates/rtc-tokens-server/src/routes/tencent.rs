//! Drop-in for the signing service Tencent's TRTC demos log in to:
//! `POST /sxb_dev/?svc=account&cmd=authPrivMap` with
//! `{"identifier", "appid", "roomnum", "privMap", "pwd"}` →
//! `{"errorCode": 0, "errorInfo": "", "data": {"userSig", "privMapEncrypt"}}`.
//!
//! Tencent's demos (`tencentyun/TRTCSDK`: the Windows `TRTCGetUserIDAndUserSig`,
//! the iOS and web demos) post that JSON to Tencent's own demo CGI
//! (`https://www.qcloudtrtc.com/sxb_dev/?svc=account&cmd=authPrivMap`) and
//! read the UserSig and the room's privilege key back; the CGI's source is not
//! published, only this contract. Here `userSig` is a UserSig and
//! `privMapEncrypt` a PrivateMapKey for room `roomnum` with the `privMap` bits
//! (default 255), both from the facade's Tencent provider. `pwd` (the demo's
//! password) and `accounttype` (TLS sig v1) are accepted and ignored: this
//! route is authenticated like every other, by API key. `appid`, when given,
//! must be this server's SDKAppID. `expire_time` is the validity in seconds
//! (default 3600, capped at the server's maximum). Errors are the server's
//! usual JSON errors with an HTTP status, not `errorCode` bodies.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::Response;
use rtc_tokens::{TencentProvider, TokenRequest, Vendor};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

/// The demo CGI's request body.
#[derive(Deserialize)]
struct AuthPrivMap {
    identifier: String,
    #[serde(default)]
    appid: Option<u64>,
    #[serde(default)]
    roomnum: Option<u32>,
    #[serde(default, rename = "privMap")]
    priv_map: Option<u32>,
    #[serde(default)]
    expire_time: Option<u64>,
    // Accepted for the demos' sake, and ignored.
    #[serde(default)]
    #[allow(dead_code, reason = "the demos send it; authentication is by API key")]
    pwd: Option<serde_json::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "TLS sig v1's account type; v2 has none")]
    accounttype: Option<serde_json::Value>,
}

/// `POST /sxb_dev/?svc=account&cmd=authPrivMap`.
pub(crate) async fn auth_priv_map(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::from_query(&e))?;
    let wanted = |k: &str, v: &str| query.get(k).is_some_and(|q| q.eq_ignore_ascii_case(v));
    if !(wanted("svc", "account") && wanted("cmd", "authPrivMap")) {
        return Err(ApiError::not_found(
            "this route serves svc=account&cmd=authPrivMap only",
        ));
    }
    let body = body.map_err(|e| ApiError::from_body(&e))?;
    let req: AuthPrivMap = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid(format!("invalid request: {e}")))?;
    let provider = super::provider(&state, Vendor::Tencent)?;
    if let Some(appid) = req.appid
        && appid.to_string() != provider.app_id()
    {
        return Err(ApiError::invalid(
            "appid: not the SDKAppID this server signs for",
        ));
    }
    let expire = req.expire_time.map(|t| t.to_string());
    let validity = super::compat_validity(
        expire.as_deref(),
        "expire_time",
        state.config().max_validity_secs,
    )?;
    let user = TokenRequest {
        user_id: Some(req.identifier),
        validity_secs: validity,
        ..TokenRequest::default()
    };
    let user_sig = super::issue(&state, provider, &user)?.token;
    let priv_map_encrypt = match req.roomnum {
        Some(0 | u32::MAX) => {
            return Err(ApiError::invalid(
                "roomnum: expected a numeric room from 1 to 4294967294",
            ));
        }
        Some(room) => {
            let privileges = TencentProvider::privileges_of_map(req.priv_map.unwrap_or(255))
                .map_err(|e| ApiError::invalid(format!("privMap: {}", e.message())))?;
            let key = TokenRequest {
                room: Some(room.to_string()),
                privileges: Some(privileges),
                ..user
            };
            Some(super::issue(&state, provider, &key)?.token)
        }
        None => None,
    };
    let mut data = json!({ "userSig": user_sig });
    if let (Some(key), Some(map)) = (priv_map_encrypt, data.as_object_mut()) {
        map.insert("privMapEncrypt".to_owned(), key.into());
    }
    Ok(super::json(&json!({
        "errorCode": 0,
        "errorInfo": "",
        "data": data,
    })))
}
