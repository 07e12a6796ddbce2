//! Lexicons: the word lists a province keeps for the content checks (`config/src/check/content.rs`).
//!
//! Three files, each a plain TOML list a 政务公开办 can edit by hand:
//! - **wrong forms** (严重表述错误 / 错别字): a wrong form, its right form and a grade, 严重 or 一般
//!   ([`Severity`]). Shipped: `config/lexicons/wrong-forms.toml`, a starter list of wrong forms of official names and set
//!   phrases.
//! - **sensitive words** (敏感词): words that must not appear on a government site. Shipped:
//!   `config/lexicons/sensitive.toml`, a neutral test list only — a province supplies its own.
//! - **leaders** (领导人): name, titles, rank order and the dates the entry is valid. Shipped empty
//!   (`config/lexicons/leaders.toml`): the province keeps it current.
//! - **spam** (外链变质): the vocabulary of gambling, adult and counterfeit pages, each word with its category (博彩,
//!   色情, 假冒), matched on the pages outbound links lead to. Shipped: `config/lexicons/spam.toml`, a modest starter list.
//!
//! A rubric file names its own files in a `[lexicons]` table (paths relative to the rubric file); a file it does not
//! name is the shipped one:
//!
//! ```toml
//! [lexicons]
//! leaders = "leaders-sc.toml"
//! ```
//!
//! **What matches.** Page text and lexicon entries are both normalised before matching ([`normalize`]): traditional
//! characters become simplified ones (the `fast2s` table, one character for one character), full-width ASCII letters,
//! digits and punctuation become half-width, the ideographic space a space, and Latin letters lower case. So `依法冶國`
//! on a page written in traditional characters matches the entry `依法冶国`, and `ＷＴＯ` matches `wto`. Matching is
//! Aho-Corasick, leftmost-longest: of two entries starting at one place the longer wins, and matches do not overlap.
//! A wrong form found inside its own right form (`冶理` inside an entry whose right form contains it) is not a match;
//! that is left to the check, which sees the text around it.

use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::NaiveDate;
use serde::Deserialize;
use toml_edit::Item;

use crate::error::{ConfigError, TomlFile};

/// How serious a wrong form is (as commercial monitors grade them): 严重 raises an alert at once (official names, a
/// leader's name, political set phrases); 一般 is an ordinary 错别字.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum Severity {
    #[serde(rename = "严重")]
    Serious,
    #[serde(rename = "一般")]
    General,
}

impl Severity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Serious => "严重",
            Severity::General => "一般",
        }
    }
}

/// One entry of the wrong-forms lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongForm {
    /// As written in the file.
    pub wrong: String,
    pub right: String,
    pub severity: Severity,
}

/// One entry of the sensitive-words lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveWord {
    pub word: String,
}

/// One entry of the spam lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpamWord {
    pub word: String,
    /// What kind of page the word marks, as the finding names it (`博彩`, `色情`, `假冒`); `违规` when not given.
    pub category: String,
}

/// One entry of the leaders file: a person in one post for one span of time. A person who changed post has one entry
/// per post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub name: String,
    /// The post's titles as pages write them, longest first is not required (`国务院总理`, `总理`).
    pub titles: Vec<String>,
    /// Protocol order, 1 = first; leaders named in one list must follow it.
    pub rank: u32,
    pub valid_from: NaiveDate,
    /// Last day in the post; open when still in it.
    pub valid_to: Option<NaiveDate>,
}

impl Leader {
    /// Whether the entry holds on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// A list of strings matched as one Aho-Corasick automaton over [`normalize`]d text.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
}

impl Matcher {
    /// An automaton over the normalised `patterns`; pattern `i` of a match is `patterns[i]`.
    fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Matcher {
        let normalised: Vec<String> = patterns.into_iter().map(|p| normalize(p).text).collect();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&normalised)
            .expect("lexicon patterns are non-empty and few enough for an automaton (checked on load)");
        Matcher { automaton }
    }

    /// `(pattern index, byte range in the normalised text)` of each match, leftmost-longest, not overlapping.
    pub fn find_iter<'t>(&'t self, normalised: &'t str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 't {
        self.automaton.find_iter(normalised).map(|m| (m.pattern().as_usize(), m.range()))
    }
}

