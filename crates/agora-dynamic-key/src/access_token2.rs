//! AccessToken2, version `007` (spec §3).
//!
//! ```text
//! token        = "007" || base64(zlib(bytes(signature) || signing_info))
//! signing_info = string(app_id) || u32 issue_ts || u32 expire || u32 salt || u16 n || service*
//! k1 = HMAC(u32le(issue_ts), certificate); k2 = HMAC(u32le(salt), k1); signature = HMAC(k2, signing_info)
//! ```
//!
//! `expire` is the lifetime in seconds from `issue_ts`; privilege values are seconds relative
//! to `issue_ts`. [`AccessToken2`] encodes exactly what it is given (a 4294967295-second token
//! builds); the capped everyday builders live in [`crate::builder`].
//!
//! Services are packed stably sorted by type (repeated types kept, in insertion order) and
//! privilege maps by numeric id, as every current reference does. The parser keeps wire
//! order, stops at an unknown service type (reported in
//! [`ParsedAccessToken2::unknown_service_type`]) and still verifies the signature over the raw
//! signed bytes.
//!
//! Layout: the services and their packing are in `service`, RTM2 permissions in
//! `permissions`, parsing and verification in `parse`; building and signing are here.

use std::collections::BTreeMap;

use hmac::{KeyInit, Mac};

use crate::wire::{Reader, Writer};
use crate::{AppCertificate, AppId, Error, MAX_INFLATED_LEN, MAX_TOKEN_LEN};

mod parse;
mod permissions;
mod service;

pub use parse::ParsedAccessToken2;
pub use permissions::{PermissionType, Permissions, ResourceType};
pub use service::{
    ApaasPrivilege, ChatPrivilege, FcdnPrivilege, FpaPrivilege, RtcPrivilege, Rtm2Privilege,
    RtmPrivilege, Service, ServiceApaas, ServiceChat, ServiceFcdn, ServiceFpa, ServiceRtc,
    ServiceRtm, ServiceRtm2, ServiceStreaming, ServiceType, StreamingPrivilege,
};
pub use service::{ServiceConvoAi, ServiceStt};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The version prefix of a 007 token.
pub const VERSION: &str = "007";

/// A 007 token under construction. Encodes exactly what it is given (no cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken2 {
    /// The app id (signed as its ASCII bytes).
    pub app_id: AppId,
    /// Issue time, unix seconds.
    pub issue_ts: u32,
    /// Lifetime in seconds from `issue_ts`.
    pub expire: u32,
    /// Services in insertion order (packed stably sorted by type).
    pub services: Vec<Service>,
    pub(crate) salt: u32,
    salt_failed: bool,
}

impl AccessToken2 {
    /// Starts a token with a fresh salt from the OS CSPRNG (uniform in `1..=99_999_999`).
    ///
    /// If the OS generator fails, [`AccessToken2::build`] reports [`Error::Random`].
    #[must_use]
    pub fn new(app_id: AppId, issue_ts: u32, expire: u32) -> Self {
        let (salt, salt_failed) = match crate::random_salt() {
            Ok(s) => (s, false),
            Err(_) => (0, true),
        };
        Self {
            salt_failed,
            ..Self::with_salt(app_id, issue_ts, expire, salt)
        }
    }

    /// Starts a token with a salt the caller drew (the builder's, from the OS CSPRNG).
    pub(crate) fn with_salt(app_id: AppId, issue_ts: u32, expire: u32, salt: u32) -> Self {
        Self {
            app_id,
            issue_ts,
            expire,
            services: Vec::new(),
            salt,
            salt_failed: false,
        }
    }

    /// Adds a service (a repeated type is kept, never merged).
    pub fn add_service(&mut self, service: impl Into<Service>) -> &mut Self {
        self.services.push(service.into());
        self
    }

    /// The salt that will be packed (0 only if the OS random generator failed).
    #[must_use]
    pub fn salt(&self) -> u32 {
        self.salt
    }

    #[cfg(feature = "hazmat")]
    pub(crate) fn set_salt(&mut self, salt: u32) {
        self.salt = salt;
        self.salt_failed = false;
    }

