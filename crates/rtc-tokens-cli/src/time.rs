//! Absolute (RFC 3339, UTC) and relative ("in 59 min", "3 h ago") times, from
//! unix seconds, and `--at` values (unix seconds or RFC 3339), without a date
//! library: the CLI needs only these conversions, over the Gregorian calendar.

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

/// Days since 1970-01-01 of a (year, month, day) date, or `None` before 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    // The inverse of `civil_from_days`, same epoch shift.
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y / 400;
    let yoe = y % 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

/// Parses an `--at` value: unix seconds (`1716000000`) or an RFC 3339 time
/// with `Z` or an offset (`2026-12-06T10:00:00Z`, `2026-12-06T11:00:00+01:00`;
/// fractions of a second are dropped).
///
/// # Errors
///
/// A message saying what was expected, for anything else (or a time before 1970).
pub fn parse_at(value: &str) -> Result<u64, String> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value
            .parse()
            .map_err(|_| "unix seconds out of range".to_owned());
    }
    rfc3339_to_unix(value).ok_or_else(|| {
        "expected unix seconds (1716000000) or an RFC 3339 time (2026-12-06T10:00:00Z, \
         2026-12-06T11:00:00+01:00)"
            .to_owned()
    })
}

fn rfc3339_to_unix(s: &str) -> Option<u64> {
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = s.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let sep = |at: usize, allowed: &[u8]| s.as_bytes().get(at).is_some_and(|b| allowed.contains(b));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max_day = *month_days.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    // Second 60 is a leap second; unix time has none, so it counts as the next.
    if day == 0 || day > max_day || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let local = days_from_civil(year, month, day)? * 86_400 + hour * 3_600 + minute * 60 + second;
    if rest.eq_ignore_ascii_case("z") {
        return Some(local);
    }
    let (sign, offset) = (rest.get(..1)?, rest.get(1..)?);
    let (oh, om) = match offset.as_bytes() {
        [h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) => (
            offset.get(0..2)?.parse::<u64>().ok()?,
            offset.get(3..5)?.parse::<u64>().ok()?,
        ),
        _ => return None,
    };
    if oh > 23 || om > 59 {
        return None;
    }
    let offset = oh * 3_600 + om * 60;
    match sign {
        // Local time is ahead of UTC by the offset.
        "+" => local.checked_sub(offset),
        "-" => local.checked_add(offset),
        _ => None,
    }
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
    fn at_values() {
        assert_eq!(parse_at("1716000000"), Ok(1_716_000_000));
        assert_eq!(parse_at("2024-05-18T03:40:00Z"), Ok(1_716_003_600));
        assert_eq!(parse_at("2024-05-18t03:40:00.123z"), Ok(1_716_003_600));
        assert_eq!(parse_at("2024-05-18T05:40:00+02:00"), Ok(1_716_003_600));
        assert_eq!(parse_at("2024-05-17T22:10:00-05:30"), Ok(1_716_003_600));
        assert_eq!(parse_at("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(parse_at("1970-01-01T00:00:00Z"), Ok(0));
        for unix in [
            0,
            951_782_400,
            1_700_000_000,
            4_102_444_800,
            253_402_300_799,
        ] {
            assert_eq!(parse_at(&rfc3339(unix)), Ok(unix), "{unix}");
        }
        for bad in [
            "",
            "yesterday",
            "-5",
            "2024-05-18",
            "2024-05-18T03:40:00",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-18T24:00:00Z",
            "2024-05-18T03:40:00+2:00",
            "2024-05-18T03:40:00.Z",
            "1970-01-01T00:00:00+01:00",
        ] {
            assert!(parse_at(bad).is_err(), "{bad}");
        }
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
