//! The vendors' documented limits on names, on the everyday path: each
//! provider refuses a channel, account, user, room or stream id its vendor's
//! SDK would refuse, with `invalid_input` naming the request field and the
//! limit, never echoing the value; the vendor's typed error stays the source.
//! The limits themselves live in `agora_dynamic_key::limits` and
//! `zego_token04::limits`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use rtc_tokens::agora_dynamic_key::{self, limits::Name};
use rtc_tokens::zego_token04::{self, limits::Id};
use rtc_tokens::{
    AgoraProvider, AgoraVersion, Error, ErrorKind, TokenProvider, TokenRequest, VendorError,
    ZegoProvider,
};

const NOW: u64 = 1_700_000_000;

fn providers() -> [(&'static str, Box<dyn TokenProvider>); 3] {
    [
        ("zego", Box::new(ZegoProvider::demo())),
        ("agora007", Box::new(AgoraProvider::demo())),
        (
            "agora006",
            Box::new(AgoraProvider::demo().with_version(AgoraVersion::V006)),
        ),
    ]
}

fn refused(p: &dyn TokenProvider, req: &TokenRequest) -> Error {
    let err = p.issue_at(req, NOW).expect_err("must be refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    err
}

/// The message names `field` and `limit` and does not contain `value`.
fn assert_names(err: &Error, field: &str, limit: &str, value: &str) {
    let msg = err.to_string();
    assert!(msg.contains(&format!("{field}: ")), "{msg}");
    assert!(msg.contains(limit), "{msg}");
    assert!(!msg.contains(value), "the value was echoed: {msg}");
}

#[test]
fn over_long_channel() {
    let room = "c".repeat(100);
    let req = TokenRequest::rtc("alice", room.as_str());
    for (name, p) in providers() {
        if name == "zego" {
            // ZEGO rooms may have 128 bytes.
            assert!(p.issue_at(&req, NOW).is_ok());
            continue;
        }
        let err = refused(p.as_ref(), &req);
        assert_names(&err, "room", "1 to 63 bytes", &room);
        assert_eq!(
            err.vendor_error(),
            Some(&VendorError::Agora(agora_dynamic_key::Error::InvalidName(
                Name::Channel
            )))
        );
    }
    // 63 bytes is Agora's longest; 64 is refused.
    let edge = TokenRequest::rtc("alice", "c".repeat(63));
    assert!(AgoraProvider::demo().issue_at(&edge, NOW).is_ok());
    let over = TokenRequest::rtc("alice", "c".repeat(64));
    refused(&AgoraProvider::demo(), &over);
    // Over ZEGO's 128 bytes.
    let long = "r".repeat(129);
    let err = refused(
        &ZegoProvider::demo(),
        &TokenRequest::rtc("alice", long.as_str()),
    );
    assert_names(&err, "room", "1 to 128 bytes", &long);
    assert_eq!(
        err.vendor_error(),
        Some(&VendorError::Zego(zego_token04::Error::InvalidId(Id::Room)))
    );
}

#[test]
fn channel_character_set() {
    for room in ["lob\0by", "caf\u{e9}", "a\nb"] {
        for (_, p) in providers() {
            let err = refused(p.as_ref(), &TokenRequest::rtc("alice", room));
            assert_names(&err, "room", "bytes of ascii letters", room);
        }
    }
    // `/` is ZEGO's, not Agora's.
    refused(&AgoraProvider::demo(), &TokenRequest::rtc("alice", "a/b"));
    assert!(
        ZegoProvider::demo()
            .issue_at(&TokenRequest::rtc("alice", "a/b"), NOW)
            .is_ok()
    );
    // Agora's punctuation (spaces included) is fine for Agora.
    let ok = TokenRequest::rtc("alice", "Room 1: a+b=c, [x]{y}|~");
    assert!(AgoraProvider::demo().issue_at(&ok, NOW).is_ok());
}

#[test]
fn over_long_account() {
    let account = "a".repeat(256);
    let req = TokenRequest::rtc("", "lobby").with_user(account.as_str());
    for (name, p) in providers() {
        let err = refused(p.as_ref(), &req);
        if name != "zego" {
            assert_names(&err, "user_id", "1 to 255 bytes", &account);
        }
    }
    // 255 bytes is fine for an Agora RTC account, too long for ZEGO (64).
    let edge = TokenRequest::rtc("a".repeat(255), "lobby");
    assert!(AgoraProvider::demo().issue_at(&edge, NOW).is_ok());
    let p006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
    assert!(p006.issue_at(&edge, NOW).is_ok());
    refused(&ZegoProvider::demo(), &edge);
}

#[test]
fn over_long_rtm_and_chat_user() {
    let user = "u".repeat(300);
    for req in [
        TokenRequest::rtm(user.as_str()),
        TokenRequest::rtc_rtm(user.as_str(), "lobby"),
    ] {
        for (name, p) in providers() {
            let err = refused(p.as_ref(), &req);
            if name == "agora007" || (name == "agora006" && req.kind.as_str() == "rtm") {
                assert_names(&err, "user_id", "1 to 64 bytes", &user);
            }
        }
    }
    let err = refused(
        &AgoraProvider::demo(),
        &TokenRequest::chat_user(user.as_str()),
    );
    assert_names(&err, "user_id", "1 to 64 bytes", &user);
    // 64 bytes is the longest RTM user id; a leading space is refused.
    assert!(
        AgoraProvider::demo()
            .issue_at(&TokenRequest::rtm("u".repeat(64)), NOW)
            .is_ok()
    );
    refused(&AgoraProvider::demo(), &TokenRequest::rtm(" alice"));
    // Chat ids are stricter: no spaces.
    refused(&AgoraProvider::demo(), &TokenRequest::chat_user("al ice"));
    assert!(
        AgoraProvider::demo()
            .issue_at(&TokenRequest::chat_user("al_ice.1-2"), NOW)
            .is_ok()
    );
}

#[test]
fn nul_in_user_id() {
    let user = "al\0ice";
    for req in [
        TokenRequest::rtc(user, "lobby"),
        TokenRequest::rtm(user),
        TokenRequest::chat_user(user),
        TokenRequest::rtc_rtm(user, "lobby"),
    ] {
        for (_, p) in providers() {
            let err = refused(p.as_ref(), &req);
            assert!(!err.to_string().contains('\0'));
        }
    }
    let err = refused(&ZegoProvider::demo(), &TokenRequest::rtc(user, "lobby"));
    assert_names(&err, "user_id", "1 to 64 bytes", user);
    assert_eq!(
        err.vendor_error(),
        Some(&VendorError::Zego(zego_token04::Error::InvalidId(Id::User)))
    );
}

#[test]
fn zego_user_and_stream_ids() {
    let zego = ZegoProvider::demo();
    // The token format takes 64 UTF-16 units; ZEGO's SDK takes 64 ASCII bytes.
    refused(&zego, &TokenRequest::rtc("\u{7528}\u{6237}", "lobby"));
    assert!(
        zego.issue_at(&TokenRequest::rtc("a".repeat(64), "lobby"), NOW)
            .is_ok()
    );
    let stream = "s".repeat(257);
    let err = refused(
        &zego,
        &TokenRequest::rtc("alice", "lobby").with_stream_ids([stream.as_str()]),
    );
    assert_names(&err, "stream_ids", "1 to 256 bytes", &stream);
    let ok = TokenRequest::rtc("alice", "lobby").with_stream_ids(["s".repeat(256)]);
    assert!(zego.issue_at(&ok, NOW).is_ok());
    refused(
        &zego,
        &TokenRequest::rtc("alice", "lobby").with_stream_ids(["a b"]),
    );
}

#[test]
fn uid_principals_need_no_account_check() {
    for uid in [0, 42, u32::MAX] {
        let req = TokenRequest::rtc_uid(uid, "lobby");
        assert!(AgoraProvider::demo().issue_at(&req, NOW).is_ok());
        let p006 = AgoraProvider::demo().with_version(AgoraVersion::V006);
        assert!(p006.issue_at(&req, NOW).is_ok());
    }
}
