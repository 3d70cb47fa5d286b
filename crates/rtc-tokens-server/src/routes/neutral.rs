//! The vendor-neutral API: `POST /v1/tokens` and `POST /v1/tokens/parse`.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use rtc_tokens::{ParseOptions, TokenRequest, Vendor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::AppState;
use crate::error::ApiError;

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "content-type must be application/json",
        ))
    }
}

/// The JSON keys of `POST /v1/tokens`: `vendor`, the facade's
/// [`TokenRequest`] fields (and the `channel` alias) and those of its
/// `privilege_expiries`. Only these are ever named in an error message.
pub(crate) const TOKEN_REQUEST_KEYS: &[&str] = &[
    "vendor",
    "kind",
    "user_id",
    "uid",
    "room",
    "channel",
    "role",
    "validity_secs",
    "stream_ids",
    "privileges",
    "privilege_expiries",
    "join",
    "publish_audio",
    "publish_video",
    "publish_data",
];

/// The JSON keys of `POST /v1/tokens/parse`.
const PARSE_KEYS: &[&str] = &["token", "channel", "uid"];

fn json_object(
    body: Result<Bytes, BytesRejection>,
    known: &[&str],
) -> Result<Map<String, Value>, ApiError> {
    let body = body.map_err(|e| ApiError::from_body(&e))?;
    crate::json::object(&body, known, false)
}

/// `POST /v1/tokens`: the facade's request plus `vendor` → the issued token.
pub(crate) async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let mut map = json_object(body, TOKEN_REQUEST_KEYS)?;
    let vendor = match map.remove("vendor") {
        None | Some(Value::Null) => None,
        Some(Value::String(v)) => Some(
            v.parse::<Vendor>()
                .map_err(|_| ApiError::invalid("vendor: expected zego, agora or tencent"))?,
        ),
        Some(_) => return Err(ApiError::invalid("vendor: expected zego, agora or tencent")),
    };
    let request: TokenRequest = crate::json::from_object(map)?;
    let max = state.config().max_validity_secs;
    if !(1..=max).contains(&request.validity_secs) {
        return Err(ApiError::invalid(format!(
            "validity_secs: must be between 1 and {max}"
        )));
    }
    if let Some(p) = &request.privilege_expiries {
        let fields = [
            ("join", p.join),
            ("publish_audio", p.publish_audio),
            ("publish_video", p.publish_video),
            ("publish_data", p.publish_data),
        ];
        for (name, v) in fields {
            if v.is_some_and(|v| v == 0 || v > max) {
                return Err(ApiError::invalid(format!(
                    "privilege_expiries.{name}: must be between 1 and {max}"
                )));
            }
        }
    }
    // A vendor named but not served here is 404, as on the vendors' own routes.
    let provider = match vendor {
        Some(v) => super::provider(&state, v)?,
        None => state.providers().provider(None)?,
    };
    let issued = super::issue(&state, provider, &request)?;
    Ok(super::json(&issued))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseBody {
    token: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    uid: Option<Value>,
}

/// The expected uid of `POST /v1/tokens/parse`: a string, or a whole number
/// from 0 to 2³²−1 (0 = any user, the empty string).
fn expected_uid(uid: Option<Value>) -> Result<Option<String>, ApiError> {
    match uid {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(0) => Ok(Some(String::new())),
            Some(n) => Ok(Some(n.to_string())),
            None => Err(ApiError::invalid(
                "uid: expected a whole number from 0 to 4294967295 or a string",
            )),
        },
        Some(_) => Err(ApiError::invalid(
            "uid: expected a whole number from 0 to 4294967295 or a string",
        )),
    }
}

/// `POST /v1/tokens/parse`: `{token, channel?, uid?}` → the facade's parsed
/// view, verified with this server's credentials and checked for expiry.
pub(crate) async fn parse(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let map = json_object(body, PARSE_KEYS)?;
    let body: ParseBody = crate::json::from_object(map)?;
    let options = ParseOptions {
        channel: body.channel,
        uid: expected_uid(body.uid)?,
        ..ParseOptions::default()
    };
    let parsed = state.providers().verify(&body.token, &options)?;
    Ok(super::json(&parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key list is exactly what the facade's `TokenRequest` accepts (as
    /// serde lists it when refusing an unknown field), plus `vendor`,
    /// `channel` (an alias) and the `privilege_expiries` fields.
    #[test]
    fn token_request_keys_match_the_facade() {
        let listed = |value: Value| -> Vec<String> {
            let err = serde_json::from_value::<TokenRequest>(value)
                .unwrap_err()
                .to_string();
            let list = err.split("expected one of ").nth(1).unwrap();
            list.split(", ")
                .map(|s| s.trim_matches('`').to_owned())
                .collect()
        };
        let mut expected = listed(serde_json::json!({"zz": 1}));
        expected.extend(listed(serde_json::json!({"privilege_expiries": {"zz": 1}})));
        expected.push("vendor".to_owned());
        expected.sort();
        let mut ours: Vec<String> = TOKEN_REQUEST_KEYS.iter().map(|s| (*s).to_owned()).collect();
        ours.sort();
        assert_eq!(ours, expected);
    }
}
