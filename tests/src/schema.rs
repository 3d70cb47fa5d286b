//! The typed form of a vendor vector suite (`docs/conformance.md`).
//!
//! A file parses into a [`Suite`] as long as its top level and every case's
//! `name` are well formed; a case whose vendor, kind, op, input or expectation
//! does not fit the schema still loads, as a [`Case`] whose
//! [`spec`](Case::spec) is the reason, so the runner counts it as failed
//! instead of the whole file failing or the case being skipped.
//!
//! Unknown fields at the top level and in cases (`note`, `source`, `builder`,
//! …) and in inputs are ignored. Expectations are strict: a field the harness
//! cannot check is an error, never a silent pass.

use std::collections::BTreeMap;
use std::fmt;

use rtc_tokens::agora_dynamic_key::access_token2::{
    Permissions, Service, ServiceApaas, ServiceChat, ServiceConvoAi, ServiceFcdn, ServiceFpa,
    ServiceRtc, ServiceRtm, ServiceRtm2, ServiceStreaming, ServiceStt,
};
use rtc_tokens::{ErrorKind, TokenVersion};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One suite file.
#[derive(Debug, Clone, Deserialize)]
pub struct Suite {
    /// The suite's name.
    pub suite: String,
    /// Where the expected values come from.
    #[serde(default)]
    pub source: Option<String>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
}

/// One case: its name and, when it fits the schema, what to run.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "RawCase")]
pub struct Case {
    /// The case's name, unique in its suite.
    pub name: String,
    /// What to run, or why this case cannot be run.
    pub spec: Result<CaseSpec, String>,
}

/// A token format the vectors cover (the schema's `vendor` and `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `agora` / `access_token`: AccessToken 006.
    Agora006,
    /// `agora` / `access_token2`: AccessToken2 007.
    Agora007,
    /// `zego` / `token04`.
    Zego04,
}

impl Format {
    /// The facade's name for the format.
    #[must_use]
    pub const fn version(self) -> TokenVersion {
        match self {
            Self::Agora006 => TokenVersion::Agora006,
            Self::Agora007 => TokenVersion::Agora007,
            Self::Zego04 => TokenVersion::Zego04,
        }
    }
}

/// What a case runs.
#[derive(Debug, Clone)]
pub enum CaseSpec {
    /// Build from fixed inputs and compare.
    Build {
        /// The fixed inputs.
        input: BuildInput,
        /// What the build must produce.
        expect: BuildExpect,
    },
    /// Decode a token with the case's credentials and compare fields.
    Parse {
        /// The token and credentials.
        input: TokenInput,
        /// The fields it must decode to.
        expect: ParseExpect,
    },
    /// A build that must be refused, or a token that must not decode or verify.
    Reject {
        /// What must fail.
        input: RejectInput,
        /// The expected category, when the case names one.
        error: Option<ErrorKind>,
        /// ZEGO's numeric error code for the refusal, when the case names one.
        zego_error_code: Option<u8>,
    },
    /// A `tencent` / `usersig` case: its own shapes (documents compared as JSON), run
    /// through the Tencent provider like the variants above.
    Tencent(TencentCase),
}

/// A `tencent` / `usersig` case (schema section "tencent / usersig").
#[derive(Debug, Clone)]
pub enum TencentCase {
    /// Build from the given document fields and compare the decoded document.
    Build {
        /// The fixed inputs.
        input: TencentBuild,
        /// The document the token must decode to.
        expect: TencentBuildExpect,
    },
    /// Decode a token and compare its document and verification.
    Parse {
        /// The token and credentials.
        input: TencentTokenInput,
        /// What it must decode to.
        expect: TencentParseExpect,
    },
    /// A token that must not decode or verify, or a build that must be refused.
    Reject {
        /// What must fail.
        input: TencentReject,
        /// The expected category, when the case names one.
        error: Option<ErrorKind>,
    },
}

/// What a `tencent` reject case must fail on.
#[derive(Debug, Clone)]
pub enum TencentReject {
    /// A build.
    Build(TencentBuild),
    /// A token.
    Token(TencentTokenInput),
}

/// `tencent` / `usersig` / `build` input.
#[derive(Debug, Clone, Deserialize)]
pub struct TencentBuild {
    /// The application.
    pub sdkappid: u32,
    /// The secret key (an opaque string).
    pub key: String,
    /// `TLS.identifier`.
    pub identifier: String,
    /// `TLS.time`: issue time.
    pub time: u64,
    /// `TLS.expire`: validity in seconds.
    pub expire: u64,
    /// A PrivateMapKey's userbuf, field for field.
    #[serde(default)]
    pub userbuf: Option<TencentUserbuf>,
    /// The standard base64 of the binary userbuf the reference wrote.
    #[serde(default)]
    pub userbuf_b64: Option<String>,
}

