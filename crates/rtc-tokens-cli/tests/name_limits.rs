//! The vendors' documented name limits reach the CLI through the facade: a
//! build for an over-long channel or a NUL in a user id fails with one
//! `error:` line naming the field and the limit, never echoing the value.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;

#[test]
fn names_beyond_the_vendors_limits_are_refused() {
    let channel = "c".repeat(100);
    let err = usage_error(
        with_agora(cli()),
        &[
            "build",
            "agora",
            "rtc",
            "--channel",
            &channel,
            "--uid",
            "42",
        ],
    );
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("room: invalid channel name: must be 1 to 63 bytes"),
        "{err}"
    );
    assert!(!err.contains(&channel), "the value was echoed: {err}");

    let err = usage_error(with_zego(cli()), &["build", "zego", "--user", "al\u{1}ice"]);
    assert!(
        err.contains("user_id: invalid user id: must be 1 to 64 bytes"),
        "{err}"
    );
    assert!(!err.contains("al\u{1}ice"), "the value was echoed: {err}");

    // At the limit, the build succeeds.
    let ok = "c".repeat(63);
    let built = run_json(
        with_agora(cli()),
        &["build", "agora", "rtc", "--channel", &ok, "--uid", "42"],
        0,
    );
    assert!(built["token"].as_str().unwrap().starts_with("007"));
}
