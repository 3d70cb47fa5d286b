//! Diagnostics: what is worth knowing about a token, as typed values that a
//! CLI or a server renders in its own words.
//!
//! - [`ParsedToken::notes`] lists [`Note`]s about a parsed token: when it
//!   expires, an expiry Agora's servers count differently (the 24-hour cap),
//!   what was not checked and why, ZEGO CBC's missing authentication, an
//!   unknown Agora service, privileges that end before the token does, an
//!   Agora time written in the other unit (a unix time where 007 wants
//!   seconds of validity, seconds where 006 wants a unix time), a token good
//!   for RTC only or RTM only, an RTC account made only of digits; for a
//!   Tencent UserSig, an identifier outside Tencent's user id rule, a
//!   PrivateMapKey whose userbuf names another account or SDKAppID, and
//!   privilege bits Tencent does not define.
//!   [`ParsedToken::principal_notes`] compares the token with the channel and
//!   user a caller expected.
//! - [`mangling`] recognises a token damaged in transit (a `+` turned into a
//!   space by a URL decoder, percent-encoding, quotes, two tokens pasted
//!   together, line breaks, lost characters) and says which, as a
//!   [`Mangling`]. It answers only when the damage is certain: the repaired
//!   token decodes (truncation excepted, which is recognised by its length).
//! - [`legacy_format`] recognises a token in a format this library does not
//!   read (ZEGO's token03), as a [`LegacyFormat`], so that it is explained
//!   rather than called unknown.
//!
//! Nothing here verifies anything: notes describe a [`ParsedToken`] as the
//! provider or [`insecure_decode`](crate::dangerous::insecure_decode) left it. Notes never contain a
//! secret; they contain no token bytes either.

use serde::Serialize;

use crate::{ParsedToken, TokenVersion, Vendor, VendorDetail, Verification};

