//! The UserSig itself: a JSON document signed with HMAC-SHA256, zlib-compressed and
//! written in Tencent's base64 variant (spec "Token (UserSig)").
//!
//! [`UserSig`] is the low-level document: it signs and encodes exactly what it is given.
//! [`ParsedUserSig::parse`] decodes a token strictly and with bounds: at most
//! [`MAX_TOKEN_LEN`] characters, checked before decoding; only the variant alphabet
//! (`*`, `-`, `_` for `+`, `/`, `=`; the standard characters are refused), canonical
//! padding and zero trailing bits; exactly one zlib stream inflating to at most
//! [`MAX_INFLATED_LEN`] bytes; one JSON object with the documented fields, any key order,
//! unknown keys ignored, duplicate keys refused. Verification ([`ParsedUserSig::verify`])
//! compares the HMAC in constant time, then checks the sdkappid and the expiry against
//! the caller's `now`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};

use crate::userbuf::PrivateMapKey;
use crate::{Error, MAX_INFLATED_LEN, MAX_TOKEN_LEN, SecretKey};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The only document version: `TLS.ver`.
pub const VERSION: &str = "2.0";

/// A UserSig document to sign: what the token carries, minus the signature.
///
/// Encodes what it is given; the everyday [`UserSigBuilder`](crate::UserSigBuilder)
/// applies Tencent's limits and the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSig {
    /// `TLS.identifier`: the user id.
    pub identifier: String,
    /// `TLS.sdkappid`: the application.
    pub sdkappid: u32,
    /// `TLS.time`: the issue time, unix seconds.
    pub time: u64,
    /// `TLS.expire`: the validity in seconds from `time`.
    pub expire: u64,
    /// `TLS.userbuf`, binary (written as standard base64): a PrivateMapKey's privileges.
    pub userbuf: Option<Vec<u8>>,
}

impl UserSig {
    /// A plain UserSig (no userbuf).
    #[must_use]
    pub fn new(identifier: impl Into<String>, sdkappid: u32, time: u64, expire: u64) -> Self {
        Self {
            identifier: identifier.into(),
            sdkappid,
            time,
            expire,
            userbuf: None,
        }
    }

    /// The same document carrying `userbuf` (raw bytes).
    #[must_use]
    pub fn with_userbuf(mut self, userbuf: Vec<u8>) -> Self {
        self.userbuf = Some(userbuf);
        self
    }

    /// The same document carrying a PrivateMapKey's userbuf.
    ///
    /// # Errors
    /// [`Error::TooLong`] from [`PrivateMapKey::encode`].
    pub fn with_private_map_key(self, key: &PrivateMapKey) -> Result<Self, Error> {
        Ok(self.with_userbuf(key.encode()?))
    }

    /// The signed JSON document, compact, keys in the Node reference's order.
    ///
    /// # Errors
    /// None in practice: serializing strings and integers cannot fail; a failure would be
    /// reported as [`Error::Malformed`] rather than a half-written token.
    pub fn document(&self, key: &SecretKey) -> Result<Vec<u8>, Error> {
        let userbuf = self.userbuf.as_deref().map(|b| STANDARD.encode(b));
        let mac = mac(
            key,
            &self.identifier,
            self.sdkappid,
            self.time,
            self.expire,
            userbuf.as_deref(),
        );
        let sig = STANDARD.encode(mac.finalize().into_bytes());
        let doc = DocOut {
            ver: VERSION,
            identifier: &self.identifier,
            sdkappid: self.sdkappid,
            time: self.time,
            expire: self.expire,
            userbuf: userbuf.as_deref(),
            sig: &sig,
        };
        serde_json::to_vec(&doc).map_err(|_| Error::Malformed("document does not serialize"))
    }

    /// The token: the signed document, zlib-compressed, in the base64 variant.
    ///
    /// # Errors
    /// As [`Self::document`].
    pub fn to_token(&self, key: &SecretKey) -> Result<String, Error> {
        let z = small_zlib::compress(&self.document(key)?);
        Ok(to_variant(STANDARD.encode(z)))
    }
}

