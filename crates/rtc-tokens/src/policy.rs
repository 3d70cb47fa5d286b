//! Identity-bound issuance: what a caller known by its claims (a verified
//! JWT's payload) may ask for.
//!
//! A [`Policy`] is checked against the caller's [`Claims`] and a
//! [`TokenRequest`] before anything is issued; it answers `Ok(())` or the
//! first [`Denial`] found, whose stable [`code`](Denial::code)
//! (`user_mismatch`, `room_not_allowed`, …) a server answers with and counts
//! by. The checks, in order:
//!
//! 1. **kind** — the request's kind is one of [`Policy::kinds`]
//!    (`kind_not_allowed`);
//! 2. **user** — every user the request names is the caller's: the string
//!    user id equals the claim [`Policy::user_claim`] (default `sub`), and a
//!    numeric Agora uid equals the one [`UidRule`] gives (a claim, or
//!    [`derive_uid`] of the user id). Uid 0 (Agora's "any user") and a request
//!    naming no user are refused (`user_mismatch`); a missing or unusable
//!    identity claim is `claim_missing`. Only an Agora Chat app token names
//!    no user, and only [`TokenKind::ChatApp`] in `kinds` allows it;
//! 3. **room** — the room, when the request names one, matches one of
//!    [`Policy::rooms`] (`room_not_allowed`);
//! 4. **role** — a publisher role, or explicit publishing privileges
//!    ([`TokenRequest::privileges`]: audio, video, data, screen), are asked
//!    only when [`RoleRule`] allows publishing (`role_not_allowed`); kinds
//!    without a role (RTM, Chat) are not checked;
//! 5. **validity** — neither the validity nor a per-privilege expiry is
//!    beyond [`Policy::max_validity_secs`] (`validity_exceeded`).
//!
//! Room patterns are text with `*` (any run of characters, possibly empty)
//! and `{claim}` placeholders, replaced by that claim's value: a string, an
//! integer, or any element of an array of them (`team-{org_id}-*`,
//! `dm-{sub}-*`). A placeholder whose claim is missing matches nothing. A
//! claim's value is matched literally (a `*` in it is no wildcard).
//!
//! ```
//! use rtc_tokens::policy::{Claims, Denial, Policy};
//! use rtc_tokens::{Role, TokenRequest};
//!
//! let policy = Policy::new(vec!["team-{org_id}-*".parse()?]);
//! let claims: Claims = serde_json::from_str(r#"{"sub": "alice", "org_id": "acme"}"#).unwrap();
//! assert_eq!(policy.check(&claims, &TokenRequest::rtc("alice", "team-acme-standup")), Ok(()));
//! assert_eq!(
//!     policy.check(&claims, &TokenRequest::rtc("bob", "team-acme-standup")),
//!     Err(Denial::UserMismatch)
//! );
//! assert_eq!(
//!     policy.check(&claims, &TokenRequest::rtc("alice", "team-umbrella-x")),
//!     Err(Denial::RoomNotAllowed)
//! );
//! # Ok::<(), rtc_tokens::policy::PatternError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{Privilege, Role, TokenKind, TokenRequest};

/// A caller's claims: a JWT payload's JSON object.
pub type Claims = serde_json::Map<String, Value>;

/// Why a request was refused. [`code`](Self::code) is stable: servers answer
/// with it and count by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Denial {
    /// The request names another user than the caller (or uid 0, or no user).
    UserMismatch,
    /// The room matches none of the allowed patterns.
    RoomNotAllowed,
    /// The request asks for a role above the caller's highest.
    RoleNotAllowed,
    /// The validity (or a privilege's) is beyond the policy's ceiling.
    ValidityExceeded,
    /// The token kind is not allowed to identity-bound callers.
    KindNotAllowed,
    /// The claim the caller's identity comes from is missing or unusable.
    ClaimMissing,
}

impl Denial {
    /// Every denial, in a fixed order (e.g. for a metrics label set).
    pub const ALL: &'static [Self] = &[
        Self::UserMismatch,
        Self::RoomNotAllowed,
        Self::RoleNotAllowed,
        Self::ValidityExceeded,
        Self::KindNotAllowed,
        Self::ClaimMissing,
    ];

    /// The stable snake_case reason code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::UserMismatch => "user_mismatch",
            Self::RoomNotAllowed => "room_not_allowed",
            Self::RoleNotAllowed => "role_not_allowed",
            Self::ValidityExceeded => "validity_exceeded",
            Self::KindNotAllowed => "kind_not_allowed",
            Self::ClaimMissing => "claim_missing",
        }
    }

    /// A lowercase sentence for the caller (names no value).
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::UserMismatch => "the request names another user than the authenticated caller",
            Self::RoomNotAllowed => "the room is not one the caller may join",
            Self::RoleNotAllowed => "the role is above the caller's highest role",
            Self::ValidityExceeded => "the validity is beyond the policy's ceiling",
            Self::KindNotAllowed => "this token kind is not issued to identity-bound callers",
            Self::ClaimMissing => "the caller's token lacks a claim the policy needs",
        }
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Denial {}

