//! The vendors' own sample token servers, as routes:
//!
//! - `POST /token/generate` (Agora's sample token image): `{channelName,
//!   uid, tokenExpireTs, privilegeExpireTs, serviceRtc{enable,role},
//!   serviceRtm{enable}, serviceFpa{enable}, serviceChat{enable},
//!   serviceApaas{enable,roomUuid,role}}` → `{code, message, data:{token}}`,
//!   one 007 token holding every enabled service. `tokenExpireTs` and
//!   `privilegeExpireTs` are validities in seconds (default 3600; a
//!   privilege never outlasts the token); RTC role 1 is a publisher (join
//!   and publish audio, video, data), 2 a subscriber (join). Credentials in
//!   the body (`appId`, `appCertificate`) are refused: this server signs
//!   with its own.
//! - `GET /api/access_token?userID&roomID&userName&expired_ts` (ZEGO's
//!   easy_server sample): `{token}`, a token04 identity token for `userID`
//!   valid `expired_ts` seconds (default 3600); `roomID` is required but, as
//!   in the sample, not put in the token; `userName` is ignored. Answered
//!   with `Access-Control-Allow-Origin: *` and the sample's cache headers.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rtc_tokens::agora_dynamic_key::access_token2::{
    ApaasPrivilege, ChatPrivilege, FpaPrivilege, RtcPrivilege, RtmPrivilege, Service, ServiceApaas,
    ServiceChat, ServiceFpa, ServiceRtc, ServiceRtm,
};
use rtc_tokens::{TokenKind, Vendor};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::error::ApiError;

/// `POST /token/generate` → `{"code":0,"message":"success","data":{"token"}}`;
/// errors `{"code":<status>,"message":…,"data":null}` with that status.
pub(crate) async fn token_generate(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match generate(&state, body) {
        Ok(token) => super::json(&json!({
            "code": 0,
            "message": "success",
            "data": {"token": token},
        })),
        Err(e) => {
            let status = e.status();
            let mut r = (
                status,
                super::json_bytes(&json!({
                    "code": status.as_u16(),
                    "message": e.message(),
                    "data": Value::Null,
                })),
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Some(retry) = e.retry_after() {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry));
            }
            r
        }
    }
}

