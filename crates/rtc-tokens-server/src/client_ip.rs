//! The client address of a request: the TCP peer, or — only when the peer
//! is a trusted reverse proxy — the address the proxy forwarded.
//!
//! This is the one place the address is derived. The transport stores it in
//! every request as a [`ClientIp`] extension, and the per-address limits
//! (failed authentication, the `--insecure-no-auth` rate limit, public mode)
//! and the access log read it from there.
//!
//! Guarantees, with the [`TrustedProxies`] in force:
//!
//! - **Nothing trusted by default.** With no trusted network (the default)
//!   the client address is the TCP peer and no header is read.
//! - **Only trusted peers are believed.** A header from a peer outside the
//!   trusted networks is ignored, whatever it says.
//! - **`X-Forwarded-For`: the right-most untrusted entry.** The list
//!   (all of the header's lines, in order) is walked from the right, the end
//!   the nearest proxy wrote, skipping entries that are themselves trusted
//!   proxies; the first untrusted entry is the client. Entries left of it
//!   were written by the client or by untrusted hops and are never read, so
//!   a client cannot choose its address by sending the header itself. With
//!   `hops` set, the walk stops at the `hops`-th entry from the right
//!   whatever it holds (for platforms whose proxy addresses are not known).
//!   When every entry is trusted, the left-most one is the client.
//! - **Other headers** (`Fly-Client-IP`, `X-Real-IP`, `CF-Connecting-IP`,
//!   ...) hold one address, which the trusted proxy sets.
//! - **Malformed or missing → the TCP peer.** An entry that is not an IP
//!   address (optionally with a port, IPv6 in brackets), an empty entry, or
//!   a single-address header sent twice makes the server fall back to the
//!   peer; it never guesses.
//!
//! IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, as a dual-stack listener
//! reports IPv4 peers) are matched and reported as IPv4.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;

/// The client address of a request, as derived by [`TrustedProxies::client_ip`]
/// (a request extension set by the transport).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client address of `request`: its [`ClientIp`], else the TCP peer of
/// axum's `ConnectInfo` (a router served some other way); `None` without
/// either.
pub(crate) fn of(request: &axum::extract::Request) -> Option<IpAddr> {
    let extensions = request.extensions();
    extensions.get::<ClientIp>().map(|c| c.0).or_else(|| {
        extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_canonical())
    })
}

/// The header a trusted proxy names the client in.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ClientIpHeader {
    /// `X-Forwarded-For`: a comma-separated list, each proxy appending the
    /// address it received the request from.
    #[default]
    ForwardedFor,
    /// A header holding exactly one address, set by the proxy
    /// (`Fly-Client-IP`, `X-Real-IP`, `CF-Connecting-IP`, ...).
    Single(HeaderName),
}

impl ClientIpHeader {
    /// The header from its name: `X-Forwarded-For` (any case) is the list
    /// form, any other valid header name a single address.
    ///
    /// # Errors
    ///
    /// When `name` is not a valid HTTP header name.
    pub fn parse(name: &str) -> Result<Self, axum::http::header::InvalidHeaderName> {
        let name = HeaderName::from_bytes(name.trim().as_bytes())?;
        Ok(if name == "x-forwarded-for" {
            Self::ForwardedFor
        } else {
            Self::Single(name)
        })
    }

    /// The header's name, lower case.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::ForwardedFor => "x-forwarded-for",
            Self::Single(name) => name.as_str(),
        }
    }
}

/// Which peers are reverse proxies whose forwarding header is believed, and
/// how to read it. The default trusts nobody: the client is the TCP peer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TrustedProxies {
    /// Networks of the trusted proxies (empty: trust nobody).
    pub networks: Vec<IpNet>,
    /// The header the proxies name the client in.
    pub header: ClientIpHeader,
    /// For `X-Forwarded-For`: the most entries read from the right (the
    /// number of proxies in front of the server); `None`: no limit, only
    /// the trusted networks end the walk.
    pub hops: Option<NonZeroU32>,
}

