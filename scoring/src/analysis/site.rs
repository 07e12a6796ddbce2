//! Assembling a [`SiteAnalysis`] from one site's capture.

use super::classify::{self, PageKind};
use super::columns::{self, canonical, categorize, is_later_page, is_platform_name, under};
use super::dates;
use super::footer::{self, FooterFacts};
use super::items::{self, DatedItem};
use super::messages::{self, Message};
use super::page::{self, PageDoc};
use super::privacy::{self, Exposure};
use super::Source;
use crate::text::name_key;
use chrono::NaiveDate;
use gongkai_archive::{LinkCheck, Probe, SiteCapture};
use gongkai_config::{ColumnKind, Rubric, Site};
use std::collections::{BTreeMap, HashMap};
use url::Url;

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
    /// Why the column is blank (RUBRIC.md Terms), in Chinese; None when it is not.
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
    /// Pages archived and fetches that failed (results.json `crawl`).
    pub crawl_pages: u64,
    pub crawl_errors: u64,
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

/// The columns of the 政府信息公开 platform's own tree (canonical keys), whatever their URLs: the column pages the
/// platform page links to that are not the site's main menu (which the platform's pages repeat), and the
/// sub-columns of its containers (法定主动公开内容). A platform that is a section of the main site under opaque ids
/// (`/col/col100/` with children `/col/col101/` …) is recognised this way, where a path prefix says nothing.
fn platform_tree(
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    kinds: &[PageKind],
    home: Option<usize>,
    platform_pages: &[usize],
    platform_root: Option<&Url>,
    rubric: &Rubric,
) -> std::collections::HashSet<String> {
    let mut keys = std::collections::HashSet::new();
    if platform_pages.is_empty() {
        return keys;
    }
    // the site's main menu: links of the home page's navigation (the platform's pages repeat it)
    let menu_less = home.is_some_and(|h| !docs[h].links.iter().any(|l| l.nav && !l.hidden));
    let menu: std::collections::HashSet<usize> = home
        .map(|h| {
            docs[h]
                .links
                .iter()
                // a home page without navigation markup: every link of its body may be its menu
                .filter(|l| (l.nav || (menu_less && !l.footer)) && !l.hidden)
                .filter(|l| platform_root.is_none_or(|r| !under(&l.href, r)))
                .filter_map(|l| resolve_url(docs, index, &l.href))
                .collect()
        })
        .unwrap_or_default();
    let mut queue: Vec<(usize, u32)> = platform_pages.iter().map(|&p| (p, 0)).collect();
    let mut seen: std::collections::HashSet<usize> = platform_pages.iter().copied().collect();
    while let Some((p, depth)) = queue.pop() {
        // navigation blocks of this page that are the site's main menu repeated (most of their links lead where the
        // home page's menu does); the platform's own tree may link to a main-site column too, and then it counts
        let mut block_links: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for l in docs[p].links.iter().filter(|l| l.nav_block > 0) {
            // links to pages the archive holds, other than the platform's own pages
            let Some(j) = resolve_url(docs, index, &l.href) else { continue };
            if platform_pages.contains(&j) {
                continue;
            }
            let e = block_links.entry(l.nav_block).or_default();
            e.0 += 1;
            if menu.contains(&j) || Some(j) == home {
                e.1 += 1;
            }
        }
        let site_menu = |b: u32| b > 0 && block_links.get(&b).is_some_and(|(n, m)| *m * 5 >= *n * 4);
        for l in docs[p].links.iter().filter(|l| !l.hidden && !l.footer) {
            match resolve_url(docs, index, &l.href) {
                Some(j) => {
                    let repeated_menu = menu.contains(&j) && (l.nav_block == 0 || site_menu(l.nav_block));
                    if Some(j) == home || repeated_menu || !kinds[j].is_column() || platform_pages.contains(&j) {
                        continue;
                    }
                    let name = docs[j].meta("ColumnName").unwrap_or(&l.text);
                    let cat =
                        categorize(rubric, name, Some(&docs[j].url)).or_else(|| categorize(rubric, &l.text, None));
                    // only what names itself a column (or is named like one) belongs to the tree
                    if docs[j].meta("ColumnName").is_none() && cat.is_none() {
                        continue;
                    }
                    keys.insert(canonical(&docs[j].url));
                    if depth < 3 && cat.is_some_and(|c| c.kind == ColumnKind::Container) && seen.insert(j) {
                        queue.push((j, depth + 1));
                    }
                }
                None => {
                    if categorize(rubric, &l.text, None).is_some() {
                        keys.insert(canonical(&l.href));
                    }
                }
            }
        }
    }
    keys
}

