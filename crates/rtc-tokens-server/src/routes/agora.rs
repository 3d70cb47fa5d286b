//! Drop-in for AgoraIO-Community/agora-token-service: the same paths,
//! parameters and JSON keys, with the Agora provider configured here.
//!
//! The strict profile refuses what the original silently reinterprets; the
//! `agora-token-service` profile ([`Profile::AgoraTokenService`]) reproduces
//! it: exact `publisher` is a publisher and anything else a subscriber, an
//! empty uid is uid 0, `expiry=0` is the default hour, an RTM token for a
//! channel also carries an RTC service (join and publish-data) for it as
//! go-tokenbuilder's `BuildToken` with a stream name does, and errors take
//! the original's shapes ([`crate::profile`]).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use rtc_tokens::{Role, TokenKind, TokenRequest, Vendor};
use serde_json::{Value, json};

use crate::AppState;
use crate::config::Profile;
use crate::error::ApiError;
use crate::profile::{Made, agora_error, text_error};
use rtc_tokens::TokenProvider;
use rtc_tokens::agora_dynamic_key::access_token2::{
    RtcPrivilege, RtmPrivilege, ServiceRtc, ServiceRtm,
};

type Params = Result<Path<HashMap<String, String>>, PathRejection>;
type QueryParams = Result<Query<ExpiryQuery>, QueryRejection>;

/// `GET /ping` → `{"message":"pong"}` (open, like the original).
pub(crate) async fn ping() -> Response {
    super::json(&json!({"message": "pong"}))
}

fn path(params: Params) -> Result<HashMap<String, String>, ApiError> {
    params.map(|Path(p)| p).map_err(|e| ApiError::from_path(&e))
}

fn expiry(state: &AppState, query: QueryParams) -> Result<u32, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::from_query(&e))?;
    super::validity_param(
        query.expiry.as_deref(),
        "expiry",
        state.config().max_validity_secs,
        compat(state),
    )
}

/// Whether the agora-token-service profile is on.
fn compat(state: &AppState) -> bool {
    state.config().profile == Profile::AgoraTokenService
}

/// An RTM token for `user`; with a stream `channel` under the
/// agora-token-service profile (and 007), also an RTC service for the
/// channel with join and publish-data, as go-tokenbuilder's `BuildToken`.
fn rtm_token(
    state: &AppState,
    provider: &std::sync::Arc<dyn TokenProvider>,
    user: &str,
    channel: Option<&str>,
    validity: u32,
) -> Result<String, ApiError> {
    let stream = channel.filter(|c| !c.is_empty() && compat(state));
    // The keys are set only when the server issues 007 (006 has no services).
    let (Some(channel), Some(keys)) = (stream, state.config().agora_keys.as_ref()) else {
        return Ok(super::issue(state, provider, &rtm_request(user, validity))?.token);
    };
    let v = crate::public::restrict_custom(state, Some(channel), validity, false)?;
    let v = crate::profile::capped(state, v);
    let rtc = ServiceRtc::new(channel, user)
        .with_privilege(RtcPrivilege::JoinChannel, v)
        .with_privilege(RtcPrivilege::PublishDataStream, v);
    let rtm = ServiceRtm::new(user).with_privilege(RtmPrivilege::Login, v);
    let token = crate::profile::multi_service(state, keys, v, vec![rtc.into(), rtm.into()])?;
    state
        .metrics()
        .record_token(Vendor::Agora, TokenKind::RtcRtm);
    Ok(token)
}

/// The compatibility routes' query string: only `expiry` is read.
#[derive(serde::Deserialize)]
pub(crate) struct ExpiryQuery {
    expiry: Option<String>,
}

/// The path parameter `name`, unless absent or empty.
fn optional<'a>(p: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    p.get(name).map(String::as_str).filter(|s| !s.is_empty())
}

fn param<'a>(p: &'a HashMap<String, String>, name: &str) -> Result<&'a str, ApiError> {
    optional(p, name).ok_or_else(|| ApiError::invalid(format!("{name}: is required")))
}

/// The RTM user of a compatibility route: the `rtmuid` path parameter or,
/// without one, `rtc_uid` when given and not 0. Never `0`, which the
/// original service refuses as an RTM user.
fn rtm_user<'a>(
    p: &'a HashMap<String, String>,
    rtc_uid: Option<&'a str>,
) -> Result<&'a str, ApiError> {
    let user = match (optional(p, "rtmuid"), rtc_uid) {
        (Some(user), _) => user,
        (None, Some(rtc_uid)) if rtc_uid != "0" => rtc_uid,
        (None, Some(_)) => return Err(ApiError::invalid("rtmuid: is required when rtcuid is 0")),
        (None, None) => return Err(ApiError::invalid("rtmuid: is required")),
    };
    if user == "0" {
        return Err(ApiError::invalid("rtmuid: must not be 0"));
    }
    Ok(user)
}

