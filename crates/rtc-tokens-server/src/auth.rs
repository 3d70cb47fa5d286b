//! API keys (compared in constant time), the per-key rate limiter and the
//! per-client-address one.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The shortest API key accepted: shorter ones are guessable.
pub const MIN_API_KEY_LEN: usize = 16;

/// The accepted API keys, kept only as SHA-256 digests.
///
/// A presented key is hashed and compared with every digest in constant
/// time, so neither the comparison nor which key matched leaks through timing.
/// `Debug` shows only fingerprints (the first 8 hex digits of each digest),
/// which are also what the access log names.
#[derive(Clone, Default)]
pub struct ApiKeys {
    digests: Vec<[u8; 32]>,
    fingerprints: Vec<String>,
}

impl fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKeys")
            .field("fingerprints", &self.fingerprints)
            .finish()
    }
}

/// A key that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKey {
    /// 1-based position of the bad key in its list.
    pub position: usize,
    /// What is wrong with it (never the key itself).
    pub problem: &'static str,
}

impl fmt::Display for BadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key #{}: {}", self.position, self.problem)
    }
}

impl std::error::Error for BadKey {}

impl ApiKeys {
    /// Keys from an iterator; surrounding whitespace is trimmed, empty entries skipped,
    /// duplicates kept once.
    ///
    /// # Errors
    ///
    /// When a key is shorter than [`MIN_API_KEY_LEN`] or contains whitespace or
    /// control characters.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<Self, BadKey> {
        let mut out = Self::default();
        for (i, key) in keys
            .into_iter()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .enumerate()
        {
            let position = i.saturating_add(1);
            if key.len() < MIN_API_KEY_LEN {
                return Err(BadKey {
                    position,
                    problem: "shorter than 16 characters",
                });
            }
            if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(BadKey {
                    position,
                    problem: "contains whitespace or control characters",
                });
            }
            let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
            if out.digests.contains(&digest) {
                continue;
            }
            out.fingerprints.push(fingerprint(&digest));
            out.digests.push(digest);
        }
        Ok(out)
    }

    /// Keys from a file's text: one per line, `#` comments and blank lines ignored.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub fn from_lines(text: &str) -> Result<Self, BadKey> {
        Self::new(text.lines().map(str::trim).filter(|l| !l.starts_with('#')))
    }

    /// Adds the keys of `other`.
    #[must_use]
    pub fn merged(mut self, other: Self) -> Self {
        for (d, f) in other.digests.into_iter().zip(other.fingerprints) {
            if !self.digests.contains(&d) {
                self.digests.push(d);
                self.fingerprints.push(f);
            }
        }
        self
    }

    /// How many keys are accepted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether no key is accepted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// The index of the key `presented` matches, checked against every key in
    /// constant time.
    #[must_use]
    pub fn check(&self, presented: &str) -> Option<usize> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for (i, d) in self.digests.iter().enumerate() {
            if bool::from(d.ct_eq(&digest)) {
                found = Some(i);
            }
        }
        found
    }

    /// The fingerprint of key `index` (first 8 hex digits of its SHA-256).
    #[must_use]
    pub fn fingerprint(&self, index: usize) -> Option<&str> {
        self.fingerprints.get(index).map(String::as_str)
    }
}

fn fingerprint(digest: &[u8; 32]) -> String {
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// A lock-free token-bucket limiter with one bucket per API key (GCRA).
///
/// Each bucket is one atomic "theoretical arrival time": a request at `now`
/// is allowed when, after charging one emission interval, the bucket is at
/// most `burst` intervals ahead of `now`.
#[derive(Debug)]
pub struct RateLimiter {
    start: Instant,
    interval_ns: u64,
    tolerance_ns: u64,
    buckets: Box<[AtomicU64]>,
}

impl RateLimiter {
    /// `per_minute` requests a minute per bucket on average, bursts of up to
    /// `burst`, for `buckets` buckets. `per_minute` and `burst` must be non-zero.
    #[must_use]
    pub fn new(per_minute: u32, burst: u32, buckets: usize) -> Self {
        let interval_ns = 60_000_000_000 / u64::from(per_minute.max(1));
        Self {
            start: Instant::now(),
            interval_ns,
            tolerance_ns: interval_ns.saturating_mul(u64::from(burst.max(1))),
            buckets: (0..buckets.max(1)).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Takes one token from `bucket`, or says how long to wait for one.
    ///
    /// # Errors
    ///
    /// The time until a request would be allowed.
    pub fn check(&self, bucket: usize) -> Result<(), Duration> {
        let Some(cell) = self.buckets.get(bucket) else {
            return Ok(());
        };
        let now = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let mut tat = cell.load(Ordering::Relaxed);
        loop {
            let new_tat = gcra(tat, now, self.interval_ns, self.tolerance_ns)?;
            match cell.compare_exchange_weak(tat, new_tat, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(current) => tat = current,
            }
        }
    }
}

/// One GCRA step: the new theoretical arrival time, or how long to wait.
fn gcra(tat: u64, now: u64, interval_ns: u64, tolerance_ns: u64) -> Result<u64, Duration> {
    let new_tat = tat.max(now).saturating_add(interval_ns);
    let ahead = new_tat.saturating_sub(now);
    if ahead > tolerance_ns {
        Err(Duration::from_nanos(ahead.saturating_sub(tolerance_ns)))
    } else {
        Ok(new_tat)
    }
}

/// The key a client address is limited by: an IPv4 address, or the /64
/// network of an IPv6 one (one host usually holds a whole /64). An
/// IPv4-mapped IPv6 address counts as its IPv4 address.
#[must_use]
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(
                u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
            )),
        },
    }
}

