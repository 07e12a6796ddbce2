//! Durations and windows as the rubric and the command line write them.
//!
//! docs/rules.md counts windows on the calendar: "within 14 days" means on or after the calendar date T0 − 14 days, and
//! "6 months" means T0 − 6 calendar months, not 180 days. The 20-working-day rules count working days from the calendar
//! file. A plain `Duration` cannot say any of that, so a window is a [`Period`] that keeps its unit.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::{Calendar, CalendarError};

/// A length of time in the unit it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Clock time: `500ms`, `15s`, `72m`, `1h`.
    Exact(Duration),
    /// Calendar days: `14d`, `7d`.
    Days(u32),
    /// Calendar months: `6mo`, `12mo`.
    Months(u32),
    /// Working days from the calendar file (weekends, holidays and make-up working days): `20wd`.
    WorkingDays(u32),
}

/// Parses `500ms`, `15s`, `72m`, `1h`, `14d`, `6mo`, `12mo`, `20wd` (also `1y` = 12 months).
pub fn parse_duration(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let expected =
        "应为数字加单位：ms（毫秒）、s（秒）、m（分钟）、h（小时）、d（天）、wd（工作日）、mo（月）或 y（年），\
         如 \"15s\"、\"14d\"、\"6mo\"、\"20wd\"";
    if num.is_empty() {
        return Err(format!("时长 \"{text}\" 无效：{expected}"));
    }
    let n: u64 = num.parse().map_err(|_| format!("时长 \"{text}\" 无效：数字太大"))?;
    let small = |n: u64| u32::try_from(n).map_err(|_| format!("时长 \"{text}\" 无效：数字太大"));
    match unit.trim() {
        "ms" => Ok(Period::Exact(Duration::from_millis(n))),
        "s" => Ok(Period::Exact(Duration::from_secs(n))),
        "m" | "min" => Ok(Period::Exact(Duration::from_secs(n * 60))),
        "h" => Ok(Period::Exact(Duration::from_secs(n * 3600))),
        "d" => Ok(Period::Days(small(n)?)),
        "wd" => Ok(Period::WorkingDays(small(n)?)),
        "mo" => Ok(Period::Months(small(n)?)),
        "y" => Ok(Period::Months(small(n.saturating_mul(12))?)),
        _ => Err(format!("时长 \"{text}\" 无效：{expected}")),
    }
}

impl Period {
    /// The clock length, for `Exact` and `Days` (a day = 86 400 s); `None` for months and working days, whose length
    /// depends on where they start.
    pub fn as_std(self) -> Option<Duration> {
        match self {
            Period::Exact(d) => Some(d),
            Period::Days(n) => Some(Duration::from_secs(u64::from(n) * 86_400)),
            Period::Months(_) | Period::WorkingDays(_) => None,
        }
    }

    /// The earliest date still "within" this period before `t0` (docs/rules.md Terms): `t0 − 14 days`, `t0 − 6 months`
    /// (chrono clamps 31 August − 6 months to 28/29 February), or the date `n` working days before `t0`. An exact
    /// duration is rounded up to whole days.
    pub fn window_start(self, t0: NaiveDate, calendar: &Calendar) -> Result<NaiveDate, CalendarError> {
        Ok(match self {
            Period::Exact(d) => {
                let days = d.as_secs().div_ceil(86_400);
                t0.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN)
            }
            Period::Days(n) => t0.checked_sub_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MIN),
            Period::Months(n) => t0.checked_sub_months(Months::new(n)).unwrap_or(NaiveDate::MIN),
            Period::WorkingDays(n) => calendar.working_days_before(t0, n)?,
        })
    }

    /// Whether `date` lies within this period before `t0` (on or after [`Period::window_start`]).
    pub fn contains(self, date: NaiveDate, t0: NaiveDate, calendar: &Calendar) -> Result<bool, CalendarError> {
        Ok(date >= self.window_start(t0, calendar)?)
    }

    /// Whether `later` is more than this period after `earlier` (late replies, late publication): more than `n` days,
    /// more than `n` months, or more than `n` working days counted by [`Calendar::working_days_after`].
    pub fn exceeded(self, earlier: NaiveDate, later: NaiveDate, calendar: &Calendar) -> Result<bool, CalendarError> {
        Ok(match self {
            Period::Exact(d) => (later - earlier).num_seconds() > d.as_secs() as i64,
            Period::Days(n) => (later - earlier).num_days() > i64::from(n),
            Period::Months(n) => earlier.checked_add_months(Months::new(n)).is_some_and(|limit| later > limit),
            Period::WorkingDays(n) => calendar.working_days_after(earlier, later)? > i64::from(n),
        })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Exact(d) => {
                let ms = d.as_millis();
                if ms % 3_600_000 == 0 && ms > 0 {
                    write!(f, "{}h", ms / 3_600_000)
                } else if ms % 60_000 == 0 && ms > 0 {
                    write!(f, "{}m", ms / 60_000)
                } else if ms % 1000 == 0 {
                    write!(f, "{}s", ms / 1000)
                } else {
                    write!(f, "{ms}ms")
                }
            }
            Period::Days(n) => write!(f, "{n}d"),
            Period::Months(n) => write!(f, "{n}mo"),
            Period::WorkingDays(n) => write!(f, "{n}wd"),
        }
    }
}