/// Where a caller's numeric Agora uid comes from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum UidRule {
    /// No uid is bound to callers: a request with a numeric uid is refused.
    #[default]
    Refused,
    /// This claim holds the uid (an integer from 1 to 4294967295, or its decimal text).
    Claim(String),
    /// [`derive_uid`] of the caller's user id.
    Derived,
}

/// The documented derivation of a numeric Agora uid from a user id: the first
/// four bytes of SHA-256 of the user id's UTF-8 bytes, big-endian, keeping
/// the low 31 bits (a positive `int` on every SDK); 0 becomes 1.
///
/// ```
/// assert_eq!(rtc_tokens::policy::derive_uid("alice"), 0x2bd806c9 & 0x7fff_ffff);
/// ```
#[must_use]
pub fn derive_uid(user_id: &str) -> u32 {
    let digest = Sha256::digest(user_id.as_bytes());
    let mut first = [0u8; 4];
    for (dst, src) in first.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    let uid = u32::from_be_bytes(first) & 0x7fff_ffff;
    uid.max(1)
}

/// The highest role a caller may ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleRule {
    /// The same for every caller.
    Fixed(Role),
    /// Publisher when the claim (a string, or an array of strings) holds one
    /// of `publisher_values` (compared ignoring ASCII case), else subscriber.
    Claim {
        /// The claim's name (e.g. `role`).
        claim: String,
        /// The values that make a publisher (e.g. `host`).
        publisher_values: Vec<String>,
    },
}

impl Default for RoleRule {
    fn default() -> Self {
        Self::Fixed(Role::Publisher)
    }
}

/// A room pattern that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The pattern is empty.
    #[error("room pattern is empty")]
    Empty,
    /// A `{` without its `}`, a `}` without its `{`, or `{}`.
    #[error("room pattern has an unbalanced or empty {{claim}} placeholder")]
    Placeholder,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    Claim(String),
    Wildcard,
}

/// A room pattern: text, `*` wildcards and `{claim}` placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomPattern {
    text: String,
    parts: Vec<Part>,
}

impl FromStr for RoomPattern {
    type Err = PatternError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        if text.is_empty() {
            return Err(PatternError::Empty);
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '*' | '{' => {
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    if c == '*' {
                        if parts.last() != Some(&Part::Wildcard) {
                            parts.push(Part::Wildcard);
                        }
                        continue;
                    }
                    let mut name = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        match c {
                            '}' => {
                                closed = true;
                                break;
                            }
                            '{' => return Err(PatternError::Placeholder),
                            c => name.push(c),
                        }
                    }
                    if !closed || name.trim().is_empty() {
                        return Err(PatternError::Placeholder);
                    }
                    parts.push(Part::Claim(name.trim().to_owned()));
                }
                '}' => return Err(PatternError::Placeholder),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self {
            text: text.to_owned(),
            parts,
        })
    }
}

impl fmt::Display for RoomPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The most values a placeholder's array claim contributes.
const MAX_CLAIM_VALUES: usize = 64;

/// The texts a claim stands for: a string, an integer, or the strings and
/// integers of an array (at most [`MAX_CLAIM_VALUES`]). Empty values are skipped.
fn claim_texts(value: Option<&Value>) -> Vec<String> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
            _ => None,
        }
    }
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(one)
            .take(MAX_CLAIM_VALUES)
            .collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

impl RoomPattern {
    /// Whether `room` matches this pattern for a caller with `claims`.
    #[must_use]
    pub fn matches(&self, room: &str, claims: &Claims) -> bool {
        match_parts(&self.parts, room, claims)
    }

    /// The claims the pattern's placeholders name.
    pub fn claims(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Claim(c) => Some(c.as_str()),
            _ => None,
        })
    }
}

