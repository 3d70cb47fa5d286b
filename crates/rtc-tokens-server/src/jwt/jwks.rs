//! Public keys from a JWKS document: a local file read once at start, or a
//! URL fetched lazily and cached.
//!
//! Only signature keys of an asymmetric family are kept (RSA, P-256/P-384,
//! Ed25519): a symmetric (`oct`) key in a JWKS is ignored, so a JWKS can
//! never turn an `HS*` token into a valid one. A key is used only for the
//! algorithms of its family that the configuration allows, and only for its
//! own `alg` when it names one.
//!
//! The URL cache: keys are fetched on first use and kept; after
//! `max_age` they are refreshed in the background while the cached ones keep
//! serving. A token naming an unknown `kid` triggers a refresh at once, but
//! never more than one fetch per `refresh_floor`, so a flood of made-up kids
//! cannot hammer the provider. A fetch is bounded in time (`timeout`) and
//! size (`max_bytes`); a failed one keeps the cached keys (an outage of the
//! provider does not stop the server), and is logged without the body.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jsonwebtoken::jwk::{
    AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};

/// One usable public key.
#[derive(Clone)]
pub(crate) struct Key {
    kid: Option<String>,
    algorithms: Vec<Algorithm>,
    pub(crate) key: DecodingKey,
}

/// The usable keys of a JWKS document.
#[derive(Clone, Default)]
pub struct KeySet {
    keys: Vec<Key>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self
            .keys
            .iter()
            .map(|k| k.kid.as_deref().unwrap_or("-"))
            .collect();
        f.debug_struct("KeySet").field("kids", &kids).finish()
    }
}

/// The algorithms a JWK may verify, among `allowed`.
fn key_algorithms(jwk: &Jwk, allowed: &[Algorithm]) -> Vec<Algorithm> {
    let family_and_curve: Option<(AlgorithmFamily, Option<Algorithm>)> = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Some((AlgorithmFamily::Rsa, None)),
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => Some((AlgorithmFamily::Ec, Some(Algorithm::ES256))),
            EllipticCurve::P384 => Some((AlgorithmFamily::Ec, Some(Algorithm::ES384))),
            _ => None,
        },
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => {
            Some((AlgorithmFamily::Ed, Some(Algorithm::EdDSA)))
        }
        // Symmetric keys never come from a JWKS.
        _ => None,
    };
    let Some((family, only)) = family_and_curve else {
        return Vec::new();
    };
    let named: Option<Algorithm> = match jwk.common.key_algorithm {
        None => None,
        Some(a) => match key_algorithm(a) {
            Some(a) => Some(a),
            // An encryption key or an algorithm we do not know: unusable.
            None => return Vec::new(),
        },
    };
    allowed
        .iter()
        .copied()
        .filter(|a| a.family() == family)
        .filter(|a| only.is_none_or(|o| o == *a))
        .filter(|a| named.is_none_or(|n| n == *a))
        .collect()
}

fn key_algorithm(a: KeyAlgorithm) -> Option<Algorithm> {
    Some(match a {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        _ => return None,
    })
}

impl KeySet {
    /// The usable keys of `jwks` for the `allowed` algorithms; unusable ones
    /// (encryption keys, symmetric keys, unknown curves, bad parameters) are skipped.
    #[must_use]
    pub fn from_jwks(jwks: &JwkSet, allowed: &[Algorithm]) -> Self {
        let keys = jwks
            .keys
            .iter()
            .filter(|jwk| {
                jwk.common
                    .public_key_use
                    .as_ref()
                    .is_none_or(|u| *u == PublicKeyUse::Signature)
            })
            .filter_map(|jwk| {
                let algorithms = key_algorithms(jwk, allowed);
                if algorithms.is_empty() {
                    return None;
                }
                let key = DecodingKey::from_jwk(jwk).ok()?;
                Some(Key {
                    kid: jwk.common.key_id.clone(),
                    algorithms,
                    key,
                })
            })
            .collect();
        Self { keys }
    }

    /// Parses a JWKS document.
    ///
    /// # Errors
    ///
    /// A message without the document's content when it is not a JWKS.
    pub fn parse(bytes: &[u8], allowed: &[Algorithm]) -> Result<Self, &'static str> {
        let jwks: JwkSet = serde_json::from_slice(bytes).map_err(|_| "is not a JWKS document")?;
        Ok(Self::from_jwks(&jwks, allowed))
    }

    /// How many usable keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is usable.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys that may verify a token with header `kid` and `alg`: the key
    /// with that kid, or, for a token without kid, every key of the algorithm.
    pub(crate) fn candidates<'a>(
        &'a self,
        kid: Option<&'a str>,
        alg: Algorithm,
    ) -> impl Iterator<Item = &'a Key> + 'a {
        self.keys.iter().filter(move |k| {
            k.algorithms.contains(&alg) && (kid.is_none() || k.kid.as_deref() == kid)
        })
    }

    fn has(&self, kid: Option<&str>, alg: Algorithm) -> bool {
        self.candidates(kid, alg).next().is_some()
    }
}

/// How a JWKS URL is fetched and cached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwksUrl {
    /// The URL (https, or http to a loopback address).
    pub url: String,
    /// After this long, keys are refreshed in the background.
    pub max_age: Duration,
    /// At most one fetch per this interval (unknown kids, failures).
    pub refresh_floor: Duration,
    /// A fetch's time limit.
    pub timeout: Duration,
    /// The largest document accepted.
    pub max_bytes: usize,
}

type HttpClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Empty<Bytes>>;

struct Snapshot {
    keys: Arc<KeySet>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
}

/// A cached JWKS URL.
pub(crate) struct JwksCache {
    source: JwksUrl,
    uri: hyper::Uri,
    allowed: Vec<Algorithm>,
    client: HttpClient,
    snapshot: RwLock<Snapshot>,
    fetch_lock: tokio::sync::Mutex<()>,
    fetches: AtomicU64,
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("url", &self.source.url)
            .finish_non_exhaustive()
    }
}

/// Why no key could be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No key with that kid (and algorithm), even after a refresh.
    UnknownKey,
    /// No key was ever fetched: the provider could not be reached.
    Unavailable,
}

impl JwksCache {
    /// A cache of `source` for the `allowed` algorithms.
    ///
    /// # Errors
    ///
    /// When the URL does not parse.
    pub(crate) fn new(source: JwksUrl, allowed: Vec<Algorithm>) -> Result<Self, &'static str> {
        let uri: hyper::Uri = source.url.parse().map_err(|_| "is not a valid URL")?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(TokioExecutor::new()).build(https);
        Ok(Self {
            source,
            uri,
            allowed,
            client,
            snapshot: RwLock::new(Snapshot {
                keys: Arc::new(KeySet::default()),
                fetched_at: None,
                last_attempt: None,
            }),
            fetch_lock: tokio::sync::Mutex::new(()),
            fetches: AtomicU64::new(0),
        })
    }

    /// How many fetches were attempted.
    pub(crate) fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    fn read(&self) -> (Arc<KeySet>, bool, bool) {
        let snap = match self.snapshot.read() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let fresh = snap
            .fetched_at
            .is_some_and(|t| t.elapsed() < self.source.max_age);
        let may_fetch = snap
            .last_attempt
            .is_none_or(|t| t.elapsed() >= self.source.refresh_floor);
        (Arc::clone(&snap.keys), fresh, may_fetch)
    }

    /// The keys to verify a token with header `kid` and `alg`.
    ///
    /// # Errors
    ///
    /// [`Lookup`] when no key fits.
    pub(crate) async fn keys(
        self: &Arc<Self>,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<KeySet>, Lookup> {
        let (keys, fresh, may_fetch) = self.read();
        if keys.has(kid, alg) {
            if !fresh && may_fetch {
                // Stale: refresh in the background, serve the cached keys now.
                let this = Arc::clone(self);
                tokio::spawn(async move { this.refresh(false).await });
            }
            return Ok(keys);
        }
        if may_fetch {
            self.refresh(true).await;
        }
        let (keys, _, _) = self.read();
        let ever = match self.snapshot.read() {
            Ok(s) => s.fetched_at.is_some(),
            Err(poisoned) => poisoned.into_inner().fetched_at.is_some(),
        };
        if keys.has(kid, alg) {
            Ok(keys)
        } else if ever {
            Err(Lookup::UnknownKey)
        } else {
            Err(Lookup::Unavailable)
        }
    }

    /// Fetches once (single flight, at most once per floor) and installs the
    /// keys on success. `wait`: whether to queue behind a fetch in progress.
    async fn refresh(&self, wait: bool) {
        let _guard = if wait {
            self.fetch_lock.lock().await
        } else {
            match self.fetch_lock.try_lock() {
                Ok(g) => g,
                Err(_) => return,
            }
        };
        {
            let mut snap = match self.snapshot.write() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            if snap
                .last_attempt
                .is_some_and(|t| t.elapsed() < self.source.refresh_floor)
            {
                // Someone else fetched while we queued.
                return;
            }
            snap.last_attempt = Some(Instant::now());
        }
        self.fetches.fetch_add(1, Ordering::Relaxed);
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "jwks refreshed");
                let mut snap = match self.snapshot.write() {
                    Ok(s) => s,
                    Err(poisoned) => poisoned.into_inner(),
                };
                snap.keys = Arc::new(keys);
                snap.fetched_at = Some(Instant::now());
            }
            Err(problem) => {
                tracing::warn!(problem, "jwks fetch failed: keeping the cached keys");
            }
        }
    }

    async fn fetch(&self) -> Result<KeySet, &'static str> {
        let request = hyper::Request::get(self.uri.clone())
            .header(hyper::header::ACCEPT, "application/json")
            .body(Empty::<Bytes>::new())
            .map_err(|_| "request could not be built")?;
        let max = self.source.max_bytes;
        let body = tokio::time::timeout(self.source.timeout, async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|_| "connection failed")?;
            if !response.status().is_success() {
                return Err("provider answered with an error status");
            }
            let declared = response
                .headers()
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<usize>().ok());
            if declared.is_some_and(|n| n > max) {
                return Err("document larger than the limit");
            }
            Limited::new(response.into_body(), max)
                .collect()
                .await
                .map(http_body_util::Collected::to_bytes)
                .map_err(|_| "body unreadable or larger than the limit")
        })
        .await
        .map_err(|_| "timed out")??;
        KeySet::parse(&body, &self.allowed)
    }
}