impl Period {
    /// The period in Chinese, for messages: `14天`, `6个月`, `20个工作日`, `15秒`.
    pub fn label_zh(&self) -> String {
        match *self {
            Period::Exact(d) => {
                let s = d.as_secs();
                if s >= 3600 && s % 3600 == 0 {
                    format!("{}小时", s / 3600)
                } else if s >= 60 && s % 60 == 0 {
                    format!("{}分钟", s / 60)
                } else if d.subsec_millis() == 0 {
                    format!("{s}秒")
                } else {
                    format!("{}毫秒", d.as_millis())
                }
            }
            Period::Days(n) => format!("{n}天"),
            Period::Months(n) => format!("{n}个月"),
            Period::WorkingDays(n) => format!("{n}个工作日"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s).map_err(serde::de::Error::custom)
    }
}

/// The assessment's time zone (docs/rules.md: T0 is read in Asia/Shanghai).
pub const ASSESSMENT_TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// Parses `--as-of`: a date (`2026-11-01`) means the end of that day in Asia/Shanghai (`2026-11-01T23:59:59+08:00`);
/// otherwise RFC 3339 (`2026-11-01T09:30:00+08:00`); a date-time without offset is read in Asia/Shanghai.
pub fn parse_as_of(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let t = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let end = date.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
        return local_to_fixed(end, text);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt);
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return local_to_fixed(naive, text);
        }
    }
    Err(format!(
        "时间 \"{text}\" 无效：应为日期，如 2026-11-01（指当天结束时，北京时间），或 RFC 3339 时间，如 \
         2026-11-01T09:30:00+08:00"
    ))
}

fn local_to_fixed(naive: NaiveDateTime, text: &str) -> Result<DateTime<FixedOffset>, String> {
    ASSESSMENT_TZ
        .from_local_datetime(&naive)
        .single()
        .map(|dt| dt.fixed_offset())
        .ok_or_else(|| format!("时间 \"{text}\" 无效：北京时间中不存在这一时刻"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_documented_unit() {
        assert_eq!(parse_duration("14d"), Ok(Period::Days(14)));
        assert_eq!(parse_duration("6mo"), Ok(Period::Months(6)));
        assert_eq!(parse_duration("12mo"), Ok(Period::Months(12)));
        assert_eq!(parse_duration("15s"), Ok(Period::Exact(Duration::from_secs(15))));
        assert_eq!(parse_duration("500ms"), Ok(Period::Exact(Duration::from_millis(500))));
        assert_eq!(parse_duration("72m"), Ok(Period::Exact(Duration::from_secs(72 * 60))));
        assert_eq!(parse_duration("1h"), Ok(Period::Exact(Duration::from_secs(3600))));
        assert_eq!(parse_duration("7d"), Ok(Period::Days(7)));
        assert_eq!(parse_duration("20wd"), Ok(Period::WorkingDays(20)));
        assert_eq!(parse_duration("1y"), Ok(Period::Months(12)));
        for bad in ["", "d", "14", "14 days", "-3d", "1.5h", "3w"] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.starts_with(&format!("时长 \"{bad}\" 无效：")), "{bad}: {e}");
        }
        for s in ["14d", "6mo", "15s", "500ms", "72m", "1h", "20wd"] {
            assert_eq!(parse_duration(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn months_are_calendar_months() {
        let cal = Calendar::default_cn();
        assert_eq!(Period::Months(6).window_start(d("2026-08-31"), &cal).unwrap(), d("2026-02-28"));
        assert_eq!(Period::Days(14).window_start(d("2026-11-01"), &cal).unwrap(), d("2026-10-18"));
        assert!(Period::Days(14).contains(d("2026-10-18"), d("2026-11-01"), &cal).unwrap());
        assert!(!Period::Days(14).contains(d("2026-10-17"), d("2026-11-01"), &cal).unwrap());
        assert!(Period::Days(90).exceeded(d("2026-01-01"), d("2026-04-02"), &cal).unwrap());
        assert!(!Period::Days(90).exceeded(d("2026-01-01"), d("2026-04-01"), &cal).unwrap());
    }

    #[test]
    fn as_of_date_is_end_of_day_in_shanghai() {
        let t = parse_as_of("2026-11-01").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-01T23:59:59+08:00");
        let t = parse_as_of("2026-11-01T09:30:00+08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-01T09:30:00+08:00");
        let t = parse_as_of("2026-11-01T01:30:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-01T01:30:00+00:00");
        assert!(parse_as_of("2026-13-01").unwrap_err().contains("应为日期，如 2026-11-01"));
    }
}
