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
//!   fields of [`TokenRequest`] by their serde names (the server's JSON body),
//!   reads kinds and roles with the facade's own parsers and leaves what is
//!   not given at the facade's defaults; a field added to the request is one
//!   keyword here (typed keywords cost a tenth of a serde round trip).
//! - **Vendors are generic.** The provider base class wraps any
//!   `Arc<dyn TokenProvider>`; a vendor's subclass only adds its constructor.

use std::ffi::CString;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyException, PyTypeError, PyUserWarning};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple, PyType};
use pythonize::{depythonize, pythonize};
use rtc_tokens::config::Sources;
use rtc_tokens::{
    AgoraVersion, ErrorKind, ExpiryCheck, Named, ParseOptions, Privilege, TokenRequest,
    TokenVersion, Vendor,
};
use serde::Serialize;

// ---------------------------------------------------------------- errors

/// `RtcTokensError` and one subclass per [`ErrorKind`], made once per interpreter.
struct ErrorClasses {
    base: Py<PyType>,
    kinds: Vec<(ErrorKind, Py<PyType>)>,
}

static ERROR_CLASSES: PyOnceLock<ErrorClasses> = PyOnceLock::new();

/// `invalid_input` → `InvalidInput`.
fn class_name(kind: ErrorKind) -> String {
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

fn new_class(
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

fn error_classes(py: Python<'_>) -> PyResult<&ErrorClasses> {
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
struct Failure(rtc_tokens::Error);

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

fn raise(py: Python<'_>, e: &rtc_tokens::Error) -> PyResult<PyErr> {
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
fn invalid(what: &str, problem: impl std::fmt::Display) -> Failure {
    Failure(rtc_tokens::Error::invalid_input(
        None,
        format!("{what}: {problem}"),
    ))
}

type Result<T> = std::result::Result<T, Failure>;

/// Reads a Python value into a facade type through its serde form.
fn read<T: serde::de::DeserializeOwned>(what: &str, value: &Bound<'_, PyAny>) -> Result<T> {
    depythonize(value).map_err(|e| invalid(what, e))
}

/// A facade value as its serde form (what the CLI's `--json` writes).
fn write<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize(py, value).map_err(|e| PyException::new_err(e.to_string()))
}

/// A facade enum read by its name (`FromStr`, the facade's spellings).
fn parse<T: std::str::FromStr>(value: &str) -> Result<T>
where
    T::Err: Into<rtc_tokens::Error>,
{
    value.parse().map_err(|e: T::Err| Failure(e.into()))
}

/// `value` as Python writes it in a `repr` (`'lobby'`, `None`).
fn quoted(py: Python<'_>, value: Option<&str>) -> PyResult<String> {
    match value {
        Some(text) => Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned()),
        None => Ok("None".to_owned()),
    }
}

/// A number, or `None`.
fn number(value: Option<u64>) -> String {
    value.map_or_else(|| "None".to_owned(), |n| n.to_string())
}

// ---------------------------------------------------------------- secrets

/// Hands a secret given as `str` or `bytes` to `make` as UTF-8 bytes
/// borrowed from the Python object (a `str` is encoded into a temporary
/// `bytes`); no copy is made on the Rust side.
fn with_secret<T>(
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

// ---------------------------------------------------------------- results

/// A token issued by a provider. Immutable; equal when every field is.
/// Its `repr` leaves the token out: tokens are credentials.
#[pyclass(module = "rtc_tokens", frozen, eq)]
#[derive(Clone, PartialEq)]
struct IssuedToken(rtc_tokens::IssuedToken);

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
struct PrivilegeView(rtc_tokens::PrivilegeView);

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
struct ParsedToken(rtc_tokens::ParsedToken);

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

// ---------------------------------------------------------------- providers

/// Issues and checks one vendor's tokens. Built by a vendor's subclass
/// (`ZegoProvider`, `AgoraProvider`, `TencentProvider`) or by `Config`.
#[pyclass(module = "rtc_tokens", subclass, frozen)]
struct TokenProvider {
    inner: Arc<dyn rtc_tokens::TokenProvider>,
    /// The non-secret settings the `repr` shows after the app id.
    settings: String,
}

/// The keyword arguments `inspect` and `verify` share, in their order:
/// `expect_app_id`, `expect_room`, `expect_user`, `version`.
type Expect<'a, 'py> = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<&'a Bound<'py, PyAny>>,
);

/// The keyword arguments of `verify` and `inspect`, as [`ParseOptions`]
/// (`inspect`: no `require`, no expiry check).
fn parse_options(
    (expect_app_id, expect_room, expect_user, version): Expect<'_, '_>,
    require: Option<&Bound<'_, PyAny>>,
    now: Option<u64>,
    check_expiry: bool,
) -> Result<ParseOptions> {
    Ok(ParseOptions {
        expiry: match (check_expiry, now) {
            (false, _) => ExpiryCheck::Skip,
            (true, Some(now)) => ExpiryCheck::At(now),
            (true, None) => ExpiryCheck::Now,
        },
        app_id: expect_app_id,
        channel: expect_room,
        uid: expect_user,
        version: version
            .map(|v| read::<TokenVersion>("version", v))
            .transpose()?,
        require: require
            .map(|r| read::<Vec<Privilege>>("require", r))
            .transpose()?,
    })
}

/// The keyword arguments of `issue`, named as the [`TokenRequest`] fields
/// (and the server's JSON body); `None` leaves the request's default.
#[derive(Default)]
struct RequestArgs<'a, 'py> {
    kind: Option<&'a str>,
    user_id: Option<String>,
    uid: Option<u32>,
    room: Option<String>,
    channel: Option<String>,
    role: Option<&'a str>,
    validity_secs: Option<u32>,
    stream_ids: Option<Vec<String>>,
    privilege_expiries: Option<&'a Bound<'py, PyAny>>,
    privileges: Option<&'a Bound<'py, PyAny>>,
}

/// A facade enum read by its name, an error naming `field`.
fn field<T: std::str::FromStr>(field: &str, value: Option<&str>) -> Result<Option<T>>
where
    T::Err: Into<rtc_tokens::Error>,
{
    value
        .map(|v| {
            v.parse().map_err(|e: T::Err| {
                let e: rtc_tokens::Error = e.into();
                invalid(field, e.message())
            })
        })
        .transpose()
}

impl RequestArgs<'_, '_> {
    fn request(self) -> Result<TokenRequest> {
        if self.room.is_some() && self.channel.is_some() {
            return Err(invalid(
                "channel",
                "give room or its alias channel, not both",
            ));
        }
        let defaults = TokenRequest::default();
        #[allow(
            clippy::needless_update,
            reason = "a field added to TokenRequest keeps its default until it gets a keyword"
        )]
        Ok(TokenRequest {
            kind: field("kind", self.kind)?.unwrap_or(defaults.kind),
            user_id: self.user_id,
            uid: self.uid,
            room: self.room.or(self.channel),
            role: field("role", self.role)?.unwrap_or(defaults.role),
            validity_secs: self.validity_secs.unwrap_or(defaults.validity_secs),
            stream_ids: self.stream_ids.unwrap_or_default(),
            privilege_expiries: self
                .privilege_expiries
                .map(|p| read("privilege_expiries", p))
                .transpose()?,
            privileges: self
                .privileges
                .map(|p| read::<Vec<Privilege>>("privileges", p))
                .transpose()?,
            ..defaults
        })
    }
}