/// Something worth knowing about a parsed token; see [`ParsedToken::notes`].
///
/// Times are unix seconds. Serialized with a `note` tag in snake_case
/// (`{"note": "expires_in", "at": 1716003600, "secs": 3599}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Note {
    /// The token has expired: at `at`, `secs_ago` seconds before the check.
    Expired {
        /// When it expired.
        at: u64,
        /// How long ago.
        secs_ago: u64,
    },
    /// The token is valid for `secs` more seconds, until `at`.
    ExpiresIn {
        /// When it expires.
        at: u64,
        /// How long from now.
        secs: u64,
    },
    /// Agora 007: the token's `expire` field is 0 or more than Agora's 24-hour
    /// cap, so Agora's servers count 24 hours: it expires at `effective_expires_at`.
    ValidityCapped {
        /// The `expire` field, seconds from issue.
        expire_secs: u32,
        /// The cap, seconds.
        cap_secs: u32,
        /// When it expires as Agora's servers apply it.
        effective_expires_at: u64,
    },
    /// The signature or encryption was not checked: the token was decoded
    /// without its secret or certificate (an Agora 006 token also when its
    /// channel and uid were not given: see [`Note::NeedsChannelAndUid`]).
    NotVerified {
        /// Whose secret is missing.
        vendor: Vendor,
    },
    /// The signature does not match the certificate (or, ZEGO, the token does
    /// not decrypt): made with other credentials, or altered.
    SignatureInvalid,
    /// Agora 006: the signature covers the channel and uid, of which the token
    /// carries only CRC32s; it verifies only when both are given.
    NeedsChannelAndUid,
    /// ZEGO: only the clear-text header was read (no ServerSecret), so the
    /// expiry shown is unauthenticated: anyone could have changed it.
    ExpiryUnauthenticated,
    /// ZEGO CBC: it decrypted, but CBC is not authenticated, so an altered
    /// token could decrypt too.
    CbcUnauthenticated,
    /// Agora 007: decoding stopped at a service type this library does not
    /// know (the signature still covers the rest).
    UnknownServiceType {
        /// The service type.
        service_type: u16,
    },
    /// A privilege ends before the token does: from `at`, that action is refused.
    PrivilegeExpiresEarly {
        /// The service (`rtc`, `rtm`…).
        service: String,
        /// The privilege, in plain words.
        privilege: String,
        /// When it expires.
        at: u64,
    },
    /// A privilege has already expired, though the token has not.
    PrivilegeExpired {
        /// The service (`rtc`, `rtm`…).
        service: String,
        /// The privilege, in plain words.
        privilege: String,
        /// When it expired.
        at: u64,
    },
    /// The token names another channel (room) than the one expected; `found`
    /// is `None` for an Agora 006 token, which names its channel only by CRC32.
    ChannelMismatch {
        /// The channel expected.
        expected: String,
        /// The channel in the token, when readable.
        found: Option<String>,
    },
    /// The token names another user than the one expected; `found` is `None`
    /// for an Agora 006 token, which names its uid only by CRC32.
    UserMismatch {
        /// The user expected (uid 0 is `""`).
        expected: String,
        /// The user in the token, when readable.
        found: Option<String>,
    },
    /// Agora 007: a validity that looks like an absolute unix time (at least
    /// 10⁹ s, 31 years) where 007 expects seconds from issue. For the token's
    /// `expire` Agora then counts 24 hours (see [`Note::ValidityCapped`]); a
    /// privilege never expires before the token does.
    TimestampAsValidity {
        /// The service (`rtc`, `rtm`…); `None` for the token's `expire` field.
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        /// The privilege, in plain words; `None` for the token's `expire` field.
        #[serde(skip_serializing_if = "Option::is_none")]
        privilege: Option<String>,
        /// The value written, seconds.
        value: u32,
    },
    /// Agora 006: an absolute expiry so small (under 10⁹, before 2001) that
    /// it is surely seconds of validity where 006 expects a unix time: it
    /// expired in 1970.
    ValidityAsTimestamp {
        /// The service (`rtc`, `rtm`); `None` for the token's own expiry (`ts`).
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        /// The privilege, in plain words; `None` for the token's own expiry.
        #[serde(skip_serializing_if = "Option::is_none")]
        privilege: Option<String>,
        /// The value written, unix seconds.
        value: u32,
    },
    /// Agora: the token lets its user join an RTC channel but carries no RTM
    /// login: RTM (Signaling) refuses it.
    RtcOnly,
    /// Agora: the token carries an RTM login but no RTC join: joining a
    /// channel with it is refused.
    RtmOnly,
    /// Agora: the RTC user is an account made only of digits. Agora writes a
    /// numeric uid as its decimal string, so when `uid` is `Some` the token
    /// serves a client joining with that uid and one joining with the account
    /// alike (a channel should not mix the two). When `uid` is `None` (a
    /// leading zero, `"0"`, beyond `u32`) no numeric uid is written this way:
    /// a client joining with a numeric uid is refused and needs a uid token.
    NumericAccount {
        /// The account.
        account: String,
        /// The numeric uid written the same way, if any.
        uid: Option<u32>,
    },
    /// Tencent: the identifier breaks Tencent's documented user id rule (1
    /// to 32 bytes of ASCII letters, digits, `_` and `-`); TRTC's SDKs may
    /// refuse it. Tencent's reference generators check nothing, so such
    /// tokens exist.
    UserIdOutsideLimits,
    /// Tencent: the PrivateMapKey's userbuf names another `field`
    /// (`account` or `sdkappid`) than the UserSig itself: TRTC refuses it.
    PrivateMapKeyMismatch {
        /// The userbuf field that differs.
        field: String,
    },
    /// Tencent: the privilege map has bits Tencent does not define.
    UnknownPrivilegeBits {
        /// Those bits.
        bits: u32,
    },
}

impl Note {
    /// Whether the note warns of something that will make a request fail or
    /// that weakens what the parse could say: everything but
    /// [`Note::ExpiresIn`], [`Note::RtcOnly`], [`Note::RtmOnly`] and a
    /// [`Note::NumericAccount`] that is also a uid, which only inform.
    #[must_use]
    pub const fn is_warning(&self) -> bool {
        !matches!(
            self,
            Self::ExpiresIn { .. }
                | Self::RtcOnly
                | Self::RtmOnly
                | Self::NumericAccount { uid: Some(_), .. }
        )
    }
}

/// What the vendor detail says that notes need; the one place that looks
/// inside [`VendorDetail`].
#[derive(Default)]
struct Facts {
    zego_header_only: bool,
    zego_cbc: bool,
    /// Agora 007: the `expire` field and when the token expires as Agora applies it,
    /// when the two differ (the 24-hour cap).
    agora_capped: Option<(u32, u64)>,
    unknown_service_type: Option<u16>,
    /// Agora: times written in the other unit ([`Note::TimestampAsValidity`],
    /// [`Note::ValidityAsTimestamp`]).
    wrong_unit: Vec<Note>,
    /// Agora: whether the token lets its user join an RTC channel, and log in to RTM.
    rtc_join: bool,
    rtm_login: bool,
    /// Agora 007: the RTC service's user (006 names it only by CRC32).
    rtc_user: Option<String>,
    /// Tencent: what is odd about the UserSig.
    tencent: Vec<Note>,
}

