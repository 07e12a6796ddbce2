//! Assembling a [`SiteAnalysis`] from one site's capture, in steps: read and index every page (and the JSON lists
//! their scripts load), tell what each page is, find the 政府信息公开 platform (`site/platform.rs`) and the columns
//! (`site/discovery.rs`), then the home page's items and footer, the messages and what single pages show.

use super::classify::{self, PageKind};
use super::columns::{categorize, is_platform_name};
use super::dates;
use super::footer::{self, FooterFacts};
use super::items::{self, DatedItem};
use super::messages::{self, Message};
use super::page::{self, PageDoc};
use super::privacy::{self, Exposure};
use super::Source;
use chrono::NaiveDate;
use gongkai_archive::{LinkCheck, Probe, SiteCapture};
use gongkai_config::{ColumnKind, Rubric, Site};
use std::collections::{BTreeMap, HashMap};
use url::Url;

mod discovery;
mod platform;

/// One column as found on the site.
#[derive(Debug, Clone)]
pub struct Column {
    /// Rubric category id; None when no synonym matches (the column still counts for "every other list column").
    pub category: Option<String>,
    pub kind: ColumnKind,
    pub name: String,
    /// The URL the site links it by (or its page's URL).
    pub url: Url,
    /// Canonical URL after redirects (identity of the column).
    pub key: String,
    pub first_level: bool,
    /// Lies under the 政府信息公开 platform.
    pub on_platform: bool,
    /// Index of its first page in [`SiteAnalysis::docs`] (after redirects), when archived.
    pub page: Option<usize>,
    /// HTTP status of its first page, when archived.
    pub status: Option<u16>,
    /// Items on its first page (with later pages only when the first shows no date).
    pub items: Vec<DatedItem>,
    pub newest: Option<NaiveDate>,
    /// Why the column is blank (docs/rules.md Terms), in Chinese; None when it is not.
    pub blank: Option<String>,
    /// The list is filled by script and could not be read.
    pub unreadable: bool,
    /// The column's link leads nowhere the archive holds (not crawled): nothing can be said about its content.
    pub unknown: bool,
}

impl Column {
    pub fn is_list(&self) -> bool {
        matches!(self.kind, ColumnKind::List | ColumnKind::Messages)
            || (self.kind == ColumnKind::ListOrSingle && !self.items.is_empty())
    }

    pub fn dated_items(&self) -> usize {
        self.items.iter().filter(|i| i.date.is_some()).count()
    }
}

/// A document with 成文日期 and 发布日期 (条例 第26条).
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub written: NaiveDate,
    pub published: NaiveDate,
    pub source: Source,
}

/// A link hidden by CSS.
#[derive(Debug, Clone)]
pub struct HiddenLink {
    pub text: String,
    pub target: Url,
    pub source: Source,
}

/// A dated thing (list item or article) for the future-date test.
#[derive(Debug, Clone)]
pub struct DatedThing {
    pub title: String,
    pub url: Url,
    pub date: NaiveDate,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct SiteAnalysis {
    pub site: Site,
    pub t0: NaiveDate,
    pub docs: Vec<PageDoc>,
    pub home: Option<usize>,
    pub platform_root: Option<Url>,
    pub columns: Vec<Column>,
    /// Items linked from the home page, with their dates.
    pub home_items: Vec<DatedItem>,
    pub footer: FooterFacts,
    pub messages: Vec<Message>,
    pub documents: Vec<Document>,
    pub hidden_links: Vec<HiddenLink>,
    pub exposures: Vec<(Source, Exposure)>,
    pub dated_things: Vec<DatedThing>,
    /// Link checks by target URL.
    pub link_checks: BTreeMap<String, LinkCheck>,
    /// Every probe of the home page in the store.
    pub probes: Vec<Probe>,
    /// The crawler's IPv6 check of the snapshot (None: not made).
    pub ipv6: Option<gongkai_archive::Ipv6Check>,
    /// The crawler's certificate checks of the site's https hosts (none for an http-only site).
    pub tls: Vec<gongkai_archive::TlsCheck>,
    /// Pages archived and fetches that failed (results.json `crawl`).
    pub crawl_pages: u64,
    pub crawl_errors: u64,
    /// Each readable HTML page's visible text normalised for the lexicons (page index, text), made on first use by
    /// the content checks and shared by all of them.
    pub normalized_texts: std::sync::OnceLock<Vec<(usize, gongkai_config::lexicon::Normalized)>>,
}

impl SiteAnalysis {
    pub fn source(&self, i: usize) -> Source {
        Source { url: self.docs[i].url.clone(), warc: Some(self.docs[i].warc.clone()) }
    }

