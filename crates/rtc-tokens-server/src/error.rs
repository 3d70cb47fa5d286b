//! The one JSON error shape every route answers with.

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered as `{"error": "<category>", "message": "..."}`.
///
/// The message never contains a secret, an API key or token bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    category: &'static str,
    message: String,
    retry_after_secs: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
}

impl ApiError {
    /// An error with an explicit status and category.
    #[must_use]
    pub fn new(status: StatusCode, category: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            category,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// 400 `invalid_input`, the message naming the bad field.
    #[must_use]
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_input", message)
    }

    /// 401 `unauthorized`.
    #[must_use]
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403 `forbidden`.
    #[must_use]
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 `not_found`.
    #[must_use]
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 429 `rate_limited` with a `Retry-After` of `retry_after_secs`.
    #[must_use]
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::rate_limited_for("this api key", retry_after_secs)
    }

    /// 429 `rate_limited` for `whom` (`"this api key"`, `"this client
    /// address"`...) with a `Retry-After` of `retry_after_secs`.
    #[must_use]
    pub fn rate_limited_for(whom: &str, retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests for {whom}: retry in {retry_after_secs} s"),
            )
        }
    }

    /// 503 `unavailable` with a `Retry-After` of `retry_after_secs`.
    #[must_use]
    pub fn unavailable(message: impl Into<String>, retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
        }
    }

    /// 413 `payload_too_large`.
    #[must_use]
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "request body is larger than the server's limit",
        )
    }

    /// 408 `request_timeout`: the body did not arrive in time.
    #[must_use]
    pub fn body_timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "request body did not arrive within the server's body timeout",
        )
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The category (`invalid_input`, `unauthorized`, ...).
    #[must_use]
    pub fn category(&self) -> &'static str {
        self.category
    }

    /// The message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `Retry-After` seconds of a 429.
    #[must_use]
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after_secs
    }

    /// Maps a body extraction failure: 413 when over the size limit, 408
    /// when the body timeout passed, else 400.
    #[must_use]
    pub fn from_body(rejection: &BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::payload_too_large();
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
        while let Some(e) = source {
            if e.is::<tower_http::timeout::TimeoutError>() {
                return Self::body_timeout();
            }
            source = e.source();
        }
        Self::invalid("request body could not be read")
    }

    /// Maps a path parameter failure (bad percent-encoding) to 400, without
    /// repeating the parameter.
    #[must_use]
    pub fn from_path(_rejection: &PathRejection) -> Self {
        Self::invalid("invalid path parameter: expected percent-encoded UTF-8")
    }

    /// Maps a query string failure to 400, without repeating the query.
    #[must_use]
    pub fn from_query(_rejection: &QueryRejection) -> Self {
        Self::invalid(
            "invalid query string: expected percent-encoded UTF-8 name=value pairs, each name at most once",
        )
    }
}

impl From<rtc_tokens::Error> for ApiError {
    /// Facade errors are the caller's fault (bad request or bad token): 400
    /// with the facade's category (`invalid_input`, `signature`, `expired`...),
    /// except `mismatch` (an authentic token for another app, room or user:
    /// 403, fetch a token for the right one) and `internal` (the OS random
    /// number generator failed): 500.
    fn from(e: rtc_tokens::Error) -> Self {
        let status = match e.kind() {
            rtc_tokens::ErrorKind::Mismatch => StatusCode::FORBIDDEN,
            rtc_tokens::ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        Self::new(status, e.kind().as_str(), e.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.category,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&Body {
            error: self.category,
            message: &self.message,
        })
        .unwrap_or_else(|_| b"{\"error\":\"internal\",\"message\":\"\"}".to_vec());
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(secs) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facade_kinds_map_to_statuses_a_client_can_act_on() {
        let status = |kind| ApiError::from(rtc_tokens::Error::new(kind, None, "x")).status;
        use rtc_tokens::ErrorKind as K;
        assert_eq!(status(K::Mismatch), StatusCode::FORBIDDEN);
        assert_eq!(status(K::Internal), StatusCode::INTERNAL_SERVER_ERROR);
        for kind in [
            K::InvalidInput,
            K::Malformed,
            K::Version,
            K::Signature,
            K::Decrypt,
            K::Expired,
        ] {
            assert_eq!(status(kind), StatusCode::BAD_REQUEST, "{kind}");
        }
    }
}
