//! `rtc-tokens demo`: one token of each main kind on the built-in, clearly
//! fake demo credentials, built and parsed back.

use rtc_tokens::{
    AgoraProvider, AgoraVersion, DEMO_AGORA_APP_ID, DEMO_TENCENT_SDK_APP_ID, DEMO_ZEGO_APP_ID,
    TencentProvider, TokenProvider, TokenRequest, ZegoProvider,
};
use serde::Serialize;

use crate::build::Built;
use crate::output::Style;
use crate::parse::{self, Keys, Options, Report};

/// Said in every demo output.
const NOTE: &str = "these tokens use the built-in, clearly FAKE demo credentials: \
                    no real ZEGO, Agora or Tencent server accepts them";

/// One demo token.
#[derive(Debug, Serialize)]
pub struct DemoToken {
    /// What it is.
    pub title: &'static str,
    /// The build result.
    pub built: Built,
    /// The parse report of that token.
    pub parsed: Report,
}

/// What `demo --json` prints.
#[derive(Debug, Serialize)]
pub struct Demo {
    /// Always true: the credentials are fake.
    pub demo_credentials: bool,
    /// The warning about the credentials.
    pub note: &'static str,
    /// The ZEGO demo app id.
    pub zego_app_id: u32,
    /// The Agora demo app id.
    pub agora_app_id: &'static str,
    /// The Tencent demo SDKAppID.
    pub tencent_sdk_app_id: u32,
    /// The tokens.
    pub tokens: Vec<DemoToken>,
}

impl Demo {
    /// Whether every token was accepted when parsed back.
    pub fn all_ok(&self) -> bool {
        self.tokens.iter().all(|t| t.parsed.ok)
    }

    /// The human-readable form.
    pub fn render(&self, style: Style, now: u64) -> String {
        let mut out = format!(
            "{}\n{}\n(ZEGO app id {}, Agora app id {}, Tencent SDKAppID {})\n",
            style.bold("rtc-tokens demo"),
            style.warn(&format!("NOTE: {NOTE}")),
            self.zego_app_id,
            self.agora_app_id,
            self.tencent_sdk_app_id
        );
        for (i, t) in self.tokens.iter().enumerate() {
            out.push_str(&format!(
                "\n{}\n",
                style.bold(&format!("== {}. {} ==", i + 1, t.title))
            ));
            out.push_str(&t.built.render(style, now));
            out.push_str(&format!("\n{}\n", style.dim("parsed back:")));
            out.push_str(&t.parsed.render(style));
        }
        out.push_str(&format!(
            "\nNext: `rtc-tokens build --help` with your own credentials, \
             `rtc-tokens parse TOKEN` to debug a token.\n{}\n",
            style.warn("Reminder: the credentials above are fake demo ones.")
        ));
        out
    }
}

/// Builds and parses the demo tokens as of `now`.
///
/// # Errors
///
/// Only if the facade refuses its own demo requests.
pub fn run(now: u64) -> anyhow::Result<Demo> {
    let zego = ZegoProvider::demo();
    let agora = AgoraProvider::demo();
    let agora006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
    let tencent = TencentProvider::demo();
    let keys = Keys {
        zego: Some(zego.clone()),
        agora: Some(agora.clone()),
        tencent: Some(tencent.clone()),
    };
    let options = Options {
        now,
        ..Options::default()
    };

    let mut tokens = Vec::new();
    let request = TokenRequest::rtc("demo-user", "demo-room");
    let built = Built::from_facade("rtc", Some("gcm"), zego.issue_at(&request, now)?);
    let parsed = parse::analyse(&built.token, &keys, &options);
    tokens.push(DemoToken {
        title: "ZEGO token04 (AES-GCM): user demo-user, room demo-room, login + publish",
        built,
        parsed,
    });

    let built = Built::from_facade("private_map_key", None, tencent.issue_at(&request, now)?);
    let parsed = parse::analyse(&built.token, &keys, &options);
    let tencent_token = DemoToken {
        title: "Tencent PrivateMapKey: user demo-user, string room demo-room, every privilege",
        built,
        parsed,
    };

    let request = TokenRequest {
        uid: Some(42),
        user_id: None,
        ..request
    };
    let built = Built::from_facade("rtc", None, agora.issue_at(&request, now)?);
    let parsed = parse::analyse(&built.token, &keys, &options);
    tokens.push(DemoToken {
        title: "Agora AccessToken2 (007) RTC: uid 42, channel demo-room, publisher",
        built,
        parsed,
    });

    let mut built = Built::from_facade("rtc", None, agora006.issue_at(&request, now)?);
    built.note_006();
    let with_channel_uid = Options {
        channel: Some("demo-room".to_owned()),
        uid: Some("42".to_owned()),
        ..options
    };
    let parsed = parse::analyse(&built.token, &keys, &with_channel_uid);
    tokens.push(DemoToken {
        title: "Agora AccessToken (006) RTC: uid 42, channel demo-room, publisher \
                (verified with --channel demo-room --uid 42)",
        built,
        parsed,
    });
    tokens.push(tencent_token);

    Ok(Demo {
        demo_credentials: true,
        note: NOTE,
        zego_app_id: DEMO_ZEGO_APP_ID,
        agora_app_id: DEMO_AGORA_APP_ID,
        tencent_sdk_app_id: DEMO_TENCENT_SDK_APP_ID,
        tokens,
    })
}
