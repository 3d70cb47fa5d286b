//! Runs vendor vector cases (ZEGO, Agora, Tencent): parse and reject through
//! `&dyn TokenProvider`, build through the vendor crates' fixed-input (`hazmat`)
//! entry points.
//!
//! Beyond the schema's comparisons, every build also checks that the facade
//! verifies what was built, every 007 build that the reference's own token
//! verifies too (its deflate stream may differ from ours), and every token04 build that
//! the expected token decodes back to the inputs.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::Read as _;

use rtc_tokens::agora_dynamic_key::access_token2::Service;
use rtc_tokens::agora_dynamic_key::{self, AppCertificate, hazmat as agora_hazmat};
use rtc_tokens::zego_token04::{self, ServerSecret, hazmat as zego_hazmat};
use rtc_tokens::{
    AgoraProvider, ErrorKind, ParseOptions, ParsedToken, TokenProvider, VendorError, Verification,
    ZegoProvider,
};

use crate::schema::{
    Agora006Build, Agora007Build, AgoraParseExpect, AgoraTokenInput, BuildExpect, BuildInput,
    CaseSpec, Format, ParseExpect, RejectInput, ServiceSpec, TokenInput, Zego04Build,
    ZegoParseExpect, ZegoTokenInput, ids,
};

/// An app id for providers built only to parse: the app id matters only
/// when issuing, and a token reports its own.
const PARSE_ONLY_AGORA_APP_ID: &str = "00000000000000000000000000000000";
/// As [`PARSE_ONLY_AGORA_APP_ID`], for ZEGO.
const PARSE_ONLY_ZEGO_APP_ID: u32 = 1;

/// Runs one case; `Err` says why it failed.
///
/// # Errors
///
/// A description of the first mismatch, or of all mismatching parse fields.
pub fn run_case(spec: &CaseSpec) -> Result<(), String> {
    match spec {
        CaseSpec::Build { input, expect } => build_case(input, expect),
        CaseSpec::Parse { input, expect } => {
            let parsed = provider(input)
                .and_then(|p| p.inspect(input.token(), &options(input)))
                .map_err(|e| format!("parse failed: {e}"))?;
            match expect {
                ParseExpect::Agora(expect) => compare_agora(expect, &parsed),
                ParseExpect::Zego04(expect) => compare_zego(expect, &parsed),
            }
        }
        CaseSpec::Tencent(case) => tencent::run_case(case),
        CaseSpec::Reject {
            input,
            error,
            zego_error_code,
        } => {
            let (kind, code) = match input {
                RejectInput::Token(input) => {
                    match provider(input).and_then(|p| p.verify(input.token(), &options(input))) {
                        Ok(_) => return Err(expected_error(*error)),
                        Err(e) => (e.kind(), None),
                    }
                }
                RejectInput::Build(input) => match build(input) {
                    Ok(_) => return Err(expected_error(*error)),
                    Err(e) => (e.kind(), zego_code(&e)),
                },
            };
            if let Some(want) = error
                && *want != kind
            {
                return Err(format!("expected error {want}, got {kind}"));
            }
            if let Some(want) = zego_error_code
                && Some(*want) != code
            {
                return Err(format!("expected zego error code {want}, got {code:?}"));
            }
            Ok(())
        }
    }
}

fn expected_error(kind: Option<ErrorKind>) -> String {
    format!(
        "expected an error ({}), got success",
        kind.map_or("any", ErrorKind::as_str)
    )
}

impl TokenInput {
    fn token(&self) -> &str {
        match self {
            Self::Agora(_, input) => &input.token,
            Self::Zego04(input) => &input.token,
        }
    }
}

/// A provider on the case's credentials.
fn provider(input: &TokenInput) -> Result<Box<dyn TokenProvider>, rtc_tokens::Error> {
    Ok(match input {
        TokenInput::Agora(
            _,
            AgoraTokenInput {
                app_certificate, ..
            },
        ) => Box::new(agora_provider(PARSE_ONLY_AGORA_APP_ID, app_certificate)?),
        TokenInput::Zego04(ZegoTokenInput { secret, .. }) => Box::new(ZegoProvider::new(
            zego_token04::AppId::new(PARSE_ONLY_ZEGO_APP_ID)?,
            ServerSecret::new(secret)?,
        )),
    })
}

