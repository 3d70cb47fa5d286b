//! The binary layout, encryption and decryption.

use aes::Aes256;
use aes::cipher::block_padding::{NoPadding, Pkcs7};
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit};
use aes_gcm::aead::AeadInOut;
use aes_gcm::{Nonce, Tag};
use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::Simd;
use base64::engine::general_purpose::PAD;
use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess};

use crate::claims::{self, Claims};
use crate::json::{self, JsonError};
use crate::types::check_user_id;
use crate::{Error, Header, Mode, ServerSecret};

/// GCM tag length.
const TAG_LEN: usize = 16;
/// Largest value of a u16 length field.
const U16_MAX: usize = 0xffff;
/// Largest body: GCM, 8 + 2 + 12 + 2 + 65535 + 1 (CBC tops out at 65548).
pub(crate) const MAX_BODY_LEN: usize = 65_560;
/// Longest token string the parser accepts: `"04"` + padded base64 of the largest body.
pub const MAX_TOKEN_LEN: usize = 2 + MAX_BODY_LEN.div_ceil(3) * 4;
/// Longest plaintext (claims JSON) a GCM token can carry.
pub const MAX_GCM_PLAINTEXT_LEN: usize = U16_MAX - TAG_LEN;
/// Longest plaintext (claims JSON) a CBC token can carry.
pub const MAX_CBC_PLAINTEXT_LEN: usize = 65_519;

/// Strict padded standard base64 (canonical padding, no trailing bits),
/// using AVX2/NEON when the CPU has it.
static BASE64: LazyLock<Simd> = LazyLock::new(|| Simd::standard(PAD));

/// Everything that goes into one token.
pub(crate) struct SealInputs<'a> {
    pub(crate) mode: Mode,
    pub(crate) app_id: u32,
    pub(crate) user_id: &'a str,
    pub(crate) ctime: i64,
    pub(crate) expire: i64,
    pub(crate) nonce: i32,
    pub(crate) iv: &'a [u8],
    pub(crate) payload: &'a str,
}

/// Appends the claims JSON exactly as Go's `json.Marshal` writes it.
fn write_claims(out: &mut Vec<u8>, i: &SealInputs<'_>) {
    out.extend_from_slice(b"{\"app_id\":");
    json::write_u64(out, u64::from(i.app_id));
    out.extend_from_slice(b",\"user_id\":");
    json::write_str(out, i.user_id);
    out.extend_from_slice(b",\"ctime\":");
    json::write_i64(out, i.ctime);
    out.extend_from_slice(b",\"expire\":");
    json::write_i64(out, i.expire);
    out.extend_from_slice(b",\"nonce\":");
    json::write_i64(out, i64::from(i.nonce));
    out.extend_from_slice(b",\"payload\":");
    json::write_str(out, i.payload);
    out.push(b'}');
}

/// Builds a token from fully fixed inputs after validating them like the
/// public builders do. When `plaintext` is given, the claims JSON is copied
/// into it.
pub(crate) fn seal(
    secret: &ServerSecret,
    i: &SealInputs<'_>,
    plaintext: Option<&mut String>,
) -> Result<String, Error> {
    let max_pt = check_inputs(i)?;
    let mut body = lay_out(i, max_pt)?;
    if let Some(out) = plaintext {
        let pt = body.bytes.get(body.hdr..).unwrap_or_default();
        *out = String::from_utf8(pt.to_vec()).unwrap_or_default();
    }
    encrypt_in_place(secret, i, &mut body)?;
    encode(&body.bytes)
}

/// Validates the inputs like the public builders do; returns the longest
/// plaintext the mode can carry.
fn check_inputs(i: &SealInputs<'_>) -> Result<usize, Error> {
    if i.app_id == 0 {
        return Err(Error::InvalidAppId);
    }
    check_user_id(i.user_id)?;
    match i.expire.checked_sub(i.ctime) {
        Some(effective) if effective > 0 => {}
        _ => return Err(Error::InvalidEffectiveTime),
    }
    if i.iv.len() != i.mode.iv_len() {
        return Err(Error::InvalidIvLength);
    }
    let max_pt = match i.mode {
        Mode::Gcm => MAX_GCM_PLAINTEXT_LEN,
        Mode::Cbc => MAX_CBC_PLAINTEXT_LEN,
    };
    // Escaping only lengthens strings, so this cheap check refuses huge
    // inputs before any work; the exact check follows the write.
    if i.user_id.len().saturating_add(i.payload.len()) > max_pt {
        return Err(Error::TooLong);
    }
    Ok(max_pt)
}

