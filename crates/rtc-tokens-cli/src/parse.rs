//! `rtc-tokens parse`: recognise, decode, verify and explain a token.
//!
//! The facade does the work: it decodes (without credentials when none are
//! given), verifies with a provider when a secret is, and lists typed notes
//! and what mangled a token in transit. This module turns them into the
//! report `parse` prints, in words; it decides nothing about the formats.

use rtc_tokens::diagnostics::{LegacyFormat, Mangling, Note};
use rtc_tokens::{
    AgoraProvider, ErrorKind, Named, ParseOptions, ParsedToken, TencentProvider, TokenProvider,
    TokenVersion, Vendor, Verification, ZegoProvider,
};
use serde::Serialize;
use serde_json::Value;

use crate::output::{Style, field};
use crate::time;

/// How far the token's integrity was checked, as `parse --json` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Agora, Tencent: the signature matches the certificate or key. ZEGO GCM: decrypted
    /// and authenticated.
    Verified,
    /// ZEGO CBC: decrypted with the secret, but CBC is not authenticated.
    DecryptedUnauthenticated,
    /// Agora: the signature does not match.
    SignatureInvalid,
    /// ZEGO: does not decrypt with the secret.
    DecryptFailed,
    /// No secret or certificate (or, for 006, no channel and uid) to check with.
    NotChecked,
}

/// One privilege, as `parse --json` reports it.
#[derive(Clone, Debug, Serialize)]
pub struct Privilege {
    /// The service: `rtc`, `rtm`, `chat`, `apaas`…
    pub service: String,
    /// What it allows, in plain words.
    pub name: String,
    /// When it expires, unix seconds (null: no expiry of its own).
    pub expires_at: Option<u64>,
    /// The same, RFC 3339 UTC.
    pub expires_at_utc: Option<String>,
}

/// Something wrong with the token.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// `expired`, `signature`, `decrypt`, `mismatch`, `malformed` or `version`.
    pub kind: &'static str,
    /// What is wrong, in plain words (no secrets, no token bytes).
    pub message: String,
    /// For a token damaged in transit, how: `plus_became_space`,
    /// `url_encoded`, `quoted`, `concatenated`, `whitespace_inside`, `truncated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mangling: Option<Mangling>,
    /// For a token in a legacy format this tool does not read, which:
    /// `zego_token03`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legacy: Option<LegacyFormat>,
}

/// The report `parse` prints; `--json` prints exactly these fields.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// True when no problem was found (exit code 0).
    pub ok: bool,
    /// `zego`, `agora` or `tencent` (null when not recognised).
    pub vendor: Option<Vendor>,
    /// `04`, `006`, `007` or `usersig` (null when not recognised).
    pub version: Option<TokenVersion>,
    /// How far integrity was checked.
    pub verification: Check,
    /// The app id in the token (ZEGO: only once decrypted).
    pub app_id: Option<String>,
    /// The user: ZEGO user id; Agora uid or account / RTM or chat user id.
    pub user: Option<String>,
    /// The room (ZEGO, Tencent PrivateMapKey) or channel (Agora).
    pub room: Option<String>,
    /// Issue time, unix seconds.
    pub issued_at: Option<u64>,
    /// Issue time, RFC 3339 UTC.
    pub issued_at_utc: Option<String>,
    /// Expiry, unix seconds, as the vendor's servers apply it.
    pub expires_at: Option<u64>,
    /// Expiry, RFC 3339 UTC.
    pub expires_at_utc: Option<String>,
    /// False when the expiry comes from ZEGO's clear-text header (not decrypted).
    pub expiry_authenticated: bool,
    /// Seconds until expiry as of `checked_at` (negative: expired that long ago).
    pub expires_in_secs: Option<i64>,
    /// Whether the token has expired as of `checked_at`.
    pub expired: Option<bool>,
    /// The time the expiry was checked against, unix seconds.
    pub checked_at: u64,
    /// The privileges, in plain words.
    pub privileges: Vec<Privilege>,
    /// Vendor-specific fields, tagged by `format`: `zego04`, `zego04_sealed`, `agora006`,
    /// `agora007`, `tencent_usersig`.
    pub detail: Option<Value>,
    /// The facade's typed notes about the token, tagged by `note` (`expires_in`,
    /// `validity_capped`, `not_verified`, `privilege_expired`, `channel_mismatch`…).
    pub notes: Vec<Note>,
    /// Facts worth knowing that do not make the token invalid, in words.
    pub warnings: Vec<String>,
    /// What is wrong; empty when `ok`.
    pub problems: Vec<Problem>,
}

