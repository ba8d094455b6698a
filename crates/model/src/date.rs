//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian) and month arithmetic.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Days in one average Gregorian month: 365.2425 / 12 = 30.436875 exactly.
pub const DAYS_PER_MONTH: f64 = 30.436875;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        if !(1900..=2200).contains(&year) {
            return Err(DateError(format!("year {year} is outside 1900–2200")));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError(format!("month {month} is not 1–12")));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError(format!(
                "day {day} does not exist in {year}-{month:02}"
            )));
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let bad = || DateError(format!("'{s}' is not a date in the form YYYY-MM-DD"));
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
        let y = parts[0].parse().map_err(|_| bad())?;
        let m = parts[1].parse().map_err(|_| bad())?;
        let d = parts[2].parse().map_err(|_| bad())?;
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (inverse of [`Date::days_since_epoch`]).
    pub fn from_days_since_epoch(z: i64) -> Self {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (y + i64::from(m <= 2)) as i32;
        Self {
            year: y,
            month: m,
            day: d,
        }
    }

    /// Signed days from `self` to `other`.
    pub fn days_until(&self, other: &Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    /// Signed months (of 30.436875 days) from `self` to `other`.
    pub fn months_until(&self, other: &Date) -> f64 {
        self.days_until(other) as f64 / DAYS_PER_MONTH
    }

    /// The date a (fractional) number of months after `self`, rounded to the nearest day.
    pub fn add_months(&self, months: f64) -> Date {
        let days = (months * DAYS_PER_MONTH).round() as i64;
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Fractional year, e.g. 2024.09 for 2024-02-01 (for chart axes).
    pub fn year_fraction(&self) -> f64 {
        1970.0 + self.days_since_epoch() as f64 / 365.2425
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_intervals() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        let gpt3 = Date::parse("2020-06-01").unwrap();
        let minicpm = Date::parse("2024-02-01").unwrap();
        assert_eq!(gpt3.days_until(&minicpm), 1340);
        assert_eq!(
            Date::parse("2000-03-01").unwrap().days_since_epoch(),
            11_017
        );
    }

    #[test]
    fn round_trip_days() {
        for z in (-25_000..80_000).step_by(37) {
            let d = Date::from_days_since_epoch(z);
            assert_eq!(d.days_since_epoch(), z);
        }
    }

    #[test]
    fn rejects_bad_dates() {
        for s in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024/01/01",
            "",
            "abcd-ef-gh",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
        assert!(Date::parse("2024-02-29").is_ok());
    }
}
