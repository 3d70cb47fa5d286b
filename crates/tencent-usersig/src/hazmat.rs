//! DANGEROUS: a fixed clock, for tests, benchmarks and conformance runners only.
//!
//! A UserSig carries its issue time; issuing one "now" from a caller-chosen time can
//! mint tokens that look older or last longer than intended. Production code must never
//! enable the `hazmat` feature.

use crate::builder::{Issued, PrivateMapKeySpec, UserSigBuilder};
use crate::{Error, UserId};

impl UserSigBuilder {
    /// DANGEROUS: [`UserSigBuilder::user_sig`] with `now` as the issue time.
    ///
    /// # Errors
    /// As [`UserSigBuilder::user_sig`].
    pub fn user_sig_at_time(
        &self,
        now: u64,
        user: &UserId,
        validity_secs: u32,
    ) -> Result<Issued, Error> {
        self.user_sig_at(now, user, validity_secs)
    }

    /// DANGEROUS: [`UserSigBuilder::private_map_key`] with `now` as the issue time.
    ///
    /// # Errors
    /// As [`UserSigBuilder::private_map_key`].
    pub fn private_map_key_at_time(
        &self,
        now: u64,
        spec: &PrivateMapKeySpec,
    ) -> Result<Issued, Error> {
        self.private_map_key_at(now, spec)
    }
}