/// The least value read as a unix time rather than seconds of validity:
/// 10⁹ s is 31 years as a validity and September 2001 as a time.
const LOOKS_LIKE_UNIX_TIME: u32 = 1_000_000_000;

/// A time in the wrong unit, as the note `make` builds from the service,
/// privilege (`None`, `None` for the token's own field) and value.
type WrongUnit = fn(Option<String>, Option<String>, u32) -> Note;

fn timestamp_as_validity(service: Option<String>, privilege: Option<String>, value: u32) -> Note {
    Note::TimestampAsValidity {
        service,
        privilege,
        value,
    }
}

fn validity_as_timestamp(service: Option<String>, privilege: Option<String>, value: u32) -> Note {
    Note::ValidityAsTimestamp {
        service,
        privilege,
        value,
    }
}

impl Facts {
    fn of(detail: &VendorDetail) -> Self {
        match detail {
            VendorDetail::Zego04(claims) => Self {
                zego_cbc: claims.mode == zego_token04::Mode::Cbc,
                ..Self::default()
            },
            VendorDetail::Zego04Sealed(header) => Self {
                zego_header_only: true,
                zego_cbc: header.mode == zego_token04::Mode::Cbc,
                ..Self::default()
            },
            VendorDetail::Agora007(t) => {
                use agora_dynamic_key::access_token2::Service;
                let written = u64::from(t.issue_ts).saturating_add(u64::from(t.expire));
                let applied = t.effective_expires_at();
                let make: WrongUnit = timestamp_as_validity;
                let mut wrong_unit = Vec::new();
                if t.expire >= LOOKS_LIKE_UNIX_TIME {
                    wrong_unit.push(make(None, None, t.expire));
                }
                for service in &t.services {
                    let kind = service.service_type();
                    for (&id, &secs) in service.privileges() {
                        if secs >= LOOKS_LIKE_UNIX_TIME {
                            let name = kind
                                .privilege_name(id)
                                .map_or_else(|| format!("privilege {id}"), str::to_owned);
                            wrong_unit.push(make(Some(kind.name().to_owned()), Some(name), secs));
                        }
                    }
                }
                let rtc = t.services.iter().find_map(|s| match s {
                    Service::Rtc(rtc) if rtc.privileges.contains_key(&1) => Some(rtc),
                    _ => None,
                });
                let rtm_login = t.services.iter().any(|s| {
                    matches!(s, Service::Rtm(_) | Service::Rtm2(_))
                        && s.privileges().contains_key(&1)
                });
                Self {
                    agora_capped: (written != applied).then_some((t.expire, applied)),
                    unknown_service_type: t.unknown_service_type,
                    wrong_unit,
                    rtc_join: rtc.is_some(),
                    rtm_login,
                    rtc_user: rtc.map(|r| r.uid.clone()),
                    ..Self::default()
                }
            }
            VendorDetail::Tencent(t) => {
                let mut tencent = Vec::new();
                if !t.identifier_meets_limits() {
                    tencent.push(Note::UserIdOutsideLimits);
                }
                if let Some(k) = &t.private_map_key {
                    for (field, differs) in [
                        ("account", k.account != t.identifier),
                        ("sdkappid", k.sdkappid != t.sdkappid),
                    ] {
                        if differs {
                            tencent.push(Note::PrivateMapKeyMismatch {
                                field: field.to_owned(),
                            });
                        }
                    }
                    let bits = k.privileges.unknown_bits();
                    if bits != 0 {
                        tencent.push(Note::UnknownPrivilegeBits { bits });
                    }
                }
                Self {
                    tencent,
                    ..Self::default()
                }
            }
            VendorDetail::Agora006(t) => {
                use agora_dynamic_key::access_token::Privilege;
                let make: WrongUnit = validity_as_timestamp;
                let small = |v: u32| v != 0 && v < LOOKS_LIKE_UNIX_TIME;
                let mut wrong_unit = Vec::new();
                if small(t.ts) {
                    wrong_unit.push(make(None, None, t.ts));
                }
                for (&id, &ts) in t.privileges.iter().filter(|&(_, &ts)| small(ts)) {
                    let known = Privilege::from_u16(id);
                    let service = known.map_or("rtc", |p| p.service().name());
                    let name =
                        known.map_or_else(|| format!("privilege {id}"), |p| p.name().to_owned());
                    wrong_unit.push(make(Some(service.to_owned()), Some(name), ts));
                }
                let has = |p: Privilege| t.privileges.contains_key(&u16::from(p));
                Self {
                    wrong_unit,
                    rtc_join: has(Privilege::JoinChannel),
                    rtm_login: has(Privilege::RtmLogin),
                    ..Self::default()
                }
            }
        }
    }
}