impl TrustedProxies {
    /// Whether any proxy is trusted (otherwise no header is ever read).
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        !self.networks.is_empty()
    }

    /// Whether `ip` is in a trusted network.
    #[must_use]
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|n| n.contains(&ip))
    }

    /// Whether a trusted network contains every address of its family
    /// (`0.0.0.0/0`, `::/0`).
    #[must_use]
    pub fn trusts_everyone(&self) -> bool {
        self.networks.iter().any(|n| n.prefix_len() == 0)
    }

    /// The client address of a request from `peer` with `headers` (see the
    /// module documentation for the rule).
    #[must_use]
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.is_enabled() || !self.trusts(peer) {
            return peer;
        }
        let forwarded = match &self.header {
            ClientIpHeader::ForwardedFor => self.right_most_untrusted(headers),
            ClientIpHeader::Single(name) => single(headers, name),
        };
        forwarded.unwrap_or(peer)
    }

    /// The right-most untrusted `X-Forwarded-For` entry (bounded by `hops`),
    /// the left-most when all are trusted; `None` when the header is missing
    /// or an entry read is malformed.
    fn right_most_untrusted(&self, headers: &HeaderMap) -> Option<IpAddr> {
        let limit = self.hops.map_or(usize::MAX, |h| {
            usize::try_from(h.get()).unwrap_or(usize::MAX)
        });
        let mut found = None;
        let entries = headers
            .get_all("x-forwarded-for")
            .iter()
            .rev()
            .flat_map(|line| line.as_bytes().rsplit(|b| *b == b','));
        for (read, entry) in entries.enumerate() {
            let ip = parse_entry(entry)?;
            found = Some(ip);
            if !self.trusts(ip) || read.saturating_add(1) >= limit {
                break;
            }
        }
        found
    }
}

/// The one address of a single-address header; `None` when it is missing,
/// repeated or not an address.
fn single(headers: &HeaderMap, name: &HeaderName) -> Option<IpAddr> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    parse_entry(value.as_bytes())
}

