//! Dates as government sites print them (docs/site-understanding.md "Dates"): `2022-01-09`, `2022-01-09 11:40[:00]`, `2022/1/9`,
//! `2022.01.09`, `2022年01月09日`, `2022年1月9日`, `[01-09]` / `01-09` (year implied by T0), often after a label
//! (发布时间:, 发布日期:, 日期:, 时间:), and the dates carried by TRS (`/t20220109_123.html`) and Hanweb
//! (`/art/2022/1/9/art_1_2.html`) URLs.
//!
//! Precision first: a string that is not a real calendar date (2022-02-30, month 13, year 1850) is rejected, never
//! "corrected". A bare `MM-DD` is only read when the caller knows it stands alone in a date slot (a list item's date
//! element), because in running text `01-09` may as well be part of a phone number or a file number.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Years a government web page can plausibly carry.
const MIN_YEAR: i32 = 1990;
const MAX_YEAR: i32 = 2100;

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日",
        r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})",
        r"|(?P<y3>\d{4})/(?P<m3>\d{1,2})/(?P<d3>\d{1,2})",
        r"|(?P<y4>\d{4})\.(?P<m4>\d{1,2})\.(?P<d4>\d{1,2})",
    ))
    .unwrap()
});

static SHORT_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\[【(（]?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[\]】)）]?$").unwrap());

static SHORT_DATE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[【(（]\s*(\d{1,2})-(\d{1,2})\s*[\]】)）]|(?:^|\s)(\d{2})-(\d{2})(?:\s|$)").unwrap()
});

static TRS_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/t(\d{4})(\d{2})(\d{2})_\d+").unwrap());
static HANWEB_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_").unwrap());

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The year-less `MM-DD` read against T0: a month-day later than T0's means last year.
pub fn implied_year(month: u32, day: u32, t0: NaiveDate) -> Option<NaiveDate> {
    let this_year = t0.year();
    // Validate against a leap year first so that 02-29 is not rejected before the year is known.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    if (month, day) > (t0.month(), t0.day()) {
        NaiveDate::from_ymd_opt(this_year - 1, month, day)
    } else {
        NaiveDate::from_ymd_opt(this_year, month, day)
    }
}

/// Every full date (with a year) in running text, in order of appearance. Invalid dates are skipped, and a match glued
/// to more digits (`12022-01-09`, `2022-01-091`) is not a date.
pub fn dates_in_text(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for caps in FULL_DATE.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let before = text[..whole.start()].chars().next_back();
        let after = text[whole.end()..].chars().next();
        if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let date = (1..=4).find_map(|i| {
            let y = caps.name(&format!("y{i}"))?;
            let m = caps.name(&format!("m{i}"))?;
            let d = caps.name(&format!("d{i}"))?;
            Some(ymd(y.as_str(), m.as_str(), d.as_str()))
        });
        if let Some(Some(d)) = date {
            out.push(d);
        }
    }
    out
}

/// The first full date in `text`.
pub fn first_date(text: &str) -> Option<NaiveDate> {
    dates_in_text(text).into_iter().next()
}

/// A list item's date slot: the whole string is one date, full or `MM-DD` (year implied by T0). Labels such as
/// `发布日期:` and a time of day are allowed around it.
pub fn parse_date_slot(text: &str, t0: NaiveDate) -> Option<NaiveDate> {
    let t = strip_label(text.trim());
    if let Some(d) = first_date(t) {
        return Some(d);
    }
    let caps = SHORT_DATE.captures(t.trim())?;
    implied_year(caps[1].parse().ok()?, caps[2].parse().ok()?, t0)
}

/// The date of a list item from its whole text: a full date anywhere, else a bracketed `[MM-DD]` or a free-standing
/// `MM-DD` token.
pub fn item_date(text: &str, t0: NaiveDate) -> Option<NaiveDate> {
    if let Some(d) = dates_in_text(text).into_iter().next_back() {
        return Some(d);
    }
    let caps = SHORT_DATE_IN_TEXT.captures_iter(text).last()?;
    let (m, d) = match (caps.get(1), caps.get(2), caps.get(3), caps.get(4)) {
        (Some(m), Some(d), _, _) => (m, d),
        (_, _, Some(m), Some(d)) => (m, d),
        _ => return None,
    };
    implied_year(m.as_str().parse().ok()?, d.as_str().parse().ok()?, t0)
}

fn strip_label(t: &str) -> &str {
    for label in ["发布时间", "发布日期", "更新时间", "更新日期", "日期", "时间"] {
        if let Some(rest) = t.strip_prefix(label) {
            return rest.trim_start_matches([':', '：', ' ', '\u{3000}']);
        }
    }
    t
}

