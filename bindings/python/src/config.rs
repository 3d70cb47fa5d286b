//! `Config`: the facade's configuration loader, from the environment or TOML.

use std::ffi::CString;
use std::path::PathBuf;

use crate::errors::*;
use crate::providers::*;
use crate::registry::*;
use pyo3::exceptions::PyUserWarning;
use pyo3::prelude::*;
use rtc_tokens::config::Sources;

/// Providers configured by the facade's loader: from the environment
/// (`ZEGO_APP_ID`, `AGORA_APP_CERTIFICATE_FILE`, `TENCENT_SDK_APP_ID`, ...) or a
/// TOML file, with the
/// same settings, aliases and secret-file rules as the CLI and the server.
#[pyclass(module = "rtc_tokens", frozen)]
pub(crate) struct Config {
    providers: Py<Providers>,
    renew_before_secs: u32,
    warnings: Vec<String>,
}

impl Config {
    fn load(py: Python<'_>, sources: &Sources<'_>) -> PyResult<Self> {
        let (config, warnings) = rtc_tokens::Config::load(sources).map_err(Failure)?;
        let config = config.non_empty().map_err(Failure)?;
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        for warning in &warnings {
            let message = CString::new(warning.as_str())?;
            PyErr::warn(py, &py.get_type::<PyUserWarning>(), &message, 1)?;
        }
        // One line per vendor: the facade's `Config` has a field per vendor.
        let mut members = Vec::new();
        if let Some(p) = config.zego.clone() {
            members.push(ZegoProvider::wrap(py, p)?);
        }
        if let Some(p) = config.agora.clone() {
            members.push(AgoraProvider::wrap(py, p)?);
        }
        if let Some(p) = config.tencent.clone() {
            members.push(TencentProvider::wrap(py, p)?);
        }
        let providers = Providers::from_members(py, members, config.default_vendor);
        Ok(Self {
            providers: Py::new(py, providers)?,
            renew_before_secs: config.renew_before_secs,
            warnings,
        })
    }
}

#[pymethods]
impl Config {
    /// Reads the process environment.
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Self::load(py, &Sources::new().with_process_env())
    }

    /// Reads a TOML file (no environment); relative secret-file paths are
    /// read from its directory.
    #[staticmethod]
    fn from_toml_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Self::load(py, &Sources::new().with_file(path))
    }

    /// Reads TOML text; relative secret-file paths are read from `base_dir`.
    #[staticmethod]
    #[pyo3(signature = (text, base_dir = None))]
    fn from_toml_str(py: Python<'_>, text: &str, base_dir: Option<PathBuf>) -> PyResult<Self> {
        Self::load(
            py,
            &Sources::new().with_toml_text(text, base_dir.as_deref()),
        )
    }

    /// The configured providers.
    #[getter]
    fn providers(&self, py: Python<'_>) -> Py<Providers> {
        self.providers.clone_ref(py)
    }

    /// The configured vendors.
    #[getter]
    pub(crate) fn vendors(&self, py: Python<'_>) -> Vec<&'static str> {
        self.providers.bind(py).get().vendors()
    }

    /// The vendor used when a request names none, if any.
    #[getter]
    pub(crate) fn default_vendor(&self, py: Python<'_>) -> Option<&'static str> {
        self.providers.bind(py).get().default_vendor()
    }

    /// Seconds before expiry at which clients are told to renew.
    #[getter]
    fn renew_before_secs(&self) -> u32 {
        self.renew_before_secs
    }

    /// What the loader warned about (also issued as `UserWarning`s), e.g. a
    /// secret file other users can read.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Config(providers={}, renew_before_secs={})",
            self.providers.bind(py).repr()?,
            self.renew_before_secs
        ))
    }
}
