//! The closed vocabulary of checks a rubric rule can name.
//!
//! A rule in a rubric file says *what it costs* (kind, points, cap, group, levels, message); its `check` says *what to
//! test*, with the check's parameters as further keys of the same `[[rule]]` table:
//!
//! ```toml
//! [[rule]]
//! id = "publish.news_stale"
//! kind = "deduction"
//! group = "publish"
//! points = 2
//! cap = 8
//! check = "stale_columns"
//! columns = [{ categories = ["news"], window = "14d" }]
//! message = "栏目“{column}”最新信息日期为{newest}，超过{window}未更新"
//! ```
//!
//! The scoring engine implements each check once. A check yields **occurrences** (one per stale column, per missing
//! element, per broken link …); the rule's kind turns them into a result: a `deduction` costs `occurrences × points`
//! capped by `cap`; a `veto` fires when occurrences ≥ the rule's `fires_at` (default 1); a `bonus` earns its points once
//! when there is at least one occurrence. Adding a rule that reuses a check is therefore a change to the TOML alone;
//! a new kind of test needs a new variant here and its implementation in scoring.
//!
//! Each check's parameters are a typed struct (unknown keys and wrong types are errors with file, line and column).
//! Category names in parameters must be ids of the rubric's `[[category]]` tables. Message templates may use `{rule}`,
//! `{site}`, `{url}` and `{count}` (occurrences) everywhere, plus the placeholders listed per check (an occurrence's
//! values; for a veto, those of its first occurrence).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pattern::Pattern;
use crate::period::Period;
use crate::site::Level;

