use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use super::*;
use crate::{
    DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID, DEMO_ZEGO_SERVER_SECRET, ErrorKind,
    TokenProvider, TokenRequest,
};

/// A certificate-looking value that must never appear in a message.
const CERT: &str = "c0ffeec0ffeec0ffeec0ffeec0ffee12";
const SECRET: &str = "5ecre75ecre75ecre75ecre75ecre7aa";

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn load(pairs: &[(&str, &str)], file: Option<&Path>) -> Result<(Config, Vec<Warning>), Error> {
    let env = map(pairs);
    let mut sources = Sources::new().with_env(move |k| env.get(k).cloned());
    if let Some(f) = file {
        sources = sources.with_file(f);
    }
    Config::load(&sources)
}

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rtc-tokens-config-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn write_private(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn nothing_configured_says_what_to_set() {
    let err = Config::from_lookup(|_| None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    for name in [
        "ZEGO_APP_ID",
        "ZEGO_SERVER_SECRET",
        "AGORA_APP_ID",
        "AGORA_APP_CERTIFICATE",
    ] {
        assert!(err.to_string().contains(name), "{err}");
    }
    let (c, w) = load(&[], None).unwrap();
    assert!(c.is_empty() && w.is_empty());
    assert_eq!(c.renew_before_secs, DEFAULT_RENEW_BEFORE_SECS);
}

#[test]
fn both_vendors_from_environment() {
    let (c, _) = load(
        &[
            ("RTC_VENDOR", "agora"),
            ("ZEGO_APP_ID", "42"),
            ("ZEGO_SERVER_SECRET", DEMO_ZEGO_SERVER_SECRET),
            ("ZEGO_TOKEN_MODE", "cbc"),
            ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
            ("AGORA_TOKEN_VERSION", "006"),
            ("RTC_RENEW_BEFORE_SECS", "60"),
        ],
        None,
    )
    .unwrap();
    assert_eq!(c.default_vendor, Some(Vendor::Agora));
    assert_eq!(c.zego.as_ref().unwrap().mode(), zego_token04::Mode::Cbc);
    assert_eq!(c.agora.as_ref().unwrap().version(), AgoraVersion::V006);
    assert_eq!(c.providers().vendors(), vec![Vendor::Zego, Vendor::Agora]);
}

/// The bug this loader was written for: the environment must win over the
/// file per setting, not per vendor table.
#[test]
fn environment_wins_over_the_file_per_setting() {
    let d = dir("precedence");
    let path = d.join("rtc.toml");
    write_private(
        &path,
        &format!(
            "[agora]\napp_id = \"{DEMO_AGORA_APP_ID}\"\napp_certificate = \"{DEMO_AGORA_APP_CERTIFICATE}\"\nversion = \"007\"\n"
        ),
    );
    let (c, _) = load(
        &[
            ("AGORA_TOKEN_VERSION", "006"),
            ("RTC_RENEW_BEFORE_SECS", "600"),
        ],
        Some(&path),
    )
    .unwrap();
    let agora = c.agora.unwrap();
    assert_eq!(agora.version(), AgoraVersion::V006);
    assert_eq!(c.renew_before_secs, 600);
    let request = TokenRequest {
        user_id: Some("7".into()),
        room: Some("lobby".into()),
        ..TokenRequest::default()
    };
    let issued = agora.issue_at(&request, 1_800_000_000).unwrap();
    assert!(issued.token.starts_with("006"), "{}", issued.token);
    assert_eq!(issued.renew_at, issued.expires_at - 600);
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn flags_win_and_secrets_refuse_flag_values() {
    let env = map(&[
        ("AGORA_APP_ID", "ffffffffffffffffffffffffffffffff"),
        ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
    ]);
    let sources = Sources::new().with_env(|k| env.get(k).cloned()).with_flag(
        "agora.app_id",
        "--app-id",
        DEMO_AGORA_APP_ID,
    );
    let values = Values::load(Config::SETTINGS, &sources).unwrap();
    assert_eq!(values.origin("agora.app_id").unwrap().layer, Layer::Flag);
    assert!(Config::from_values(&values).unwrap().agora.is_some());

    let sources = Sources::new().with_flag("agora.app_certificate", "--cert", CERT);
    let err = Values::load(Config::SETTINGS, &sources).unwrap_err();
    assert!(err.to_string().contains("--cert"), "{err}");
    assert!(!err.to_string().contains(CERT), "{err}");
}

#[test]
fn flag_file_and_defaults() {
    let d = dir("flagfile");
    let path = d.join("secret");
    write_private(&path, &format!("{DEMO_ZEGO_SERVER_SECRET}\n"));
    let env = map(&[("ZEGO_SERVER_SECRET", SECRET)]);
    let sources = Sources::new()
        .with_env(|k| env.get(k).cloned())
        .with_flag_file("zego.server_secret", "--secret-file", &path)
        .with_default("zego.app_id", "1");
    let values = Values::load(&[ZEGO_SETTINGS], &sources).unwrap();
    assert!(!values.is_set("zego.app_id"));
    let secret = values.secret("zego.server_secret").unwrap().unwrap();
    assert_eq!(secret.expose(), DEMO_ZEGO_SERVER_SECRET);
    assert_eq!(secret.origin().name, "--secret-file");
    assert!(!format!("{secret:?}").contains(DEMO_ZEGO_SERVER_SECRET));
    assert!(zego(&values, Need::Required).unwrap().is_some());
    assert!(values.warnings().is_empty(), "{:?}", values.warnings());
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn sample_server_aliases() {
    let (c, w) = load(
        &[
            ("APP_ID", DEMO_AGORA_APP_ID),
            ("APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
        ],
        None,
    )
    .unwrap();
    assert!(
        c.agora.is_some() && c.zego.is_none() && w.is_empty(),
        "{w:?}"
    );
    let (c, _) = load(&[("APP_ID", "42"), ("SERVER_SECRET", SECRET)], None).unwrap();
    assert!(c.zego.is_some() && c.agora.is_none());
    let (c, _) = load(
        &[
            ("ZEGOCLOUD_APP_ID", "42"),
            ("ZEGOCLOUD_SERVER_SECRET", SECRET),
        ],
        None,
    )
    .unwrap();
    assert!(c.zego.is_some());
    // The canonical name wins; the alias is reported.
    let (_, w) = load(
        &[
            ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
            ("APP_ID", "ffffffffffffffffffffffffffffffff"),
            ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
        ],
        None,
    )
    .unwrap();
    assert!(
        w.iter()
            .any(|w| matches!(w, Warning::AliasIgnored { alias, .. } if alias == "APP_ID")),
        "{w:?}"
    );
    // A bare APP_ID with no secret is ignored, with a warning.
    let (c, w) = load(&[("APP_ID", "42")], None).unwrap();
    assert!(c.is_empty());
    assert!(
        w.iter()
            .any(|w| matches!(w, Warning::AliasUnused { alias, .. } if alias == "APP_ID")),
        "{w:?}"
    );
}

#[cfg(unix)]
#[test]
fn readable_secret_file_warns() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir("perm");
    let path = d.join("cert");
    fs::write(&path, DEMO_AGORA_APP_CERTIFICATE).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let file = path.display().to_string();
    let (c, w) = load(
        &[
            ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE_FILE", &file),
        ],
        None,
    )
    .unwrap();
    assert!(c.agora.is_some());
    assert_eq!(w.len(), 1, "{w:?}");
    let text = w[0].to_string();
    assert!(
        text.contains("AGORA_APP_CERTIFICATE_FILE") && text.contains("644"),
        "{text}"
    );
    assert!(!text.contains(DEMO_AGORA_APP_CERTIFICATE));
    fs::remove_dir_all(&d).unwrap();
}

/// Kubernetes mounts a Secret `root:<fsGroup>` `0440` and runs the process in
/// `fsGroup`: a file readable by one of the process's own groups is fine.
#[cfg(unix)]
#[test]
fn secret_file_readable_by_own_group_does_not_warn() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir("perm-group");
    let path = d.join("cert");
    fs::write(&path, DEMO_AGORA_APP_CERTIFICATE).unwrap();
    // A new file gets the process's effective group (or the directory's,
    // which the process is then in only by chance: skip that case).
    let gid = std::os::unix::fs::MetadataExt::gid(&fs::metadata(&path).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o440)).unwrap();
    let file = path.display().to_string();
    let (c, w) = load(
        &[
            ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
            ("AGORA_APP_CERTIFICATE_FILE", &file),
        ],
        None,
    )
    .unwrap();
    assert!(c.agora.is_some());
    if gid == rustix::process::getegid().as_raw() {
        assert!(w.is_empty(), "{w:?}");
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn toml_with_secret_files_relative_to_the_file() {
    let d = dir("toml");
    write_private(
        &d.join("zego.secret"),
        &format!("{DEMO_ZEGO_SERVER_SECRET}\n"),
    );
    write_private(&d.join("agora.cert"), DEMO_AGORA_APP_CERTIFICATE);
    let path = d.join("rtc.toml");
    write_private(
        &path,
        &format!(
            "default_vendor = \"zego\"\nrenew_before_secs = 10\n[zego]\napp_id = 7\nserver_secret_file = \"zego.secret\"\n[agora]\napp_id = \"{DEMO_AGORA_APP_ID}\"\napp_certificate_file = \"agora.cert\"\nversion = \"007\"\n"
        ),
    );
    let c = Config::from_toml_file(&path).unwrap();
    assert_eq!(c.default_vendor, Some(Vendor::Zego));
    assert_eq!(c.renew_before_secs, 10);
    assert!(c.zego.is_some() && c.agora.is_some());
    // A missing setting is named as the file would name it.
    let err = Config::from_toml_str("[agora]\napp_certificate = \"x\"\n", None).unwrap_err();
    assert!(err.to_string().contains("agora.app_id"), "{err}");
    let err = Config::from_toml_str("[zego]\napp_id = 3\n", None).unwrap_err();
    assert!(err.to_string().contains("zego.server_secret_file"), "{err}");
    let err = Config::from_lookup(|k| (k == "ZEGO_APP_ID").then(|| "3".to_owned())).unwrap_err();
    assert!(err.to_string().contains("ZEGO_SERVER_SECRET_FILE"), "{err}");
    fs::remove_dir_all(&d).unwrap();
}

/// Every configuration error names a setting and contains no value.
#[test]
fn no_value_in_any_configuration_error() {
    let d = dir("novalue");
    let secret_file = d.join("short");
    write_private(&secret_file, "c0ffee-short");
    let secret_file = secret_file.display().to_string();
    let env_cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("ZEGO_APP_ID", "42")], "ZEGO_SERVER_SECRET"),
        (vec![("ZEGO_SERVER_SECRET", SECRET)], "ZEGO_APP_ID"),
        (
            vec![("ZEGO_APP_ID", CERT), ("ZEGO_SERVER_SECRET", SECRET)],
            "ZEGO_APP_ID",
        ),
        (
            vec![("ZEGO_APP_ID", "0"), ("ZEGO_SERVER_SECRET", SECRET)],
            "ZEGO_APP_ID",
        ),
        (
            vec![
                ("ZEGO_APP_ID", "1"),
                ("ZEGO_SERVER_SECRET", "c0ffee-short-secret"),
            ],
            "ZEGO_SERVER_SECRET",
        ),
        (
            vec![
                ("ZEGO_APP_ID", "1"),
                ("ZEGOCLOUD_SERVER_SECRET", "c0ffee-short-secret"),
            ],
            "ZEGOCLOUD_SERVER_SECRET",
        ),
        (
            vec![
                ("ZEGO_APP_ID", "1"),
                ("ZEGO_SERVER_SECRET", SECRET),
                ("ZEGO_TOKEN_MODE", CERT),
            ],
            "ZEGO_TOKEN_MODE",
        ),
        (
            vec![
                ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE", &CERT[1..]),
            ],
            "AGORA_APP_CERTIFICATE",
        ),
        (
            vec![
                ("APP_ID", DEMO_AGORA_APP_ID),
                ("APP_CERTIFICATE", &CERT[2..]),
            ],
            "APP_CERTIFICATE",
        ),
        (
            vec![("AGORA_APP_ID", CERT), ("AGORA_APP_CERTIFICATE", "c0ffee")],
            "AGORA_APP_CERTIFICATE",
        ),
        (
            vec![
                ("AGORA_APP_ID", &CERT[3..]),
                ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
            ],
            "AGORA_APP_ID",
        ),
        (
            vec![
                ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE", DEMO_AGORA_APP_CERTIFICATE),
                ("AGORA_TOKEN_VERSION", CERT),
            ],
            "AGORA_TOKEN_VERSION",
        ),
        (
            vec![
                ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE", CERT),
                ("AGORA_APP_CERTIFICATE_FILE", "/x"),
            ],
            "AGORA_APP_CERTIFICATE",
        ),
        (
            vec![
                ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE_FILE", &secret_file),
            ],
            "AGORA_APP_CERTIFICATE_FILE",
        ),
        (
            vec![
                ("AGORA_APP_ID", DEMO_AGORA_APP_ID),
                ("AGORA_APP_CERTIFICATE_FILE", "/nonexistent/c0ffee"),
            ],
            "AGORA_APP_CERTIFICATE_FILE",
        ),
        (vec![("RTC_VENDOR", "zego")], "RTC_VENDOR"),
        (vec![("RTC_VENDOR", CERT)], "RTC_VENDOR"),
        (
            vec![("RTC_RENEW_BEFORE_SECS", CERT)],
            "RTC_RENEW_BEFORE_SECS",
        ),
    ];
    let mut checked = 0;
    for (pairs, name) in &env_cases {
        let err = load(pairs, None).unwrap_err();
        assert_no_value(&err, name, pairs.iter().map(|(_, v)| *v));
        checked += 1;
    }

    let toml_cases: &[(String, &str)] = &[
        (format!("[agora]\napp_id = {CERT}\n"), "rtc.toml"),
        (format!("[agora]\napp_id = \"{CERT}\n"), "rtc.toml"),
        (
            format!("[agora]\napp_certificate = {{ x = \"{CERT}\" }}\n"),
            "agora.app_certificate",
        ),
        (
            format!("[agora]\napp_certificate = [\"{CERT}\"]\n"),
            "agora.app_certificate",
        ),
        (
            format!("[zego]\napp_id = \"{CERT}\"\nserver_secret = \"{SECRET}\"\n"),
            "zego.app_id",
        ),
        (
            format!("renew_before_secs = \"{CERT}\"\n"),
            "renew_before_secs",
        ),
        (
            format!("[agora]\napp_certficate = \"{CERT}\"\n"),
            "agora.app_certficate",
        ),
        (
            format!("[zego]\napp_id = 1\nserver_secret = \"{CERT}-x\"\n"),
            "zego.server_secret",
        ),
        (
            format!("default_vendor = 1\n[agora]\ncert = \"{CERT}\"\n"),
            "agora.cert",
        ),
        (format!("{CERT} = 1\n"), "rtc.toml"),
        (
            format!("[zego]\nmode = \"{CERT}\"\napp_id = 1\nserver_secret = \"{SECRET}\"\n"),
            "zego.mode",
        ),
    ];
    let path = d.join("rtc.toml");
    for (text, name) in toml_cases {
        write_private(&path, text);
        let err = load(&[], Some(&path)).unwrap_err();
        assert_no_value(&err, name, [CERT, SECRET]);
        checked += 1;
    }
    assert!(checked >= 25);
    fs::remove_dir_all(&d).unwrap();
}

fn assert_no_value<'a>(err: &Error, name: &str, values: impl IntoIterator<Item = &'a str>) {
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let msg = err.to_string();
    assert!(msg.contains(name), "{msg:?} should name {name}");
    for v in values {
        // Any 6-character piece of a value that is not itself a setting name or path.
        if v.starts_with('/') || v == DEMO_AGORA_APP_ID || v.len() < 6 {
            continue;
        }
        for piece in v.as_bytes().windows(6) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(
                !msg.contains(piece),
                "{msg:?} contains {piece:?} of a value"
            );
        }
    }
}

