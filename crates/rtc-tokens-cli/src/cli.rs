//! The command line, as clap derive types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rtc_tokens::zego_token04::Mode;
use rtc_tokens::{AgoraVersion, Role, Vendor};

use crate::choice;

const MAIN_EXAMPLES: &str = "\
Examples:
  # Try it without an account: fake demo credentials, one token of each kind
  rtc-tokens demo

  # Build a ZEGO token (secret from the environment or a file, never a flag)
  export ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET_FILE=./zego.secret
  rtc-tokens build zego --user alice --room lobby

  # Build an Agora RTC token for uid 42
  export AGORA_APP_ID=... AGORA_APP_CERTIFICATE_FILE=./agora.cert
  rtc-tokens build agora rtc --channel lobby --uid 42

  # Build a Tencent TRTC UserSig, or a PrivateMapKey for room 1234
  export TENCENT_SDK_APP_ID=1400000000 TENCENT_SECRET_KEY_FILE=./tencent.key
  rtc-tokens build tencent --user alice --room 1234

  # Why is this token rejected?
  echo \"$TOKEN\" | rtc-tokens parse

Exit codes: 0 success, 1 the token was rejected, 2 usage or I/O error.";

/// Build, parse and verify ZEGOCLOUD token04, Agora AccessToken 006/007 and Tencent UserSig tokens.
#[derive(Debug, Parser)]
#[command(
    name = "rtc-tokens",
    version,
    about = "Build, parse and verify ZEGOCLOUD token04, Agora 006/007 and Tencent UserSig tokens",
    long_about = "Build, parse and verify ZEGOCLOUD token04, Agora AccessToken 006/007 and \
        Tencent TRTC UserSig / PrivateMapKey tokens.\n\n\
        App ids come from flags or the environment; secrets and certificates only from an \
        environment variable or a file (--secret-file), never from a flag value.",
    after_help = MAIN_EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    /// Print machine-readable JSON (documented, stable field names) instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a token.
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Decode a token, verify it with the secret when available, and say what is wrong.
    #[command(after_help = PARSE_EXAMPLES, after_long_help = PARSE_LONG)]
    Parse(ParseArgs),
    /// Build and parse one token of each kind with built-in, clearly fake demo credentials.
    #[command(after_help = DEMO_EXAMPLES)]
    Demo,
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to generate completions for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

const BUILD_EXAMPLES: &str = "\
Examples:
  rtc-tokens build zego --user alice --room lobby
  rtc-tokens build agora rtc --channel lobby --uid 42 --role subscriber
  rtc-tokens build agora rtm --user alice --json | jq -r .token
  rtc-tokens build tencent --user alice --room 1234 --role subscriber";

/// `rtc-tokens build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The vendor.
    #[command(subcommand)]
    pub vendor: BuildVendor,
}

/// The vendors `build` can build for.
#[derive(Debug, Subcommand)]
pub enum BuildVendor {
    /// A ZEGOCLOUD token04 (AES-GCM by default, AES-CBC on request).
    #[command(after_help = ZEGO_EXAMPLES, after_long_help = ZEGO_LONG)]
    Zego(ZegoBuild),
    /// An Agora AccessToken2 (007) or, for rtc and rtm, AccessToken (006).
    #[command(after_help = AGORA_EXAMPLES)]
    Agora(AgoraBuild),
    /// A Tencent Cloud TRTC UserSig or, with --room, a PrivateMapKey (room privileges).
    #[command(after_help = TENCENT_EXAMPLES, after_long_help = TENCENT_LONG)]
    Tencent(TencentBuild),
}

const TENCENT_EXAMPLES: &str = "\
Examples:
  export TENCENT_SDK_APP_ID=1400000000 TENCENT_SECRET_KEY_FILE=./tencent.key
  rtc-tokens build tencent --user alice                                  # UserSig
  rtc-tokens build tencent --user alice --room 1234                      # PrivateMapKey, all privileges
  rtc-tokens build tencent --user alice --room lobby --role subscriber   # enter + receive
  rtc-tokens build tencent --user alice --room 1234 --privilege join-channel --privilege publish-audio";

const TENCENT_LONG: &str = "\
Token:
  no --room                   a UserSig: enters any room (unless room permission control is on)
  --room R                    a PrivateMapKey for room R: a number 1..4294967294 (no leading
                              zero) is TRTC's roomId, anything else its strRoomId
  --role publisher            every privilege (create, enter, send and receive audio, video,
                              sub-stream)
  --role subscriber           enter, receive audio, video and sub-stream
  --privilege P (repeat)      exactly these instead: join-channel (enter), create-room,
                              publish-audio, publish-video, publish-screen, subscribe-audio,
                              subscribe-video, subscribe-screen

