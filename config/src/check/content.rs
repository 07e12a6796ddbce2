//! Content checks: what pages say — wrong forms of official names and set phrases (严重表述错误 / 错别字), sensitive
//! words, leaders' names, titles and order — and what the pages outbound links lead to say (外链变质, spam). Their word
//! lists are the rubric's lexicons ([`crate::lexicon`]).
//!
//! Code and unit tests: `scoring/src/engine/checks/content.rs`.

use serde::{Deserialize, Serialize};

use super::{ParamError, Params};
use crate::lexicon::Severity;
use crate::site::Level;

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

/// `spam_links` (外链变质): one occurrence per outbound link target (off-site, checked once per crawl) whose page — read
/// and archived by the crawler when the target answered 2xx with HTML, after any redirect to another domain — matches
/// the rubric's spam lexicon ([`crate::lexicon::SpamLexicon`]): at least `min_words` distinct words in its visible text
/// and `<title>`, or at least `min_title_words` in the `<title>` alone. The finding is on the page that links to the
/// target (the home page when it does). Evidence: the linking page and the target's archived page. Placeholders:
/// `{page}` (首页 or the linking page's title), `{link_text}`, `{target}`, `{domain}` (the registrable domain the page
/// was served from), `{redirect}` (`，现已跳转至 <domain>` when the target now redirects to another registrable domain,
/// else empty), `{category}` (博彩, 色情 … of the words found), `{words}` (the words, 、-separated).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpamLinks {
    #[serde(default = "default_min_words")]
    pub min_words: usize,
    #[serde(default = "default_min_title_words")]
    pub min_title_words: usize,
}

impl Params for SpamLinks {
    const PLACEHOLDERS: &'static [&'static str] =
        &["page", "link_text", "target", "domain", "redirect", "category", "words"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.min_words == 0 {
            return Err(ParamError::at("min_words", "应至少为 1（页面含有多少个不同的违规词才算变质）"));
        }
        if self.min_title_words == 0 {
            return Err(ParamError::at("min_title_words", "应至少为 1（标题中含有的违规词个数）"));
        }
        Ok(())
    }
}

fn default_min_words() -> usize {
    2
}

fn default_min_title_words() -> usize {
    1
}

fn default_max_evidence() -> usize {
    3
}