/// A PrivateMapKey userbuf as the vectors write it.
#[derive(Debug, Clone, Deserialize)]
pub struct TencentUserbuf {
    /// 0 numeric room, 1 string room.
    pub version: u8,
    /// The account.
    pub account: String,
    /// The numeric room (0 for a string room).
    pub room_id: u32,
    /// Absolute expiry.
    pub expire_at: u32,
    /// The privilege bits.
    pub privilege_map: u32,
    /// The account type.
    pub account_type: u32,
    /// The string room (version 1).
    #[serde(default)]
    pub room_str: Option<String>,
}

/// `tencent` / `usersig` / `build` expectation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TencentBuildExpect {
    /// The decoded JSON document, compared as a JSON value.
    pub doc: Value,
    /// The reference's own token (its key order and deflate stream may differ from ours).
    #[serde(default)]
    pub token: Option<String>,
}

/// A Tencent token and the credentials to check it with.
#[derive(Debug, Clone, Deserialize)]
pub struct TencentTokenInput {
    /// The token.
    pub token: String,
    /// The application the token is expected to be for.
    pub sdkappid: u32,
    /// The secret key.
    pub key: String,
}

/// `tencent` / `usersig` / `parse` expectation: every field given must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TencentParseExpect {
    /// The decoded JSON document, compared as a JSON value.
    pub doc: Option<Value>,
    /// Whether the HMAC verifies with the case's key.
    pub signature_valid: Option<bool>,
}

/// Fixed build inputs, per format.
#[derive(Debug, Clone)]
pub enum BuildInput {
    /// An AccessToken 006.
    Agora006(Agora006Build),
    /// An AccessToken2 007.
    Agora007(Agora007Build),
    /// A ZEGO token04.
    Zego04(Zego04Build),
}

/// What a build must produce, per format.
#[derive(Debug, Clone)]
pub enum BuildExpect {
    /// 006: the token, byte for byte.
    Agora006(Agora006BuildExpect),
    /// 007: the inflated body, byte for byte.
    Agora007(Agora007BuildExpect),
    /// token04: the encrypted JSON and the token, byte for byte.
    Zego04(Zego04BuildExpect),
}

/// What must be refused.
#[derive(Debug, Clone)]
pub enum RejectInput {
    /// A build.
    Build(BuildInput),
    /// A token.
    Token(TokenInput),
}

/// A token and the credentials to decode it with.
#[derive(Debug, Clone)]
pub enum TokenInput {
    /// An Agora token of the given format.
    Agora(Format, AgoraTokenInput),
    /// A ZEGO token04.
    Zego04(ZegoTokenInput),
}

/// The fields a parse must report, per vendor.
#[derive(Debug, Clone)]
pub enum ParseExpect {
    /// Agora 006 or 007.
    Agora(AgoraParseExpect),
    /// ZEGO token04.
    Zego04(ZegoParseExpect),
}

/// `agora` / `access_token` / `build` input.
#[derive(Debug, Clone, Deserialize)]
pub struct Agora006Build {
    /// App id (32 hex characters).
    pub app_id: String,
    /// App certificate (32 hex characters).
    pub app_certificate: String,
    /// Channel name.
    pub channel_name: String,
    /// The uid as a string (`""` for uid 0).
    pub uid: String,
    /// The fixed salt.
    pub salt: u32,
    /// The token's own expiry timestamp.
    pub ts: u32,
    /// Privilege id → absolute expiry timestamp.
    #[serde(default)]
    pub privileges: BTreeMap<DecimalId, u32>,
}

/// `agora` / `access_token2` / `build` input.
#[derive(Debug, Clone, Deserialize)]
pub struct Agora007Build {
    /// App id (32 hex characters).
    pub app_id: String,
    /// App certificate (32 hex characters).
    pub app_certificate: String,
    /// Issue time.
    pub issue_ts: u32,
    /// The fixed salt.
    pub salt: u32,
    /// Validity in seconds from `issue_ts`.
    pub expire: u32,
    /// The services, in the order added.
    pub services: Vec<ServiceSpec>,
}

/// `zego` / `token04` / `build` input.
#[derive(Debug, Clone, Deserialize)]
pub struct Zego04Build {
    /// `gcm` or `cbc`.
    pub mode: ZegoMode,
    /// App id.
    pub app_id: u32,
    /// User id.
    pub user_id: String,
    /// ServerSecret (32 characters).
    pub secret: String,
    /// Creation time.
    pub ctime: i64,
    /// Absolute expiry.
    pub expire: i64,
    /// The JSON nonce.
    pub nonce: i32,
    /// The CBC IV (16 bytes) or GCM nonce (12 bytes).
    #[serde(rename = "iv_hex", deserialize_with = "hex_bytes")]
    pub iv: Vec<u8>,
    /// The payload string.
    pub payload: String,
}

