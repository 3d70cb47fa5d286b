//! The server's resource bounds: timeouts, the connection cap, the
//! failed-authentication limit and the shutdown phases.
//!
//! Every bound is on by default and can only be loosened, never switched
//! off, except the failed-authentication limit (`0` disables it) and the
//! pre-stop period (`0` skips it). The settings are read by the facade's one
//! loader with the rest of the server's table ([`super::load`]).

use std::time::Duration;

use anyhow::Result;
use rtc_tokens::config::{EnvName, Kind, Setting, Values};

/// The bound settings, as data.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "server.header_timeout_secs",
        env: &[EnvName::new("HEADER_TIMEOUT_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds, at least 1",
    },
    Setting {
        key: "server.body_timeout_secs",
        env: &[EnvName::new("BODY_TIMEOUT_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds, at least 1",
    },
    Setting {
        key: "server.idle_timeout_secs",
        env: &[EnvName::new("IDLE_TIMEOUT_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds, at least 1",
    },
    Setting {
        key: "server.max_connections",
        env: &[EnvName::new("MAX_CONNECTIONS")],
        kind: Kind::Text,
        expect: "a whole number, at least 2",
    },
    Setting {
        key: "server.reserved_connections",
        env: &[EnvName::new("RESERVED_CONNECTIONS")],
        kind: Kind::Text,
        expect: "a whole number, at least 1 and below server.max_connections",
    },
    Setting {
        key: "server.auth_failures_per_minute",
        env: &[EnvName::new("AUTH_FAILURES_PER_MINUTE")],
        kind: Kind::Text,
        expect: "a whole number (0 disables the limit)",
    },
    Setting {
        key: "server.auth_failure_burst",
        env: &[EnvName::new("AUTH_FAILURE_BURST")],
        kind: Kind::Text,
        expect: "a whole number, at least 1",
    },
    Setting {
        key: "server.pre_stop_secs",
        env: &[EnvName::new("PRE_STOP_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds (0 skips the pre-stop period)",
    },
];

/// Default time a client has to send a complete request head.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 5;
/// Default time a client has to send a complete request body.
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 10;
/// Default time a keep-alive connection may stay idle between requests.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 60;
/// Default cap on open connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default number of the capped connections kept for `/healthz`, `/readyz`
/// and `/metrics`.
pub const DEFAULT_RESERVED_CONNECTIONS: usize = 16;
/// Default failed authentications a client address may make per minute.
pub const DEFAULT_AUTH_FAILURES_PER_MINUTE: u32 = 30;
/// Default failed authentications a client address may make at once.
pub const DEFAULT_AUTH_FAILURE_BURST: u32 = 10;
/// Default time `/readyz` answers 503 before the server stops accepting.
pub const DEFAULT_PRE_STOP_SECS: u64 = 5;
/// The most client addresses the per-address limiters track at once (about
/// 40 bytes each); beyond it a new address is refused (429) rather than let
/// the table grow.
pub const MAX_TRACKED_ADDRESSES: usize = 65_536;

/// Per-client-address rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressLimit {
    /// Average events a minute per client address.
    pub per_minute: u32,
    /// Events a client address may make at once.
    pub burst: u32,
}

/// The resource bounds of the transport and the shutdown phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Time from a connection's accept, or from the first byte of a later
    /// request, to its complete request head. Slower connections are closed.
    pub header_timeout: Duration,
    /// Time from a request head to the end of its body. Slower bodies get 408
    /// and the connection is closed.
    pub body_timeout: Duration,
    /// Time a keep-alive connection may stay idle between requests.
    pub idle_timeout: Duration,
    /// The most connections open at once; beyond it the server stops
    /// accepting until one closes.
    pub max_connections: usize,
    /// How many of `max_connections` only serve `/healthz`, `/readyz` and
    /// `/metrics` (one request each): health checks get through when
    /// everything else is taken.
    pub reserved_connections: usize,
    /// Failed authentications per client address (`None` = unlimited).
    pub auth_failures: Option<AddressLimit>,
    /// After a shutdown signal, how long `/readyz` answers 503 while the
    /// server keeps accepting and serving, so a load balancer can notice.
    pub pre_stop: Duration,
}

impl Default for Limits {
    /// The documented defaults.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            reserved_connections: DEFAULT_RESERVED_CONNECTIONS,
            auth_failures: Some(AddressLimit {
                per_minute: DEFAULT_AUTH_FAILURES_PER_MINUTE,
                burst: DEFAULT_AUTH_FAILURE_BURST,
            }),
            pre_stop: Duration::from_secs(DEFAULT_PRE_STOP_SECS),
        }
    }
}

impl Limits {
    /// How many connections serve every route.
    #[must_use]
    pub fn general_connections(&self) -> usize {
        self.max_connections
            .saturating_sub(self.reserved_connections)
            .max(1)
    }
}

fn secs(values: &Values, key: &str, default: u64, min: u64) -> Result<Duration> {
    let n = values
        .parse(key, |s| s.parse::<u64>().ok().filter(|n| *n >= min))?
        .unwrap_or(default);
    Ok(Duration::from_secs(n))
}

/// The bounds from `values`, defaults for what is not set.
///
/// # Errors
///
/// A message naming the bad setting (never its value).
pub fn load(values: &Values) -> Result<Limits> {
    let header_timeout = secs(
        values,
        "server.header_timeout_secs",
        DEFAULT_HEADER_TIMEOUT_SECS,
        1,
    )?;
    let body_timeout = secs(
        values,
        "server.body_timeout_secs",
        DEFAULT_BODY_TIMEOUT_SECS,
        1,
    )?;
    let idle_timeout = secs(
        values,
        "server.idle_timeout_secs",
        DEFAULT_IDLE_TIMEOUT_SECS,
        1,
    )?;
    let pre_stop = secs(values, "server.pre_stop_secs", DEFAULT_PRE_STOP_SECS, 0)?;
    let max_connections = values
        .parse("server.max_connections", |s| {
            s.parse::<usize>().ok().filter(|n| *n >= 2)
        })?
        .unwrap_or(DEFAULT_MAX_CONNECTIONS);
    let reserved_connections = values
        .parse("server.reserved_connections", |s| {
            s.parse::<usize>().ok().filter(|n| *n >= 1)
        })?
        .unwrap_or(DEFAULT_RESERVED_CONNECTIONS.min(max_connections / 2));
    if reserved_connections >= max_connections {
        return Err(values
            .error(
                "server.reserved_connections",
                "must be below server.max_connections",
            )
            .into());
    }
    let per_minute = values
        .get::<u32>("server.auth_failures_per_minute")?
        .unwrap_or(DEFAULT_AUTH_FAILURES_PER_MINUTE);
    let burst = values
        .parse("server.auth_failure_burst", |s| {
            s.parse::<u32>().ok().filter(|n| *n >= 1)
        })?
        .unwrap_or(DEFAULT_AUTH_FAILURE_BURST);
    Ok(Limits {
        header_timeout,
        body_timeout,
        idle_timeout,
        max_connections,
        reserved_connections,
        auth_failures: (per_minute > 0).then_some(AddressLimit { per_minute, burst }),
        pre_stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(pairs: &[(&str, &str)]) -> Result<Limits> {
        crate::config::load_from_pairs(pairs).map(|s| s.server.limits)
    }

    #[test]
    fn safe_defaults_and_settings_from_the_environment() {
        assert_eq!(limits(&[]).unwrap(), Limits::default());
        let l = limits(&[
            ("HEADER_TIMEOUT_SECS", "2"),
            ("BODY_TIMEOUT_SECS", "3"),
            ("IDLE_TIMEOUT_SECS", "4"),
            ("MAX_CONNECTIONS", "100"),
            ("RESERVED_CONNECTIONS", "10"),
            ("AUTH_FAILURES_PER_MINUTE", "0"),
            ("PRE_STOP_SECS", "0"),
        ])
        .unwrap();
        assert_eq!(l.header_timeout, Duration::from_secs(2));
        assert_eq!(l.body_timeout, Duration::from_secs(3));
        assert_eq!(l.idle_timeout, Duration::from_secs(4));
        assert_eq!((l.max_connections, l.general_connections()), (100, 90));
        assert_eq!(l.auth_failures, None);
        assert_eq!(l.pre_stop, Duration::ZERO);
        // A small cap keeps at most half of it in reserve by default.
        assert_eq!(
            limits(&[("MAX_CONNECTIONS", "8")])
                .unwrap()
                .reserved_connections,
            4
        );
    }

    #[test]
    fn bad_values_name_the_setting_not_the_value() {
        for (name, value) in [
            ("HEADER_TIMEOUT_SECS", "0"),
            ("BODY_TIMEOUT_SECS", "soon-0xC0FFEE"),
            ("IDLE_TIMEOUT_SECS", "-1"),
            ("MAX_CONNECTIONS", "1"),
            ("AUTH_FAILURE_BURST", "0"),
            ("PRE_STOP_SECS", "0xC0FFEE"),
        ] {
            let err = format!("{:#}", limits(&[(name, value)]).unwrap_err());
            assert!(err.contains(name), "{err}");
            assert!(!err.contains("C0FFEE"), "{err}");
        }
        let err = format!(
            "{:#}",
            limits(&[("MAX_CONNECTIONS", "10"), ("RESERVED_CONNECTIONS", "10")]).unwrap_err()
        );
        assert!(err.contains("RESERVED_CONNECTIONS"), "{err}");
    }
}
