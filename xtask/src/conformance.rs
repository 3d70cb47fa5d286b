//! The conformance runner: reads suites in the format of `conformance/SCHEMA.md`
//! and runs every case. `parse` and `reject` token cases go through
//! `dyn TokenProvider` (the facade); `build` cases through the vendor crates'
//! fixed-input (`hazmat`) entry points. A case the runner cannot run counts as
//! failed, never skipped.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value, json};

use rtc_tokens::{
    AgoraProvider, ParseOptions, ParsedToken, TokenProvider, TokenVersion, VendorDetail,
    Verification, ZegoProvider,
};

/// Totals of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
}

/// Runs every suite found under `paths` (files or directories of `*.json`),
/// printing each failure and the closing `N passed, N failed` line. Files with
/// identical content are run once.
///
/// # Errors
///
/// When a path cannot be read or a file is not a suite.
pub fn run_paths(paths: &[PathBuf]) -> Result<Report> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("no such vector file or directory: {}", path.display());
        }
    }
    let mut seen = BTreeSet::new();
    let mut report = Report::default();
    for file in files {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        if !seen.insert(text.clone()) {
            continue;
        }
        let r = run_suite_text(&text, &file)?;
        eprintln!(
            "{}: {} passed, {} failed",
            file.display(),
            r.passed,
            r.failed
        );
        report.passed += r.passed;
        report.failed += r.failed;
    }
    println!("{} passed, {} failed", report.passed, report.failed);
    Ok(report)
}

/// Runs one suite's text; `origin` names it in messages.
///
/// # Errors
///
/// When the text is not a suite.
pub fn run_suite_text(text: &str, origin: &Path) -> Result<Report> {
    let suite: Value =
        serde_json::from_str(text).with_context(|| format!("parsing {}", origin.display()))?;
    let name = suite
        .get("suite")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    let cases = suite
        .get("cases")
        .and_then(Value::as_array)
        .with_context(|| format!("{}: no cases array", origin.display()))?;
    let mut report = Report::default();
    for case in cases {
        let case_name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        match run_case(case) {
            Ok(()) => report.passed += 1,
            Err(e) => {
                report.failed += 1;
                println!("FAIL {name} / {case_name}: {e:#}");
            }
        }
    }
    Ok(report)
}

fn s<'a>(v: &'a Value, key: &str) -> Result<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("input.{key} missing or not a string"))
}

fn int<T: TryFrom<i128>>(v: &Value, key: &str) -> Result<T> {
    let n = v.get(key).ok_or_else(|| anyhow!("input.{key} missing"))?;
    let wide: i128 = if let Some(u) = n.as_u64() {
        i128::from(u)
    } else if let Some(i) = n.as_i64() {
        i128::from(i)
    } else {
        bail!("input.{key} is not an integer")
    };
    T::try_from(wide).map_err(|_| anyhow!("input.{key} out of range"))
}

fn run_case(case: &Value) -> Result<()> {
    let vendor = case.get("vendor").and_then(Value::as_str).unwrap_or("");
    let kind = case.get("kind").and_then(Value::as_str).unwrap_or("");
    let op = case.get("op").and_then(Value::as_str).unwrap_or("");
    let input = case.get("input").ok_or_else(|| anyhow!("no input"))?;
    let expect = case.get("expect").cloned().unwrap_or(Value::Null);
    if !matches!(
        (vendor, kind),
        ("zego", "token04") | ("agora", "access_token" | "access_token2")
    ) {
        bail!("unsupported vendor/kind: {vendor:?}/{kind:?}");
    }
    match (vendor, kind, op) {
        ("zego", "token04", "build") => zego_build(input, &expect),
        ("agora", "access_token", "build") => agora006_build(input, &expect),
        ("agora", "access_token2", "build") => agora007_build(input, &expect),
        (_, _, "parse") => {
            let provider = provider_for(vendor, kind, input)
                .map_err(|kind| anyhow!("cannot make a provider for this case: {kind}"))?;
            let parsed = provider.inspect(s(input, "token")?, &options(kind, input))?;
            compare_parse(&parsed, &expect)
        }
        (_, _, "reject") => {
            let expected = case.get("error").and_then(Value::as_str);
            let got = if input.get("token").is_some() {
                let provider = provider_for(vendor, kind, input);
                match provider {
                    Ok(p) => p
                        .verify(s(input, "token")?, &options(kind, input))
                        .map(|_| ())
                        .map_err(|e| e.kind()),
                    Err(e) => Err(e),
                }
            } else {
                build_for_reject(vendor, kind, input, &expect)
            };
            match (got, expected) {
                (Ok(()), _) => bail!(
                    "expected an error ({}), got success",
                    expected.unwrap_or("any")
                ),
                (Err(kind), Some(expected)) if kind.as_str() != expected => {
                    bail!("expected error {expected}, got {kind}")
                }
                (Err(_), _) => Ok(()),
            }
        }
        _ => bail!("unsupported case: vendor {vendor:?}, kind {kind:?}, op {op:?}"),
    }
}

