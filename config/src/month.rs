//! The assessment period: the calendar month an assessment is about (`--period 2026-11`, results.json
//! `assessment.period`).
//!
//! Why a type of its own: a November assessment is often crawled and scored in the first days of December, so the
//! month of the run (or of T0, when T0 is left to default to "now") is not the month the 通报 must name. The period is
//! given once, stored in results.json and read back by every report, so the title of the bulletin never depends on
//! when it was written.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar month, e.g. 2026-11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssessmentMonth {
    year: i32,
    month: u32,
}

impl AssessmentMonth {
    /// Parses `YYYY-MM` (`2026-11`; `2026-1` is accepted too), years 2000–2999.
    pub fn parse(text: &str) -> Result<AssessmentMonth, String> {
        let t = text.trim();
        let bad = || format!("检查期间“{text}”无效：应为年和月，如“2026-11”");
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || !(1..=2).contains(&m.len()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(2000..=2999).contains(&year) {
            return Err(format!("检查期间“{text}”无效：年份应在 2000 到 2999 之间"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("检查期间“{text}”无效：月份应在 1 到 12 之间"));
        }
        Ok(AssessmentMonth { year, month })
    }

    /// The month a date lies in.
    pub fn of(date: NaiveDate) -> AssessmentMonth {
        AssessmentMonth { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// `2026年11月`, as the bulletin's title names it.
    pub fn label_zh(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// `2026-11`, as results.json stores it.
impl fmt::Display for AssessmentMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for AssessmentMonth {
    type Err = String;
    fn from_str(s: &str) -> Result<AssessmentMonth, String> {
        AssessmentMonth::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m = AssessmentMonth::parse("2026-11").unwrap();
        assert_eq!((m.year(), m.month()), (2026, 11));
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.label_zh(), "2026年11月");
        assert_eq!(AssessmentMonth::parse("2026-1").unwrap().to_string(), "2026-01");
        for bad in ["2026-13", "2026-00", "2026", "26-11", "2026/11", "2026-11-30", "abcd-ef", ""] {
            assert!(AssessmentMonth::parse(bad).is_err(), "{bad} accepted");
        }
        assert!(AssessmentMonth::parse("2026-13").unwrap_err().contains("1 到 12"));
    }

    #[test]
    fn month_of_a_date() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(AssessmentMonth::of(d).to_string(), "2026-11");
    }
}