/// A body being sealed: header and plaintext, then ciphertext in place.
struct SealBody {
    bytes: Vec<u8>,
    /// Header length: where the plaintext (later the ciphertext) starts.
    hdr: usize,
    /// Plaintext length.
    pt_len: usize,
    /// Ciphertext length (GCM: without the tag).
    ct_len: usize,
}

/// Writes the header and the claims JSON, refuses a plaintext over `max_pt`,
/// and patches the IV and ciphertext length fields.
fn lay_out(i: &SealInputs<'_>, max_pt: usize) -> Result<SealBody, Error> {
    // Fixed JSON text (61 bytes) + four integers + the raw strings + room
    // for some escapes, the GCM tag and mode byte or the CBC padding.
    let pt_guess = i
        .user_id
        .len()
        .saturating_add(i.payload.len())
        .saturating_add(61 + 4 * json::I64_MAX_LEN + 64);
    let hdr = i.mode.iv_len().saturating_add(12);
    let mut body = Vec::with_capacity(hdr.saturating_add(pt_guess).saturating_add(TAG_LEN + 1));
    body.extend_from_slice(&i.expire.to_be_bytes());
    body.extend_from_slice(&[0, 0]); // IV length, patched below
    body.extend_from_slice(i.iv);
    body.extend_from_slice(&[0, 0]); // ciphertext length, patched below
    write_claims(&mut body, i);
    let pt_len = body.len().saturating_sub(hdr);
    if pt_len > max_pt {
        return Err(Error::TooLong);
    }
    let ct_len = match i.mode {
        Mode::Gcm => pt_len.saturating_add(TAG_LEN),
        Mode::Cbc => (pt_len / 16).saturating_add(1).saturating_mul(16),
    };
    let iv_len = u16::try_from(i.iv.len()).map_err(|_| Error::InvalidIvLength)?;
    let ct_len16 = u16::try_from(ct_len).map_err(|_| Error::TooLong)?;
    if let Some(f) = body.get_mut(8..10) {
        f.copy_from_slice(&iv_len.to_be_bytes());
    }
    if let Some(f) = body.get_mut(hdr.saturating_sub(2)..hdr) {
        f.copy_from_slice(&ct_len16.to_be_bytes());
    }
    Ok(SealBody {
        bytes: body,
        hdr,
        pt_len,
        ct_len,
    })
}

/// Encrypts the plaintext in place (GCM: then appends the tag and the mode
/// byte; CBC: pads it).
fn encrypt_in_place(
    secret: &ServerSecret,
    i: &SealInputs<'_>,
    body: &mut SealBody,
) -> Result<(), Error> {
    let hdr = body.hdr;
    match i.mode {
        Mode::Gcm => {
            let nonce = Nonce::try_from(i.iv).map_err(|_| Error::InvalidIvLength)?;
            let msg = body.bytes.get_mut(hdr..).ok_or(Error::TooLong)?;
            let tag = secret
                .gcm()
                .encrypt_inout_detached(&nonce, &[], msg.into())
                .map_err(|_| Error::TooLong)?;
            body.bytes.extend_from_slice(&tag);
            body.bytes.push(1);
        }
        Mode::Cbc => {
            body.bytes.resize(hdr.saturating_add(body.ct_len), 0);
            let enc = cbc::Encryptor::<Aes256>::inner_iv_slice_init(secret.aes().clone(), i.iv)
                .map_err(|_| Error::InvalidIvLength)?;
            let buf = body.bytes.get_mut(hdr..).ok_or(Error::TooLong)?;
            enc.encrypt_padded::<Pkcs7>(buf, body.pt_len)
                .map_err(|_| Error::TooLong)?;
        }
    }
    Ok(())
}