fn options(kind: &str, input: &Value) -> ParseOptions {
    let mut options = ParseOptions::skip_expiry();
    match kind {
        "access_token" => options = options.only(TokenVersion::Agora006),
        "access_token2" => options = options.only(TokenVersion::Agora007),
        _ => {}
    }
    if let (Some(channel), Some(uid)) = (
        input.get("channel_name").and_then(Value::as_str),
        input.get("uid").and_then(Value::as_str),
    ) {
        options = options.with_channel_uid(channel, uid);
    }
    options
}

/// A provider able to parse the case's token with the case's secret. The app id
/// only matters for building, so a placeholder serves.
fn provider_for(
    vendor: &str,
    kind: &str,
    input: &Value,
) -> std::result::Result<Box<dyn TokenProvider>, rtc_tokens::ErrorKind> {
    let err = |e: rtc_tokens::Error| e.kind();
    match (vendor, kind) {
        ("zego", "token04") => {
            let secret = input.get("secret").and_then(Value::as_str).unwrap_or("");
            let secret = zego_token04::ServerSecret::new(secret).map_err(|e| err(e.into()))?;
            let app_id = zego_token04::AppId::new(1).map_err(|e| err(e.into()))?;
            Ok(Box::new(ZegoProvider::new(app_id, secret)))
        }
        ("agora", "access_token" | "access_token2") => {
            let cert = input
                .get("app_certificate")
                .and_then(Value::as_str)
                .unwrap_or("");
            let cert = agora_dynamic_key::AppCertificate::new(cert).map_err(|e| err(e.into()))?;
            let app_id = agora_dynamic_key::AppId::new("00000000000000000000000000000000")
                .map_err(|e| err(e.into()))?;
            Ok(Box::new(AgoraProvider::new(app_id, cert)))
        }
        _ => Err(rtc_tokens::ErrorKind::InvalidInput),
    }
}

fn build_for_reject(
    vendor: &str,
    kind: &str,
    input: &Value,
    expect: &Value,
) -> std::result::Result<(), rtc_tokens::ErrorKind> {
    // A build that must be refused. Input-shape problems the runner itself finds
    // (missing fields) count as a failed case, not as a refusal.
    let result = match (vendor, kind) {
        ("zego", "token04") => zego_build(input, expect),
        ("agora", "access_token") => agora006_build(input, expect),
        ("agora", "access_token2") => agora007_build(input, expect),
        _ => return Ok(()),
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) => match e.downcast::<rtc_tokens::Error>() {
            Ok(facade) => Err(facade.kind()),
            Err(_) => Ok(()),
        },
    }
}

fn hex_bytes(v: &Value, key: &str) -> Result<Vec<u8>> {
    hex::decode(s(v, key)?).with_context(|| format!("input.{key} is not hex"))
}

fn check_eq(what: &str, expected: &Value, actual: &Value) -> Result<()> {
    if expected == actual {
        Ok(())
    } else {
        bail!("{what}: expected {expected}, got {actual}")
    }
}