    pub fn home_source(&self) -> Source {
        match self.home {
            Some(i) => self.source(i),
            None => Source { url: self.site.url.clone(), warc: None },
        }
    }

    pub fn home_doc(&self) -> Option<&PageDoc> {
        self.home.map(|i| &self.docs[i])
    }

    /// The archived page a URL ends on after redirects.
    pub fn resolve(&self, u: &Url, index: &HashMap<String, usize>) -> Option<usize> {
        resolve_url(&self.docs, index, u)
    }
}

/// The archived page a URL ends on after redirects (at most six hops).
fn resolve_url(docs: &[PageDoc], index: &HashMap<String, usize>, u: &Url) -> Option<usize> {
    let mut cur = u.clone();
    for _ in 0..6 {
        let i = *index.get(cur.as_str())?;
        let d = &docs[i];
        match (&d.location, (300..400).contains(&d.status)) {
            (Some(next), true) => cur = next.clone(),
            _ => return Some(i),
        }
    }
    None
}

/// What the steps of [`analyze`] share once every page is read and classified.
#[derive(Clone, Copy)]
struct Pages<'a> {
    docs: &'a [PageDoc],
    index: &'a HashMap<String, usize>,
    kinds: &'a [PageKind],
    home: Option<usize>,
    rubric: &'a Rubric,
}

/// Read every page of the capture and establish the facts the rubric needs.
pub fn analyze(capture: &SiteCapture, rubric: &Rubric, t0: NaiveDate) -> SiteAnalysis {
    let site = capture.site.clone();
    let (docs, index) = read_pages(capture, t0);
    let home = resolve_url(&docs, &index, &site.url).or_else(|| docs.iter().position(|d| d.depth == 0 && d.is_html));
    // Inserted one by one: collecting into a BTreeMap first gathers every pair into a Vec to sort it, which on a page
    // of 100,000 links was a 40 MB peak of its own.
    let mut link_checks: BTreeMap<String, LinkCheck> = BTreeMap::new();
    for l in &capture.link_checks {
        link_checks.insert(l.target.as_str().to_string(), l.clone());
    }

    // --- what each page is (classify.rs): navigation targets first, they are columns whatever they hold
    let nav_targets = nav_targets(&docs, &index, home, rubric);
    let placeholder_words: Vec<&str> = rubric.columns.placeholders.iter().map(String::as_str).collect();
    let kinds = classify::classify(&docs, &index, home, &nav_targets, &placeholder_words);
    let pages = Pages { docs: &docs, index: &index, kinds: &kinds, home, rubric };
    let platform = pages.platform(&site);

    // --- columns
    let article_index = article_index(&docs, &kinds);
    let cols = pages.columns(&site, &platform, &article_index, capture, &link_checks, &placeholder_words);

    // --- home page
    let home_items = home.map(|h| items::resolve(&docs[h].all_rows, &article_index, &docs)).unwrap_or_default();
    let footer = footer::collect(&docs, &index, home, capture, t0);

    // --- messages, documents, hidden links, privacy, dated things
    let msgs = read_messages(&docs, &index, &cols);
    let facts = page_facts(&docs, &kinds);
    SiteAnalysis {
        site,
        t0,
        docs,
        home,
        platform_root: platform.root,
        columns: cols,
        home_items,
        footer,
        messages: msgs,
        documents: facts.documents,
        hidden_links: facts.hidden_links,
        exposures: facts.exposures,
        dated_things: facts.dated_things,
        link_checks,
        probes: capture.probes.clone(),
        ipv6: capture.ipv6.clone(),
        tls: capture.tls.clone(),
        crawl_pages: capture.pages.len() as u64,
        crawl_errors: capture.failures.len() as u64 + capture.pages.iter().filter(|p| p.status >= 400).count() as u64,
        normalized_texts: std::sync::OnceLock::new(),
    }
}

/// Parse every page once and index them by URL; lists a page loads from a JSON API are read from the archived answer.
fn read_pages(capture: &SiteCapture, t0: NaiveDate) -> (Vec<PageDoc>, HashMap<String, usize>) {
    let mut docs: Vec<PageDoc> = capture.pages.iter().map(|p| page::parse_page(p, t0)).collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        // the newest fetch of a URL wins, but an error answer never hides a successful one (a flaky home page
        // fetched again for availability)
        match index.get(d.url.as_str()) {
            Some(&j) if docs[j].ok() && !d.ok() => {}
            _ => {
                index.insert(d.url.as_str().to_string(), i);
            }
        }
    }
    // lists a page loads from a JSON API (api_lists.rs), read from the archived answer
    for i in 0..docs.len() {
        if !docs[i].is_html || !docs[i].list.items.is_empty() || !docs[i].ok() {
            continue;
        }
        let Some(api) = super::api_lists::api_url(&docs[i].url, &docs[i].inline_script) else { continue };
        let Some(&j) = index.get(api.as_str()) else { continue };
        if !docs[j].ok() {
            continue;
        }
        if let Some(items) = super::api_lists::read(&capture.pages[j].body, &docs[i].url) {
            let d = &mut docs[i];
            d.list.items = items;
            d.list.api = true;
            d.list.script_list = false;
            d.all_rows = d.list.items.clone();
        }
    }
    (docs, index)
}

