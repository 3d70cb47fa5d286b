//! Little-endian packing shared by 006 and 007 (spec §1).

use std::collections::BTreeMap;

use crate::Error;

/// Appends packed values to a buffer.
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            buf: Vec::with_capacity(n),
        }
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// `u16 len || bytes`; refuses anything longer than 65535 bytes (never wraps).
    pub(crate) fn bytes(&mut self, v: &[u8], field: &'static str) -> Result<(), Error> {
        let len = u16::try_from(v.len()).map_err(|_| Error::TooLong { field })?;
        self.u16(len);
        self.buf.extend_from_slice(v);
        Ok(())
    }

    /// A count prefix for `n` following entries.
    pub(crate) fn count(&mut self, n: usize, field: &'static str) -> Result<(), Error> {
        let n = u16::try_from(n).map_err(|_| Error::TooLong { field })?;
        self.u16(n);
        Ok(())
    }

    /// `u16 count` then `(u16 id, u32 value)` in the order given (a privilege map's entries
    /// in ascending id order).
    pub(crate) fn privmap(
        &mut self,
        map: impl ExactSizeIterator<Item = (u16, u32)>,
    ) -> Result<(), Error> {
        self.count(map.len(), "privilege map")?;
        for (k, v) in map {
            self.u16(k);
            self.u32(v);
        }
        Ok(())
    }
}

/// Reads packed values; every short read is [`Error::Malformed`].
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

const TRUNCATED: Error = Error::Malformed("truncated");

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.buf.len() {
            return Err(TRUNCATED);
        }
        let (a, b) = self.buf.split_at(n);
        self.buf = b;
        Ok(a)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let s = self.take(N)?;
        <[u8; N]>::try_from(s).map_err(|_| TRUNCATED)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, Error> {
        self.array().map(u16::from_le_bytes)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        self.array().map(u32::from_le_bytes)
    }

    pub(crate) fn i16(&mut self) -> Result<i16, Error> {
        self.array().map(i16::from_le_bytes)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u16()?;
        self.take(usize::from(n))
    }

    pub(crate) fn string(&mut self) -> Result<String, Error> {
        let b = self.bytes()?;
        core::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| Error::Malformed("string is not utf-8"))
    }

    pub(crate) fn privmap(&mut self) -> Result<BTreeMap<u16, u32>, Error> {
        let n = self.u16()?;
        if n <= 4 {
            // The usual sizes (an RTC service has up to four privileges): built from an
            // array, sorted and bulk-loaded, instead of searched insert by insert. The sort
            // is stable and bulk loading keeps the last of equal ids, as inserting does.
            let mut a = [(0u16, 0u32); 4];
            for slot in a.iter_mut().take(usize::from(n)) {
                *slot = (self.u16()?, self.u32()?);
            }
            let [a0, a1, a2, a3] = a;
            return Ok(match n {
                0 => BTreeMap::new(),
                1 => BTreeMap::from([a0]),
                2 => BTreeMap::from([a0, a1]),
                3 => BTreeMap::from([a0, a1, a2]),
                _ => BTreeMap::from([a0, a1, a2, a3]),
            });
        }
        let mut map = BTreeMap::new();
        for _ in 0..n {
            let k = self.u16()?;
            let v = self.u32()?;
            map.insert(k, v);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privmap_is_insertion_semantics() {
        // Any order, repeated ids (the last one wins), every size around the small path.
        let mut seed = 0x2545_f491u32;
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let n = (seed % 7) as u16;
            let mut w = Writer::with_capacity(64);
            w.u16(n);
            let mut expected = BTreeMap::new();
            for i in 0..n {
                let id = ((seed >> (3 * i)) % 5) as u16;
                let v = seed.rotate_left(u32::from(i));
                w.u16(id);
                w.u32(v);
                expected.insert(id, v);
            }
            w.u16(0xabcd);
            let mut r = Reader::new(&w.buf);
            assert_eq!(r.privmap().unwrap(), expected);
            assert_eq!(r.u16().unwrap(), 0xabcd);
        }
        assert!(Reader::new(&[2, 0, 1, 0, 0, 0, 0, 0, 2]).privmap().is_err());
    }

    #[test]
    fn round_trip_and_limits() {
        let mut w = Writer::with_capacity(16);
        w.u16(0x0102);
        w.u32(0x0304_0506);
        w.i16(-1);
        w.bytes(b"ab", "x").unwrap();
        assert_eq!(w.buf, [2, 1, 6, 5, 4, 3, 0xff, 0xff, 2, 0, b'a', b'b']);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.u16().unwrap(), 0x0102);
        assert_eq!(r.u32().unwrap(), 0x0304_0506);
        assert_eq!(r.i16().unwrap(), -1);
        assert_eq!(r.string().unwrap(), "ab");
        assert!(r.is_empty());
        assert_eq!(r.u16().unwrap_err().kind(), crate::ErrorKind::Malformed);

        let big = vec![0u8; 65_536];
        assert_eq!(
            w.bytes(&big, "x").unwrap_err().kind(),
            crate::ErrorKind::InvalidInput
        );
        assert!(w.bytes(&big[..65_535], "x").is_ok());
    }
}
