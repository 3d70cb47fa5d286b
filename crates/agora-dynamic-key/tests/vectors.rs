//! Runs every agora case of the conformance vectors (see conformance/SCHEMA.md).
//!
//! Build cases need the `hazmat` feature (fixed salts); without it only parse and reject
//! cases run.
#![cfg_attr(not(feature = "hazmat"), allow(dead_code))]

use std::collections::BTreeMap;
use std::io::Read;

use agora_dynamic_key::access_token::ParsedAccessToken;
use agora_dynamic_key::access_token2::{
    ParsedAccessToken2, Permissions, Service, ServiceApaas, ServiceChat, ServiceFcdn, ServiceFpa,
    ServiceRtc, ServiceRtm, ServiceRtm2, ServiceStreaming,
};
use agora_dynamic_key::{AppCertificate, Error, ErrorKind};
use serde_json::{Value, json};

fn suites() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../conformance/vectors");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push(v);
        }
    }
    out
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("missing string {k}"))
        .to_owned()
}

fn u32_of(v: &Value, k: &str) -> u32 {
    u32::try_from(
        v[k].as_u64()
            .unwrap_or_else(|| panic!("missing number {k}")),
    )
    .unwrap()
}

fn privileges(v: &Value) -> BTreeMap<u16, u32> {
    v["privileges"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, x)| {
                    (
                        k.parse().unwrap(),
                        u32::try_from(x.as_u64().unwrap()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn service_from_json(v: &Value) -> Service {
    let p = privileges(v);
    let mut svc: Service = match v["type"].as_str().unwrap() {
        "rtc" => ServiceRtc::new(s(v, "channel_name"), s(v, "uid")).into(),
        "rtm" => ServiceRtm::new(s(v, "user_id")).into(),
        "streaming" => ServiceStreaming::new(s(v, "channel_name"), s(v, "account")).into(),
        "fpa" => ServiceFpa::new().into(),
        "chat" => ServiceChat::new(s(v, "user_id")).into(),
        "fcdn" => ServiceFcdn::new(s(v, "channel_name"), s(v, "account")).into(),
        "apaas" => ServiceApaas::new(s(v, "room_uuid"), s(v, "user_uuid"))
            .with_role(i16::try_from(v["role"].as_i64().unwrap()).unwrap())
            .into(),
        "rtm2" => {
            let mut perms = Permissions::new();
            if let Some(m) = v["permissions"].as_object() {
                for (r, pm) in m {
                    for (p, list) in pm.as_object().unwrap() {
                        let list = list
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|x| x.as_str().unwrap().to_owned())
                            .collect();
                        perms.add(r.parse().unwrap(), p.parse().unwrap(), list);
                    }
                }
            }
            ServiceRtm2::new(s(v, "user_id"), perms).into()
        }
        other => panic!("unknown service type {other}"),
    };
    *svc.privileges_mut() = p;
    svc
}

fn privileges_json(p: &BTreeMap<u16, u32>) -> Value {
    Value::Object(p.iter().map(|(k, v)| (k.to_string(), json!(v))).collect())
}

fn service_to_json(svc: &Service) -> Value {
    let mut v = match svc {
        Service::Rtc(x) => json!({"type": "rtc", "channel_name": x.channel_name, "uid": x.uid}),
        Service::Rtm(x) => json!({"type": "rtm", "user_id": x.user_id}),
        Service::Streaming(x) => {
            json!({"type": "streaming", "channel_name": x.channel_name, "account": x.account})
        }
        Service::Fpa(_) => json!({"type": "fpa"}),
        Service::Chat(x) => json!({"type": "chat", "user_id": x.user_id}),
        Service::Fcdn(x) => {
            json!({"type": "fcdn", "channel_name": x.channel_name, "account": x.account})
        }
        Service::Apaas(x) => json!({"type": "apaas", "room_uuid": x.room_uuid,
            "user_uuid": x.user_uuid, "role": x.role}),
        Service::Rtm2(x) => {
            let mut perms = serde_json::Map::new();
            for (r, pm) in x.permissions.resources() {
                let inner: serde_json::Map<String, Value> =
                    pm.iter().map(|(p, l)| (p.to_string(), json!(l))).collect();
                perms.insert(r.to_string(), Value::Object(inner));
            }
            json!({"type": "rtm2", "user_id": x.user_id, "permissions": perms})
        }
    };
    v["privileges"] = privileges_json(svc.privileges());
    v
}

fn category(e: &Error) -> &'static str {
    e.kind().as_str()
}

fn cert_of(input: &Value) -> Option<AppCertificate> {
    AppCertificate::new(input["app_certificate"].as_str()?).ok()
}

#[cfg(feature = "hazmat")]
fn build006(input: &Value) -> Result<String, Error> {
    use agora_dynamic_key::AppId;
    let app_id = AppId::new(&s(input, "app_id"))?;
    let cert = AppCertificate::new(&s(input, "app_certificate"))?;
    let mut t = agora_dynamic_key::hazmat::access_token_with_salt(
        app_id,
        s(input, "channel_name"),
        s(input, "uid"),
        u32_of(input, "ts"),
        u32_of(input, "salt"),
    );
    t.privileges = privileges(input);
    t.build(&cert)
}

#[cfg(feature = "hazmat")]
fn build007(input: &Value) -> Result<(String, Vec<u8>), Error> {
    use agora_dynamic_key::AppId;
    let app_id = AppId::new(&s(input, "app_id"))?;
    let cert = AppCertificate::new(&s(input, "app_certificate"))?;
    let mut t = agora_dynamic_key::hazmat::access_token2_with_salt(
        app_id,
        u32_of(input, "issue_ts"),
        u32_of(input, "expire"),
        u32_of(input, "salt"),
    );
    for svc in input["services"].as_array().unwrap() {
        t.add_service(service_from_json(svc));
    }
    Ok((t.build(&cert)?, t.content(&cert)?))
}

fn inflate(token: &str) -> Vec<u8> {
    use base64::Engine as _;
    let z = base64::engine::general_purpose::STANDARD
        .decode(&token[3..])
        .unwrap();
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&z[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn check_parse(name: &str, kind: &str, input: &Value, expect: &Value) {
    let token = s(input, "token");
    let cert = cert_of(input);
    let mut got = serde_json::Map::new();
    if kind == "access_token" {
        let p = ParsedAccessToken::parse(&token).unwrap_or_else(|e| panic!("{name}: {e}"));
        got.insert("version".into(), json!("006"));
        got.insert("app_id".into(), json!(p.app_id));
        got.insert("salt".into(), json!(p.salt));
        got.insert("ts".into(), json!(p.ts));
        got.insert("privileges".into(), privileges_json(&p.privileges));
        got.insert("crc_channel_name".into(), json!(p.crc_channel_name));
        got.insert("crc_uid".into(), json!(p.crc_uid));
        if let (Some(ch), Some(uid)) = (input["channel_name"].as_str(), input["uid"].as_str()) {
            let ok = cert.as_ref().is_some_and(|c| p.verify(c, ch, uid).is_ok());
            got.insert("signature_valid".into(), json!(ok));
        }
    } else {
        let p = ParsedAccessToken2::parse(&token).unwrap_or_else(|e| panic!("{name}: {e}"));
        got.insert("version".into(), json!("007"));
        got.insert("app_id".into(), json!(p.app_id));
        got.insert("issue_ts".into(), json!(p.issue_ts));
        got.insert("expire".into(), json!(p.expire));
        got.insert("salt".into(), json!(p.salt));
        got.insert(
            "services".into(),
            p.services.iter().map(service_to_json).collect(),
        );
        let ok = cert.as_ref().is_some_and(|c| p.verify(c).is_ok());
        got.insert("signature_valid".into(), json!(ok));
    }
    for (k, want) in expect.as_object().unwrap() {
        let have = got.get(k).unwrap_or_else(|| panic!("{name}: no field {k}"));
        assert_eq!(have, want, "{name}: field {k}");
    }
}

fn check_reject(name: &str, kind: &str, input: &Value, error: Option<&str>) {
    let result: Result<(), Error> = if let Some(token) = input["token"].as_str() {
        let cert = cert_of(input);
        if kind == "access_token" {
            ParsedAccessToken::parse(token).and_then(|p| {
                let (ch, uid) = (input["channel_name"].as_str(), input["uid"].as_str());
                match (cert, ch, uid) {
                    (Some(c), Some(ch), Some(uid)) => p.verify(&c, ch, uid),
                    (None, ..) => Err(Error::InvalidAppCertificate),
                    _ => panic!("{name}: a 006 token that parses cannot be verified here"),
                }
            })
        } else {
            ParsedAccessToken2::parse(token).and_then(|p| match cert {
                Some(c) => p.verify(&c),
                None => Err(Error::InvalidAppCertificate),
            })
        }
    } else {
        build_for_reject(name, kind, input)
    };
    let err = result
        .err()
        .unwrap_or_else(|| panic!("{name}: expected an error"));
    if let Some(want) = error {
        assert_eq!(category(&err), want, "{name}: {err}");
    }
}

#[cfg(feature = "hazmat")]
fn build_for_reject(_name: &str, kind: &str, input: &Value) -> Result<(), Error> {
    if kind == "access_token" {
        build006(input).map(|_| ())
    } else {
        build007(input).map(|_| ())
    }
}

#[cfg(not(feature = "hazmat"))]
fn build_for_reject(name: &str, _kind: &str, input: &Value) -> Result<(), Error> {
    // Without fixed salts the build still validates the same way.
    use agora_dynamic_key::AppId;
    let _ = name;
    AppId::new(&s(input, "app_id"))?;
    AppCertificate::new(&s(input, "app_certificate"))?;
    if input
        .get("services")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        return Err(Error::NoService);
    }
    Err(Error::Malformed("case needs the hazmat feature"))
}

#[test]
fn agora_vectors() {
    let mut counts = BTreeMap::<String, usize>::new();
    for suite in suites() {
        for case in suite["cases"].as_array().unwrap() {
            if case["vendor"] != "agora" {
                continue;
            }
            let name = case["name"].as_str().unwrap();
            let kind = case["kind"].as_str().unwrap();
            let op = case["op"].as_str().unwrap();
            let input = &case["input"];
            match op {
                "build" => {
                    #[cfg(feature = "hazmat")]
                    {
                        let expect = &case["expect"];
                        if kind == "access_token" {
                            let token = build006(input).unwrap_or_else(|e| panic!("{name}: {e}"));
                            assert_eq!(token, s(expect, "token"), "{name}");
                        } else {
                            let (token, content) =
                                build007(input).unwrap_or_else(|e| panic!("{name}: {e}"));
                            let want = s(expect, "content_hex");
                            assert_eq!(hex::encode(&content), want, "{name}: content");
                            assert_eq!(hex::encode(inflate(&token)), want, "{name}: token");
                            let cert = cert_of(input).unwrap();
                            ParsedAccessToken2::parse(&token)
                                .unwrap()
                                .verify(&cert)
                                .unwrap();
                        }
                    }
                }
                "parse" => check_parse(name, kind, input, &case["expect"]),
                "reject" => {
                    if input.get("token").is_some() || cfg!(feature = "hazmat") {
                        check_reject(name, kind, input, case["error"].as_str());
                    }
                }
                other => panic!("{name}: unknown op {other}"),
            }
            *counts.entry(format!("{kind}/{op}")).or_default() += 1;
        }
    }
    assert!(counts.values().sum::<usize>() >= 91, "{counts:?}");
    assert_eq!(category(&Error::Signature), "signature");
    let _ = ErrorKind::Expired;
}