fn role(state: &AppState, value: &str) -> Result<Role, ApiError> {
    if compat(state) {
        // The original: exactly `publisher` publishes, anything else subscribes.
        return Ok(if value == "publisher" {
            Role::Publisher
        } else {
            Role::Subscriber
        });
    }
    value
        .parse()
        .map_err(|_| ApiError::invalid("role: expected publisher or subscriber"))
}

/// An RTC request for `channel` and user `id`, read as `token_type`
/// (`uid`: a number, 0 = any user; `userAccount`: a string account).
fn rtc_request(
    channel: &str,
    role: Role,
    token_type: &str,
    id: &str,
    validity: u32,
    id_name: &str,
) -> Result<TokenRequest, ApiError> {
    let mut request = TokenRequest {
        room: Some(channel.to_owned()),
        role,
        validity_secs: validity,
        ..TokenRequest::default()
    };
    if token_type == "uid" {
        let uid = parse_uid(id).ok_or_else(|| {
            ApiError::invalid(format!(
                "{id_name}: expected a number from 0 to 4294967295 for tokenType uid"
            ))
        })?;
        request.uid = Some(uid);
    } else if token_type.eq_ignore_ascii_case("userAccount") {
        request.user_id = Some(id.to_owned());
    } else {
        return Err(ApiError::invalid("tokenType: expected uid or userAccount"));
    }
    Ok(request)
}

fn rtm_request(user: &str, validity: u32) -> TokenRequest {
    TokenRequest {
        kind: TokenKind::Rtm,
        user_id: Some(user.to_owned()),
        validity_secs: validity,
        ..TokenRequest::default()
    }
}

fn chat_request(user: Option<&str>, validity: u32) -> TokenRequest {
    TokenRequest {
        kind: if user.is_some() {
            TokenKind::Chat
        } else {
            TokenKind::ChatApp
        },
        user_id: user.map(str::to_owned),
        validity_secs: validity,
        ..TokenRequest::default()
    }
}

/// What a GET route answers: `route`'s response, or its error in the
/// original's shape for `made` under the configured profile.
fn answer(
    state: &AppState,
    made: Made,
    route: impl FnOnce() -> Result<Response, ApiError>,
) -> Response {
    route().unwrap_or_else(|e| agora_error(state.config().profile, made, e))
}

/// `GET /rtc/{channelName}/{role}/{tokenType}/{rtcuid}/?expiry=` → `{"rtcToken"}`.
pub(crate) async fn rtc(
    State(state): State<AppState>,
    params: Result<Path<(String, String, String, String)>, PathRejection>,
    query: QueryParams,
) -> Response {
    // The hot route: a tuple extractor and a borrowed response avoid map allocations.
    answer(&state, Made::Rtc, || {
        let Path((channel, role_name, token_type, uid)) =
            params.map_err(|e| ApiError::from_path(&e))?;
        rtc_for(&state, &channel, &role_name, &token_type, &uid, query)
    })
}

/// `GET /rtc/{channelName}/{role}/{tokenType}//`: an empty uid, which the
/// original reads as uid 0 (the agora-token-service profile); 400 otherwise.
pub(crate) async fn rtc_empty_uid(
    State(state): State<AppState>,
    params: Result<Path<(String, String, String)>, PathRejection>,
    query: QueryParams,
) -> Response {
    answer(&state, Made::Rtc, || {
        let Path((channel, role_name, token_type)) = params.map_err(|e| ApiError::from_path(&e))?;
        if !compat(&state) {
            // The strict profile's own shape (`agora_error` keeps it there).
            return Err(ApiError::invalid("rtcuid: is required"));
        }
        rtc_for(&state, &channel, &role_name, &token_type, "0", query)
    })
}

fn rtc_for(
    state: &AppState,
    channel: &str,
    role_name: &str,
    token_type: &str,
    uid: &str,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let provider = super::provider(state, Vendor::Agora)?;
    let validity = expiry(state, query)?;
    let request = rtc_request(
        channel,
        role(state, role_name)?,
        token_type,
        uid,
        validity,
        "rtcuid",
    )?;
    let issued = super::issue(state, provider, &request)?;
    Ok(super::json(&RtcToken {
        rtc_token: &issued.token,
    }))
}