/// `base` as an instance of its vendor's subclass `S` (`demo`, `Config`).
fn subclassed<S>(py: Python<'_>, base: TokenProvider, subclass: S) -> PyResult<Py<TokenProvider>>
where
    S: pyo3::PyClass<BaseType = TokenProvider>,
{
    let init = PyClassInitializer::from(base).add_subclass(subclass);
    Ok(Bound::new(py, init)?.into_super().unbind())
}

/// Issues `request` as of `now` (the system clock when `None`).
fn issue_with(
    provider: &dyn rtc_tokens::TokenProvider,
    request: &TokenRequest,
    now: Option<u64>,
) -> Result<IssuedToken> {
    let issued = match now {
        Some(now) => provider.issue_at(request, now),
        None => provider.issue(request),
    };
    Ok(IssuedToken(issued?))
}

#[pymethods]
impl TokenProvider {
    /// The vendor (`zego`, `agora`, `tencent`).
    #[getter]
    fn vendor(&self) -> &'static str {
        self.inner.vendor().name()
    }

    /// The app id, as text.
    #[getter]
    fn app_id(&self) -> String {
        self.inner.app_id()
    }

    /// Issues a token for the request given as keywords, named as the
    /// server's JSON fields (`kind`, `user_id`, `uid`, `room` or `channel`,
    /// `role`, `validity_secs`, `stream_ids`, `privilege_expiries`,
    /// `privileges`), as of
    /// `now` (unix seconds; the system clock by default).
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    #[pyo3(signature = (*, now = None, kind = None, user_id = None, uid = None, room = None, channel = None, role = None, validity_secs = None, stream_ids = None, privilege_expiries = None, privileges = None))]
    fn issue(
        &self,
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
        Ok(issue_with(self.inner.as_ref(), &request, now)?)
    }

    /// Decodes a token and reports how far its integrity was checked,
    /// without failing on a bad signature or an expiry.
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

    /// Decodes and verifies a token: authentic, for what is expected,
    /// holding the required privileges (by default what it needs to be
    /// usable) and unexpired at `now` (the system clock by default).
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

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.get();
        Ok(format!(
            "{}(app_id={}{})",
            slf.get_type().name()?,
            quoted(slf.py(), Some(&this.inner.app_id()))?,
            this.settings
        ))
    }
}

