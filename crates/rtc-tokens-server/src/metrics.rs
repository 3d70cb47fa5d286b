//! Prometheus metrics on sharded atomic counters.
//!
//! Every counter lives in one of [`SHARDS`] cache-line-aligned shards; a
//! worker thread always writes to its own shard, so the hot path is a few
//! uncontended relaxed atomic additions. A scrape sums the shards.
//!
//! Labelled counters are exported once they have counted something: the
//! label sets are the product of every route, status, vendor and kind, and
//! most combinations can never happen (a ZEGO chat token, a 405 on a GET-only
//! route), so listing them at 0 would only mislead.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rtc_tokens::policy::Denial;
use rtc_tokens::{TokenKind, Vendor};

use crate::jwt::Rejection;

/// The route templates requests are counted by (never the raw path, which
/// holds user ids). Trailing-slash variants count as the same route.
pub const ROUTES: &[&str] = &[
    "/v1/tokens",
    "/v1/tokens/parse",
    "/ping",
    "/getToken",
    "/rtc/{channelName}/{role}/{tokenType}/{rtcuid}",
    "/rtm/{rtmuid}",
    "/rte/{channelName}/{role}/{tokenType}/{rtcuid}",
    "/rte/{channelName}/{role}/{tokenType}/{rtcuid}/{rtmuid}",
    "/chat/app",
    "/chat/account/{chatid}",
    "/api/get_access_token",
    "/access_token",
    "/sxb_dev",
    "/healthz",
    "/readyz",
    "/metrics",
    "unmatched",
];

const UNMATCHED: usize = ROUTES.len() - 1;

const STATUSES: &[u16] = &[
    200, 204, 400, 401, 403, 404, 405, 408, 413, 415, 429, 500, 503, 0,
];

const VENDORS: &[Vendor] = <Vendor as rtc_tokens::Named>::ALL;

const KINDS: &[TokenKind] = TokenKind::ALL;

/// Upper bounds of the latency histogram buckets, in microseconds.
const BUCKETS_US: &[u64] = &[
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000,
];

/// The number of shards.
pub const SHARDS: usize = 8;

const N_REQ: usize = ROUTES.len() * STATUSES.len();
const N_TOK: usize = VENDORS.len() * KINDS.len();
const N_BUCKETS: usize = BUCKETS_US.len() + 1;

#[repr(align(128))]
struct Shard {
    requests: [AtomicU64; N_REQ],
    tokens: [AtomicU64; N_TOK],
    latency: [AtomicU64; N_BUCKETS],
    latency_sum_us: AtomicU64,
}

impl Shard {
    const fn new() -> Self {
        Self {
            requests: [const { AtomicU64::new(0) }; N_REQ],
            tokens: [const { AtomicU64::new(0) }; N_TOK],
            latency: [const { AtomicU64::new(0) }; N_BUCKETS],
            latency_sum_us: AtomicU64::new(0),
        }
    }
}

static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SHARD: usize = NEXT_SHARD.fetch_add(1, Ordering::Relaxed) % SHARDS;
}

fn shard_index() -> usize {
    SHARD.with(|s| *s)
}

/// The server's counters.
pub struct Metrics {
    shards: Box<[Shard]>,
    /// Policy decisions: allowed, then one per [`Denial::ALL`].
    policy: Box<[AtomicU64]>,
    /// JWT rejections, one per [`Rejection::ALL`].
    jwt_rejections: Box<[AtomicU64]>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The index in [`ROUTES`] of a matched path template (`None` = unmatched).
#[must_use]
pub fn route_index(template: Option<&str>) -> usize {
    let Some(t) = template else { return UNMATCHED };
    let t = if t.len() > 1 {
        t.strip_suffix('/').unwrap_or(t)
    } else {
        t
    };
    ROUTES.iter().position(|r| *r == t).unwrap_or(UNMATCHED)
}

/// The label of route `index`.
#[must_use]
pub fn route_label(index: usize) -> &'static str {
    ROUTES.get(index).copied().unwrap_or("unmatched")
}

