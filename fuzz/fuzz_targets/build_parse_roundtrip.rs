//! Arbitrary structured inputs fed to every builder.
//!
//! Properties: a successful build parses back with the fields that went in
//! and verifies with the same secret; a refusal is `invalid_input`; nothing
//! panics.
#![no_main]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use agora_dynamic_key::access_token::{self, AccessToken, ParsedAccessToken, uid_string};
use agora_dynamic_key::access_token2::{
    AccessToken2, ParsedAccessToken2, Permissions, Service, ServiceApaas, ServiceChat,
    ServiceConvoAi, ServiceFcdn, ServiceFpa, ServiceRtc, ServiceRtm, ServiceRtm2, ServiceStreaming,
    ServiceStt, ServiceType,
};
use agora_dynamic_key::builder::{Issued, RtcPrivilegeExpiries, RtcRole, RtcSpec, TokenBuilder};
use agora_dynamic_key::{AppCertificate, AppId as AgoraAppId, MAX_VALIDITY_SECS, Principal};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zego_token04::{AppId, Mode, ServerSecret, TokenRequest, UserId};

const ZEGO_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const AGORA_APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const AGORA_CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";

static ZEGO: LazyLock<ServerSecret> = LazyLock::new(|| ServerSecret::new(ZEGO_SECRET).unwrap());
static CERT: LazyLock<AppCertificate> = LazyLock::new(|| AppCertificate::new(AGORA_CERT).unwrap());

#[derive(Arbitrary, Debug)]
enum Case {
    Zego {
        app_id: u32,
        user_id: String,
        payload: String,
        effective_secs: i64,
        now: i64,
        cbc: bool,
    },
    /// `TokenBuilder` methods (007 and 006) at a fixed clock.
    Builder { now: u32, call: Call },
    /// `AccessToken2` with arbitrary services.
    Token2 {
        issue_ts: u32,
        expire: u32,
        services: Vec<ArbService>,
    },
    /// `AccessToken` (006) with arbitrary raw privileges.
    Token006 {
        channel: String,
        uid: String,
        ts: u32,
        privileges: BTreeMap<u16, u32>,
    },
}

#[derive(Arbitrary, Debug)]
enum Call {
    RtcUid(String, u32, bool, u32, u32),
    RtcAccount(String, String, bool, u32, u32),
    RtcUidPrivileges(String, u32, u32, [u32; 4]),
    RtcAccountPrivileges(String, String, u32, [u32; 4]),
    RtcWithRtm(String, String, bool, u32, u32),
    RtcWithRtm2(String, String, bool, u32, [u32; 4], String, u32),
    Rtm(String, u32),
    RtmPermissions(String, Vec<(u16, u16, Vec<String>)>, u32),
    ChatUser(String, u32),
    ChatApp(u32),
    Fpa,
    ApaasRoomUser(String, String, i16, u32),
    ApaasUser(String, u32),
    ApaasApp(u32),
    Rtc006Uid(String, u32, u8, u32),
    Rtc006Account(String, String, u8, u32),
    Rtm006(String, u32),
    /// `convoai` (`stt` when the flag is set): RTC spec, RTM user, RTM validity.
    ConvoAiOrStt(bool, String, u32, bool, u32, [u32; 4], String, Option<u32>),
}

#[derive(Arbitrary, Debug)]
enum ArbService {
    Rtc(String, String, BTreeMap<u16, u32>),
    Rtm(String, BTreeMap<u16, u32>),
    Streaming(String, String, BTreeMap<u16, u32>),
    Fpa(BTreeMap<u16, u32>),
    Chat(String, BTreeMap<u16, u32>),
    Fcdn(String, String, BTreeMap<u16, u32>),
    Apaas(String, String, i16, BTreeMap<u16, u32>),
    Rtm2(String, Vec<(u16, u16, Vec<String>)>, BTreeMap<u16, u32>),
    ConvoAi(BTreeMap<u16, u32>),
    Stt(BTreeMap<u16, u32>),
}

fn permissions(list: Vec<(u16, u16, Vec<String>)>) -> Permissions {
    let mut p = Permissions::new();
    for (r, t, names) in list {
        p.add(r, t, names);
    }
    p
}

