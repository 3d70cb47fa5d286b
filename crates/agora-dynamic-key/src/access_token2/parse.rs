//! Parsing and verifying 007 tokens.
//!
//! [`ParsedAccessToken2::parse`] decodes strictly (standard base64, one bounded zlib stream
//! that C zlib would accept, nothing after it), keeps the services in wire order, stops at
//! an unknown service type and keeps the raw signed bytes (the inflated body: deflate is not
//! canonical, so other token strings may carry the same body and verify alike); [`ParsedAccessToken2::verify`] recomputes the signature
//! over those bytes and compares in constant time. Expiry checks are separate and explicit.
use super::*;

/// Decoded zlib streams up to this many bytes (tokens up to 1024 characters) stay on the
/// stack while parsing.
const STACK_ZLIB_LEN: usize = 768;

/// A decoded 007 token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAccessToken2 {
    /// The app id as found (verification requires 32 hex characters).
    pub app_id: String,
    /// Issue time, unix seconds.
    pub issue_ts: u32,
    /// Lifetime in seconds from `issue_ts`.
    pub expire: u32,
    /// The salt.
    pub salt: u32,
    /// Services in wire order (not required to be sorted).
    pub services: Vec<Service>,
    /// Set when parsing stopped at a service type this crate does not know; the services
    /// before it are kept and the signature still covers everything.
    pub unknown_service_type: Option<u16>,
    /// `bytes(signature) || signing_info`: the signature is `body[2..signing_start]`.
    body: Vec<u8>,
    signing_start: usize,
}

impl ParsedAccessToken2 {
    /// Decodes a 007 token: strict standard base64, any valid zlib stream (bounded to
    /// [`MAX_INFLATED_LEN`], Adler-32 checked, nothing after the stream).
    ///
    /// # Errors
    /// [`Error::Version`] for another prefix; [`Error::Malformed`] for anything that does not
    /// decode.
    pub fn parse(token: &str) -> Result<Self, Error> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Malformed("token too long"));
        }
        if token.len() < VERSION.len() {
            return Err(Error::Malformed("token too short"));
        }
        let Some(b64) = token.strip_prefix(VERSION) else {
            return Err(Error::Version { expected: VERSION });
        };
        // The zlib stream goes into a stack buffer when it fits (typical tokens do).
        let b64 = b64.as_bytes();
        let mut stack = [0u8; STACK_ZLIB_LEN];
        let mut heap = Vec::new();
        let need = crate::b64::decoded_len(b64.len());
        let buf: &mut [u8] = if need <= STACK_ZLIB_LEN {
            &mut stack
        } else {
            heap.resize(need, 0);
            &mut heap
        };
        let n = crate::b64::decode(b64, buf).ok_or(Error::Malformed("invalid base64"))?;
        let z = buf.get(..n).unwrap_or(&[]);
        let body = small_zlib::decompress(z, MAX_INFLATED_LEN).map_err(|e| match e {
            small_zlib::Error::OutputTooLarge { .. } => Error::Malformed("inflated body too large"),
            small_zlib::Error::Malformed(why) => Error::Malformed(why),
            _ => Error::Malformed("invalid zlib stream"),
        })?;
        let mut r = Reader::new(&body);
        r.bytes()?; // the signature, kept in `body`
        let signing_start = body.len().wrapping_sub(r.rest().len());
        let app_id = r.string()?;
        let issue_ts = r.u32()?;
        let expire = r.u32()?;
        let salt = r.u32()?;
        let count = r.u16()?;
        let mut services = Vec::with_capacity(usize::from(count).min(16));
        let mut unknown_service_type = None;
        for _ in 0..count {
            let t = r.u16()?;
            let Some(st) = ServiceType::from_u16(t) else {
                unknown_service_type = Some(t);
                break;
            };
            services.push(Service::unpack(st, &mut r)?);
        }
        Ok(Self {
            app_id,
            issue_ts,
            expire,
            salt,
            services,
            unknown_service_type,
            body,
            signing_start,
        })
    }

    /// Checks the signature over the raw signed bytes, in constant time. Like go, nodejs and
    /// rust (not python), the parsed app id must be 32 hex characters.
    ///
    /// # Errors
    /// [`Error::Signature`].
    pub fn verify(&self, cert: &AppCertificate) -> Result<(), Error> {
        let signature = self.body.get(2..self.signing_start).unwrap_or(&[]);
        let signing_info = self.body.get(self.signing_start..).unwrap_or(&[]);
        let mac_ok = signer(cert, self.issue_ts, self.salt)?
            .chain_update(signing_info)
            .verify_slice(signature)
            .is_ok();
        if mac_ok && crate::is_hex32(self.app_id.as_bytes()) {
            Ok(())
        } else {
            Err(Error::Signature)
        }
    }

    /// The inflated body (`bytes(signature) || signing_info`).
    #[must_use]
    pub fn content(&self) -> &[u8] {
        &self.body
    }

    /// Issue time as an absolute unix time.
    #[must_use]
    pub fn issued_at(&self) -> u64 {
        u64::from(self.issue_ts)
    }

    /// Expiry as written in the token: `issue_ts + expire`.
    #[must_use]
    pub fn expires_at(&self) -> u64 {
        u64::from(self.issue_ts).saturating_add(u64::from(self.expire))
    }

    /// Expiry as Agora's servers apply it: an `expire` of 0 or above
    /// [`MAX_VALIDITY_SECS`](crate::MAX_VALIDITY_SECS) counts as 24 hours
    /// ([`crate::capped_validity`]).
    #[must_use]
    pub fn effective_expires_at(&self) -> u64 {
        u64::from(self.issue_ts).saturating_add(u64::from(crate::capped_validity(self.expire)))
    }

    /// Absolute expiry of a privilege (`issue_ts + value`) in the first service of
    /// `service_type` that carries it.
    #[must_use]
    pub fn privilege_expires_at(&self, service_type: ServiceType, privilege: u16) -> Option<u64> {
        self.services
            .iter()
            .filter(|s| s.service_type() == service_type)
            .find_map(|s| s.privileges().get(&privilege))
            .map(|&v| u64::from(self.issue_ts).saturating_add(u64::from(v)))
    }

    /// Fails when the token has expired at `now` (unix seconds), using
    /// [`Self::effective_expires_at`] (`now >= expiry` is expired).
    ///
    /// # Errors
    /// [`Error::Expired`].
    pub fn check_expiry(&self, now: u64) -> Result<(), Error> {
        let expired_at = self.effective_expires_at();
        if now >= expired_at {
            Err(Error::Expired { expired_at, now })
        } else {
            Ok(())
        }
    }
}