/// Backtracking match of `parts` against `rest`. Rooms are short (the
/// vendors cap them at 128 bytes) and patterns are the operator's, so the
/// search stays small.
fn match_parts(parts: &[Part], rest: &str, claims: &Claims) -> bool {
    let Some((first, tail)) = parts.split_first() else {
        return rest.is_empty();
    };
    match first {
        Part::Literal(text) => rest
            .strip_prefix(text.as_str())
            .is_some_and(|r| match_parts(tail, r, claims)),
        Part::Claim(name) => claim_texts(claims.get(name)).iter().any(|text| {
            rest.strip_prefix(text.as_str())
                .is_some_and(|r| match_parts(tail, r, claims))
        }),
        Part::Wildcard => {
            if tail.is_empty() {
                return true;
            }
            rest.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(rest.len()))
                .any(|i| rest.get(i..).is_some_and(|r| match_parts(tail, r, claims)))
        }
    }
}

/// The kinds allowed by default: a user's own RTC, RTM, RTC+RTM and Chat
/// tokens. Chat app (administrator) tokens and agent tokens (ConvoAI, STT)
/// must be listed explicitly.
pub const DEFAULT_KINDS: &[TokenKind] = &[
    TokenKind::Rtc,
    TokenKind::Rtm,
    TokenKind::RtcRtm,
    TokenKind::Chat,
];

/// The default validity ceiling for identity-bound callers: one hour.
pub const DEFAULT_MAX_VALIDITY_SECS: u32 = 3_600;

/// What an identity-bound caller may ask for. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The claim holding the caller's vendor user id (default `sub`).
    pub user_claim: String,
    /// Where the caller's numeric Agora uid comes from.
    pub uid: UidRule,
    /// The rooms the caller may ask for (one must match).
    pub rooms: Vec<RoomPattern>,
    /// The caller's highest role.
    pub role: RoleRule,
    /// The longest validity (and per-privilege expiry) in seconds.
    pub max_validity_secs: u32,
    /// The kinds the caller may ask for.
    pub kinds: Vec<TokenKind>,
}

impl Policy {
    /// A policy allowing `rooms`, with the defaults: user id from `sub`, no
    /// numeric uid, publisher allowed, one hour at most, [`DEFAULT_KINDS`].
    #[must_use]
    pub fn new(rooms: Vec<RoomPattern>) -> Self {
        Self {
            user_claim: "sub".to_owned(),
            uid: UidRule::Refused,
            rooms,
            role: RoleRule::default(),
            max_validity_secs: DEFAULT_MAX_VALIDITY_SECS,
            kinds: DEFAULT_KINDS.to_vec(),
        }
    }

