//! `Providers`: several providers, with the vendor picked from the token.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::errors::*;
use crate::providers::*;
use crate::results::*;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rtc_tokens::{Named, Vendor};

/// A set of providers, at most one per vendor (a later one replaces an
/// earlier one), with a default vendor; it recognises a token's vendor from
/// its prefix.
#[pyclass(module = "rtc_tokens", frozen)]
pub(crate) struct Providers {
    pub(crate) inner: rtc_tokens::Providers,
    members: Vec<Py<TokenProvider>>,
}

impl Providers {
    pub(crate) fn from_members(
        py: Python<'_>,
        members: Vec<Py<TokenProvider>>,
        default_vendor: Option<Vendor>,
    ) -> Self {
        let mut inner = rtc_tokens::Providers::new();
        for member in &members {
            inner.insert(Arc::clone(&member.bind(py).get().inner));
        }
        if let Some(vendor) = default_vendor {
            inner = inner.with_default_vendor(vendor);
        }
        Self { inner, members }
    }
}

#[pymethods]
impl Providers {
    #[new]
    #[pyo3(signature = (*providers, default_vendor = None))]
    fn new(
        py: Python<'_>,
        providers: &Bound<'_, PyTuple>,
        default_vendor: Option<&str>,
    ) -> PyResult<Self> {
        let members = providers
            .iter()
            .map(|p| Ok(p.cast::<TokenProvider>()?.clone().unbind()))
            .collect::<PyResult<Vec<_>>>()?;
        let default_vendor = default_vendor.map(parse::<Vendor>).transpose()?;
        Ok(Self::from_members(py, members, default_vendor))
    }

    /// The configured vendors.
    #[getter]
    pub(crate) fn vendors(&self) -> Vec<&'static str> {
        self.inner.vendors().into_iter().map(Named::name).collect()
    }

    /// The vendor used when none is named, if any.
    #[getter]
    pub(crate) fn default_vendor(&self) -> Option<&'static str> {
        self.inner.default_vendor().map(Named::name)
    }

    /// The provider for `vendor`, or None.
    fn get(&self, py: Python<'_>, vendor: &str) -> PyResult<Option<Py<TokenProvider>>> {
        let vendor: Vendor = parse(vendor)?;
        Ok(self
            .members
            .iter()
            .rev()
            .find(|m| m.bind(py).get().inner.vendor() == vendor)
            .map(|m| m.clone_ref(py)))
    }

    /// Issues with the provider of `vendor` (the default one when None);
    /// the request as for `TokenProvider.issue`.
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    #[pyo3(signature = (vendor = None, *, now = None, kind = None, user_id = None, uid = None, room = None, channel = None, role = None, validity_secs = None, stream_ids = None, privilege_expiries = None, privileges = None))]
    fn issue(
        &self,
        vendor: Option<&str>,
        now: Option<u64>,
        kind: Option<&str>,
        user_id: Option<String>,
        uid: Option<u32>,
        room: Option<String>,
        channel: Option<String>,
        role: Option<&str>,
        validity_secs: Option<u32>,
        stream_ids: Option<Vec<String>>,
        privilege_expiries: Option<&Bound<'_, PyAny>>,
        privileges: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<IssuedToken> {
        let vendor = vendor.map(parse::<Vendor>).transpose()?;
        let provider = self.inner.provider(vendor).map_err(Failure)?;
        let request = RequestArgs {
            kind,
            user_id,
            uid,
            room,
            channel,
            role,
            validity_secs,
            stream_ids,
            privilege_expiries,
            privileges,
        }
        .request()?;
        Ok(issue_with(provider.as_ref(), &request, now)?)
    }

    /// Recognises the token's vendor and inspects it with that provider.
    #[pyo3(signature = (token, *, expect_app_id = None, expect_room = None, expect_user = None, version = None))]
    fn inspect(
        &self,
        token: &str,
        expect_app_id: Option<String>,
        expect_room: Option<String>,
        expect_user: Option<String>,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ParsedToken> {
        let expect = (expect_app_id, expect_room, expect_user, version);
        let options = parse_options(expect, None, None, false)?;
        Ok(ParsedToken(
            self.inner.inspect(token, &options).map_err(Failure)?,
        ))
    }

    /// Recognises the token's vendor and verifies it with that provider.
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    #[pyo3(signature = (token, *, expect_app_id = None, expect_room = None, expect_user = None, version = None, require = None, now = None, check_expiry = true))]
    fn verify(
        &self,
        token: &str,
        expect_app_id: Option<String>,
        expect_room: Option<String>,
        expect_user: Option<String>,
        version: Option<&Bound<'_, PyAny>>,
        require: Option<&Bound<'_, PyAny>>,
        now: Option<u64>,
        check_expiry: bool,
    ) -> PyResult<ParsedToken> {
        let expect = (expect_app_id, expect_room, expect_user, version);
        let options = parse_options(expect, require, now, check_expiry)?;
        Ok(ParsedToken(
            self.inner.verify(token, &options).map_err(Failure)?,
        ))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut out = String::from("Providers(");
        for (i, member) in self.members.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(out, "{sep}{}", member.bind(py).repr()?);
        }
        let default = self
            .inner
            .default_vendor()
            .map_or("None".to_owned(), |v| format!("'{}'", v.name()));
        let _ = write!(out, ", default_vendor={default})");
        Ok(out)
    }
}
