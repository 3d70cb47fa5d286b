//! Absolute (RFC 3339, UTC) and relative ("in 59 min", "3 h ago") times, from
//! unix seconds, without a date library.

/// Formats unix seconds as RFC 3339 in UTC, e.g. `2024-05-18T02:40:00Z`.
///
/// Uses the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
/// Years past 9999 are written with more digits; RFC 3339 has no room for
/// them, but a token that claims such an expiry should still be displayable.
pub fn rfc3339(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs / 3_600, (secs % 3_600) / 60, secs % 60);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

/// Days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so that leap days end each 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097; // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A duration in words, rounded down to one unit: `42 s`, `59 min`, `3 h`, `12 d`.
fn span(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} s"),
        120..7_200 => format!("{} min", secs / 60),
        7_200..172_800 => format!("{} h", secs / 3_600),
        _ => format!("{} d", secs / 86_400),
    }
}

/// `at` relative to `now`: `in 59 min`, `3 h ago` or `now`.
pub fn relative(at: u64, now: u64) -> String {
    if at > now {
        format!("in {}", span(at - now))
    } else if at < now {
        format!("{} ago", span(now - at))
    } else {
        "now".to_owned()
    }
}

/// `expires in 59 min`, `expired 3 h ago` or `expires now`.
pub fn expiry_phrase(expires_at: u64, now: u64) -> String {
    if expires_at > now {
        format!("expires {}", relative(expires_at, now))
    } else if expires_at == now {
        "expired just now".to_owned()
    } else {
        format!("expired {}", relative(expires_at, now))
    }
}

/// Seconds from `now` until `at` (negative when `at` is past), saturating.
pub fn seconds_until(at: u64, now: u64) -> i64 {
    if at >= now {
        i64::try_from(at - now).unwrap_or(i64::MAX)
    } else {
        i64::try_from(now - at).map_or(i64::MIN, |d| -d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(1_716_003_600), "2024-05-18T03:40:00Z");
        assert_eq!(rfc3339(u64::from(u32::MAX)), "2106-02-07T06:28:15Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn relative_times() {
        assert_eq!(relative(1_042, 1_000), "in 42 s");
        assert_eq!(expiry_phrase(1_000 + 3_599, 1_000), "expires in 59 min");
        assert_eq!(
            expiry_phrase(1_000, 1_000 + 3 * 3_600 + 5),
            "expired 3 h ago"
        );
        assert_eq!(expiry_phrase(0, 3 * 86_400), "expired 3 d ago");
        assert_eq!(relative(5, 5), "now");
        assert_eq!(seconds_until(5, 10), -5);
        assert_eq!(seconds_until(10, 5), 5);
    }
}
