#![doc = include_str!("../README.md")]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]

mod agora;
pub mod config;
pub mod dangerous;
mod detail;
pub mod diagnostics;
mod error;
mod named;
pub mod policy;
mod privilege;
mod provider;
mod tencent;
mod types;
mod zego;

pub use agora::{AgoraProvider, AgoraVersion, DEMO_AGORA_APP_CERTIFICATE, DEMO_AGORA_APP_ID};
pub use config::Config;
pub use detail::VendorDetail;
pub use diagnostics::{Mangling, Note, mangling};
pub use error::{Error, ErrorKind, VendorError};
pub use named::Named;
pub use privilege::{Privilege, check_privileges};
pub use provider::{
    Providers, TokenProvider, check_expected, check_expiry, renew_at, require_verified, unix_now,
};
pub use tencent::{DEMO_TENCENT_SDK_APP_ID, DEMO_TENCENT_SECRET_KEY, TencentProvider};
pub use types::{
    DEFAULT_RENEW_BEFORE_SECS, DEFAULT_VALIDITY_SECS, ExpiryCheck, IssuedToken, ParseOptions,
    ParsedToken, PrivilegeExpiries, PrivilegeView, Role, TokenKind, TokenRequest, TokenVersion,
    Vendor, Verification,
};
pub use zego::{DEMO_ZEGO_APP_ID, DEMO_ZEGO_SERVER_SECRET, ZegoProvider};

/// The ZEGOCLOUD token04 crate, re-exported.
pub use zego_token04;

/// The Agora AccessToken/AccessToken2 crate, re-exported.
pub use agora_dynamic_key;

/// The Tencent UserSig/PrivateMapKey crate, re-exported.
pub use tencent_usersig;