fn agora_provider(app_id: &str, cert: &str) -> Result<AgoraProvider, rtc_tokens::Error> {
    Ok(AgoraProvider::new(
        agora_dynamic_key::AppId::new(app_id)?,
        AppCertificate::new(cert)?,
    ))
}

fn options(input: &TokenInput) -> ParseOptions {
    match input {
        TokenInput::Agora(format, input) => {
            let options = ParseOptions::skip_expiry().only(format.version());
            match (&input.channel_name, &input.uid) {
                (Some(channel), Some(uid)) => options.with_channel_uid(channel, uid),
                _ => options,
            }
        }
        TokenInput::Zego04(_) => ParseOptions::skip_expiry().only(Format::Zego04.version()),
    }
}

/// ZEGO's numeric code of the vendor error behind `e`, if any.
fn zego_code(e: &rtc_tokens::Error) -> Option<u8> {
    match e.vendor_error() {
        Some(VendorError::Zego(z)) => z.zego_code(),
        _ => None,
    }
}

/// What a fixed-input build produced.
enum Built {
    Agora006(String),
    Agora007 { token: String, content: Vec<u8> },
    Zego04(zego_hazmat::FixedBuild),
}

fn build(input: &BuildInput) -> Result<Built, rtc_tokens::Error> {
    match input {
        BuildInput::Agora006(i) => build_006(i).map(Built::Agora006),
        BuildInput::Agora007(i) => {
            build_007(i).map(|(token, content)| Built::Agora007 { token, content })
        }
        BuildInput::Zego04(i) => build_zego(i).map(Built::Zego04),
    }
}

fn build_006(i: &Agora006Build) -> Result<String, rtc_tokens::Error> {
    let app_id = agora_dynamic_key::AppId::new(&i.app_id)?;
    let cert = AppCertificate::new(&i.app_certificate)?;
    let mut token =
        agora_hazmat::access_token_with_salt(app_id, &i.channel_name, &i.uid, i.ts, i.salt);
    for (id, expiry) in ids(&i.privileges) {
        token.add_raw_privilege(id, expiry);
    }
    Ok(token.build(&cert)?)
}

fn build_007(i: &Agora007Build) -> Result<(String, Vec<u8>), rtc_tokens::Error> {
    let app_id = agora_dynamic_key::AppId::new(&i.app_id)?;
    let cert = AppCertificate::new(&i.app_certificate)?;
    let mut token = agora_hazmat::access_token2_with_salt(app_id, i.issue_ts, i.expire, i.salt);
    for service in &i.services {
        token.add_service(service.to_service());
    }
    let content = token.content(&cert)?;
    let built = token.build(&cert)?;
    Ok((built, content))
}

fn build_zego(i: &Zego04Build) -> Result<zego_hazmat::FixedBuild, rtc_tokens::Error> {
    let secret = ServerSecret::new(&i.secret)?;
    zego_hazmat::build_fixed(
        &secret,
        &zego_hazmat::FixedInputs {
            mode: i.mode.into(),
            app_id: i.app_id,
            user_id: &i.user_id,
            ctime: i.ctime,
            expire: i.expire,
            nonce: i.nonce,
            iv: &i.iv,
            payload: &i.payload,
        },
    )
    .map_err(Into::into)
}

