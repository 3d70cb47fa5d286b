//! Runs every zego case of the public conformance suite through the API.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use serde_json::Value;
use zego_token04::{ErrorKind, Mode, ServerSecret, parse};

fn suite() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../conformance/vectors/zego-public.json");
    let text = std::fs::read_to_string(&path).expect("read zego-public.json");
    let v: Value = serde_json::from_str(&text).expect("valid json");
    v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["vendor"] == "zego" && c["kind"] == "token04")
        .cloned()
        .collect()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} is not a string"))
}

fn i(v: &Value, k: &str) -> i64 {
    v[k].as_i64()
        .unwrap_or_else(|| panic!("{k} is not an integer"))
}

fn kind_name(k: ErrorKind) -> &'static str {
    k.as_str()
}

#[cfg(feature = "hazmat")]
fn fixed_build(input: &Value) -> Result<zego_token04::hazmat::FixedBuild, zego_token04::Error> {
    use zego_token04::hazmat::{FixedInputs, build_fixed};
    let secret = ServerSecret::new(s(input, "secret"))?;
    let iv = hex::decode(s(input, "iv_hex")).unwrap();
    build_fixed(
        &secret,
        &FixedInputs {
            mode: s(input, "mode").parse::<Mode>().unwrap(),
            app_id: u32::try_from(i(input, "app_id")).unwrap(),
            user_id: s(input, "user_id"),
            ctime: i(input, "ctime"),
            expire: i(input, "expire"),
            nonce: i32::try_from(i(input, "nonce")).unwrap(),
            iv: &iv,
            payload: s(input, "payload"),
        },
    )
}

/// Without `hazmat` there is no fixed-IV builder; build cases then check that
/// the expected token parses back to the build inputs.
#[test]
fn build_cases() {
    let mut n = 0;
    for case in suite().iter().filter(|c| c["op"] == "build") {
        let name = s(case, "name");
        let input = &case["input"];
        let expect = &case["expect"];
        #[cfg(feature = "hazmat")]
        {
            let built = fixed_build(input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(built.plaintext, s(expect, "plaintext"), "{name}: plaintext");
            assert_eq!(built.token, s(expect, "token"), "{name}: token");
        }
        let secret = ServerSecret::new(s(input, "secret")).unwrap();
        let c = parse(s(expect, "token"), &secret).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(c.mode.as_str(), s(input, "mode"), "{name}");
        assert_eq!(i64::from(c.app_id), i(input, "app_id"), "{name}");
        assert_eq!(c.user_id, s(input, "user_id"), "{name}");
        assert_eq!(c.ctime, i(input, "ctime"), "{name}");
        assert_eq!(c.expire, i(input, "expire"), "{name}");
        assert_eq!(i64::from(c.nonce), i(input, "nonce"), "{name}");
        assert_eq!(c.payload, s(input, "payload"), "{name}");
        n += 1;
    }
    assert!(n >= 7, "expected the public build cases, found {n}");
}

#[test]
fn parse_cases() {
    let mut n = 0;
    for case in suite().iter().filter(|c| c["op"] == "parse") {
        let name = s(case, "name");
        let input = &case["input"];
        let secret = ServerSecret::new(s(input, "secret")).unwrap();
        let c = parse(s(input, "token"), &secret).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = case["expect"].as_object().unwrap();
        for (k, v) in expect {
            match k.as_str() {
                "mode" => assert_eq!(c.mode.as_str(), v.as_str().unwrap(), "{name}: mode"),
                "app_id" => assert_eq!(Some(u64::from(c.app_id)), v.as_u64(), "{name}: app_id"),
                "user_id" => assert_eq!(Some(c.user_id.as_str()), v.as_str(), "{name}: user_id"),
                "ctime" => assert_eq!(Some(c.ctime), v.as_i64(), "{name}: ctime"),
                "expire" => assert_eq!(Some(c.expire), v.as_i64(), "{name}: expire"),
                "nonce" => assert_eq!(Some(i64::from(c.nonce)), v.as_i64(), "{name}: nonce"),
                "payload" => assert_eq!(Some(c.payload.as_str()), v.as_str(), "{name}: payload"),
                other => panic!("{name}: unknown expect field {other}"),
            }
        }
        n += 1;
    }
    assert!(n >= 6, "expected the public parse cases, found {n}");
}

#[test]
fn reject_cases() {
    let mut n = 0;
    for case in suite().iter().filter(|c| c["op"] == "reject") {
        let name = s(case, "name");
        let input = &case["input"];
        let err = if input.get("token").is_some() {
            match ServerSecret::new(s(input, "secret")) {
                Ok(secret) => parse(s(input, "token"), &secret).map(drop),
                Err(e) => Err(e),
            }
        } else {
            build_reject(input)
        };
        let err = err.expect_err(name);
        if let Some(want) = case.get("error").and_then(Value::as_str) {
            assert_eq!(kind_name(err.kind()), want, "{name}: {err}");
        }
        if let Some(code) = case.get("zego_error_code").and_then(Value::as_u64) {
            assert_eq!(
                err.zego_code().map(u64::from),
                Some(code),
                "{name}: zego code"
            );
        }
        n += 1;
    }
    assert!(n >= 11, "expected the public reject cases, found {n}");
}

#[cfg(feature = "hazmat")]
fn build_reject(input: &Value) -> Result<(), zego_token04::Error> {
    fixed_build(input).map(drop)
}

/// Without `hazmat`, go through the public types and `build_at`, which apply
/// the same rules (the fixed IV and nonce are then not used).
#[cfg(not(feature = "hazmat"))]
fn build_reject(input: &Value) -> Result<(), zego_token04::Error> {
    use zego_token04::{AppId, TokenRequest, UserId, build_at};
    let secret = ServerSecret::new(s(input, "secret"))?;
    let app_id = AppId::new(u32::try_from(i(input, "app_id")).unwrap())?;
    let user_id = UserId::new(s(input, "user_id"))?;
    let req = TokenRequest::new(app_id, user_id)
        .effective_secs(i(input, "expire") - i(input, "ctime"))
        .payload(s(input, "payload"))
        .mode(s(input, "mode").parse::<Mode>().unwrap());
    build_at(&secret, &req, i(input, "ctime")).map(drop)
}