/// Text normalised for matching, with the way back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character it came from; one extra entry at the
    /// end for the original's length.
    origin: Vec<usize>,
}

impl Normalized {
    /// The byte range in the original text of a byte range of the normalised text.
    pub fn original_range(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin[r.start.min(self.origin.len() - 1)];
        let end = if r.end >= self.text.len() {
            *self.origin.last().expect("origin has its end entry")
        } else {
            self.origin[r.end]
        };
        start..end.max(start)
    }
}

/// Traditional → simplified, full-width → half-width, Latin lower case; one character for one character, so every
/// match can be mapped back to the page's own text.
pub fn normalize(original: &str) -> Normalized {
    let simplified = fast2s::convert(original);
    let mut text = String::with_capacity(original.len());
    let mut origin = Vec::with_capacity(original.len() + 1);
    let mut simple = simplified.chars();
    for (at, c) in original.char_indices() {
        // fast2s converts character by character; fall back to the original should the two ever disagree in length.
        let s = simple.next().unwrap_or(c);
        let n = match s {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(s as u32 - 0xFEE0).unwrap_or(s),
            _ => s,
        };
        let n = n.to_ascii_lowercase();
        text.push(n);
        origin.extend(std::iter::repeat_n(at, n.len_utf8()));
    }
    origin.push(original.len());
    Normalized { text, origin }
}

/// The wrong-forms lexicon and its automaton.
#[derive(Debug, Clone)]
pub struct WrongFormLexicon {
    pub file: String,
    pub entries: Vec<WrongForm>,
    matcher: Matcher,
}

impl WrongFormLexicon {
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// The sensitive-words lexicon and its automaton.
#[derive(Debug, Clone)]
pub struct SensitiveLexicon {
    pub file: String,
    pub entries: Vec<SensitiveWord>,
    matcher: Matcher,
}

impl SensitiveLexicon {
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// The spam lexicon and its automaton.
#[derive(Debug, Clone)]
pub struct SpamLexicon {
    pub file: String,
    pub entries: Vec<SpamWord>,
    matcher: Matcher,
}

impl SpamLexicon {
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// The leaders file, with automata over names and over titles.
#[derive(Debug, Clone)]
pub struct LeaderList {
    pub file: String,
    pub entries: Vec<Leader>,
    names: Matcher,
    /// Every distinct title, in first-seen order; [`LeaderList::titles`] indexes it.
    title_list: Vec<String>,
    titles: Matcher,
}

impl LeaderList {
    /// An automaton whose pattern `i` is `entries[i].name`.
    pub fn names(&self) -> &Matcher {
        &self.names
    }

    /// An automaton over every distinct title; pattern `i` is `title(i)`.
    pub fn titles(&self) -> &Matcher {
        &self.titles
    }

    pub fn title(&self, i: usize) -> &str {
        &self.title_list[i]
    }
}

/// The three lexicons a rubric's content checks use.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub wrong_forms: WrongFormLexicon,
    pub sensitive: SensitiveLexicon,
    pub leaders: LeaderList,
    pub spam: SpamLexicon,
}

/// Which lexicon a file is, for `[lexicons]` keys and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexiconKind {
    WrongForms,
    Sensitive,
    Leaders,
    Spam,
}

impl LexiconKind {
    pub const ALL: [LexiconKind; 4] =
        [LexiconKind::WrongForms, LexiconKind::Sensitive, LexiconKind::Leaders, LexiconKind::Spam];

    /// The key in a rubric's `[lexicons]` table.
    pub fn key(self) -> &'static str {
        match self {
            LexiconKind::WrongForms => "wrong_forms",
            LexiconKind::Sensitive => "sensitive",
            LexiconKind::Leaders => "leaders",
            LexiconKind::Spam => "spam",
        }
    }

