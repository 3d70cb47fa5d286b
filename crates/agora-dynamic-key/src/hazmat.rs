//! DANGEROUS: fixed salts, for tests and conformance runners only.
//!
//! A token's salt is what makes two tokens built in the same second differ; reusing one
//! makes tokens predictable. Production code must never enable the `hazmat` feature.

use crate::AppId;
use crate::access_token::AccessToken;
use crate::access_token2::AccessToken2;

impl AccessToken {
    /// DANGEROUS: replaces the random salt.
    #[must_use]
    pub fn with_fixed_salt(mut self, salt: u32) -> Self {
        self.set_salt(salt);
        self
    }
}

impl AccessToken2 {
    /// DANGEROUS: replaces the random salt.
    #[must_use]
    pub fn with_fixed_salt(mut self, salt: u32) -> Self {
        self.set_salt(salt);
        self
    }
}

/// DANGEROUS: a 006 token with the given salt.
#[must_use]
pub fn access_token_with_salt(
    app_id: AppId,
    channel_name: impl Into<String>,
    uid: impl Into<String>,
    ts: u32,
    salt: u32,
) -> AccessToken {
    AccessToken::new(app_id, channel_name, uid, ts).with_fixed_salt(salt)
}

/// DANGEROUS: a 007 token with the given salt.
#[must_use]
pub fn access_token2_with_salt(
    app_id: AppId,
    issue_ts: u32,
    expire: u32,
    salt: u32,
) -> AccessToken2 {
    AccessToken2::new(app_id, issue_ts, expire).with_fixed_salt(salt)
}