    /// The signed, uncompressed body: `bytes(signature) || signing_info`.
    ///
    /// # Errors
    /// [`Error::NoService`] without services; [`Error::TooLong`] for a string or list over
    /// 65535 bytes or entries; [`Error::Random`] when the salt could not be drawn.
    pub fn content(&self, cert: &AppCertificate) -> Result<Vec<u8>, Error> {
        self.content_keyed(&issue_key(cert, self.issue_ts)?)
    }

    /// [`Self::content`] from the first link of the signing chain,
    /// `k1 = HMAC(u32le(issue_ts), certificate)` ([`issue_key`]).
    pub(crate) fn content_keyed(&self, k1: &IssueKey) -> Result<Vec<u8>, Error> {
        if self.salt_failed {
            return Err(Error::Random);
        }
        if self.services.is_empty() {
            return Err(Error::NoService);
        }
        let mut w = Writer::with_capacity(256);
        pack_head(
            &mut w,
            &self.app_id,
            self.issue_ts,
            self.expire,
            self.salt,
            self.services.len(),
        )?;
        if self.services.is_sorted_by_key(Service::service_type) {
            // The common case (one service, or added in type order): no sorted copy.
            for s in &self.services {
                s.pack(&mut w)?;
            }
        } else {
            let mut sorted: Vec<&Service> = self.services.iter().collect();
            sorted.sort_by_key(|s| s.service_type()); // stable
            for s in sorted {
                s.pack(&mut w)?;
            }
        }
        let mut buf = w.buf;
        sign(&mut buf, k1, self.salt)?;
        Ok(buf)
    }

    /// Signs, compresses and encodes the token.
    ///
    /// # Errors
    /// As [`AccessToken2::content`].
    pub fn build(&self, cert: &AppCertificate) -> Result<String, Error> {
        self.build_keyed(&issue_key(cert, self.issue_ts)?)
    }

    /// [`Self::build`] from the first link of the signing chain ([`issue_key`]).
    pub(crate) fn build_keyed(&self, k1: &IssueKey) -> Result<String, Error> {
        Ok(encode(&self.content_keyed(k1)?))
    }
}

/// A token with a single RTC service, borrowed from the caller: what the RTC builders of
/// [`crate::builder::TokenBuilder`] issue. It packs exactly as an [`AccessToken2`] holding
/// the same [`ServiceRtc`] (the same packing code), without owned strings, a privilege
/// `BTreeMap` or a `Vec<Service>` (four allocations per token).
pub(crate) struct RtcToken<'a> {
    pub(crate) app_id: &'a AppId,
    pub(crate) issue_ts: u32,
    pub(crate) expire: u32,
    pub(crate) salt: u32,
    pub(crate) channel_name: &'a [u8],
    pub(crate) uid: &'a [u8],
    /// Privilege id → value, ids strictly ascending (the order a `BTreeMap` packs in).
    pub(crate) privileges: &'a [(u16, u32)],
}

impl RtcToken<'_> {
    /// Signs, compresses and encodes the token, as [`AccessToken2::build_keyed`].
    pub(crate) fn build_keyed(&self, k1: &IssueKey) -> Result<String, Error> {
        let len = BODY_HEAD_LEN
            .saturating_add(12)
            .saturating_add(self.privileges.len().saturating_mul(6))
            .saturating_add(self.channel_name.len())
            .saturating_add(self.uid.len());
        let mut w = Writer::with_capacity(len);
        pack_head(
            &mut w,
            self.app_id,
            self.issue_ts,
            self.expire,
            self.salt,
            1,
        )?;
        pack_service_head(&mut w, ServiceType::Rtc, self.privileges.iter().copied())?;
        pack_rtc_fields(&mut w, self.channel_name, self.uid)?;
        sign(&mut w.buf, k1, self.salt)?;
        Ok(encode(&w.buf))
    }
}

/// The length of `bytes(signature) || string(app_id) || u32 issue_ts || u32 expire ||
/// u32 salt || u16 n`.
const BODY_HEAD_LEN: usize = 34 + 34 + 12 + 2;