const ADDRESS_SHARDS: usize = 16;

#[derive(Debug, Default)]
struct AddressShard {
    tats: HashMap<IpAddr, u64>,
    last_purge_ns: u64,
}

/// A token-bucket limiter (GCRA) with one bucket per client address (see
/// [`address_key`]), for failed authentications and for callers without an
/// API key.
///
/// Memory is bounded: at most `capacity` addresses are tracked, in shards
/// chosen by a randomly keyed hash. A full shard first forgets the addresses
/// whose bucket is full again (at most once a second); when it is still full,
/// [`check`](Self::check) refuses the new address (fail closed) and
/// [`blocked`](Self::blocked) reports it as not blocked.
#[derive(Debug)]
pub struct AddressLimiter {
    start: Instant,
    interval_ns: u64,
    tolerance_ns: u64,
    shard_capacity: usize,
    hasher: std::collections::hash_map::RandomState,
    shards: Box<[Mutex<AddressShard>]>,
}

impl AddressLimiter {
    /// `per_minute` events a minute per address on average, bursts of up to
    /// `burst`, at most `capacity` addresses tracked. Zero values count as 1.
    #[must_use]
    pub fn new(per_minute: u32, burst: u32, capacity: usize) -> Self {
        let interval_ns = 60_000_000_000 / u64::from(per_minute.max(1));
        Self {
            start: Instant::now(),
            interval_ns,
            tolerance_ns: interval_ns.saturating_mul(u64::from(burst.max(1))),
            shard_capacity: capacity.div_ceil(ADDRESS_SHARDS).max(1),
            hasher: std::collections::hash_map::RandomState::new(),
            shards: (0..ADDRESS_SHARDS)
                .map(|_| Mutex::new(AddressShard::default()))
                .collect(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn with_shard<T>(&self, key: IpAddr, f: impl FnOnce(&mut AddressShard) -> T) -> Option<T> {
        let index = usize::try_from(self.hasher.hash_one(key) % ADDRESS_SHARDS as u64).ok()?;
        let shard = self.shards.get(index)?;
        let mut guard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        Some(f(&mut guard))
    }

    /// Whether `ip`'s bucket is empty, without taking from it: how long until
    /// it is not.
    #[must_use]
    pub fn blocked(&self, ip: IpAddr) -> Option<Duration> {
        let key = address_key(ip);
        let now = self.now();
        self.with_shard(key, |shard| {
            let tat = *shard.tats.get(&key)?;
            gcra(tat, now, self.interval_ns, self.tolerance_ns).err()
        })
        .flatten()
    }

    /// Takes one token from `ip`'s bucket, or says how long to wait for one.
    ///
    /// # Errors
    ///
    /// The time until an event would be allowed (one interval when the
    /// table is full).
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        let key = address_key(ip);
        let now = self.now();
        let refused = Duration::from_nanos(self.interval_ns);
        self.with_shard(key, |shard| {
            if let Some(tat) = shard.tats.get_mut(&key) {
                *tat = gcra(*tat, now, self.interval_ns, self.tolerance_ns)?;
                return Ok(());
            }
            if shard.tats.len() >= self.shard_capacity {
                if now.saturating_sub(shard.last_purge_ns) < 1_000_000_000 {
                    return Err(refused);
                }
                shard.last_purge_ns = now;
                shard.tats.retain(|_, tat| *tat > now);
                if shard.tats.len() >= self.shard_capacity {
                    return Err(refused);
                }
            }
            let tat = gcra(0, now, self.interval_ns, self.tolerance_ns)?;
            shard.tats.insert(key, tat);
            Ok(())
        })
        .unwrap_or(Err(refused))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_in_constant_time_and_reject_weak_ones() {
        let keys = ApiKeys::new(["0123456789abcdef-one", " 0123456789abcdef-two ", ""]).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys.check("0123456789abcdef-two"), Some(1));
        assert_eq!(keys.check("0123456789abcdef-tw"), None);
        assert!(!format!("{keys:?}").contains("abcdef"));
        assert_eq!(ApiKeys::new(["short"]).unwrap_err().position, 1);
        let file = ApiKeys::from_lines("# comment\n\n0123456789abcdef-one\n").unwrap();
        assert_eq!(keys.clone().merged(file).len(), 2);
    }

    #[test]
    fn limiter_allows_burst_then_refuses_with_retry_after() {
        let limiter = RateLimiter::new(2, 2, 1);
        assert!(limiter.check(0).is_ok());
        assert!(limiter.check(0).is_ok());
        let wait = limiter.check(0).unwrap_err();
        assert!(
            wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        // Unknown buckets are not limited.
        assert!(limiter.check(5).is_ok());
    }

    #[test]
    fn address_limiter_counts_per_address_and_v6_network() {
        let limiter = AddressLimiter::new(2, 2, 64);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b_same_net: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(limiter.blocked(a), None);
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        assert!(limiter.blocked(a).is_some());
        assert!(limiter.check(a).is_err());
        assert!(limiter.check(b).is_ok());
        assert!(limiter.check(b_same_net).is_ok());
        assert!(limiter.check(b).is_err());
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert!(limiter.check(mapped).is_err());
    }

    #[test]
    fn a_full_address_table_refuses_new_addresses() {
        let limiter = AddressLimiter::new(1, 1, 16);
        let mut refused = 0;
        for i in 0..64u8 {
            if limiter.check(IpAddr::from([10, 0, 0, i])).is_err() {
                refused += 1;
            }
        }
        assert!(refused > 0);
        // A refused address is not reported as blocked.
        assert!((0..64u8).any(|i| limiter.blocked(IpAddr::from([10, 0, 0, i])).is_none()));
    }
}