/// ZEGOCLOUD token04 provider.
#[pyclass(module = "rtc_tokens", extends = TokenProvider, frozen)]
struct ZegoProvider;

impl ZegoProvider {
    fn base(provider: rtc_tokens::ZegoProvider) -> TokenProvider {
        TokenProvider {
            settings: format!(", mode='{}'", provider.mode()),
            inner: Arc::new(provider),
        }
    }

    fn wrap(py: Python<'_>, provider: rtc_tokens::ZegoProvider) -> PyResult<Py<TokenProvider>> {
        subclassed(py, Self::base(provider), Self)
    }
}

#[pymethods]
impl ZegoProvider {
    /// A provider for the numeric `app_id` with its 32-byte ServerSecret.
    #[new]
    #[pyo3(signature = (app_id, server_secret, *, mode = "gcm", renew_before_secs = rtc_tokens::DEFAULT_RENEW_BEFORE_SECS))]
    fn new(
        app_id: u32,
        server_secret: &Bound<'_, PyAny>,
        mode: &str,
        renew_before_secs: u32,
    ) -> PyResult<PyClassInitializer<Self>> {
        use rtc_tokens::zego_token04::{AppId, Mode, ServerSecret};
        let app_id = AppId::new(app_id).map_err(|e| Failure(e.into()))?;
        let mode: Mode = parse(mode)?;
        let secret = with_secret("server_secret", server_secret, |bytes| {
            ServerSecret::from_bytes(bytes).map_err(|e| Failure(e.into()))
        })?;
        let provider = rtc_tokens::ZegoProvider::new(app_id, secret)
            .with_mode(mode)
            .with_renew_before(renew_before_secs);
        Ok(PyClassInitializer::from(Self::base(provider)).add_subclass(Self))
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[staticmethod]
    fn demo(py: Python<'_>) -> PyResult<Py<TokenProvider>> {
        Self::wrap(py, rtc_tokens::ZegoProvider::demo())
    }
}

/// Agora provider: AccessToken2 `007` (default) or AccessToken `006`.
#[pyclass(module = "rtc_tokens", extends = TokenProvider, frozen)]
struct AgoraProvider;

impl AgoraProvider {
    fn base(provider: rtc_tokens::AgoraProvider) -> TokenProvider {
        TokenProvider {
            settings: format!(", version='{}'", provider.version()),
            inner: Arc::new(provider),
        }
    }

    fn wrap(py: Python<'_>, provider: rtc_tokens::AgoraProvider) -> PyResult<Py<TokenProvider>> {
        subclassed(py, Self::base(provider), Self)
    }
}

#[pymethods]
impl AgoraProvider {
    /// A provider for `app_id` (32 hex characters) with its app certificate.
    #[new]
    #[pyo3(signature = (app_id, app_certificate, *, version = "007", renew_before_secs = rtc_tokens::DEFAULT_RENEW_BEFORE_SECS))]
    fn new(
        app_id: &str,
        app_certificate: &Bound<'_, PyAny>,
        version: &str,
        renew_before_secs: u32,
    ) -> PyResult<PyClassInitializer<Self>> {
        use rtc_tokens::agora_dynamic_key::{AppCertificate, AppId};
        let app_id = AppId::new(app_id).map_err(|e| Failure(e.into()))?;
        let version: AgoraVersion = parse(version)?;
        let certificate = with_secret("app_certificate", app_certificate, |bytes| {
            let text =
                std::str::from_utf8(bytes).map_err(|_| invalid("app_certificate", "not utf-8"))?;
            AppCertificate::new(text).map_err(|e| Failure(e.into()))
        })?;
        let provider = rtc_tokens::AgoraProvider::new(app_id, certificate)
            .with_version(version)
            .with_renew_before(renew_before_secs);
        Ok(PyClassInitializer::from(Self::base(provider)).add_subclass(Self))
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[staticmethod]
    #[pyo3(signature = (*, version = "007"))]
    fn demo(py: Python<'_>, version: &str) -> PyResult<Py<TokenProvider>> {
        let version: AgoraVersion = parse(version)?;
        Self::wrap(py, rtc_tokens::AgoraProvider::demo().with_version(version))
    }
}

/// Tencent Cloud TRTC provider: a UserSig, or a PrivateMapKey (a UserSig
/// with room privileges) when the request names a room.
#[pyclass(module = "rtc_tokens", extends = TokenProvider, frozen)]
struct TencentProvider;

impl TencentProvider {
    fn base(provider: rtc_tokens::TencentProvider) -> TokenProvider {
        TokenProvider {
            settings: String::new(),
            inner: Arc::new(provider),
        }
    }