macro_rules! checks {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ( $params:ty ) ),* $(,)?) => {
        /// The name of a check, as written in `check = "…"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum CheckKind { $( $(#[$doc])* $variant ),* }

        /// Every check name the engine knows, in declaration order.
        pub const KNOWN_CHECKS: &[&str] = &[$($name),*];

        impl CheckKind {
            pub const ALL: &'static [CheckKind] = &[$(CheckKind::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(CheckKind::$variant => $name),* }
            }

            pub fn from_name(name: &str) -> Option<CheckKind> {
                match name { $($name => Some(CheckKind::$variant),)* _ => None }
            }
        }

        /// A check with its parameters.
        #[derive(Debug, Clone, Serialize)]
        #[serde(tag = "check", rename_all = "snake_case")]
        pub enum Check { $( $(#[$doc])* $variant($params) ),* }

        impl Check {
            pub fn kind(&self) -> CheckKind {
                match self { $(Check::$variant(_) => CheckKind::$variant),* }
            }

            /// Deserialises the parameters of check `kind` from a deserializer over the rule's remaining keys.
            pub(crate) fn deserialize_params<'de, D: serde::Deserializer<'de>>(kind: CheckKind, d: D) -> Result<Check, D::Error> {
                Ok(match kind { $(CheckKind::$variant => Check::$variant(<$params>::deserialize(d)?)),* })
            }
        }
    };
}

checks! {
    /// Availability veto. Among the probes of the home page in `window` before T0, when there are at least `min_probes`
    /// and the failed share is ≥ `at_least_percent`, one occurrence. A probe fails without a complete 2xx response
    /// within `parameters.probe_timeout`. Placeholders: `{probes}`, `{failures}`, `{percent}` (one decimal), `{window}`.
    ProbeFailureRate = "probe_failure_rate" (ProbeFailureRate),
    /// Availability deduction: one occurrence per whole percent of failed probes in `window` (floor), only when the
    /// share is below `below_percent` (above it the veto applies) and there are at least `min_probes` probes.
    /// Placeholders as `probe_failure_rate`.
    ProbeFailurePercent = "probe_failure_percent" (ProbeFailurePercent),
    /// Home page freshness: one occurrence when no item linked from the home page is dated within `window`; when the
    /// home page has no dated item at all and `navigation_fallback` is true, one occurrence when no second-level column
    /// has an item within `window`. Placeholders: `{newest}` (or “无”), `{window}`.
    HomepageStale = "homepage_stale" (HomepageStale),
    /// Stale list columns: one occurrence per list column matched by a term of `columns` whose newest date is older than
    /// that term's window (or which has items but none dated). Each column is judged by the first term that matches it;
    /// a term with `categories = ["*"]` matches any list column no earlier term matched. With `count_blank`, every blank
    /// column is an occurrence too. Placeholders: `{column}`, `{category}`, `{url}`, `{newest}` (or “无”), `{window}`.
    StaleColumns = "stale_columns" (StaleColumns),
    /// Blank columns (RUBRIC.md Terms: no items, only a placeholder, an error page, or unreadable): one occurrence each,
    /// limited to `categories` when given. Placeholders: `{column}`, `{url}`, `{reason}`.
    BlankColumns = "blank_columns" (BlankColumns),
    /// Required categories: one occurrence per category of the list that has no column. The list is `by_level[level]`
    /// when present for the site's level, else `categories`. With `within = "platform"` only columns of the
    /// 政府信息公开 platform count. Placeholders: `{category}` (id), `{category_name}` (Chinese name).
    MissingCategories = "missing_categories" (MissingCategories),
    /// One occurrence per category of `categories` that has no column, or none of whose columns has an item dated within
    /// `window`. Placeholders: `{category}`, `{category_name}`, `{newest}` (or “无”), `{window}`.
    CategoryInactive = "category_inactive" (CategoryInactive),
    /// Reply delay: among messages in the columns of `categories` posted within `lookback` before T0, one occurrence per
    /// message answered more than `limit` after it was posted; with `count_unanswered`, also one per message without a
    /// reply that was posted more than `limit` before T0. Placeholders: `{title}`, `{url}`, `{posted}`, `{replied}` (or
    /// “未答复”), `{limit}`.
    ReplyDelay = "reply_delay" (ReplyDelay),
    /// Reply freshness: one occurrence when the newest reply date in the columns of `categories` is older than `window`
    /// (or no reply carries a readable date). Nothing when the site has no such column (another rule covers that).
    /// Placeholders: `{newest}` (or “无”), `{window}`.
    RepliesStale = "replies_stale" (RepliesStale),
    /// Future dates (伪造发稿日期): one occurrence per item dated more than `tolerance` after T0.
    /// Placeholders: `{date}`, `{title}`, `{url}`.
    FutureDates = "future_dates" (FutureDates),
    /// Hidden spam links (暗链): one occurrence per link hidden by CSS (display:none, visibility:hidden, off-screen
    /// position, font-size 0) whose text or target contains one of `words` or matches one of `patterns`.
    /// Placeholders: `{text}`, `{target}`, `{url}`, `{how}` (how it was hidden).
    HiddenLinks = "hidden_links" (HiddenLinks),
    /// Annual report of year Y−1 (Y = T0's year) in the columns of `category`: outcome `missing` when T0 is past the
    /// deadline for the site's level (`deadline`, "MM-DD" of year Y) and there is none; outcome `late` when it was
    /// published after that deadline. The rule's `points` gives a value per outcome. Placeholders: `{year}`,
    /// `{deadline}`, `{published}`.
    AnnualReport = "annual_report" (AnnualReport),
    /// Guide contents: one occurrence per element of `elements` absent from the text of the `category` column page(s):
    /// an element is present when the text contains one of its `keywords` or matches one of its `patterns`.
    /// Nothing when there is no guide page (another rule covers that). Placeholders: `{element}`, `{url}`.
    GuideElements = "guide_elements" (GuideElements),
    /// 条例 第20条 coverage: one occurrence per item of `items` that no column name under the 政府信息公开 platform
    /// contains a keyword of. Placeholders: `{clause}`, `{title}`.
    StatutoryCoverage = "statutory_coverage" (StatutoryCoverage),
    /// Publication delay (条例 第26条): one occurrence per document whose 发布日期 is more than `limit` after its
    /// 成文日期 (use working days, `20wd`). Placeholders: `{title}`, `{url}`, `{written}`, `{published}`, `{limit}`.
    PublicationDelay = "publication_delay" (PublicationDelay),
    /// Undated items: one occurrence per list column where the share of first-page items without a readable date is
    /// greater than `more_than_share` (0.5 = more than half). Placeholders: `{column}`, `{url}`, `{undated}`, `{items}`.
    UndatedItems = "undated_items" (UndatedItems),
    /// Broken entry: one occurrence per column of `categories` whose link (the entry, often to another host) does not
    /// answer successfully. Placeholders: `{column}`, `{url}`, `{status}`.
    EntryBroken = "entry_broken" (EntryBroken),
    /// Broken links (tried `parameters.link_attempts` times: 4xx, 5xx, no connection, timeout; robots-forbidden links are
    /// not tried): one occurrence per unique broken target found on the home page (`scope = "home"`), on any other page
    /// (`"elsewhere"`), or anywhere (`"all"`). Placeholders: `{target}`, `{source}`, `{status}`.
    BrokenLinks = "broken_links" (BrokenLinks),
    /// Identity elements: one occurrence per element of `elements` that the home page does not show (recognised by the
    /// rubric's `[identity]` patterns). Placeholders: `{element}` (id), `{element_name}` (Chinese label).
    IdentityMissing = "identity_missing" (IdentityMissing),
    /// Site search: one occurrence when the home page has no search form (a form with a text input whose action,
    /// name, id, class or placeholder contains one of `hints`). Placeholders: none beyond the common ones.
    SearchForm = "search_form" (SearchForm),
    /// Domain rule: one occurrence when the home page host does not match `government` (governments) or `department`
    /// (departments). Placeholders: `{host}`, `{expected}`.
    DomainRule = "domain_rule" (DomainRule),
    /// Personal data exposure: one occurrence per page showing a checksum-valid 18-digit resident ID number (when
    /// `id_numbers`) or a Luhn-valid bank card number of `card_digits` digits (when `bank_cards`).
    /// Placeholders: `{url}`, `{kinds}` (身份证号/银行卡号), `{sample}` (masked).
    PrivacyExposure = "privacy_exposure" (PrivacyExposure),
    /// HTTPS: one occurrence when the home page is served over HTTPS and (when `require_redirect`) plain HTTP redirects
    /// to it. A bonus check. Placeholders: `{url}`.
    Https = "https" (Https),
    /// Home page keywords: one occurrence when the home page's link texts, image alt texts or visible text contain one of
    /// `keywords` (e.g. an accessibility entry). A bonus check. Placeholders: `{keyword}`, `{url}`.
    HomeKeywords = "home_keywords" (HomeKeywords),
    /// Manual adjustments from the adjustments file: each entry for this rule is an occurrence with its own points and
    /// reason (bonus or deduction); the rule has no `points`. Placeholders: `{reason}`, `{points}`.
    Manual = "manual" (Manual),
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeFailureRate {
    pub window: Period,
    pub min_probes: u32,
    pub at_least_percent: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeFailurePercent {
    pub window: Period,
    #[serde(default = "one")]
    pub min_probes: u32,
    pub below_percent: f64,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomepageStale {
    pub window: Period,
    #[serde(default = "default_true")]
    pub navigation_fallback: bool,
}

/// One term of [`StaleColumns`]: columns of these categories are stale beyond `window`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaleTerm {
    /// Category ids; `"*"` = any list column not matched by an earlier term (including uncategorised ones).
    pub categories: Vec<String>,
    pub window: Period,
    /// Only first-level columns (RUBRIC.md Terms) count.
    #[serde(default)]
    pub first_level_only: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaleColumns {
    pub columns: Vec<StaleTerm>,
    #[serde(default)]
    pub count_blank: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlankColumns {
    /// Limit to these categories; absent = every column.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
}

/// Where a category must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// Anywhere on the site (navigation, platform, sub-columns).
    #[default]
    Site,
    /// On the 政府信息公开 platform.
    Platform,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MissingCategories {
    pub categories: Vec<String>,
    /// A replacement list for some levels (e.g. departments have no 概况信息).
    #[serde(default)]
    pub by_level: BTreeMap<Level, Vec<String>>,
    #[serde(default)]
    pub within: Within,
}

impl MissingCategories {
    /// The categories required of a site at `level`.
    pub fn required_for(&self, level: Level) -> &[String] {
        self.by_level.get(&level).unwrap_or(&self.categories)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInactive {
    pub categories: Vec<String>,
    pub window: Period,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyDelay {
    pub categories: Vec<String>,
    pub lookback: Period,
    pub limit: Period,
    #[serde(default)]
    pub count_unanswered: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RepliesStale {
    pub categories: Vec<String>,
    pub window: Period,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FutureDates {
    pub tolerance: Period,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenLinks {
    pub words: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
}

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
        let bad =
            || serde::de::Error::custom(format!("invalid month-day \"{s}\", expected \"MM-DD\" such as \"03-31\""));
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualReport {
    pub category: String,
    /// Deadline in year Y for the report of year Y−1, per level.
    pub deadline: BTreeMap<Level, MonthDay>,
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuideElements {
    pub category: String,
    pub elements: Vec<TextElement>,
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatutoryCoverage {
    pub items: Vec<StatutoryItem>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationDelay {
    pub limit: Period,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UndatedItems {
    pub more_than_share: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryBroken {
    pub categories: Vec<String>,
}

/// Which pages' links a [`BrokenLinks`] rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkScope {
    Home,
    Elsewhere,
    All,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenLinks {
    pub scope: LinkScope,
}

/// The identity elements of a home page (DOMAIN.md), keys of the rubric's `[identity]` table and of results.json
/// `identity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKey {
    SiteCode,
    Icp,
    Police,
    Badge,
    Sponsor,
    Contact,
    ErrorEntry,
}

impl IdentityKey {
    pub const ALL: [IdentityKey; 7] = [
        IdentityKey::SiteCode,
        IdentityKey::Icp,
        IdentityKey::Police,
        IdentityKey::Badge,
        IdentityKey::Sponsor,
        IdentityKey::Contact,
        IdentityKey::ErrorEntry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKey::SiteCode => "site_code",
            IdentityKey::Icp => "icp",
            IdentityKey::Police => "police",
            IdentityKey::Badge => "badge",
            IdentityKey::Sponsor => "sponsor",
            IdentityKey::Contact => "contact",
            IdentityKey::ErrorEntry => "error_entry",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityMissing {
    pub elements: Vec<IdentityKey>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchForm {
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRule {
    /// Host pattern for governments (province, city, county, township).
    pub government: Pattern,
    /// Host pattern for departments.
    pub department: Pattern,
}

impl DomainRule {
    pub fn pattern_for(&self, level: Level) -> &Pattern {
        if level.is_government() {
            &self.government
        } else {
            &self.department
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyExposure {
    pub id_numbers: bool,
    pub bank_cards: bool,
    /// Inclusive digit counts of a bank card number, `[16, 19]`.
    pub card_digits: [u32; 2],
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Https {
    #[serde(default = "default_true")]
    pub require_redirect: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeKeywords {
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {}

/// Placeholders every message template may use: the rule id, the site's name, the URL the finding rests on, and the
/// number of occurrences.
pub const COMMON_PLACEHOLDERS: &[&str] = &["rule", "site", "url", "count"];

impl CheckKind {
    /// The placeholders this check fills in message templates, beyond [`COMMON_PLACEHOLDERS`] (documented on each
    /// variant). A template naming any other placeholder is a validation error.
    pub fn placeholders(self) -> &'static [&'static str] {
        use CheckKind::*;
        match self {
            ProbeFailureRate | ProbeFailurePercent => &["probes", "failures", "percent", "window"],
            HomepageStale => &["newest", "window"],
            StaleColumns => &["column", "category", "newest", "window"],
            BlankColumns => &["column", "reason"],
            MissingCategories => &["category", "category_name"],
            CategoryInactive => &["category", "category_name", "newest", "window"],
            ReplyDelay => &["title", "posted", "replied", "limit"],
            RepliesStale => &["newest", "window"],
            FutureDates => &["date", "title"],
            HiddenLinks => &["text", "target", "how"],
            AnnualReport => &["year", "deadline", "published"],
            GuideElements => &["element"],
            StatutoryCoverage => &["clause", "title"],
            PublicationDelay => &["title", "written", "published", "limit"],
            UndatedItems => &["column", "undated", "items"],
            EntryBroken => &["column", "status"],
            BrokenLinks => &["target", "source", "status"],
            IdentityMissing => &["element", "element_name"],
            SearchForm => &[],
            DomainRule => &["host", "expected"],
            PrivacyExposure => &["kinds", "sample"],
            Https => &[],
            HomeKeywords => &["keyword"],
            Manual => &["reason", "points"],
        }
    }
}

/// The `{name}` placeholders of a message template (names of lowercase letters, digits and '_'; other braces are
/// literal text).
pub fn template_placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                    out.push(name);
                    rest = &after[close + 1..];
                } else {
                    rest = after;
                }
            }
            None => break,
        }
    }
    out
}

/// Fills a message template: each `{name}` with the value `values` gives for it; a placeholder without a value is
/// left as written (so a missing value is visible, never silently blank).
pub fn render_message(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

impl Check {
    /// Named outcomes whose points a rule gives separately (`points = { missing = 8, late = 4 }`); empty for checks
    /// with a single kind of occurrence.
    pub fn outcomes(&self) -> &'static [&'static str] {
        match self {
            Check::AnnualReport(_) => &["missing", "late"],
            _ => &[],
        }
    }

    /// Category ids named by the parameters (validated against the rubric's categories; `"*"` excluded).
    pub fn category_refs(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        fn add<'a>(v: &mut Vec<&'a str>, c: &'a [String]) {
            v.extend(c.iter().map(String::as_str));
        }
        match self {
            Check::StaleColumns(p) => p.columns.iter().for_each(|t| add(&mut v, &t.categories)),
            Check::BlankColumns(p) => {
                if let Some(c) = &p.categories {
                    add(&mut v, c)
                }
            }
            Check::MissingCategories(p) => {
                add(&mut v, &p.categories);
                p.by_level.values().for_each(|c| add(&mut v, c));
            }
            Check::CategoryInactive(p) => add(&mut v, &p.categories),
            Check::ReplyDelay(p) => add(&mut v, &p.categories),
            Check::RepliesStale(p) => add(&mut v, &p.categories),
            Check::AnnualReport(p) => v.push(&p.category),
            Check::GuideElements(p) => v.push(&p.category),
            Check::EntryBroken(p) => add(&mut v, &p.categories),
            _ => {}
        }
        v.retain(|c| *c != "*");
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(KNOWN_CHECKS.len(), CheckKind::ALL.len());
        for (k, n) in CheckKind::ALL.iter().zip(KNOWN_CHECKS) {
            assert_eq!(k.as_str(), *n);
            assert_eq!(CheckKind::from_name(n), Some(*k));
        }
        assert_eq!(CheckKind::from_name("column_stale"), None);
    }

    #[test]
    fn templates() {
        assert_eq!(template_placeholders("栏目“{column}”{newest} {x-y} {"), vec!["column", "newest"]);
        let msg = render_message(
            "栏目“{column}”最新{newest}，{other}",
            &[("column", "通知公告".into()), ("newest", "2026-01-02".into())],
        );
        assert_eq!(msg, "栏目“通知公告”最新2026-01-02，{other}");
    }

    #[test]
    fn month_day_parses_and_rejects() {
        let m: MonthDay = toml::from_str::<BTreeMap<String, MonthDay>>("d = \"03-31\"").unwrap()["d"];
        assert_eq!(m.in_year(2026), chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert!(toml::from_str::<BTreeMap<String, MonthDay>>("d = \"02-30\"").is_err());
        assert!(toml::from_str::<BTreeMap<String, MonthDay>>("d = \"3/31\"").is_err());
    }
}
