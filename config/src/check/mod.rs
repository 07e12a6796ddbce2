//! The closed vocabulary of checks a rubric rule can name.
//!
//! A rule in a rubric file says *what it costs* (kind, points, cap, group, levels) and *what it says* (title, advice,
//! message); its `check` says *what to test*, with the check's parameters as further keys of the same `[[rule]]` table:
//!
//! ```toml
//! [[rule]]
//! id = "publish.news_stale"
//! title = "政务动态栏目未及时更新"
//! advice = "动态要闻类栏目应至少每两周更新一次。"
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
//! when there is at least one occurrence. Adding a rule that reuses a check is therefore a change to the TOML alone.
//!
//! Checks come in families, one file each here and one file of the same name in the scoring crate
//! (`scoring/src/engine/checks/<family>.rs`), which holds the check's code and its unit tests:
//! [`availability`], [`freshness`], [`interaction`], [`integrity`], [`disclosure`], [`content`], [`design`],
//! [`bonus`].
//! A new kind of test is a parameter struct in the family file here (with its doc, its placeholders and its value
//! checks, see [`Params`]), one line in the [`checks!`] list below, and its function in the scoring family file.
//!
//! Each check's parameters are a typed struct (unknown keys and wrong types are errors with file, line and column).
//! Category names in parameters must be ids of the rubric's `[[category]]` tables. Message templates may use `{rule}`,
//! `{site}`, `{url}` and `{count}` (occurrences) everywhere, plus the placeholders each check declares (an occurrence's
//! values; for a veto, those of its first occurrence).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::site::Level;

pub mod availability;
pub mod bonus;
pub mod content;
pub mod design;
pub mod disclosure;
pub mod freshness;
pub mod integrity;
pub mod interaction;

pub use availability::{Ipv6, ProbeFailurePercent, ProbeFailureRate};
pub use bonus::{HomeKeywords, Https, Manual};
pub use content::{LeaderNames, SensitiveWords, SpamLinks, WrongForms};
pub use design::{BrokenLinks, DomainRule, Emblem, EntryBroken, IdentityKey, IdentityMissing, LinkScope, SearchForm};
pub use disclosure::{
    AnnualReport, GuideElements, MonthDay, PublicationDelay, StatutoryCoverage, StatutoryItem, TextElement,
};
pub use freshness::{
    BlankColumns, CategoryInactive, HomepageStale, MissingCategories, StaleColumns, StaleTerm, UndatedItems, Within,
};
pub use integrity::{Certificate, FutureDates, HiddenLinks, PrivacyExposure};
pub use interaction::{RepliesStale, ReplyDelay};

/// What every check's parameter struct declares beside its fields: the placeholders it fills, its named outcomes, the
/// categories it refers to and the checks on values that types cannot express. Kept beside the struct in its family
/// file, so a check's parameters and their rules are read in one place.
pub trait Params {
    /// The placeholders this check fills in message templates, beyond [`COMMON_PLACEHOLDERS`]. A template naming any
    /// other placeholder is a validation error.
    const PLACEHOLDERS: &'static [&'static str];

    /// Named outcomes whose points a rule gives separately (`points = { missing = 8, late = 4 }`); empty for checks
    /// with a single kind of occurrence.
    const OUTCOMES: &'static [&'static str] = &[];

    /// Category ids named by the parameters (validated against the rubric's categories; `"*"` is allowed where a
    /// check documents it).
    fn category_refs(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Checks on parameter values their types cannot express, for a rule that applies to `levels`.
    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        Ok(())
    }
}

/// A parameter value a [`Params::validate`] rejects: the rule's key to point at, the field path to name (the key
/// itself unless given) and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub key: &'static str,
    pub field: Option<String>,
    pub message: String,
}

impl ParamError {
    pub fn at(key: &'static str, message: impl Into<String>) -> ParamError {
        ParamError { key, field: None, message: message.into() }
    }
}

pub(crate) fn default_true() -> bool {
    true
}