/// A decoded UserSig (or PrivateMapKey), not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUserSig {
    /// `TLS.identifier`: the user id, as found (not checked against the limits).
    pub identifier: String,
    /// `TLS.sdkappid`.
    pub sdkappid: u32,
    /// `TLS.time`: the issue time.
    pub time: u64,
    /// `TLS.expire`: the validity in seconds from `time`.
    pub expire: u64,
    /// The decoded `TLS.userbuf`, for a PrivateMapKey.
    pub private_map_key: Option<PrivateMapKey>,
    userbuf_b64: Option<String>,
    sig: [u8; 32],
}

impl ParsedUserSig {
    /// Decodes a token without verifying it.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a token that is too long, not the base64 variant, not
    /// exactly one zlib stream within the bound, not a JSON object, missing or mistyping
    /// a field, or carrying a userbuf or signature that does not decode;
    /// [`Error::Version`] when `TLS.ver` is a string other than `"2.0"`.
    pub fn parse(token: &str) -> Result<Self, Error> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Malformed("token too long"));
        }
        let z = from_variant(token.as_bytes())?;
        let json = small_zlib::decompress(&z, MAX_INFLATED_LEN).map_err(|e| match e {
            small_zlib::Error::OutputTooLarge { .. } => {
                Error::Malformed("inflated document too large")
            }
            small_zlib::Error::Malformed(why) => Error::Malformed(why),
            _ => Error::Malformed("invalid zlib stream"),
        })?;
        if json.trim_ascii_start().first() != Some(&b'{') {
            return Err(Error::Malformed("document is not a json object"));
        }
        let doc: DocIn = serde_json::from_slice(&json).map_err(|_| refusal(&json))?;
        if doc.ver != VERSION {
            return Err(Error::Version);
        }
        let sig = STANDARD
            .decode(doc.sig)
            .ok()
            .and_then(|s| <[u8; 32]>::try_from(s).ok())
            .ok_or(Error::Malformed("tls.sig is not base64 of 32 bytes"))?;
        let private_map_key = match &doc.userbuf {
            Some(b64) => {
                let raw = STANDARD
                    .decode(b64)
                    .map_err(|_| Error::Malformed("tls.userbuf is not base64"))?;
                Some(PrivateMapKey::decode(&raw)?)
            }
            None => None,
        };
        Ok(Self {
            identifier: doc.identifier,
            sdkappid: doc.sdkappid,
            time: doc.time,
            expire: doc.expire,
            private_map_key,
            userbuf_b64: doc.userbuf,
            sig,
        })
    }

    /// True when the identifier meets Tencent's documented user id rule
    /// ([`limits`](crate::limits)). The parser does not refuse one that does not (the
    /// references check nothing); callers may report it.
    #[must_use]
    pub fn identifier_meets_limits(&self) -> bool {
        crate::limits::is_valid_user_id(&self.identifier)
    }

    /// `TLS.userbuf` as the token writes it (standard base64), when present.
    #[must_use]
    pub fn userbuf_b64(&self) -> Option<&str> {
        self.userbuf_b64.as_deref()
    }

    /// `TLS.sig`: the HMAC-SHA256 the token carries.
    #[must_use]
    pub const fn signature(&self) -> &[u8; 32] {
        &self.sig
    }

    /// Absolute unix time the token expires at: `time + expire` (saturating).
    #[must_use]
    pub const fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }

    /// Checks the HMAC with `key`, in constant time.
    ///
    /// # Errors
    /// [`Error::Signature`] when it does not match.
    pub fn verify_signature(&self, key: &SecretKey) -> Result<(), Error> {
        mac(
            key,
            &self.identifier,
            self.sdkappid,
            self.time,
            self.expire,
            self.userbuf_b64(),
        )
        .verify_slice(&self.sig)
        .map_err(|_| Error::Signature)
    }

    /// Checks that the token is still valid at `now` (valid while `now < time + expire`).
    ///
    /// # Errors
    /// [`Error::Expired`] otherwise.
    pub const fn check_expiry(&self, now: u64) -> Result<(), Error> {
        let expired_at = self.expires_at();
        if now < expired_at {
            Ok(())
        } else {
            Err(Error::Expired { expired_at, now })
        }
    }

    /// Verifies the token: the HMAC with `key` (constant time), then that it is for
    /// `sdkappid`, then that it is valid at `now`.
    ///
    /// # Errors
    /// [`Error::Signature`], [`Error::Mismatch`] (`sdkappid`) or [`Error::Expired`], the
    /// first that applies in that order.
    pub fn verify(&self, key: &SecretKey, sdkappid: u32, now: u64) -> Result<(), Error> {
        self.verify_signature(key)?;
        if self.sdkappid != sdkappid {
            return Err(Error::Mismatch { field: "sdkappid" });
        }
        self.check_expiry(now)
    }
}