/// Does the page's breadcrumb show a column between the site (首页, the platform) and the page itself?
fn crumb_places_under_another(d: &PageDoc, own_name: &str) -> bool {
    const GENERIC: [&str; 9] = ["首页", "网站首页", "主页", "列表", "正文", "详情", "内容", "信息列表", "当前位置"];
    let own = name_key(own_name);
    let meta = d.meta("ColumnName").map(name_key);
    let crumbs = &d.breadcrumb;
    if crumbs.len() < 3 {
        return false;
    }
    crumbs.iter().any(|c| {
        !GENERIC.contains(&c.as_str())
            && !is_platform_name(c)
            && *c != own
            && meta.as_deref() != Some(c.as_str())
            && !c.ends_with("人民政府")
    })
}

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

struct Candidate {
    name: String,
    /// Name from the page's own ColumnName meta (strongest).
    meta_name: bool,
    url: Url,
    first_level: bool,
    /// Linked from the top level of the home page's menu.
    home_first: bool,
    page: Option<usize>,
}

/// Read every page of the capture and establish the facts the rubric needs.
pub fn analyze(capture: &SiteCapture, rubric: &Rubric, t0: NaiveDate) -> SiteAnalysis {
    let site = capture.site.clone();
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
    let home = resolve_url(&docs, &index, &site.url).or_else(|| docs.iter().position(|d| d.depth == 0 && d.is_html));
    let link_checks: BTreeMap<String, LinkCheck> =
        capture.link_checks.iter().map(|l| (l.target.as_str().to_string(), l.clone())).collect();

    // --- what each page is (classify.rs): navigation targets first, they are columns whatever they hold
    let mut nav_targets = vec![false; docs.len()];
    for (i, d) in docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let menu_less_home = Some(i) == home && !d.links.iter().any(|l| l.nav && !l.hidden);
        for l in d.links.iter().filter(|l| !l.hidden) {
            let menu = l.nav || (menu_less_home && !l.footer && categorize(rubric, &l.text, None).is_some());
            if menu {
                if let Some(j) = resolve_url(&docs, &index, &l.href) {
                    nav_targets[j] = true;
                }
            }
        }
    }
    let placeholder_words: Vec<&str> = rubric.columns.placeholders.iter().map(String::as_str).collect();
    let kinds = classify::classify(&docs, &index, home, &nav_targets, &placeholder_words);
    // a page that can be a column and names itself in `<meta name="ColumnName">`
    let named_column =
        |i: usize| kinds[i].is_column() && docs[i].meta("ColumnName").is_some_and(|n| !is_platform_name(n));
    // the target of a link is a column page: it names itself, or it holds a list
    let target_is_column =
        |u: &Url| resolve_url(&docs, &index, u).is_some_and(|p| named_column(p) || kinds[p] == PageKind::List);

    // The platform: configured, else the home page's link named 政府信息公开.
    let platform_root: Option<Url> = site.platform.clone().or_else(|| {
        let h = &docs[home?];
        let l = h.links.iter().find(|l| is_platform_name(&l.text))?;
        let i = resolve_url(&docs, &index, &l.href);
        Some(i.map(|i| docs[i].url.clone()).unwrap_or_else(|| l.href.clone()))
    });
    // the platform's own page: the configured URL as archived, else the home page's link to it, else the archived
    // page closest to the platform root (its index)
    let platform_page = platform_root.as_ref().and_then(|u| {
        resolve_url(&docs, &index, u)
            .or_else(|| {
                let h = &docs[home?];
                let l = h.links.iter().find(|l| is_platform_name(&l.text) && under(&l.href, u))?;
                resolve_url(&docs, &index, &l.href)
            })
            .or_else(|| {
                docs.iter()
                    .enumerate()
                    .filter(|(_, d)| d.ok() && d.is_html && under(&d.url, u))
                    .min_by_key(|(_, d)| (d.url.path().len(), d.url.as_str().len()))
                    .map(|(i, _)| i)
            })
    });

    // --- columns
    let mut cands: Vec<Candidate> = Vec::new();
    let link_cand = |href: &Url, text: &str, first_level: bool| -> Option<Candidate> {
        if text.is_empty() || is_platform_name(text) || text == "首页" {
            return None;
        }
        let page = resolve_url(&docs, &index, href);
        if let Some(p) = page {
            let d = &docs[p];
            // detail pages (articles, messages) are never columns; nor is the platform's own index
            if kinds[p].is_detail()
                || kinds[p] == PageKind::Resource
                || d.meta("ColumnName").is_some_and(is_platform_name)
            {
                return None;
            }
        }
        Some(Candidate {
            name: text.to_string(),
            meta_name: false,
            url: href.clone(),
            first_level,
            home_first: false,
            page,
        })
    };
    // A platform page that only frames the real platform (iframe): read the framed page too.
    let platform_frames: Vec<usize> = platform_page
        .map(|p| {
            docs[p].iframes.iter().filter_map(|u| resolve_url(&docs, &index, u)).filter(|&i| docs[i].is_html).collect()
        })
        .unwrap_or_default();
    let platform_pages: Vec<usize> = platform_page.into_iter().chain(platform_frames.iter().copied()).collect();
    // 1. first level: home navigation and the platform tree's first level
    for root in [home, platform_page].into_iter().flatten().chain(platform_frames.iter().copied()) {
        let d = &docs[root];
        if Some(root) == home && !d.links.iter().any(|l| l.nav && !l.hidden) {
            // no navigation markup at all: the column links of the home page body are its menu
            for l in d.links.iter().filter(|l| !l.hidden && !l.footer) {
                if categorize(rubric, &l.text, None).is_some() {
                    if let Some(c) = link_cand(&l.href, &l.text, true) {
                        cands.push(c);
                    }
                }
            }
            continue;
        }
        let min_level = d.links.iter().filter(|l| l.nav && !l.hidden).map(|l| l.nav_level).min().unwrap_or(0);
        // drop-down sub-menus are hidden by CSS until hovered: their entries are columns too (never first-level)
        for l in d.links.iter().filter(|l| l.nav) {
            let first = !l.hidden && l.nav_level <= min_level.max(1);
            // a menu entry is a column when it is named like one, leads to a column page, or leads to an error page
            // of the site (a column link that answers an error is a blank column, RUBRIC.md)
            let broken = resolve_url(&docs, &index, &l.href).is_some_and(|p| kinds[p] == PageKind::Error);
            let named = categorize(rubric, &l.text, Some(&l.href)).is_some() || target_is_column(&l.href) || broken;
            if named {
                if let Some(mut c) = link_cand(&l.href, &l.text, first) {
                    c.home_first = first && Some(root) == home;
                    cands.push(c);
                }
            }
        }
    }
    // 2. links named like a column on the home page, the platform page and container pages (sub-columns, entries)
    let mut hubs: Vec<usize> =
        [home, platform_page].into_iter().flatten().chain(platform_frames.iter().copied()).collect();
    for (i, d) in docs.iter().enumerate() {
        if named_column(i) {
            if let Some(c) = categorize(rubric, d.meta("ColumnName").unwrap_or(""), Some(&d.url)) {
                if c.kind == ColumnKind::Container {
                    hubs.push(i);
                }
            }
        }
    }
    // containers found by the name a link gives them (sites without ColumnName metas: ASP, DedeCMS)
    for c in &cands {
        if let Some(p) = c.page {
            if categorize(rubric, &c.name, None).is_some_and(|c| c.kind == ColumnKind::Container) && !hubs.contains(&p)
            {
                hubs.push(p);
            }
        }
    }
    // a worklist: a container's children may be containers in turn (法定主动公开内容 → 重点领域 → …)
    let mut next = 0;
    while next < hubs.len() && next < 64 {
        let h = hubs[next];
        next += 1;
        for l in docs[h].links.iter().filter(|l| !l.nav && !l.hidden && !l.footer) {
            let by_name = rubric.categories.iter().any(|c| c.matches_name(&name_key(&l.text)));
            // a container's own list (not the home page's) names its sub-columns, even blank or broken ones
            let container_child = Some(h) != home
                && (target_is_column(&l.href)
                    || docs[h].list.items.iter().any(|it| it.url.as_ref() == Some(&l.href))
                    || resolve_url(&docs, &index, &l.href).is_some_and(|p| kinds[p] == PageKind::Error));
            if by_name || container_child {
                if let Some(c) = link_cand(&l.href, &l.text, false) {
                    if let Some(p) = c.page {
                        let is_container =
                            categorize(rubric, &c.name, None).is_some_and(|k| k.kind == ColumnKind::Container);
                        if is_container && !hubs.contains(&p) {
                            hubs.push(p);
                        }
                    }
                    cands.push(c);
                }
            }
        }
    }
    // 3. every archived column page names itself — on the site's own host or under its platform, never another
    //    department's part of a shared platform
    let own = |u: &Url| u.host_str() == site.url.host_str() || platform_root.as_ref().is_some_and(|r| under(u, r));
    for (i, d) in docs.iter().enumerate() {
        if d.ok() && named_column(i) && !is_later_page(&d.url) && own(&d.url) {
            cands.push(Candidate {
                name: d.meta("ColumnName").unwrap().to_string(),
                meta_name: true,
                url: d.url.clone(),
                first_level: false,
                home_first: false,
                page: Some(i),
            });
        }
    }
    // merge by canonical URL after redirects
    let mut merged: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for c in cands {
        let key = match c.page {
            Some(p) => canonical(&docs[p].url),
            None => canonical(&c.url),
        };
        match merged.get_mut(&key) {
            Some(m) => {
                m.first_level |= c.first_level;
                m.home_first |= c.home_first;
                if c.meta_name && !m.meta_name {
                    m.name = c.name;
                    m.meta_name = true;
                }
                if m.page.is_none() {
                    m.page = c.page;
                }
            }
            None => {
                order.push(key.clone());
                merged.insert(key, c);
            }
        }
    }
    let mut article_index: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if kinds[i].is_detail() {
            article_index.insert(d.url.as_str().to_string(), i);
        }
    }
    let platform_keys = platform_tree(&docs, &index, &kinds, home, &platform_pages, platform_root.as_ref(), rubric);
    let mut cols: Vec<Column> = Vec::new();
    for key in order {
        let c = merged.remove(&key).unwrap();
        let cat = categorize(rubric, &c.name, Some(&c.url))
            .or_else(|| c.page.and_then(|p| categorize(rubric, "", Some(&docs[p].url))));
        let on_platform = platform_keys.contains(&key)
            || platform_root
                .as_ref()
                .is_some_and(|r| under(&c.url, r) || c.page.is_some_and(|p| under(&docs[p].url, r)))
            || c.page.is_some_and(|p| docs[p].breadcrumb.iter().any(|b| is_platform_name(b)));
        let mut col = Column {
            category: cat.map(|c| c.id.clone()),
            kind: cat.map(|c| c.kind).unwrap_or(ColumnKind::List),
            name: name_key(&c.name),
            url: c.url.clone(),
            key: key.clone(),
            // a column its own breadcrumb places under another column (政府信息公开 » 目录 » 部门预决算) is a
            // sub-column, however flat the menu that links it looks — unless the home page's menu links it at its top
            first_level: c.first_level
                && (c.home_first || !c.page.is_some_and(|p| crumb_places_under_another(&docs[p], &c.name))),
            on_platform,
            page: c.page,
            status: c.page.map(|p| docs[p].status),
            items: Vec::new(),
            newest: None,
            blank: None,
            unreadable: false,
            unknown: false,
        };
        fill_column(
            &mut col,
            cat.is_none(),
            &docs,
            &index,
            &kinds,
            &article_index,
            capture,
            &link_checks,
            &placeholder_words,
            rubric,
        );
        cols.push(col);
    }
    cols.sort_by(|a, b| (&a.category, &a.key).cmp(&(&b.category, &b.key)));

    // --- home page
    let home_items = home.map(|h| items::resolve(&docs[h].all_rows, &article_index, &docs)).unwrap_or_default();
    let footer = footer::collect(&docs, &index, home, capture, t0);

    // --- messages, documents, hidden links, privacy, dated things
    let mut msgs = Vec::new();
    for c in cols.iter().filter(|c| c.kind == ColumnKind::Messages) {
        if let Some(p) = c.page {
            let cat = c.category.clone().unwrap_or_default();
            msgs.extend(messages::read(&docs, &index, p, &c.items, &cat));
        }
    }
    let mut documents = Vec::new();
    let mut hidden_links = Vec::new();
    let mut exposures = Vec::new();
    let mut dated_things = Vec::new();
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
    SiteAnalysis {
        site,
        t0,
        docs,
        home,
        platform_root,
        columns: cols,
        home_items,
        footer,
        messages: msgs,
        documents,
        hidden_links,
        exposures,
        dated_things,
        link_checks,
        probes: capture.probes.clone(),
        crawl_pages: capture.pages.len() as u64,
        crawl_errors: capture.failures.len() as u64 + capture.pages.iter().filter(|p| p.status >= 400).count() as u64,
    }
}

