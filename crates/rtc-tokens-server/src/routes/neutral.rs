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

fn json_object(body: Result<Bytes, BytesRejection>) -> Result<Map<String, Value>, ApiError> {
    let body = body.map_err(|e| ApiError::from_body(&e))?;
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("request body must be a JSON object")),
        Err(e) => Err(ApiError::invalid(format!("malformed JSON: {e}"))),
    }
}

/// Deserializes `map`, naming the offending field in the error.
fn from_object<T: serde::de::DeserializeOwned>(map: Map<String, Value>) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            ApiError::invalid(format!("invalid request: {inner}"))
        } else {
            ApiError::invalid(format!("{path}: {inner}"))
        }
    })
}

/// `POST /v1/tokens`: the facade's request plus `vendor` → the issued token.
pub(crate) async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let mut map = json_object(body)?;
    let vendor = match map.remove("vendor") {
        None | Some(Value::Null) => None,
        Some(Value::String(v)) => Some(
            v.parse::<Vendor>()
                .map_err(|_| ApiError::invalid("vendor: expected zego, agora or tencent"))?,
        ),
        Some(_) => return Err(ApiError::invalid("vendor: expected zego, agora or tencent")),
    };
    let request: TokenRequest = from_object(map)?;
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
    let provider = state.providers().provider(vendor)?;
    let issued = super::issue(&state, provider, &request)?;
    Ok(super::json(&issued))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrNumber {
    Text(String),
    Number(u64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseBody {
    token: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    uid: Option<TextOrNumber>,
}

/// `POST /v1/tokens/parse`: `{token, channel?, uid?}` → the facade's parsed
/// view, verified with this server's credentials and checked for expiry.
pub(crate) async fn parse(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let map = json_object(body)?;
    let body: ParseBody = from_object(map)?;
    let options = ParseOptions {
        channel: body.channel,
        uid: body.uid.map(|u| match u {
            TextOrNumber::Text(s) => s,
            TextOrNumber::Number(0) => String::new(),
            TextOrNumber::Number(n) => n.to_string(),
        }),
        ..ParseOptions::default()
    };
    let parsed = state.providers().verify(&body.token, &options)?;
    Ok(super::json(&parsed))
}
