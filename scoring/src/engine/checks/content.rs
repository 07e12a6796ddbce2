//! Content checks: wrong forms (严重表述错误 / 错别字), sensitive words, leaders' names, titles and order; and spam on
//! the pages outbound links lead to (外链变质, [`spam_links`], which reads the linked pages the crawler archived).
//!
//! Parameters and their placeholders: `config/src/check/content.rs`; word lists: `gongkai_config::lexicon`.
//!
//! The first three read each archived HTML page's visible text, [`normalize`]d once per site (traditional → simplified,
//! full-width → half-width) and matched with the lexicons' Aho-Corasick automata. Evidence quotes the sentence as the
//! page writes it. One occurrence per distinct thing found (a wrong form, a word, a mis-written name), however many pages
//! repeat it: a footer that misspells an office on every page is one error, not a thousand.

use super::Occurrence;
use crate::analysis::page::parse_page;
use crate::analysis::{SiteAnalysis, Source};
use crate::engine::Ctx;
use gongkai_archive::{CapturedPage, LinkCheck, LinkedPage};
use gongkai_config::check::{LeaderNames, SensitiveWords, SpamLinks, WrongForms};
use gongkai_config::lexicon::{normalize, Leader, LeaderList, Normalized, SpamLexicon, SpamWord};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Characters that end a sentence (after normalisation full-width punctuation is ASCII).
const SENTENCE_ENDS: &[char] = &['。', '!', '?', ';', '！', '？', '；', '\n'];
/// At most this many characters of a sentence on each side of what was found.
const SENTENCE_REACH: usize = 60;

/// A page's text, normalised.
struct PageText<'a> {
    index: usize,
    original: &'a str,
    norm: &'a Normalized,
}

impl PageText<'_> {
    /// The sentence around `range` (normalised bytes), as the page writes it: up to the nearest sentence end or block
    /// boundary on each side, at most [`SENTENCE_REACH`] characters each way.
    fn sentence(&self, range: Range<usize>) -> String {
        let r = self.norm.original_range(range);
        let text = self.original;
        let mut start = r.start;
        for (n, (i, c)) in text[..r.start].char_indices().rev().enumerate() {
            if n >= SENTENCE_REACH || ends_sentence(text, i, c) {
                break;
            }
            start = i;
        }
        let mut end = r.end;
        for (n, (i, c)) in text[r.end..].char_indices().enumerate() {
            let at = r.end + i;
            if n >= SENTENCE_REACH {
                break;
            }
            if c == ' ' && ends_sentence(text, at, c) {
                break;
            }
            end = at + c.len_utf8();
            if ends_sentence(text, at, c) {
                break;
            }
        }
        text[start..end].trim().to_string()
    }
}

/// Whether the character `c` at byte `i` of `text` ends a sentence: sentence punctuation, or a space that is not
/// between two Latin letters or digits (page text joins blocks — menu items, list rows, paragraphs — with one space).
fn ends_sentence(text: &str, i: usize, c: char) -> bool {
    if SENTENCE_ENDS.contains(&c) {
        return true;
    }
    if c != ' ' {
        return false;
    }
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    !(before.is_some_and(|b| b.is_ascii_alphanumeric()) && after.is_some_and(|a| a.is_ascii_alphanumeric()))
}

/// Every readable HTML page's visible text, normalised (once per site, for all content rules).
fn page_texts(a: &SiteAnalysis) -> Vec<PageText<'_>> {
    let texts = a.normalized_texts.get_or_init(|| {
        a.docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.ok() && d.is_html && d.unreadable.is_none() && !d.text.is_empty())
            .map(|(index, d)| (index, normalize(&d.text)))
            .collect()
    });
    texts.iter().map(|(index, norm)| PageText { index: *index, original: a.docs[*index].text.as_str(), norm }).collect()
}

/// What was found, keyed by what distinguishes one occurrence from another, with the pages it was found on.
#[derive(Default)]
struct Found {
    order: Vec<String>,
    by_key: BTreeMap<String, Hit>,
}

struct Hit {
    values: Vec<(&'static str, String)>,
    outcome: Option<&'static str>,
    /// `(page index, sentence)` of each page it was found on, first sentence per page.
    pages: Vec<(usize, String)>,
}

impl Found {
    fn add(
        &mut self,
        key: String,
        outcome: Option<&'static str>,
        values: Vec<(&'static str, String)>,
        page: usize,
        sentence: String,
    ) {
        let hit = self.by_key.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Hit { values, outcome, pages: Vec::new() }
        });
        if hit.pages.last().is_none_or(|(p, _)| *p != page) {
            hit.pages.push((page, sentence));
        }
    }