impl ArbService {
    fn into_service(self) -> Service {
        match self {
            Self::Rtc(c, u, p) => Service::Rtc(ServiceRtc {
                channel_name: c,
                uid: u,
                privileges: p,
            }),
            Self::Rtm(u, p) => Service::Rtm(ServiceRtm {
                user_id: u,
                privileges: p,
            }),
            Self::Streaming(c, a, p) => Service::Streaming(ServiceStreaming {
                channel_name: c,
                account: a,
                privileges: p,
            }),
            Self::Fpa(p) => Service::Fpa(ServiceFpa { privileges: p }),
            Self::Chat(u, p) => Service::Chat(ServiceChat {
                user_id: u,
                privileges: p,
            }),
            Self::Fcdn(c, a, p) => Service::Fcdn(ServiceFcdn {
                channel_name: c,
                account: a,
                privileges: p,
            }),
            Self::Apaas(r, u, role, p) => Service::Apaas(ServiceApaas {
                room_uuid: r,
                user_uuid: u,
                role,
                privileges: p,
            }),
            Self::Rtm2(u, perms, p) => Service::Rtm2(ServiceRtm2 {
                user_id: u,
                permissions: permissions(perms),
                privileges: p,
            }),
            Self::ConvoAi(p) => Service::ConvoAi(ServiceConvoAi { privileges: p }),
            Self::Stt(p) => Service::Stt(ServiceStt { privileges: p }),
        }
    }
}

fn role006(r: u8) -> access_token::Role {
    match r % 4 {
        0 => access_token::Role::Attendee,
        1 => access_token::Role::Publisher,
        2 => access_token::Role::Subscriber,
        _ => access_token::Role::Admin,
    }
}

fn rtc_role(publisher: bool) -> RtcRole {
    if publisher {
        RtcRole::Publisher
    } else {
        RtcRole::Subscriber
    }
}

fn expiries(v: [u32; 4]) -> RtcPrivilegeExpiries {
    RtcPrivilegeExpiries {
        join: v[0],
        publish_audio: v[1],
        publish_video: v[2],
        publish_data: v[3],
    }
}

fn zego(app_id: u32, user_id: String, payload: String, effective_secs: i64, now: i64, cbc: bool) {
    let mode = if cbc { Mode::Cbc } else { Mode::Gcm };
    let (Ok(app), Ok(user)) = (AppId::new(app_id), UserId::new(user_id.clone())) else {
        assert!(app_id == 0 || UserId::new(user_id).is_err());
        return;
    };
    let req = TokenRequest::new(app, user)
        .payload(payload.clone())
        .effective_secs(effective_secs)
        .mode(mode);
    match zego_token04::build_at(&ZEGO, &req, now) {
        Ok(issued) => {
            assert!(issued.token.len() <= zego_token04::MAX_TOKEN_LEN);
            let c = zego_token04::parse(&issued.token, &ZEGO).expect("built token parses");
            assert_eq!(c.mode, mode);
            assert_eq!(c.app_id, app_id);
            assert_eq!(c.user_id, user_id);
            assert_eq!(c.payload, payload);
            assert_eq!(
                (c.ctime, c.expire, c.nonce),
                (now, issued.expire, issued.nonce)
            );
            assert_eq!(Some(c.expire), now.checked_add(effective_secs));
            let v = zego_token04::verify(&issued.token, &ZEGO, now).expect("verifies at ctime");
            assert_eq!(v, c);
            let h = zego_token04::inspect(&issued.token).expect("inspects");
            assert_eq!((h.mode, h.expire), (mode, c.expire));
        }
        Err(e) => assert_eq!(e.kind(), zego_token04::ErrorKind::InvalidInput, "{e}"),
    }
}

/// Parses a 007 token, verifies it, and returns it.
fn parse007(token: &str, issue_ts: u32, expire: u32) -> ParsedAccessToken2 {
    let p = ParsedAccessToken2::parse(token).expect("built 007 token parses");
    p.verify(&CERT).expect("built 007 token verifies");
    assert_eq!(p.app_id, AGORA_APP_ID);
    assert_eq!((p.issue_ts, p.expire), (issue_ts, expire));
    assert!((1..=99_999_999).contains(&p.salt));
    assert_eq!(p.unknown_service_type, None);
    p
}

fn check_issued007(
    r: Result<Issued, agora_dynamic_key::Error>,
    now: u32,
) -> Option<ParsedAccessToken2> {
    match r {
        Ok(i) => {
            assert_eq!(i.issued_at, now);
            assert!(i.validity_secs <= MAX_VALIDITY_SECS);
            assert_eq!(i.expires_at, u64::from(now) + u64::from(i.validity_secs));
            let p = parse007(&i.token, now, i.validity_secs);
            for s in &p.services {
                for &v in s.privileges().values() {
                    assert!(v <= MAX_VALIDITY_SECS);
                }
            }
            Some(p)
        }
        Err(e) => {
            assert_eq!(e.kind(), agora_dynamic_key::ErrorKind::InvalidInput, "{e}");
            None
        }
    }
}