The secret key comes from TENCENT_SECRET_KEY, TENCENT_SECRET_KEY_FILE or --secret-file.

Examples:
  export TENCENT_SDK_APP_ID=1400000000 TENCENT_SECRET_KEY_FILE=./tencent.key
  rtc-tokens build tencent --user alice                                  # UserSig
  rtc-tokens build tencent --user alice --room 1234                      # PrivateMapKey, all privileges
  rtc-tokens build tencent --user alice --room lobby --role subscriber   # enter + receive
  rtc-tokens build tencent --user alice --room 1234 --privilege join-channel --privilege publish-audio";

/// `rtc-tokens build tencent`.
#[derive(Debug, Args)]
pub struct TencentBuild {
    /// The TRTC SDKAppID (a non-zero integer; else TENCENT_SDK_APP_ID).
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// Read the secret key from this file (else TENCENT_SECRET_KEY or TENCENT_SECRET_KEY_FILE).
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// The user id (1 to 32 ASCII letters, digits, '_' or '-').
    #[arg(long, value_name = "USER_ID")]
    pub user: String,
    /// Make a PrivateMapKey for this room (numeric roomId or strRoomId).
    #[arg(long, value_name = "ROOM")]
    pub room: Option<String>,
    /// The role in the room.
    #[arg(long, value_parser = choice::parser::<Role>(), default_value_t = Role::default())]
    pub role: Role,
    /// With --room: grant exactly this privilege (repeat for several) instead of the role's.
    #[arg(long = "privilege", value_name = "PRIVILEGE", requires = "room", value_parser = privilege)]
    pub privileges: Vec<rtc_tokens::Privilege>,
    /// Validity in seconds (at least 1).
    #[arg(long, value_name = "SECS", default_value_t = 86_400, value_parser = positive_secs)]
    pub validity: u32,
}

/// A neutral privilege by its snake_case name (`-` read as `_`).
fn privilege(value: &str) -> Result<rtc_tokens::Privilege, String> {
    let name = value.trim().to_ascii_lowercase().replace('-', "_");
    serde_json::from_value(serde_json::Value::String(name)).map_err(|_| {
        "expected join-channel, create-room, publish-audio, publish-video, publish-screen, \
         subscribe-audio, subscribe-video or subscribe-screen"
            .to_owned()
    })
}

const ZEGO_EXAMPLES: &str = "\
Examples:
  export ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET_FILE=./zego.secret
  rtc-tokens build zego --user alice                                  # identity token
  rtc-tokens build zego --user alice --room lobby                     # login + publish
  rtc-tokens build zego --user alice --room lobby --login-only        # login only
  rtc-tokens build zego --user alice --stream s1 --stream s2          # publish s1, s2 only
  rtc-tokens build zego --user alice --mode cbc --validity 600 --json";

const ZEGO_LONG: &str = "\
Payload:
  no --room, no --stream      identity token (empty payload)
  --room R                    may log in to room R and publish (any stream, or only --stream ids)
  --room R --login-only       may log in to room R, may not publish
  --stream S (no --room)      may publish only streams S (login not checked)

The ServerSecret comes from ZEGO_SERVER_SECRET, ZEGO_SERVER_SECRET_FILE or --secret-file.

Examples:
  export ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET_FILE=./zego.secret
  rtc-tokens build zego --user alice                                  # identity token
  rtc-tokens build zego --user alice --room lobby                     # login + publish
  rtc-tokens build zego --user alice --room lobby --login-only        # login only
  rtc-tokens build zego --user alice --stream s1 --stream s2          # publish s1, s2 only
  rtc-tokens build zego --user alice --mode cbc --validity 600 --json";

/// `rtc-tokens build zego`.
#[derive(Debug, Args)]
pub struct ZegoBuild {
    /// The ZEGO app id (a non-zero integer; else ZEGO_APP_ID).
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// Read the ServerSecret from this file (else ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE).
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Encryption mode (else ZEGO_TOKEN_MODE; default gcm).
    #[arg(long, value_parser = choice::parser::<Mode>())]
    pub mode: Option<Mode>,
    /// The user id (1 to 64 characters).
    #[arg(long, value_name = "USER_ID")]
    pub user: String,
    /// Restrict the token to this room (privilege payload).
    #[arg(long, value_name = "ROOM_ID")]
    pub room: Option<String>,
    /// Allow publishing only this stream id (repeat for several).
    #[arg(long = "stream", value_name = "STREAM_ID")]
    pub streams: Vec<String>,
    /// With --room: allow logging in to the room but not publishing.
    #[arg(long, requires = "room", conflicts_with = "streams")]
    pub login_only: bool,
    /// Validity in seconds (at least 1).
    #[arg(long, value_name = "SECS", default_value_t = 3600, value_parser = positive_secs)]
    pub validity: u32,
}

