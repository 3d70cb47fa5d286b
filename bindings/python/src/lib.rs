//! The Python binding of `rtc-tokens`: the extension module
//! `rtc_tokens._rtc_tokens`, re-exported by the `rtc_tokens` package.
//!
//! It converts types and nothing else: every rule (request mapping, limits,
//! verification, configuration layering) is the facade's. What it guarantees:
//!
//! - **Secrets cross once.** A provider's secret is read at construction, as
//!   `str` or `bytes`, straight into the facade's zeroizing key types; no copy
//!   is kept on the Rust side and nothing hands it back to Python. A
//!   provider's `repr` shows its app id and settings, never the secret; an
//!   issued token's `repr` leaves the token out (it is a credential).
//! - **Errors keep their kind.** Every facade [`ErrorKind`] is a Python class
//!   of its own (`InvalidInput`, `Malformed`, …), made from [`ErrorKind::ALL`]
//!   under the base `RtcTokensError`, with `.kind`, `.vendor` and `.message`.
//!   A kind added to the facade appears here without code.
//! - **Requests are the facade's fields.** `issue(**request)` takes the
//!   fields of [`TokenRequest`](rtc_tokens::TokenRequest) by their serde names (the server's JSON body),
//!   reads kinds and roles with the facade's own parsers and leaves what is
//!   not given at the facade's defaults; a field added to the request is one
//!   keyword here (typed keywords cost a tenth of a serde round trip).
//! - **Vendors are generic.** The provider base class wraps any
//!   `Arc<dyn TokenProvider>`; a vendor's subclass only adds its constructor.

mod config;
mod errors;
mod providers;
mod registry;
mod results;

use crate::config::*;
use crate::errors::*;
use crate::providers::*;
use crate::registry::*;
use crate::results::*;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rtc_tokens::{ErrorKind, Named, TokenVersion, Vendor};

/// The vendor and version a token's prefix (or a UserSig's shape) names, e.g.
/// `("agora", "007")`, `("tencent", "usersig")`.
#[pyfunction]
fn detect(token: &str) -> PyResult<(&'static str, &'static str)> {
    let version = TokenVersion::detect(token).map_err(Failure)?;
    Ok((version.vendor().name(), version.prefix()))
}

#[pymodule]
#[pyo3(name = "_rtc_tokens")]
fn rtc_tokens_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<TokenProvider>()?;
    m.add_class::<ZegoProvider>()?;
    m.add_class::<AgoraProvider>()?;
    m.add_class::<TencentProvider>()?;
    m.add_class::<Providers>()?;
    m.add_class::<Config>()?;
    m.add_class::<IssuedToken>()?;
    m.add_class::<ParsedToken>()?;
    m.add_class::<PrivilegeView>()?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    let classes = error_classes(py)?;
    m.add("RtcTokensError", classes.base.clone_ref(py))?;
    for (kind, class) in &classes.kinds {
        m.add(class_name(*kind).as_str(), class.clone_ref(py))?;
    }
    let vendors: Vec<&str> = Vendor::ALL.iter().map(|v| v.name()).collect();
    m.add("VENDORS", PyTuple::new(py, vendors)?)?;
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    m.add("ERROR_KINDS", PyTuple::new(py, kinds)?)?;
    m.add("DEFAULT_VALIDITY_SECS", rtc_tokens::DEFAULT_VALIDITY_SECS)?;
    m.add(
        "DEFAULT_RENEW_BEFORE_SECS",
        rtc_tokens::DEFAULT_RENEW_BEFORE_SECS,
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
