//! Diagnostics: what is worth knowing about a token, as typed values that a
//! CLI or a server renders in its own words.
//!
//! - [`ParsedToken::notes`] lists [`Note`]s about a parsed token: when it
//!   expires, an expiry Agora's servers count differently (the 24-hour cap),
//!   what was not checked and why, ZEGO CBC's missing authentication, an
//!   unknown Agora service, privileges that end before the token does.
//!   [`ParsedToken::principal_notes`] compares the token with the channel and
//!   user a caller expected.
//! - [`mangling`] recognises a token damaged in transit (a `+` turned into a
//!   space by a URL decoder, percent-encoding, quotes, two tokens pasted
//!   together, line breaks, lost characters) and says which, as a
//!   [`Mangling`]. It answers only when the damage is certain: the repaired
//!   token decodes (truncation excepted, which is recognised by its length).
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
}

impl Note {
    /// Whether the note warns of something that will make a request fail or
    /// that weakens what the parse could say (everything but [`Note::ExpiresIn`]).
    #[must_use]
    pub const fn is_warning(&self) -> bool {
        !matches!(self, Self::ExpiresIn { .. })
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
                let written = u64::from(t.issue_ts).saturating_add(u64::from(t.expire));
                let applied = t.effective_expires_at();
                Self {
                    agora_capped: (written != applied).then_some((t.expire, applied)),
                    unknown_service_type: t.unknown_service_type,
                    ..Self::default()
                }
            }
            _ => Self::default(),
        }
    }
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
    /// assert_eq!(parsed.notes(1_000), [Note::ExpiresIn { at: 4_600, secs: 3_600 }]);
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
/// four: every format pads its base64, so characters were lost.
fn truncated(s: &str) -> bool {
    let Ok(version) = TokenVersion::detect(s) else {
        return false;
    };
    // 006 puts its 32-character app id between the prefix and the base64.
    let skip = match version {
        TokenVersion::Agora006 => 35,
        TokenVersion::Agora007 => 3,
        TokenVersion::Zego04 => 2,
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
mod tests {
    use super::*;
    use crate::{
        AgoraProvider, AgoraVersion, ParseOptions, PrivilegeExpiries, TokenKind, TokenProvider,
        TokenRequest, ZegoProvider,
    };

    const NOW: u64 = 1_700_000_000;

    fn agora_token(request: &TokenRequest) -> String {
        AgoraProvider::demo().issue_at(request, NOW).unwrap().token
    }

    fn zego_token() -> String {
        ZegoProvider::demo()
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token
    }

    fn inspect(provider: &dyn TokenProvider, token: &str) -> ParsedToken {
        provider
            .inspect(token, &ParseOptions::skip_expiry())
            .unwrap()
    }

    #[test]
    fn expiry_notes() {
        let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
        let parsed = inspect(&AgoraProvider::demo(), &token);
        let end = NOW + 3_600;
        assert_eq!(
            parsed.notes(NOW + 1),
            [Note::ExpiresIn {
                at: end,
                secs: 3_599
            }]
        );
        assert_eq!(
            parsed.notes(end + 60),
            [Note::Expired {
                at: end,
                secs_ago: 60
            }]
        );
        assert!(!parsed.notes(NOW)[0].is_warning());
    }

    #[test]
    fn agoras_24_hour_cap_is_noted() {
        // Our builders cap the validity; other libraries write 0 or more.
        use agora_dynamic_key::access_token2::{AccessToken2, ServiceRtc};
        let app_id = agora_dynamic_key::AppId::new(crate::DEMO_AGORA_APP_ID).unwrap();
        let cert =
            agora_dynamic_key::AppCertificate::new(crate::DEMO_AGORA_APP_CERTIFICATE).unwrap();
        let now = u32::try_from(NOW).unwrap();
        let mut raw = AccessToken2::new(app_id, now, 0);
        raw.add_service(ServiceRtc::new("lobby", "alice"));
        let token = raw.build(&cert).unwrap();
        let notes = inspect(&AgoraProvider::demo(), &token).notes(NOW);
        assert!(notes.iter().any(|n| matches!(
            n,
            Note::ValidityCapped { cap_secs: 86_400, effective_expires_at, .. }
                if *effective_expires_at == NOW + 86_400
        )));
    }

    #[test]
    fn unchecked_and_invalid_signatures_are_noted() {
        let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
        let other = AgoraProvider::new(
            agora_dynamic_key::AppId::new(crate::DEMO_AGORA_APP_ID).unwrap(),
            agora_dynamic_key::AppCertificate::new("00000000000000000000000000000000").unwrap(),
        );
        assert!(
            inspect(&other, &token)
                .notes(NOW)
                .contains(&Note::SignatureInvalid)
        );

        let v006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
        let token = v006
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token;
        let parsed = inspect(&v006, &token);
        assert!(parsed.notes(NOW).contains(&Note::NeedsChannelAndUid));
        assert!(
            parsed
                .principal_notes(Some("lobby"), Some("alice"))
                .is_empty()
        );
        assert_eq!(
            parsed.principal_notes(Some("x"), Some("alice")),
            [Note::ChannelMismatch {
                expected: "x".into(),
                found: None
            }]
        );
        assert_eq!(parsed.principal_notes(None, Some("y")).len(), 1);
    }

    #[test]
    fn zego_cbc_is_noted_as_unauthenticated() {
        let cbc = ZegoProvider::demo().with_mode(zego_token04::Mode::Cbc);
        let token = cbc
            .issue_at(&TokenRequest::rtc("alice", "lobby"), NOW)
            .unwrap()
            .token;
        assert!(
            inspect(&cbc, &token)
                .notes(NOW)
                .contains(&Note::CbcUnauthenticated)
        );
        let gcm = inspect(&ZegoProvider::demo(), &zego_token());
        assert!(!gcm.notes(NOW).contains(&Note::CbcUnauthenticated));
        // Without the secret: the header's expiry, unauthenticated, and not verified.
        let sealed = crate::dangerous::insecure_decode(&token)
            .unwrap()
            .notes(NOW);
        assert!(sealed.contains(&Note::CbcUnauthenticated));
        assert!(sealed.contains(&Note::ExpiryUnauthenticated));
        assert!(sealed.contains(&Note::NotVerified {
            vendor: Vendor::Zego
        }));
    }

    #[test]
    fn privileges_ending_early_are_noted() {
        let request =
            TokenRequest::rtc("alice", "lobby").with_privilege_expiries(PrivilegeExpiries {
                publish_audio: Some(600),
                ..PrivilegeExpiries::default()
            });
        let parsed = inspect(&AgoraProvider::demo(), &agora_token(&request));
        let early =
            |n: &Note| matches!(n, Note::PrivilegeExpiresEarly { at, .. } if *at == NOW + 600);
        let gone = |n: &Note| matches!(n, Note::PrivilegeExpired { at, .. } if *at == NOW + 600);
        assert!(parsed.notes(NOW).iter().any(early));
        assert!(parsed.notes(NOW + 601).iter().any(gone));
        // Once the token has expired, its privileges are not worth a note.
        assert_eq!(parsed.notes(NOW + 9_999).len(), 1);
    }

    #[test]
    fn principal_mismatches_are_noted() {
        let token = agora_token(&TokenRequest::rtc("alice", "lobby"));
        let parsed = inspect(&AgoraProvider::demo(), &token);
        assert!(
            parsed
                .principal_notes(Some("lobby"), Some("alice"))
                .is_empty()
        );
        assert_eq!(
            parsed.principal_notes(Some("hall"), Some("bob")),
            [
                Note::ChannelMismatch {
                    expected: "hall".into(),
                    found: Some("lobby".into())
                },
                Note::UserMismatch {
                    expected: "bob".into(),
                    found: Some("alice".into())
                }
            ]
        );
        let any = agora_token(&TokenRequest::rtc("x", "lobby").with_kind(TokenKind::Rtc));
        let mut any = inspect(&AgoraProvider::demo(), &any);
        any.user = Some(String::new());
        assert!(any.principal_notes(None, Some("bob")).is_empty());
    }

    #[test]
    fn a_plus_at_the_very_end_that_became_a_space_is_recognised() {
        // About one token in 200 ends with `+` (no padding after it); a URL
        // decoder turns it into a trailing space, which trimming would lose.
        let token = (0..4000)
            .map(|n| agora_token(&TokenRequest::rtc(format!("user{n}"), "lobby")))
            .find(|t| t.ends_with('+'))
            .expect("a token ending in + within 4000 tries");
        let spaced = token.replace('+', " ");
        assert_eq!(mangling(&spaced), Some(Mangling::PlusBecameSpace));
        assert_eq!(
            mangling(&format!("{spaced}\n")),
            Some(Mangling::PlusBecameSpace),
            "a line break after it is not part of the token"
        );
    }

    #[test]
    fn mangled_tokens_are_recognised() {
        // Issue until the token has a `+`, a `/` and padding, so every case applies.
        let mut n = 0;
        let token = loop {
            let t = agora_token(&TokenRequest::rtc(format!("user{n}"), "lobby"));
            if t.contains('+') && t.contains('/') {
                break t;
            }
            n += 1;
        };
        let zego = zego_token();
        for good in [&token, &zego, &format!("  {token}\n")] {
            assert_eq!(mangling(good), None);
        }
        assert_eq!(
            mangling(&token.replace('+', " ")),
            Some(Mangling::PlusBecameSpace)
        );
        let encoded = token
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        assert_eq!(mangling(&encoded), Some(Mangling::UrlEncoded));
        for quoted in [
            format!("\"{token}\""),
            format!("'{zego}'"),
            format!("\u{201c}{token}\u{201d}"),
        ] {
            assert_eq!(mangling(&quoted), Some(Mangling::Quoted), "{quoted}");
        }
        for pasted in [
            format!("{token}{zego}"),
            format!("{zego}{token}"),
            format!("{token} {token}"),
            format!("{token},{zego}"),
        ] {
            assert_eq!(mangling(&pasted), Some(Mangling::Concatenated));
        }
        let (head, tail) = token.split_at(40);
        assert_eq!(
            mangling(&format!("{head}\n{tail}")),
            Some(Mangling::WhitespaceInside)
        );
        let cut = token.get(..token.len() - 5).unwrap();
        assert_eq!(mangling(cut), Some(Mangling::Truncated));
        assert_eq!(mangling("hello"), None);
        assert_eq!(mangling(""), None);
        assert_eq!(mangling("%zz"), None);
        assert_eq!(Mangling::PlusBecameSpace.as_str(), "plus_became_space");
    }
}