/// The note about an RTC account made only of digits, if `account` is one.
fn numeric_account(account: &str) -> Option<Note> {
    if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let uid = account
        .parse::<u32>()
        .ok()
        .filter(|&uid| agora_dynamic_key::access_token::uid_string(uid) == account);
    Some(Note::NumericAccount {
        account: account.to_owned(),
        uid,
    })
}

impl ParsedToken {
    /// The notes about this token as of `now` (unix seconds), most important
    /// first: expiry, what was not checked, then format facts and privileges.
    ///
    /// ```
    /// use rtc_tokens::diagnostics::Note;
    /// use rtc_tokens::{AgoraProvider, ParseOptions, TokenProvider, TokenRequest};
    ///
    /// # fn main() -> Result<(), rtc_tokens::Error> {
    /// let agora = AgoraProvider::demo();
    /// let issued = agora.issue_at(&TokenRequest::rtc("alice", "lobby"), 1_000)?;
    /// let parsed = agora.inspect(&issued.token, &ParseOptions::skip_expiry())?;
    /// assert_eq!(
    ///     parsed.notes(1_000),
    ///     [Note::ExpiresIn { at: 4_600, secs: 3_600 }, Note::RtcOnly]
    /// );
    /// assert!(matches!(parsed.notes(9_999)[0], Note::Expired { .. }));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn notes(&self, now: u64) -> Vec<Note> {
        let facts = Facts::of(&self.detail);
        let mut notes = Vec::new();
        let at = self.expires_at;
        let expired = now >= at;
        notes.push(if expired {
            Note::Expired {
                at,
                secs_ago: now.saturating_sub(at),
            }
        } else {
            Note::ExpiresIn {
                at,
                secs: at.saturating_sub(now),
            }
        });
        if let Some((expire_secs, effective_expires_at)) = facts.agora_capped {
            notes.push(Note::ValidityCapped {
                expire_secs,
                cap_secs: agora_dynamic_key::MAX_VALIDITY_SECS,
                effective_expires_at,
            });
        }
        match self.verification {
            Verification::SignatureInvalid => notes.push(Note::SignatureInvalid),
            Verification::NotChecked => {
                notes.push(Note::NotVerified {
                    vendor: self.vendor,
                });
                let named = self.room.is_some() && self.user.is_some();
                if self.version == TokenVersion::Agora006 && !named {
                    notes.push(Note::NeedsChannelAndUid);
                }
            }
            Verification::DecryptedUnauthenticated => notes.push(Note::CbcUnauthenticated),
            Verification::Verified => {}
        }
        if facts.zego_cbc && self.verification != Verification::DecryptedUnauthenticated {
            notes.push(Note::CbcUnauthenticated);
        }
        if facts.zego_header_only {
            notes.push(Note::ExpiryUnauthenticated);
        }
        if let Some(service_type) = facts.unknown_service_type {
            notes.push(Note::UnknownServiceType { service_type });
        }
        if !expired {
            for p in &self.privileges {
                let Some(p_at) = p.expires_at.filter(|&t| t < at) else {
                    continue;
                };
                let (service, privilege) = (p.service.clone(), p.name.clone());
                notes.push(if p_at <= now {
                    Note::PrivilegeExpired {
                        service,
                        privilege,
                        at: p_at,
                    }
                } else {
                    Note::PrivilegeExpiresEarly {
                        service,
                        privilege,
                        at: p_at,
                    }
                });
            }
        }
        notes.extend(facts.wrong_unit);
        notes.extend(facts.tencent);
        if facts.rtc_join {
            // 006 names its uid only by CRC32: the user is known once verified with it.
            let user = facts.rtc_user.as_deref().or(match self.version {
                TokenVersion::Agora006 => self.user.as_deref(),
                _ => None,
            });
            notes.extend(user.and_then(numeric_account));
        }
        match (facts.rtc_join, facts.rtm_login) {
            (true, false) => notes.push(Note::RtcOnly),
            (false, true) => notes.push(Note::RtmOnly),
            _ => {}
        }
        notes
    }

    /// Notes comparing the token with the channel (room) and user a caller
    /// expected (a numeric uid as its decimal string, uid 0 as `""`). A token
    /// for any user (an empty user) matches every user.
    ///
    /// An Agora 006 token names both only by CRC32s: a mismatch is noted (with
    /// `found: None`) when a CRC32 differs, which proves it; a match is only
    /// likely until the signature is verified with them.
    #[must_use]
    pub fn principal_notes(&self, channel: Option<&str>, user: Option<&str>) -> Vec<Note> {
        let mut notes = Vec::new();
        if let VendorDetail::Agora006(t) = &self.detail {
            if let Some(want) = channel.filter(|c| !t.may_be_for_channel(c)) {
                notes.push(Note::ChannelMismatch {
                    expected: want.to_owned(),
                    found: None,
                });
            }
            if let Some(want) = user.filter(|u| !t.may_be_for_uid(u)) {
                notes.push(Note::UserMismatch {
                    expected: want.to_owned(),
                    found: None,
                });
            }
            return notes;
        }
        if let (Some(want), Some(have)) = (channel, &self.room)
            && want != have
        {
            notes.push(Note::ChannelMismatch {
                expected: want.to_owned(),
                found: Some(have.clone()),
            });
        }
        if let (Some(want), Some(have)) = (user, &self.user)
            && want != have
            && !have.is_empty()
        {
            notes.push(Note::UserMismatch {
                expected: want.to_owned(),
                found: Some(have.clone()),
            });
        }
        notes
    }
}

