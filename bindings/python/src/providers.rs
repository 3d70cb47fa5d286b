//! The provider classes: the generic `TokenProvider` over any facade
//! provider, and one subclass per vendor that only adds its constructor.

use std::sync::Arc;

use crate::errors::*;
use crate::results::*;
use pyo3::prelude::*;
use rtc_tokens::{
    AgoraVersion, ExpiryCheck, Named, ParseOptions, Privilege, TokenRequest, TokenVersion,
};

/// Issues and checks one vendor's tokens. Built by a vendor's subclass
/// (`ZegoProvider`, `AgoraProvider`, `TencentProvider`) or by `Config`.
#[pyclass(module = "rtc_tokens", subclass, frozen)]
pub(crate) struct TokenProvider {
    pub(crate) inner: Arc<dyn rtc_tokens::TokenProvider>,
    /// The non-secret settings the `repr` shows after the app id.
    settings: String,
}

/// The keyword arguments `inspect` and `verify` share, in their order:
/// `expect_app_id`, `expect_room`, `expect_user`, `version`.
pub(crate) type Expect<'a, 'py> = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<&'a Bound<'py, PyAny>>,
);

/// The keyword arguments of `verify` and `inspect`, as [`ParseOptions`]
/// (`inspect`: no `require`, no expiry check).
pub(crate) fn parse_options(
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
pub(crate) struct RequestArgs<'a, 'py> {
    pub(crate) kind: Option<&'a str>,
    pub(crate) user_id: Option<String>,
    pub(crate) uid: Option<u32>,
    pub(crate) room: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) role: Option<&'a str>,
    pub(crate) validity_secs: Option<u32>,
    pub(crate) stream_ids: Option<Vec<String>>,
    pub(crate) privilege_expiries: Option<&'a Bound<'py, PyAny>>,
    pub(crate) privileges: Option<&'a Bound<'py, PyAny>>,
}

/// A facade enum read by its name, an error naming `field`.
pub(crate) fn field<T: std::str::FromStr>(field: &str, value: Option<&str>) -> Result<Option<T>>
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
    pub(crate) fn request(self) -> Result<TokenRequest> {
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
pub(crate) fn subclassed<S>(
    py: Python<'_>,
    base: TokenProvider,
    subclass: S,
) -> PyResult<Py<TokenProvider>>
where
    S: pyo3::PyClass<BaseType = TokenProvider>,
{
    let init = PyClassInitializer::from(base).add_subclass(subclass);
    Ok(Bound::new(py, init)?.into_super().unbind())
}

/// Issues `request` as of `now` (the system clock when `None`).
pub(crate) fn issue_with(
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
pub(crate) struct ZegoProvider;

impl ZegoProvider {
    fn base(provider: rtc_tokens::ZegoProvider) -> TokenProvider {
        TokenProvider {
            settings: format!(", mode='{}'", provider.mode()),
            inner: Arc::new(provider),
        }
    }

    pub(crate) fn wrap(
        py: Python<'_>,
        provider: rtc_tokens::ZegoProvider,
    ) -> PyResult<Py<TokenProvider>> {
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
pub(crate) struct AgoraProvider;

impl AgoraProvider {
    fn base(provider: rtc_tokens::AgoraProvider) -> TokenProvider {
        TokenProvider {
            settings: format!(", version='{}'", provider.version()),
            inner: Arc::new(provider),
        }
    }

    pub(crate) fn wrap(
        py: Python<'_>,
        provider: rtc_tokens::AgoraProvider,
    ) -> PyResult<Py<TokenProvider>> {
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
pub(crate) struct TencentProvider;

impl TencentProvider {
    fn base(provider: rtc_tokens::TencentProvider) -> TokenProvider {
        TokenProvider {
            settings: String::new(),
            inner: Arc::new(provider),
        }
    }

    pub(crate) fn wrap(
        py: Python<'_>,
        provider: rtc_tokens::TencentProvider,
    ) -> PyResult<Py<TokenProvider>> {
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