/// A program's own table: paths relative to the TOML file, combined secrets.
#[test]
fn a_program_registers_its_own_settings() {
    const APP: &[Setting] = &[
        Setting {
            key: "app.data_dir",
            env: &[EnvName::new("APP_DATA_DIR")],
            kind: Kind::Path,
            expect: "a directory",
        },
        Setting {
            key: "app.tokens",
            env: &[EnvName::new("APP_TOKENS")],
            kind: Kind::SecretCombined,
            expect: "tokens",
        },
    ];
    let d = dir("program");
    write_private(&d.join("tokens"), "from-file\n");
    let path = d.join("app.toml");
    write_private(
        &path,
        "[app]\ndata_dir = \"data\"\ntokens_file = \"tokens\"\n",
    );
    let env = map(&[("APP_TOKENS", "from-env")]);
    let sources = Sources::new()
        .with_env(|k| env.get(k).cloned())
        .with_file(&path);
    let values = Values::load(&[APP, ZEGO_SETTINGS], &sources).unwrap();
    assert_eq!(
        values.text("app.data_dir"),
        Some(d.join("data").to_str().unwrap())
    );
    let (listed, file) = values.secret_parts("app.tokens");
    assert_eq!(listed.unwrap().expose(), "from-env");
    assert_eq!(file.unwrap().expose(), "from-file");
    assert!(values.secret("app.tokens").is_err());
    assert!(values.text("app.tokens").is_none());
    // Unknown tables and keys are refused, named.
    write_private(&path, "[app]\ndata_dirs = \"x\"\n");
    let sources = Sources::new().with_file(&path);
    let err = Values::load(&[APP], &sources).unwrap_err();
    assert!(err.to_string().contains("app.data_dirs"), "{err}");
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn what_to_set_comes_from_the_settings() {
    assert_eq!(
        what_to_set(Vendor::Agora),
        "AGORA_APP_ID and AGORA_APP_CERTIFICATE_FILE (or AGORA_APP_CERTIFICATE)"
    );
    assert_eq!(
        Config::NOTHING_CONFIGURED,
        format!(
            "no vendor configured: set {}, or {}, or {}",
            what_to_set(Vendor::Zego),
            what_to_set(Vendor::Agora),
            what_to_set(Vendor::Tencent)
        )
    );
    let values = Values::load(Config::SETTINGS, &Sources::new().with_env(|_| None)).unwrap();
    assert!(zego(&values, Need::IfSet).unwrap().is_none());
    let err = agora(&values, Need::Required).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        format!(
            "agora is not configured: set {}",
            what_to_set(Vendor::Agora)
        )
    );
    let err = zego(&values, Need::Required).unwrap_err().to_string();
    assert!(
        err.starts_with("zego is not configured: set ZEGO_APP_ID and "),
        "{err}"
    );
}
