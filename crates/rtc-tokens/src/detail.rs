//! The vendor-specific part of a parsed token, and its JSON shape.
//!
//! [`VendorDetail`] holds the vendor crate's own parsed value, so nothing is
//! re-derived or stringly typed here. Its JSON (what the CLI's `--json` and the
//! server emit) is written by this module alone, from borrowed views, so the
//! vendor crates need not fix a JSON shape.

use std::collections::BTreeMap;

use agora_dynamic_key::access_token::ParsedAccessToken;
use agora_dynamic_key::access_token2::{ParsedAccessToken2, Service};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use tencent_usersig::{ParsedUserSig, Room};
use zego_token04::Mode;

/// The vendor-specific part of a parsed token: the vendor crate's own parsed
/// value, typed.
///
/// Serialized (for `--json` output and HTTP answers) with a `format` tag:
/// `{"format":"zego04","mode":"gcm","ctime":..,"expire":..,"nonce":..,"payload":..}`,
/// `{"format":"zego04_sealed","mode":..,"expire":..}`,
/// `{"format":"agora006","salt":..,"ts":..,"crc_channel_name":..,"crc_uid":..,"privileges":[[id,ts],..]}`,
/// `{"format":"agora007","salt":..,"issue_ts":..,"expire":..,"services":[{"type":"rtc","channel_name":..,"uid":..,"privileges":{"1":..}},..]}`
/// (plus `"unknown_service_type"` when parsing stopped at one),
/// `{"format":"tencent_usersig","identifier":..,"sdkappid":..,"time":..,"expire":..}`
/// plus, for a PrivateMapKey, `"private_map_key":{"version":..,"account":..,"sdkappid":..,
/// "room_id":..,"room_str":..,"expire_at":..,"privilege_map":..,"privileges":["enter_room",..],
/// "account_type":..}` (`room_str` only for a string room, version 1).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VendorDetail {
    /// ZEGO token04, decrypted with its secret.
    Zego04(zego_token04::Claims),
    /// ZEGO token04 read without its secret (see
    /// [`dangerous::insecure_decode`](crate::dangerous::insecure_decode)): only
    /// the clear-text header (mode and an unauthenticated expiry) is known.
    Zego04Sealed(zego_token04::Header),
    /// Agora AccessToken 006.
    Agora006(ParsedAccessToken),
    /// Agora AccessToken2 007.
    Agora007(Box<ParsedAccessToken2>),
    /// Tencent UserSig, or PrivateMapKey when it carries a userbuf.
    Tencent(Box<ParsedUserSig>),
}

impl Serialize for VendorDetail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = match self {
            Self::Zego04(c) => Json::Zego04 {
                mode: c.mode,
                ctime: c.ctime,
                expire: c.expire,
                nonce: c.nonce,
                payload: &c.payload,
            },
            Self::Zego04Sealed(h) => Json::Zego04Sealed {
                mode: h.mode,
                expire: h.expire,
            },
            Self::Agora006(t) => agora006(t),
            Self::Agora007(t) => Json::Agora007 {
                salt: t.salt,
                issue_ts: t.issue_ts,
                expire: t.expire,
                services: t.services.iter().map(ServiceJson).collect(),
                unknown_service_type: t.unknown_service_type,
            },
            Self::Tencent(t) => Json::TencentUsersig {
                identifier: &t.identifier,
                sdkappid: t.sdkappid,
                time: t.time,
                expire: t.expire,
                private_map_key: t.private_map_key.as_ref().map(|k| UserbufJson {
                    version: k.version(),
                    account: &k.account,
                    sdkappid: k.sdkappid,
                    room_id: match k.room {
                        Room::Numeric(n) => n,
                        Room::Str(_) => 0,
                    },
                    room_str: match &k.room {
                        Room::Numeric(_) => None,
                        Room::Str(s) => Some(s.as_str()),
                    },
                    expire_at: k.expire_at,
                    privilege_map: k.privileges.bits(),
                    privileges: k.privileges.iter().map(|p| p.name()).collect(),
                    account_type: k.account_type,
                }),
            },
        };
        view.serialize(serializer)
    }
}

fn agora006(t: &ParsedAccessToken) -> Json<'_> {
    Json::Agora006 {
        salt: t.salt,
        ts: t.ts,
        crc_channel_name: t.crc_channel_name,
        crc_uid: t.crc_uid,
        privileges: t.privileges.iter().map(|(&k, &v)| (k, v)).collect(),
    }
}