fn build_case(input: &BuildInput, expect: &BuildExpect) -> Result<(), String> {
    let built = build(input).map_err(|e| format!("build failed: {e}"))?;
    match (input, expect, built) {
        (BuildInput::Agora006(i), BuildExpect::Agora006(x), Built::Agora006(token)) => {
            same_token("token", &x.token, &token)?;
            // The facade verifies what was built, with the channel and uid it was built for.
            let parsed = agora_provider(&i.app_id, &i.app_certificate)
                .and_then(|p| {
                    p.inspect(
                        &token,
                        &ParseOptions::skip_expiry().with_channel_uid(&i.channel_name, &i.uid),
                    )
                })
                .map_err(|e| format!("our token does not parse: {e}"))?;
            same(
                "verification",
                &Verification::Verified,
                &parsed.verification,
            )
        }
        (BuildInput::Agora007(i), BuildExpect::Agora007(x), Built::Agora007 { token, content }) => {
            same(
                "content_hex",
                &hex::encode(&x.content),
                &hex::encode(&content),
            )?;
            same(
                "our token, inflated",
                &hex::encode(&x.content),
                &hex::encode(inflate_007(&token)?),
            )?;
            let provider = agora_provider(&i.app_id, &i.app_certificate)
                .map_err(|e| format!("credentials: {e}"))?;
            let mut tokens = vec![("our token", token.as_str())];
            if let Some(reference) = &x.token {
                same(
                    "reference token, inflated",
                    &hex::encode(&x.content),
                    &hex::encode(inflate_007(reference)?),
                )?;
                tokens.push(("reference token", reference));
            }
            for (what, token) in tokens {
                let parsed = provider
                    .inspect(token, &ParseOptions::skip_expiry())
                    .map_err(|e| format!("{what} does not parse: {e}"))?;
                same(what, &Verification::Verified, &parsed.verification)?;
            }
            Ok(())
        }
        (BuildInput::Zego04(i), BuildExpect::Zego04(x), Built::Zego04(built)) => {
            same("plaintext", &x.plaintext, &built.plaintext)?;
            same_token("token", &x.token, &built.token)?;
            // The expected token decodes back to the inputs through the facade.
            let input = TokenInput::Zego04(ZegoTokenInput {
                token: x.token.clone(),
                secret: i.secret.clone(),
            });
            let parsed = provider(&input)
                .and_then(|p| p.inspect(&x.token, &options(&input)))
                .map_err(|e| format!("expected token does not parse: {e}"))?;
            compare_zego(
                &ZegoParseExpect {
                    mode: Some(i.mode),
                    app_id: Some(i.app_id),
                    user_id: Some(i.user_id.clone()),
                    ctime: Some(i.ctime),
                    expire: Some(i.expire),
                    nonce: Some(i.nonce),
                    payload: Some(i.payload.clone()),
                },
                &parsed,
            )
        }
        _ => Err("internal: build input and expectation disagree".to_owned()),
    }
}

fn services(specs: &[ServiceSpec]) -> Vec<Service> {
    specs.iter().map(ServiceSpec::to_service).collect()
}

/// Compares two tokens without printing them: where they first differ.
fn same_token(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    let at = expected
        .bytes()
        .zip(actual.bytes())
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    Err(format!(
        "{what}: differs from the expected token at byte {at} (lengths {} and {})",
        expected.len(),
        actual.len()
    ))
}

fn same<T: PartialEq + Debug>(what: &str, expected: &T, actual: &T) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// Inflates a 007 token's body independently of the crate under test.
fn inflate_007(token: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let body = token.strip_prefix("007").ok_or("no 007 prefix")?;
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| format!("base64: {e}"))?;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .read_to_end(&mut out)
        .map_err(|e| format!("zlib: {e}"))?;
    Ok(out)
}

/// Collects every mismatch between expected and observed fields.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn field<T: PartialEq + Debug>(&mut self, name: &str, expected: Option<T>, actual: Option<T>) {
        match (expected, actual) {
            (None, _) => {}
            (Some(_), None) => self.0.push(format!("{name}: not reported for this token")),
            (Some(e), Some(a)) if e != a => {
                self.0.push(format!("{name}: expected {e:?}, got {a:?}"));
            }
            _ => {}
        }
    }

    fn finish(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("; "))
        }
    }
}