    fn occurrences(
        mut self,
        a: &SiteAnalysis,
        max_evidence: usize,
        observed: impl Fn(&Hit, &str) -> String,
    ) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for key in std::mem::take(&mut self.order) {
            let hit = self.by_key.remove(&key).expect("every key in order was added");
            let mut o = Occurrence { outcome: hit.outcome, ..Occurrence::default() };
            for (k, v) in &hit.values {
                o.values.insert(k, v.clone());
            }
            let first = &hit.pages[0];
            o.values.insert("sentence", first.1.clone());
            o.values.insert("pages", hit.pages.len().to_string());
            o.values.insert("url", a.docs[first.0].url.to_string());
            for (page, sentence) in hit.pages.iter().take(max_evidence.max(1)) {
                let src: Source = a.source(*page);
                o = o.ev(&src, observed(&hit, sentence));
            }
            out.push(o);
        }
        out
    }
}

fn value<'a>(hit: &'a Hit, key: &str) -> &'a str {
    hit.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Whether the match of `wrong` at `range` is part of an occurrence of `right` (a wrong form that is a piece of its own
/// right form, e.g. a short wrong form inside a longer right one).
fn inside_right_form(text: &str, range: &Range<usize>, wrong: &str, right: &str) -> bool {
    right
        .match_indices(wrong)
        .any(|(k, _)| range.start >= k && text.get(range.start - k..).is_some_and(|t| t.starts_with(right)))
}

/// `wrong_forms`: entries of the rule's grade found on pages.
pub(super) fn wrong_forms(p: &WrongForms, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let lexicon = &ctx.rubric.lexicons.wrong_forms;
    let mut found = Found::default();
    for page in page_texts(a) {
        for (i, range) in lexicon.matcher().find_iter(&page.norm.text) {
            let e = &lexicon.entries[i];
            if e.severity != p.grade {
                continue;
            }
            if inside_right_form(&page.norm.text, &range, &normalize(&e.wrong).text, &normalize(&e.right).text) {
                continue;
            }
            let values = vec![
                ("wrong", e.wrong.clone()),
                ("right", e.right.clone()),
                ("grade", e.severity.label_zh().to_string()),
            ];
            found.add(e.wrong.clone(), None, values, page.index, page.sentence(range));
        }
    }
    found.occurrences(a, p.max_evidence, |hit, sentence| {
        format!("“{sentence}”中“{}”应为“{}”", value(hit, "wrong"), value(hit, "right"))
    })
}

/// `sensitive_words`: words of the sensitive lexicon found on pages.
pub(super) fn sensitive_words(p: &SensitiveWords, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let lexicon = &ctx.rubric.lexicons.sensitive;
    let mut found = Found::default();
    for page in page_texts(a) {
        for (i, range) in lexicon.matcher().find_iter(&page.norm.text) {
            let word = lexicon.entries[i].word.clone();
            found.add(word.clone(), None, vec![("word", word)], page.index, page.sentence(range));
        }
    }
    found.occurrences(a, p.max_evidence, |hit, sentence| format!("“{sentence}”含敏感词“{}”", value(hit, "word")))
}

/// `spam_links` (外链变质): outbound link targets whose archived page reads as spam. Each target is judged once, on
/// the page the crawler read and archived for it ([`LinkedPage`]): the distinct spam words in its `<title>` and visible
/// text. The finding is on the first page that links to it, the home page first.
pub(super) fn spam_links(p: &SpamLinks, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let lexicon = &ctx.rubric.lexicons.spam;
    let mut order: Vec<usize> = a.home.into_iter().collect();
    order.extend((0..a.docs.len()).filter(|i| Some(*i) != a.home));
    let mut judged: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for i in order {
        let d = &a.docs[i];
        if !d.ok() || !d.is_html {
            continue;
        }
        for l in &d.links {
            let t = l.href.as_str();
            let Some(page) = a.link_checks.get(t).and_then(|lc| lc.page.as_ref().map(|pg| (lc, pg))) else {
                continue;
            };
            if !judged.insert(t) {
                continue;
            }
            let (lc, page) = page;
            let Some(words) = spam_words(lexicon, p, lc, page, a.t0) else { continue };
            let host = page.url.host_str().unwrap_or("").to_string();
            let domain = page.domain.clone().unwrap_or_else(|| host.clone());
            let redirected = match (&page.domain, &page.target_domain) {
                (Some(d), Some(t)) => d != t,
                _ => page.url.host_str() != l.href.host_str(),
            };
            let mut categories: Vec<&str> = Vec::new();
            for w in &words {
                if !categories.contains(&w.category.as_str()) {
                    categories.push(&w.category);
                }
            }
            let list = words.iter().map(|w| w.word.as_str()).collect::<Vec<_>>().join("、");
            let link_text = if l.text.is_empty() { l.href.host_str().unwrap_or(t).to_string() } else { l.text.clone() };
            let label = if Some(i) == a.home {
                "首页".to_string()
            } else if d.title.is_empty() {
                format!("页面 {}", d.url)
            } else {
                format!("页面《{}》", d.title)
            };
            let target_src = Source { url: page.url.clone(), warc: Some(page.warc.clone()) };
            out.push(
                Occurrence::new()
                    .set("url", d.url.to_string())
                    .set("page", label)
                    .set("link_text", link_text.clone())
                    .set("target", t)
                    .set("domain", domain.clone())
                    .set("redirect", if redirected { format!("，现已跳转至{domain}") } else { String::new() })
                    .set("category", categories.join("、"))
                    .set("words", list.clone())
                    .ev(&a.source(i), format!("页面含指向 {t} 的链接「{link_text}」"))
                    .ev(&target_src, format!("{} 的页面含{}", page.url, list)),
            );
        }
    }
    out
}

/// The distinct spam words (first-found order, title first) of a linked page when they reach the rule's threshold.
fn spam_words<'l>(
    lexicon: &'l SpamLexicon,
    p: &SpamLinks,
    lc: &LinkCheck,
    page: &LinkedPage,
    t0: chrono::NaiveDate,
) -> Option<Vec<&'l SpamWord>> {
    let captured = CapturedPage {
        url: page.url.clone(),
        fetched_at: lc.checked_at,
        status: page.status,
        headers: page.headers.clone(),
        body: page.body.clone(),
        depth: 0,
        warc: page.warc.clone(),
    };
    let doc = parse_page(&captured, t0);
    if !doc.is_html {
        return None;
    }
    let add = |words: &mut Vec<&'l SpamWord>, text: &str| {
        for (k, _) in lexicon.matcher().find_iter(&normalize(text).text) {
            let w = &lexicon.entries[k];
            if !words.iter().any(|x| x.word == w.word) {
                words.push(w);
            }
        }
    };
    let mut words: Vec<&SpamWord> = Vec::new();
    add(&mut words, &doc.title);
    let title_words = words.len();
    add(&mut words, &doc.text);
    let spam = title_words >= p.min_title_words || words.len() >= p.min_words;
    spam.then_some(words)
}

