//! The `[policy]` settings: what a JWT-authenticated caller may ask for (the
//! engine is the facade's [`rtc_tokens::policy`]).
//!
//! | environment | TOML key | meaning (default) |
//! | --- | --- | --- |
//! | `POLICY_USER_CLAIM` | `policy.user_claim` | the claim holding the vendor user id (`sub`) |
//! | `POLICY_UID_CLAIM` | `policy.uid_claim` | the claim holding the numeric Agora uid (none) |
//! | `POLICY_UID_DERIVED` | `policy.uid_derived` | `true`: the uid is [`derive_uid`](rtc_tokens::policy::derive_uid) of the user id (`false`) |
//! | `POLICY_ROOMS` | `policy.rooms` | room patterns, `*` and `{claim}` placeholders (required) |
//! | `POLICY_ROLE_CLAIM` | `policy.role_claim` | the claim deciding the highest role (none) |
//! | `POLICY_PUBLISHER_VALUES` | `policy.publisher_values` | role claim values that allow publisher (`publisher`, `host`) |
//! | `POLICY_MAX_ROLE` | `policy.max_role` | the highest role without a role claim (`publisher`) |
//! | `POLICY_MAX_VALIDITY_SECS` | `policy.max_validity_secs` | the validity ceiling (3600) |
//! | `POLICY_KINDS` | `policy.kinds` | the token kinds allowed (`rtc`, `rtm`, `rtc_rtm`, `chat`) |
//!
//! Lists are TOML arrays or comma-separated text, so a pattern cannot
//! contain a comma.

use anyhow::{Result, anyhow, bail};
use rtc_tokens::config::{EnvName, Kind, Setting, Values};
use rtc_tokens::policy::{Policy, RoleRule, RoomPattern, UidRule};
use rtc_tokens::{Role, TokenKind};

/// The policy settings, as data.
pub const POLICY_SETTINGS: &[Setting] = &[
    Setting {
        key: "policy.user_claim",
        env: &[EnvName::new("POLICY_USER_CLAIM")],
        kind: Kind::Text,
        expect: "a claim name",
    },
    Setting {
        key: "policy.uid_claim",
        env: &[EnvName::new("POLICY_UID_CLAIM")],
        kind: Kind::Text,
        expect: "a claim name",
    },
    Setting {
        key: "policy.uid_derived",
        env: &[EnvName::new("POLICY_UID_DERIVED")],
        kind: Kind::Text,
        expect: "true or false",
    },
    Setting {
        key: "policy.rooms",
        env: &[EnvName::new("POLICY_ROOMS")],
        kind: Kind::Text,
        expect: "a list of room patterns (text, * and {claim})",
    },
    Setting {
        key: "policy.role_claim",
        env: &[EnvName::new("POLICY_ROLE_CLAIM")],
        kind: Kind::Text,
        expect: "a claim name",
    },
    Setting {
        key: "policy.publisher_values",
        env: &[EnvName::new("POLICY_PUBLISHER_VALUES")],
        kind: Kind::Text,
        expect: "a list of claim values",
    },
    Setting {
        key: "policy.max_role",
        env: &[EnvName::new("POLICY_MAX_ROLE")],
        kind: Kind::Text,
        expect: "publisher or subscriber",
    },
    Setting {
        key: "policy.max_validity_secs",
        env: &[EnvName::new("POLICY_MAX_VALIDITY_SECS")],
        kind: Kind::Text,
        expect: "a whole number of seconds between 1 and 86400",
    },
    Setting {
        key: "policy.kinds",
        env: &[EnvName::new("POLICY_KINDS")],
        kind: Kind::Text,
        expect: "a list of token kinds (rtc, rtm, rtc_rtm, chat, chat_app, convoai, stt)",
    },
];

/// The default role-claim values that allow publishing.
pub const DEFAULT_PUBLISHER_VALUES: &[&str] = &["publisher", "host"];

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn claim_name(values: &Values, key: &str) -> Result<Option<String>> {
    match values.text(key).map(str::trim) {
        None => Ok(None),
        Some("") => bail!("setting {}: must not be empty", values.name(key)),
        Some(name) => Ok(Some(name.to_owned())),
    }
}

/// Whether any policy setting is given.
#[must_use]
pub fn any_set(values: &Values) -> bool {
    POLICY_SETTINGS.iter().any(|s| values.is_set(s.key))
}

/// The policy from its settings, with `ceiling` (the server's longest
/// validity) as the highest allowed `max_validity_secs`.
///
/// # Errors
///
/// A message naming the setting (never a value): no room pattern, a bad
/// pattern, both uid sources, an unknown kind or role, a validity out of range.
pub fn policy(values: &Values, ceiling: u32) -> Result<Policy> {
    let rooms_text = values.text("policy.rooms").unwrap_or_default();
    let mut rooms = Vec::new();
    for (i, text) in list(rooms_text).iter().enumerate() {
        let pattern: RoomPattern = text.parse().map_err(|e| {
            anyhow!(
                "setting {}: pattern #{}: {e}",
                values.name("policy.rooms"),
                i.saturating_add(1)
            )
        })?;
        rooms.push(pattern);
    }
    if rooms.is_empty() {
        bail!(
            "setting {}: JWT authentication needs at least one room pattern (\"*\" allows every room)",
            values.name("policy.rooms")
        );
    }
    let mut policy = Policy::new(rooms);
    if let Some(claim) = claim_name(values, "policy.user_claim")? {
        policy.user_claim = claim;
    }
    let derived = values.get::<bool>("policy.uid_derived")?.unwrap_or(false);
    policy.uid = match (claim_name(values, "policy.uid_claim")?, derived) {
        (Some(_), true) => bail!(
            "setting {}: set either it or {}, not both",
            values.name("policy.uid_claim"),
            values.name("policy.uid_derived")
        ),
        (Some(claim), false) => UidRule::Claim(claim),
        (None, true) => UidRule::Derived,
        (None, false) => UidRule::Refused,
    };
    let max_role: Option<Role> = values.get("policy.max_role")?;
    policy.role = match claim_name(values, "policy.role_claim")? {
        Some(claim) => {
            if max_role.is_some() {
                bail!(
                    "setting {}: set either it or {}, not both",
                    values.name("policy.role_claim"),
                    values.name("policy.max_role")
                );
            }
            let publisher_values = values
                .text("policy.publisher_values")
                .map(list)
                .unwrap_or_else(|| {
                    DEFAULT_PUBLISHER_VALUES
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect()
                });
            RoleRule::Claim {
                claim,
                publisher_values,
            }
        }
        None => RoleRule::Fixed(max_role.unwrap_or(Role::Publisher)),
    };
    if let Some(secs) = values.parse("policy.max_validity_secs", |s| {
        s.parse::<u32>().ok().filter(|n| (1..=ceiling).contains(n))
    })? {
        policy.max_validity_secs = secs;
    }
    policy.max_validity_secs = policy.max_validity_secs.min(ceiling);
    if let Some(text) = values.text("policy.kinds") {
        let mut kinds = Vec::new();
        for name in list(text) {
            let kind: TokenKind = name.parse().map_err(|_| {
                anyhow!(
                    "setting {}: expected rtc, rtm, rtc_rtm, chat, chat_app, convoai or stt",
                    values.name("policy.kinds")
                )
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if kinds.is_empty() {
            bail!(
                "setting {}: must allow at least one kind",
                values.name("policy.kinds")
            );
        }
        policy.kinds = kinds;
    }
    Ok(policy)
}