#[allow(clippy::too_many_arguments)]
fn fill_column(
    col: &mut Column,
    uncategorised: bool,
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    kinds: &[PageKind],
    articles: &HashMap<String, usize>,
    capture: &SiteCapture,
    link_checks: &BTreeMap<String, LinkCheck>,
    placeholders: &[&str],
    rubric: &Rubric,
) {
    if col.kind == ColumnKind::Entry {
        return;
    }
    let Some(p) = col.page else {
        // Not archived: an error the crawl or the link check saw makes it blank; otherwise nothing is known.
        if let Some(f) = capture.failures.iter().find(|f| f.url == col.url) {
            col.blank = Some(format!("栏目链接无法访问（{}）", f.error));
        } else if let Some(lc) = link_checks.get(col.url.as_str()).filter(|l| l.is_broken()) {
            col.blank = Some(format!("栏目链接无法访问（{}）", super::footer::outcome_label(lc)));
        } else {
            col.unknown = true;
        }
        return;
    };
    let d = &docs[p];
    if !d.ok() {
        col.blank = Some(format!("栏目链接返回错误页面（HTTP {}）", d.status));
        return;
    }
    let placeholder = placeholders.iter().find(|w| d.main_text.contains(**w));
    if uncategorised {
        col.kind = if !d.list.items.is_empty()
            || d.list.script_list
            || d.list.api
            || d.list.script_pages.is_some()
            || placeholder.is_some()
        {
            ColumnKind::List
        } else {
            ColumnKind::Single
        };
        // A hub page (互动交流, 专题专栏) lists sub-columns, not dated items: a container, never "stale".
        let items = &d.list.items;
        if !items.is_empty() && items.iter().all(|i| i.date.is_none()) {
            let column_like = items
                .iter()
                .filter(|i| {
                    categorize(rubric, &i.title, None).is_some()
                        || i.url
                            .as_ref()
                            .and_then(|u| resolve_url(docs, index, u))
                            .is_some_and(|p| kinds[p].is_column() && docs[p].meta("ColumnName").is_some())
                })
                .count();
            if column_like * 2 >= items.len() {
                col.kind = ColumnKind::Container;
                return;
            }
        }
    }
    let mut rows = d.list.items.clone();
    if col.kind == ColumnKind::Messages {
        for r in rows.iter_mut() {
            // a message row shows the posting date first, the reply date after it; a board whose rows show no date
            // has it on each message's own page (留言时间)
            r.date = r.row_dates.first().copied().or(r.date).or_else(|| {
                let i = resolve_url(docs, index, r.url.as_ref()?)?;
                docs[i].ok().then(|| super::dates::labelled_date(&docs[i].text, &super::messages::POSTED)).flatten()
            });
        }
    }
    col.items = items::resolve(&rows, articles, docs);
    if col.items.iter().all(|i| i.date.is_none()) && !col.items.is_empty() {
        // later pages only matter when the first has no dates
        let later = docs.iter().filter(|o| o.ok() && is_later_page(&o.url) && canonical(&o.url) == col.key);
        let mut extra: Vec<DatedItem> = Vec::new();
        for o in later {
            extra.extend(items::resolve(&o.list.items, articles, docs).into_iter().filter(|i| i.date.is_some()));
        }
        col.newest = extra.iter().filter_map(|i| i.date).max();
    }
    col.newest = col.newest.max(col.items.iter().filter_map(|i| i.date).max());
    let is_list = matches!(col.kind, ColumnKind::List | ColumnKind::Messages);
    if is_list && col.items.is_empty() {
        col.blank = Some(if d.list.script_list {
            col.unreadable = true;
            "列表由脚本从接口加载，抓取的页面中无法读取条目".to_string()
        } else if let Some(w) = placeholder {
            format!("栏目页仅显示“{w}”")
        } else if d.list.api {
            "栏目列表接口返回的条目为空".to_string()
        } else {
            "栏目页没有任何条目".to_string()
        });
    } else if !is_list && col.items.is_empty() {
        if let Some(w) = placeholder {
            col.blank = Some(format!("栏目页仅显示“{w}”"));
        } else if d.main_text.chars().filter(|c| !c.is_whitespace()).count() < 10 && col.kind != ColumnKind::Container {
            col.blank = Some("栏目页没有内容".to_string());
        }
    }
    let _ = columns::PLATFORM_NAMES;
}