impl Metrics {
    /// Zeroed counters.
    #[must_use]
    pub fn new() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Shard::new()).collect(),
            policy: (0..=Denial::ALL.len()).map(|_| AtomicU64::new(0)).collect(),
            jwt_rejections: (0..Rejection::ALL.len())
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    fn shard(&self) -> Option<&Shard> {
        self.shards.get(shard_index())
    }

    /// Counts a finished request on route `route` (see [`route_index`]).
    pub fn record_request(&self, route: usize, status: u16, latency: Duration) {
        let Some(shard) = self.shard() else { return };
        let s = STATUSES
            .iter()
            .position(|x| *x == status)
            .unwrap_or(STATUSES.len() - 1);
        let r = route.min(UNMATCHED);
        if let Some(c) = shard.requests.get(r * STATUSES.len() + s) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let b = BUCKETS_US
            .iter()
            .position(|le| us <= *le)
            .unwrap_or(BUCKETS_US.len());
        if let Some(c) = shard.latency.get(b) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        shard.latency_sum_us.fetch_add(us, Ordering::Relaxed);
    }

    /// Counts an issued token.
    pub fn record_token(&self, vendor: Vendor, kind: TokenKind) {
        let Some(shard) = self.shard() else { return };
        let v = VENDORS.iter().position(|x| *x == vendor).unwrap_or(0);
        let k = KINDS.iter().position(|x| *x == kind).unwrap_or(0);
        if let Some(c) = shard.tokens.get(v * KINDS.len() + k) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a policy decision: allowed (`None`) or denied for a reason.
    pub fn record_policy(&self, denial: Option<Denial>) {
        let i = denial
            .and_then(|d| Denial::ALL.iter().position(|x| *x == d))
            .map_or(0, |i| i.saturating_add(1));
        if let Some(c) = self.policy.get(i) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a refused bearer JWT.
    pub fn record_jwt_rejection(&self, rejection: Rejection) {
        let i = Rejection::ALL.iter().position(|x| *x == rejection);
        if let Some(c) = i.and_then(|i| self.jwt_rejections.get(i)) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Policy decisions counted with `decision` (`allowed` or a denial code).
    #[must_use]
    pub fn policy_decisions(&self, decision: &str) -> u64 {
        let i = if decision == "allowed" {
            Some(0)
        } else {
            Denial::ALL
                .iter()
                .position(|d| d.code() == decision)
                .map(|i| i.saturating_add(1))
        };
        i.and_then(|i| self.policy.get(i))
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    fn render_identity(&self, out: &mut String) {
        out.push_str(
            "# HELP rtc_tokens_policy_decisions_total Policy decisions on JWT callers' token requests.\n\
             # TYPE rtc_tokens_policy_decisions_total counter\n",
        );
        let labels = std::iter::once("allowed").chain(Denial::ALL.iter().map(|d| d.code()));
        for (label, c) in labels.zip(self.policy.iter()) {
            let _ = writeln!(
                out,
                "rtc_tokens_policy_decisions_total{{decision=\"{label}\"}} {}",
                c.load(Ordering::Relaxed)
            );
        }
        out.push_str(
            "# HELP rtc_tokens_jwt_rejections_total Bearer JWTs refused, by reason.\n\
             # TYPE rtc_tokens_jwt_rejections_total counter\n",
        );
        for (r, c) in Rejection::ALL.iter().zip(self.jwt_rejections.iter()) {
            let _ = writeln!(
                out,
                "rtc_tokens_jwt_rejections_total{{reason=\"{}\"}} {}",
                r.code(),
                c.load(Ordering::Relaxed)
            );
        }
    }

    fn sum(&self, f: impl Fn(&Shard) -> Option<&AtomicU64>) -> u64 {
        self.shards
            .iter()
            .filter_map(f)
            .map(|c| c.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// Requests counted so far on `route` with `status`.
    #[must_use]
    pub fn requests(&self, route: &str, status: u16) -> u64 {
        let r = route_index(Some(route));
        let Some(s) = STATUSES.iter().position(|x| *x == status) else {
            return 0;
        };
        let i = r * STATUSES.len() + s;
        self.sum(|sh| sh.requests.get(i))
    }

    /// The Prometheus text exposition (format 0.0.4).
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str(
            "# HELP rtc_tokens_http_requests_total HTTP requests by route template and status.\n\
             # TYPE rtc_tokens_http_requests_total counter\n",
        );
        for (r, route) in ROUTES.iter().enumerate() {
            for (s, status) in STATUSES.iter().enumerate() {
                let i = r * STATUSES.len() + s;
                let n = self.sum(|sh| sh.requests.get(i));
                if n == 0 {
                    continue;
                }
                let status = if *status == 0 {
                    "other".to_owned()
                } else {
                    status.to_string()
                };
                let _ = writeln!(
                    out,
                    "rtc_tokens_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP rtc_tokens_tokens_issued_total Tokens issued by vendor and kind.\n\
             # TYPE rtc_tokens_tokens_issued_total counter\n",
        );
        for (v, vendor) in VENDORS.iter().enumerate() {
            for (k, kind) in KINDS.iter().enumerate() {
                let i = v * KINDS.len() + k;
                let n = self.sum(|sh| sh.tokens.get(i));
                if n == 0 {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "rtc_tokens_tokens_issued_total{{vendor=\"{vendor}\",kind=\"{kind}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP rtc_tokens_http_request_duration_seconds Time from request to response head.\n\
             # TYPE rtc_tokens_http_request_duration_seconds histogram\n",
        );
        let mut cumulative = 0u64;
        for b in 0..N_BUCKETS {
            cumulative = cumulative.wrapping_add(self.sum(|sh| sh.latency.get(b)));
            let le = match BUCKETS_US.get(b) {
                Some(us) => format!("{}", *us as f64 / 1e6),
                None => "+Inf".to_owned(),
            };
            let _ = writeln!(
                out,
                "rtc_tokens_http_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        let sum_us = self.sum(|sh| Some(&sh.latency_sum_us));
        let _ = writeln!(
            out,
            "rtc_tokens_http_request_duration_seconds_sum {}",
            sum_us as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "rtc_tokens_http_request_duration_seconds_count {cumulative}"
        );
        self.render_identity(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_histogram_render() {
        let m = Metrics::new();
        let r = route_index(Some("/rtm/{rtmuid}/"));
        assert_eq!(route_label(r), "/rtm/{rtmuid}");
        m.record_request(r, 200, Duration::from_micros(300));
        m.record_request(route_index(None), 404, Duration::from_millis(2));
        m.record_token(Vendor::Agora, TokenKind::Rtm);
        assert_eq!(m.requests("/rtm/{rtmuid}", 200), 1);
        let text = m.render();
        assert!(
            text.contains(
                "rtc_tokens_http_requests_total{route=\"/rtm/{rtmuid}\",status=\"200\"} 1"
            )
        );
        assert!(text.contains("route=\"unmatched\",status=\"404\"} 1"));
        assert!(text.contains("vendor=\"agora\",kind=\"rtm\"} 1"));
        // Series that never counted are not exported.
        assert!(!text.contains("vendor=\"zego\""));
        assert!(!text.contains("kind=\"chat\""));
        assert!(text.contains("_bucket{le=\"0.0005\"} 1"));
        assert!(text.contains("_bucket{le=\"+Inf\"} 2"));
        assert!(text.contains("_count 2"));
    }
}
