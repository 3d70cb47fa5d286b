//! Trusted reverse proxies: whose forwarding header names the client
//! address (`TRUSTED_PROXIES`, `CLIENT_IP_HEADER`, `TRUSTED_PROXY_HOPS`).
//!
//! Off by default: the client address is the TCP peer. The rule applied at
//! request time is [`crate::client_ip`]'s. Refused at load, so that the
//! setting cannot quietly let clients choose their address: a header or hop
//! count without trusted networks (it would never be read), hops with a
//! single-address header, and a catch-all network (`0.0.0.0/0`, `::/0`) with
//! `X-Forwarded-For` but no hop count (every entry, the client's own
//! included, would be trusted).

use std::num::NonZeroU32;

use anyhow::{Result, bail};
use ipnet::IpNet;
use rtc_tokens::config::{EnvName, Kind, Setting, Values};

use crate::client_ip::{ClientIpHeader, TrustedProxies};

/// The trusted-proxy settings, as data.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "server.trusted_proxies",
        env: &[EnvName::new("TRUSTED_PROXIES")],
        kind: Kind::Text,
        expect: "a comma-separated list of IP networks (10.0.0.0/8) or addresses",
    },
    Setting {
        key: "server.client_ip_header",
        env: &[EnvName::new("CLIENT_IP_HEADER")],
        kind: Kind::Text,
        expect: "a header name (X-Forwarded-For, Fly-Client-IP, X-Real-IP, CF-Connecting-IP, ...)",
    },
    Setting {
        key: "server.trusted_proxy_hops",
        env: &[EnvName::new("TRUSTED_PROXY_HOPS")],
        kind: Kind::Text,
        expect: "a whole number from 1 (the proxies in front of the server)",
    },
];

/// One network: `10.0.0.0/8`, `2001:db8::/32`, or a bare address (`/32`
/// or `/128`).
fn network(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<std::net::IpAddr>().ok().map(IpNet::from))
        .map(|n| n.trunc())
}

/// The trusted proxies from `values` (none when unset).
///
/// # Errors
///
/// A message naming the bad setting (never its value), or the refused
/// combinations of the module documentation.
pub fn load(values: &Values) -> Result<TrustedProxies> {
    let networks = values
        .parse("server.trusted_proxies", |s| {
            s.split(',')
                .filter(|n| !n.trim().is_empty())
                .map(network)
                .collect::<Option<Vec<_>>>()
        })?
        .unwrap_or_default();
    let header = values.parse("server.client_ip_header", |s| ClientIpHeader::parse(s).ok())?;
    let hops = values.parse("server.trusted_proxy_hops", |s| {
        s.trim().parse::<NonZeroU32>().ok()
    })?;
    if networks.is_empty() {
        for (key, set) in [
            ("server.client_ip_header", header.is_some()),
            ("server.trusted_proxy_hops", hops.is_some()),
        ] {
            if set {
                bail!(
                    "setting {}: needs {} (the proxies whose header is believed)",
                    values.name(key),
                    values.name("server.trusted_proxies")
                );
            }
        }
    }
    let proxies = TrustedProxies {
        networks,
        header: header.unwrap_or_default(),
        hops,
    };
    match proxies.header {
        ClientIpHeader::Single(_) if hops.is_some() => bail!(
            "setting {}: applies to X-Forwarded-For only, not to {}",
            values.name("server.trusted_proxy_hops"),
            values.name("server.client_ip_header")
        ),
        ClientIpHeader::ForwardedFor if proxies.trusts_everyone() && hops.is_none() => bail!(
            "setting {}: a catch-all network (0.0.0.0/0 or ::/0) with X-Forwarded-For also \
             needs {} (the number of proxies in front of the server); otherwise every entry, \
             the client's own included, is trusted",
            values.name("server.trusted_proxies"),
            values.name("server.trusted_proxy_hops")
        ),
        _ => Ok(proxies),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(pairs: &[(&str, &str)]) -> Result<TrustedProxies> {
        crate::config::load_from_pairs(pairs).map(|s| s.server.trusted_proxies)
    }

    #[test]
    fn off_by_default_and_read_from_the_environment() {
        assert_eq!(proxies(&[]).unwrap(), TrustedProxies::default());
        let p = proxies(&[("TRUSTED_PROXIES", " 10.0.0.0/8, 192.0.2.7 ,fd00::/8,")]).unwrap();
        assert_eq!(p.networks.len(), 3);
        assert!(p.trusts("192.0.2.7".parse().unwrap()));
        assert!(!p.trusts("192.0.2.8".parse().unwrap()));
        assert!(p.trusts("fd12::1".parse().unwrap()));
        assert_eq!(p.header, ClientIpHeader::ForwardedFor);
        let p = proxies(&[
            ("TRUSTED_PROXIES", "0.0.0.0/0,::/0"),
            ("CLIENT_IP_HEADER", "Fly-Client-IP"),
        ])
        .unwrap();
        assert_eq!(p.header.as_str(), "fly-client-ip");
        let p = proxies(&[
            ("TRUSTED_PROXIES", "0.0.0.0/0,::/0"),
            ("TRUSTED_PROXY_HOPS", "1"),
        ])
        .unwrap();
        assert_eq!(p.hops, NonZeroU32::new(1));
    }

    #[test]
    fn unsafe_or_useless_combinations_are_refused() {
        for (pairs, names) in [
            (
                &[("TRUSTED_PROXIES", "0.0.0.0/0")][..],
                &["TRUSTED_PROXIES", "TRUSTED_PROXY_HOPS"][..],
            ),
            (
                &[("CLIENT_IP_HEADER", "X-Real-IP")],
                &["CLIENT_IP_HEADER", "TRUSTED_PROXIES"],
            ),
            (
                &[("TRUSTED_PROXY_HOPS", "1")],
                &["TRUSTED_PROXY_HOPS", "TRUSTED_PROXIES"],
            ),
            (
                &[
                    ("TRUSTED_PROXIES", "10.0.0.0/8"),
                    ("CLIENT_IP_HEADER", "X-Real-IP"),
                    ("TRUSTED_PROXY_HOPS", "1"),
                ],
                &["TRUSTED_PROXY_HOPS", "CLIENT_IP_HEADER"],
            ),
        ] {
            let err = format!("{:#}", proxies(pairs).unwrap_err());
            for name in names {
                assert!(err.contains(name), "{err}");
            }
        }
    }

    #[test]
    fn bad_values_name_the_setting_not_the_value() {
        for (name, value) in [
            ("TRUSTED_PROXIES", "10.0.0.0/33,C0FFEE"),
            ("TRUSTED_PROXIES", "C0FFEE.example"),
            ("CLIENT_IP_HEADER", "bad C0FFEE"),
            ("TRUSTED_PROXY_HOPS", "0"),
            ("TRUSTED_PROXY_HOPS", "C0FFEE"),
        ] {
            let mut pairs = vec![(name, value)];
            if name != "TRUSTED_PROXIES" {
                pairs.push(("TRUSTED_PROXIES", "10.0.0.0/8"));
            }
            let err = format!("{:#}", proxies(&pairs).unwrap_err());
            assert!(err.contains(name), "{err}");
            assert!(!err.contains("C0FFEE"), "{err}");
        }
    }
}
