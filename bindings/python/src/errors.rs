//! Errors as Python exceptions (one class per facade error kind), the small
//! conversions every method shares, and secrets read once from Python.

use std::ffi::CString;

use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString, PyType};
use pythonize::{depythonize, pythonize};
use rtc_tokens::{ErrorKind, Named};
use serde::Serialize;

/// `RtcTokensError` and one subclass per [`ErrorKind`], made once per interpreter.
pub(crate) struct ErrorClasses {
    pub(crate) base: Py<PyType>,
    pub(crate) kinds: Vec<(ErrorKind, Py<PyType>)>,
}

pub(crate) static ERROR_CLASSES: PyOnceLock<ErrorClasses> = PyOnceLock::new();

/// `invalid_input` → `InvalidInput`.
pub(crate) fn class_name(kind: ErrorKind) -> String {
    kind.as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

pub(crate) fn new_class(
    py: Python<'_>,
    name: &str,
    doc: &str,
    base: &Bound<'_, PyType>,
    kind: Option<&str>,
) -> PyResult<Py<PyType>> {
    let dict = PyDict::new(py);
    dict.set_item("kind", kind)?;
    let name = CString::new(format!("rtc_tokens.{name}"))?;
    let doc = CString::new(doc)?;
    // `new_type` drops the `Py` it is given before CPython reads the dict
    // (pyo3 0.30): `dict` keeps its own reference alive across the call.
    let class = PyErr::new_type(
        py,
        &name,
        Some(&doc),
        Some(base),
        Some(dict.clone().into_any().unbind()),
    );
    drop(dict);
    class
}

pub(crate) fn error_classes(py: Python<'_>) -> PyResult<&ErrorClasses> {
    ERROR_CLASSES.get_or_try_init(py, || {
        let base = new_class(
            py,
            "RtcTokensError",
            "Base class of every rtc_tokens error: `.kind` names the category \
             (`invalid_input`, `malformed`, ...), `.vendor` the vendor it concerns \
             (or None), `.message` the text without the vendor prefix. Messages \
             never contain a secret or a token.",
            &py.get_type::<PyException>(),
            None,
        )?;
        let kinds = ErrorKind::ALL
            .iter()
            .map(|&kind| {
                let doc = format!("The `{kind}` error kind (see RtcTokensError).");
                let class = new_class(
                    py,
                    &class_name(kind),
                    &doc,
                    base.bind(py),
                    Some(kind.as_str()),
                )?;
                Ok((kind, class))
            })
            .collect::<PyResult<_>>()?;
        Ok(ErrorClasses { base, kinds })
    })
}

/// A facade error on its way to Python: raised as the class of its kind.
pub(crate) struct Failure(pub(crate) rtc_tokens::Error);

impl From<rtc_tokens::Error> for Failure {
    fn from(e: rtc_tokens::Error) -> Self {
        Self(e)
    }
}

impl From<Failure> for PyErr {
    fn from(Failure(e): Failure) -> Self {
        Python::attach(|py| raise(py, &e).unwrap_or_else(|err| err))
    }
}

pub(crate) fn raise(py: Python<'_>, e: &rtc_tokens::Error) -> PyResult<PyErr> {
    let classes = error_classes(py)?;
    let class = classes
        .kinds
        .iter()
        .find(|(kind, _)| *kind == e.kind())
        .map_or(&classes.base, |(_, class)| class);
    let instance = class.bind(py).call1((e.to_string(),))?;
    instance.setattr("vendor", e.vendor().map(Named::name))?;
    instance.setattr("message", e.message())?;
    Ok(PyErr::from_value(instance))
}

/// An `invalid_input` error about argument `what`.
pub(crate) fn invalid(what: &str, problem: impl std::fmt::Display) -> Failure {
    Failure(rtc_tokens::Error::invalid_input(
        None,
        format!("{what}: {problem}"),
    ))
}

pub(crate) type Result<T> = std::result::Result<T, Failure>;

/// Reads a Python value into a facade type through its serde form.
pub(crate) fn read<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &Bound<'_, PyAny>,
) -> Result<T> {
    depythonize(value).map_err(|e| invalid(what, e))
}

/// A facade value as its serde form (what the CLI's `--json` writes).
pub(crate) fn write<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize(py, value).map_err(|e| PyException::new_err(e.to_string()))
}

/// A facade enum read by its name (`FromStr`, the facade's spellings).
pub(crate) fn parse<T: std::str::FromStr>(value: &str) -> Result<T>
where
    T::Err: Into<rtc_tokens::Error>,
{
    value.parse().map_err(|e: T::Err| Failure(e.into()))
}

/// `value` as Python writes it in a `repr` (`'lobby'`, `None`).
pub(crate) fn quoted(py: Python<'_>, value: Option<&str>) -> PyResult<String> {
    match value {
        Some(text) => Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned()),
        None => Ok("None".to_owned()),
    }
}

/// A number, or `None`.
pub(crate) fn number(value: Option<u64>) -> String {
    value.map_or_else(|| "None".to_owned(), |n| n.to_string())
}

// ---------------------------------------------------------------- secrets

/// Hands a secret given as `str` or `bytes` to `make` as UTF-8 bytes
/// borrowed from the Python object (a `str` is encoded into a temporary
/// `bytes`); no copy is made on the Rust side.
pub(crate) fn with_secret<T>(
    what: &str,
    secret: &Bound<'_, PyAny>,
    make: impl FnOnce(&[u8]) -> Result<T>,
) -> PyResult<T> {
    if let Ok(text) = secret.cast::<PyString>() {
        let bytes = text.encode_utf8()?;
        Ok(make(bytes.as_bytes())?)
    } else if let Ok(bytes) = secret.cast::<PyBytes>() {
        Ok(make(bytes.as_bytes())?)
    } else {
        Err(PyTypeError::new_err(format!("{what} must be str or bytes")))
    }
}