#[derive(serde::Serialize)]
struct RtcToken<'a> {
    #[serde(rename = "rtcToken")]
    rtc_token: &'a str,
}

/// `GET /rtm/{rtmuid}/?expiry=` → `{"rtmToken"}`.
pub(crate) async fn rtm(
    State(state): State<AppState>,
    params: Params,
    query: QueryParams,
) -> Response {
    answer(&state, Made::Rtm, || {
        let p = path(params)?;
        let provider = super::provider(&state, Vendor::Agora)?;
        let validity = expiry(&state, query)?;
        let user = rtm_user(&p, None)?;
        let issued = super::issue(&state, provider, &rtm_request(user, validity))?;
        Ok(super::json(&json!({"rtmToken": issued.token})))
    })
}

/// `GET /rte/{channelName}/{role}/{tokenType}/{rtcuid}/[{rtmuid}/]?expiry=`
/// → `{"rtcToken", "rtmToken"}`; the RTM user defaults to `rtcuid` unless it is 0.
pub(crate) async fn rte(
    State(state): State<AppState>,
    params: Params,
    query: QueryParams,
) -> Response {
    answer(&state, Made::RtcRtm, || {
        let p = path(params)?;
        let provider = super::provider(&state, Vendor::Agora)?;
        let validity = expiry(&state, query)?;
        // `/rte/ch/role/uid//rtmuid/`: the original reads the empty uid as 0.
        let rtc_uid = match optional(&p, "rtcuid") {
            None if compat(&state) => "0",
            _ => param(&p, "rtcuid")?,
        };
        let rtm_uid = rtm_user(&p, Some(rtc_uid))?;
        let channel = param(&p, "channelName")?;
        let rtc_request = rtc_request(
            channel,
            role(&state, param(&p, "role")?)?,
            param(&p, "tokenType")?,
            rtc_uid,
            validity,
            "rtcuid",
        )?;
        let rtc = super::issue(&state, provider, &rtc_request)?;
        let rtm = rtm_token(&state, provider, rtm_uid, Some(channel), validity)?;
        Ok(super::json(
            &json!({"rtcToken": rtc.token, "rtmToken": rtm}),
        ))
    })
}

/// `GET /chat/app/?expiry=` → `{"chatToken"}` (an app/administrator token).
pub(crate) async fn chat_app(State(state): State<AppState>, query: QueryParams) -> Response {
    answer(&state, Made::Chat, || {
        let provider = super::provider(&state, Vendor::Agora)?;
        let validity = expiry(&state, query)?;
        let issued = super::issue(&state, provider, &chat_request(None, validity))?;
        Ok(super::json(&json!({"chatToken": issued.token})))
    })
}

/// `GET /chat/account/{chatid}/?expiry=` → `{"chatToken"}` (a user token).
pub(crate) async fn chat_account(
    State(state): State<AppState>,
    params: Params,
    query: QueryParams,
) -> Response {
    answer(&state, Made::Chat, || {
        let p = path(params)?;
        let provider = super::provider(&state, Vendor::Agora)?;
        let validity = expiry(&state, query)?;
        let user = param(&p, "chatid")?;
        let issued = super::issue(&state, provider, &chat_request(Some(user), validity))?;
        Ok(super::json(&json!({"chatToken": issued.token})))
    })
}

/// A numeric uid as text: ASCII digits only (no sign, no spaces), at most
/// 2³²−1.
fn parse_uid(id: &str) -> Option<u32> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// The keys `/getToken` reads (matched without case).
const GET_TOKEN_KEYS: &[&str] = &["tokenType", "channel", "role", "uid", "expire"];

/// A JSON number given as a uid: a whole number from 0 to 2³²−1, as text;
/// anything else (`-7`, `1.5`, `1e3`, 2⁶⁴) is refused, never turned into an
/// account name.
fn json_uid(n: &serde_json::Number) -> Result<String, ApiError> {
    n.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .map(|n| n.to_string())
        .ok_or_else(|| {
            ApiError::invalid("uid: expected a whole number from 0 to 4294967295 or a string")
        })
}