/// The date a TRS (`t20220109_123`) or Hanweb (`/art/2022/1/9/art_`) URL carries.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    if let Some(c) = TRS_URL.captures(url) {
        if let Some(d) = ymd(&c[1], &c[2], &c[3]) {
            return Some(d);
        }
    }
    let c = HANWEB_URL.captures(url)?;
    ymd(&c[1], &c[2], &c[3])
}

/// The date after a label (`成文日期：2026年10月08日`) in normalised page text.
pub fn labelled_date(text: &str, labels: &[&str]) -> Option<NaiveDate> {
    for label in labels {
        let mut from = 0;
        while let Some(pos) = text[from..].find(label) {
            let start = from + pos + label.len();
            let window: String = text[start..].chars().take(24).collect();
            let w = window.trim_start_matches([':', '：', ' ', '\u{3000}']);
            // The date must follow the label directly (another label in between means this one is empty).
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                if let Some(d) = first_date(w) {
                    return Some(d);
                }
            }
            from = start;
        }
    }
    None
}

/// `YYYY-MM-DD`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const T0: fn() -> NaiveDate = || d(2026, 11, 1);

    #[test]
    fn every_full_form_of_domain_md() {
        for s in [
            "2022-01-09",
            "2022-01-09 11:40",
            "2022-01-09 11:40:00",
            "2022/1/9",
            "2022.01.09",
            "2022年01月09日",
            "2022年1月9日",
            "2022 年 1 月 9 日",
            "发布时间:2022-01-09",
            "发布日期：2022年01月09日",
            "日期: 2022/1/9",
            "时间：2022.01.09",
        ] {
            assert_eq!(parse_date_slot(s, T0()), Some(d(2022, 1, 9)), "{s}");
        }
    }

    #[test]
    fn month_day_takes_its_year_from_t0() {
        assert_eq!(parse_date_slot("[01-09]", T0()), Some(d(2026, 1, 9)));
        assert_eq!(parse_date_slot("01-09", T0()), Some(d(2026, 1, 9)));
        assert_eq!(parse_date_slot("11-01", T0()), Some(d(2026, 11, 1)));
        // later than T0's month-day: last year
        assert_eq!(parse_date_slot("11-02", T0()), Some(d(2025, 11, 2)));
        assert_eq!(parse_date_slot("【12-30】", T0()), Some(d(2025, 12, 30)));
        assert_eq!(item_date("区政府召开常务会议 [10-28]", T0()), Some(d(2026, 10, 28)));
        assert_eq!(item_date("区政府召开常务会议 10-28", T0()), Some(d(2026, 10, 28)));
        // 02-29 in a year that has none is rejected
        assert_eq!(implied_year(2, 29, d(2026, 3, 1)), None);
        assert_eq!(implied_year(2, 29, d(2024, 3, 1)), Some(d(2024, 2, 29)));
    }

    #[test]
    fn bad_dates_are_rejected() {
        for s in [
            "2022-02-30",
            "2022-13-01",
            "2022-00-10",
            "1850-01-01",
            "2022年2月30日",
            "13-01",
            "02-31",
            "abc",
            "",
            "2022-1",
        ] {
            assert_eq!(parse_date_slot(s, T0()), None, "{s}");
        }
        assert!(dates_in_text("文号 12022-01-091 号").is_empty());
        assert!(dates_in_text("电话 0816-2345678").is_empty());
        assert_eq!(item_date("联系电话 0816-2345678", T0()), None);
    }

    #[test]
    fn dates_in_urls_and_labels() {
        assert_eq!(date_in_url("http://x.gov.cn/zwgk/tzgg/202201/t20220109_123456.html"), Some(d(2022, 1, 9)));
        assert_eq!(date_in_url("http://x.gov.cn/art/2022/1/9/art_123_456.html"), Some(d(2022, 1, 9)));
        assert_eq!(date_in_url("http://x.gov.cn/t20221309_1.html"), None);
        assert_eq!(date_in_url("http://x.gov.cn/zwgk/index.html"), None);
        let text = "索引号：001 发布机构：县政府办 成文日期：2026年10月08日 发布日期：2026-10-12 文号：无";
        assert_eq!(labelled_date(text, &["成文日期"]), Some(d(2026, 10, 8)));
        assert_eq!(labelled_date(text, &["发布日期"]), Some(d(2026, 10, 12)));
        assert_eq!(labelled_date("成文日期： 发布日期：2026-10-12", &["成文日期"]), None);
    }
}