/// The secrets to verify with (as providers: the facade does the decoding).
#[derive(Clone, Debug, Default)]
pub struct Keys {
    /// A ZEGO provider holding the ServerSecret.
    pub zego: Option<ZegoProvider>,
    /// An Agora provider holding the app certificate.
    pub agora: Option<AgoraProvider>,
    /// A Tencent provider holding the secret key.
    pub tencent: Option<TencentProvider>,
}

/// What the caller asked for besides the token.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Reject a token of another vendor.
    pub vendor: Option<Vendor>,
    /// The channel the token should be for.
    pub channel: Option<String>,
    /// The uid string the token should be for (numeric uid 0 is `""`).
    pub uid: Option<String>,
    /// The app id the token should be for (the configured one).
    pub app_id: Option<String>,
    /// Check expiry against this time.
    pub now: u64,
    /// Do not reject an expired token.
    pub ignore_expiry: bool,
    /// Hints name these (e.g. `ZEGO_SERVER_SECRET`); false in `demo`.
    pub hints: bool,
}

impl Report {
    fn new(now: u64) -> Self {
        Self {
            ok: false,
            vendor: None,
            version: None,
            verification: Check::NotChecked,
            app_id: None,
            user: None,
            room: None,
            issued_at: None,
            issued_at_utc: None,
            expires_at: None,
            expires_at_utc: None,
            expiry_authenticated: false,
            expires_in_secs: None,
            expired: None,
            checked_at: now,
            privileges: Vec::new(),
            detail: None,
            notes: Vec::new(),
            warnings: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn reject(&mut self, kind: &'static str, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            message: message.into(),
            mangling: None,
            legacy: None,
        });
    }

    /// The first problem's message, for the one-line error on stderr.
    pub fn first_problem(&self) -> Option<&str> {
        self.problems.first().map(|p| p.message.as_str())
    }

    fn fill(&mut self, p: &ParsedToken) {
        self.app_id.clone_from(&p.app_id);
        self.user.clone_from(&p.user);
        self.room.clone_from(&p.room);
        self.issued_at = p.issued_at;
        self.expires_at = Some(p.expires_at);
        self.verification = match p.verification {
            Verification::Verified => Check::Verified,
            Verification::DecryptedUnauthenticated => Check::DecryptedUnauthenticated,
            Verification::SignatureInvalid => Check::SignatureInvalid,
            Verification::NotChecked => Check::NotChecked,
        };
        self.privileges = p
            .privileges
            .iter()
            .map(|v| Privilege {
                service: v.service.clone(),
                name: v.name.clone(),
                expires_at_utc: v.expires_at.map(time::rfc3339),
                expires_at: v.expires_at,
            })
            .collect();
        self.detail = serde_json::to_value(&p.detail).ok();
    }
}