/// Whether `token` has a UserSig's shape, decided cheaply and without decoding it: made
/// only of the base64 variant's characters (letters, digits, `*`, `-`, `_`), a length that
/// is a multiple of 4, and a first 3 bytes that open a zlib stream (RFC 1950: deflate,
/// check bits valid, no preset dictionary). Such a token starts with one of `C G K O S W
/// a e` (`eJ` in practice), never with a digit: no ZEGO (`04`) or Agora (`006`, `007`)
/// token has this shape. It says nothing of the rest: [`ParsedUserSig::parse`] decides.
///
/// ```
/// assert!(tencent_usersig::usersig::looks_like_usersig("eJyrVgrxCdYrSy1S"));
/// assert!(!tencent_usersig::usersig::looks_like_usersig("007eJxTYBBY"));
/// assert!(!tencent_usersig::usersig::looks_like_usersig("eJyrVgrx+dYrSy1S"));
/// ```
#[must_use]
pub fn looks_like_usersig(token: &str) -> bool {
    let bytes = token.as_bytes();
    let variant = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'_');
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) || !bytes.iter().all(variant) {
        return false;
    }
    let head = bytes.get(..4).map(from_variant);
    let Some(Ok(head)) = head else {
        return false;
    };
    match head.as_slice() {
        [cmf, flg, ..] => {
            let check = u16::from(*cmf) << 8 | u16::from(*flg);
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && flg & 0x20 == 0 && check % 31 == 0
        }
        _ => false,
    }
}

/// The HMAC over the signed content (spec "Token" 2), ready to finalize or verify.
fn mac(
    key: &SecretKey,
    identifier: &str,
    sdkappid: u32,
    time: u64,
    expire: u64,
    userbuf_b64: Option<&str>,
) -> HmacSha256 {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(key.expose())
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()));
    let (mut a, mut t, mut e) = ([0u8; 20], [0u8; 20], [0u8; 20]);
    for (label, value) in [
        ("TLS.identifier:", identifier),
        ("TLS.sdkappid:", decimal(&mut a, u64::from(sdkappid))),
        ("TLS.time:", decimal(&mut t, time)),
        ("TLS.expire:", decimal(&mut e, expire)),
    ] {
        m.update(label.as_bytes());
        m.update(value.as_bytes());
        m.update(b"\n");
    }
    if let Some(b64) = userbuf_b64 {
        m.update(b"TLS.userbuf:");
        m.update(b64.as_bytes());
        m.update(b"\n");
    }
    m
}

/// `n` in decimal, written at the end of `buf`.
fn decimal(buf: &mut [u8; 20], mut n: u64) -> &str {
    let mut at = buf.len();
    while let Some(i) = at.checked_sub(1) {
        at = i;
        if let Some(slot) = buf.get_mut(i) {
            // `n % 10` is below 10, so the cast and the addition cannot overflow.
            *slot = b'0'.wrapping_add((n % 10) as u8);
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..)
        .and_then(|d| core::str::from_utf8(d).ok())
        .unwrap_or_default()
}

/// Why a document that did not deserialize is refused: `version` when its `TLS.ver` is a
/// string other than "2.0" (a future format), `malformed` otherwise.
fn refusal(json: &[u8]) -> Error {
    match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(v)
            if v.get("TLS.ver")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v != VERSION) =>
        {
            Error::Version
        }
        _ => Error::Malformed("document is not a usersig json object"),
    }
}

