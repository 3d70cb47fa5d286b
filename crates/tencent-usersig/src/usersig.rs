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
use base64::alphabet::{self, Alphabet};
use base64::engine::GeneralPurpose;
use base64::engine::general_purpose::{PAD, STANDARD};
use hmac::Mac;
use serde::Deserialize;

use crate::userbuf::PrivateMapKey;
use crate::{Error, HmacSha256, MAX_INFLATED_LEN, MAX_TOKEN_LEN, SdkAppId, SecretKey};

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
    /// Written directly (the bytes `serde_json::to_vec` gives for the same fields, a test
    /// checks; see `docs/design/tencent-usersig-speed.md` for why not through serde).
    ///
    /// # Errors
    /// None in practice: the result is kept fallible for the callers of its first version.
    pub fn document(&self, key: &SecretKey) -> Result<Vec<u8>, Error> {
        let userbuf_len = self
            .userbuf
            .as_ref()
            .map_or(0, |b| b.len().div_ceil(3).saturating_mul(4));
        let mut doc = String::with_capacity(
            DOC_FIXED_LEN
                .saturating_add(self.identifier.len().saturating_mul(6))
                .saturating_add(userbuf_len),
        );
        let (mut a, mut t, mut e) = ([0u8; 20], [0u8; 20], [0u8; 20]);
        let (sdkappid, time, expire) = (
            decimal(&mut a, u64::from(self.sdkappid)),
            decimal(&mut t, self.time),
            decimal(&mut e, self.expire),
        );
        doc.push_str("{\"TLS.ver\":\"");
        doc.push_str(VERSION);
        doc.push_str("\",\"TLS.identifier\":\"");
        push_json_escaped(&mut doc, &self.identifier);
        doc.push_str("\",\"TLS.sdkappid\":");
        doc.push_str(sdkappid);
        doc.push_str(",\"TLS.time\":");
        doc.push_str(time);
        doc.push_str(",\"TLS.expire\":");
        doc.push_str(expire);
        let mut m = mac_fields(key, &self.identifier, sdkappid, time, expire);
        if let Some(userbuf) = &self.userbuf {
            doc.push_str(",\"TLS.userbuf\":\"");
            let start = doc.len();
            STANDARD.encode_string(userbuf, &mut doc);
            mac_userbuf(&mut m, doc.get(start..).unwrap_or_default());
            doc.push('"');
        }
        doc.push_str(",\"TLS.sig\":\"");
        let mut sig = [0u8; 44];
        let n = STANDARD
            .encode_slice(m.finalize().into_bytes(), &mut sig)
            .unwrap_or(0);
        doc.push_str(core::str::from_utf8(sig.get(..n).unwrap_or_default()).unwrap_or_default());
        doc.push_str("\"}");
        Ok(doc.into_bytes())
    }

    /// The token: the signed document, zlib-compressed, in the base64 variant.
    ///
    /// # Errors
    /// As [`Self::document`].
    pub fn to_token(&self, key: &SecretKey) -> Result<String, Error> {
        let z = small_zlib::compress(&self.document(key)?);
        Ok(VARIANT.encode(z))
    }
}

/// The document's length without the identifier and the userbuf (the longest numbers).
const DOC_FIXED_LEN: usize = 160;