/// Decodes, verifies and explains `token`.
pub fn analyse(received: &str, keys: &Keys, opts: &Options) -> Report {
    let token = received.trim();
    let mut r = Report::new(opts.now);
    // Decoding needs no credential: Agora tokens decode fully, ZEGO's header only.
    let seen = match rtc_tokens::dangerous::insecure_decode(token) {
        Ok(seen) => seen,
        Err(e) => {
            if let Ok(version) = TokenVersion::detect(token) {
                r.vendor = Some(version.vendor());
                r.version = Some(version);
            }
            reject_undecodable(&mut r, received, &e);
            return finish(r, opts, &[]);
        }
    };
    r.vendor = Some(seen.vendor);
    r.version = Some(seen.version);
    if let Some(text) = whitespace_warning(received, seen.vendor) {
        r.warnings.push(text);
    }
    if let Some(expected) = opts.vendor
        && expected != seen.vendor
    {
        r.reject(
            "version",
            format!(
                "not a {expected} token: this is an {} {} token",
                seen.vendor, seen.version
            ),
        );
        return finish(r, opts, &[]);
    }
    r.fill(&seen);
    let provider: Option<&dyn TokenProvider> = match seen.vendor {
        Vendor::Zego => keys.zego.as_ref().map(|p| p as &dyn TokenProvider),
        Vendor::Agora => keys.agora.as_ref().map(|p| p as &dyn TokenProvider),
        Vendor::Tencent => keys.tencent.as_ref().map(|p| p as &dyn TokenProvider),
    };
    // The channel, user and app id asked for: a token for others is rejected, as
    // `verify` would (a 006 token is also verified with them).
    let mut options = ParseOptions::skip_expiry();
    if let Some(channel) = &opts.channel {
        options = options.expect_room(channel.clone());
    }
    if let Some(uid) = &opts.uid {
        options = options.expect_user(uid.clone());
    }
    if let Some(app_id) = &opts.app_id {
        options = options.expect_app_id(app_id.clone());
    }
    let Some(provider) = provider else {
        reject_mismatch(&mut r, &seen, &options);
        return finish(r, opts, &notes(&seen, opts));
    };
    match provider.inspect(token, &options) {
        Ok(parsed) => {
            r.fill(&parsed);
            reject_mismatch(&mut r, &parsed, &options);
            // The secret was there: a token not verified has another reason,
            // in its own note (006 without channel and uid).
            let mut notes = notes(&parsed, opts);
            notes.retain(|n| !matches!(n, Note::NotVerified { .. }));
            finish(r, opts, &notes)
        }
        Err(e) if e.kind() == ErrorKind::Decrypt => {
            r.verification = Check::DecryptFailed;
            r.reject("decrypt", decrypt_message());
            // What the header says is still worth showing, but not its notes.
            finish(r, opts, &[])
        }
        Err(e) => {
            let (kind, message) = problem_of(&e);
            r.reject(kind, message);
            finish(r, opts, &[])
        }
    }
}

/// The warning for a token read with surrounding whitespace, which this tool
/// trims and the library (like the vendors' servers) refuses.
fn whitespace_warning(received: &str, vendor: Vendor) -> Option<String> {
    let token = received.trim();
    if token.len() == received.len() {
        return None;
    }
    let what = if received.ends_with('\n') || received.ends_with('\r') {
        "a trailing newline"
    } else if received.trim_start().len() == received.len() {
        "trailing whitespace"
    } else if received.trim_end().len() == received.len() {
        "leading whitespace"
    } else {
        "surrounding whitespace"
    };
    let servers = match vendor {
        Vendor::Zego => "ZEGO's",
        Vendor::Agora => "Agora's",
        Vendor::Tencent => "Tencent's",
    };
    Some(format!(
        "the token had {what}: {servers} servers would refuse it as sent (checked here trimmed)"
    ))
}

/// Rejects a token for another channel or user than asked, by the facade's rule.
fn reject_mismatch(r: &mut Report, parsed: &ParsedToken, options: &ParseOptions) {
    if let Err(e) = rtc_tokens::check_expected(parsed, options) {
        let (kind, message) = problem_of(&e);
        r.reject(kind, message);
    }
}

/// The facade's notes: the token's own, and how it compares with the
/// channel and user asked for.
fn notes(parsed: &ParsedToken, opts: &Options) -> Vec<Note> {
    let mut notes = parsed.notes(opts.now);
    notes.extend(parsed.principal_notes(opts.channel.as_deref(), opts.uid.as_deref()));
    notes
}

