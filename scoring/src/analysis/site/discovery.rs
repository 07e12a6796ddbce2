//! Finding the site's columns (see [`crate::analysis::columns`] for the rules): candidates from the menus of the home
//! page and the platform, from container pages and from pages that name themselves, merged by canonical URL; then
//! each column's items, newest date and whether it is blank.

use super::platform::{platform_tree, Platform};
use super::{resolve_url, Column, Pages};
use crate::analysis::classify::PageKind;
use crate::analysis::columns::{self, canonical, categorize, is_later_page, is_platform_name, under};
use crate::analysis::items::{self, DatedItem};
use crate::analysis::page::PageDoc;
use crate::text::name_key;
use gongkai_archive::{LinkCheck, SiteCapture};
use gongkai_config::{ColumnKind, Rubric, Site};
use std::collections::{BTreeMap, HashMap};
use url::Url;

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

impl Pages<'_> {
    /// The site's columns: candidates from menus, container pages and pages that name themselves, merged by canonical
    /// URL, each with its items and newest date.
    pub(super) fn columns(
        &self,
        site: &Site,
        platform: &Platform,
        article_index: &HashMap<String, usize>,
        capture: &SiteCapture,
        link_checks: &BTreeMap<String, LinkCheck>,
        placeholder_words: &[&str],
    ) -> Vec<Column> {
        let Pages { docs, index, kinds, home, rubric } = *self;
        let mut cands = self.first_level_candidates(platform);
        self.container_candidates(platform, &mut cands);
        cands.extend(self.self_named_candidates(site, platform.root.as_ref()));
        let (order, mut merged) = merge_candidates(docs, cands);
        let platform_pages = platform.pages();
        let platform_root = platform.root.as_ref();
        let platform_keys = platform_tree(docs, index, kinds, home, &platform_pages, platform_root, rubric);
        let mut cols: Vec<Column> = Vec::new();
        for key in order {
            let c = merged.remove(&key).unwrap();
            let cat = categorize(rubric, &c.name, Some(&c.url))
                .or_else(|| c.page.and_then(|p| categorize(rubric, "", Some(&docs[p].url))));
            let on_platform = platform_keys.contains(&key)
                || platform_root.is_some_and(|r| under(&c.url, r) || c.page.is_some_and(|p| under(&docs[p].url, r)))
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
                docs,
                index,
                kinds,
                article_index,
                capture,
                link_checks,
                placeholder_words,
                rubric,
            );
            cols.push(col);
        }
        cols.sort_by(|a, b| (&a.category, &a.key).cmp(&(&b.category, &b.key)));
        cols
    }

    /// A column candidate for a link, unless it leads to a detail page, a resource or the platform's own index.
    fn link_cand(&self, href: &Url, text: &str, first_level: bool) -> Option<Candidate> {
        let Pages { docs, kinds, .. } = *self;
        if text.is_empty() || is_platform_name(text) || text == "首页" {
            return None;
        }
        let page = self.resolve(href);
        // an unarchived target whose URL carries a publication date (TRS `t20180318_3622828.html`, Hanweb
        // `/art/2018/3/18/art_…`) is an article: a portal's menus and tabs link news items beside their columns
        if page.is_none() && crate::analysis::dates::date_in_url(href.as_str()).is_some() {
            return None;
        }
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
    }

    /// 1. first level: home navigation and the platform tree's first level
    fn first_level_candidates(&self, platform: &Platform) -> Vec<Candidate> {
        let Pages { docs, kinds, home, rubric, .. } = *self;
        let mut cands: Vec<Candidate> = Vec::new();
        for root in [home, platform.page].into_iter().flatten().chain(platform.frames.iter().copied()) {
            let d = &docs[root];
            if Some(root) == home && !d.has_menu() {
                // no navigation markup at all: the column links of the home page body are its menu
                for l in d.menu_links() {
                    if categorize(rubric, &l.text, None).is_some() {
                        if let Some(c) = self.link_cand(&l.href, &l.text, true) {
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
                // of the site (a column link that answers an error is a blank column, docs/rules.md)
                let broken = self.resolve(&l.href).is_some_and(|p| kinds[p] == PageKind::Error);
                let named =
                    categorize(rubric, &l.text, Some(&l.href)).is_some() || self.target_is_column(&l.href) || broken;
                if named {
                    if let Some(mut c) = self.link_cand(&l.href, &l.text, first) {
                        c.home_first = first && Some(root) == home;
                        cands.push(c);
                    }
                }
            }
        }
        cands
    }

    /// 2. links named like a column on the home page, the platform page and container pages (sub-columns, entries)
    fn container_candidates(&self, platform: &Platform, cands: &mut Vec<Candidate>) {
        let Pages { docs, kinds, home, rubric, .. } = *self;
        let mut hubs: Vec<usize> =
            [home, platform.page].into_iter().flatten().chain(platform.frames.iter().copied()).collect();
        for (i, d) in docs.iter().enumerate() {
            if self.named_column(i) {
                if let Some(c) = categorize(rubric, d.meta("ColumnName").unwrap_or(""), Some(&d.url)) {
                    if c.kind == ColumnKind::Container {
                        hubs.push(i);
                    }
                }
            }
        }
        // containers found by the name a link gives them (sites without ColumnName metas: ASP, DedeCMS)
        for c in cands.iter() {
            if let Some(p) = c.page {
                if categorize(rubric, &c.name, None).is_some_and(|c| c.kind == ColumnKind::Container)
                    && !hubs.contains(&p)
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
                    && (self.target_is_column(&l.href)
                        || docs[h].list.items.iter().any(|it| it.url.as_ref() == Some(&l.href))
                        || self.resolve(&l.href).is_some_and(|p| kinds[p] == PageKind::Error));
                if by_name || container_child {
                    if let Some(c) = self.link_cand(&l.href, &l.text, false) {
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
    }

    /// 3. every archived column page names itself — on the site's own host or under its platform, never another
    ///    department's part of a shared platform
    fn self_named_candidates(&self, site: &Site, platform_root: Option<&Url>) -> Vec<Candidate> {
        let docs = self.docs;
        let own = |u: &Url| u.host_str() == site.url.host_str() || platform_root.is_some_and(|r| under(u, r));
        let mut cands = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            if d.ok() && self.named_column(i) && !is_later_page(&d.url) && own(&d.url) {
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
        cands
    }
}

/// Candidates merged by canonical URL after redirects, with the keys in the order first seen.
fn merge_candidates(docs: &[PageDoc], cands: Vec<Candidate>) -> (Vec<String>, BTreeMap<String, Candidate>) {
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
    (order, merged)
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