/// Characters that may follow a leader's name: punctuation, a space, or the words pages put after a name.
fn ends_a_name(rest: &str) -> bool {
    const AFTER_NAME: &[&str] = &[
        "同志", "主持", "出席", "指出", "强调", "表示", "讲话", "要求", "一行", "会见", "会上", "在", "对", "到", "率",
        "调研", "参加", "和", "及", "与", "等",
    ];
    match rest.chars().next() {
        None => true,
        Some(c) if !is_han(c) => true,
        Some('、') => true,
        Some(_) => AFTER_NAME.iter().any(|w| rest.starts_with(w)),
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Words before a title that make it another post or a former one (副省长 is not 省长; 原省长, 时任省长 are former ones).
const TITLE_PREFIXES: &[&str] = &["副", "原", "前", "代", "时任", "曾任", "历任"];

/// Characters that may join names in one list (what may separate two names besides titles).
const LIST_JOINERS: &[char] = &['、', ',', '，', ' ', '和', '及', '与', '同', '志'];

/// `leader_names`: a name one character off the holder's after their title, a listed name after a title not theirs,
/// listed names out of rank order.
pub(super) fn leader_names(p: &LeaderNames, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let leaders = &ctx.rubric.lexicons.leaders;
    if leaders.entries.is_empty() {
        return Vec::new();
    }
    let mut found = Found::default();
    for page in page_texts(a) {
        let day = a.docs[page.index].own_date().unwrap_or(ctx.t0);
        let valid: Vec<&Leader> = leaders.entries.iter().filter(|l| l.valid_on(day)).collect();
        if valid.is_empty() {
            continue;
        }
        titles_and_names(leaders, &valid, &page, &mut found);
        rank_order(leaders, &valid, &page, &mut found);
    }
    found.occurrences(a, p.max_evidence, |hit, sentence| {
        format!(
            "“{sentence}”中{}：“{}”，应为“{}”",
            value(hit, "problem"),
            value(hit, "written"),
            value(hit, "expected")
        )
    })
}

/// The `name` and `title` outcomes: what follows each listed title.
fn titles_and_names(leaders: &LeaderList, valid: &[&Leader], page: &PageText, found: &mut Found) {
    let text = &page.norm.text;
    for (t, range) in leaders.titles().find_iter(text) {
        let title = leaders.title(t);
        if TITLE_PREFIXES.iter().any(|w| text[..range.start].ends_with(w)) {
            continue;
        }
        let holders: Vec<&&Leader> =
            valid.iter().filter(|l| l.titles.iter().any(|x| normalize(x).text == title)).collect();
        if holders.is_empty() {
            continue;
        }
        let after = &text[range.end..];
        // A listed leader's name right after the title (any entry: a former holder named with the title today is
        // as wrong as a current leader with another's title).
        if let Some(named) = leaders.entries.iter().find(|l| after.starts_with(normalize(&l.name).text.as_str())) {
            if holders.iter().any(|h| h.name == named.name) {
                continue;
            }
            let end = range.end + normalize(&named.name).text.len();
            if ends_a_name(&text[end..]) {
                let expected = holders.iter().map(|h| format!("{title}{}", h.name)).collect::<Vec<_>>().join("或");
                let written = format!("{title}{}", named.name);
                let values = vec![
                    ("problem", "职务与姓名不符".to_string()),
                    ("written", written.clone()),
                    ("expected", expected),
                ];
                found.add(
                    format!("title:{written}"),
                    Some("title"),
                    values,
                    page.index,
                    page.sentence(range.start..end),
                );
            }
            continue;
        }
        // A name one character off a holder's.
        for h in &holders {
            let name = normalize(&h.name).text;
            let n = name.chars().count();
            let candidate: String = after.chars().take(n).collect();
            if candidate.chars().count() != n || !candidate.chars().all(is_han) {
                continue;
            }
            let differing = candidate.chars().zip(name.chars()).filter(|(a, b)| a != b).count();
            let end = range.end + candidate.len();
            if differing == 1 && ends_a_name(&text[end..]) {
                let written = format!("{title}{candidate}");
                let values = vec![
                    ("problem", "领导人姓名错误".to_string()),
                    ("written", written.clone()),
                    ("expected", format!("{title}{}", h.name)),
                ];
                found.add(format!("name:{written}"), Some("name"), values, page.index, page.sentence(range.start..end));
            }
        }
    }
}

/// The `order` outcome: listed names joined into one list out of rank order.
fn rank_order(leaders: &LeaderList, valid: &[&Leader], page: &PageText, found: &mut Found) {
    let text = &page.norm.text;
    // (range, rank, name) of each valid listed name, in text order.
    let names: Vec<(Range<usize>, u32, &str)> = leaders
        .names()
        .find_iter(text)
        .filter_map(|(i, r)| {
            let l = &leaders.entries[i];
            valid.iter().find(|v| v.name == l.name).map(|v| (r, v.rank, v.name.as_str()))
        })
        .collect();
    let mut run: Vec<&(Range<usize>, u32, &str)> = Vec::new();
    let mut flush = |run: &mut Vec<&(Range<usize>, u32, &str)>| {
        if run.len() >= 2 && run.windows(2).any(|w| w[1].1 < w[0].1) {
            let written = run.iter().map(|x| x.2).collect::<Vec<_>>().join("、");
            let mut sorted = run.clone();
            sorted.sort_by_key(|x| x.1);
            let expected = sorted.iter().map(|x| x.2).collect::<Vec<_>>().join("、");
            let span = run[0].0.start..run[run.len() - 1].0.end;
            let values =
                vec![("problem", "领导人排序错误".to_string()), ("written", written.clone()), ("expected", expected)];
            found.add(format!("order:{written}"), Some("order"), values, page.index, page.sentence(span));
        }
        run.clear();
    };
    for n in &names {
        if let Some(prev) = run.last() {
            if !joined_in_a_list(leaders, &text[prev.0.end..n.0.start]) {
                flush(&mut run);
            }
        }
        run.push(n);
    }
    flush(&mut run);
}

/// Whether the text between two names only joins them in one list: separators and listed titles.
fn joined_in_a_list(leaders: &LeaderList, gap: &str) -> bool {
    if gap.chars().count() > 24 {
        return false;
    }
    let mut rest = gap.to_string();
    for (t, _) in leaders.titles().find_iter(gap).collect::<Vec<_>>().into_iter().rev() {
        rest = rest.replace(leaders.title(t), "");
    }
    rest.chars().all(|c| LIST_JOINERS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use gongkai_config::lexicon::LeaderList;
    use gongkai_config::Rubric;

    fn page_with(text: &str) -> TestSite {
        TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], text))
    }

    #[test]
    fn wrong_forms_serious_and_general_are_told_apart() {
        let site = page_with("<p>坚持依法冶国，再接再励。</p><p>全面依法治国，再接再厉。</p>");
        let serious = site.occurrences("content.serious_errors");
        assert_eq!(serious.len(), 1, "{serious:?}");
        assert_eq!(serious[0].values["wrong"], "依法冶国");
        assert_eq!(serious[0].values["right"], "依法治国");
        assert_eq!(serious[0].values["sentence"], "坚持依法冶国，再接再励。");
        let typos = site.occurrences("content.typos");
        assert_eq!(typos.len(), 1, "{typos:?}");
        assert_eq!(typos[0].values["wrong"], "再接再励");
    }

    #[test]
    fn wrong_forms_right_forms_are_not_flagged() {
        let site = page_with(
            "<p>全面依法治国，从严治党，精兵简政，再接再厉，部署工作，一带一路，中华人民共和国国务院办公厅。</p>",
        );
        assert!(site.occurrences("content.serious_errors").is_empty());
        assert!(site.occurrences("content.typos").is_empty());
    }

    #[test]
    fn wrong_forms_every_shipped_entry_is_found() {
        let rubric = Rubric::default_rubric();
        for e in &rubric.lexicons.wrong_forms.entries {
            let site = page_with(&format!("<p>文中写有{}一词。</p>", e.wrong));
            let rule = match e.severity {
                gongkai_config::Severity::Serious => "content.serious_errors",
                gongkai_config::Severity::General => "content.typos",
            };
            let o = site.occurrences(rule);
            assert_eq!(o.len(), 1, "{} not found by {rule}", e.wrong);
            assert_eq!(o[0].values["wrong"], e.wrong);
        }
    }

    #[test]
    fn wrong_forms_in_traditional_and_full_width_text_are_found_and_quoted_as_written() {
        let site = page_with("<p>堅持依法冶國，貫徹落實。</p>");
        let o = site.occurrences("content.serious_errors");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["sentence"], "堅持依法冶國，貫徹落實。");
        let site = page_with("<p>推进“一代一路”建设！</p>");
        assert_eq!(site.occurrences("content.serious_errors").len(), 1);
    }

    #[test]
    fn wrong_forms_one_occurrence_however_many_pages_repeat_it() {
        let footer = "<p>主办：某县人民政府办工室</p>";
        let site = page_with(footer)
            .page("/x/t1.html", article("会议", "2025-11-18", "2025-11-18", footer))
            .page("/x/t2.html", article("通知", "2025-11-18", "2025-11-18", footer));
        let o = site.occurrences("content.serious_errors");
        assert_eq!(o.len(), 1, "{o:?}");
        assert!(o[0].values["pages"].parse::<usize>().unwrap() >= 2);
        assert!(o[0].evidence.len() <= 3);
    }

    #[test]
    fn sensitive_words_found_with_their_sentence() {
        let site = page_with("<p>这里是一句话。此处出现测试敏感词甲的句子。</p>");
        let o = site.occurrences("content.sensitive_words");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["word"], "测试敏感词甲");
        assert_eq!(o[0].values["sentence"], "此处出现测试敏感词甲的句子。");
        assert!(page_with("<p>没有问题的句子。</p>").occurrences("content.sensitive_words").is_empty());
    }

    const LEADERS: &str = r#"
