//! The working-day calendar used by the 20-working-day rules (条例 第26条 publication delay, reply delay).
//!
//! A working day is Monday to Friday unless the State Council's annual notice (国务院办公厅关于某年部分节假日安排的通知)
//! makes it a holiday, plus the weekend days the notice makes working days (调休上班). The notice is published each
//! November for the next year, so the calendar file lists per year `holidays` and `workdays`; `calendars/cn.toml` ships
//! 2024–2026.
//!
//! Outside the covered years the calendar does not know the holidays. Decision: [`Calendar::is_working_day`] falls back
//! to Monday–Friday there (it is used for display and rough checks), but every working-day *count*
//! ([`Calendar::working_days_after`], [`Calendar::working_days_before`]) returns [`CalendarError::Uncovered`] when the
//! span it counts touches an uncovered year, because a count that silently ignores Spring Festival could turn into a
//! wrong deduction in an official bulletin. Scoring should treat that error as "cannot judge" and say so in the finding
//! rather than deduct; the fix is to add the year to the calendar file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use toml_edit::Item;

use crate::error::{ConfigError, TomlFile};

/// Why a working-day count could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("工作日日历未包含 {year} 年（计算 {date} 时需要）；请在日历文件中补充该年的节假日和调休上班日")]
    Uncovered { year: i32, date: NaiveDate },
}

/// Holidays and make-up working days per covered year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub name: String,
    years: BTreeMap<i32, YearDays>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct YearDays {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    calendar: RawHeader,
    #[serde(default)]
    year: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: toml::Spanned<i32>,
    #[serde(default)]
    #[allow(dead_code)]
    notice: Option<String>,
    #[serde(default)]
    holidays: Vec<toml::Spanned<String>>,
    #[serde(default)]
    workdays: Vec<toml::Spanned<String>>,
}

/// `2024-02-10` or an inclusive range `2024-02-10..2024-02-17`.
fn parse_day_or_range(s: &str) -> Result<Vec<NaiveDate>, String> {
    let date = |t: &str| {
        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map_err(|_| format!("日期 \"{}\" 无效：应写作 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD", t.trim()))
    };
    match s.split_once("..") {
        None => Ok(vec![date(s)?]),
        Some((a, b)) => {
            let (a, b) = (date(a)?, date(b)?);
            if b < a || (b - a).num_days() > 31 {
                return Err(format!("日期范围 \"{s}\" 无效：结束日期应在开始日期之后，且相隔不超过 31 天"));
            }
            Ok(a.iter_days().take_while(|d| *d <= b).collect())
        }
    }
}

