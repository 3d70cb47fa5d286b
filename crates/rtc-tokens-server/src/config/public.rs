//! Public-mode settings: tokens for callers without an API key, for apps
//! that cannot hold a secret (`--public-mode`, `PUBLIC_MODE=true`,
//! `[server] public_mode = true`).
//!
//! RISK: in public mode anyone who can reach the server gets tokens without
//! a key. The Origin allow-list only keeps other web sites' pages (in
//! browsers) away; a script or a native app sends any Origin or none. What
//! bounds the damage is what this module configures: a per-client-address
//! rate limit, optional room-name patterns and a short capped validity.
//! The server refuses to start in public mode without an explicit Origin
//! allow-list (`CORS_ALLOW_ORIGIN`, not `*`).

use std::fmt;

use anyhow::{Result, bail};
use rtc_tokens::config::{EnvName, Kind, Setting, Values};

use super::CorsPolicy;

/// The public-mode settings, as data.
pub const PUBLIC_SETTINGS: &[Setting] = &[
    Setting {
        key: "server.public_mode",
        env: &[EnvName::new("PUBLIC_MODE")],
        kind: Kind::Text,
        expect: "true or false",
    },
    Setting {
        key: "server.public_rate_limit_per_minute",
        env: &[EnvName::new("PUBLIC_RATE_LIMIT_PER_MINUTE")],
        kind: Kind::Text,
        expect: "a whole number from 1",
    },
    Setting {
        key: "server.public_rate_limit_burst",
        env: &[EnvName::new("PUBLIC_RATE_LIMIT_BURST")],
        kind: Kind::Text,
        expect: "a whole number from 1",
    },
    Setting {
        key: "server.public_room_patterns",
        env: &[EnvName::new("PUBLIC_ROOM_PATTERNS")],
        kind: Kind::Text,
        expect: "a comma-separated list of room names, * matching any run of characters",
    },
    Setting {
        key: "server.public_max_validity_secs",
        env: &[EnvName::new("PUBLIC_MAX_VALIDITY_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds between 1 and 86400",
    },
];

/// Default requests a minute per client address in public mode.
pub const DEFAULT_PUBLIC_PER_MINUTE: u32 = 10;
/// Default burst per client address in public mode.
pub const DEFAULT_PUBLIC_BURST: u32 = 5;
/// Default (and suggested) validity cap of a public token: one hour.
pub const DEFAULT_PUBLIC_MAX_VALIDITY_SECS: u32 = 3_600;

/// A room-name pattern: literal text, `*` matching any run of characters
/// (`lobby-*`, `*-demo`, `*`). Matching is case-sensitive, as room names are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomPattern(String);

impl RoomPattern {
    /// A pattern from its text.
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self(text.trim().to_owned())
    }

    /// Whether `room` matches.
    #[must_use]
    pub fn matches(&self, room: &str) -> bool {
        let mut parts = self.0.split('*');
        let first = parts.next().unwrap_or_default();
        let Some(mut rest) = room.strip_prefix(first) else {
            return false;
        };
        let parts: Vec<&str> = parts.collect();
        let Some((last, middle)) = parts.split_last() else {
            return rest.is_empty(); // no `*`: the whole room
        };
        for part in middle {
            match rest.find(part) {
                Some(at) => {
                    rest = rest
                        .get(at.saturating_add(part.len())..)
                        .unwrap_or_default()
                }
                None => return false,
            }
        }
        rest.ends_with(last)
    }
}

impl fmt::Display for RoomPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Public mode, when on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicMode {
    /// Requests a minute per client address.
    pub per_minute: u32,
    /// Requests a client address may make at once.
    pub burst: u32,
    /// Rooms a public caller may ask for (empty: any room).
    pub rooms: Vec<RoomPattern>,
    /// The longest validity a public caller gets, in seconds.
    pub max_validity_secs: u32,
}

impl Default for PublicMode {
    fn default() -> Self {
        Self {
            per_minute: DEFAULT_PUBLIC_PER_MINUTE,
            burst: DEFAULT_PUBLIC_BURST,
            rooms: Vec::new(),
            max_validity_secs: DEFAULT_PUBLIC_MAX_VALIDITY_SECS,
        }
    }
}

impl PublicMode {
    /// Whether a public caller may have a token for `room`.
    #[must_use]
    pub fn allows_room(&self, room: &str) -> bool {
        self.rooms.is_empty() || self.rooms.iter().any(|p| p.matches(room))
    }
}

/// Public mode from `--public-mode` (`flag`) or the settings; refused
/// without an explicit Origin allow-list.
pub(crate) fn public_mode(
    flag: bool,
    values: &Values,
    cors: &CorsPolicy,
) -> Result<Option<PublicMode>> {
    let on = flag
        || values
            .parse("server.public_mode", |s| {
                match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" | "on" => Some(true),
                    "false" | "0" | "no" | "off" | "" => Some(false),
                    _ => None,
                }
            })?
            .unwrap_or(false);
    if !on {
        return Ok(None);
    }
    if !matches!(cors, CorsPolicy::List(_)) {
        bail!(
            "public mode needs an Origin allow-list: set CORS_ALLOW_ORIGIN to the origins of \
             your web app (not *)"
        );
    }
    let positive = |s: &str| s.trim().parse::<u32>().ok().filter(|n| *n >= 1);
    let per_minute = values
        .parse("server.public_rate_limit_per_minute", positive)?
        .unwrap_or(DEFAULT_PUBLIC_PER_MINUTE);
    let burst = values
        .parse("server.public_rate_limit_burst", positive)?
        .unwrap_or(DEFAULT_PUBLIC_BURST);
    let max_validity_secs = values
        .parse("server.public_max_validity_secs", |s| {
            positive(s).filter(|n| *n <= super::DEFAULT_MAX_VALIDITY_SECS)
        })?
        .unwrap_or(DEFAULT_PUBLIC_MAX_VALIDITY_SECS);
    let rooms = values
        .text("server.public_room_patterns")
        .map(|list| {
            list.split(',')
                .map(RoomPattern::new)
                .filter(|p| !p.0.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(PublicMode {
        per_minute,
        burst,
        rooms,
        max_validity_secs,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names() {
        let p = RoomPattern::new("lobby-*");
        assert!(p.matches("lobby-1") && p.matches("lobby-"));
        assert!(!p.matches("lobby") && !p.matches("xlobby-1"));
        assert!(RoomPattern::new("*").matches("anything"));
        assert!(RoomPattern::new("a*b*c").matches("a-b-c"));
        assert!(!RoomPattern::new("a*b*c").matches("a-c-b"));
        assert!(RoomPattern::new("*-demo").matches("x-demo"));
        assert!(RoomPattern::new("exact").matches("exact"));
        assert!(!RoomPattern::new("exact").matches("exact2"));
        assert!(!RoomPattern::new("ab*ba").matches("aba"));
    }
}
