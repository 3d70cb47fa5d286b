//! `rtc-tokens parse`: recognise, decode, verify and explain a token.

use rtc_tokens::{
    AgoraProvider, ErrorKind, ParseOptions, ParsedToken, TokenProvider, TokenVersion, Vendor,
    VendorDetail, Verification, ZegoProvider,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::output::{Style, field};
use crate::time;

/// How far the token's integrity was checked, as `parse --json` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Agora: the signature matches the certificate. ZEGO GCM: decrypted and authenticated.
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
    /// `expired`, `signature`, `decrypt`, `malformed` or `version`.
    pub kind: &'static str,
    /// What is wrong, in plain words (no secrets, no token bytes).
    pub message: String,
}

/// The report `parse` prints; `--json` prints exactly these fields.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// True when no problem was found (exit code 0).
    pub ok: bool,
    /// `zego` or `agora` (null when not recognised).
    pub vendor: Option<Vendor>,
    /// `04`, `006` or `007` (null when not recognised).
    pub version: Option<TokenVersion>,
    /// How far integrity was checked.
    pub verification: Check,
    /// The app id in the token (ZEGO: only once decrypted).
    pub app_id: Option<String>,
    /// The user: ZEGO user id; Agora uid or account / RTM or chat user id.
    pub user: Option<String>,
    /// The room (ZEGO) or channel (Agora).
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
    /// Vendor-specific fields, tagged by `format`: `zego04`, `zego04_header`, `agora006`, `agora007`.
    pub detail: Option<Value>,
    /// Facts worth knowing that do not make the token invalid.
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
            warnings: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn reject(&mut self, kind: &'static str, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            message: message.into(),
        });
    }

    /// The first problem's message, for the one-line error on stderr.
    pub fn first_problem(&self) -> Option<&str> {
        self.problems.first().map(|p| p.message.as_str())
    }

    fn fill(&mut self, p: ParsedToken) {
        self.app_id = p.app_id;
        self.user = p.user;
        self.room = p.room;
        self.issued_at = p.issued_at;
        self.expires_at = Some(p.expires_at);
        self.expiry_authenticated = true;
        self.verification = match p.verification {
            Verification::Verified => Check::Verified,
            Verification::DecryptedUnauthenticated => Check::DecryptedUnauthenticated,
            Verification::SignatureInvalid => Check::SignatureInvalid,
            Verification::NotChecked => Check::NotChecked,
        };
        self.privileges = p
            .privileges
            .into_iter()
            .map(|v| Privilege {
                service: v.service,
                name: v.name,
                expires_at_utc: v.expires_at.map(time::rfc3339),
                expires_at: v.expires_at,
            })
            .collect();
        self.detail = serde_json::to_value(&p.detail).ok();
        // Agora's servers count a 007 validity of 0 or over 24 h as 24 h.
        if let VendorDetail::Agora007(t) = &p.detail {
            let (issue_ts, expire, unknown_service_type) =
                (t.issue_ts, t.expire, t.unknown_service_type);
            if let Some(t) = unknown_service_type {
                self.warnings.push(format!(
                    "unknown service type {t}: decoding stopped there (the signature still covers \
                     the rest)"
                ));
            }
            let max = agora_dynamic_key::MAX_VALIDITY_SECS;
            if expire == 0 || expire > max {
                let effective = u64::from(issue_ts).saturating_add(u64::from(max));
                self.expires_at = Some(effective);
                self.warnings.push(format!(
                    "the token's expire field is {expire} s; Agora's servers count it as 24 h, \
                     so it expires at {}",
                    time::rfc3339(effective)
                ));
            }
        }
    }
}

/// Decodes, verifies and explains `token`.
pub fn analyse(token: &str, keys: &Keys, opts: &Options) -> Report {
    let token = token.trim();
    let mut r = Report::new(opts.now);
    let version = match TokenVersion::detect(token) {
        Ok(v) => v,
        Err(_) => {
            r.reject("version", unknown_token(token));
            return finish(r, opts);
        }
    };
    r.vendor = Some(version.vendor());
    r.version = Some(version);
    if let Some(expected) = opts.vendor
        && expected != version.vendor()
    {
        r.reject(
            "version",
            format!(
                "not a {expected} token: this is an {} {} token",
                version.vendor(),
                version.prefix()
            ),
        );
        return finish(r, opts);
    }
    match version {
        TokenVersion::Zego04 => zego(token, keys.zego.as_ref(), opts, &mut r),
        TokenVersion::Agora006 | TokenVersion::Agora007 => {
            agora(token, version, keys.agora.as_ref(), opts, &mut r);
        }
    }
    finish(r, opts)
}