/// Standard base64 into Tencent's variant: `+`→`*`, `/`→`-`, `=`→`_`.
fn to_variant(s: String) -> String {
    let mut bytes = s.into_bytes();
    for b in &mut bytes {
        *b = match *b {
            b'+' => b'*',
            b'/' => b'-',
            b'=' => b'_',
            other => other,
        };
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Tencent's variant decoded strictly: the standard `+`, `/`, `=` are refused, the
/// variant's characters mapped back, then `STANDARD` (canonical padding, zero trailing
/// bits) decodes.
fn from_variant(token: &[u8]) -> Result<Vec<u8>, Error> {
    const BAD: Error = Error::Malformed("not tencent's base64 variant");
    let mut std = Vec::with_capacity(token.len());
    for &b in token {
        std.push(match b {
            b'*' => b'+',
            b'-' => b'/',
            b'_' => b'=',
            b'+' | b'/' | b'=' => return Err(BAD),
            other => other,
        });
    }
    STANDARD.decode(std).map_err(|_| BAD)
}

#[derive(Serialize)]
struct DocOut<'a> {
    #[serde(rename = "TLS.ver")]
    ver: &'a str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: u32,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<&'a str>,
    #[serde(rename = "TLS.sig")]
    sig: &'a str,
}

#[derive(Deserialize)]
struct DocIn {
    #[serde(rename = "TLS.ver")]
    ver: String,
    #[serde(rename = "TLS.identifier")]
    identifier: String,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: u32,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.userbuf", default)]
    userbuf: Option<String>,
    #[serde(rename = "TLS.sig")]
    sig: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const KEY: &str = "19d516b61b135f0afb8549dc19c471fbc0fb57412998ef06f6f5e02128ee72a2";
    /// npm tls-sig-api-v2 1.0.2, `genUserSig("FV-KOAuh9hHe387tNuI2H8GB", 86400)` at 1786343336.
    const NODE: &str = "eJwtjF0LgjAYRv-Le10yN51z0IVBZh9omOxecOr8qGVaYfTfA-XynPPwfCE5X42X7IADNhCsJlaZvPUqV5P2xfoUeUPploEkzOnD4YADtt8u22dWp1qrDLhp2y5GjBI8l161ErjpMEosQgidrfxo1UngjFoILReqAA6FH8dWWzejIOmx1fkoPMe8iKR5l77EuyrX1UPc3TCiaAO-P1UXNmA_";

    fn key() -> SecretKey {
        SecretKey::new(KEY).unwrap()
    }

    #[test]
    fn parses_and_verifies_the_node_reference() {
        let p = ParsedUserSig::parse(NODE).unwrap();
        assert_eq!(p.identifier, "FV-KOAuh9hHe387tNuI2H8GB");
        assert_eq!(
            (p.sdkappid, p.time, p.expire),
            (1_559_208_632, 1_786_343_336, 86_400)
        );
        assert_eq!(p.expires_at(), 1_786_429_736);
        assert!(p.identifier_meets_limits());
        p.verify(&key(), 1_559_208_632, 1_786_343_337).unwrap();
        assert_eq!(
            p.verify(&key(), 1_400_000_000, 1_786_343_337)
                .unwrap_err()
                .kind(),
            ErrorKind::Mismatch
        );
        assert_eq!(
            p.verify(&key(), 1_559_208_632, 1_786_429_736).unwrap_err(),
            Error::Expired {
                expired_at: 1_786_429_736,
                now: 1_786_429_736
            }
        );
        let other = SecretKey::new("0e764ef7").unwrap();
        assert_eq!(
            p.verify(&other, 1_559_208_632, 0).unwrap_err(),
            Error::Signature
        );
    }

    #[test]
    fn builds_the_same_document_as_the_reference() {
        let doc = UserSig::new(
            "FV-KOAuh9hHe387tNuI2H8GB",
            1_559_208_632,
            1_786_343_336,
            86_400,
        )
        .document(&key())
        .unwrap();
        let reference =
            small_zlib::decompress(&from_variant(NODE.as_bytes()).unwrap(), 4096).unwrap();
        assert_eq!(doc, reference);
    }

    #[test]
    fn decimal_writes_every_width() {
        let mut b = [0u8; 20];
        for n in [0, 7, 10, 86_400, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decimal(&mut b, n), n.to_string());
        }
    }

    #[test]
    fn the_variant_is_strict() {
        assert!(from_variant(b"AA__").is_ok());
        for bad in [
            &b"AA=="[..],
            b"ab+c",
            b"ab/c",
            b"AA_",
            b"AB__",
            b"A___",
            b"AA_A",
        ] {
            assert!(
                from_variant(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(to_variant("+/==".into()), "*-__");
    }

    fn token_of(json: &str) -> String {
        to_variant(STANDARD.encode(small_zlib::compress(json.as_bytes())))
    }

    #[test]
    fn documents_that_do_not_fit_are_refused() {
        let sig = STANDARD.encode([0u8; 32]);
        let ok = format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"a","TLS.sdkappid":1,"TLS.time":2,"TLS.expire":3,"TLS.sig":"{sig}","extra":[1]}}"#
        );
        assert!(ParsedUserSig::parse(&token_of(&ok)).is_ok());
        let cases = [
            (ok.replace("\"2.0\"", "\"3.0\""), ErrorKind::Version),
            (ok.replace("\"2.0\"", "2.0"), ErrorKind::Malformed),
            (
                ok.replace("\"TLS.time\":2", "\"TLS.time\":-2"),
                ErrorKind::Malformed,
            ),
            (
                ok.replace("\"TLS.time\":2", "\"TLS.time\":2.5"),
                ErrorKind::Malformed,
            ),
            (
                ok.replace("\"TLS.time\":2", "\"TLS.time\":\"2\""),
                ErrorKind::Malformed,
            ),
            (
                ok.replace("\"TLS.sdkappid\":1", "\"TLS.sdkappid\":4294967296"),
                ErrorKind::Malformed,
            ),
            (
                ok.replace(",\"extra\":[1]", ",\"TLS.time\":2"),
                ErrorKind::Malformed,
            ),
            (ok.replace(&sig, "AAAA"), ErrorKind::Malformed),
            (
                ok.replace("\"TLS.sig\"", "\"TLS.userbuf\":\"AA==\",\"TLS.sig\""),
                ErrorKind::Malformed,
            ),
            (
                r#"["2.0","a",1,2,3,null,"x"]"#.to_owned(),
                ErrorKind::Malformed,
            ),
            ("null".to_owned(), ErrorKind::Malformed),
            (format!("{ok} x"), ErrorKind::Malformed),
        ];
        for (json, kind) in cases {
            assert_eq!(
                ParsedUserSig::parse(&token_of(&json)).unwrap_err().kind(),
                kind,
                "{json}"
            );
        }
        assert!(ParsedUserSig::parse(&"A".repeat(MAX_TOKEN_LEN + 1)).is_err());
        assert!(ParsedUserSig::parse("").is_err());
    }

    #[test]
    fn python_layout_parses() {
        // The Python reference: `expire` before `time`, spaced separators.
        let k = key();
        let built = UserSig::new("u1", 1_400_000_000, 1_700_000_000, 600)
            .document(&k)
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&built).unwrap();
        let sig = v["TLS.sig"].as_str().unwrap();
        let py = format!(
            r#"{{"TLS.ver": "2.0", "TLS.identifier": "u1", "TLS.sdkappid": 1400000000, "TLS.expire": 600, "TLS.time": 1700000000, "TLS.sig": "{sig}"}}"#
        );
        let p = ParsedUserSig::parse(&token_of(&py)).unwrap();
        p.verify(&k, 1_400_000_000, 1_700_000_000).unwrap();
    }
}