/// Appends `s` as the inside of a JSON string, escaped exactly as `serde_json` escapes
/// (`\"`, `\\`, `\b \t \n \f \r`, other control characters as `\u00xx`, lowercase;
/// everything else, `/`, DEL and non-ASCII included, as it is).
fn push_json_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut plain = 0usize;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0a => "\\n",
            0x0c => "\\f",
            0x0d => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(plain..i).unwrap_or_default());
        plain = i.wrapping_add(1);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(
                HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
            ));
            out.push(char::from(
                HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
            ));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(s.get(plain..).unwrap_or_default());
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
    pub fn verify(&self, key: &SecretKey, sdkappid: SdkAppId, now: u64) -> Result<(), Error> {
        self.verify_signature(key)?;
        if self.sdkappid != sdkappid.get() {
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
    let (mut a, mut t, mut e) = ([0u8; 20], [0u8; 20], [0u8; 20]);
    let mut m = mac_fields(
        key,
        identifier,
        decimal(&mut a, u64::from(sdkappid)),
        decimal(&mut t, time),
        decimal(&mut e, expire),
    );
    if let Some(b64) = userbuf_b64 {
        mac_userbuf(&mut m, b64);
    }
    m
}

/// The HMAC over the four fields every token signs (numbers in decimal).
fn mac_fields(
    key: &SecretKey,
    identifier: &str,
    sdkappid: &str,
    time: &str,
    expire: &str,
) -> HmacSha256 {
    let mut m = key.mac();
    for (label, value) in [
        ("TLS.identifier:", identifier),
        ("TLS.sdkappid:", sdkappid),
        ("TLS.time:", time),
        ("TLS.expire:", expire),
    ] {
        m.update(label.as_bytes());
        m.update(value.as_bytes());
        m.update(b"\n");
    }
    m
}

/// Adds the userbuf line (its standard base64) to the HMAC.
fn mac_userbuf(m: &mut HmacSha256, userbuf_b64: &str) {
    m.update(b"TLS.userbuf:");
    m.update(userbuf_b64.as_bytes());
    m.update(b"\n");
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

/// Tencent's base64 variant: the standard alphabet with `*` and `-` for `+` and `/`,
/// padded with `_` for `=`.
// Evaluated at compile time: an invalid alphabet fails the build, never a run.
#[allow(clippy::panic)]
const VARIANT_ALPHABET: Alphabet = {
    let Some(pad) = alphabet::Symbol::new(b'_') else {
        panic!("'_' is a base64 symbol")
    };
    match Alphabet::new_with_padding(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-",
        pad,
    ) {
        Ok(a) => a,
        Err(_) => panic!("the variant alphabet is valid"),
    }
};

/// The variant's engine, as strict as `STANDARD`: canonical padding, zero trailing bits;
/// the standard `+`, `/` and `=` are not in its alphabet, so they are refused.
const VARIANT: GeneralPurpose = GeneralPurpose::new(&VARIANT_ALPHABET, PAD);

/// Tencent's variant decoded strictly (see [`VARIANT`]).
fn from_variant(token: &[u8]) -> Result<Vec<u8>, Error> {
    VARIANT
        .decode(token)
        .map_err(|_| Error::Malformed("not tencent's base64 variant"))
}

/// The document as serde writes it: the test oracle of [`UserSig::document`].
#[cfg(test)]
#[derive(serde::Serialize)]
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
        p.verify(&key(), SdkAppId::new(1_559_208_632).unwrap(), 1_786_343_337)
            .unwrap();
        assert_eq!(
            p.verify(&key(), SdkAppId::new(1_400_000_000).unwrap(), 1_786_343_337)
                .unwrap_err()
                .kind(),
            ErrorKind::Mismatch
        );
        assert_eq!(
            p.verify(&key(), SdkAppId::new(1_559_208_632).unwrap(), 1_786_429_736)
                .unwrap_err(),
            Error::Expired {
                expired_at: 1_786_429_736,
                now: 1_786_429_736
            }
        );
        let other = SecretKey::new("0e764ef7").unwrap();
        assert_eq!(
            p.verify(&other, SdkAppId::new(1_559_208_632).unwrap(), 0)
                .unwrap_err(),
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

    /// The document as `serde_json` writes it (the writer before `document` wrote it).
    fn serde_document(doc: &UserSig, key: &SecretKey) -> Vec<u8> {
        let userbuf = doc.userbuf.as_deref().map(|b| STANDARD.encode(b));
        let m = mac(
            key,
            &doc.identifier,
            doc.sdkappid,
            doc.time,
            doc.expire,
            userbuf.as_deref(),
        );
        let sig = STANDARD.encode(m.finalize().into_bytes());
        serde_json::to_vec(&DocOut {
            ver: VERSION,
            identifier: &doc.identifier,
            sdkappid: doc.sdkappid,
            time: doc.time,
            expire: doc.expire,
            userbuf: userbuf.as_deref(),
            sig: &sig,
        })
        .unwrap()
    }

    #[test]
    fn document_escapes_every_ascii_character_as_serde_does() {
        let all: String = (0u8..=0x7f).map(char::from).collect();
        for identifier in [all.as_str(), "", "a\"b", "\u{2028}日本\u{7f}\u{0}", "\\\\/"] {
            for userbuf in [None, Some(vec![]), Some(vec![0xfb; 7])] {
                let mut doc = UserSig::new(identifier, u32::MAX, u64::MAX, 0);
                doc.userbuf = userbuf;
                assert_eq!(doc.document(&key()).unwrap(), serde_document(&doc, &key()));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn document_is_what_serde_writes(
            identifier in proptest::prelude::any::<String>(),
            sdkappid: u32,
            time: u64,
            expire: u64,
            userbuf in proptest::option::of(proptest::collection::vec(0u8..=255, 0..300)),
        ) {
            let mut doc = UserSig::new(identifier, sdkappid, time, expire);
            doc.userbuf = userbuf;
            proptest::prop_assert_eq!(doc.document(&key()).unwrap(), serde_document(&doc, &key()));
        }
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
        assert_eq!(VARIANT.encode([0xfb, 0xff]), "*-8_");
        assert_eq!(VARIANT.encode([0xfc]), "-A__");
    }

    fn token_of(json: &str) -> String {
        VARIANT.encode(small_zlib::compress(json.as_bytes()))
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
        p.verify(&k, SdkAppId::new(1_400_000_000).unwrap(), 1_700_000_000)
            .unwrap();
    }
}