/// A token that does not decode: damaged in transit (and how), or not a token.
/// `received` is the text as given (untrimmed: see [`rtc_tokens::mangling`]).
fn reject_undecodable(r: &mut Report, received: &str, e: &rtc_tokens::Error) {
    let token = received.trim();
    if let Some(how) = rtc_tokens::mangling(received) {
        r.problems.push(Problem {
            kind: "malformed",
            message: mangling_message(how).to_owned(),
            mangling: Some(how),
            legacy: None,
        });
        return;
    }
    if let Some(format) = rtc_tokens::diagnostics::legacy_format(token) {
        r.vendor = Some(format.vendor());
        r.problems.push(Problem {
            kind: "version",
            message: legacy_message(format).to_owned(),
            mangling: None,
            legacy: Some(format),
        });
        return;
    }
    if e.kind() == ErrorKind::Version {
        r.reject("version", unknown_token(token));
    } else {
        let (kind, message) = problem_of(e);
        r.reject(kind, message);
    }
}

fn mangling_message(how: Mangling) -> &'static str {
    match how {
        Mangling::PlusBecameSpace => {
            "the token's + characters became spaces: it went through a URL query or form \
             decoder without being percent-encoded (encode it, or send it in a header or body)"
        }
        Mangling::UrlEncoded => {
            "the token is still URL-encoded (%2B, %2F, %3D): decode it once before use"
        }
        Mangling::Quoted => "the token is wrapped in quotes: pass it without them",
        Mangling::Concatenated => "this is two tokens pasted together: pass one",
        Mangling::WhitespaceInside => {
            "the token has spaces or line breaks inside (a wrapped line?): join it into one line"
        }
        Mangling::Truncated => "the token is cut short: characters are missing at its end",
        _ => "the token was damaged in transit",
    }
}

fn legacy_message(format: LegacyFormat) -> &'static str {
    match format {
        LegacyFormat::ZegoToken03 => {
            "this is a ZEGO token03, the legacy format before token04 (AES-CBC, no mode byte), \
             which this tool does not read: issue a token04 instead (rtc-tokens build zego, or \
             ZEGO's current server assistant)"
        }
        _ => "this is a legacy token format this tool does not read",
    }
}

fn unknown_token(token: &str) -> String {
    if token.is_empty() {
        return "empty token".to_owned();
    }
    let mut message = "not a known token: a ZEGO token starts with 04, an Agora token with 006 \
                       or 007, a Tencent UserSig with eJ (base64 of zlib, with * - _)"
        .to_owned();
    if token.starts_with("eyJ") {
        message.push_str(" (this looks like a JWT)");
    } else if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        message.push_str(" (this looks like an app id or a secret, not a token)");
    }
    message
}

/// A facade error as a problem, in plain words, by its kind.
fn problem_of(e: &rtc_tokens::Error) -> (&'static str, String) {
    let vendor = e.vendor().map_or("", Named::name);
    match e.kind() {
        ErrorKind::Malformed => (
            "malformed",
            format!(
                "the {vendor} token does not decode ({}); was it copied whole?",
                e.message()
            ),
        ),
        ErrorKind::Version => (
            "version",
            format!("not a {vendor} token this tool can read: {}", e.message()),
        ),
        ErrorKind::Decrypt => ("decrypt", decrypt_message()),
        ErrorKind::Signature => ("signature", e.message().to_owned()),
        ErrorKind::Expired => ("expired", e.message().to_owned()),
        ErrorKind::Mismatch => ("mismatch", e.message().to_owned()),
        ErrorKind::InvalidInput => ("malformed", e.message().to_owned()),
        _ => ("internal", e.message().to_owned()),
    }
}

fn decrypt_message() -> String {
    "cannot decrypt with this ServerSecret: the token was made with another secret (another \
     app's?), or altered"
        .to_owned()
}