/// `"04"` followed by the padded base64 of `body`.
fn encode(body: &[u8]) -> Result<String, Error> {
    let b64_len = base64::encoded_len(body.len(), true).ok_or(Error::TooLong)?;
    let mut token = vec![0u8; b64_len.saturating_add(2)];
    let (prefix, b64) = token.split_at_mut_checked(2).ok_or(Error::TooLong)?;
    prefix.copy_from_slice(b"04");
    BASE64.encode_slice(body, b64).map_err(|_| Error::TooLong)?;
    // Only ASCII was written.
    String::from_utf8(token).map_err(|_| Error::TooLong)
}

/// Where the pieces of a decoded body are.
struct Layout {
    header: Header,
}

impl Layout {
    const IV_START: usize = 10;

    fn ct_start(&self) -> usize {
        12usize.saturating_add(self.header.iv_len)
    }
}

/// Checks the prefix and length, then strictly decodes the base64 body.
fn decode(token: &str) -> Result<Vec<u8>, Error> {
    let (prefix, b64) = token
        .as_bytes()
        .split_at_checked(2)
        .ok_or(Error::Malformed("token too short"))?;
    if prefix != b"04" {
        return Err(Error::Version);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::Malformed("token too long"));
    }
    let mut body = vec![0u8; b64.len().div_ceil(4).saturating_mul(3)];
    let n = BASE64
        .decode_slice(b64, &mut body)
        .map_err(|_| Error::Malformed("invalid base64"))?;
    body.truncate(n);
    Ok(body)
}

fn take<'a>(rest: &mut &'a [u8], n: usize, what: &'static str) -> Result<&'a [u8], Error> {
    let (head, tail) = rest.split_at_checked(n).ok_or(Error::Malformed(what))?;
    *rest = tail;
    Ok(head)
}

fn take_u16(rest: &mut &[u8], what: &'static str) -> Result<usize, Error> {
    let b: [u8; 2] = take(rest, 2, what)?
        .try_into()
        .map_err(|_| Error::Malformed(what))?;
    Ok(usize::from(u16::from_be_bytes(b)))
}

/// Bounds-checked walk of the body layout.
fn walk(body: &[u8]) -> Result<Layout, Error> {
    let mut rest = body;
    let expire: [u8; 8] = take(&mut rest, 8, "truncated expiry")?
        .try_into()
        .map_err(|_| Error::Malformed("truncated expiry"))?;
    let iv_len = take_u16(&mut rest, "truncated iv length")?;
    take(&mut rest, iv_len, "truncated iv")?;
    let ct_len = take_u16(&mut rest, "truncated ciphertext length")?;
    take(&mut rest, ct_len, "truncated ciphertext")?;
    let mode = match rest {
        [] | [0] => Mode::Cbc,
        [1] => Mode::Gcm,
        [_] => return Err(Error::Malformed("unknown mode byte")),
        _ => return Err(Error::Malformed("trailing bytes")),
    };
    if iv_len != mode.iv_len() {
        return Err(Error::Malformed("iv length does not match the mode"));
    }
    let ct_ok = match mode {
        Mode::Gcm => ct_len >= TAG_LEN,
        Mode::Cbc => ct_len > 0 && ct_len % 16 == 0,
    };
    if !ct_ok {
        return Err(Error::Malformed("bad ciphertext length"));
    }
    Ok(Layout {
        header: Header {
            mode,
            expire: i64::from_be_bytes(expire),
            iv_len,
            ciphertext_len: ct_len,
        },
    })
}

/// Reads the unauthenticated header.
pub(crate) fn inspect(token: &str) -> Result<Header, Error> {
    let body = decode(token)?;
    walk(&body).map(|l| l.header)
}