    fn shipped(self) -> (&'static str, &'static str) {
        match self {
            LexiconKind::WrongForms => ("lexicons/wrong-forms.toml", include_str!("../lexicons/wrong-forms.toml")),
            LexiconKind::Sensitive => ("lexicons/sensitive.toml", include_str!("../lexicons/sensitive.toml")),
            LexiconKind::Leaders => ("lexicons/leaders.toml", include_str!("../lexicons/leaders.toml")),
            LexiconKind::Spam => ("lexicons/spam.toml", include_str!("../lexicons/spam.toml")),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWrongForms {
    #[serde(default)]
    entry: Vec<RawWrongForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWrongForm {
    wrong: toml::Spanned<String>,
    right: toml::Spanned<String>,
    grade: Severity,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitive {
    #[serde(default)]
    entry: Vec<RawSensitiveWord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitiveWord {
    word: toml::Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpam {
    #[serde(default)]
    entry: Vec<RawSpamWord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpamWord {
    word: toml::Spanned<String>,
    #[serde(default)]
    category: Option<toml::Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeaders {
    #[serde(default)]
    leader: Vec<RawLeader>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeader {
    name: toml::Spanned<String>,
    titles: Vec<toml::Spanned<String>>,
    rank: toml::Spanned<u32>,
    valid_from: toml::Spanned<String>,
    #[serde(default)]
    valid_to: Option<toml::Spanned<String>>,
}

/// The most entries one lexicon file may hold (an automaton of this size builds in well under a second).
pub const MAX_ENTRIES: usize = 200_000;

fn non_empty(toml: &TomlFile, s: &toml::Spanned<String>, what: &str) -> Result<String, ConfigError> {
    let v = s.get_ref().trim();
    if v.is_empty() {
        return Err(toml.error_at(Some(s.span()), format!("{what} 不能为空")));
    }
    if v.chars().count() > 200 {
        return Err(toml.error_at(Some(s.span()), format!("{what} 超过 200 个字符")));
    }
    Ok(v.to_string())
}

fn date(toml: &TomlFile, s: &toml::Spanned<String>) -> Result<NaiveDate, ConfigError> {
    NaiveDate::parse_from_str(s.get_ref().trim(), "%Y-%m-%d")
        .map_err(|_| toml.error_at(Some(s.span()), format!("日期 \"{}\" 无效：应写作 YYYY-MM-DD", s.get_ref())))
}

fn too_many(toml: &TomlFile, n: usize) -> Result<(), ConfigError> {
    if n > MAX_ENTRIES {
        return Err(toml.error_at(toml.root().span(), format!("共 {n} 条，超过允许的 {MAX_ENTRIES} 条")));
    }
    Ok(())
}

impl WrongFormLexicon {
    /// Parses a wrong-forms file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<WrongFormLexicon, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawWrongForms = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        too_many(&toml, raw.entry.len())?;
        let mut entries = Vec::with_capacity(raw.entry.len());
        for e in &raw.entry {
            let wrong = non_empty(&toml, &e.wrong, "wrong")?;
            let right = non_empty(&toml, &e.right, "right")?;
            if normalize(&wrong).text == normalize(&right).text {
                return Err(toml.error_at(Some(e.right.span()), "正确写法（right）与错误写法（wrong）相同"));
            }
            entries.push(WrongForm { wrong, right, severity: e.grade });
        }
        let matcher = Matcher::new(entries.iter().map(|e| e.wrong.as_str()));
        Ok(WrongFormLexicon { file: file.to_string(), entries, matcher })
    }
}

impl SensitiveLexicon {
    /// Parses a sensitive-words file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<SensitiveLexicon, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawSensitive = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        too_many(&toml, raw.entry.len())?;
        let entries = raw
            .entry
            .iter()
            .map(|e| Ok(SensitiveWord { word: non_empty(&toml, &e.word, "word")? }))
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let matcher = Matcher::new(entries.iter().map(|e| e.word.as_str()));
        Ok(SensitiveLexicon { file: file.to_string(), entries, matcher })
    }
}

impl SpamLexicon {
    /// Parses a spam-words file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<SpamLexicon, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawSpam = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        too_many(&toml, raw.entry.len())?;
        let entries = raw
            .entry
            .iter()
            .map(|e| {
                let word = non_empty(&toml, &e.word, "word")?;
                let category = match &e.category {
                    Some(c) => non_empty(&toml, c, "category")?,
                    None => "违规".to_string(),
                };
                Ok(SpamWord { word, category })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let matcher = Matcher::new(entries.iter().map(|e| e.word.as_str()));
        Ok(SpamLexicon { file: file.to_string(), entries, matcher })
    }
}

impl LeaderList {
    /// Parses a leaders file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<LeaderList, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawLeaders = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        too_many(&toml, raw.leader.len())?;
        let mut entries = Vec::with_capacity(raw.leader.len());
        for l in &raw.leader {
            let name = non_empty(&toml, &l.name, "name")?;
            let n = name.chars().count();
            if !(2..=6).contains(&n) {
                return Err(toml.error_at(Some(l.name.span()), "姓名应为 2 到 6 个字"));
            }
            let titles = l.titles.iter().map(|t| non_empty(&toml, t, "title")).collect::<Result<Vec<_>, _>>()?;
            if titles.is_empty() {
                return Err(toml.error_at(Some(l.name.span()), "titles 应至少有一个职务"));
            }
            if *l.rank.get_ref() == 0 {
                return Err(toml.error_at(Some(l.rank.span()), "rank 从 1 开始（1 为排序第一位）"));
            }
            let valid_from = date(&toml, &l.valid_from)?;
            let valid_to = l.valid_to.as_ref().map(|t| date(&toml, t)).transpose()?;
            if let (Some(to), Some(span)) = (valid_to, l.valid_to.as_ref().map(|t| t.span())) {
                if to < valid_from {
                    return Err(toml.error_at(Some(span), "valid_to 早于 valid_from"));
                }
            }
            entries.push(Leader { name, titles, rank: *l.rank.get_ref(), valid_from, valid_to });
        }
        let names = Matcher::new(entries.iter().map(|e| e.name.as_str()));
        let mut title_list: Vec<String> = Vec::new();
        for t in entries.iter().flat_map(|e| &e.titles) {
            let t = normalize(t).text;
            if !title_list.contains(&t) {
                title_list.push(t);
            }
        }
        let titles = Matcher::new(title_list.iter().map(String::as_str));
        Ok(LeaderList { file: file.to_string(), entries, names, title_list, titles })
    }
}

impl Lexicons {
    /// The shipped lexicons (starter wrong forms, a neutral sensitive-word test list, no leaders).
    pub fn shipped() -> Lexicons {
        Lexicons::load(|kind| {
            let (file, text) = kind.shipped();
            Ok((file.to_string(), text.to_string()))
        })
        .expect("the shipped lexicons parse (tested)")
    }

    /// The lexicons a rubric file names in its `[lexicons]` table (paths relative to `base`), the shipped ones for the
    /// keys it leaves out.
    pub fn with_files(base: &Path, files: &[(LexiconKind, String)]) -> Result<Lexicons, ConfigError> {
        Lexicons::load(|kind| match files.iter().find(|(k, _)| *k == kind) {
            Some((_, rel)) => {
                let path: PathBuf = base.join(rel);
                let file = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    ConfigError::whole_file(&file, format!("无法读取词库文件：{}", crate::io_error_zh(&e)))
                })?;
                Ok((file, text))
            }
            None => {
                let (file, text) = kind.shipped();
                Ok((file.to_string(), text.to_string()))
            }
        })
    }

    fn load(source: impl Fn(LexiconKind) -> Result<(String, String), ConfigError>) -> Result<Lexicons, ConfigError> {
        let (file, text) = source(LexiconKind::WrongForms)?;
        let wrong_forms = WrongFormLexicon::parse(&text, &file)?;
        let (file, text) = source(LexiconKind::Sensitive)?;
        let sensitive = SensitiveLexicon::parse(&text, &file)?;
        let (file, text) = source(LexiconKind::Leaders)?;
        let leaders = LeaderList::parse(&text, &file)?;
        let (file, text) = source(LexiconKind::Spam)?;
        let spam = SpamLexicon::parse(&text, &file)?;
        Ok(Lexicons { wrong_forms, sensitive, leaders, spam })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicons_parse() {
        let l = Lexicons::shipped();
        assert!(l.wrong_forms.entries.len() >= 20);
        assert!(l.wrong_forms.entries.iter().any(|e| e.severity == Severity::Serious));
        assert!(l.wrong_forms.entries.iter().any(|e| e.severity == Severity::General));
        assert!(!l.sensitive.entries.is_empty());
        assert!(l.leaders.entries.is_empty(), "the shipped leaders file is empty: the province keeps its own");
        assert!(l.spam.entries.len() >= 10);
        assert!(l.spam.entries.iter().any(|e| e.word == "百家乐" && e.category == "博彩"));
    }

    #[test]
    fn normalisation_maps_traditional_and_full_width_back_to_the_page() {
        let page = "依法冶國，ＷＴＯ　规则";
        let n = normalize(page);
        assert_eq!(n.text, "依法冶国,wto 规则");
        let at = n.text.find("冶国").unwrap();
        assert_eq!(&page[n.original_range(at..at + "冶国".len())], "冶國");
        let w = n.text.find("wto").unwrap();
        assert_eq!(&page[n.original_range(w..w + 3)], "ＷＴＯ");
        assert_eq!(n.original_range(0..n.text.len()), 0..page.len());
    }

    #[test]
    fn matching_is_leftmost_longest_over_normalised_text() {
        let w = WrongFormLexicon::parse(
            "[[entry]]\nwrong = \"冶理\"\nright = \"治理\"\ngrade = \"一般\"\n\
             [[entry]]\nwrong = \"依法冶國\"\nright = \"依法治国\"\ngrade = \"严重\"\n",
            "w.toml",
        )
        .unwrap();
        let n = normalize("坚持依法冶国和社会冶理");
        let found: Vec<usize> = w.matcher().find_iter(&n.text).map(|(i, _)| i).collect();
        assert_eq!(found, vec![1, 0]);
    }

    #[test]
    fn bad_entries_name_line_and_field() {
        let e = WrongFormLexicon::parse("[[entry]]\nwrong = \"冶理\"\nright = \"冶理\"\ngrade = \"一般\"\n", "w.toml")
            .unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "entry[1].right"), "{e}");
        let e =
            WrongFormLexicon::parse("[[entry]]\nwrong = \"冶理\"\nright = \"治理\"\ngrade = \"很严重\"\n", "w.toml")
                .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        let e = LeaderList::parse(
            "[[leader]]\nname = \"王小明\"\ntitles = [\"省长\"]\nrank = 1\nvalid_from = \"2025-13-01\"\n",
            "l.toml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (5, "leader[1].valid_from"), "{e}");
    }

    #[test]
    fn a_leader_entry_holds_inside_its_window_only() {
        let l = LeaderList::parse(
            "[[leader]]\nname = \"王小明\"\ntitles = [\"省长\"]\nrank = 1\nvalid_from = \"2023-01-15\"\nvalid_to = \"2025-06-30\"\n",
            "l.toml",
        )
        .unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!l.entries[0].valid_on(d("2023-01-14")));
        assert!(l.entries[0].valid_on(d("2023-01-15")));
        assert!(l.entries[0].valid_on(d("2025-06-30")));
        assert!(!l.entries[0].valid_on(d("2025-07-01")));
    }
}