/// Turns the notes into warnings and problems, and fills the expiry fields.
fn finish(mut r: Report, opts: &Options, notes: &[Note]) -> Report {
    let now = opts.now;
    // A ZEGO token not decrypted shows its header's clear-text expiry.
    let sealed = r.version == Some(TokenVersion::Zego04)
        && matches!(r.verification, Check::NotChecked | Check::DecryptFailed);
    r.expiry_authenticated = r.expires_at.is_some() && !sealed;
    r.issued_at_utc = r.issued_at.map(time::rfc3339);
    r.expires_at_utc = r.expires_at.map(time::rfc3339);
    if let Some(expires_at) = r.expires_at {
        r.expired = Some(now >= expires_at);
        r.expires_in_secs = Some(time::seconds_until(expires_at, now));
    }
    let mismatch = notes.iter().any(|n| {
        matches!(
            n,
            Note::ChannelMismatch { found: None, .. } | Note::UserMismatch { found: None, .. }
        )
    });
    for note in notes {
        match note {
            Note::Expired { at, .. } if !opts.ignore_expiry => {
                let header = if r.expiry_authenticated {
                    ""
                } else {
                    " (per the unauthenticated header)"
                };
                r.reject(
                    "expired",
                    format!(
                        "{}{header}, at {}",
                        time::expiry_phrase(*at, now),
                        time::rfc3339(*at)
                    ),
                );
            }
            Note::SignatureInvalid => {
                let message = if mismatch {
                    "signature does not match: the token was built for another channel or uid \
                     (see warnings)"
                } else {
                    "signature does not match: the token was signed with another app \
                     certificate (another app's?), or altered"
                };
                r.reject("signature", message);
            }
            Note::ChannelMismatch { found: None, .. } => r.room = None,
            Note::UserMismatch { found: None, .. } => r.user = None,
            _ => {}
        }
        if let Some(text) = warning_text(note, opts) {
            r.warnings.push(text);
        }
    }
    r.notes = notes.to_vec();
    r.ok = r.problems.is_empty();
    r
}

/// A note as a warning line, for the notes that warn.
fn warning_text(note: &Note, opts: &Options) -> Option<String> {
    let now = opts.now;
    Some(match note {
        Note::ValidityCapped {
            expire_secs,
            cap_secs,
            effective_expires_at,
        } => format!(
            "the token's expire field is {expire_secs} s; Agora's servers count at most \
             {cap_secs} s (24 h), so it expires at {}",
            time::rfc3339(*effective_expires_at)
        ),
        Note::NotVerified {
            vendor: Vendor::Zego,
        } => {
            let how = if opts.hints {
                "set ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE, or pass --secret-file"
            } else {
                "give the ServerSecret"
            };
            format!("not decrypted, so neither checked nor fully read: {how}")
        }
        Note::NotVerified {
            vendor: Vendor::Tencent,
        } => {
            let how = if opts.hints {
                "set TENCENT_SECRET_KEY or TENCENT_SECRET_KEY_FILE, or pass --secret-file"
            } else {
                "give the secret key"
            };
            format!("signature not checked: {how}")
        }
        Note::NotVerified { .. } => {
            let how = if opts.hints {
                "set AGORA_APP_CERTIFICATE or AGORA_APP_CERTIFICATE_FILE, or pass --secret-file"
            } else {
                "give the app certificate"
            };
            format!("signature not checked: {how}")
        }
        Note::NeedsChannelAndUid => "signature not checked: a 006 token carries only CRC32s of \
                                     its channel and uid; pass --channel and --uid (or \
                                     --account) to verify it"
            .to_owned(),
        Note::ExpiryUnauthenticated => "the expiry shown is the clear-text copy in the header, \
                                        which anyone can change"
            .to_owned(),
        Note::CbcUnauthenticated => "cbc mode is not authenticated: the secret decrypts it, but \
                                     an altered token could still decrypt; prefer gcm"
            .to_owned(),
        Note::UnknownServiceType { service_type } => format!(
            "unknown service type {service_type}: decoding stopped there (the signature still \
             covers the rest)"
        ),
        Note::PrivilegeExpired {
            service,
            privilege,
            at,
        } => format!(
            "privilege {privilege:?} ({service}) expired {}, at {}: that action will be refused",
            time::relative(*at, now),
            time::rfc3339(*at)
        ),
        Note::ChannelMismatch {
            expected,
            found: None,
        } => format!("the token was not built for channel {expected:?} (its CRC32 differs)"),
        Note::ChannelMismatch {
            expected,
            found: Some(found),
        } => format!("the token is for channel {found:?}, not {expected:?}"),
        Note::UserMismatch {
            expected,
            found: None,
        } => format!(
            "the token was not built for uid/account {expected:?} (its CRC32 differs; uid 0 is \
             \"\")"
        ),
        Note::UserMismatch {
            expected,
            found: Some(found),
        } => format!("the token is for user {found:?}, not {expected:?}"),
        Note::TimestampAsValidity {
            service: Some(service),
            privilege: Some(privilege),
            value,
        } => format!(
            "privilege {privilege:?} ({service}) lasts {value} s, which looks like a unix time \
             ({}): a 007 token expects seconds of validity, so it never ends before the token does",
            time::rfc3339(u64::from(*value))
        ),
        Note::TimestampAsValidity { value, .. } => format!(
            "the token's expire field is {value} s, which looks like a unix time ({}): a 007 \
             token expects seconds of validity (3600 for an hour), so Agora counts 24 h",
            time::rfc3339(u64::from(*value))
        ),
        Note::ValidityAsTimestamp {
            service: Some(service),
            privilege: Some(privilege),
            value,
        } => format!(
            "privilege {privilege:?} ({service}) ends at {value}, which looks like seconds of \
             validity: a 006 token expects a unix time, so it ended at {}",
            time::rfc3339(u64::from(*value))
        ),
        Note::ValidityAsTimestamp { value, .. } => format!(
            "the token's expiry is {value}, which looks like seconds of validity: a 006 token \
             expects a unix time, so it expired at {}",
            time::rfc3339(u64::from(*value))
        ),
        Note::UserIdOutsideLimits => "the user id breaks Tencent's documented rule (1 to 32 \
                                      ASCII letters, digits, '_' or '-'): TRTC's SDKs may \
                                      refuse it"
            .to_owned(),
        Note::PrivateMapKeyMismatch { field } => format!(
            "the PrivateMapKey's userbuf names another {field} than the UserSig itself: TRTC \
             refuses it"
        ),
        Note::UnknownPrivilegeBits { bits } => format!(
            "the privilege map has bits Tencent does not define ({bits:#x}): they are ignored \
             or refused"
        ),
        Note::NumericAccount { account, uid: None } => format!(
            "the RTC account {account:?} is all digits, but no numeric uid is written that way \
             (uid 42 is \"42\", uid 0 is \"\"): a client joining with a numeric uid will be \
             refused; build its token with --uid"
        ),
        _ => return None,
    })
}