fn check_issued006(
    r: Result<Issued, agora_dynamic_key::Error>,
    now: u32,
    channel: &str,
    uid: &str,
    role: access_token::Role,
) {
    match r {
        Ok(i) => {
            let p = ParsedAccessToken::parse(&i.token).expect("built 006 token parses");
            p.verify(&CERT, channel, uid)
                .expect("built 006 token verifies");
            assert_eq!(p.app_id, AGORA_APP_ID);
            assert!((1..=99_999_999).contains(&p.salt));
            assert_eq!(p.effective_expires_at(), i.expires_at);
            assert_eq!(p.ts, now.saturating_add(MAX_VALIDITY_SECS));
            let ids: Vec<u16> = p.privileges.keys().copied().collect();
            let want: Vec<u16> = role.privileges().iter().map(|&x| u16::from(x)).collect();
            assert_eq!(ids, want);
            assert!(p.privileges.values().all(|&v| v <= p.ts));
        }
        Err(e) => assert_eq!(e.kind(), agora_dynamic_key::ErrorKind::InvalidInput, "{e}"),
    }
}

fn rtc_of(p: &ParsedAccessToken2) -> &ServiceRtc {
    match p.services.first() {
        Some(Service::Rtc(s)) => s,
        other => panic!("expected an rtc service first, got {other:?}"),
    }
}

