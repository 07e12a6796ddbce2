//! Service and design checks: entries and links that answer, the identity footer, search, the domain.
//!
//! Code and unit tests: `scoring/src/engine/checks/design.rs`.

use serde::{Deserialize, Serialize};

use super::{ParamError, Params};
use crate::pattern::Pattern;
use crate::site::Level;

/// `entry_broken` (broken entry): one occurrence per column of `categories` whose link (the entry, often to another
/// host) does not answer successfully. Placeholders: `{column}`, `{url}`, `{status}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryBroken {
    pub categories: Vec<String>,
}

impl Params for EntryBroken {
    const PLACEHOLDERS: &'static [&'static str] = &["column", "status"];

    fn category_refs(&self) -> Vec<&str> {
        self.categories.iter().map(String::as_str).collect()
    }
}

/// Which pages' links a [`BrokenLinks`] rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkScope {
    Home,
    Elsewhere,
    All,
}

/// `broken_links` (tried `parameters.link_attempts` times: 4xx, 5xx, no connection, timeout; robots-forbidden links
/// are not tried): one occurrence per unique broken target found on the home page (`scope = "home"`), on any other
/// page (`"elsewhere"`), or anywhere (`"all"`). Placeholders: `{target}`, `{source}`, `{status}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenLinks {
    pub scope: LinkScope,
}

impl Params for BrokenLinks {
    const PLACEHOLDERS: &'static [&'static str] = &["target", "source", "status"];
}

/// The identity elements of a home page (docs/site-understanding.md), keys of the rubric's `[identity]` table and of results.json
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

/// `identity_missing` (identity elements): one occurrence per element of `elements` that the home page does not show
/// (recognised by the rubric's `[identity]` patterns). Placeholders: `{element}` (id), `{element_name}` (Chinese
/// label).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityMissing {
    pub elements: Vec<IdentityKey>,
}

impl Params for IdentityMissing {
    const PLACEHOLDERS: &'static [&'static str] = &["element", "element_name"];
}

/// `search_form` (site search): one occurrence when the home page has no search form (a form with a text input whose
/// action, name, id, class or placeholder contains one of `hints`). Placeholders: none beyond the common ones.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchForm {
    pub hints: Vec<String>,
}

impl Params for SearchForm {
    const PLACEHOLDERS: &'static [&'static str] = &[];
}

/// `domain_rule`: one occurrence when the home page host does not match `government` (governments) or `department`
/// (departments). Placeholders: `{host}`, `{expected}`.
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

impl Params for DomainRule {
    const PLACEHOLDERS: &'static [&'static str] = &["host", "expected"];
}

/// `emblem` (国徽, 国徽法): whether the home page of a county-level-and-above government portal shows the national
/// emblem. Three outcomes, trust first (docs/rules.md `design.emblem`):
/// - **found**: an image-like element (`<img>`, `<input type=image>`, `<svg>` with a `<title>`, an inline-style
///   background) anywhere on the home page whose alt, title, aria-label, file name, figcaption or enclosing link's title
///   or text matches one of `words` → no occurrence;
/// - **undetermined**: no named emblem, but the header region holds any image, or a `<style>` block or a linked
///   stylesheet holds a `url(` (or is not archived), or the page has no readable header (no menu, script-rendered) →
///   no occurrence;
/// - **absent**: the home page was read (HTML, 200, a menu), its header region has no image of any kind and no
///   stylesheet can draw one → one occurrence.
///
/// Words with non-ASCII characters match as substrings; Latin words match whole tokens (split on non-alphanumerics,
/// case-insensitive), so `guohua.jpg` does not match `guohui`. Placeholders: `{problem}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Emblem {
    pub words: Vec<String>,
}

impl Params for Emblem {
    const PLACEHOLDERS: &'static [&'static str] = &["problem"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.words.is_empty() {
            return Err(ParamError::at("words", "expected at least one word that names the emblem (国徽)"));
        }
        if let Some(w) = self.words.iter().find(|w| w.trim().is_empty()) {
            return Err(ParamError::at("words", format!("expected non-empty words, got {w:?}")));
        }
        Ok(())
    }
}
