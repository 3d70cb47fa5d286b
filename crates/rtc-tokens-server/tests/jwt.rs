//! JWT bearer authentication and the issuance policy, over real sockets on
//! 127.0.0.1, with a JWKS endpoint this test serves itself.
//!
//! The signing keys are committed, test-only keys (`tests/keys/`). Every
//! tracing event of this binary is captured (at TRACE) so that the hygiene
//! test can check that no JWT, key or token reaches a log.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine as _;
use common::logs::{captured, logs};
use common::{Resp, demo_providers, request, start_with};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rtc_tokens::policy::{Policy, RoleRule, UidRule};
use rtc_tokens_server::config::jwt::{HsSecret, JwksSource, JwtConfig};
use rtc_tokens_server::jwt::jwks::JwksUrl;
use rtc_tokens_server::{AgoraKeys, ServerConfig};
use serde_json::{Value, json};

const ISS: &str = "https://issuer.test/";
const AUD: &str = "rtc-tokens-test";
const HS_SECRET: &str = "hs-secret-for-tests-0123456789abcdef-xyz";

const RSA_A: &[u8] = include_bytes!("keys/rsa-a.pem");
const RSA_A_PUB: &[u8] = include_bytes!("keys/rsa-a.pub.pem");
const RSA_B: &[u8] = include_bytes!("keys/rsa-b.pem");
const EC: &[u8] = include_bytes!("keys/ec.pem");
const ED: &[u8] = include_bytes!("keys/ed25519.pem");

// ---------------------------------------------------------------------------
// Keys, JWKS and JWTs.

fn encoding_key(alg: Algorithm, pem: &[u8]) -> EncodingKey {
    match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(pem).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem).unwrap(),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(pem).unwrap(),
        _ => EncodingKey::from_secret(pem).unwrap(),
    }
}

fn jwk(alg: Algorithm, pem: &[u8], kid: &str) -> Jwk {
    let mut jwk = Jwk::from_encoding_key(&encoding_key(alg, pem), alg).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    jwk
}