/// A validity of at least one second.
fn positive_secs(value: &str) -> Result<u32, String> {
    match value.trim().parse::<u32>() {
        Ok(0) => Err("a token must be valid for at least 1 second".to_owned()),
        Ok(secs) => Ok(secs),
        Err(_) => Err("expected a whole number of seconds, at least 1".to_owned()),
    }
}

const AGORA_EXAMPLES: &str = "\
Examples:
  export AGORA_APP_ID=0123456789abcdef0123456789abcdef AGORA_APP_CERTIFICATE_FILE=./agora.cert
  rtc-tokens build agora rtc --channel lobby --uid 42
  rtc-tokens build agora rtc --channel lobby --account alice --role subscriber --token-version 006
  rtc-tokens build agora rtc-rtm --channel lobby --user alice
  rtc-tokens build agora convoai --channel support-42 --uid 1001 --user 1001
  rtc-tokens build agora rtm2 --user alice --permission message-channels:read:ch1,ch2
  rtc-tokens build agora apaas-room-user --room r1 --user alice --role 1";

/// `rtc-tokens build agora`.
#[derive(Debug, Args)]
pub struct AgoraBuild {
    /// What the token is for.
    #[command(subcommand)]
    pub kind: AgoraKind,
}

/// The Agora app id and certificate file, shared by every Agora builder.
#[derive(Debug, Args)]
pub struct AgoraCreds {
    /// The Agora app id (32 hex characters; else AGORA_APP_ID).
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// Read the app certificate from this file (else AGORA_APP_CERTIFICATE or AGORA_APP_CERTIFICATE_FILE).
    #[arg(long, visible_alias = "certificate-file", value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

/// Token validity, shared by most Agora builders.
#[derive(Debug, Args)]
pub struct Validity {
    /// Validity in seconds, at least 1 (Agora's servers accept at most 86400, so more is capped).
    #[arg(long, value_name = "SECS", default_value_t = 3600, value_parser = positive_secs)]
    pub validity: u32,
}

/// Per-privilege validities of an Agora 007 RTC token.
#[derive(Debug, Args)]
pub struct RtcPrivilegeArgs {
    /// 007 only: seconds the join-channel privilege lasts (default: the token validity).
    #[arg(long, value_name = "SECS")]
    pub join_validity: Option<u32>,
    /// 007 publisher only: seconds the publish-audio privilege lasts.
    #[arg(long, value_name = "SECS")]
    pub audio_validity: Option<u32>,
    /// 007 publisher only: seconds the publish-video privilege lasts.
    #[arg(long, value_name = "SECS")]
    pub video_validity: Option<u32>,
    /// 007 publisher only: seconds the publish-data-stream privilege lasts.
    #[arg(long, value_name = "SECS")]
    pub data_validity: Option<u32>,
}

/// The flags of the 007 kinds that carry RTC and RTM (`rtc-rtm`, `convoai`, `stt`).
#[derive(Debug, Args)]
pub struct RtcRtmArgs {
    /// App id and certificate file.
    #[command(flatten)]
    pub creds: AgoraCreds,
    /// The channel name.
    #[arg(long)]
    pub channel: String,
    /// The RTC numeric uid (default: the RTC account is the RTM user id).
    #[arg(long)]
    pub uid: Option<u32>,
    /// The RTM user id.
    #[arg(long)]
    pub user: String,
    /// The RTC role.
    #[arg(long, value_parser = choice::parser::<Role>(), default_value_t = Role::default())]
    pub role: Role,
    /// Token validity.
    #[command(flatten)]
    pub validity: Validity,
    /// Per-privilege validities.
    #[command(flatten)]
    pub privileges: RtcPrivilegeArgs,
}

/// The Agora builders.
#[derive(Debug, Subcommand)]
pub enum AgoraKind {
    /// RTC (video/voice calling) for a numeric uid or a user account, with a role.
    #[command(after_help = "\
Examples:
  rtc-tokens build agora rtc --channel lobby --uid 42
  rtc-tokens build agora rtc --channel lobby --uid 0                      # any user
  rtc-tokens build agora rtc --channel lobby --account alice --role subscriber
  rtc-tokens build agora rtc --channel lobby --uid 42 --token-version 006
  rtc-tokens build agora rtc --channel lobby --uid 42 --join-validity 7200 --audio-validity 600")]
    Rtc {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The channel name.
        #[arg(long)]
        channel: String,
        /// The numeric uid (0 = any user).
        #[arg(long, required_unless_present = "account", conflicts_with = "account")]
        uid: Option<u32>,
        /// The user account (a string user id).
        #[arg(long)]
        account: Option<String>,
        /// The role.
        #[arg(long, value_parser = choice::parser::<Role>(), default_value_t = Role::default())]
        role: Role,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
        /// Per-privilege validities.
        #[command(flatten)]
        privileges: RtcPrivilegeArgs,
        /// Token format (else AGORA_TOKEN_VERSION; default 007).
        #[arg(long, value_parser = choice::parser::<AgoraVersion>())]
        token_version: Option<AgoraVersion>,
    },
    /// RTC and RTM (signaling) in one 007 token.
    #[command(after_help = "\
Examples:
  rtc-tokens build agora rtc-rtm --channel lobby --user alice            # RTC account = RTM user
  rtc-tokens build agora rtc-rtm --channel lobby --uid 42 --user alice")]
    RtcRtm(RtcRtmArgs),
    /// A Conversational AI agent's 007 token: RTC and RTM plus the ConvoAI service; it also
    /// authenticates the ConvoAI REST API (`Authorization: agora token=<token>`).
    #[command(after_help = "\
Examples:
  rtc-tokens build agora convoai --channel support-42 --uid 1001 --user 1001
  rtc-tokens build agora convoai --channel support-42 --user agent      # RTC account = RTM user")]
    Convoai(RtcRtmArgs),
    /// A speech-to-text 007 token: RTC and RTM plus the STT service.
    #[command(after_help = "\
Examples:
  rtc-tokens build agora stt --channel lobby --uid 2001 --user 2001
  rtc-tokens build agora stt --channel lobby --user transcriber")]
    Stt(RtcRtmArgs),
    /// RTM (signaling) login.
    #[command(after_help = "\
Examples:
  rtc-tokens build agora rtm --user alice
  rtc-tokens build agora rtm --user alice --token-version 006")]
    Rtm {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The RTM user id.
        #[arg(long)]
        user: String,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
        /// Token format (else AGORA_TOKEN_VERSION; default 007).
        #[arg(long, value_parser = choice::parser::<AgoraVersion>())]
        token_version: Option<AgoraVersion>,
    },
    /// RTM login with resource permissions (the rtm2 service).
    #[command(after_help = "\
PERMISSION is RESOURCE:PERMISSION:NAME[,NAME...]; RESOURCE is message-channels, stream-channels,
group-channels, server-groups, users or a number; PERMISSION is read, write or a number.

Examples:
  rtc-tokens build agora rtm2 --user alice --permission message-channels:read:ch1,ch2
  rtc-tokens build agora rtm2 --user alice --permission users:write:bob --permission 9:0:x")]
    Rtm2 {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The RTM user id.
        #[arg(long)]
        user: String,
        /// A permission, RESOURCE:PERMISSION:NAME[,NAME...] (repeat for several).
        #[arg(long = "permission", value_name = "PERMISSION")]
        permissions: Vec<String>,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
    /// Agora Chat user token.
    #[command(after_help = "Examples:\n  rtc-tokens build agora chat-user --user alice")]
    ChatUser {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The chat user id.
        #[arg(long)]
        user: String,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
    /// Agora Chat app (administrator) token.
    #[command(after_help = "Examples:\n  rtc-tokens build agora chat-app --validity 600")]
    ChatApp {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
    /// FPA (full-path acceleration) token; always valid for 24 hours.
    #[command(after_help = "Examples:\n  rtc-tokens build agora fpa")]
    Fpa {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
    },
    /// APaaS / Flexible Classroom (Education) room user: rtm + chat + apaas room-user.
    #[command(
        visible_alias = "education-room-user",
        after_help = "Examples:\n  rtc-tokens build agora apaas-room-user --room r1 --user alice --role 1"
    )]
    ApaasRoomUser {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The room uuid.
        #[arg(long)]
        room: String,
        /// The user uuid.
        #[arg(long)]
        user: String,
        /// The user's role in the room (a 16-bit integer, e.g. 1 teacher, 2 student).
        #[arg(long, allow_negative_numbers = true)]
        role: i16,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
    /// APaaS / Flexible Classroom (Education) user token.
    #[command(
        visible_alias = "education-user",
        after_help = "Examples:\n  rtc-tokens build agora apaas-user --user alice"
    )]
    ApaasUser {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// The user uuid.
        #[arg(long)]
        user: String,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
    /// APaaS / Flexible Classroom (Education) app token.
    #[command(
        visible_alias = "education-app",
        after_help = "Examples:\n  rtc-tokens build agora apaas-app --validity 600"
    )]
    ApaasApp {
        /// App id and certificate file.
        #[command(flatten)]
        creds: AgoraCreds,
        /// Token validity.
        #[command(flatten)]
        validity: Validity,
    },
}