fn unknown_token(token: &str) -> String {
    if token.is_empty() {
        return "empty token".to_owned();
    }
    let mut message = "not a known token: a ZEGO token starts with 04, an Agora token with 006 \
                       or 007"
        .to_owned();
    if token.starts_with("eyJ") {
        message.push_str(" (this looks like a JWT)");
    } else if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        message.push_str(" (this looks like an app id or a secret, not a token)");
    }
    message
}

/// A facade error as a problem, in plain words.
fn problem_of(e: &rtc_tokens::Error) -> (&'static str, String) {
    let vendor = e.vendor().map_or("", Vendor::as_str);
    match e.kind() {
        ErrorKind::Malformed => {
            let reason = e.message().trim_start_matches("malformed token: ");
            let what = if reason.contains("trunc") || reason.contains("short") {
                "truncated"
            } else {
                "damaged or truncated"
            };
            (
                "malformed",
                format!("the {vendor} token is {what} ({reason}); was it copied whole?"),
            )
        }
        ErrorKind::Version => (
            "version",
            format!("not a {vendor} token this tool can read: {}", e.message()),
        ),
        ErrorKind::Decrypt => ("decrypt", decrypt_message()),
        ErrorKind::Signature => ("signature", e.message().to_owned()),
        ErrorKind::Expired => ("expired", e.message().to_owned()),
        ErrorKind::InvalidInput => ("malformed", e.message().to_owned()),
        ErrorKind::Internal => ("internal", e.message().to_owned()),
    }
}

fn decrypt_message() -> String {
    "cannot decrypt with this ServerSecret: the token was made with another secret (another \
     app's?), or altered"
        .to_owned()
}

fn zego(token: &str, provider: Option<&ZegoProvider>, opts: &Options, r: &mut Report) {
    let header = match zego_token04::inspect(token) {
        Ok(h) => h,
        Err(e) => {
            let (kind, message) = problem_of(&rtc_tokens::Error::from(e));
            r.reject(kind, message);
            return;
        }
    };
    r.expires_at = u64::try_from(header.expire).ok();
    r.detail = Some(json!({
        "format": "zego04_header",
        "mode": header.mode.as_str(),
        "expire": header.expire,
        "iv_len": header.iv_len,
        "ciphertext_len": header.ciphertext_len,
    }));
    let Some(provider) = provider else {
        r.verification = Check::NotChecked;
        let how = if opts.hints {
            "set ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE, or pass --secret-file"
        } else {
            "give the ServerSecret"
        };
        r.warnings.push(format!(
            "not decrypted, so neither checked nor fully read: {how}; the expiry shown is the \
             clear-text copy in the header, which anyone can change"
        ));
        return;
    };
    match provider.inspect(token, &ParseOptions::skip_expiry()) {
        Ok(parsed) => {
            r.fill(parsed);
            if r.verification == Check::DecryptedUnauthenticated {
                r.warnings.push(
                    "cbc mode is not authenticated: the secret decrypts it, but an altered token \
                     could still decrypt; prefer gcm"
                        .to_owned(),
                );
            }
        }
        Err(e) if e.kind() == ErrorKind::Decrypt => {
            r.verification = Check::DecryptFailed;
            r.reject("decrypt", decrypt_message());
        }
        Err(e) => {
            let (kind, message) = problem_of(&e);
            r.reject(kind, message);
        }
    }
}

fn agora(
    token: &str,
    version: TokenVersion,
    provider: Option<&AgoraProvider>,
    opts: &Options,
    r: &mut Report,
) {
    // Agora tokens decode without the certificate, but the facade only decodes
    // through a provider, so without one the demo provider decodes and its
    // verdict is discarded (reported as not checked).
    let (provider, have_certificate) = match provider {
        Some(p) => (p.clone(), true),
        None => (AgoraProvider::demo(), false),
    };
    let is_006 = version == TokenVersion::Agora006;
    let options = ParseOptions {
        channel: opts.channel.clone().filter(|_| is_006),
        uid: opts.uid.clone().filter(|_| is_006),
        ..ParseOptions::skip_expiry()
    };
    let parsed = match provider.inspect(token, &options) {
        Ok(p) => p,
        Err(e) => {
            let (kind, message) = problem_of(&e);
            r.reject(kind, message);
            return;
        }
    };
    let crcs = match parsed.detail {
        VendorDetail::Agora006(ref t) => Some((t.crc_channel_name, t.crc_uid)),
        _ => None,
    };
    r.fill(parsed);
    let with_channel_uid = is_006 && options.channel.is_some() && options.uid.is_some();
    if !have_certificate {
        r.verification = Check::NotChecked;
        let how = if opts.hints {
            "set AGORA_APP_CERTIFICATE or AGORA_APP_CERTIFICATE_FILE, or pass --secret-file"
        } else {
            "give the app certificate"
        };
        r.warnings.push(format!("signature not checked: {how}"));
    } else if is_006 && !with_channel_uid {
        r.warnings.push(
            "signature not checked: a 006 token carries only CRC32s of its channel and uid; \
             pass --channel and --uid (or --account) to verify it"
                .to_owned(),
        );
    }
    // For 006, compare the CRC32s to tell a wrong channel or uid from a wrong certificate.
    let mut wrong_principal = false;
    if let (Some((crc_channel, crc_uid)), true) = (crcs, with_channel_uid) {
        let channel = options.channel.as_deref().unwrap_or_default();
        let uid = options.uid.as_deref().unwrap_or_default();
        // 006 names its channel and uid only through these CRC32s: report
        // them as the token's only when they match.
        if crc32fast::hash(channel.as_bytes()) != crc_channel {
            wrong_principal = true;
            r.room = None;
            r.warnings.push(format!(
                "the token was not built for channel {channel:?} (its CRC32 differs)"
            ));
        }
        if crc32fast::hash(uid.as_bytes()) != crc_uid {
            wrong_principal = true;
            r.user = None;
            r.warnings.push(format!(
                "the token was not built for uid/account {uid:?} (its CRC32 differs; uid 0 is \"\")"
            ));
        }
    }
    if r.verification == Check::SignatureInvalid {
        let message = if wrong_principal {
            "signature does not match: the token was built for another channel or uid (see warnings)"
        } else {
            "signature does not match: the token was signed with another app certificate \
             (another app's?), or altered"
        };
        r.reject("signature", message);
    }
    if !is_006 {
        compare_principal(r, opts);
    }
}