/// `POST /getToken` with `{tokenType, channel?, role?, uid?, expire?}` → `{"token"}`.
///
/// As the original: keys are matched case-insensitively and unknown keys
/// ignored; no content type is required; `expire` 0 or absent means 3600;
/// a missing role means subscriber; an all-digit `uid` is a numeric uid,
/// anything else an account; `chat` without `uid` is an app token.
pub(crate) async fn get_token(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let profile = state.config().profile;
    get_token_inner(state, body)
        .await
        .map_err(|e| text_error(profile, e))
}

async fn get_token_inner(
    state: AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| ApiError::from_body(&e))?;
    let map = crate::json::object(&body, GET_TOKEN_KEYS, true)?;
    let field = |name: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let text = |name: &'static str| -> Result<Option<String>, ApiError> {
        match field(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) if name == "uid" => json_uid(n).map(Some),
            Some(_) => Err(ApiError::invalid(format!("{name}: expected a string"))),
        }
    };
    let max = state.config().max_validity_secs;
    let validity = match field("expire") {
        None | Some(Value::Null) => super::COMPAT_DEFAULT_VALIDITY.min(max),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => super::COMPAT_DEFAULT_VALIDITY.min(max),
            Some(secs) => u32::try_from(secs).unwrap_or(u32::MAX).min(max),
            None => {
                return Err(ApiError::invalid(
                    "expire: expected a whole number of seconds",
                ));
            }
        },
        Some(_) => {
            return Err(ApiError::invalid(
                "expire: expected a whole number of seconds",
            ));
        }
    };
    let token_type = text("tokenType")?;
    let provider = super::provider(&state, Vendor::Agora)?;
    let request = match token_type.as_deref() {
        Some("rtc") => {
            let channel =
                text("channel")?.ok_or_else(|| ApiError::invalid("channel: is required"))?;
            let uid = text("uid")?.ok_or_else(|| ApiError::invalid("uid: is required"))?;
            let role = match text("role")? {
                Some(r) => role(&state, &r)?,
                None => Role::Subscriber,
            };
            let numeric = uid.bytes().all(|b| b.is_ascii_digit());
            rtc_request(
                &channel,
                role,
                if numeric { "uid" } else { "userAccount" },
                &uid,
                validity,
                "uid",
            )?
        }
        Some("rtm") => {
            let uid = text("uid")?.ok_or_else(|| ApiError::invalid("uid: is required"))?;
            let channel = text("channel")?;
            let token = rtm_token(&state, provider, &uid, channel.as_deref(), validity)?;
            return Ok(super::json(&json!({"token": token})));
        }
        Some("chat") => chat_request(text("uid")?.as_deref(), validity),
        _ if compat(&state) => return Err(ApiError::invalid("Unsupported tokenType")),
        _ => return Err(ApiError::invalid("tokenType: expected rtc, rtm or chat")),
    };
    let issued = super::issue(&state, provider, &request)?;
    Ok(super::json(&json!({"token": issued.token})))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rtm(rtmuid: Option<&str>, rtc_uid: Option<&str>) -> Result<String, ApiError> {
        let p: HashMap<String, String> = rtmuid
            .map(|u| ("rtmuid".to_owned(), u.to_owned()))
            .into_iter()
            .collect();
        rtm_user(&p, rtc_uid).map(str::to_owned)
    }

    #[test]
    fn uids_are_digits_up_to_2_pow_32_minus_1() {
        assert_eq!(parse_uid("0"), Some(0));
        assert_eq!(parse_uid("007"), Some(7));
        assert_eq!(parse_uid("4294967295"), Some(u32::MAX));
        for bad in [
            "",
            "+5",
            "-7",
            " 5",
            "1.5",
            "1e3",
            "4294967296",
            "18446744073709551616",
        ] {
            assert_eq!(parse_uid(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_rtm_user_is_given_or_the_rtc_uid_and_never_0() {
        assert_eq!(rtm(Some("ann"), None), Ok("ann".to_owned()));
        assert_eq!(rtm(Some("ann"), Some("7")), Ok("ann".to_owned()));
        assert_eq!(rtm(Some(""), Some("7")), Ok("7".to_owned()));
        assert_eq!(rtm(None, Some("7")), Ok("7".to_owned()));
        for (rtmuid, rtc_uid, message) in [
            (None, None, "rtmuid: is required"),
            (Some(""), None, "rtmuid: is required"),
            (None, Some("0"), "rtmuid: is required when rtcuid is 0"),
            (Some("0"), None, "rtmuid: must not be 0"),
            (Some("0"), Some("7"), "rtmuid: must not be 0"),
        ] {
            assert_eq!(rtm(rtmuid, rtc_uid), Err(ApiError::invalid(message)));
        }
    }
}
