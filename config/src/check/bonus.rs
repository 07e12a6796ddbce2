//! Bonus checks (加分项) and manual adjustments.
//!
//! Code and unit tests: `scoring/src/engine/checks/bonus.rs`.

use serde::{Deserialize, Serialize};

use super::{default_true, Params};

/// `https`: one occurrence when the home page is served over HTTPS and (when `require_redirect`) plain HTTP redirects
/// to it. A bonus check. Placeholders: `{url}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Https {
    #[serde(default = "default_true")]
    pub require_redirect: bool,
}

impl Params for Https {
    const PLACEHOLDERS: &'static [&'static str] = &[];
}

/// `home_keywords`: one occurrence when the home page's link texts, image alt texts or visible text contain one of
/// `keywords` (e.g. an accessibility entry). A bonus check. Placeholders: `{keyword}`, `{url}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeKeywords {
    pub keywords: Vec<String>,
}

impl Params for HomeKeywords {
    const PLACEHOLDERS: &'static [&'static str] = &["keyword"];
}

/// `manual`: manual adjustments from the adjustments file: each entry for this rule is an occurrence with its own
/// points and reason (bonus or deduction); the rule has no `points`. Placeholders: `{reason}`, `{points}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {}

impl Params for Manual {
    const PLACEHOLDERS: &'static [&'static str] = &["reason", "points"];
}