/// A note that only informs, as a `note:` line (none for the expiry, which
/// the fields show).
fn remark_text(note: &Note) -> Option<String> {
    Some(match note {
        Note::RtcOnly => "this token has no RTM login: RTM/Signaling will refuse it (build \
                          rtc-rtm for both)"
            .to_owned(),
        Note::RtmOnly => "this token has no RTC join privilege: it logs in to RTM/Signaling, \
                          and joining a channel with it will be refused"
            .to_owned(),
        Note::NumericAccount {
            account,
            uid: Some(uid),
        } => format!(
            "the RTC account {account:?} is all digits: Agora writes uid {uid} the same way, so \
             the token serves a client joining with uid {uid} and one joining with the user \
             account {account:?} (do not mix uids and accounts in one channel)"
        ),
        _ => return None,
    })
}

fn title(r: &Report) -> String {
    match (r.version, &r.detail) {
        (Some(TokenVersion::Zego04), Some(d)) => {
            let mode = d.get("mode").and_then(Value::as_str).unwrap_or("?");
            format!("ZEGO token04, AES-{}", mode.to_ascii_uppercase())
        }
        (Some(TokenVersion::Zego04), None) => "ZEGO token04".to_owned(),
        (Some(TokenVersion::Agora006), _) => "Agora AccessToken 006".to_owned(),
        (Some(TokenVersion::Agora007), _) => "Agora AccessToken2 007".to_owned(),
        (Some(TokenVersion::TencentUserSig), Some(d)) if d.get("private_map_key").is_some() => {
            "Tencent PrivateMapKey (UserSig with room privileges)".to_owned()
        }
        (Some(TokenVersion::TencentUserSig), _) => "Tencent UserSig".to_owned(),
        (None, _) => match r.problems.iter().find_map(|p| p.legacy) {
            Some(LegacyFormat::ZegoToken03) => "ZEGO token03 (legacy)".to_owned(),
            _ => "unrecognised token".to_owned(),
        },
    }
}