/// An Agora token and what to check it with.
#[derive(Debug, Clone, Deserialize)]
pub struct AgoraTokenInput {
    /// The token.
    pub token: String,
    /// App certificate.
    pub app_certificate: String,
    /// 006 only: the channel name to verify with.
    #[serde(default)]
    pub channel_name: Option<String>,
    /// 006 only: the uid string to verify with.
    #[serde(default)]
    pub uid: Option<String>,
}

/// A ZEGO token and its secret.
#[derive(Debug, Clone, Deserialize)]
pub struct ZegoTokenInput {
    /// The token.
    pub token: String,
    /// ServerSecret.
    pub secret: String,
}

/// `agora` / `access_token` / `build` expectation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agora006BuildExpect {
    /// The whole token.
    pub token: String,
}

/// `agora` / `access_token2` / `build` expectation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agora007BuildExpect {
    /// The body after base64 decoding and zlib inflation.
    #[serde(rename = "content_hex", deserialize_with = "hex_bytes")]
    pub content: Vec<u8>,
    /// The reference's own token (its deflate stream may differ from ours).
    #[serde(default)]
    pub token: Option<String>,
}

/// `zego` / `token04` / `build` expectation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zego04BuildExpect {
    /// The JSON that was encrypted.
    pub plaintext: String,
    /// The whole token.
    pub token: String,
}

/// Agora `parse` expectation: every field given must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgoraParseExpect {
    /// `006` or `007`.
    pub version: Option<String>,
    /// The app id inside the token.
    pub app_id: Option<String>,
    /// 007: issue time.
    pub issue_ts: Option<u32>,
    /// 007: validity in seconds.
    pub expire: Option<u32>,
    /// The salt.
    pub salt: Option<u32>,
    /// 006: the token's own expiry.
    pub ts: Option<u32>,
    /// 007: the services in wire order.
    pub services: Option<Vec<ServiceSpec>>,
    /// 006: privilege id → absolute expiry.
    pub privileges: Option<BTreeMap<DecimalId, u32>>,
    /// 006: CRC32 of the channel name.
    pub crc_channel_name: Option<u32>,
    /// 006: CRC32 of the uid string.
    pub crc_uid: Option<u32>,
    /// Whether the signature verifies with the case's certificate.
    pub signature_valid: Option<bool>,
}

/// ZEGO `parse` expectation: every field given must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZegoParseExpect {
    /// `gcm` or `cbc`.
    pub mode: Option<ZegoMode>,
    /// App id.
    pub app_id: Option<u32>,
    /// User id.
    pub user_id: Option<String>,
    /// Creation time.
    pub ctime: Option<i64>,
    /// Absolute expiry.
    pub expire: Option<i64>,
    /// The JSON nonce.
    pub nonce: Option<i32>,
    /// The payload string.
    pub payload: Option<String>,
}

/// The ZEGO encryption mode as the vectors write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZegoMode {
    /// AES-GCM.
    Gcm,
    /// AES-CBC.
    Cbc,
}

impl From<ZegoMode> for rtc_tokens::zego_token04::Mode {
    fn from(mode: ZegoMode) -> Self {
        match mode {
            ZegoMode::Gcm => Self::Gcm,
            ZegoMode::Cbc => Self::Cbc,
        }
    }
}

/// A numeric id written as a decimal string map key (`"1"`), as the vectors
/// write privilege, resource and permission ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecimalId(pub u16);