/// One forwarded address: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`, surrounded by optional
/// whitespace.
fn parse_entry(entry: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(entry).ok()?.trim_matches([' ', '\t']);
    let ip = text
        .parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')?
                .strip_suffix(']')?
                .parse::<IpAddr>()
                .ok()
        })?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(networks: &str) -> TrustedProxies {
        TrustedProxies {
            networks: networks
                .split(',')
                .map(|n| n.parse::<IpNet>().unwrap())
                .collect(),
            ..TrustedProxies::default()
        }
    }

    fn headers(name: &str, lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
        for line in lines {
            h.append(name.clone(), HeaderValue::from_str(line).unwrap());
        }
        h
    }

    fn xff(lines: &[&str]) -> HeaderMap {
        headers("x-forwarded-for", lines)
    }

    const PROXY: &str = "10.0.0.5";

    #[test]
    fn nothing_is_trusted_by_default() {
        let t = TrustedProxies::default();
        assert!(!t.is_enabled());
        assert_eq!(t.client_ip(ip(PROXY), &xff(&["203.0.113.7"])), ip(PROXY));
    }

    #[test]
    fn an_untrusted_peer_is_never_believed() {
        let t = proxies("10.0.0.0/8");
        let h = xff(&["203.0.113.7"]);
        assert_eq!(t.client_ip(ip("198.51.100.9"), &h), ip("198.51.100.9"));
        let t = TrustedProxies {
            header: ClientIpHeader::parse("Fly-Client-IP").unwrap(),
            ..proxies("10.0.0.0/8")
        };
        let h = headers("fly-client-ip", &["203.0.113.7"]);
        assert_eq!(t.client_ip(ip("198.51.100.9"), &h), ip("198.51.100.9"));
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
    }

    #[test]
    fn spoofed_left_entries_are_ignored() {
        let t = proxies("10.0.0.0/8");
        // The client sent "1.1.1.1, 2.2.2.2" itself; the proxy appended its real address.
        let h = xff(&["1.1.1.1, 2.2.2.2, 203.0.113.7"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
        // Also when the client's header is a separate line before the proxy's.
        let h = xff(&["1.1.1.1", "203.0.113.7"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
        // A spoofed trusted-looking entry left of the real client changes nothing.
        let h = xff(&["10.9.9.9, 203.0.113.7"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
    }

    #[test]
    fn chains_of_trusted_proxies_are_skipped() {
        let t = proxies("10.0.0.0/8,192.0.2.0/24");
        let h = xff(&["1.1.1.1, 203.0.113.7, 192.0.2.10, 10.1.2.3"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
        // Everything trusted: the left-most entry (an internal caller).
        let h = xff(&["10.7.7.7, 192.0.2.10"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("10.7.7.7"));
        // A single address is also a valid trusted network.
        let t = proxies("10.0.0.5/32");
        assert_eq!(
            t.client_ip(ip(PROXY), &xff(&["203.0.113.7"])),
            ip("203.0.113.7")
        );
        assert_eq!(
            t.client_ip(ip("10.0.0.6"), &xff(&["203.0.113.7"])),
            ip("10.0.0.6")
        );
    }

    #[test]
    fn hops_bound_the_walk_for_unknown_proxy_addresses() {
        let mut t = proxies("0.0.0.0/0,::/0");
        assert!(t.trusts_everyone());
        t.hops = NonZeroU32::new(1);
        let h = xff(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
        t.hops = NonZeroU32::new(2);
        let h = xff(&["1.1.1.1, 203.0.113.7, 198.51.100.1"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
        // An untrusted entry still ends the walk before the limit.
        let mut t = proxies("10.0.0.0/8");
        t.hops = NonZeroU32::new(3);
        let h = xff(&["1.1.1.1, 203.0.113.7, 10.1.1.1"]);
        assert_eq!(t.client_ip(ip(PROXY), &h), ip("203.0.113.7"));
    }

    #[test]
    fn ipv6_and_ports_and_mapped_addresses() {
        let t = proxies("fd00::/8,10.0.0.0/8");
        let h = xff(&["2001:db8::1, [2001:db8::2]:4711, fd00::9"]);
        assert_eq!(t.client_ip(ip("fd00::1"), &h), ip("2001:db8::2"));
        let h = xff(&["[2001:db8::3]"]);
        assert_eq!(t.client_ip(ip("fd00::1"), &h), ip("2001:db8::3"));
        let h = xff(&["203.0.113.7:5555"]);
        assert_eq!(t.client_ip(ip("fd00::1"), &h), ip("203.0.113.7"));
        // A dual-stack listener reports an IPv4 proxy as IPv4-mapped IPv6.
        let h = xff(&["::ffff:203.0.113.7"]);
        assert_eq!(t.client_ip(ip("::ffff:10.0.0.5"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn malformed_or_missing_falls_back_to_the_peer() {
        let t = proxies("10.0.0.0/8");
        let peer = ip(PROXY);
        assert_eq!(t.client_ip(peer, &HeaderMap::new()), peer);
        for bad in [
            "",
            "unknown",
            "203.0.113.7,",
            "203.0.113.7, ,",
            "not-an-ip, 203.0.113.7 x",
            "_hidden",
            "203.0.113.300",
            "2001:db8::1:80:",
        ] {
            assert_eq!(t.client_ip(peer, &xff(&[bad])), peer, "{bad:?}");
        }
        // Malformed entries left of the client are never read.
        let h = xff(&["garbage, 203.0.113.7"]);
        assert_eq!(t.client_ip(peer, &h), ip("203.0.113.7"));
        // A malformed entry among the trusted ones ends in the peer.
        let h = xff(&["203.0.113.7, garbage, 10.1.1.1"]);
        assert_eq!(t.client_ip(peer, &h), peer);
        // A single-address header: a list, a repeat or garbage is refused.
        let t = TrustedProxies {
            header: ClientIpHeader::parse("X-Real-IP").unwrap(),
            ..proxies("10.0.0.0/8")
        };
        for lines in [
            &["1.1.1.1, 203.0.113.7"][..],
            &["1.1.1.1", "203.0.113.7"],
            &["x"],
        ] {
            assert_eq!(t.client_ip(peer, &headers("x-real-ip", lines)), peer);
        }
        // X-Forwarded-For is not read when another header is configured.
        assert_eq!(t.client_ip(peer, &xff(&["203.0.113.7"])), peer);
    }

    #[test]
    fn header_names() {
        assert_eq!(
            ClientIpHeader::parse("X-Forwarded-For").unwrap(),
            ClientIpHeader::ForwardedFor
        );
        assert_eq!(
            ClientIpHeader::parse("CF-Connecting-IP").unwrap().as_str(),
            "cf-connecting-ip"
        );
        assert!(ClientIpHeader::parse("bad header").is_err());
    }
}
