//! The verified-JWT cache: a token verified once is not verified again until
//! its `exp`.
//!
//! Entries are keyed by the SHA-256 of the whole token (header, payload and
//! signature), so a token differing in any byte is a miss; the token itself
//! is never stored. The cache is bounded: 16 shards of at most
//! `capacity / 16` entries; a full shard first drops its expired entries,
//! then an arbitrary one. A hit after `exp` is a miss (and is dropped).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rtc_tokens::policy::Claims;
use sha2::{Digest, Sha256};

const SHARDS: usize = 16;

struct Entry {
    claims: Arc<Claims>,
    exp: u64,
}

/// A bounded map from token digest to verified claims.
pub(crate) struct VerifiedCache {
    shards: Vec<Mutex<HashMap<[u8; 32], Entry>>>,
    per_shard: usize,
}

impl std::fmt::Debug for VerifiedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedCache")
            .field("capacity", &self.per_shard.saturating_mul(SHARDS))
            .finish()
    }
}

/// The digest a token is cached under.
pub(crate) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl VerifiedCache {
    /// A cache of about `capacity` entries (0: nothing is cached).
    pub(crate) fn new(capacity: usize) -> Self {
        let per_shard = capacity.div_ceil(SHARDS);
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard,
        }
    }

    fn shard(&self, key: &[u8; 32]) -> Option<&Mutex<HashMap<[u8; 32], Entry>>> {
        let i = usize::from(key.first().copied().unwrap_or(0)) % SHARDS;
        self.shards.get(i)
    }

    /// The claims of a token verified before, unless expired at `now`.
    pub(crate) fn get(&self, key: &[u8; 32], now: u64) -> Option<Arc<Claims>> {
        if self.per_shard == 0 {
            return None;
        }
        let mut map = match self.shard(key)?.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        match map.get(key) {
            Some(e) if e.exp > now => Some(Arc::clone(&e.claims)),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    /// Remembers `claims` for the token `key` until `exp`.
    pub(crate) fn insert(&self, key: [u8; 32], claims: Arc<Claims>, exp: u64, now: u64) {
        if self.per_shard == 0 || exp <= now {
            return;
        }
        let Some(shard) = self.shard(&key) else {
            return;
        };
        let mut map = match shard.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= self.per_shard && !map.contains_key(&key) {
            map.retain(|_, e| e.exp > now);
            if map.len() >= self.per_shard
                && let Some(victim) = map.keys().next().copied()
            {
                map.remove(&victim);
            }
        }
        map.insert(key, Entry { claims, exp });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_expiring() {
        let cache = VerifiedCache::new(16);
        let claims = Arc::new(Claims::new());
        for i in 0..100u32 {
            cache.insert(digest(&i.to_string()), Arc::clone(&claims), 1_000, 10);
        }
        let total: usize = cache.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(total <= 16, "{total}");
        let key = digest("token");
        cache.insert(key, Arc::clone(&claims), 1_000, 10);
        assert!(cache.get(&key, 999).is_some());
        assert!(cache.get(&key, 1_000).is_none());
        assert!(cache.get(&key, 10).is_none(), "an expired entry is dropped");
        let off = VerifiedCache::new(0);
        off.insert(key, claims, 1_000, 10);
        assert!(off.get(&key, 10).is_none());
    }
}