fn zego_build(input: &Value, expect: &Value) -> Result<()> {
    use zego_token04::hazmat::{FixedInputs, build_fixed};
    let secret =
        zego_token04::ServerSecret::new(s(input, "secret")?).map_err(rtc_tokens::Error::from)?;
    let mode = match s(input, "mode")? {
        "gcm" => zego_token04::Mode::Gcm,
        "cbc" => zego_token04::Mode::Cbc,
        other => bail!("unknown mode {other:?}"),
    };
    let iv = hex_bytes(input, "iv_hex")?;
    let inputs = FixedInputs {
        mode,
        app_id: int(input, "app_id")?,
        user_id: s(input, "user_id")?,
        ctime: int(input, "ctime")?,
        expire: int(input, "expire")?,
        nonce: int(input, "nonce")?,
        iv: &iv,
        payload: s(input, "payload")?,
    };
    let built = build_fixed(&secret, &inputs).map_err(rtc_tokens::Error::from)?;
    if let Some(plaintext) = expect.get("plaintext") {
        check_eq("plaintext", plaintext, &json!(built.plaintext))?;
    }
    if let Some(token) = expect.get("token") {
        check_eq("token", token, &json!(built.token))?;
    }
    Ok(())
}

fn privileges(input: &Value) -> Result<Vec<(u16, u32)>> {
    let map = input
        .get("privileges")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("privileges missing"))?;
    map.iter()
        .map(|(k, v)| {
            let id: u16 = k.parse().with_context(|| format!("privilege id {k:?}"))?;
            let value = v
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .context("privilege value")?;
            Ok((id, value))
        })
        .collect()
}

fn agora006_build(input: &Value, expect: &Value) -> Result<()> {
    use agora_dynamic_key::access_token::AccessToken;
    let app_id =
        agora_dynamic_key::AppId::new(s(input, "app_id")?).map_err(rtc_tokens::Error::from)?;
    let cert = agora_dynamic_key::AppCertificate::new(s(input, "app_certificate")?)
        .map_err(rtc_tokens::Error::from)?;
    let mut token = AccessToken::new(
        app_id,
        s(input, "channel_name")?,
        s(input, "uid")?,
        int(input, "ts")?,
    )
    .with_fixed_salt(int(input, "salt")?);
    for (id, value) in privileges(input)? {
        token.add_raw_privilege(id, value);
    }
    let built = token.build(&cert).map_err(rtc_tokens::Error::from)?;
    if let Some(expected) = expect.get("token") {
        check_eq("token", expected, &json!(built))?;
    }
    Ok(())
}

fn service_from_json(v: &Value) -> Result<agora_dynamic_key::access_token2::Service> {
    use agora_dynamic_key::access_token2::{
        Permissions, Service, ServiceApaas, ServiceChat, ServiceFcdn, ServiceFpa, ServiceRtc,
        ServiceRtm, ServiceRtm2, ServiceStreaming,
    };
    let privileges = privileges(v)?.into_iter().collect();
    let service = match s(v, "type")? {
        "rtc" => Service::Rtc(ServiceRtc {
            channel_name: s(v, "channel_name")?.to_owned(),
            uid: s(v, "uid")?.to_owned(),
            privileges,
        }),
        "rtm" => Service::Rtm(ServiceRtm {
            user_id: s(v, "user_id")?.to_owned(),
            privileges,
        }),
        "streaming" => Service::Streaming(ServiceStreaming {
            channel_name: s(v, "channel_name")?.to_owned(),
            account: s(v, "account")?.to_owned(),
            privileges,
        }),
        "fpa" => Service::Fpa(ServiceFpa { privileges }),
        "chat" => Service::Chat(ServiceChat {
            user_id: s(v, "user_id")?.to_owned(),
            privileges,
        }),
        "fcdn" => Service::Fcdn(ServiceFcdn {
            channel_name: s(v, "channel_name")?.to_owned(),
            account: s(v, "account")?.to_owned(),
            privileges,
        }),
        "apaas" => Service::Apaas(ServiceApaas {
            room_uuid: s(v, "room_uuid")?.to_owned(),
            user_uuid: s(v, "user_uuid")?.to_owned(),
            role: int(v, "role")?,
            privileges,
        }),
        "rtm2" => {
            let mut permissions = Permissions::default();
            let map = v
                .get("permissions")
                .and_then(Value::as_object)
                .context("permissions")?;
            for (resource, by_permission) in map {
                let resource: u16 = resource.parse().context("resource type")?;
                for (permission, list) in by_permission.as_object().context("permission map")? {
                    let permission: u16 = permission.parse().context("permission type")?;
                    let list = list
                        .as_array()
                        .context("resource list")?
                        .iter()
                        .map(|x| x.as_str().map(str::to_owned).context("resource"))
                        .collect::<Result<Vec<_>>>()?;
                    permissions.add(resource, permission, list);
                }
            }
            Service::Rtm2(ServiceRtm2 {
                user_id: s(v, "user_id")?.to_owned(),
                permissions,
                privileges,
            })
        }
        other => bail!("unknown service type {other:?}"),
    };
    Ok(service)
}