fn builder_call(now: u32, call: Call) {
    let b = TokenBuilder::new(
        AgoraAppId::new(AGORA_APP_ID).unwrap(),
        AppCertificate::new(AGORA_CERT).unwrap(),
    )
    .with_now(now);
    match call {
        Call::RtcUid(c, uid, publ, tv, pv) => {
            if let Some(p) = check_issued007(b.rtc_with_uid(&c, uid, rtc_role(publ), tv, pv), now) {
                let s = rtc_of(&p);
                assert_eq!(
                    (s.channel_name.as_str(), s.uid.clone()),
                    (c.as_str(), uid_string(uid))
                );
                assert_eq!(s.privileges.len(), if publ { 4 } else { 1 });
            }
        }
        Call::RtcAccount(c, a, publ, tv, pv) => {
            if let Some(p) =
                check_issued007(b.rtc_with_account(&c, &a, rtc_role(publ), tv, pv), now)
            {
                let s = rtc_of(&p);
                assert_eq!((&s.channel_name, &s.uid), (&c, &a));
            }
        }
        Call::RtcUidPrivileges(c, uid, tv, e) => {
            if let Some(p) = check_issued007(
                b.rtc(&RtcSpec::new(&c, Principal::Uid(uid), tv).with_privileges(expiries(e))),
                now,
            ) {
                let s = rtc_of(&p);
                assert_eq!(s.uid, uid_string(uid));
                assert_eq!(s.privileges.len(), 4);
            }
        }
        Call::RtcAccountPrivileges(c, a, tv, e) => {
            if let Some(p) = check_issued007(
                b.rtc(&RtcSpec::new(&c, Principal::Account(&a), tv).with_privileges(expiries(e))),
                now,
            ) {
                let s = rtc_of(&p);
                assert_eq!((&s.channel_name, &s.uid), (&c, &a));
            }
        }
        Call::RtcWithRtm(c, a, publ, tv, pv) => {
            if let Some(p) = check_issued007(b.rtc_with_rtm(&c, &a, rtc_role(publ), tv, pv), now) {
                let types: Vec<ServiceType> =
                    p.services.iter().map(Service::service_type).collect();
                assert_eq!(types, [ServiceType::Rtc, ServiceType::Rtm]);
            }
        }
        Call::RtcWithRtm2(c, a, publ, tv, e, rtm_user, rtm_v) => {
            let spec = RtcSpec::new(&c, Principal::Account(&a), tv)
                .with_role(rtc_role(publ))
                .with_privileges(expiries(e));
            let r = b.rtc_rtm(&spec, &rtm_user, Some(rtm_v));
            if let Some(p) = check_issued007(r, now) {
                let s = rtc_of(&p);
                assert_eq!((&s.channel_name, &s.uid), (&c, &a));
            }
        }
        Call::ConvoAiOrStt(stt, c, uid, publ, tv, e, rtm_user, rtm_v) => {
            let spec = RtcSpec::new(&c, Principal::Uid(uid), tv)
                .with_role(rtc_role(publ))
                .with_privileges(expiries(e));
            let (r, extra) = if stt {
                (b.stt(&spec, &rtm_user, rtm_v), ServiceType::Stt)
            } else {
                (b.convoai(&spec, &rtm_user, rtm_v), ServiceType::ConvoAi)
            };
            if let Some(p) = check_issued007(r, now) {
                let s = rtc_of(&p);
                assert_eq!((&s.channel_name, s.uid.clone()), (&c, uid_string(uid)));
                match p.services.as_slice() {
                    [_, Service::Rtm(m), last] => {
                        assert_eq!(m.user_id, rtm_user);
                        assert_eq!(last.service_type(), extra);
                        assert!(last.privileges().is_empty());
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
        Call::Rtm(u, v) => {
            if let Some(p) = check_issued007(b.rtm(&u, v), now) {
                match p.services.as_slice() {
                    [Service::Rtm(s)] => assert_eq!(s.user_id, u),
                    other => panic!("{other:?}"),
                }
            }
        }
        Call::RtmPermissions(u, perms, v) => {
            let perms = permissions(perms);
            if let Some(p) = check_issued007(b.rtm_with_permissions(&u, &perms, v), now) {
                match p.services.as_slice() {
                    [Service::Rtm2(s)] => assert_eq!((&s.user_id, &s.permissions), (&u, &perms)),
                    other => panic!("{other:?}"),
                }
            }
        }
        Call::ChatUser(u, v) => {
            if let Some(p) = check_issued007(b.chat_user(&u, v), now) {
                match p.services.as_slice() {
                    [Service::Chat(s)] => assert_eq!(s.user_id, u),
                    other => panic!("{other:?}"),
                }
            }
        }
        Call::ChatApp(v) => {
            check_issued007(b.chat_app(v), now);
        }
        Call::Fpa => {
            check_issued007(b.fpa(), now);
        }
        Call::ApaasRoomUser(room, user, role, v) => {
            if let Some(p) = check_issued007(b.apaas_room_user(&room, &user, role, v), now) {
                let ok = p.services.iter().any(|s| {
                    matches!(s, Service::Apaas(a)
                        if a.room_uuid == room && a.user_uuid == user && a.role == role)
                });
                assert!(ok, "{:?}", p.services);
            }
        }
        Call::ApaasUser(user, v) => {
            check_issued007(b.apaas_user(&user, v), now);
        }
        Call::ApaasApp(v) => {
            check_issued007(b.apaas_app(v), now);
        }
        Call::Rtc006Uid(c, uid, role, exp) => {
            let role = role006(role);
            check_issued006(
                b.rtc006_with_uid(&c, uid, role, exp),
                now,
                &c,
                &uid_string(uid),
                role,
            );
        }
        Call::Rtc006Account(c, a, role, exp) => {
            let role = role006(role);
            check_issued006(b.rtc006_with_account(&c, &a, role, exp), now, &c, &a, role);
        }
        Call::Rtm006(u, exp) => match b.rtm006(&u, exp) {
            Ok(i) => {
                let p = ParsedAccessToken::parse(&i.token).expect("rtm006 parses");
                p.verify(&CERT, &u, "").expect("rtm006 verifies");
            }
            Err(e) => assert_eq!(e.kind(), agora_dynamic_key::ErrorKind::InvalidInput),
        },
    }
}

fn token2(issue_ts: u32, expire: u32, services: Vec<ArbService>) {
    let mut t = AccessToken2::new(AgoraAppId::new(AGORA_APP_ID).unwrap(), issue_ts, expire);
    for s in services {
        t.add_service(s.into_service());
    }
    match t.build(&CERT) {
        Ok(token) => {
            let p = parse007(&token, issue_ts, expire);
            assert_eq!(p.salt, t.salt());
            let mut want = t.services.clone();
            want.sort_by_key(Service::service_type); // stable, as packed
            assert_eq!(p.services, want);
            assert_eq!(p.content(), t.content(&CERT).unwrap().as_slice());
        }
        Err(e) => assert_eq!(e.kind(), agora_dynamic_key::ErrorKind::InvalidInput, "{e}"),
    }
}

fn token006(channel: String, uid: String, ts: u32, privileges: BTreeMap<u16, u32>) {
    let mut t = AccessToken::new(AgoraAppId::new(AGORA_APP_ID).unwrap(), &channel, &uid, ts);
    for (&id, &exp) in &privileges {
        t.add_raw_privilege(id, exp);
    }
    match t.build(&CERT) {
        Ok(token) => {
            let p = ParsedAccessToken::parse(&token).expect("built 006 token parses");
            p.verify(&CERT, &channel, &uid)
                .expect("built 006 token verifies");
            assert_eq!((p.salt, p.ts), (t.salt(), ts));
            assert_eq!(p.privileges, privileges);
        }
        Err(e) => assert_eq!(e.kind(), agora_dynamic_key::ErrorKind::InvalidInput, "{e}"),
    }
}

fuzz_target!(|case: Case| {
    match case {
        Case::Zego {
            app_id,
            user_id,
            payload,
            effective_secs,
            now,
            cbc,
        } => zego(app_id, user_id, payload, effective_secs, now, cbc),
        Case::Builder { now, call } => builder_call(now, call),
        Case::Token2 {
            issue_ts,
            expire,
            services,
        } => token2(issue_ts, expire, services),
        Case::Token006 {
            channel,
            uid,
            ts,
            privileges,
        } => token006(channel, uid, ts, privileges),
    }
});
