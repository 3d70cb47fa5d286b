//! The native half of the Node package `@rtc-tokens/node` (napi-rs).
//!
//! It exposes the facade and nothing else: every token rule (mapping a
//! request onto a vendor, privileges per builder, service layout, caps and
//! limits) runs in the Rust crates. The JavaScript half (`index.js`,
//! `compat.js`, `zego.js`) only shapes arguments and errors.
//!
//! - [`neutral`]: `Provider` and `Providers` (from arguments, the environment or
//!   TOML through the facade's loader) with `issue`, `verify` and `inspect`;
//!   results come out as plain objects (the facade's serde shape, keys in
//!   camelCase but for the vendor's own `detail`).
//! - [`agora`]: `AgoraBuilder`, the everyday builders of `agora-dynamic-key`
//!   (via the facade's re-export) with npm `agora-token`'s argument order, and
//!   the 006 ones with npm `agora-access-token`'s.
//! - [`zego`]: ZEGO's sample `generateToken04`.
//!
//! Guarantees: secrets cross once, at construction, and are held by the
//! vendor crates' key types (zeroized on drop; the incoming `String` is
//! zeroized too); no function prints; every failure is a JS `Error` whose
//! `code` is `<kind>` or `<kind>:<vendor>` (the facade's error kinds), with the
//! facade's message, which never contains a secret or a token.

pub mod agora;
pub mod neutral;
pub mod zego;

use rtc_tokens::Named as _;
use zeroize::Zeroizing;

/// The `code` of a thrown error: the facade's error kind, then `:` and the
/// vendor when the error concerns one (`index.js` turns it into a class).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The error every native function throws.
pub type JsError = napi::Error<Code>;

/// The result of every native function.
pub type Result<T, E = JsError> = std::result::Result<T, E>;

/// The JS error for a facade error: `code` `kind[:vendor]`, the facade's message.
#[must_use]
pub fn js_error(e: &rtc_tokens::Error) -> JsError {
    let code = match e.vendor() {
        Some(v) => format!("{}:{}", e.kind().as_str(), v.name()),
        None => e.kind().as_str().to_owned(),
    };
    napi::Error::new(Code(code), e.message())
}

/// An `invalid_input` JS error with `message` (which must not contain a secret).
#[must_use]
pub fn invalid_input(message: impl Into<String>) -> JsError {
    js_error(&rtc_tokens::Error::invalid_input(None, message))
}

/// Maps a facade result onto a JS one.
///
/// # Errors
///
/// The facade error, as [`js_error`].
pub fn js<T>(r: Result<T, rtc_tokens::Error>) -> Result<T> {
    r.map_err(|e| js_error(&e))
}

/// Takes ownership of a secret string from JS so that it is zeroized when dropped.
#[must_use]
pub fn secret(s: String) -> Zeroizing<String> {
    Zeroizing::new(s)
}