fn compare_agora(x: &AgoraParseExpect, parsed: &ParsedToken) -> Result<(), String> {
    let o = observe::agora(parsed);
    let mut m = Mismatches::default();
    m.field(
        "version",
        x.version.as_deref(),
        Some(parsed.version.as_str()),
    );
    m.field("app_id", x.app_id.as_deref(), parsed.app_id.as_deref());
    m.field(
        "signature_valid",
        x.signature_valid,
        Some(parsed.verification == Verification::Verified),
    );
    m.field("salt", x.salt, o.salt);
    m.field("issue_ts", x.issue_ts, o.issue_ts);
    m.field("expire", x.expire, o.expire);
    m.field("ts", x.ts, o.ts);
    m.field("crc_channel_name", x.crc_channel_name, o.crc_channel_name);
    m.field("crc_uid", x.crc_uid, o.crc_uid);
    m.field("privileges", x.privileges.as_ref().map(ids), o.privileges);
    m.field("services", x.services.as_deref().map(services), o.services);
    m.finish()
}

fn compare_zego(x: &ZegoParseExpect, parsed: &ParsedToken) -> Result<(), String> {
    let o = observe::zego(parsed);
    let mut m = Mismatches::default();
    m.field("app_id", x.app_id, o.app_id);
    m.field("user_id", x.user_id.as_deref(), o.user_id.as_deref());
    m.field("mode", x.mode, o.mode);
    m.field("ctime", x.ctime, o.ctime);
    m.field("expire", x.expire, o.expire);
    m.field("nonce", x.nonce, o.nonce);
    m.field("payload", x.payload.as_deref(), o.payload.as_deref());
    m.finish()
}

/// Tencent cases: parse and reject through `&dyn TokenProvider` (a
/// `TencentProvider` on the case's SDKAppID and key), builds through the vendor
/// crate's low-level document and its fixed-clock (`hazmat`) builder, re-exported by
/// the facade; every build is then verified by the provider.
///
/// Tokens are compared by their decoded JSON document, never by their string: key order,
/// spacing and deflate output differ between the references (schema, tencent section).
mod tencent {
    use std::io::Read as _;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use rtc_tokens::tencent_usersig::{
        self, PrivateMapKey, PrivateMapKeySpec, Privileges, Room, SdkAppId, SecretKey, UserId,
        UserSig, UserSigBuilder,
    };
    use rtc_tokens::{ParseOptions, TencentProvider, TokenProvider, Verification};
    use serde_json::Value;

    use super::{Mismatches, expected_error, observe, same};
    use crate::schema::{
        TencentBuild, TencentBuildExpect, TencentCase, TencentParseExpect, TencentReject,
        TencentTokenInput, TencentUserbuf,
    };

    pub(super) fn run_case(case: &TencentCase) -> Result<(), String> {
        match case {
            TencentCase::Build { input, expect } => build_case(input, expect),
            TencentCase::Parse { input, expect } => parse_case(input, expect),
            TencentCase::Reject { input, error } => {
                let got = match input {
                    TencentReject::Build(input) => match build(input) {
                        Ok(_) => return Err(expected_error(*error)),
                        Err(e) => rtc_tokens::Error::from(e).kind(),
                    },
                    TencentReject::Token(input) => match verify(input) {
                        Ok(()) => return Err(expected_error(*error)),
                        Err(e) => e.kind(),
                    },
                };
                match error {
                    Some(want) if *want != got => Err(format!("expected error {want}, got {got}")),
                    _ => Ok(()),
                }
            }
        }
    }

    /// The provider on the case's credentials.
    fn provider(input: &TencentTokenInput) -> Result<Box<dyn TokenProvider>, rtc_tokens::Error> {
        let app = SdkAppId::new(input.sdkappid)?;
        let key = SecretKey::new(&input.key)?;
        Ok(Box::new(TencentProvider::new(app, key)))
    }

    /// Verify through the provider: the HMAC and the SDKAppID; neither expiry (as for
    /// the other vendors' vectors, whose tokens are long expired) nor privileges (the
    /// vectors' privilege maps are random) are required.
    fn verify(input: &TencentTokenInput) -> Result<(), rtc_tokens::Error> {
        provider(input)?
            .verify(&input.token, &ParseOptions::skip_expiry().require([]))
            .map(drop)
    }