fn generate(state: &AppState, body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let body = body.map_err(|e| ApiError::from_body(&e))?;
    let map = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(ApiError::invalid("request body must be a JSON object")),
    };
    for key in ["appId", "appCertificate"] {
        if map.contains_key(key) {
            return Err(ApiError::invalid(format!(
                "{key}: credentials are never taken from a request; this server signs with its own"
            )));
        }
    }
    let keys = crate::profile::agora_keys(state)?;
    let secs = |name: &str| -> Result<Option<u32>, ApiError> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(|v| Some(u32::try_from(v).unwrap_or(u32::MAX)).filter(|v| *v > 0))
                .ok_or_else(|| {
                    ApiError::invalid(format!("{name}: expected a whole number of seconds"))
                }),
            Some(_) => Err(ApiError::invalid(format!(
                "{name}: expected a whole number of seconds"
            ))),
        }
    };
    let token_secs = secs("tokenExpireTs")?.unwrap_or(super::COMPAT_DEFAULT_VALIDITY);
    let privilege_secs = secs("privilegeExpireTs")?.unwrap_or(token_secs);
    let service = |name: &str| -> Result<Option<&Map<String, Value>>, ApiError> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(s)) => match s.get("enable") {
                Some(Value::Bool(true)) => Ok(Some(s)),
                None | Some(Value::Bool(false)) => Ok(None),
                Some(_) => Err(ApiError::invalid(format!(
                    "{name}.enable: expected true or false"
                ))),
            },
            Some(_) => Err(ApiError::invalid(format!("{name}: expected an object"))),
        }
    };
    let uid = match map.get("uid") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| ApiError::invalid("uid: expected a number from 0 to 4294967295"))?
                .to_string(),
        ),
        Some(_) => return Err(ApiError::invalid("uid: expected a string or a number")),
    };
    let user = || {
        uid.clone()
            .ok_or_else(|| ApiError::invalid("uid: is required"))
    };
    let channel = match map.get("channelName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.is_empty()),
        Some(_) => return Err(ApiError::invalid("channelName: expected a string")),
    };

    let rtc = service("serviceRtc")?;
    let rtm = service("serviceRtm")?;
    let fpa = service("serviceFpa")?;
    let chat = service("serviceChat")?;
    let apaas = service("serviceApaas")?;
    let admin = fpa.is_some() || apaas.is_some();
    let validity = crate::public::restrict_custom(state, channel.as_deref(), token_secs, admin)?;
    let validity = crate::profile::capped(state, validity);
    let v = privilege_secs.min(validity);

    let mut services: Vec<Service> = Vec::new();
    if let Some(s) = rtc {
        let channel = channel
            .as_deref()
            .ok_or_else(|| ApiError::invalid("channelName: is required for serviceRtc"))?;
        let user = user()?;
        let publisher = match s.get("role") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) if n.as_u64() == Some(1) => true,
            Some(Value::Number(n)) if n.as_u64() == Some(2) => false,
            Some(_) => {
                return Err(ApiError::invalid(
                    "serviceRtc.role: expected 1 (publisher) or 2 (subscriber)",
                ));
            }
        };
        let mut service = match user.parse::<u32>() {
            Ok(n) if user.bytes().all(|b| b.is_ascii_digit()) => ServiceRtc::with_uid(channel, n),
            _ => ServiceRtc::new(channel, user.as_str()),
        };
        service.add_privilege(RtcPrivilege::JoinChannel, v);
        if publisher {
            service.add_privilege(RtcPrivilege::PublishAudioStream, v);
            service.add_privilege(RtcPrivilege::PublishVideoStream, v);
            service.add_privilege(RtcPrivilege::PublishDataStream, v);
        }
        services.push(service.into());
    }
    if rtm.is_some() {
        services.push(
            ServiceRtm::new(user()?)
                .with_privilege(RtmPrivilege::Login, v)
                .into(),
        );
    }
    if fpa.is_some() {
        // As Agora's FpaTokenBuilder: login with no expiry of its own.
        services.push(
            ServiceFpa::new()
                .with_privilege(FpaPrivilege::Login, 0)
                .into(),
        );
    }
    if chat.is_some() {
        services.push(
            ServiceChat::new(user()?)
                .with_privilege(ChatPrivilege::User, v)
                .into(),
        );
    }
    if let Some(s) = apaas {
        let room = match s.get("roomUuid") {
            None | Some(Value::Null) => None,
            Some(Value::String(r)) => Some(r.clone()).filter(|r| !r.is_empty()),
            Some(_) => {
                return Err(ApiError::invalid(
                    "serviceApaas.roomUuid: expected a string",
                ));
            }
        };
        let service = match room {
            Some(room) => {
                let role = match s.get("role") {
                    None | Some(Value::Null) => -1,
                    Some(Value::Number(n)) => n
                        .as_i64()
                        .and_then(|r| i16::try_from(r).ok())
                        .ok_or_else(|| {
                            ApiError::invalid("serviceApaas.role: expected a small integer")
                        })?,
                    Some(_) => {
                        return Err(ApiError::invalid(
                            "serviceApaas.role: expected a small integer",
                        ));
                    }
                };
                ServiceApaas::new(room, user()?)
                    .with_role(role)
                    .with_privilege(ApaasPrivilege::RoomUser, v)
            }
            None => ServiceApaas::new("", user()?).with_privilege(ApaasPrivilege::User, v),
        };
        services.push(service.into());
    }
    if services.is_empty() {
        return Err(ApiError::invalid(
            "no service enabled: set serviceRtc, serviceRtm, serviceFpa, serviceChat or serviceApaas {\"enable\": true}",
        ));
    }
    let kind = if rtc.is_some() && rtm.is_some() {
        TokenKind::RtcRtm
    } else if rtc.is_some() {
        TokenKind::Rtc
    } else if rtm.is_some() {
        TokenKind::Rtm
    } else {
        TokenKind::Chat
    };
    let token = crate::profile::multi_service(state, keys, validity, services)?;
    state.metrics().record_token(Vendor::Agora, kind);
    Ok(token)
}

/// `GET /api/access_token?userID&roomID&userName&expired_ts` → `{"token"}`.
pub(crate) async fn zego_access_token(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::from_query(&e))?;
    let provider = super::provider(&state, Vendor::Zego)?;
    let field = |name: &str| query.get(name).map(|s| s.trim()).filter(|s| !s.is_empty());
    let user = field("userID").ok_or_else(|| ApiError::invalid("userID: is required"))?;
    let room = field("roomID").ok_or_else(|| ApiError::invalid("roomID: is required"))?;
    let validity = super::compat_validity(
        field("expired_ts"),
        "expired_ts",
        state.config().max_validity_secs,
    )?;
    // Public mode checks the room even though the sample's token names none.
    crate::public::restrict_custom(&state, Some(room), validity, false)?;
    super::zego::identity_token(&state, provider, user, validity)
}

/// CORS for ZEGO's sample route, as the sample's: any origin.
pub(crate) async fn any_origin(request: Request, next: Next) -> Response {
    let mut response = if crate::middleware::is_preflight(&request) {
        crate::middleware::preflight("GET, OPTIONS")
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}
