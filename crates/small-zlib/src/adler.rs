//! Adler-32 (RFC 1950), the zlib stream's trailer checksum.

/// Adler-32 (RFC 1950), sixteen bytes per step: the byte sums and position-weighted sums
/// of two little-endian `u64`s come from multiplications of their 16-bit lanes (every
/// partial sum stays below 2^16, so the top lane of each product is exact). The same sums
/// as the byte loop of `adler32_bytewise` (the tests' reference), regrouped; reduced every
/// 5552 bytes likewise. The encoder and the inflater both use it.
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    const LANES: u64 = 0x00ff_00ff_00ff_00ff;
    /// The top lane of `lanes * k`: the lanes (bytes 0, 2, 4, 6 or 1, 3, 5, 7) weighted by
    /// `k`'s lanes in reverse.
    const fn dot(lanes: u64, k: u64) -> u32 {
        (lanes.wrapping_mul(k) >> 48) as u32
    }
    const ONES: u64 = 0x0001_0001_0001_0001;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        let (pairs, tail) = block.as_chunks::<16>();
        for p in pairs {
            let (lo, hi) = p.split_at(8);
            let (Ok(lo), Ok(hi)) = (<[u8; 8]>::try_from(lo), <[u8; 8]>::try_from(hi)) else {
                continue;
            };
            let (w0, w1) = (u64::from_le_bytes(lo), u64::from_le_bytes(hi));
            let (e0, o0) = (w0 & LANES, (w0 >> 8) & LANES);
            let (e1, o1) = (w1 & LANES, (w1 >> 8) & LANES);
            // Byte i of the 16 weighs 16 - i in `b`: 8 more than in its own word for w0.
            let s0 = dot(e0.wrapping_add(o0), ONES);
            let s1 = dot(e1.wrapping_add(o1), ONES);
            let weighted = dot(e0.wrapping_add(e1), 0x0008_0006_0004_0002)
                .wrapping_add(dot(o0.wrapping_add(o1), 0x0007_0005_0003_0001))
                .wrapping_add(s0.wrapping_mul(8));
            b = b.wrapping_add(a.wrapping_mul(16)).wrapping_add(weighted);
            a = a.wrapping_add(s0).wrapping_add(s1);
        }
        for &x in tail {
            a = a.wrapping_add(u32::from(x));
            b = b.wrapping_add(a);
        }
        a = a.wrapping_rem(MOD);
        b = b.wrapping_rem(MOD);
    }
    (b << 16) | a
}

/// Adler-32 (RFC 1950), byte by byte: the reference for [`adler32`].
#[cfg(test)]
fn adler32_bytewise(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a = a.wrapping_add(u32::from(x));
            b = b.wrapping_add(a);
        }
        a = a.wrapping_rem(MOD);
        b = b.wrapping_rem(MOD);
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_matches_the_byte_loop() {
        let data: Vec<u8> = (0..40_000u32)
            .map(|i| (i.wrapping_mul(2654435761u32) >> 7) as u8)
            .collect();
        for len in (0..100).chain([5551, 5552, 5553, 11_104, 11_111, 40_000]) {
            assert_eq!(adler32(&data[..len]), adler32_bytewise(&data[..len]));
            let ff = vec![0xffu8; len];
            assert_eq!(adler32(&ff), adler32_bytewise(&ff));
        }
    }
}
