//! The neutral cross-vendor suite: the README's request-mapping table as data.
//!
//! Each case is one [`TokenRequest`] in the serde form the server accepts, and
//! for every provider ([`Target`]: ZEGO, Agora 007, Agora 006, Tencent, all on their demo
//! credentials) either the fields the issued token must decode to or the
//! refusal it must meet. An issued token is verified by the same provider at
//! the case's `now`; the runner also checks what holds for every vendor: the
//! issued and parsed expiries agree, the issue time is `now`, and the token
//! verifies one second before its expiry and fails with `expired` at it.

use std::collections::BTreeMap;

use rtc_tokens::{
    AgoraProvider, AgoraVersion, ErrorKind, ExpiryCheck, IssuedToken, ParseOptions, ParsedToken,
    TencentProvider, TokenProvider, TokenRequest, TokenVersion, ZegoProvider,
};
use serde::Deserialize;

use crate::CaseOutcome;

/// The `schema` value that marks a neutral suite file.
pub const SCHEMA: &str = "neutral-requests";

/// A neutral suite file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeutralSuite {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The suite's name.
    pub suite: String,
    /// Where the expectations come from.
    #[serde(default)]
    pub source: Option<String>,
    /// The issue time of every case that does not set its own, unix seconds.
    pub now: u64,
    /// The cases.
    pub cases: Vec<NeutralCase>,
}

/// One request and what each provider must make of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeutralCase {
    /// Unique in the suite.
    pub name: String,
    /// The README table row(s) the case covers.
    #[serde(default)]
    pub row: Option<String>,
    /// A note for the reader.
    #[serde(default)]
    pub note: Option<String>,
    /// The issue time, when not the suite's.
    #[serde(default)]
    pub now: Option<u64>,
    /// The request, as the server accepts it.
    pub request: TokenRequest,
    /// ZEGO token04.
    pub zego: Expected,
    /// Agora AccessToken2 (the default Agora provider).
    pub agora007: Expected,
    /// Agora AccessToken (a provider `with_version(V006)`).
    pub agora006: Expected,
    /// Tencent UserSig / PrivateMapKey.
    pub tencent: Expected,
}

/// What one provider must make of a request.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// The request is refused.
    Refused {
        /// The category of the refusal.
        refused: ErrorKind,
    },
    /// A token is issued and decodes to these fields.
    Issued(IssuedExpect),
}

/// The fields an issued token decodes to, as the facade's `ParsedToken` reports them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuedExpect {
    /// `04`, `006`, `007` or `usersig`.
    pub version: TokenVersion,
    /// The user the token names (`null`: none).
    pub user: Option<String>,
    /// The room or channel the token names (`null`: none).
    pub room: Option<String>,
    /// Seconds from `now` to the token's expiry.
    pub expires_in: u64,
    /// `"service: privilege"` → seconds from `now` to its expiry (`null`: the
    /// token states none).
    pub privileges: BTreeMap<String, Option<i64>>,
    /// 006 only: the channel name and uid string to verify with.
    #[serde(default)]
    pub verify_with: Option<ChannelUid>,
}

/// What a 006 token is verified with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelUid {
    /// The channel name.
    pub channel: String,
    /// The uid as a string (`""` for uid 0).
    pub uid: String,
}

/// A provider every neutral case runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `ZegoProvider::demo()`.
    Zego,
    /// `AgoraProvider::demo()`.
    Agora007,
    /// `AgoraProvider::demo().with_version(AgoraVersion::V006)`.
    Agora006,
    /// `TencentProvider::demo()`.
    Tencent,
}

impl Target {
    /// Every target.
    pub const ALL: [Self; 4] = [Self::Zego, Self::Agora007, Self::Agora006, Self::Tencent];

    /// The name used in the suite and in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Zego => "zego",
            Self::Agora007 => "agora007",
            Self::Agora006 => "agora006",
            Self::Tencent => "tencent",
        }
    }

    /// The provider, on the demo credentials.
    #[must_use]
    pub fn provider(self) -> Box<dyn TokenProvider> {
        match self {
            Self::Zego => Box::new(ZegoProvider::demo()),
            Self::Agora007 => Box::new(AgoraProvider::demo()),
            Self::Agora006 => Box::new(AgoraProvider::demo().with_version(AgoraVersion::V006)),
            Self::Tencent => Box::new(TencentProvider::demo()),
        }
    }
}

impl NeutralCase {
    /// What `target` must make of the request.
    #[must_use]
    pub fn expected(&self, target: Target) -> &Expected {
        match target {
            Target::Zego => &self.zego,
            Target::Agora007 => &self.agora007,
            Target::Agora006 => &self.agora006,
            Target::Tencent => &self.tencent,
        }
    }
}

/// Runs every case against every target: one outcome per pair, named
/// `case / target`.
#[must_use]
pub fn run(suite: &NeutralSuite) -> Vec<CaseOutcome> {
    let providers: Vec<_> = Target::ALL.iter().map(|t| (*t, t.provider())).collect();
    let mut out = Vec::new();
    for case in &suite.cases {
        let now = case.now.unwrap_or(suite.now);
        for (target, provider) in &providers {
            out.push(CaseOutcome {
                name: format!("{} / {}", case.name, target.as_str()),
                failure: run_one(
                    provider.as_ref(),
                    &case.request,
                    now,
                    case.expected(*target),
                )
                .err(),
            });
        }
    }
    out
}