/// Warns when the token names another channel or user than asked for.
fn compare_principal(r: &mut Report, opts: &Options) {
    if let (Some(want), Some(have)) = (&opts.channel, &r.room)
        && want != have
    {
        r.warnings
            .push(format!("the token is for channel {have:?}, not {want:?}"));
    }
    if let (Some(want), Some(have)) = (&opts.uid, &r.user)
        && want != have
        && !have.is_empty()
    {
        r.warnings
            .push(format!("the token is for user {have:?}, not {want:?}"));
    }
}

fn finish(mut r: Report, opts: &Options) -> Report {
    let now = opts.now;
    r.issued_at_utc = r.issued_at.map(time::rfc3339);
    r.expires_at_utc = r.expires_at.map(time::rfc3339);
    if let Some(expires_at) = r.expires_at {
        let expired = now >= expires_at;
        r.expired = Some(expired);
        r.expires_in_secs = Some(time::seconds_until(expires_at, now));
        let header = if r.expiry_authenticated {
            ""
        } else {
            " (per the unauthenticated header)"
        };
        if expired && !opts.ignore_expiry {
            r.reject(
                "expired",
                format!(
                    "{}{header}, at {}",
                    time::expiry_phrase(expires_at, now),
                    time::rfc3339(expires_at)
                ),
            );
        } else if !expired {
            for p in &r.privileges {
                if let Some(at) = p.expires_at.filter(|at| *at <= now) {
                    let ago = time::relative(at, now);
                    r.warnings.push(format!(
                        "privilege {:?} ({}) expired {ago}, at {}: that action will be refused",
                        p.name,
                        p.service,
                        time::rfc3339(at)
                    ));
                }
            }
        }
    }
    r.ok = r.problems.is_empty();
    r
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
        (None, _) => "unrecognised token".to_owned(),
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
    /// The human-readable form.
    pub fn render(&self, style: Style) -> String {
        let now = self.checked_at;
        let mut out = format!("{}\n", style.bold(&title(self)));
        let at = |t: u64| format!("{} ({})", time::rfc3339(t), time::relative(t, now));
        if self.detail.is_some() {
            let v = verification_text(self.verification);
            let v = match self.verification {
                Check::Verified | Check::DecryptedUnauthenticated => style.good(v),
                Check::NotChecked => style.warn(v),
                Check::SignatureInvalid | Check::DecryptFailed => style.bad(v),
            };
            field(&mut out, style, "verification", &v);
        }
        let room_label = if self.vendor == Some(Vendor::Zego) {
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
                field(&mut out, style, label, &shown);
            }
        }
        if let Some(t) = self.issued_at {
            field(&mut out, style, "issued", &at(t));
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
            field(&mut out, style, "expires", &text);
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
            field(&mut out, style, "privileges", &lines.join("\n"));
        }
        if let Some(Value::Object(detail)) = &self.detail {
            // Skip what the lines above already show.
            let shown = ["format", "ctime", "privileges"];
            for (key, value) in detail {
                if !shown.contains(&key.as_str()) {
                    field(&mut out, style, key, &style.dim(&scalar(value)));
                }
            }
        }
        for w in &self.warnings {
            out.push_str(&format!("{} {w}\n", style.warn("warning:")));
        }
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
        out
    }
}