macro_rules! checks {
    ($( $family:ident { $( $variant:ident = $name:literal ),* $(,)? } )*) => {
        /// The name of a check, as written in `check = "…"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum CheckKind { $( $(
            #[doc = concat!("`", $name, "`: see [`", stringify!($family), "::", stringify!($variant), "`].")]
            $variant
        ),* ),* }

        /// Every check name the engine knows, in declaration order.
        pub const KNOWN_CHECKS: &[&str] = &[$( $($name),* ),*];

        /// The check families, in declaration order (one file each here and in the scoring crate).
        pub const FAMILIES: &[&str] = &[$(stringify!($family)),*];

        impl CheckKind {
            pub const ALL: &'static [CheckKind] = &[$( $(CheckKind::$variant),* ),*];

            pub fn as_str(self) -> &'static str {
                match self { $( $(CheckKind::$variant => $name),* ),* }
            }

            pub fn from_name(name: &str) -> Option<CheckKind> {
                match name { $( $($name => Some(CheckKind::$variant),)* )* _ => None }
            }

            /// The family of the check: the name of its file here and in `scoring/src/engine/checks/`.
            pub fn family(self) -> &'static str {
                match self { $( $(CheckKind::$variant => stringify!($family)),* ),* }
            }

            /// The placeholders this check fills in message templates, beyond [`COMMON_PLACEHOLDERS`].
            pub fn placeholders(self) -> &'static [&'static str] {
                match self { $( $(CheckKind::$variant => <$family::$variant as Params>::PLACEHOLDERS),* ),* }
            }

            /// Named outcomes whose points a rule gives separately; empty for most checks.
            pub fn outcomes(self) -> &'static [&'static str] {
                match self { $( $(CheckKind::$variant => <$family::$variant as Params>::OUTCOMES),* ),* }
            }
        }

        /// A check with its parameters.
        #[derive(Debug, Clone, Serialize)]
        #[serde(tag = "check", rename_all = "snake_case")]
        pub enum Check { $( $(
            #[doc = concat!("`", $name, "`: see [`", stringify!($family), "::", stringify!($variant), "`].")]
            $variant($family::$variant)
        ),* ),* }

        impl Check {
            pub fn kind(&self) -> CheckKind {
                match self { $( $(Check::$variant(_) => CheckKind::$variant),* ),* }
            }

            /// Deserialises the parameters of check `kind` from a deserializer over the rule's remaining keys.
            pub(crate) fn deserialize_params<'de, D: serde::Deserializer<'de>>(kind: CheckKind, d: D) -> Result<Check, D::Error> {
                Ok(match kind { $( $(CheckKind::$variant => Check::$variant(<$family::$variant>::deserialize(d)?)),* ),* })
            }

            /// Category ids named by the parameters (validated against the rubric's categories; `"*"` excluded).
            pub fn category_refs(&self) -> Vec<&str> {
                let mut v = match self { $( $(Check::$variant(p) => p.category_refs()),* ),* };
                v.retain(|c| *c != "*");
                v
            }

            /// The parameters' own value checks (see [`Params::validate`]).
            pub fn validate(&self, levels: &[Level]) -> Result<(), ParamError> {
                match self { $( $(Check::$variant(p) => p.validate(levels)),* ),* }
            }

            /// Named outcomes whose points a rule gives separately (`points = { missing = 8, late = 4 }`); empty for
            /// checks with a single kind of occurrence.
            pub fn outcomes(&self) -> &'static [&'static str] {
                self.kind().outcomes()
            }
        }
    };
}

checks! {
    availability {
        ProbeFailureRate = "probe_failure_rate",
        ProbeFailurePercent = "probe_failure_percent",
        Ipv6 = "ipv6",
    }
    freshness {
        HomepageStale = "homepage_stale",
        StaleColumns = "stale_columns",
        BlankColumns = "blank_columns",
        MissingCategories = "missing_categories",
        CategoryInactive = "category_inactive",
        UndatedItems = "undated_items",
    }
    interaction {
        ReplyDelay = "reply_delay",
        RepliesStale = "replies_stale",
    }
    integrity {
        FutureDates = "future_dates",
        HiddenLinks = "hidden_links",
        PrivacyExposure = "privacy_exposure",
        Certificate = "certificate",
    }
    disclosure {
        AnnualReport = "annual_report",
        GuideElements = "guide_elements",
        StatutoryCoverage = "statutory_coverage",
        PublicationDelay = "publication_delay",
    }
    content {
        WrongForms = "wrong_forms",
        SensitiveWords = "sensitive_words",
        LeaderNames = "leader_names",
        SpamLinks = "spam_links",
    }
    design {
        EntryBroken = "entry_broken",
        BrokenLinks = "broken_links",
        IdentityMissing = "identity_missing",
        SearchForm = "search_form",
        DomainRule = "domain_rule",
        Emblem = "emblem",
    }
    bonus {
        Https = "https",
        HomeKeywords = "home_keywords",
        Manual = "manual",
    }
}

/// Placeholders every message template may use: the rule id, the site's name, the URL the finding rests on, and the
/// number of occurrences.
pub const COMMON_PLACEHOLDERS: &[&str] = &["rule", "site", "url", "count"];

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

/// Values for a message template's placeholders: a map, or a list of pairs where a later pair wins.
pub trait MessageValues {
    fn value(&self, name: &str) -> Option<&str>;
}

impl MessageValues for BTreeMap<&str, String> {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl MessageValues for [(&str, String)] {
    fn value(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

impl<const N: usize> MessageValues for [(&str, String); N] {
    fn value(&self, name: &str) -> Option<&str> {
        self.as_slice().value(name)
    }
}

impl MessageValues for Vec<(&str, String)> {
    fn value(&self, name: &str) -> Option<&str> {
        self.as_slice().value(name)
    }
}

/// Fills a message template in one pass: each `{name}` with the value `values` gives for it; a placeholder without a
/// value is left as written (so a missing value is visible, never silently blank). Values are inserted as they are:
/// a value that itself contains `{…}` (crawled text) is never filled again.
pub fn render_message<V: MessageValues + ?Sized>(template: &str, values: &V) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match values.value(key) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
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
    fn every_check_belongs_to_a_known_family() {
        for k in CheckKind::ALL {
            assert!(FAMILIES.contains(&k.family()), "{k:?}");
        }
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

    // Moved from the scoring engine, whose `fill` was a second copy of `render_message`.
    #[test]
    fn templates_fill_known_placeholders_only() {
        let mut v = BTreeMap::new();
        v.insert("column", "通知公告".to_string());
        v.insert("newest", "2026-01-02".to_string());
        assert_eq!(
            render_message("栏目“{column}”最新{newest}，{window}", &v),
            "栏目“通知公告”最新2026-01-02，{window}"
        );
        assert_eq!(render_message("无占位符", &v), "无占位符");
        assert_eq!(render_message("坏{括号", &v), "坏{括号");
    }

    #[test]
    fn a_value_is_never_filled_again() {
        let v = [("title", "{url}".to_string()), ("url", "http://x/".to_string())];
        assert_eq!(render_message("“{title}”见{url}", &v), "“{url}”见http://x/");
    }
}