    /// The caller's user id: the user claim as text (a string or an integer).
    #[must_use]
    pub fn user_id(&self, claims: &Claims) -> Option<String> {
        match claims.get(&self.user_claim)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) if n.is_u64() => Some(n.to_string()),
            _ => None,
        }
    }

    /// The caller's numeric uid, when the policy binds one.
    #[must_use]
    pub fn uid(&self, claims: &Claims) -> Option<u32> {
        match &self.uid {
            UidRule::Refused => None,
            UidRule::Derived => self.user_id(claims).map(|u| derive_uid(&u)),
            UidRule::Claim(name) => match claims.get(name)? {
                Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                Value::String(s) => s.parse::<u32>().ok(),
                _ => None,
            }
            .filter(|uid| *uid != 0),
        }
    }

    /// The caller's highest role.
    #[must_use]
    pub fn max_role(&self, claims: &Claims) -> Role {
        match &self.role {
            RoleRule::Fixed(role) => *role,
            RoleRule::Claim {
                claim,
                publisher_values,
            } => {
                let values = claim_texts(claims.get(claim));
                let publisher = values
                    .iter()
                    .any(|v| publisher_values.iter().any(|p| p.eq_ignore_ascii_case(v)));
                if publisher {
                    Role::Publisher
                } else {
                    Role::Subscriber
                }
            }
        }
    }

    /// Checks `request` for a caller with `claims`.
    ///
    /// # Errors
    ///
    /// The first [`Denial`] found, in the order of the module documentation.
    pub fn check(&self, claims: &Claims, request: &TokenRequest) -> Result<(), Denial> {
        if !self.kinds.contains(&request.kind) {
            return Err(Denial::KindNotAllowed);
        }
        self.check_user(claims, request)?;
        if let Some(room) = &request.room
            && !self.rooms.iter().any(|p| p.matches(room, claims))
        {
            return Err(Denial::RoomNotAllowed);
        }
        let has_role = matches!(
            request.kind,
            TokenKind::Rtc | TokenKind::RtcRtm | TokenKind::ConvoAi | TokenKind::Stt
        );
        let publishes = request.role == Role::Publisher
            || request.privileges.iter().flatten().any(|p| {
                matches!(
                    p,
                    Privilege::PublishAudio
                        | Privilege::PublishVideo
                        | Privilege::PublishData
                        | Privilege::PublishScreen
                )
            });
        if has_role && publishes && self.max_role(claims) != Role::Publisher {
            return Err(Denial::RoleNotAllowed);
        }
        let max = self.max_validity_secs;
        let expiries = request.privilege_expiries.as_ref().map_or([None; 4], |p| {
            [p.join, p.publish_audio, p.publish_video, p.publish_data]
        });
        if request.validity_secs > max || expiries.iter().flatten().any(|v| *v > max) {
            return Err(Denial::ValidityExceeded);
        }
        Ok(())
    }

    fn check_user(&self, claims: &Claims, request: &TokenRequest) -> Result<(), Denial> {
        if request.kind == TokenKind::ChatApp {
            return Ok(());
        }
        if request.user_id.is_none() && request.uid.is_none() {
            return Err(Denial::UserMismatch);
        }
        let user = self.user_id(claims).ok_or(Denial::ClaimMissing)?;
        if let Some(asked) = &request.user_id
            && *asked != user
        {
            return Err(Denial::UserMismatch);
        }
        if let Some(asked) = request.uid {
            if asked == 0 || self.uid == UidRule::Refused {
                return Err(Denial::UserMismatch);
            }
            let own = self.uid(claims).ok_or(Denial::ClaimMissing)?;
            if asked != own {
                return Err(Denial::UserMismatch);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrivilegeExpiries;
    use proptest::prelude::*;

    fn claims(json: &str) -> Claims {
        serde_json::from_str(json).unwrap()
    }

    fn pattern(s: &str) -> RoomPattern {
        s.parse().unwrap()
    }

    #[test]
    fn patterns_parse_and_refuse_bad_placeholders() {
        assert_eq!("".parse::<RoomPattern>(), Err(PatternError::Empty));
        for bad in ["team-{org", "team-}x", "a{}b", "a{b{c}}"] {
            assert_eq!(
                bad.parse::<RoomPattern>(),
                Err(PatternError::Placeholder),
                "{bad}"
            );
        }
        let p = pattern("team-{org_id}-*");
        assert_eq!(p.to_string(), "team-{org_id}-*");
        assert_eq!(p.claims().collect::<Vec<_>>(), vec!["org_id"]);
    }

    #[test]
    fn patterns_match_with_claims_and_wildcards() {
        let c = claims(r#"{"sub":"alice","org_id":"acme","teams":["red",7],"n":42}"#);
        assert!(pattern("team-{org_id}-*").matches("team-acme-standup", &c));
        assert!(pattern("team-{org_id}-*").matches("team-acme-", &c));
        assert!(!pattern("team-{org_id}-*").matches("team-umbrella-x", &c));
        assert!(!pattern("team-{org_id}-*").matches("team-acme", &c));
        assert!(pattern("{teams}/*").matches("red/x", &c));
        assert!(pattern("{teams}/*").matches("7/x", &c));
        assert!(!pattern("{teams}/*").matches("blue/x", &c));
        assert!(pattern("room-{n}").matches("room-42", &c));
        assert!(!pattern("room-{missing}").matches("room-", &c));
        assert!(pattern("*").matches("anything", &c));
        assert!(pattern("a*b*c").matches("aXXbYYc", &c));
        assert!(!pattern("a*b*c").matches("aXXbYY", &c));
        assert!(pattern("lobby").matches("lobby", &c));
        assert!(!pattern("lobby").matches("lobby2", &c));
        // A claim's `*` is literal.
        let star = claims(r#"{"org_id":"*"}"#);
        assert!(!pattern("team-{org_id}").matches("team-acme", &star));
        assert!(pattern("team-{org_id}").matches("team-*", &star));
    }

    fn alice() -> Claims {
        claims(r#"{"sub":"alice","org_id":"acme","role":"host","uid":"1234"}"#)
    }

    #[test]
    fn user_binding() {
        let p = Policy::new(vec![pattern("*")]);
        assert_eq!(p.check(&alice(), &TokenRequest::rtc("alice", "r")), Ok(()));
        assert_eq!(
            p.check(&alice(), &TokenRequest::rtc("bob", "r")),
            Err(Denial::UserMismatch)
        );
        assert_eq!(
            p.check(&alice(), &TokenRequest::rtc_uid(1234, "r")),
            Err(Denial::UserMismatch)
        );
        assert_eq!(
            p.check(&alice(), &TokenRequest::rtm("bob")),
            Err(Denial::UserMismatch)
        );
        let nobody = TokenRequest {
            room: Some("r".into()),
            ..TokenRequest::default()
        };
        assert_eq!(p.check(&alice(), &nobody), Err(Denial::UserMismatch));
        assert_eq!(
            p.check(
                &claims(r#"{"org_id":"acme"}"#),
                &TokenRequest::rtc("alice", "r")
            ),
            Err(Denial::ClaimMissing)
        );
        let by_claim = Policy {
            uid: UidRule::Claim("uid".into()),
            ..p.clone()
        };
        assert_eq!(
            by_claim.check(&alice(), &TokenRequest::rtc_uid(1234, "r")),
            Ok(())
        );
        assert_eq!(
            by_claim.check(&alice(), &TokenRequest::rtc_uid(1235, "r")),
            Err(Denial::UserMismatch)
        );
        assert_eq!(
            by_claim.check(&alice(), &TokenRequest::rtc_uid(0, "r")),
            Err(Denial::UserMismatch)
        );
        let derived = Policy {
            uid: UidRule::Derived,
            ..p
        };
        let own = derive_uid("alice");
        assert_eq!(
            derived.check(&alice(), &TokenRequest::rtc_uid(own, "r")),
            Ok(())
        );
    }

    #[test]
    fn rooms_roles_validity_and_kinds() {
        let p = Policy {
            role: RoleRule::Claim {
                claim: "role".into(),
                publisher_values: vec!["host".into()],
            },
            ..Policy::new(vec![pattern("team-{org_id}-*")])
        };
        assert_eq!(
            p.check(&alice(), &TokenRequest::rtc("alice", "team-other-1")),
            Err(Denial::RoomNotAllowed)
        );
        let guest = claims(r#"{"sub":"alice","org_id":"acme","role":"guest"}"#);
        let publisher = TokenRequest::rtc("alice", "team-acme-1");
        assert_eq!(p.check(&alice(), &publisher), Ok(()));
        assert_eq!(p.check(&guest, &publisher), Err(Denial::RoleNotAllowed));
        let subscriber = TokenRequest {
            role: Role::Subscriber,
            ..publisher.clone()
        };
        assert_eq!(p.check(&guest, &subscriber), Ok(()));
        // Explicit privileges (Tencent) publishing under a subscriber role: refused.
        let sneaky = TokenRequest {
            privileges: Some(vec![Privilege::JoinChannel, Privilege::PublishScreen]),
            ..subscriber.clone()
        };
        assert_eq!(p.check(&guest, &sneaky), Err(Denial::RoleNotAllowed));
        let watcher = TokenRequest {
            privileges: Some(vec![Privilege::JoinChannel, Privilege::SubscribeVideo]),
            ..subscriber.clone()
        };
        assert_eq!(p.check(&guest, &watcher), Ok(()));
        // RTM has no role.
        assert_eq!(p.check(&guest, &TokenRequest::rtm("alice")), Ok(()));
        let long = TokenRequest {
            validity_secs: 3_601,
            ..publisher.clone()
        };
        assert_eq!(p.check(&alice(), &long), Err(Denial::ValidityExceeded));
        let long_privilege = TokenRequest {
            privilege_expiries: Some(PrivilegeExpiries {
                publish_audio: Some(7_200),
                ..PrivilegeExpiries::default()
            }),
            ..publisher
        };
        assert_eq!(
            p.check(&alice(), &long_privilege),
            Err(Denial::ValidityExceeded)
        );
        let app = TokenRequest {
            kind: TokenKind::ChatApp,
            ..TokenRequest::default()
        };
        assert_eq!(p.check(&alice(), &app), Err(Denial::KindNotAllowed));
        let codes: Vec<_> = Denial::ALL.iter().map(|d| d.code()).collect();
        assert!(codes.contains(&"user_mismatch") && codes.contains(&"room_not_allowed"));
    }

    proptest! {
        #[test]
        fn derived_uid_is_a_positive_int(user in ".{1,64}") {
            let uid = derive_uid(&user);
            prop_assert!((1..=0x7fff_ffff).contains(&uid));
            prop_assert_eq!(uid, derive_uid(&user));
        }

        #[test]
        fn a_claim_substitution_matches_only_its_own_room(org in "[a-z0-9]{1,12}", other in "[a-z0-9]{1,12}", tail in "[a-z0-9-]{0,12}") {
            let c: Claims = serde_json::from_value(serde_json::json!({"org_id": org})).unwrap();
            let p = pattern("team-{org_id}-*");
            let own = format!("team-{org}-{tail}");
            prop_assert!(p.matches(&own, &c));
            if !format!("{other}-").starts_with(&format!("{org}-")) {
                let foreign = format!("team-{other}-{tail}");
                prop_assert!(!p.matches(&foreign, &c));
            }
        }
    }
}
