//! Content checks: what pages say — wrong forms of official names and set phrases (严重表述错误 / 错别字), sensitive
//! words, leaders' names, titles and order. Their word lists are the rubric's lexicons ([`crate::lexicon`]).
//!
//! Code and unit tests: `scoring/src/engine/checks/content.rs`.

use serde::{Deserialize, Serialize};

use super::Params;
use crate::lexicon::Severity;

/// `wrong_forms` (严重表述错误 / 错别字): one occurrence per distinct entry of the wrong-forms lexicon of grade `grade`
/// found in the visible text of any archived page (a wrong form found inside its own right form is not counted).
/// Evidence: up to `max_evidence` pages, each with the sentence. Placeholders: `{wrong}`, `{right}`, `{grade}`,
/// `{sentence}`, `{pages}` (how many pages show it).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WrongForms {
    pub grade: Severity,
    #[serde(default = "default_max_evidence")]
    pub max_evidence: usize,
}

impl Params for WrongForms {
    const PLACEHOLDERS: &'static [&'static str] = &["wrong", "right", "grade", "sentence", "pages"];
}

/// `sensitive_words` (敏感词): one occurrence per distinct word of the sensitive-words lexicon found in the visible text
/// of any archived page. Placeholders: `{word}`, `{sentence}`, `{pages}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveWords {
    #[serde(default = "default_max_evidence")]
    pub max_evidence: usize,
}

impl Params for SensitiveWords {
    const PLACEHOLDERS: &'static [&'static str] = &["word", "sentence", "pages"];
}

/// `leader_names` (领导人姓名、职务、排序), judged against the leaders valid on each page's date (the page's 发布日期,
/// else T0), so an old document quoted as it was written is not an error. Outcomes:
/// - `name`: a title held by a listed leader followed by a name one character off theirs (`省长王晓明` for 王小明);
/// - `title`: a listed leader's name right after a listed title that is not theirs;
/// - `order`: listed leaders named in one list (joined by 、，和 及 or titles) out of protocol rank.
///
/// One occurrence per distinct (outcome, written text). Placeholders: `{problem}` (Chinese), `{written}` (what the
/// page says), `{expected}`, `{sentence}`, `{pages}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderNames {
    #[serde(default = "default_max_evidence")]
    pub max_evidence: usize,
}

impl Params for LeaderNames {
    const PLACEHOLDERS: &'static [&'static str] = &["problem", "written", "expected", "sentence", "pages"];
    const OUTCOMES: &'static [&'static str] = &["name", "title", "order"];
}

fn default_max_evidence() -> usize {
    3
}
