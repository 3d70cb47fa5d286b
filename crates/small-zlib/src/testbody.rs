//! Test inputs: realistic Agora 007 token bodies and arbitrary ones, as proptest strategies.
//!
//! The realistic bodies follow the 007 wire layout byte for byte (`bytes(signature) ||
//! string(app_id) || u32 issue_ts || u32 expire || u32 salt || u16 n || services`, services
//! sorted by type, little-endian, 16-bit length prefixes), written here so that this crate's
//! tests do not depend on the token crate. The signature, an HMAC-SHA256 in a real token, is
//! 32 arbitrary bytes: to a compressor both are incompressible noise.

use proptest::collection::vec;
use proptest::prelude::*;

/// The app id of the project's benchmark and conformance tokens.
pub(crate) const APP_ID: &[u8] = b"970CA35de60c44645bbae8a215061b33";

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{0,64}",
        "[0-9a-f]{32}",
        "[a-zA-Z0-9_-]{0,64}",
        any::<u32>().prop_map(|u| u.to_string()),
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ]
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// `u16 type || u16 n || (u16 id || u32 value) * n`, ids ascending.
fn put_head(out: &mut Vec<u8>, service: u16, privileges: &[(u16, u32)]) {
    out.extend_from_slice(&service.to_le_bytes());
    out.extend_from_slice(&(privileges.len() as u16).to_le_bytes());
    for (id, v) in privileges {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// One packed service: its type (for sorting) and its bytes.
type Service = (u16, Vec<u8>);

fn service() -> impl Strategy<Value = Service> {
    prop_oneof![
        // RTC: join only, or join and the three publish privileges.
        (text(), text(), any::<bool>()).prop_map(|(c, u, p)| {
            let privileges: Vec<(u16, u32)> =
                (1..if p { 5 } else { 2 }).map(|id| (id, 3600)).collect();
            let mut b = Vec::new();
            put_head(&mut b, 1, &privileges);
            put_str(&mut b, &c);
            put_str(&mut b, &u);
            (1, b)
        }),
        // RTM with the login privilege.
        text().prop_map(|u| {
            let mut b = Vec::new();
            put_head(&mut b, 2, &[(1, 3600)]);
            put_str(&mut b, &u);
            (2, b)
        }),
        // Chat, no privileges.
        text().prop_map(|u| {
            let mut b = Vec::new();
            put_head(&mut b, 5, &[]);
            put_str(&mut b, &u);
            (5, b)
        }),
        // aPaaS, no privileges, role -1.
        (text(), text()).prop_map(|(r, u)| {
            let mut b = Vec::new();
            put_head(&mut b, 7, &[]);
            put_str(&mut b, &r);
            put_str(&mut b, &u);
            b.extend_from_slice(&(-1i16).to_le_bytes());
            (7, b)
        }),
        // RTM2: resource types 0 and 1, each with one permission over the same list.
        (text(), vec(text(), 0..4)).prop_map(|(u, list)| {
            let mut b = Vec::new();
            put_head(&mut b, 8, &[]);
            put_str(&mut b, &u);
            b.extend_from_slice(&2u16.to_le_bytes());
            for r in 0..2u16 {
                b.extend_from_slice(&r.to_le_bytes());
                b.extend_from_slice(&1u16.to_le_bytes());
                b.extend_from_slice(&r.to_le_bytes());
                b.extend_from_slice(&(list.len() as u16).to_le_bytes());
                for s in &list {
                    put_str(&mut b, s);
                }
            }
            (8, b)
        }),
    ]
}

/// Realistic 007 bodies: one to three services with hex, uuid, numeric or word identifiers.
pub(crate) fn body() -> impl Strategy<Value = Vec<u8>> {
    (
        vec(service(), 1..4),
        any::<[u8; 32]>(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(|(mut services, signature, salt, ts)| {
            services.sort_by_key(|s| s.0); // stable, as the token crate sorts
            let mut b = vec![32, 0];
            b.extend_from_slice(&signature);
            b.extend_from_slice(&(APP_ID.len() as u16).to_le_bytes());
            b.extend_from_slice(APP_ID);
            b.extend_from_slice(&ts.to_le_bytes());
            b.extend_from_slice(&3600u32.to_le_bytes());
            b.extend_from_slice(&salt.to_le_bytes());
            b.extend_from_slice(&(services.len() as u16).to_le_bytes());
            for (_, s) in services {
                b.extend_from_slice(&s);
            }
            b
        })
}

/// Arbitrary inputs up to `max` bytes, from incompressible to highly repetitive: any bytes,
/// a 4-letter alphabet, a 16-letter one, and runs of a few repeated fragments.
pub(crate) fn random_body(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..max),
        vec(0u8..4, 0..max),
        vec(b'a'..b'q', 0..max),
        (vec(vec(any::<u8>(), 1..24), 1..8), vec(any::<u8>(), 0..max)).prop_map(
            |(pieces, picks)| {
                picks
                    .iter()
                    .flat_map(|&p| pieces[usize::from(p) % pieces.len()].clone())
                    .take(picks.len())
                    .collect()
            }
        ),
    ]
}

/// C zlib's level 6 (flate2 is built on libz in this workspace's tests), its length.
pub(crate) fn level6(data: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data).unwrap();
    e.finish().unwrap().len()
}

/// `miniz_oxide`'s level 6, its length.
pub(crate) fn miniz6(data: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6).len()
}

/// Inflates with C zlib (through flate2).
pub(crate) fn inflate(z: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(z)
        .read_to_end(&mut out)
        .unwrap();
    out
}