    fn private_map_key(u: &TencentUserbuf, sdkappid: u32) -> Result<PrivateMapKey, String> {
        let room = match (u.version, &u.room_str) {
            (0, None) => Room::Numeric(u.room_id),
            (1, Some(room)) if u.room_id == 0 => Room::Str(room.clone()),
            (v, _) => return Err(format!("userbuf version {v} does not fit its room fields")),
        };
        Ok(PrivateMapKey {
            account: u.account.clone(),
            sdkappid,
            room,
            expire_at: u.expire_at,
            privileges: Privileges::from_bits(u.privilege_map),
            account_type: u.account_type,
        })
    }

    /// The low-level document, exactly as the case gives it (the userbuf carries the
    /// document's sdkappid).
    fn build(i: &TencentBuild) -> Result<String, tencent_usersig::Error> {
        let key = SecretKey::new(&i.key)?;
        let mut doc = UserSig::new(&i.identifier, i.sdkappid, i.time, i.expire);
        if let Some(u) = &i.userbuf {
            let userbuf = private_map_key(u, i.sdkappid)
                .map_err(|_| tencent_usersig::Error::Malformed("userbuf fields"))?;
            doc = doc.with_private_map_key(&userbuf)?;
        }
        doc.to_token(&key)
    }

    /// The same token through the everyday builder at a fixed clock (`hazmat`), when the
    /// case is one it can express: a valid user id and room, the userbuf's account the
    /// identifier and its expiry `time + expire`.
    fn build_everyday(i: &TencentBuild) -> Option<String> {
        let key = SecretKey::new(&i.key).ok()?;
        let builder = UserSigBuilder::new(SdkAppId::new(i.sdkappid).ok()?, key);
        let user = UserId::new(&i.identifier).ok()?;
        let validity = u32::try_from(i.expire).ok()?;
        let issued = match &i.userbuf {
            None => builder.user_sig_at_time(i.time, &user, validity),
            Some(u) => {
                let k = private_map_key(u, i.sdkappid).ok()?;
                let fits = k.account == i.identifier
                    && k.account_type == 0
                    && u64::from(k.expire_at) == i.time.checked_add(i.expire)?;
                if !fits {
                    return None;
                }
                let spec = PrivateMapKeySpec::new(user, k.room, k.privileges, validity);
                builder.private_map_key_at_time(i.time, &spec)
            }
        };
        issued.ok().map(|i| i.token)
    }

    fn build_case(i: &TencentBuild, x: &TencentBuildExpect) -> Result<(), String> {
        let token = build(i).map_err(|e| format!("build failed: {e}"))?;
        same("our token's document", &x.doc, &decode(&token)?)?;
        if let Some(expected) = &i.userbuf_b64 {
            same(
                "userbuf_b64",
                &Some(expected.as_str()),
                &x.doc.get("TLS.userbuf").and_then(Value::as_str),
            )?;
        }
        let input = |token: &str| TencentTokenInput {
            token: token.to_owned(),
            sdkappid: i.sdkappid,
            key: i.key.clone(),
        };
        let mut tokens = vec![("our token", token.clone())];
        if let Some(everyday) = build_everyday(i) {
            same("the builder's document", &x.doc, &decode(&everyday)?)?;
            tokens.push(("the builder's token", everyday));
        }
        // The reference's own token decodes to the same document.
        if let Some(reference) = &x.token {
            same("reference token's document", &x.doc, &decode(reference)?)?;
            tokens.push(("reference token", reference.clone()));
        }
        // The facade verifies each of them.
        for (what, token) in tokens {
            verify(&input(&token)).map_err(|e| format!("{what} does not verify: {e}"))?;
        }
        Ok(())
    }

    fn parse_case(i: &TencentTokenInput, x: &TencentParseExpect) -> Result<(), String> {
        let parsed = provider(i)
            .and_then(|p| p.inspect(&i.token, &ParseOptions::skip_expiry()))
            .map_err(|e| format!("parse failed: {e}"))?;
        let mut m = Mismatches::default();
        m.field("doc", x.doc.as_ref(), observe::tencent(&parsed).as_ref());
        m.field(
            "signature_valid",
            x.signature_valid,
            Some(parsed.verification == Verification::Verified),
        );
        m.finish()
    }

