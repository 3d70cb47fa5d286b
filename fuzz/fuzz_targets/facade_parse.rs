//! `rtc_tokens::Providers` (both demo providers): `inspect` and `verify` on
//! arbitrary strings, auto-detecting `04`, `006` and `007`.
//!
//! Input: the token on the first line; an optional channel and uid on the
//! next two (used for 006 verification).
//!
//! Properties: nothing panics; errors carry a known kind; whatever `verify`
//! accepts, `inspect` accepts with the same vendor and version.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use rtc_tokens::{AgoraProvider, ParseOptions, Providers, ZegoProvider};

static PROVIDERS: LazyLock<Providers> = LazyLock::new(|| {
    Providers::new()
        .with(Arc::new(ZegoProvider::demo()))
        .with(Arc::new(AgoraProvider::demo()))
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