const PARSE_EXAMPLES: &str = "\
Examples:
  rtc-tokens parse 007eJxTY...                        # decode; verify if the secret is set
  pbpaste | rtc-tokens parse                          # token from stdin
  AGORA_APP_CERTIFICATE_FILE=./agora.cert rtc-tokens parse \"$TOKEN\"
  rtc-tokens parse \"$TOKEN\" --secret-file ./zego.secret --json
  rtc-tokens parse \"$TOKEN006\" --channel lobby --uid 42   # 006 verifies only with these";

const PARSE_LONG: &str = "\
Recognises 04 (ZEGO), 006 and 007 (Agora) tokens by their prefix, and Tencent UserSigs and
PrivateMapKeys (no prefix) by their shape: Tencent's base64 alphabet (*, -, _) over a zlib
stream, so they start with eJ. Agora and Tencent tokens decode fully without the secret;
ZEGO tokens are encrypted, so without the ServerSecret only the mode and the
(unauthenticated) header expiry can be read. With the secret, certificate or key
(environment or --secret-file) the token is verified or decrypted.

Exit codes: 0 no problem found (check `verification` to know how far it was checked),
1 the token is rejected (expired, bad signature, cannot decrypt, malformed, wrong vendor or
version), 2 usage or I/O error.

Examples:
  rtc-tokens parse 007eJxTY...                        # decode; verify if the secret is set
  pbpaste | rtc-tokens parse                          # token from stdin
  AGORA_APP_CERTIFICATE_FILE=./agora.cert rtc-tokens parse \"$TOKEN\"
  rtc-tokens parse \"$TOKEN\" --secret-file ./zego.secret --json
  rtc-tokens parse \"$TOKEN006\" --channel lobby --uid 42   # 006 verifies only with these
  rtc-tokens parse \"$TOKEN\" --at 1716000000            # as if it were that unix time
  rtc-tokens parse \"$TOKEN\" --at 2026-12-06T10:00:00Z  # or that RFC 3339 time";