[[leader]]
name = "赵一鸣"
titles = ["省委书记"]
rank = 1
valid_from = "2024-01-01"

[[leader]]
name = "王小明"
titles = ["省长"]
rank = 2
valid_from = "2024-01-01"

[[leader]]
name = "孙立"
titles = ["省长"]
rank = 2
valid_from = "2019-01-01"
valid_to = "2023-12-31"

[[leader]]
name = "李静"
titles = ["常务副省长"]
rank = 3
valid_from = "2024-01-01"
"#;

    fn leaders(site: &TestSite) -> Vec<super::Occurrence> {
        let mut rubric = Rubric::default_rubric();
        rubric.lexicons.leaders = LeaderList::parse(LEADERS, "leaders.toml").unwrap();
        let rule = rubric.rule("content.leader_names").unwrap().check.clone();
        site.occurrences_of(&rule, &rubric)
    }

    #[test]
    fn leader_names_right_names_titles_and_order_are_not_flagged() {
        let site = page_with("<p>省委书记赵一鸣主持会议，省长王小明、常务副省长李静出席。赵一鸣、王小明、李静等参加。副省长王小刚讲话。</p>");
        assert!(leaders(&site).is_empty(), "{:?}", leaders(&site));
    }

    #[test]
    fn leader_names_a_wrong_character_in_a_name_is_found() {
        let o = leaders(&page_with("<p>省长王晓明出席会议。</p>"));
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].outcome, Some("name"));
        assert_eq!(o[0].values["written"], "省长王晓明");
        assert_eq!(o[0].values["expected"], "省长王小明");
        // text that merely starts like a name is not one
        assert!(leaders(&page_with("<p>省长王小组会议。</p>")).is_empty());
    }

    #[test]
    fn leader_names_a_title_not_theirs_is_found() {
        let o = leaders(&page_with("<p>省长赵一鸣出席会议。</p>"));
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].outcome, Some("title"));
        assert_eq!(o[0].values["expected"], "省长王小明");
    }

    #[test]
    fn leader_names_out_of_rank_order_in_one_list_is_found() {
        let o = leaders(&page_with("<p>王小明、赵一鸣、李静出席会议。</p>"));
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].outcome, Some("order"));
        assert_eq!(o[0].values["expected"], "赵一鸣、王小明、李静");
        // names in different clauses are not one list
        assert!(leaders(&page_with("<p>王小明在会上指出，要学习赵一鸣的讲话。</p>")).is_empty());
    }

    #[test]
    fn leader_names_outside_the_validity_window_are_not_flagged() {
        // An old document (2022) names the governor of that time: not an error then.
        let old = TestSite::new()
            .page("/", home(&[], &[("/x/t1.html", "旧文件", "2022-05-01")], ""))
            .page("/x/t1.html", article("旧文件", "2022-05-01", "2022-05-01", "<p>省长孙立出席会议。</p>"));
        assert!(leaders(&old).is_empty(), "{:?}", leaders(&old));
        // The same sentence on a page of today is one.
        let now = page_with("<p>省长孙立出席会议。</p>");
        assert!(!leaders(&now).is_empty());
    }

    #[test]
    fn leader_names_nothing_without_a_leaders_file() {
        let site = page_with("<p>省长王晓明出席会议。</p>");
        assert!(site.occurrences("content.leader_names").is_empty());
    }

    fn linking(links: &[(&str, &str)]) -> TestSite {
        let a: String = links.iter().map(|(href, text)| format!("<a href=\"{href}\">{text}</a>")).collect();
        page_with(&format!("<div class=\"yqlj\">友情链接：{a}</div>"))
    }

    const SPAM: &str =
        "<html><head><title>百家乐-真人娱乐官网</title></head><body><p>首存送彩金，澳门赌场在线。</p></body></html>";

    #[test]
    fn spam_links_a_partner_site_serving_gambling_is_a_finding_on_the_linking_page() {
        let site = linking(&[("http://www.partner.org.cn/", "某某网")]).linked_page(
            "http://www.partner.org.cn/",
            "http://www.partner.org.cn/",
            SPAM,
        );
        let o = site.occurrences("content.spam_links");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["page"], "首页");
        assert_eq!(o[0].values["link_text"], "某某网");
        assert_eq!(o[0].values["category"], "博彩");
        assert_eq!(o[0].values["words"], "百家乐、真人娱乐、首存送、澳门赌场");
        assert_eq!(o[0].values["redirect"], "");
        assert_eq!(o[0].values["url"], url("/").to_string());
        assert_eq!(o[0].evidence.len(), 2);
        assert_eq!(o[0].evidence[0].url, url("/").to_string(), "the linking page first");
        assert_eq!(o[0].evidence[1].url, "http://www.partner.org.cn/");
        let w = o[0].evidence[1].warc.as_ref().expect("the target's archived page");
        assert_eq!((w.offset, w.record_id.as_str()), (7, "urn:uuid:http://www.partner.org.cn/"));
        let r = site
            .page("/x/t1.html", article("本县召开工作会议", "2025-11-18", "2025-11-18", ""))
            .page("/x/t2.html", article("本县召开工作会议", "2025-11-18", "2025-11-18", ""))
            .score(&[]);
        let f = r.findings.iter().find(|f| f.rule == "content.spam_links").expect("scored");
        assert_eq!(f.points, 2.0);
        assert_eq!(
            f.message,
            "首页的链接「某某网」（http://www.partner.org.cn/）指向的网站已变质，页面含博彩内容（百家乐、真人娱乐、首存送、澳门赌场）"
        );
    }

    #[test]
    fn spam_links_a_redirect_to_another_domain_is_named() {
        let site = linking(&[("http://www.partner.org.cn/", "某某网")]).linked_page(
            "http://www.partner.org.cn/",
            "http://bet.example.com/",
            "<title>在线娱乐</title><p>六合彩、成人视频</p>",
        );
        let o = site.occurrences("content.spam_links");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["redirect"], "，现已跳转至example.com");
        assert_eq!(o[0].values["category"], "博彩、色情");
        assert_eq!(o[0].evidence[1].url, "http://bet.example.com/");
    }

    #[test]
    fn spam_links_clean_pages_and_one_mention_in_text_are_not_flagged() {
        let site = linking(&[("http://www.partner.org.cn/", "某某网"), ("http://news.example.cn/a.html", "新闻")])
            .linked_page("http://www.partner.org.cn/", "http://www.partner.org.cn/", "<title>某某网</title><p>欢迎访问</p>")
            .linked_page(
                "http://news.example.cn/a.html",
                "http://news.example.cn/a.html",
                "<title>市民政局开展福利彩票公益金使用检查</title><p>本次检查彩票公益金项目12个，并提醒市民远离非法六合彩。</p>",
            );
        assert!(site.occurrences("content.spam_links").is_empty());
        // One word in the title is enough; one word in the text alone is not.
        let site = linking(&[("http://x.example.com/", "某网")]).linked_page(
            "http://x.example.com/",
            "http://x.example.com/",
            "<title>百家乐</title><p>欢迎</p>",
        );
        assert_eq!(site.occurrences("content.spam_links").len(), 1);
        let site = linking(&[("http://x.example.com/", "某网")]).linked_page(
            "http://x.example.com/",
            "http://x.example.com/",
            "<title>某网</title><p>百家乐</p>",
        );
        assert!(site.occurrences("content.spam_links").is_empty());
    }

    #[test]
    fn spam_links_traditional_full_width_and_thresholds_as_parameters() {
        let site = linking(&[("http://x.example.com/", "某網")]).linked_page(
            "http://x.example.com/",
            "http://x.example.com/",
            "<title>首页</title><p>百家樂 真人娛樂</p>",
        );
        let o = site.occurrences("content.spam_links");
        assert_eq!(o.len(), 1, "traditional characters match: {o:?}");
        assert_eq!(o[0].values["words"], "百家乐、真人娱乐");
        let rubric = Rubric::default_rubric();
        let params = gongkai_config::check::SpamLinks { min_words: 3, min_title_words: 1 };
        let check = gongkai_config::Check::SpamLinks(params);
        assert!(site.occurrences_of(&check, &rubric).is_empty(), "two words are below a threshold of three");
    }

    #[test]
    fn spam_links_a_target_linked_twice_is_one_occurrence_and_unlinked_checks_are_ignored() {
        let site = TestSite::new()
            .page(
                "/",
                home(
                    &[],
                    &[("/x/t1.html", "本县召开工作会议", "2025-11-18")],
                    "<a href=\"http://x.example.com/\">某网</a>",
                ),
            )
            .page("/x/t1.html", "<title>本县召开工作会议</title><p>正文 <a href=\"http://x.example.com/\">某网</a></p>")
            .linked_page("http://x.example.com/", "http://x.example.com/", SPAM)
            .linked_page("http://y.example.com/", "http://y.example.com/", SPAM);
        let o = site.occurrences("content.spam_links");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["page"], "首页");
    }
}