fn jwks_json(keys: &[(Algorithm, &[u8], &str)]) -> String {
    let set = JwkSet {
        keys: keys.iter().map(|(a, p, k)| jwk(*a, p, k)).collect(),
    };
    serde_json::to_string(&set).unwrap()
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

static JTI: AtomicUsize = AtomicUsize::new(0);

/// Claims for `sub` in org `acme` as a host, valid for ten minutes; `extra`
/// overrides or adds claims (`null` removes one).
fn claims(sub: &str, extra: &Value) -> Value {
    let mut c = json!({
        "iss": ISS,
        "aud": AUD,
        "sub": sub,
        "iat": now(),
        "exp": now() + 600,
        "org_id": "acme",
        "role": "host",
        "agora_uid": 4242,
        "jti": JTI.fetch_add(1, Ordering::Relaxed),
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn sign(alg: Algorithm, pem: &[u8], kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &encoding_key(alg, pem)).unwrap()
}

fn alice(extra: &Value) -> String {
    sign(Algorithm::RS256, RSA_A, Some("a"), &claims("alice", extra))
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

// ---------------------------------------------------------------------------
// The JWKS endpoint.

struct JwksServer {
    addr: SocketAddr,
    body: Arc<Mutex<String>>,
    status: Arc<AtomicU16>,
    hits: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct JwksState {
    body: Arc<Mutex<String>>,
    status: Arc<AtomicU16>,
    hits: Arc<AtomicUsize>,
}

async fn serve_jwks(State(s): State<JwksState>) -> axum::response::Response {
    s.hits.fetch_add(1, Ordering::SeqCst);
    let status = StatusCode::from_u16(s.status.load(Ordering::SeqCst)).unwrap();
    let body = s.body.lock().unwrap().clone();
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn jwks_server(body: String) -> JwksServer {
    let state = JwksState {
        body: Arc::new(Mutex::new(body)),
        status: Arc::new(AtomicU16::new(200)),
        hits: Arc::new(AtomicUsize::new(0)),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/jwks", axum::routing::get(serve_jwks))
        .with_state(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    JwksServer {
        addr,
        body: state.body,
        status: state.status,
        hits: state.hits,
    }
}

impl JwksServer {
    fn set(&self, body: String) {
        *self.body.lock().unwrap() = body;
    }
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
    fn url(&self, max_age: Duration, floor: Duration) -> JwksUrl {
        let mut url = JwksUrl::new(&format!("http://{}/jwks", self.addr)).unwrap();
        url.max_age = max_age;
        url.refresh_floor = floor;
        url.timeout = Duration::from_secs(2);
        url
    }
}

// ---------------------------------------------------------------------------
// The server under test.

fn policy() -> Policy {
    Policy {
        uid: UidRule::Claim("agora_uid".into()),
        role: RoleRule::Claim {
            claim: "role".into(),
            publisher_values: vec!["host".into()],
        },
        ..Policy::new(vec![
            "team-{org_id}-*".parse().unwrap(),
            "dm-{sub}-*".parse().unwrap(),
        ])
    }
}

fn server_config(url: JwksUrl) -> ServerConfig {
    let mut jwt = JwtConfig::new(
        vec![
            Algorithm::RS256,
            Algorithm::ES256,
            Algorithm::EdDSA,
            Algorithm::HS256,
        ],
        JwksSource::Url(url),
        ISS,
        AUD,
        policy(),
    );
    jwt.secret = Some(HsSecret::new(HS_SECRET.as_bytes()).unwrap());
    let mut config = common::config();
    config.jwt = Some(jwt);
    // These tests send many refused JWTs from one address on purpose.
    config.limits.auth_failures = None;
    config.agora_keys = AgoraKeys::demo();
    config
}

const ALL_KEYS: &[(Algorithm, &[u8], &str)] = &[
    (Algorithm::RS256, RSA_A, "a"),
    (Algorithm::ES256, EC, "ec"),
    (Algorithm::EdDSA, ED, "ed"),
];

async fn start() -> (common::Server, JwksServer) {
    logs();
    let jwks = jwks_server(jwks_json(ALL_KEYS)).await;
    let server = start_with(
        demo_providers(),
        server_config(jwks.url(Duration::from_secs(600), Duration::ZERO)),
    )
    .await;
    (server, jwks)
}

async fn issue(addr: SocketAddr, bearer: &str, body: &Value) -> Resp {
    let auth = format!("Bearer {bearer}");
    request(
        addr,
        "POST",
        "/v1/tokens",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(body.to_string().as_bytes()),
    )
    .await
}

async fn get(addr: SocketAddr, bearer: &str, path: &str) -> Resp {
    let auth = format!("Bearer {bearer}");
    request(addr, "GET", path, &[("Authorization", &auth)], None).await
}

fn rtc(user: &str, room: &str) -> Value {
    json!({"vendor": "agora", "user_id": user, "room": room})
}

/// Asserts a refusal with `status` and `code` (the error category, or for
/// 401 the reason in the message), whose body holds no token and not `jwt`.
fn refused(r: &Resp, status: u16, code: &str, jwt: &str) {
    let body = String::from_utf8_lossy(&r.body).into_owned();
    assert_eq!(r.status, status, "{body}");
    let v = r.json();
    assert!(v.get("token").is_none(), "{body}");
    if status == 401 {
        assert_eq!(v["error"], "unauthorized", "{body}");
        assert!(v["message"].as_str().unwrap().ends_with(code), "{body}");
    } else {
        assert_eq!(v["error"], code, "{body}");
    }
    assert!(!body.contains(jwt), "{body}");
    let signature = jwt.split('.').nth(2).unwrap_or_default();
    assert!(signature.is_empty() || !body.contains(signature), "{body}");
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn alice_gets_a_token_for_alice_and_never_for_bob() {
    let (server, _jwks) = start().await;
    let jwt = alice(&json!({}));
    let r = issue(server.addr, &jwt, &rtc("alice", "team-acme-standup")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let parsed = common::verify(r.json()["token"].as_str().unwrap());
    assert_eq!(parsed.user.as_deref(), Some("alice"));

    let r = issue(server.addr, &jwt, &rtc("bob", "team-acme-standup")).await;
    refused(&r, 403, "user_mismatch", &jwt);
    // The drop-in routes are bound too: another account, uid 0 (any user),
    // another uid, another RTM user, another ZEGO user.
    for path in [
        "/rtc/team-acme-1/publisher/userAccount/bob",
        "/rtc/team-acme-1/publisher/uid/0",
        "/rtc/team-acme-1/publisher/uid/4243",
        "/rtm/bob",
        "/api/get_access_token?userID=bob",
    ] {
        refused(
            &get(server.addr, &jwt, path).await,
            403,
            "user_mismatch",
            &jwt,
        );
    }
    for path in [
        "/rtc/team-acme-1/publisher/userAccount/alice",
        "/rtc/team-acme-1/publisher/uid/4242",
        "/rtm/alice",
        "/api/get_access_token?userID=alice",
    ] {
        let r = get(server.addr, &jwt, path).await;
        assert_eq!(
            r.status,
            200,
            "{path}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    // The multi-service sample route cannot be bound to a user: refused.
    let generate = json!({"channelName": "team-acme-1", "uid": "4242", "serviceRtc": {"enable": true, "role": 1}});
    let auth = format!("Bearer {jwt}");
    let r = request(
        server.addr,
        "POST",
        "/token/generate",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(generate.to_string().as_bytes()),
    )
    .await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["data"].is_null());
    let r = common::post_json(server.addr, "/token/generate", &generate).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // API keys stay for server-to-server callers: no policy.
    let r = common::post_json(server.addr, "/v1/tokens", &rtc("bob", "anywhere")).await;
    assert_eq!(r.status, 200);

    let metrics = server.state.metrics();
    assert!(metrics.policy_decisions("user_mismatch") >= 6);
    assert!(metrics.policy_decisions("allowed") >= 5);
    let text = get(server.addr, common::KEY, "/metrics").await;
    let text = String::from_utf8_lossy(&text.body).into_owned();
    assert!(
        text.contains("rtc_tokens_policy_decisions_total{decision=\"user_mismatch\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn rooms_roles_validity_and_kinds_are_bounded_by_the_policy() {
    let (server, _jwks) = start().await;
    let jwt = alice(&json!({}));
    for room in ["team-acme-1", "dm-alice-bob"] {
        let r = issue(server.addr, &jwt, &rtc("alice", room)).await;
        assert_eq!(r.status, 200, "{room}");
    }
    for room in ["team-umbrella-1", "dm-bob-alice", "lobby"] {
        let r = issue(server.addr, &jwt, &rtc("alice", room)).await;
        refused(&r, 403, "room_not_allowed", &jwt);
    }
    refused(
        &get(
            server.addr,
            &jwt,
            "/rtc/other-room/publisher/userAccount/alice",
        )
        .await,
        403,
        "room_not_allowed",
        &jwt,
    );

    // The role is capped by the claim: a guest may subscribe, not publish.
    let guest = alice(&json!({"role": "guest"}));
    let mut body = rtc("alice", "team-acme-1");
    refused(
        &issue(server.addr, &guest, &body).await,
        403,
        "role_not_allowed",
        &guest,
    );
    refused(
        &get(
            server.addr,
            &guest,
            "/rtc/team-acme-1/publisher/userAccount/alice",
        )
        .await,
        403,
        "role_not_allowed",
        &guest,
    );
    body["role"] = json!("subscriber");
    assert_eq!(issue(server.addr, &guest, &body).await.status, 200);
    let r = get(
        server.addr,
        &guest,
        "/rtc/team-acme-1/subscriber/userAccount/alice",
    )
    .await;
    assert_eq!(r.status, 200);

    let mut long = rtc("alice", "team-acme-1");
    long["validity_secs"] = json!(7_200);
    refused(
        &issue(server.addr, &jwt, &long).await,
        403,
        "validity_exceeded",
        &jwt,
    );
    refused(
        &issue(
            server.addr,
            &jwt,
            &json!({"vendor": "agora", "kind": "chat_app"}),
        )
        .await,
        403,
        "kind_not_allowed",
        &jwt,
    );
    // A JWT without the claim a room pattern needs matches no room.
    let no_org = alice(&json!({"org_id": null}));
    refused(
        &issue(server.addr, &no_org, &rtc("alice", "team-acme-1")).await,
        403,
        "room_not_allowed",
        &no_org,
    );
}

#[tokio::test]
async fn every_algorithm_family_from_configuration_verifies() {
    let (server, _jwks) = start().await;
    let c = claims("alice", &json!({}));
    for jwt in [
        sign(Algorithm::RS256, RSA_A, Some("a"), &c),
        sign(Algorithm::ES256, EC, Some("ec"), &c),
        sign(Algorithm::EdDSA, ED, Some("ed"), &c),
        // No kid: every key of the algorithm is tried.
        sign(Algorithm::ES256, EC, None, &c),
        sign(Algorithm::HS256, HS_SECRET.as_bytes(), None, &c),
    ] {
        let r = issue(server.addr, &jwt, &rtc("alice", "team-acme-1")).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let (server, _jwks) = start().await;
    let body = rtc("alice", "team-acme-1");
    let t = now();
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            alice(&json!({"iat": t - 7_200, "exp": t - 3_600})),
        ),
        ("not_yet_valid", alice(&json!({"nbf": t + 3_600}))),
        ("wrong_issuer", alice(&json!({"iss": "https://evil.test/"}))),
        ("wrong_audience", alice(&json!({"aud": "another-app"}))),
        ("missing_claim", alice(&json!({"exp": null}))),
        (
            // alg: none, with and without a signature.
            "malformed",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                b64(&claims("alice", &json!({})))
            ),
        ),
        (
            "malformed",
            format!(
                "{}.{}.c2ln",
                b64(&json!({"alg": "none", "typ": "JWT", "kid": "a"})),
                b64(&claims("alice", &json!({})))
            ),
        ),
        (
            // Key confusion: HS256 keyed with the RSA public key, naming its kid.
            "bad_signature",
            sign(
                Algorithm::HS256,
                RSA_A_PUB,
                Some("a"),
                &claims("alice", &json!({})),
            ),
        ),
        (
            "unknown_key",
            sign(
                Algorithm::RS256,
                RSA_B,
                Some("b"),
                &claims("alice", &json!({})),
            ),
        ),
        (
            // The right kid, the wrong key.
            "bad_signature",
            sign(
                Algorithm::RS256,
                RSA_B,
                Some("a"),
                &claims("alice", &json!({})),
            ),
        ),
        (
            // An algorithm the configuration does not list.
            "algorithm_not_allowed",
            sign(
                Algorithm::HS384,
                HS_SECRET.as_bytes(),
                None,
                &claims("alice", &json!({})),
            ),
        ),
    ];
    for (code, jwt) in &cases {
        let r = issue(server.addr, jwt, &body).await;
        refused(&r, 401, code, jwt);
        // A refused JWT is never cached: the same one is refused again.
        let r = get(server.addr, jwt, "/rtm/alice").await;
        refused(&r, 401, code, jwt);
    }
    // A tampered payload fails the signature of the original.
    let good = alice(&json!({}));
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    parts[1] = b64(&claims("bob", &json!({})));
    let forged = parts.join(".");
    refused(
        &issue(server.addr, &forged, &rtc("bob", "team-acme-1")).await,
        401,
        "bad_signature",
        &forged,
    );
    // Neither a JWT nor a key: still "invalid api key".
    let r = get(server.addr, "not-a-key-nor-a-jwt-0123", "/rtm/alice").await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn rotated_keys_are_picked_up_and_an_outage_keeps_cached_keys() {
    logs();
    let jwks = jwks_server(jwks_json(&[(Algorithm::RS256, RSA_A, "a")])).await;
    // Always stale (refresh in the background on every use), no floor.
    let server = start_with(
        demo_providers(),
        server_config(jwks.url(Duration::ZERO, Duration::ZERO)),
    )
    .await;
    let body = rtc("alice", "team-acme-1");
    assert_eq!(
        issue(server.addr, &alice(&json!({})), &body).await.status,
        200
    );
    assert!(jwks.hits() >= 1);

    // Rotation: the provider now publishes key b only.
    jwks.set(jwks_json(&[(Algorithm::RS256, RSA_B, "b")]));
    let b = |c: &Value| sign(Algorithm::RS256, RSA_B, Some("b"), c);
    let r = issue(server.addr, &b(&claims("alice", &json!({}))), &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));

    // Outage: the endpoint fails; new tokens under the cached key b still verify.
    jwks.status.store(503, Ordering::SeqCst);
    for _ in 0..3 {
        let r = issue(server.addr, &b(&claims("alice", &json!({}))), &body).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
    // Key a is gone from the provider: refused, even during the outage.
    let old = alice(&json!({}));
    refused(
        &issue(server.addr, &old, &body).await,
        401,
        "unknown_key",
        &old,
    );
}

#[tokio::test]
async fn unknown_kids_fetch_at_most_once_per_floor() {
    logs();
    let jwks = jwks_server(jwks_json(&[(Algorithm::RS256, RSA_A, "a")])).await;
    let server = start_with(
        demo_providers(),
        server_config(jwks.url(Duration::from_secs(600), Duration::from_secs(3_600))),
    )
    .await;
    let body = rtc("alice", "team-acme-1");
    assert_eq!(
        issue(server.addr, &alice(&json!({})), &body).await.status,
        200
    );
    assert_eq!(jwks.hits(), 1);
    for i in 0..5 {
        let kid = format!("made-up-{i}");
        let jwt = sign(
            Algorithm::RS256,
            RSA_A,
            Some(&kid),
            &claims("alice", &json!({})),
        );
        refused(
            &issue(server.addr, &jwt, &body).await,
            401,
            "unknown_key",
            &jwt,
        );
    }
    assert_eq!(jwks.hits(), 1, "the floor bounds fetches");
    assert_eq!(server.state.jwt().unwrap().jwks_fetches(), 1);
}

#[tokio::test]
async fn an_unreachable_provider_without_cached_keys_is_503() {
    logs();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let mut url = JwksUrl::new(&format!("http://{closed}/jwks")).unwrap();
    url.timeout = Duration::from_secs(2);
    let server = start_with(demo_providers(), server_config(url)).await;
    let jwt = alice(&json!({}));
    let r = issue(server.addr, &jwt, &rtc("alice", "team-acme-1")).await;
    assert_eq!(r.status, 503);
    assert!(!String::from_utf8_lossy(&r.body).contains(&jwt));
    // HS256 does not need the provider.
    let hs = sign(
        Algorithm::HS256,
        HS_SECRET.as_bytes(),
        None,
        &claims("alice", &json!({})),
    );
    assert_eq!(
        issue(server.addr, &hs, &rtc("alice", "team-acme-1"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_verified_jwt_is_reused_until_it_expires() {
    let (server, jwks) = start().await;
    let jwt = alice(&json!({}));
    for _ in 0..5 {
        let r = issue(server.addr, &jwt, &rtc("alice", "team-acme-1")).await;
        assert_eq!(r.status, 200);
    }
    assert_eq!(jwks.hits(), 1);
    // Expiring within the leeway: verified (leeway), then cached only until exp.
    let t = now();
    let soon = alice(&json!({"exp": t - 5}));
    assert_eq!(
        issue(server.addr, &soon, &rtc("alice", "team-acme-1"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn no_jwt_key_or_token_in_logs_or_bodies() {
    let (server, _jwks) = start().await;
    let mut secrets: Vec<String> = vec![HS_SECRET.to_owned(), common::KEY.to_owned()];
    let mut issued: Vec<String> = Vec::new();
    let good = alice(&json!({}));
    let hs = sign(
        Algorithm::HS256,
        HS_SECRET.as_bytes(),
        None,
        &claims("alice", &json!({})),
    );
    let bad = [
        alice(&json!({"exp": now() - 3_600})),
        alice(&json!({"aud": "x"})),
        sign(
            Algorithm::HS256,
            RSA_A_PUB,
            Some("a"),
            &claims("alice", &json!({})),
        ),
        sign(
            Algorithm::RS256,
            RSA_B,
            Some("zz"),
            &claims("alice", &json!({})),
        ),
    ];
    for jwt in [&good, &hs] {
        for body in [rtc("alice", "team-acme-1"), rtc("bob", "team-acme-1")] {
            let r = issue(server.addr, jwt, &body).await;
            let v = r.json();
            if let Some(t) = v["token"].as_str() {
                issued.push(t.to_owned());
            } else {
                assert!(!String::from_utf8_lossy(&r.body).contains(jwt.as_str()));
            }
        }
        let r = get(server.addr, jwt, "/rtc/team-acme-1/publisher/uid/4242").await;
        issued.push(r.json()["rtcToken"].as_str().unwrap_or("-").to_owned());
    }
    for jwt in &bad {
        let r = issue(server.addr, jwt, &rtc("alice", "team-acme-1")).await;
        assert_eq!(r.status, 401);
        assert!(!String::from_utf8_lossy(&r.body).contains(jwt.as_str()));
    }
    secrets.extend([good.clone(), hs.clone()]);
    secrets.extend(bad.iter().cloned());
    // Signatures alone, too.
    let signatures: Vec<String> = secrets
        .iter()
        .filter_map(|s| s.split('.').nth(2).map(str::to_owned))
        .filter(|s| s.len() > 16)
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let captured = captured();
    assert!(captured.contains("access"), "the access log was captured");
    assert!(
        captured.contains("\"key\":\"jwt\""),
        "JWT callers are named as such in the access log"
    );
    for s in secrets.iter().chain(&signatures).chain(&issued) {
        if s.len() > 8 {
            assert!(
                !captured.contains(s.as_str()),
                "a secret or token was logged"
            );
        }
    }
}

#[tokio::test]
async fn a_jwks_file_verifies_without_a_provider() {
    logs();
    let keys = rtc_tokens_server::jwt::jwks::KeySet::parse(
        jwks_json(&[(Algorithm::ES256, EC, "ec"), (Algorithm::RS256, RSA_A, "a")]).as_bytes(),
        &[Algorithm::ES256],
    )
    .unwrap();
    // Only the key of an accepted algorithm is kept.
    assert_eq!(keys.len(), 1);
    let mut config = common::config();
    config.jwt = Some(JwtConfig::new(
        vec![Algorithm::ES256],
        JwksSource::Keys(Arc::new(keys)),
        ISS,
        AUD,
        policy(),
    ));
    let server = start_with(demo_providers(), config).await;
    let c = claims("alice", &json!({}));
    let ok = sign(Algorithm::ES256, EC, Some("ec"), &c);
    assert_eq!(
        issue(server.addr, &ok, &rtc("alice", "team-acme-1"))
            .await
            .status,
        200
    );
    let rs = sign(Algorithm::RS256, RSA_A, Some("a"), &c);
    refused(
        &issue(server.addr, &rs, &rtc("alice", "team-acme-1")).await,
        401,
        "algorithm_not_allowed",
        &rs,
    );
    let other = sign(Algorithm::ES256, EC, Some("other"), &c);
    refused(
        &issue(server.addr, &other, &rtc("alice", "team-acme-1")).await,
        401,
        "unknown_key",
        &other,
    );
}
