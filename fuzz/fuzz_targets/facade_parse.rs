//! `rtc_tokens::Providers` (the three demo providers: ZEGO, Agora, Tencent):
//! detection, `inspect` and `verify` on arbitrary strings, auto-detecting
//! `04`, `006`, `007` and a Tencent UserSig's shape; unverified decoding,
//! notes and transit-mangling recognition on the same strings.
//!
//! Input: the token on the first line; an optional channel and uid on the
//! next two (used for 006 verification).
//!
//! Properties: nothing panics; errors carry a known kind; a token with a ZEGO
//! or Agora prefix is never taken for Tencent's, nor a UserSig for theirs;
//! whatever is decoded (unverified, inspected or verified) has the vendor and
//! version detection gave; whatever `verify` accepts, `inspect` accepts with
//! the same vendor and version; no error message contains the token.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use rtc_tokens::{
    AgoraProvider, ParseOptions, Providers, TencentProvider, TokenVersion, Vendor, ZegoProvider,
    dangerous, diagnostics,
};

static PROVIDERS: LazyLock<Providers> = LazyLock::new(|| {
    Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
        .with(Arc::new(TencentProvider::demo()))
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(3, '\n');
    let token = lines.next().unwrap_or_default();
    let channel = lines.next();
    let uid = lines.next();
    let providers = &*PROVIDERS;

    // Detection: prefixes first, and disjoint from Tencent's shape.
    let detected = TokenVersion::detect(token).ok();
    let prefixed = ["04", "006", "007"]
        .iter()
        .any(|p| token.trim().starts_with(p));
    if prefixed {
        assert_ne!(detected.map(TokenVersion::vendor), Some(Vendor::Tencent));
    }
    if detected == Some(TokenVersion::TencentUserSig) {
        assert!(!prefixed);
    }
    if let Ok(seen) = dangerous::insecure_decode(token) {
        assert_eq!(Some(seen.version), detected);
        let _ = seen.notes(1_700_000_000);
        let _ = seen.principal_notes(channel, uid);
    }
    if token.len() <= 1024 {
        // Quadratic in the length at worst (every split point of a glued pair).
        let _ = diagnostics::mangling(text);
    }

    let mut with_channel = ParseOptions::skip_expiry();
    if let (Some(c), Some(u)) = (channel, uid) {
        with_channel = with_channel.with_channel_uid(c, u);
    }
    for options in [
        ParseOptions::default(),
        ParseOptions::skip_expiry(),
        ParseOptions::at(1_700_000_000),
        with_channel,
    ] {
        let inspected = providers.inspect(token, &options);
        let verified = providers.verify(token, &options);
        if let Ok(i) = &inspected {
            assert_eq!(Some(i.version), detected);
        }
        if let Ok(v) = &verified {
            let i = inspected
                .as_ref()
                .expect("verify accepted what inspect refused");
            assert_eq!(v.vendor, i.vendor);
            assert_eq!(v.version, i.version);
        }
        // Error messages must not echo the input.
        for e in [inspected.err(), verified.err()].into_iter().flatten() {
            let _ = e.kind().as_str();
            if token.len() >= 16 {
                assert!(!e.to_string().contains(token));
            }
        }
    }
});
