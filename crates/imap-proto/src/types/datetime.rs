//! Dates of the IMAP grammar (RFC 9051 §9): INTERNALDATE and SEARCH dates.

use crate::error::ValueError;

/// Month names as the grammar writes them (`date-month`).
pub(crate) const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A calendar date, as SEARCH keys take it (RFC 9051 §6.4.4).
///
/// ```text
/// date            = date-text / DQUOTE date-text DQUOTE
/// date-text       = date-day "-" date-month "-" date-year
/// date-day        = 1*2DIGIT
/// date-year       = 4DIGIT
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date; the day must exist in that month.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ValueError> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(ValueError::Range);
        }
        Ok(Self { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

/// A date and time with its zone, as INTERNALDATE and APPEND carry it
/// (RFC 9051 §9).
///
/// ```text
/// date-time       = DQUOTE date-day-fixed "-" date-month "-" date-year
///                   SP time SP zone DQUOTE
/// date-day-fixed  = (SP DIGIT) / 2DIGIT
/// time            = 2DIGIT ":" 2DIGIT ":" 2DIGIT
/// zone            = ("+" / "-") 4DIGIT
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    zone: i16,
}

impl DateTime {
    /// A date-time; `zone` is the offset from UTC in minutes (-0700 is -420),
    /// at most 99 hours 59 minutes either way.
    pub fn new(
        date: Date,
        hour: u8,
        minute: u8,
        second: u8,
        zone: i16,
    ) -> Result<Self, ValueError> {
        // RFC 5322 §3.3 allows a leap second 60.
        if hour > 23 || minute > 59 || second > 60 || zone.unsigned_abs() > 99 * 60 + 59 {
            return Err(ValueError::Range);
        }
        Ok(Self {
            date,
            hour,
            minute,
            second,
            zone,
        })
    }

    /// The date.
    pub fn date(self) -> Date {
        self.date
    }

    /// Hour, minute and second.
    pub fn time(self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }

    /// The zone's offset from UTC in minutes.
    pub fn zone_minutes(self) -> i16 {
        self.zone
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    ///
    /// ```
    /// use imap_proto::types::{Date, DateTime};
    /// let t = DateTime::new(Date::new(1996, 7, 17).unwrap(), 2, 44, 25, -7 * 60).unwrap();
    /// assert_eq!(t.unix_timestamp(), 837_596_665);
    /// ```
    pub fn unix_timestamp(self) -> i64 {
        // Days from civil (Howard Hinnant's algorithm).
        let (y, m, d) = (
            i64::from(self.date.year),
            i64::from(self.date.month),
            i64::from(self.date.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.zone) * 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert_eq!(Date::new(2023, 2, 29), Err(ValueError::Range));
        assert_eq!(Date::new(2023, 13, 1), Err(ValueError::Range));
        assert_eq!(Date::new(2023, 4, 31), Err(ValueError::Range));
        let d = Date::new(1994, 2, 1).unwrap();
        assert!(DateTime::new(d, 24, 0, 0, 0).is_err());
        assert!(DateTime::new(d, 0, 0, 0, 100 * 60).is_err());
        assert_eq!(
            DateTime::new(d, 0, 0, 0, 0).unwrap().unix_timestamp(),
            760_060_800
        );
    }
}
