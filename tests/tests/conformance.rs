//! Every suite under `cargo test`: one test per suite file, failing with the
//! names of the cases that failed.

use std::path::{Path, PathBuf};

use rtc_tokens_conformance::{SuiteReport, run_file, run_paths, workspace_root};

fn assert_passes(report: &SuiteReport) {
    assert!(
        !report.cases.is_empty(),
        "{}: no cases",
        report.path.display()
    );
    let failures: Vec<String> = report
        .failures()
        .map(|c| format!("  {}: {}", c.name, c.failure.as_deref().unwrap_or_default()))
        .collect();
    assert!(
        failures.is_empty(),
        "{} ({}): {} of {} cases failed:\n{}",
        report.suite,
        report.path.display(),
        failures.len(),
        report.cases.len(),
        failures.join("\n")
    );
}

fn project(path: &str) -> PathBuf {
    workspace_root().join(path)
}

#[test]
fn agora_public() {
    let report = run_file(&project("tests/vectors/agora-public.json")).unwrap();
    assert_passes(&report);
    assert_eq!(report.cases.len(), 91);
}

#[test]
fn zego_public() {
    let report = run_file(&project("tests/vectors/zego-public.json")).unwrap();
    assert_passes(&report);
    assert_eq!(report.cases.len(), 24);
}

#[test]
fn agora_convoai_stt_public() {
    let report = run_file(&project("tests/vectors/agora-convoai-stt-public.json")).unwrap();
    assert_passes(&report);
    assert_eq!(report.cases.len(), 12);
}

#[test]
fn tencent_usersig_public() {
    let report = run_file(&project("tests/vectors/tencent-usersig-public.json")).unwrap();
    assert_passes(&report);
    assert_eq!(report.cases.len(), 31);
}

#[test]
fn neutral_requests() {
    let report = run_file(&project("tests/neutral/requests.json")).unwrap();
    assert_passes(&report);
    // 39 requests, each against four providers (ZEGO, Agora 007, Agora 006, Tencent).
    assert_eq!(report.cases.len(), 39 * 4);
    for target in ["zego", "agora007", "agora006", "tencent"] {
        let suffix = format!(" / {target}");
        let n = report
            .cases
            .iter()
            .filter(|c| c.name.ends_with(&suffix))
            .count();
        assert_eq!(n, 39, "{target}");
    }
}

/// The shared copies, when this checkout sits beside them.
#[test]
fn shared_vectors_when_present() {
    let shared = project("../shared/conformance/vectors");
    if !shared.is_dir() {
        eprintln!("no {}: skipped", shared.display());
        return;
    }
    for report in run_paths(&[shared]).unwrap() {
        assert_passes(&report);
    }
}

#[test]
fn cases_that_cannot_run_fail_and_are_named() {
    let text = r#"{"suite":"t","cases":[
        {"name":"a","vendor":"skype","kind":"x","op":"parse","input":{"token":"x"},"expect":{}},
        {"name":"b","vendor":"zego","kind":"token04","op":"frobnicate","input":{}},
        {"name":"c","vendor":"zego","kind":"token04","op":"reject",
         "input":{"token":"04AAAA","secret":"fa94dd0f974cf2e293728a526b028271"},"error":"signature"},
        {"name":"d","vendor":"zego","kind":"token04","op":"reject","error":"invalid_input",
         "zego_error_code":3,"input":{"mode":"gcm","app_id":0,"user_id":"u",
         "secret":"fa94dd0f974cf2e293728a526b028271","ctime":1,"expire":2,"nonce":1,
         "iv_hex":"000000000000000000000000","payload":""}},
        {"name":"e","vendor":"zego","kind":"token04","op":"reject","error":"invalid_input",
         "zego_error_code":1,"input":{"mode":"gcm","app_id":0,"user_id":"u",
         "secret":"fa94dd0f974cf2e293728a526b028271","ctime":1,"expire":2,"nonce":1,
         "iv_hex":"000000000000000000000000","payload":""}}
    ]}"#;
    let report = rtc_tokens_conformance::run_text(text, Path::new("inline")).unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["a", "b", "c", "d"], "{:#?}", report.cases);
}

/// A wrong expectation in a copy of a real suite is caught and named.
#[test]
fn a_wrong_expectation_fails() {
    let path = project("tests/vectors/zego-public.json");
    let mut suite: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let case = suite["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["op"] == "parse")
        .unwrap();
    case["expect"]["nonce"] = serde_json::json!(7);
    let name = case["name"].as_str().unwrap().to_owned();
    let report = rtc_tokens_conformance::run_text(&suite.to_string(), &path).unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, [name.as_str()]);
}

#[test]
fn identical_files_run_once_and_missing_paths_are_errors() {
    let vectors = project("tests/vectors");
    let once = run_paths(std::slice::from_ref(&vectors)).unwrap();
    let twice = run_paths(&[vectors.clone(), vectors]).unwrap();
    assert_eq!(once.len(), twice.len());
    assert!(run_paths(&[project("tests/no-such-dir")]).is_err());
}

/// A wrong document in a copy of the Tencent suite is caught, for builds and parses alike.
#[test]
fn a_wrong_tencent_document_fails() {
    let path = project("tests/vectors/tencent-usersig-public.json");
    let mut suite: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut names = Vec::new();
    for op in ["build", "parse"] {
        let case = suite["cases"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|c| c["op"] == op)
            .unwrap();
        case["expect"]["doc"]["TLS.time"] = serde_json::json!(7);
        names.push(case["name"].as_str().unwrap().to_owned());
    }
    let report = rtc_tokens_conformance::run_text(&suite.to_string(), &path).unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, names);
}
