//! 政务公开 checks: the annual report, the guide, statutory contents (条例 第20条) and publication delays.
//!
//! Code and unit tests: `scoring/src/engine/checks/disclosure.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ParamError, Params};
use crate::pattern::Pattern;
use crate::period::Period;
use crate::site::Level;

/// A month and day, written "MM-DD" (`"03-31"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    /// The date in `year` (29 February in a common year becomes 28 February).
    pub fn in_year(self, year: i32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
            .expect("validated month-day")
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || serde::de::Error::custom(format!("月日 \"{s}\" 无效：应写作 \"MM-DD\"，如 \"03-31\""));
        let (m, dd) = s.split_once('-').ok_or_else(bad)?;
        let (month, day): (u32, u32) = (m.parse().map_err(|_| bad())?, dd.parse().map_err(|_| bad())?);
        if chrono::NaiveDate::from_ymd_opt(2024, month, day).is_none() {
            return Err(bad());
        }
        Ok(MonthDay { month, day })
    }
}

impl Serialize for MonthDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:02}-{:02}", self.month, self.day))
    }
}

/// `annual_report`: the annual report of year Y−1 (Y = T0's year) in the columns of `category`: outcome `missing`
/// when T0 is past the deadline for the site's level (`deadline`, "MM-DD" of year Y) and there is none; outcome `late`
/// when it was published after that deadline. The rule's `points` gives a value per outcome. Placeholders: `{year}`,
/// `{deadline}`, `{published}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualReport {
    pub category: String,
    /// Deadline in year Y for the report of year Y−1, per level.
    pub deadline: BTreeMap<Level, MonthDay>,
}

impl Params for AnnualReport {
    const PLACEHOLDERS: &'static [&'static str] = &["year", "deadline", "published"];
    const OUTCOMES: &'static [&'static str] = &["missing", "late"];

    fn category_refs(&self) -> Vec<&str> {
        vec![self.category.as_str()]
    }

    fn validate(&self, levels: &[Level]) -> Result<(), ParamError> {
        match levels.iter().find(|l| !self.deadline.contains_key(l)) {
            Some(l) => Err(ParamError::at(
                "deadline",
                format!("缺少级别 {} 的截止日期：本规则适用于该级别，请写上 `{} = \"MM-DD\"`", l.as_str(), l.as_str()),
            )),
            None => Ok(()),
        }
    }
}

/// Something to look for in a page's text.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TextElement {
    pub name: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
}

impl TextElement {
    /// Whether `text` (whitespace already normalised) shows this element.
    pub fn found_in(&self, text: &str) -> bool {
        self.keywords.iter().any(|k| text.contains(k.as_str())) || self.patterns.iter().any(|p| p.is_match(text))
    }
}

/// `guide_elements` (guide contents): one occurrence per element of `elements` absent from the text of the
/// `category` column page(s): an element is present when the text contains one of its `keywords` or matches one of its
/// `patterns`. Nothing when there is no guide page (another rule covers that). Placeholders: `{element}`, `{url}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuideElements {
    pub category: String,
    pub elements: Vec<TextElement>,
}

impl Params for GuideElements {
    const PLACEHOLDERS: &'static [&'static str] = &["element"];

    fn category_refs(&self) -> Vec<&str> {
        vec![self.category.as_str()]
    }
}

/// One clause of 条例 第20条 with the column-name keywords that show it is covered.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatutoryItem {
    /// `（一）` … `（十四）`.
    pub clause: String,
    pub title: String,
    pub keywords: Vec<String>,
}

/// `statutory_coverage` (条例 第20条 coverage): one occurrence per item of `items` that no column name under the
/// 政府信息公开 platform contains a keyword of. Placeholders: `{clause}`, `{title}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatutoryCoverage {
    pub items: Vec<StatutoryItem>,
}

impl Params for StatutoryCoverage {
    const PLACEHOLDERS: &'static [&'static str] = &["clause", "title"];
}

/// `publication_delay` (条例 第26条): one occurrence per document whose 发布日期 is more than `limit` after its
/// 成文日期 (use working days, `20wd`). Placeholders: `{title}`, `{url}`, `{written}`, `{published}`, `{limit}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationDelay {
    pub limit: Period,
}

impl Params for PublicationDelay {
    const PLACEHOLDERS: &'static [&'static str] = &["title", "written", "published", "limit"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_day_parses_and_rejects() {
        let m: MonthDay = toml::from_str::<BTreeMap<String, MonthDay>>("d = \"03-31\"").unwrap()["d"];
        assert_eq!(m.in_year(2026), chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert!(toml::from_str::<BTreeMap<String, MonthDay>>("d = \"02-30\"").is_err());
        assert!(toml::from_str::<BTreeMap<String, MonthDay>>("d = \"3/31\"").is_err());
    }
}