/// Room for `bytes(signature)` (filled in by [`sign`]), then signing_info up to its
/// service count.
fn pack_head(
    w: &mut Writer,
    app_id: &AppId,
    issue_ts: u32,
    expire: u32,
    salt: u32,
    services: usize,
) -> Result<(), Error> {
    w.buf.resize(34, 0);
    w.bytes(app_id.as_bytes(), "app id")?;
    w.u32(issue_ts);
    w.u32(expire);
    w.u32(salt);
    w.count(services, "services")
}

/// Every service's start: `u16 type || privileges`.
fn pack_service_head(
    w: &mut Writer,
    service: ServiceType,
    privileges: impl ExactSizeIterator<Item = (u16, u32)>,
) -> Result<(), Error> {
    w.u16(service.into());
    w.privmap(privileges)
}

/// The RTC service's fields after its head: `string(channel_name) || string(uid)`.
fn pack_rtc_fields(w: &mut Writer, channel_name: &[u8], uid: &[u8]) -> Result<(), Error> {
    w.bytes(channel_name, "channel name")?;
    w.bytes(uid, "uid")
}

/// Writes `bytes(signature)` over the 34 bytes [`pack_head`] reserved, signing the rest.
fn sign(body: &mut [u8], k1: &IssueKey, salt: u32) -> Result<(), Error> {
    // `pack_head` reserved the 34 bytes: the error is unreachable and only avoids a panic.
    let (head, signing_info) = body.split_at_mut_checked(34).ok_or(Error::NoService)?;
    let sig = signer_keyed(k1, salt)?
        .chain_update(&*signing_info)
        .finalize()
        .into_bytes();
    let (len, mac) = head.split_at_mut(2);
    len.copy_from_slice(&[32u8, 0]);
    mac.copy_from_slice(sig.as_slice());
    Ok(())
}

/// `"007" || base64(zlib(body))`.
fn encode(body: &[u8]) -> String {
    let z = small_zlib::compress(body);
    let mut token = Vec::with_capacity(z.len().div_ceil(3).saturating_mul(4).saturating_add(3));
    token.extend_from_slice(VERSION.as_bytes());
    crate::b64::encode_into(&z, &mut token);
    // ASCII by construction; the lossy branch is unreachable and only avoids a panic.
    String::from_utf8(token).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `k1 = HMAC(u32le(issue_ts), certificate)`, the first link of the signing chain. It is
/// derived from the certificate alone and the issue second, so a builder issuing many
/// tokens in the same second computes it once (see `TokenBuilder`); zeroized on drop.
pub(crate) type IssueKey = zeroize::Zeroizing<[u8; 32]>;

/// Computes [`IssueKey`].
pub(crate) fn issue_key(cert: &AppCertificate, issue_ts: u32) -> Result<IssueKey, Error> {
    let bad = |_| Error::InvalidAppCertificate; // HMAC takes keys of any length: unreachable
    let k1 = HmacSha256::new_from_slice(&issue_ts.to_le_bytes())
        .map_err(bad)?
        .chain_update(cert.expose())
        .finalize()
        .into_bytes();
    Ok(zeroize::Zeroizing::new(k1.into()))
}

/// The HMAC keyed with k2 = HMAC(u32le(salt), k1).
fn signer_keyed(k1: &IssueKey, salt: u32) -> Result<HmacSha256, Error> {
    let bad = |_| Error::InvalidAppCertificate; // HMAC takes keys of any length: unreachable
    let k2: zeroize::Zeroizing<[u8; 32]> = zeroize::Zeroizing::new(
        HmacSha256::new_from_slice(&salt.to_le_bytes())
            .map_err(bad)?
            .chain_update(k1.as_slice())
            .finalize()
            .into_bytes()
            .into(),
    );
    HmacSha256::new_from_slice(k2.as_slice()).map_err(bad)
}

/// The HMAC keyed with k2 = HMAC(u32le(salt), HMAC(u32le(issue_ts), certificate)).
fn signer(cert: &AppCertificate, issue_ts: u32, salt: u32) -> Result<HmacSha256, Error> {
    signer_keyed(&issue_key(cert, issue_ts)?, salt)
}
