//! API keys (compared in constant time) and the per-key rate limiter.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
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
            let new_tat = tat.max(now).saturating_add(self.interval_ns);
            let ahead = new_tat.saturating_sub(now);
            if ahead > self.tolerance_ns {
                return Err(Duration::from_nanos(
                    ahead.saturating_sub(self.tolerance_ns),
                ));
            }
            match cell.compare_exchange_weak(tat, new_tat, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(current) => tat = current,
            }
        }
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
}
