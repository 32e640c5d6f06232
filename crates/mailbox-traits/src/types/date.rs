//! The internal date of a message.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::ValueError;

/// When a store received a message, with the zone it was received in
/// (RFC 9051 §2.3.3: "the date and time which reflects when the message was
/// received"; APPEND may set it, SMTP delivery sets it to the time of delivery).
///
/// Kept as seconds since the Unix epoch plus the zone's offset in minutes, so
/// IMAP's `INTERNALDATE "17-Jul-1996 02:44:25 -0700"` round-trips. The range is
/// that of a four-digit year, 0001-01-01 to 9999-12-31 UTC, as IMAP's
/// `date-year = 4DIGIT` requires; offsets are within ±23:59.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InternalDate {
    unix: i64,
    offset_minutes: i16,
}

/// The civil fields of an [`InternalDate`] in its own zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// The year, 1 to 9999 (a date near the range's ends may fall just
    /// outside it once the zone's offset is applied).
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 59.
    pub second: u8,
}

impl InternalDate {
    /// 0001-01-01T00:00:00Z.
    const MIN_UNIX: i64 = -62_135_596_800;
    /// 9999-12-31T23:59:59Z.
    const MAX_UNIX: i64 = 253_402_300_799;
    const MAX_OFFSET: i16 = 23 * 60 + 59;

    /// A date from seconds since the Unix epoch and a zone offset in minutes
    /// east of UTC.
    pub fn new(unix_seconds: i64, offset_minutes: i16) -> Result<Self, ValueError> {
        if !(Self::MIN_UNIX..=Self::MAX_UNIX).contains(&unix_seconds)
            || offset_minutes.abs() > Self::MAX_OFFSET
        {
            return Err(ValueError::OutOfRange);
        }
        Ok(Self {
            unix: unix_seconds,
            offset_minutes,
        })
    }

    /// A date in UTC from seconds since the Unix epoch.
    pub fn from_unix(unix_seconds: i64) -> Result<Self, ValueError> {
        Self::new(unix_seconds, 0)
    }

    /// A date from its civil fields in the zone `offset_minutes` east of UTC.
    pub fn from_civil(civil: Civil, offset_minutes: i16) -> Result<Self, ValueError> {
        let Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        } = civil;
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(ValueError::OutOfRange);
        }
        let local = days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        Self::new(local - i64::from(offset_minutes) * 60, offset_minutes)
    }

    /// The current time in UTC, to the second.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(self) -> i64 {
        self.unix
    }

    /// The zone's offset in minutes east of UTC.
    pub fn offset_minutes(self) -> i16 {
        self.offset_minutes
    }

    /// The same instant in another zone.
    pub fn with_offset(self, offset_minutes: i16) -> Result<Self, ValueError> {
        Self::new(self.unix, offset_minutes)
    }

    /// The civil date and time in the date's own zone.
    pub fn civil(self) -> Civil {
        let local = self.unix + i64::from(self.offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // `secs` is below 86 400, so each field fits its type.
        Civil {
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
        }
    }
}

/// Whole seconds of a system time, clamped to the supported range, in UTC.
impl From<SystemTime> for InternalDate {
    fn from(t: SystemTime) -> Self {
        let unix = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let d = e.duration();
                let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                // 1.5 s before the epoch is -2 in whole seconds, not -1.
                -whole - i64::from(d.subsec_nanos() > 0)
            }
        };
        Self {
            unix: unix.clamp(Self::MIN_UNIX, Self::MAX_UNIX),
            offset_minutes: 0,
        }
    }
}

impl From<InternalDate> for SystemTime {
    fn from(d: InternalDate) -> Self {
        let secs = Duration::from_secs(d.unix.unsigned_abs());
        if d.unix >= 0 {
            UNIX_EPOCH + secs
        } else {
            UNIX_EPOCH - secs
        }
    }
}

/// Orders by instant, then by offset, so equal instants in different zones
/// are distinct but adjacent.
impl Ord for InternalDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.unix, self.offset_minutes).cmp(&(other.unix, other.offset_minutes))
    }
}

impl PartialOrd for InternalDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// RFC 3339 form in the date's own zone: `1996-07-17T02:44:25-07:00`.
impl fmt::Display for InternalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            off / 60,
            off % 60
        )
    }
}

impl fmt::Debug for InternalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InternalDate({self})")
    }
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date. Counts in 400-year
/// eras of 146 097 days, with years starting in March so the leap day is last.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // The supported range keeps the year within i32.
    (year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Civil {
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    #[test]
    fn rfc_3501_internaldate_example() {
        // RFC 3501 §8: INTERNALDATE "17-Jul-1996 02:44:25 -0700"
        let d = InternalDate::from_civil(civil(1996, 7, 17, 2, 44, 25), -7 * 60).expect("valid");
        assert_eq!(d.unix_timestamp(), 837_596_665);
        assert_eq!(d.civil(), civil(1996, 7, 17, 2, 44, 25));
        assert_eq!(d.to_string(), "1996-07-17T02:44:25-07:00");
        let utc = d.with_offset(0).expect("valid");
        assert_eq!(utc.civil(), civil(1996, 7, 17, 9, 44, 25));
    }

    #[test]
    fn range_is_four_digit_years() {
        let first = InternalDate::from_civil(civil(1, 1, 1, 0, 0, 0), 0).expect("valid");
        assert_eq!(first.unix_timestamp(), -62_135_596_800);
        let last = InternalDate::from_civil(civil(9999, 12, 31, 23, 59, 59), 0).expect("valid");
        assert_eq!(last.unix_timestamp(), 253_402_300_799);
        assert_eq!(
            InternalDate::from_unix(253_402_300_800),
            Err(ValueError::OutOfRange)
        );
        assert_eq!(InternalDate::new(0, 24 * 60), Err(ValueError::OutOfRange));
        assert_eq!(
            InternalDate::from_civil(civil(2023, 2, 29, 0, 0, 0), 0),
            Err(ValueError::OutOfRange)
        );
        assert!(InternalDate::from_civil(civil(2024, 2, 29, 0, 0, 0), 0).is_ok());
    }

    #[test]
    fn civil_round_trips_across_eras() {
        for unix in [
            -62_135_596_800,
            -1,
            0,
            951_782_400,
            1_709_164_800,
            4_107_542_399,
        ] {
            let d = InternalDate::from_unix(unix).expect("in range");
            assert_eq!(InternalDate::from_civil(d.civil(), 0), Ok(d), "{unix}");
        }
        assert_eq!(
            InternalDate::from_unix(951_782_400).map(|d| d.civil()),
            Ok(civil(2000, 2, 29, 0, 0, 0))
        );
    }

    #[test]
    fn system_time_round_trip_floors_to_seconds() {
        let t = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(InternalDate::from(t).unix_timestamp(), -2);
        let t = UNIX_EPOCH + Duration::from_millis(1500);
        let d = InternalDate::from(t);
        assert_eq!(d.unix_timestamp(), 1);
        assert_eq!(SystemTime::from(d), UNIX_EPOCH + Duration::from_secs(1));
    }
}