impl<'de> Deserialize<'de> for DecimalId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = DecimalId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a u16 id as a decimal string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DecimalId, E> {
                s.parse().map(DecimalId).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<DecimalId, E> {
                u16::try_from(n).map(DecimalId).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// An AccessToken2 service as the vectors write it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[allow(missing_docs, reason = "the fields are the schema's, documented there")]
pub enum ServiceSpec {
    /// RTC (1).
    Rtc {
        channel_name: String,
        uid: String,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// RTM (2).
    Rtm {
        user_id: String,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// Media streaming (3).
    Streaming {
        channel_name: String,
        account: String,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// FPA (4).
    Fpa {
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// Chat (5).
    Chat {
        user_id: String,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// Fusion CDN (6).
    Fcdn {
        channel_name: String,
        account: String,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// APaaS / Education (7).
    Apaas {
        room_uuid: String,
        user_uuid: String,
        role: i16,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// RTM with permissions (8).
    Rtm2 {
        user_id: String,
        /// Resource type → permission type → resources.
        #[serde(default)]
        permissions: BTreeMap<DecimalId, BTreeMap<DecimalId, Vec<String>>>,
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// Conversational AI (9).
    ConvoAi {
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
    /// Speech-to-text (10).
    Stt {
        #[serde(default)]
        privileges: BTreeMap<DecimalId, u32>,
    },
}

impl ServiceSpec {
    /// The vendor crate's typed service.
    #[must_use]
    pub fn to_service(&self) -> Service {
        let (mut service, privileges): (Service, _) = match self {
            Self::Rtc {
                channel_name,
                uid,
                privileges,
            } => (ServiceRtc::new(channel_name, uid).into(), privileges),
            Self::Rtm {
                user_id,
                privileges,
            } => (ServiceRtm::new(user_id).into(), privileges),
            Self::Streaming {
                channel_name,
                account,
                privileges,
            } => (
                ServiceStreaming::new(channel_name, account).into(),
                privileges,
            ),
            Self::Fpa { privileges } => (ServiceFpa::new().into(), privileges),
            Self::Chat {
                user_id,
                privileges,
            } => (ServiceChat::new(user_id).into(), privileges),
            Self::Fcdn {
                channel_name,
                account,
                privileges,
            } => (ServiceFcdn::new(channel_name, account).into(), privileges),
            Self::Apaas {
                room_uuid,
                user_uuid,
                role,
                privileges,
            } => (
                ServiceApaas::new(room_uuid, user_uuid)
                    .with_role(*role)
                    .into(),
                privileges,
            ),
            Self::Rtm2 {
                user_id,
                permissions,
                privileges,
            } => {
                let mut typed = Permissions::new();
                for (resource, by_permission) in permissions {
                    for (permission, list) in by_permission {
                        typed.add(resource.0, permission.0, list.clone());
                    }
                }
                (ServiceRtm2::new(user_id, typed).into(), privileges)
            }
            Self::ConvoAi { privileges } => (ServiceConvoAi::new().into(), privileges),
            Self::Stt { privileges } => (ServiceStt::new().into(), privileges),
        };
        *service.privileges_mut() = ids(privileges);
        service
    }
}

/// A privilege map with plain `u16` keys.
#[must_use]
pub fn ids(map: &BTreeMap<DecimalId, u32>) -> BTreeMap<u16, u32> {
    map.iter().map(|(k, v)| (k.0, *v)).collect()
}

fn hex_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    hex::decode(s).map_err(de::Error::custom)
}

/// A case as written, before its input and expectation are typed.
#[derive(Deserialize)]
struct RawCase {
    name: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    op: String,
    #[serde(default)]
    input: Value,
    #[serde(default)]
    expect: Value,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    zego_error_code: Option<u8>,
}

impl From<RawCase> for Case {
    fn from(raw: RawCase) -> Self {
        Self {
            spec: typed(&raw),
            name: raw.name,
        }
    }
}

fn from_value<T: DeserializeOwned>(what: &str, v: &Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| format!("{what}: {e}"))
}

fn typed(raw: &RawCase) -> Result<CaseSpec, String> {
    let format = match (raw.vendor.as_str(), raw.kind.as_str()) {
        ("agora", "access_token") => Format::Agora006,
        ("agora", "access_token2") => Format::Agora007,
        ("zego", "token04") => Format::Zego04,
        ("tencent", "usersig") => return tencent(raw).map(CaseSpec::Tencent),
        (vendor, kind) => return Err(format!("unsupported vendor/kind {vendor:?}/{kind:?}")),
    };
    match raw.op.as_str() {
        "build" => Ok(CaseSpec::Build {
            input: build_input(format, &raw.input)?,
            expect: match format {
                Format::Agora006 => BuildExpect::Agora006(from_value("expect", &raw.expect)?),
                Format::Agora007 => BuildExpect::Agora007(from_value("expect", &raw.expect)?),
                Format::Zego04 => BuildExpect::Zego04(from_value("expect", &raw.expect)?),
            },
        }),
        "parse" => Ok(CaseSpec::Parse {
            input: token_input(format, &raw.input)?,
            expect: match format {
                Format::Zego04 => ParseExpect::Zego04(from_value("expect", &raw.expect)?),
                _ => ParseExpect::Agora(from_value("expect", &raw.expect)?),
            },
        }),
        "reject" => Ok(CaseSpec::Reject {
            input: if raw.input.get("token").is_some() {
                RejectInput::Token(token_input(format, &raw.input)?)
            } else {
                RejectInput::Build(build_input(format, &raw.input)?)
            },
            error: raw
                .error
                .as_ref()
                .map(|e| from_value::<ErrorKind>("error", e))
                .transpose()?,
            zego_error_code: raw.zego_error_code,
        }),
        op => Err(format!("unsupported op {op:?}")),
    }
}

fn tencent(raw: &RawCase) -> Result<TencentCase, String> {
    match raw.op.as_str() {
        "build" => Ok(TencentCase::Build {
            input: from_value("input", &raw.input)?,
            expect: from_value("expect", &raw.expect)?,
        }),
        "parse" => Ok(TencentCase::Parse {
            input: from_value("input", &raw.input)?,
            expect: from_value("expect", &raw.expect)?,
        }),
        "reject" => Ok(TencentCase::Reject {
            input: if raw.input.get("token").is_some() {
                TencentReject::Token(from_value("input", &raw.input)?)
            } else {
                TencentReject::Build(from_value("input", &raw.input)?)
            },
            error: raw
                .error
                .as_ref()
                .map(|e| from_value::<ErrorKind>("error", e))
                .transpose()?,
        }),
        op => Err(format!("unsupported op {op:?}")),
    }
}

fn build_input(format: Format, v: &Value) -> Result<BuildInput, String> {
    Ok(match format {
        Format::Agora006 => BuildInput::Agora006(from_value("input", v)?),
        Format::Agora007 => BuildInput::Agora007(from_value("input", v)?),
        Format::Zego04 => BuildInput::Zego04(from_value("input", v)?),
    })
}

fn token_input(format: Format, v: &Value) -> Result<TokenInput, String> {
    Ok(match format {
        Format::Zego04 => TokenInput::Zego04(from_value("input", v)?),
        agora => TokenInput::Agora(agora, from_value("input", v)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_that_does_not_fit_loads_with_its_reason() {
        let suite: Suite = serde_json::from_str(
            r#"{"suite":"t","cases":[
                {"name":"a","vendor":"skype","kind":"x","op":"parse","input":{"token":"x"}},
                {"name":"b","vendor":"zego","kind":"token04","op":"frobnicate","input":{}},
                {"name":"c","vendor":"zego","kind":"token04","op":"parse",
                 "input":{"token":"04","secret":"s"},"expect":{"colour":"red"}}
            ]}"#,
        )
        .unwrap();
        let reasons: Vec<String> = suite
            .cases
            .into_iter()
            .map(|c| c.spec.unwrap_err())
            .collect();
        assert!(reasons[0].contains("skype"), "{reasons:?}");
        assert!(reasons[1].contains("frobnicate"), "{reasons:?}");
        assert!(reasons[2].contains("colour"), "{reasons:?}");
    }

    #[test]
    fn services_convert_with_their_privileges() {
        let spec: ServiceSpec = serde_json::from_str(
            r#"{"type":"rtm2","user_id":"u","permissions":{"1":{"2":["a"]}},"privileges":{"1":600}}"#,
        )
        .unwrap();
        let service = spec.to_service();
        assert_eq!(service.privileges().get(&1), Some(&600));
        let Service::Rtm2(rtm2) = service else {
            panic!("not rtm2")
        };
        assert_eq!(rtm2.permissions.get(1, 2), Some(&["a".to_owned()][..]));
    }

    #[test]
    fn convoai_and_stt_are_services_9_and_10() {
        for (json, id) in [
            (r#"{"type":"convoai","privileges":{}}"#, 9),
            (r#"{"type":"stt"}"#, 10),
        ] {
            let spec: ServiceSpec = serde_json::from_str(json).unwrap();
            let service = spec.to_service();
            assert_eq!(u16::from(service.service_type()), id);
            assert!(service.privileges().is_empty());
        }
    }

    #[test]
    fn a_reject_case_may_name_every_facade_error_kind() {
        for kind in [
            "invalid_input",
            "malformed",
            "version",
            "signature",
            "decrypt",
            "expired",
            "mismatch",
        ] {
            let json = format!(
                r#"{{"suite":"t","cases":[{{"name":"a","vendor":"agora","kind":"access_token2",
                   "op":"reject","input":{{"token":"007x","app_certificate":"c"}},"error":"{kind}"}}]}}"#
            );
            let suite: Suite = serde_json::from_str(&json).unwrap();
            let Ok(CaseSpec::Reject { error, .. }) = &suite.cases[0].spec else {
                panic!("{kind}: {:?}", suite.cases[0].spec)
            };
            assert_eq!(error.map(ErrorKind::as_str), Some(kind));
        }
    }
}