/// The serialized shape, field for field.
#[derive(Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
enum Json<'a> {
    Zego04 {
        mode: Mode,
        ctime: i64,
        expire: i64,
        nonce: i32,
        payload: &'a str,
    },
    Zego04Sealed {
        mode: Mode,
        expire: i64,
    },
    Agora006 {
        salt: u32,
        ts: u32,
        crc_channel_name: u32,
        crc_uid: u32,
        privileges: Vec<(u16, u32)>,
    },
    Agora007 {
        salt: u32,
        issue_ts: u32,
        expire: u32,
        services: Vec<ServiceJson<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        unknown_service_type: Option<u16>,
    },
    TencentUsersig {
        identifier: &'a str,
        sdkappid: u32,
        time: u64,
        expire: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        private_map_key: Option<UserbufJson<'a>>,
    },
}

/// A PrivateMapKey's userbuf, as the conformance schema names its fields,
/// plus its privileges by name.
#[derive(Serialize)]
struct UserbufJson<'a> {
    version: u8,
    account: &'a str,
    sdkappid: u32,
    room_id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    room_str: Option<&'a str>,
    expire_at: u32,
    privilege_map: u32,
    privileges: Vec<&'static str>,
    account_type: u32,
}

/// A 007 service as the conformance schema writes it: `type`, its fields and
/// `privileges` (privilege id as a decimal string → seconds).
struct ServiceJson<'a>(&'a Service);

impl Serialize for ServiceJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.0.service_type().name())?;
        match self.0 {
            Service::Rtc(s) => {
                map.serialize_entry("channel_name", &s.channel_name)?;
                map.serialize_entry("uid", &s.uid)?;
            }
            Service::Rtm(s) => map.serialize_entry("user_id", &s.user_id)?,
            Service::Streaming(s) => {
                map.serialize_entry("channel_name", &s.channel_name)?;
                map.serialize_entry("account", &s.account)?;
            }
            Service::Fpa(_) | Service::ConvoAi(_) | Service::Stt(_) => {}
            Service::Chat(s) => map.serialize_entry("user_id", &s.user_id)?,
            Service::Fcdn(s) => {
                map.serialize_entry("channel_name", &s.channel_name)?;
                map.serialize_entry("account", &s.account)?;
            }
            Service::Apaas(s) => {
                map.serialize_entry("room_uuid", &s.room_uuid)?;
                map.serialize_entry("user_uuid", &s.user_uuid)?;
                map.serialize_entry("role", &s.role)?;
            }
            Service::Rtm2(s) => {
                map.serialize_entry("user_id", &s.user_id)?;
                let permissions: BTreeMap<u16, &BTreeMap<u16, Vec<String>>> =
                    s.permissions.resources().collect();
                map.serialize_entry("permissions", &permissions)?;
            }
        }
        map.serialize_entry("privileges", self.0.privileges())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Vector `pub-007-convoai-builder-parse-1` (agora-convoai-stt-public.json): npm
    /// `agora-token` 2.0.6 `ConvoAITokenBuilder.buildToken`, subscriber.
    const CONVOAI: &str = "007eJxTYKgW4PPdx6ITK70x7cWmvPUFdrefdNwtu266pH1qze2uGUYKDOZGbo4Gls4mJq5uiY4pzqmp5k7GFm6uZsbmyWkWqS4pvjtEsgX4GBhqal+zMjMwgiGIz8gQxcpgamlpbsAEF2NmeNk4mZOBgQEAm3MgIQ==";

    #[test]
    fn convoai_and_stt_services_are_named_not_unknown() {
        let parsed = ParsedAccessToken2::parse(CONVOAI).unwrap();
        let json = serde_json::to_value(VendorDetail::Agora007(Box::new(parsed))).unwrap();
        assert_eq!(
            json,
            json!({
                "format": "agora007", "salt": 99_319_164, "issue_ts": 1_796_520_013_u32,
                "expire": 3600,
                "services": [
                    {"type": "rtc", "channel_name": "Z", "uid": "59970", "privileges": {"1": 3600}},
                    {"type": "rtm", "user_id": "道", "privileges": {"1": 3600}},
                    {"type": "convoai", "privileges": {}}
                ]
            })
        );
        let stt = ServiceJson(&Service::Stt(Default::default()));
        assert_eq!(
            serde_json::to_value(stt).unwrap(),
            json!({"type": "stt", "privileges": {}})
        );
    }
}