/// Decodes, decrypts and reads a token (no expiry check).
pub(crate) fn open(token: &str, secret: &ServerSecret) -> Result<Claims, Error> {
    let mut body = decode(token)?;
    let layout = walk(&body)?;
    let header = layout.header;
    let (head, rest) = body
        .split_at_mut_checked(layout.ct_start())
        .ok_or(Error::Malformed("truncated ciphertext"))?;
    let iv = head
        .get(Layout::IV_START..Layout::IV_START.saturating_add(header.iv_len))
        .ok_or(Error::Malformed("truncated iv"))?;
    let ct = rest
        .get_mut(..header.ciphertext_len)
        .ok_or(Error::Malformed("truncated ciphertext"))?;

    let claims = match header.mode {
        Mode::Gcm => open_gcm(secret, iv, ct)?,
        Mode::Cbc => open_cbc(secret, iv, ct)?,
    };
    if claims.expire != header.expire {
        return Err(Error::Malformed("header expiry differs from the claims"));
    }
    Ok(claims)
}

fn open_gcm(secret: &ServerSecret, iv: &[u8], ct: &mut [u8]) -> Result<Claims, Error> {
    let nonce = Nonce::try_from(iv).map_err(|_| Error::Malformed("bad iv length"))?;
    let split = ct.len().saturating_sub(TAG_LEN);
    let (msg, tag) = ct
        .split_at_mut_checked(split)
        .ok_or(Error::Malformed("bad ciphertext length"))?;
    let tag = Tag::try_from(&*tag).map_err(|_| Error::Malformed("bad ciphertext length"))?;
    secret
        .gcm()
        .decrypt_inout_detached(&nonce, &[], (&mut *msg).into(), &tag)
        .map_err(|_| Error::Decrypt)?;
    // Authenticated: whatever is wrong now was written by a key holder.
    let text = core::str::from_utf8(msg).map_err(|_| Error::Malformed("claims are not utf-8"))?;
    claims::read(text, Mode::Gcm).map_err(|e| match e {
        JsonError::Syntax => Error::Malformed("claims are not valid json"),
        JsonError::Shape(why) => Error::Malformed(why),
    })
}

/// CBC is unauthenticated, so everything an attacker can steer blindly
/// (padding, UTF-8, JSON syntax) gives the one opaque [`Error::Decrypt`];
/// the padding check runs without early exit and the JSON is read whether
/// or not the padding was good, to keep timing alike.
fn open_cbc(secret: &ServerSecret, iv: &[u8], ct: &mut [u8]) -> Result<Claims, Error> {
    let dec = cbc::Decryptor::<Aes256>::inner_iv_slice_init(secret.aes().clone(), iv)
        .map_err(|_| Error::Malformed("bad iv length"))?;
    let pt = dec
        .decrypt_padded::<NoPadding>(ct)
        .map_err(|_| Error::Malformed("bad ciphertext length"))?;
    let (pad_ok, content_len) = check_pkcs7(pt);
    let content = pt.get(..content_len).unwrap_or_default();
    let parsed = match core::str::from_utf8(content) {
        Ok(text) => claims::read(text, Mode::Cbc),
        Err(_) => Err(JsonError::Syntax),
    };
    if !pad_ok {
        return Err(Error::Decrypt);
    }
    parsed.map_err(|e| match e {
        JsonError::Syntax => Error::Decrypt,
        JsonError::Shape(why) => Error::Malformed(why),
    })
}