/// How a token was damaged on its way, as [`mangling`] recognises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mangling {
    /// Its `+` characters became spaces: it went through a URL query or form
    /// decoder unescaped (`?token=…` without percent-encoding).
    PlusBecameSpace,
    /// It is still percent-encoded (`%2B`, `%2F`, `%3D`): it was URL-encoded
    /// and not decoded.
    UrlEncoded,
    /// It is wrapped in quotes (`"…"`, `'…'`, typographic quotes or backticks).
    Quoted,
    /// Two tokens were pasted together (with or without a separator).
    Concatenated,
    /// It has whitespace or line breaks inside (a wrapped line, a mail client).
    WhitespaceInside,
    /// Characters are missing at the end: it was cut when copied.
    Truncated,
}

impl Mangling {
    /// The stable snake_case name (`plus_became_space`, `url_encoded`…).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PlusBecameSpace => "plus_became_space",
            Self::UrlEncoded => "url_encoded",
            Self::Quoted => "quoted",
            Self::Concatenated => "concatenated",
            Self::WhitespaceInside => "whitespace_inside",
            Self::Truncated => "truncated",
        }
    }
}

/// A token in a format this library does not read, as [`legacy_format`]
/// recognises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LegacyFormat {
    /// ZEGO token03, token04's predecessor (prefix `03`, AES-CBC, no mode
    /// byte). ZEGO's current server assistant issues token04.
    ZegoToken03,
}

impl LegacyFormat {
    /// The stable snake_case name (`zego_token03`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ZegoToken03 => "zego_token03",
        }
    }

    /// Whose format it is.
    #[must_use]
    pub const fn vendor(self) -> Vendor {
        match self {
            Self::ZegoToken03 => Vendor::Zego,
        }
    }
}

/// Recognises a token in a legacy format this library does not read, by its
/// prefix and layout, so that it can be explained rather than called an
/// unknown version; `None` for anything else (surrounding whitespace is
/// ignored).
///
/// ```
/// use rtc_tokens::diagnostics::{LegacyFormat, legacy_format};
///
/// // "03", then the CBC container: expiry, IV length 16, an alphanumeric IV,
/// // ciphertext length 16 and 16 ciphertext bytes.
/// let token03 = "03AAAAAGVT8QAAEDAxMjM0NTY3ODlhYmNkZWYAEKWlpaWlpaWlpaWlpaWlpaU=";
/// assert_eq!(legacy_format(token03), Some(LegacyFormat::ZegoToken03));
/// assert_eq!(legacy_format("03hello"), None);
/// ```
#[must_use]
pub fn legacy_format(token: &str) -> Option<LegacyFormat> {
    zego_token04::recognise_token03(token.trim()).map(|_| LegacyFormat::ZegoToken03)
}

