//! Freshness and coverage checks: the home page and the columns are kept up to date, none is blank, none is missing.
//!
//! Code and unit tests: `scoring/src/engine/checks/freshness.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{default_true, ParamError, Params};
use crate::period::Period;
use crate::site::Level;

fn refs(c: &[String]) -> impl Iterator<Item = &str> {
    c.iter().map(String::as_str)
}

/// `homepage_stale`: one occurrence when no item linked from the home page is dated within `window`; when the home
/// page has no dated item at all and `navigation_fallback` is true, one occurrence when no second-level column has an
/// item within `window`. Placeholders: `{newest}` (or “无”), `{window}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomepageStale {
    pub window: Period,
    #[serde(default = "default_true")]
    pub navigation_fallback: bool,
}

impl Params for HomepageStale {
    const PLACEHOLDERS: &'static [&'static str] = &["newest", "window"];
}

/// One term of [`StaleColumns`]: columns of these categories are stale beyond `window`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaleTerm {
    /// Category ids; `"*"` = any list column not matched by an earlier term (including uncategorised ones).
    pub categories: Vec<String>,
    pub window: Period,
    /// Only first-level columns (docs/rules.md Terms) count.
    #[serde(default)]
    pub first_level_only: bool,
}

/// `stale_columns`: one occurrence per list column matched by a term of `columns` whose newest date is older than
/// that term's window (or which has items but none dated). Each column is judged by the first term that matches it;
/// a term with `categories = ["*"]` matches any list column no earlier term matched. With `count_blank`, every blank
/// column is an occurrence too. Placeholders: `{column}`, `{category}`, `{url}`, `{newest}` (or “无”), `{window}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaleColumns {
    pub columns: Vec<StaleTerm>,
    #[serde(default)]
    pub count_blank: bool,
}

impl Params for StaleColumns {
    const PLACEHOLDERS: &'static [&'static str] = &["column", "category", "newest", "window"];

    fn category_refs(&self) -> Vec<&str> {
        self.columns.iter().flat_map(|t| refs(&t.categories)).collect()
    }

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.columns.is_empty() {
            return Err(ParamError::at("columns", "应至少写一项 { categories = [...], window = \"...\" }"));
        }
        for (j, term) in self.columns.iter().enumerate() {
            if term.categories.is_empty() || (term.categories.len() > 1 && term.categories.iter().any(|c| c == "*")) {
                return Err(ParamError {
                    key: "columns",
                    field: Some(format!("columns[{}].categories", j + 1)),
                    message: "应为栏目类别 id；或单独写 [\"*\"]，表示其余所有列表栏目".into(),
                });
            }
        }
        Ok(())
    }
}

/// `blank_columns` (docs/rules.md Terms: no items, only a placeholder, an error page, or unreadable): one occurrence each,
/// limited to `categories` when given. Placeholders: `{column}`, `{url}`, `{reason}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlankColumns {
    /// Limit to these categories; absent = every column.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
}

impl Params for BlankColumns {
    const PLACEHOLDERS: &'static [&'static str] = &["column", "reason"];

    fn category_refs(&self) -> Vec<&str> {
        self.categories.as_deref().map(|c| refs(c).collect()).unwrap_or_default()
    }
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

/// `missing_categories` (required categories): one occurrence per category of the list that has no column. The list
/// is `by_level[level]` when present for the site's level, else `categories`. With `within = "platform"` only columns
/// of the 政府信息公开 platform count. Placeholders: `{category}` (id), `{category_name}` (Chinese name).
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

impl Params for MissingCategories {
    const PLACEHOLDERS: &'static [&'static str] = &["category", "category_name"];

    fn category_refs(&self) -> Vec<&str> {
        refs(&self.categories).chain(self.by_level.values().flat_map(|c| refs(c))).collect()
    }

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.categories.is_empty() && self.by_level.is_empty() {
            return Err(ParamError::at("categories", "应至少写一个栏目类别 id"));
        }
        Ok(())
    }
}

/// `category_inactive`: one occurrence per category of `categories` that has no column, or none of whose columns has
/// an item dated within `window`. Placeholders: `{category}`, `{category_name}`, `{newest}` (or “无”), `{window}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInactive {
    pub categories: Vec<String>,
    pub window: Period,
}

impl Params for CategoryInactive {
    const PLACEHOLDERS: &'static [&'static str] = &["category", "category_name", "newest", "window"];

    fn category_refs(&self) -> Vec<&str> {
        refs(&self.categories).collect()
    }
}

/// `undated_items`: one occurrence per list column where the share of first-page items without a readable date is
/// greater than `more_than_share` (0.5 = more than half). Placeholders: `{column}`, `{url}`, `{undated}`, `{items}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UndatedItems {
    pub more_than_share: f64,
}

impl Params for UndatedItems {
    const PLACEHOLDERS: &'static [&'static str] = &["column", "undated", "items"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if !(0.0..1.0).contains(&self.more_than_share) {
            return Err(ParamError::at("more_than_share", "应为 0 到 1 之间的比例（可为 0，不能为 1），如 0.5"));
        }
        Ok(())
    }
}