fn run_one(
    provider: &dyn TokenProvider,
    request: &TokenRequest,
    now: u64,
    expected: &Expected,
) -> Result<(), String> {
    let Some((x, issued)) = issue(provider, request, now, expected)? else {
        return Ok(());
    };
    let parsed = provider
        .verify(&issued.token, &parse_options(x, ExpiryCheck::At(now)))
        .map_err(|e| format!("issued token does not verify: {e}"))?;
    let mut problems = Problems::default();
    check_fields(&mut problems, x, &issued, &parsed, now);
    check_expiry(&mut problems, provider, x, &issued, &parsed);
    problems.into_result()
}

/// Issues the token: `None` when the expected refusal happened, the
/// expectation and the token when one was expected and issued.
fn issue<'x>(
    provider: &dyn TokenProvider,
    request: &TokenRequest,
    now: u64,
    expected: &'x Expected,
) -> Result<Option<(&'x IssuedExpect, IssuedToken)>, String> {
    match (expected, provider.issue_at(request, now)) {
        (Expected::Refused { refused }, Err(e)) if e.kind() == *refused => Ok(None),
        (Expected::Refused { refused }, Err(e)) => {
            Err(format!("expected refusal {refused}, got {}: {e}", e.kind()))
        }
        (Expected::Refused { refused }, Ok(_)) => Err(format!(
            "expected refusal {refused}, but a token was issued"
        )),
        (Expected::Issued(_), Err(e)) => Err(format!("refused: {e}")),
        (Expected::Issued(x), Ok(issued)) => Ok(Some((x, issued))),
    }
}

/// Options to verify the token of `x` with (006: its channel and uid).
fn parse_options(x: &IssuedExpect, expiry: ExpiryCheck) -> ParseOptions {
    let options = ParseOptions {
        expiry,
        ..ParseOptions::default()
    };
    match &x.verify_with {
        Some(cu) => options.with_channel_uid(&cu.channel, &cu.uid),
        None => options,
    }
}

/// The failed checks of one case, in order.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, what: &str, ok: bool, detail: String) {
        if !ok {
            self.0.push(format!("{what}: {detail}"));
        }
    }

    fn into_result(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("; "))
        }
    }
}

/// The decoded fields against the expectation and the issued token.
fn check_fields(
    p: &mut Problems,
    x: &IssuedExpect,
    issued: &IssuedToken,
    parsed: &ParsedToken,
    now: u64,
) {
    p.check(
        "version",
        x.version == issued.version && x.version == parsed.version,
        format!(
            "expected {}, issued {}, parsed {}",
            x.version, issued.version, parsed.version
        ),
    );
    p.check(
        "user",
        x.user == parsed.user,
        format!("expected {:?}, got {:?}", x.user, parsed.user),
    );
    p.check(
        "room",
        x.room == parsed.room,
        format!("expected {:?}, got {:?}", x.room, parsed.room),
    );
    let expires_in = parsed.expires_at.checked_sub(now);
    p.check(
        "expires_in",
        expires_in == Some(x.expires_in),
        format!("expected {}, got {expires_in:?}", x.expires_in),
    );
    p.check(
        "issued expires_at",
        issued.expires_at == parsed.expires_at,
        format!("issued {}, parsed {}", issued.expires_at, parsed.expires_at),
    );
    p.check(
        "issued_at",
        issued.issued_at == now && parsed.issued_at.is_none_or(|t| t == now),
        format!(
            "now {now}, issued {}, parsed {:?}",
            issued.issued_at, parsed.issued_at
        ),
    );
    let privileges = privileges(parsed, now);
    p.check(
        "privileges",
        x.privileges == privileges,
        format!("expected {:?}, got {privileges:?}", x.privileges),
    );
}

/// The token verifies one second before its expiry and is `expired` at it
/// (its own expiry: no privilege is required, some may expire earlier).
fn check_expiry(
    p: &mut Problems,
    provider: &dyn TokenProvider,
    x: &IssuedExpect,
    issued: &IssuedToken,
    parsed: &ParsedToken,
) {
    let before = provider.verify(
        &issued.token,
        &parse_options(x, ExpiryCheck::At(parsed.expires_at.saturating_sub(1))).require([]),
    );
    p.check(
        "one second before expiry",
        before.is_ok(),
        format!("{:?}", before.err()),
    );
    let at = provider
        .verify(
            &issued.token,
            &parse_options(x, ExpiryCheck::At(parsed.expires_at)).require([]),
        )
        .map(|_| ())
        .map_err(|e| e.kind());
    p.check(
        "at expiry",
        at == Err(ErrorKind::Expired),
        format!("expected expired, got {at:?}"),
    );
}

/// The parsed privileges as the suite writes them.
fn privileges(parsed: &ParsedToken, now: u64) -> BTreeMap<String, Option<i64>> {
    let relative = |t: u64| i64::try_from(i128::from(t) - i128::from(now)).ok();
    parsed
        .privileges
        .iter()
        .map(|p| {
            (
                format!("{}: {}", p.service, p.name),
                p.expires_at.and_then(relative),
            )
        })
        .collect()
}