/// Whether `token` decodes as some vendor's token (no credentials involved).
fn decodes(token: &str) -> bool {
    crate::dangerous::insecure_decode(token).is_ok()
}

const QUOTES: [(char, char); 5] = [
    ('"', '"'),
    ('\'', '\''),
    ('`', '`'),
    ('\u{201c}', '\u{201d}'),
    ('\u{2018}', '\u{2019}'),
];

/// Recognises a token damaged in transit; `None` when `token` decodes as it
/// is (surrounding whitespace aside) or when the damage is none of these.
///
/// Pass the text as received, untrimmed: a `+` at the token's very end that
/// became a space is recognisable only while that trailing space is there.
///
/// ```
/// use rtc_tokens::diagnostics::{Mangling, mangling};
/// use rtc_tokens::{AgoraProvider, TokenProvider, TokenRequest};
///
/// # fn main() -> Result<(), rtc_tokens::Error> {
/// let token = AgoraProvider::demo().issue(&TokenRequest::rtc("alice", "lobby"))?.token;
/// assert_eq!(mangling(&token), None);
/// assert_eq!(mangling(&format!("\"{token}\"")), Some(Mangling::Quoted));
/// assert_eq!(mangling(&format!("{token}{token}")), Some(Mangling::Concatenated));
/// # Ok(())
/// # }
/// ```
#[must_use]
pub fn mangling(token: &str) -> Option<Mangling> {
    let s = token.trim();
    if s.is_empty() || decodes(s) {
        return None;
    }
    for (open, close) in QUOTES {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && (decodes(inner.trim()) || mangling(inner).is_some())
        {
            return Some(Mangling::Quoted);
        }
    }
    if let Some(decoded) = percent_decode(s)
        && decodes(&decoded)
    {
        return Some(Mangling::UrlEncoded);
    }
    if concatenated(s) {
        return Some(Mangling::Concatenated);
    }
    if plus_became_space(token) {
        return Some(Mangling::PlusBecameSpace);
    }
    let joined: String = s.split_whitespace().collect();
    if joined != s && decodes(&joined) {
        return Some(Mangling::WhitespaceInside);
    }
    if truncated(s) {
        return Some(Mangling::Truncated);
    }
    None
}

/// Spaces that decode once turned back into `+`. A `+` at the token's end
/// becomes a trailing space, so trailing spaces are kept (only line breaks
/// and tabs around the token are dropped): pass the text as received.
fn plus_became_space(token: &str) -> bool {
    let kept = token
        .trim_start()
        .trim_end_matches(|c: char| c.is_whitespace() && c != ' ');
    kept.contains(' ') && decodes(&kept.replace(' ', "+"))
}

/// `%XX` sequences decoded, when there is at least one and all are valid.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// Two or more tokens, separated by whitespace or commas, or not at all.
fn concatenated(s: &str) -> bool {
    let parts: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 && parts.iter().all(|p| decodes(p)) {
        return true;
    }
    // Glued: a prefix that decodes followed by a rest that decodes.
    s.char_indices().skip(1).any(|(i, _)| {
        let (head, tail) = s.split_at(i);
        TokenVersion::detect(tail).is_ok() && decodes(head) && decodes(tail)
    })
}

/// A recognised prefix followed by base64 whose length is not a multiple of
/// four: every format pads its base64, so characters were lost. A Tencent
/// UserSig has no prefix: its variant alphabet and a zlib header, then a
/// length that is not a multiple of four.
fn truncated(s: &str) -> bool {
    if let Some(whole) = s.get(..s.len().saturating_sub(s.len() % 4))
        && !s.len().is_multiple_of(4)
        && TokenVersion::detect(whole) == Ok(TokenVersion::TencentUserSig)
    {
        return s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'_'));
    }
    let Ok(version) = TokenVersion::detect(s) else {
        return false;
    };
    // 006 puts its 32-character app id between the prefix and the base64.
    let skip = match version {
        TokenVersion::Agora006 => 35,
        TokenVersion::Agora007 => 3,
        TokenVersion::Zego04 => 2,
        // Whole groups of four: not truncated in a way its length shows.
        TokenVersion::TencentUserSig => return false,
    };
    let Some(body) = s.get(skip..) else {
        return version == TokenVersion::Agora006;
    };
    let base64 = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    base64 && body.len() % 4 != 0
}

#[cfg(test)]
mod tests;