/// Strict PKCS#7 check (last byte 1..=16, all pad bytes equal) without
/// data-dependent branches. Returns validity and the unpadded length (the
/// whole length when invalid).
fn check_pkcs7(pt: &[u8]) -> (bool, usize) {
    let Some(last_block) = pt.len().checked_sub(16).and_then(|s| pt.get(s..)) else {
        return (false, pt.len());
    };
    let pad = last_block.last().copied().unwrap_or(0);
    let mut ok = !pad.ct_eq(&0) & !pad.ct_gt(&16);
    for (i, b) in (0u8..).zip(last_block.iter().rev()) {
        let in_pad = i.ct_lt(&pad);
        ok &= !in_pad | b.ct_eq(&pad);
    }
    let full = pt.len() as u64;
    let stripped = full.saturating_sub(u64::from(pad));
    let len = u64::conditional_select(&full, &stripped, ok);
    let ok: bool = ok.into();
    (ok, usize::try_from(len).unwrap_or(pt.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(MAX_TOKEN_LEN, 87_418);
        assert_eq!(MAX_BODY_LEN, 8 + 2 + 12 + 2 + U16_MAX + 1);
        assert_eq!((MAX_CBC_PLAINTEXT_LEN / 16 + 1) * 16, 65_520);
        assert_eq!(((MAX_CBC_PLAINTEXT_LEN + 1) / 16 + 1) * 16, 65_536);
    }

    /// The SIMD engine must be exactly as strict as the scalar standard one.
    #[test]
    fn simd_base64_matches_scalar() {
        use base64::engine::general_purpose::STANDARD;
        let mut cases: Vec<String> = vec![
            "".into(),
            "=".into(),
            "A".into(),
            "AA".into(),
            "AA=".into(),
            "AA==".into(),
            "AB==".into(),
            "AAA=".into(),
            "AAB=".into(),
            "AAAA".into(),
            "AAAA====".into(),
            "AA==AA==".into(),
            "A A=".into(),
            "AA-_".into(),
            "AA\n==".into(),
        ];
        let mut x = 0x1234_5678_u32;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x.to_le_bytes()[0]
                })
                .collect();
            let enc = STANDARD.encode(&bytes);
            assert_eq!(BASE64.encode(&bytes), enc);
            cases.push(enc.clone());
            // Corrupt one character in a few ways.
            for (i, c) in [(0usize, '*'), (len / 2, '-'), (len, '='), (len + 1, 'B')] {
                if let Some(pos) = enc.char_indices().nth(i).map(|(p, _)| p) {
                    let mut m = enc.clone();
                    m.replace_range(pos..=pos, &c.to_string());
                    cases.push(m);
                }
            }
            cases.push(format!("{enc}A"));
            cases.push(enc.trim_end_matches('=').to_string());
        }
        for c in cases {
            let want = STANDARD.decode(&c).ok();
            let mut buf = vec![0u8; c.len().div_ceil(4) * 3];
            let got = BASE64
                .decode_slice(&c, &mut buf)
                .ok()
                .map(|n| buf[..n].to_vec());
            assert_eq!(got, want, "{c:?}");
        }
    }

    #[test]
    fn pkcs7() {
        let mut b = [7u8; 32];
        assert_eq!(check_pkcs7(&b), (true, 25));
        b[31] = 16;
        assert_eq!(check_pkcs7(&b), (false, 32));
        b[16..].fill(16);
        assert_eq!(check_pkcs7(&b), (true, 16));
        b[31] = 0;
        assert_eq!(check_pkcs7(&b), (false, 32));
        b[31] = 17;
        assert_eq!(check_pkcs7(&b), (false, 32));
        b[30] = 2;
        b[31] = 1;
        assert_eq!(check_pkcs7(&b), (true, 31));
        b[31] = 2;
        assert_eq!(check_pkcs7(&b), (true, 30));
        assert_eq!(check_pkcs7(&[1u8; 15]), (false, 15));
    }

    #[test]
    fn walk_rules() {
        let mut gcm = vec![0u8; 8];
        gcm.extend_from_slice(&12u16.to_be_bytes());
        gcm.extend_from_slice(&[0; 12]);
        gcm.extend_from_slice(&16u16.to_be_bytes());
        gcm.extend_from_slice(&[0; 16]);
        gcm.push(1);
        assert_eq!(walk(&gcm).unwrap().header.mode, Mode::Gcm);
        let mut two = gcm.clone();
        two.push(0);
        assert_eq!(walk(&two).err(), Some(Error::Malformed("trailing bytes")));
        let mut other = gcm.clone();
        if let Some(b) = other.last_mut() {
            *b = 2;
        }
        assert_eq!(
            walk(&other).err(),
            Some(Error::Malformed("unknown mode byte"))
        );
        let mut as_cbc = gcm.clone();
        as_cbc.pop();
        assert!(walk(&as_cbc).is_err()); // 12-byte IV without mode byte
        for cut in 0..gcm.len() {
            assert!(walk(&gcm[..cut]).is_err());
        }
    }
}