fn agora007_build(input: &Value, expect: &Value) -> Result<()> {
    use agora_dynamic_key::access_token2::AccessToken2;
    let app_id =
        agora_dynamic_key::AppId::new(s(input, "app_id")?).map_err(rtc_tokens::Error::from)?;
    let cert = agora_dynamic_key::AppCertificate::new(s(input, "app_certificate")?)
        .map_err(rtc_tokens::Error::from)?;
    let mut token = AccessToken2::new(app_id, int(input, "issue_ts")?, int(input, "expire")?)
        .with_fixed_salt(int(input, "salt")?);
    for service in input
        .get("services")
        .and_then(Value::as_array)
        .context("services")?
    {
        token.add_service(service_from_json(service)?);
    }
    let content = token.content(&cert).map_err(rtc_tokens::Error::from)?;
    let built = token.build(&cert).map_err(rtc_tokens::Error::from)?;
    let inflated = inflate_token(&built)?;
    if inflated != content {
        bail!("our token does not inflate to our content");
    }
    if let Some(expected) = expect.get("content_hex") {
        check_eq("content_hex", expected, &json!(hex::encode(&content)))?;
    }
    Ok(())
}

/// Inflates a 007 token independently of the crate under test (flate2).
fn inflate_token(token: &str) -> Result<Vec<u8>> {
    use base64::Engine as _;
    let body = token.strip_prefix("007").context("no 007 prefix")?;
    let compressed = base64::engine::general_purpose::STANDARD.decode(body)?;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice()).read_to_end(&mut out)?;
    Ok(out)
}

fn privileges_json(list: &[(u16, u32)]) -> Value {
    Value::Object(
        list.iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect::<Map<_, _>>(),
    )
}

fn compare_parse(parsed: &ParsedToken, expect: &Value) -> Result<()> {
    let mut actual = Map::new();
    actual.insert("version".into(), json!(parsed.version.prefix()));
    actual.insert("app_id".into(), json!(parsed.app_id));
    actual.insert(
        "signature_valid".into(),
        json!(parsed.verification == Verification::Verified),
    );
    // The detail's own JSON shape carries the vector's field names.
    if let Value::Object(detail) = serde_json::to_value(&parsed.detail)? {
        for (key, value) in detail {
            if key != "format" && key != "unknown_service_type" {
                actual.insert(key, value);
            }
        }
    }
    match &parsed.detail {
        VendorDetail::Zego04(claims) => {
            actual.insert("app_id".into(), json!(claims.app_id));
            actual.insert("user_id".into(), json!(claims.user_id));
        }
        VendorDetail::Agora006(t) => {
            let list: Vec<(u16, u32)> = t.privileges.iter().map(|(&k, &v)| (k, v)).collect();
            actual.insert("privileges".into(), privileges_json(&list));
        }
        _ => {}
    }
    let expect = expect
        .as_object()
        .ok_or_else(|| anyhow!("expect is not an object"))?;
    for (key, expected) in expect {
        let got = actual
            .get(key)
            .ok_or_else(|| anyhow!("field {key} is not reported"))?;
        check_eq(key, expected, got)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The project's own copies of the suites pass under `cargo test` too.
    #[test]
    fn project_vectors_pass() {
        let report = run_paths(&[crate::root().join("conformance/vectors")]).unwrap();
        assert!(report.passed > 0);
        assert_eq!(
            report.failed, 0,
            "conformance failures; see the output above"
        );
    }

    #[test]
    fn unsupported_cases_fail() {
        let text = r#"{"suite":"t","cases":[
            {"name":"a","vendor":"skype","kind":"x","op":"parse","input":{"token":"x"},"expect":{}},
            {"name":"b","vendor":"zego","kind":"token04","op":"frobnicate","input":{}}
        ]}"#;
        let r = run_suite_text(text, Path::new("inline")).unwrap();
        assert_eq!((r.passed, r.failed), (0, 2));
    }
}