/// Pages some menu links to: every page's navigation, and the home page's menu (named column links of its body when
/// it has no navigation markup).
fn nav_targets(docs: &[PageDoc], index: &HashMap<String, usize>, home: Option<usize>, rubric: &Rubric) -> Vec<bool> {
    let mut nav_targets = vec![false; docs.len()];
    for (i, d) in docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let is_home = Some(i) == home;
        for l in d.menu_links().filter(|l| l.nav || (is_home && categorize(rubric, &l.text, None).is_some())) {
            if let Some(j) = resolve_url(docs, index, &l.href) {
                nav_targets[j] = true;
            }
        }
    }
    nav_targets
}

/// Article pages (detail pages) by URL.
fn article_index(docs: &[PageDoc], kinds: &[PageKind]) -> HashMap<String, usize> {
    let mut article_index: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if kinds[i].is_detail() {
            article_index.insert(d.url.as_str().to_string(), i);
        }
    }
    article_index
}

impl Pages<'_> {
    fn resolve(&self, u: &Url) -> Option<usize> {
        resolve_url(self.docs, self.index, u)
    }

    /// A page that can be a column and names itself in `<meta name="ColumnName">`.
    fn named_column(&self, i: usize) -> bool {
        self.kinds[i].is_column() && self.docs[i].meta("ColumnName").is_some_and(|n| !is_platform_name(n))
    }

    /// The target of a link is a column page: it names itself, or it holds a list.
    fn target_is_column(&self, u: &Url) -> bool {
        self.resolve(u).is_some_and(|p| self.named_column(p) || self.kinds[p] == PageKind::List)
    }
}

/// The consultation messages of every message column.
fn read_messages(docs: &[PageDoc], index: &HashMap<String, usize>, cols: &[Column]) -> Vec<Message> {
    let mut msgs = Vec::new();
    for c in cols.iter().filter(|c| c.kind == ColumnKind::Messages) {
        if let Some(p) = c.page {
            let cat = c.category.clone().unwrap_or_default();
            msgs.extend(messages::read(docs, index, p, &c.items, &cat));
        }
    }
    msgs
}

/// What single pages show, page by page: documents with both dates, hidden links, exposed personal data, dated things.
#[derive(Default)]
struct PageFacts {
    documents: Vec<Document>,
    hidden_links: Vec<HiddenLink>,
    exposures: Vec<(Source, Exposure)>,
    dated_things: Vec<DatedThing>,
}

fn page_facts(docs: &[PageDoc], kinds: &[PageKind]) -> PageFacts {
    let PageFacts { mut documents, mut hidden_links, mut exposures, mut dated_things } = PageFacts::default();
    for (i, d) in docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let src = Source { url: d.url.clone(), warc: Some(d.warc.clone()) };
        if kinds[i] == PageKind::Article {
            let written = dates::labelled_date(&d.text, &["成文日期", "成文时间"]);
            let published = dates::labelled_date(&d.text, &["发布日期"]);
            if let (Some(w), Some(p)) = (written, published) {
                let title = d.meta("ArticleTitle").unwrap_or(&d.title).to_string();
                documents.push(Document { title, written: w, published: p, source: src.clone() });
            }
            if let Some(date) = d.own_date() {
                let title = d.meta("ArticleTitle").unwrap_or(&d.title).to_string();
                dated_things.push(DatedThing { title, url: d.url.clone(), date, source: src.clone() });
            }
        }
        for r in &d.all_rows {
            if let (Some(date), Some(u)) = (r.date, &r.url) {
                // year-less dates are read as past dates; only full dates can be in the future
                if r.row_dates.contains(&date) {
                    dated_things.push(DatedThing { title: r.title.clone(), url: u.clone(), date, source: src.clone() });
                }
            }
        }
        for l in d.links.iter().filter(|l| l.hidden) {
            hidden_links.push(HiddenLink { text: l.text.clone(), target: l.href.clone(), source: src.clone() });
        }
        let e = privacy::scan(&d.main_text);
        if !e.is_empty() {
            exposures.push((src, e));
        }
    }
    PageFacts { documents, hidden_links, exposures, dated_things }
}