    /// A token's JSON document, decoded independently of the crate under test.
    fn decode(token: &str) -> Result<Value, String> {
        let standard: String = token
            .chars()
            .map(|c| match c {
                '*' => '+',
                '-' => '/',
                '_' => '=',
                c => c,
            })
            .collect();
        let z = STANDARD
            .decode(standard)
            .map_err(|e| format!("base64: {e}"))?;
        let mut json = Vec::new();
        flate2::read::ZlibDecoder::new(z.as_slice())
            .read_to_end(&mut json)
            .map_err(|e| format!("zlib: {e}"))?;
        serde_json::from_slice(&json).map_err(|e| format!("json: {e}"))
    }
}

/// The one place that reads [`VendorDetail`]: the schema's fields as the
/// facade reports them, from the vendor crates' typed parsed values.
mod observe {
    use super::{BTreeMap, Service};
    use crate::schema::{ZegoMode, ZegoParseExpect};
    use rtc_tokens::zego_token04::Mode;
    use rtc_tokens::{ParsedToken, VendorDetail};

    #[derive(Default)]
    pub(super) struct Agora {
        pub salt: Option<u32>,
        pub issue_ts: Option<u32>,
        pub expire: Option<u32>,
        pub ts: Option<u32>,
        pub crc_channel_name: Option<u32>,
        pub crc_uid: Option<u32>,
        pub privileges: Option<BTreeMap<u16, u32>>,
        pub services: Option<Vec<Service>>,
    }

    pub(super) fn agora(parsed: &ParsedToken) -> Agora {
        match &parsed.detail {
            VendorDetail::Agora006(t) => Agora {
                salt: Some(t.salt),
                ts: Some(t.ts),
                crc_channel_name: Some(t.crc_channel_name),
                crc_uid: Some(t.crc_uid),
                privileges: Some(t.privileges.clone()),
                ..Agora::default()
            },
            VendorDetail::Agora007(t) => Agora {
                salt: Some(t.salt),
                issue_ts: Some(t.issue_ts),
                expire: Some(t.expire),
                services: Some(t.services.clone()),
                ..Agora::default()
            },
            _ => Agora::default(),
        }
    }

    /// A Tencent token's document as the schema writes it (`None` for another vendor's).
    pub(super) fn tencent(parsed: &ParsedToken) -> Option<serde_json::Value> {
        use base64::Engine as _;
        let VendorDetail::Tencent(p) = &parsed.detail else {
            return None;
        };
        let mut doc = serde_json::json!({
            "TLS.ver": rtc_tokens::tencent_usersig::usersig::VERSION,
            "TLS.identifier": p.identifier,
            "TLS.sdkappid": p.sdkappid,
            "TLS.time": p.time,
            "TLS.expire": p.expire,
            "TLS.sig": base64::engine::general_purpose::STANDARD.encode(p.signature()),
        });
        if let (Some(b64), Some(obj)) = (p.userbuf_b64(), doc.as_object_mut()) {
            obj.insert("TLS.userbuf".to_owned(), serde_json::Value::from(b64));
        }
        Some(doc)
    }

    /// What the token says, in the expectation's own shape (every field set).
    pub(super) fn zego(parsed: &ParsedToken) -> ZegoParseExpect {
        match &parsed.detail {
            VendorDetail::Zego04(c) => ZegoParseExpect {
                mode: Some(match c.mode {
                    Mode::Gcm => ZegoMode::Gcm,
                    Mode::Cbc => ZegoMode::Cbc,
                }),
                app_id: Some(c.app_id),
                user_id: Some(c.user_id.clone()),
                ctime: Some(c.ctime),
                expire: Some(c.expire),
                nonce: Some(c.nonce),
                payload: Some(c.payload.clone()),
            },
            _ => ZegoParseExpect::default(),
        }
    }
}