    fn wrap(py: Python<'_>, provider: rtc_tokens::TencentProvider) -> PyResult<Py<TokenProvider>> {
        subclassed(py, Self::base(provider), Self)
    }
}

#[pymethods]
impl TencentProvider {
    /// A provider for the application `sdk_app_id` with its secret key (the
    /// console's 64 hex characters, used as text, as Tencent's references do).
    #[new]
    #[pyo3(signature = (sdk_app_id, secret_key, *, renew_before_secs = rtc_tokens::DEFAULT_RENEW_BEFORE_SECS))]
    fn new(
        sdk_app_id: u32,
        secret_key: &Bound<'_, PyAny>,
        renew_before_secs: u32,
    ) -> PyResult<PyClassInitializer<Self>> {
        use rtc_tokens::tencent_usersig::{SdkAppId, SecretKey};
        let sdk_app_id = SdkAppId::new(sdk_app_id).map_err(|e| invalid("sdk_app_id", e))?;
        let key = with_secret("secret_key", secret_key, |bytes| {
            let text =
                std::str::from_utf8(bytes).map_err(|_| invalid("secret_key", "not utf-8"))?;
            SecretKey::new(text).map_err(|e| Failure(e.into()))
        })?;
        let provider =
            rtc_tokens::TencentProvider::new(sdk_app_id, key).with_renew_before(renew_before_secs);
        Ok(PyClassInitializer::from(Self::base(provider)).add_subclass(Self))
    }

    /// A provider on the built-in, clearly fake demo credentials.
    #[staticmethod]
    fn demo(py: Python<'_>) -> PyResult<Py<TokenProvider>> {
        Self::wrap(py, rtc_tokens::TencentProvider::demo())
    }

    /// The neutral privileges a TRTC privilege map (`privMap`, bits 1 to 128)
    /// grants, for `issue(privileges=...)`.
    #[staticmethod]
    fn privileges_of_map<'py>(py: Python<'py>, map: u32) -> PyResult<Bound<'py, PyAny>> {
        let privileges = rtc_tokens::TencentProvider::privileges_of_map(map).map_err(Failure)?;
        write(py, &privileges)
    }
}

// ---------------------------------------------------------------- registry

/// A set of providers, at most one per vendor (a later one replaces an
/// earlier one), with a default vendor; it recognises a token's vendor from
/// its prefix.
#[pyclass(module = "rtc_tokens", frozen)]
struct Providers {
    inner: rtc_tokens::Providers,
    members: Vec<Py<TokenProvider>>,
}

impl Providers {
    fn from_members(
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
    fn vendors(&self) -> Vec<&'static str> {
        self.inner.vendors().into_iter().map(Named::name).collect()
    }

    /// The vendor used when none is named, if any.
    #[getter]
    fn default_vendor(&self) -> Option<&'static str> {
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

// ---------------------------------------------------------------- config

/// Providers configured by the facade's loader: from the environment
/// (`ZEGO_APP_ID`, `AGORA_APP_CERTIFICATE_FILE`, `TENCENT_SDK_APP_ID`, ...) or a
/// TOML file, with the
/// same settings, aliases and secret-file rules as the CLI and the server.
#[pyclass(module = "rtc_tokens", frozen)]
struct Config {
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
    fn vendors(&self, py: Python<'_>) -> Vec<&'static str> {
        self.providers.bind(py).get().vendors()
    }

    /// The vendor used when a request names none, if any.
    #[getter]
    fn default_vendor(&self, py: Python<'_>) -> Option<&'static str> {
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

// ---------------------------------------------------------------- module

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