fn weekday_zh(w: Weekday) -> &'static str {
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][w.num_days_from_monday() as usize]
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Reads a calendar file.
    pub fn load(path: &Path) -> Result<Calendar, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&file, format!("无法读取日历文件：{}", crate::io_error_zh(&e))))?;
        Calendar::parse(&text, &file)
    }

    /// The shipped mainland China calendar (`config/calendars/cn.toml`).
    pub fn default_cn() -> Calendar {
        Calendar::parse(include_str!("../calendars/cn.toml"), "calendars/cn.toml")
            .expect("the shipped calendar parses (tested)")
    }

    /// Parses calendar text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Calendar, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawCalendar = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        let mut years = BTreeMap::new();
        for y in &raw.year {
            let year = *y.year.get_ref();
            if years.contains_key(&year) {
                return Err(toml.error_at(Some(y.year.span()), format!("{year} 年重复列出")));
            }
            let mut days = YearDays::default();
            for h in &y.holidays {
                for d in parse_day_or_range(h.get_ref()).map_err(|m| toml.error_at(Some(h.span()), m))? {
                    days.holidays.insert(d);
                }
            }
            for w in &y.workdays {
                for d in parse_day_or_range(w.get_ref()).map_err(|m| toml.error_at(Some(w.span()), m))? {
                    if !is_weekend(d) {
                        return Err(toml.error_at(
                            Some(w.span()),
                            format!(
                                "{d} 是{}，本来就是工作日；调休上班日只能是星期六或星期日",
                                weekday_zh(d.weekday())
                            ),
                        ));
                    }
                    if days.holidays.contains(&d) {
                        return Err(toml.error_at(Some(w.span()), format!("{d} 同时列为节假日和调休上班日")));
                    }
                    days.workdays.insert(d);
                }
            }
            years.insert(year, days);
        }
        Ok(Calendar { name: raw.calendar.name, years })
    }

    /// Whether the calendar lists `year`'s holidays.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The covered years, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `date` is a working day; outside the covered years, Monday to Friday (see the module docs).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.checked_is_working_day(date).unwrap_or(!is_weekend(date))
    }

    /// Whether `date` is a working day, or `None` when its year is not covered.
    pub fn checked_is_working_day(&self, date: NaiveDate) -> Option<bool> {
        // Holidays of one notice may spill into the next year (元旦 2023-12-30..2024-01-01); look at both neighbours.
        let year = date.year();
        self.years.get(&year)?;
        let listed = |f: fn(&YearDays) -> &BTreeSet<NaiveDate>| {
            [year - 1, year, year + 1].iter().filter_map(|y| self.years.get(y)).any(|yd| f(yd).contains(&date))
        };
        if listed(|y| &y.workdays) {
            return Some(true);
        }
        if listed(|y| &y.holidays) {
            return Some(false);
        }
        Some(!is_weekend(date))
    }

    fn strict(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.checked_is_working_day(date).ok_or(CalendarError::Uncovered { year: date.year(), date })
    }

    /// Working days from `a` to `b`: `b` counted, `a` not (a document written on Friday and published the next Monday
    /// took 1 working day). Negative when `b` is before `a`; 0 when they are equal.
    pub fn working_days_after(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        if b < a {
            return self.working_days_after(b, a).map(|n| -n);
        }
        let mut n = 0;
        let mut d = a;
        while d < b {
            d = d.succ_opt().expect("date in range");
            if self.strict(d)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// The earliest date `d` with `working_days_after(d, t0) <= n`: the start of an "n working days before t0" window.
    pub fn working_days_before(&self, t0: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = t0;
        let mut count = 0u32;
        loop {
            let add = u32::from(self.strict(d)?);
            if count + add > n {
                return Ok(d);
            }
            count += add;
            d = d.checked_sub_days(Days::new(1)).expect("date in range");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_calendar_covers_2024_to_2026() {
        let c = Calendar::default_cn();
        assert_eq!(c.years().collect::<Vec<_>>(), vec![2024, 2025, 2026]);
        // 2025 国庆中秋: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked.
        assert!(!c.is_working_day(d("2025-10-03")));
        assert!(c.is_working_day(d("2025-09-28")));
        assert!(c.is_working_day(d("2025-10-11")));
        assert!(!c.is_working_day(d("2025-10-12")));
        assert!(c.is_working_day(d("2025-10-09")));
    }

    #[test]
    fn counts_across_a_holiday_and_a_make_up_day() {
        let c = Calendar::default_cn();
        // Friday 2025-09-26 → Thursday 2025-10-09: Sun 09-28 (make-up), Mon 09-29, Tue 09-30, then 10-01..08 off, Thu 10-09.
        assert_eq!(c.working_days_after(d("2025-09-26"), d("2025-10-09")), Ok(4));
        assert_eq!(c.working_days_after(d("2025-10-09"), d("2025-09-26")), Ok(-4));
        assert_eq!(c.working_days_after(d("2025-10-09"), d("2025-10-09")), Ok(0));
        // Plain week: Friday to Monday is one working day.
        assert_eq!(c.working_days_after(d("2025-11-07"), d("2025-11-10")), Ok(1));
        let start = c.working_days_before(d("2025-10-09"), 4).unwrap();
        assert_eq!(c.working_days_after(start, d("2025-10-09")), Ok(4));
        assert_eq!(start, d("2025-09-26"));
    }

    #[test]
    fn uncovered_years_error_only_for_counts() {
        let c = Calendar::default_cn();
        assert!(c.is_working_day(d("2030-01-07")));
        assert_eq!(c.checked_is_working_day(d("2030-01-07")), None);
        let e = c.working_days_after(d("2026-12-20"), d("2027-01-10")).unwrap_err();
        assert!(e.to_string().contains("工作日日历未包含 2027 年"), "{e}");
    }
}