fn verification_text(c: Check) -> &'static str {
    match c {
        Check::Verified => "verified",
        Check::DecryptedUnauthenticated => "decrypted (cbc: not authenticated)",
        Check::SignatureInvalid => "signature does not match",
        Check::DecryptFailed => "does not decrypt with this secret",
        Check::NotChecked => "not checked",
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Report {
    /// The human-readable form: a title, the fields, the warnings, the verdict.
    pub fn render(&self, style: Style) -> String {
        let mut out = format!("{}\n", style.bold(&title(self)));
        self.render_fields(&mut out, style);
        for n in self.notes.iter().filter(|n| !n.is_warning()) {
            if let Some(text) = remark_text(n) {
                out.push_str(&format!("{} {text}\n", style.dim("note:")));
            }
        }
        for w in &self.warnings {
            out.push_str(&format!("{} {w}\n", style.warn("warning:")));
        }
        self.render_verdict(&mut out, style);
        out
    }

    fn render_fields(&self, out: &mut String, style: Style) {
        let now = self.checked_at;
        let at = |t: u64| format!("{} ({})", time::rfc3339(t), time::relative(t, now));
        if self.detail.is_some() {
            let v = verification_text(self.verification);
            let v = match self.verification {
                Check::Verified | Check::DecryptedUnauthenticated => style.good(v),
                Check::NotChecked => style.warn(v),
                Check::SignatureInvalid | Check::DecryptFailed => style.bad(v),
            };
            field(out, style, "verification", &v);
        }
        let room_label = if matches!(self.vendor, Some(Vendor::Zego | Vendor::Tencent)) {
            "room"
        } else {
            "channel"
        };
        for (label, value) in [
            ("app id", &self.app_id),
            ("user", &self.user),
            (room_label, &self.room),
        ] {
            if let Some(value) = value {
                let shown = if value.is_empty() {
                    "\"\" (any)".to_owned()
                } else {
                    value.clone()
                };
                field(out, style, label, &shown);
            }
        }
        if let Some(t) = self.issued_at {
            field(out, style, "issued", &at(t));
        }
        if let Some(t) = self.expires_at {
            let mut text = format!("{} ({})", time::rfc3339(t), time::expiry_phrase(t, now));
            if !self.expiry_authenticated {
                text.push_str(" [unauthenticated header]");
            }
            let text = if self.expired == Some(true) {
                style.bad(&text)
            } else {
                text
            };
            field(out, style, "expires", &text);
        }
        if !self.privileges.is_empty() {
            let lines: Vec<String> = self
                .privileges
                .iter()
                .map(|p| match p.expires_at {
                    Some(t) => format!(
                        "{}: {} (until {}, {})",
                        p.service,
                        p.name,
                        time::rfc3339(t),
                        time::relative(t, now)
                    ),
                    None => format!("{}: {}", p.service, p.name),
                })
                .collect();
            field(out, style, "privileges", &lines.join("\n"));
        }
        if let Some(Value::Object(detail)) = &self.detail {
            // Skip what the lines above already show.
            let shown = ["format", "ctime", "privileges", "identifier", "sdkappid"];
            for (key, value) in detail {
                if !shown.contains(&key.as_str()) {
                    field(out, style, key, &style.dim(&scalar(value)));
                }
            }
        }
    }

    fn render_verdict(&self, out: &mut String, style: Style) {
        let now = self.checked_at;
        if self.ok {
            let when = match self.expires_at {
                Some(t) => format!(" ({})", time::expiry_phrase(t, now)),
                None => String::new(),
            };
            let checked = if self.verification == Check::NotChecked {
                ", but its signature or encryption was not checked"
            } else {
                ""
            };
            out.push_str(&format!(
                "{}{when}{checked}\n",
                style.good("OK: no problem found")
            ));
        } else {
            for p in &self.problems {
                out.push_str(&format!(
                    "{} {}\n",
                    style.bad(&format!("REJECTED ({}):", p.kind)),
                    p.message
                ));
            }
        }
    }
}