/// `rtc-tokens parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The token; `-` or nothing reads it from stdin.
    pub token: Option<String>,
    /// Expect a token of this vendor (a token of another vendor is rejected).
    #[arg(long, value_parser = choice::parser::<Vendor>())]
    pub vendor: Option<Vendor>,
    /// Read the token vendor's secret from this file (else its environment variables).
    #[arg(long, visible_alias = "certificate-file", value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// The channel the token is for (006: needed to verify; else compared with the token).
    #[arg(long)]
    pub channel: Option<String>,
    /// The numeric uid the token is for (006: needed to verify; 0 = any user).
    #[arg(long, conflicts_with = "account")]
    pub uid: Option<u32>,
    /// The user account the token is for (006: needed to verify, instead of --uid).
    #[arg(long)]
    pub account: Option<String>,
    /// Check expiry as of this time instead of now: unix seconds or RFC 3339
    /// (2026-12-06T10:00:00Z, 2026-12-06T11:00:00+01:00).
    #[arg(long, value_name = "TIME", value_parser = crate::time::parse_at, conflicts_with = "ignore_expiry")]
    pub at: Option<u64>,
    /// Do not reject an expired token.
    #[arg(long)]
    pub ignore_expiry: bool,
}

const DEMO_EXAMPLES: &str = "\
Uses the built-in, clearly FAKE demo credentials: the tokens work nowhere but here.

Examples:
  rtc-tokens demo
  rtc-tokens demo --json | jq '.tokens[].parsed.verification'";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  rtc-tokens completions bash > ~/.local/share/bash-completion/completions/rtc-tokens
  rtc-tokens completions zsh > ~/.zfunc/_rtc-tokens
  rtc-tokens completions fish > ~/.config/fish/completions/rtc-tokens.fish";
