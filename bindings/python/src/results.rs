//! The result classes: issued tokens, parsed tokens and their privileges.

use crate::errors::*;
use pyo3::prelude::*;
use rtc_tokens::Named;

/// A token issued by a provider. Immutable; equal when every field is.
/// Its `repr` leaves the token out: tokens are credentials.
#[pyclass(module = "rtc_tokens", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct IssuedToken(pub(crate) rtc_tokens::IssuedToken);

#[pymethods]
impl IssuedToken {
    /// The token to hand to the client.
    #[getter]
    fn token(&self) -> &str {
        &self.0.token
    }

    /// The vendor that accepts it (`zego`, `agora`, `tencent`).
    #[getter]
    fn vendor(&self) -> &'static str {
        self.0.vendor.name()
    }

    /// The format (`04`, `006`, `007`, `usersig`).
    #[getter]
    fn version(&self) -> &'static str {
        self.0.version.prefix()
    }

    /// Issue time, unix seconds.
    #[getter]
    fn issued_at(&self) -> u64 {
        self.0.issued_at
    }

    /// The expiry applied (Agora caps it at 24 hours), unix seconds.
    #[getter]
    fn expires_at(&self) -> u64 {
        self.0.expires_at
    }

    /// When the client should fetch a new token, unix seconds.
    #[getter]
    fn renew_at(&self) -> u64 {
        self.0.renew_at
    }

    /// The fields as a dict (the server's JSON answer), token included.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        write(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let t = &self.0;
        format!(
            "IssuedToken(token=<redacted>, vendor='{}', version='{}', issued_at={}, expires_at={}, renew_at={})",
            t.vendor.name(),
            t.version.prefix(),
            t.issued_at,
            t.expires_at,
            t.renew_at
        )
    }
}

/// One privilege of a parsed token, in plain words.
#[pyclass(module = "rtc_tokens", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PrivilegeView(pub(crate) rtc_tokens::PrivilegeView);

#[pymethods]
impl PrivilegeView {
    /// The service (`rtc`, `rtm`, `chat`, ...).
    #[getter]
    fn service(&self) -> &str {
        &self.0.service
    }

    /// What it allows (`join channel`, `publish audio`, ...).
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// When it expires, unix seconds, if the format says.
    #[getter]
    fn expires_at(&self) -> Option<u64> {
        self.0.expires_at
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = &self.0;
        Ok(format!(
            "PrivilegeView(service={}, name={}, expires_at={})",
            quoted(py, Some(&p.service))?,
            quoted(py, Some(&p.name))?,
            number(p.expires_at)
        ))
    }
}

/// The vendor-neutral view of a parsed token. Immutable; equal when every
/// field is.
#[pyclass(module = "rtc_tokens", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct ParsedToken(pub(crate) rtc_tokens::ParsedToken);

#[pymethods]
impl ParsedToken {
    /// The vendor (`zego`, `agora`, `tencent`).
    #[getter]
    fn vendor(&self) -> &'static str {
        self.0.vendor.name()
    }

    /// The format (`04`, `006`, `007`, `usersig`).
    #[getter]
    fn version(&self) -> &'static str {
        self.0.version.prefix()
    }

    /// The app id inside the token, when it can be read.
    #[getter]
    fn app_id(&self) -> Option<&str> {
        self.0.app_id.as_deref()
    }

    /// The user the token names, if any.
    #[getter]
    fn user(&self) -> Option<&str> {
        self.0.user.as_deref()
    }

    /// The room or channel the token names, if any.
    #[getter]
    fn room(&self) -> Option<&str> {
        self.0.room.as_deref()
    }

    /// Issue time, unix seconds (absent for 006).
    #[getter]
    fn issued_at(&self) -> Option<u64> {
        self.0.issued_at
    }

    /// Expiry, unix seconds.
    #[getter]
    fn expires_at(&self) -> u64 {
        self.0.expires_at
    }

    /// The privileges, in plain words.
    #[getter]
    fn privileges(&self) -> Vec<PrivilegeView> {
        self.0
            .privileges
            .iter()
            .cloned()
            .map(PrivilegeView)
            .collect()
    }

    /// How far integrity was checked: `verified`, `decrypted_unauthenticated`,
    /// `signature_invalid` or `not_checked`.
    #[getter]
    fn verification<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        write(py, &self.0.verification)
    }

    /// The vendor-specific fields, as a dict tagged by `format`
    /// (`zego04`, `agora006`, `agora007`, `tencent_usersig`, ...).
    #[getter]
    fn detail<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        write(py, &self.0.detail)
    }

    /// Every field as a dict (the CLI's `--json` shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        write(py, &self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = &self.0;
        let privileges: Vec<String> = self
            .privileges()
            .iter()
            .map(|privilege| privilege.__repr__(py))
            .collect::<PyResult<_>>()?;
        let verification = self.verification(py)?;
        Ok(format!(
            "ParsedToken(vendor='{}', version='{}', app_id={}, user={}, room={}, issued_at={}, expires_at={}, verification={}, privileges=[{}])",
            p.vendor.name(),
            p.version.prefix(),
            quoted(py, p.app_id.as_deref())?,
            quoted(py, p.user.as_deref())?,
            quoted(py, p.room.as_deref())?,
            number(p.issued_at),
            p.expires_at,
            verification.repr()?,
            privileges.join(", "),
        ))
    }
}
