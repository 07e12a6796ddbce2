//! One archived page read once: metadata, visible text, links (with whether they are hidden or part of a navigation
//! menu), list items with their dates, forms, frames and scripts. Every later analysis works on these [`PageDoc`]s, so
//! the HTML of each page is parsed exactly once (scoring throughput, RUBRIC.md benchmark).
//!
//! Lists are found the way an assessor reads a column page: the `<li>`/`<tr>` rows that carry a link, grouped by their
//! container, outside navigation, header, footer and side bars; items delivered in Hanweb `<script type="text/xml">`
//! record blocks are read too. A list loaded by script from a JSON endpoint has no items in the HTML: the page is marked
//! `script_list` so the finding can say the list could not be read instead of inventing dates.

use super::dates;
use crate::text::{collapse_ws, decode, name_key};
use chrono::{Datelike, NaiveDate};
use ego_tree::NodeId;
use gongkai_archive::{CapturedPage, WarcRef};
use regex::Regex;
use scraper::{ElementRef, Html, Node};
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// A link as it appears on a page.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: Url,
    /// Link text (or image alt, or title), whitespace removed.
    pub text: String,
    /// Inside an element hidden by CSS (inline or a class/id rule in a `<style>` block).
    pub hidden: bool,
    /// Inside a navigation menu (`<nav>`, class/id with nav/menu/tree/column names).
    pub nav: bool,
    /// Menu level inside its navigation block (1 = top level; deeper for nested `<ul>`s and for sub-menus that follow
    /// their parent entry), 0 outside navigation.
    pub nav_level: u32,
    /// The navigation block it belongs to (1, 2, … in document order), 0 outside navigation.
    pub nav_block: u32,
    /// Inside the page footer.
    pub footer: bool,
    /// `src` and `alt` of an image inside the link.
    pub img: Option<(String, String)>,
}

/// One row of a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub title: String,
    pub url: Option<Url>,
    /// The date the list shows for it, if any.
    pub date: Option<NaiveDate>,
    /// Every full date shown in the row (consultation lists show posted and reply dates).
    pub row_dates: Vec<NaiveDate>,
    /// The row's text, whitespace collapsed.
    pub text: String,
}

/// The form of the page's list, if it has one.
#[derive(Debug, Clone, Default)]
pub struct ListInfo {
    pub items: Vec<ListItem>,
    /// Items came from `<script type="text/xml">` record blocks.
    pub from_records: bool,
    /// The list is filled by script from an endpoint the archive does not hold as HTML.
    pub script_list: bool,
    /// `createPageHTML(total, …)` total pages.
    pub script_pages: Option<u32>,
    /// Items came from the JSON answer of the list API the page's script loads (archived beside the page).
    pub api: bool,
}

#[derive(Debug, Clone)]
pub struct PageDoc {
    pub url: Url,
    pub status: u16,
    pub depth: u32,
    pub warc: WarcRef,
    pub is_html: bool,
    pub title: String,
    /// `<meta name>` (lower-cased) → content.
    pub metas: BTreeMap<String, String>,
    /// Visible text, whitespace collapsed.
    pub text: String,
    /// Visible text outside navigation, header, footer and side bars (what a guide page itself says).
    pub main_text: String,
    pub links: Vec<Link>,
    /// Breadcrumb trail (当前位置), names normalised.
    pub breadcrumb: Vec<String>,
    pub list: ListInfo,
    /// Every list row of the page outside page chrome, in document order, whatever list it belongs to (home page blocks).
    pub all_rows: Vec<ListItem>,
    pub has_search_form: bool,
    /// Forms with a text input: action, name, id, class and each text input's name, id, class and placeholder, joined.
    pub forms: Vec<String>,
    /// `src`, `id` and other attributes of every script element (badge and 纠错 loaders).
    pub script_marks: Vec<String>,
    pub iframes: Vec<Url>,
    pub scripts: Vec<Url>,
    /// Inline script text (document.write footers, 纠错 loaders, pagination calls).
    pub inline_script: String,
    /// `src`/`alt` of every image.
    pub images: Vec<(String, String)>,
    /// Text of the footer element(s), whitespace collapsed, one entry per footer.
    pub footers: Vec<String>,
    /// Redirect target for a 3xx.
    pub location: Option<Url>,
    /// Why the page could not be read in full (nesting too deep, body too large, analysis failed), if so.
    pub unreadable: Option<String>,
}

impl PageDoc {
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metas.get(&name.to_ascii_lowercase()).map(|s| s.as_str()).filter(|s| !s.is_empty())
    }

    /// An article (not a column page): the CMS marks it, or its URL carries a publication date.
    pub fn is_article(&self) -> bool {
        self.meta("ArticleTitle").is_some()
            || self.meta("PubDate").is_some()
            || dates::date_in_url(self.url.as_str()).is_some()
    }

    /// The article's own publication date: PubDate meta, 发布日期 label, date in the URL.
    pub fn own_date(&self) -> Option<NaiveDate> {
        self.meta("PubDate")
            .and_then(dates::first_date)
            .or_else(|| dates::labelled_date(&self.text, &["发布日期", "发布时间"]))
            .or_else(|| dates::date_in_url(self.url.as_str()))
    }

    /// A successful answer (a 304 revisit carries the earlier payload and counts as one).
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status) || self.status == 304
    }
}

static HIDDEN_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em|rem)?\s*(?:;|$|!)|(?:left|top|text-indent)\s*:\s*-\d{3,}").unwrap()
});
static CSS_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([^{}]+)\{([^{}]*)\}").unwrap());
static CDATA_RECORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>").unwrap());
static CREATE_PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"createPageHTML\(\s*'?(\d+)'?").unwrap());
static SCRIPT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\$\.(?:ajax|getJSON|get|post)\s*\(|\bfetch\s*\(|XMLHttpRequest|\.json["'?]"#).unwrap()
});

const NAV_WORDS: [&str; 5] = ["nav", "menu", "tree", "lanmu", "daohang"];
const SKIP_WORDS: [&str; 5] = ["side", "crumb", "position", "location", "header"];
const FOOTER_WORDS: [&str; 3] = ["footer", "foot", "bottom"];

fn class_id(el: &scraper::node::Element) -> String {
    let mut s = String::new();
    if let Some(id) = el.id() {
        s.push_str(&id.to_ascii_lowercase());
        s.push(' ');
    }
    for c in el.classes() {
        s.push_str(&c.to_ascii_lowercase());
        s.push(' ');
    }
    s
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Element nesting depth (the walk stops descending at [`MAX_DEPTH`]).
    depth: u32,
    hidden: bool,
    nav: bool,
    /// ul/ol depth counted from the nav block.
    nav_lists: u32,
    /// Sub-menus entered inside the navigation block: a block of links that follows its parent entry
    /// (`li > a + ul`, `div > a + div.submenu`, `dt + dd`).
    sub_menus: u32,
    /// Which navigation block (1, 2, … in document order; 0 outside any).
    nav_block: u32,
    footer: bool,
    /// Inside navigation, side bars, header or footer: rows here are not list items.
    chrome: bool,
    crumb: bool,
}

struct Walker<'a> {
    base: &'a Url,
    hidden_selectors: &'a HiddenRules,
    text: String,
    main_text: String,
    links: Vec<Link>,
    crumb_text: String,
    forms: Vec<String>,
    script_marks: Vec<String>,
    footers: Vec<String>,
    iframes: Vec<Url>,
    scripts: Vec<Url>,
    inline_script: String,
    images: Vec<(String, String)>,
    metas: BTreeMap<String, String>,
    title: String,
    has_search_form: bool,
    xml_blocks: Vec<String>,
    /// (container id, row) for list rows outside page chrome.
    rows: Vec<(NodeId, ElementRef<'a>)>,
    /// Elements nested deeper than [`MAX_DEPTH`] were skipped.
    truncated: bool,
    nav_blocks: u32,
}

/// Deepest element nesting the analysis reads. Real pages stay far below (a few dozen levels); the walk is recursive,
/// so this bounds its stack (a 10,000-deep page would otherwise overflow it and abort scoring for every site).
pub const MAX_DEPTH: u32 = 256;

/// Classes and ids that a `<style>` block hides.
#[derive(Default)]
struct HiddenRules {
    classes: HashSet<String>,
    ids: HashSet<String>,
}

impl HiddenRules {
    fn from_css(css: &str) -> Self {
        let mut r = HiddenRules::default();
        for c in CSS_RULE.captures_iter(css) {
            if !HIDDEN_STYLE.is_match(&c[2]) {
                continue;
            }
            for sel in c[1].split(',') {
                let sel = sel.trim();
                // only simple selectors: `.x`, `#x`, `div.x`
                let last = sel.rsplit(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(sel);
                if let Some(pos) = last.find(['.', '#']) {
                    let name = last[pos + 1..].to_ascii_lowercase();
                    if last[pos..].starts_with('.') {
                        r.classes.insert(name);
                    } else {
                        r.ids.insert(name);
                    }
                }
            }
        }
        r
    }

    fn hides(&self, el: &scraper::node::Element) -> bool {
        (!self.classes.is_empty() && el.classes().any(|c| self.classes.contains(&c.to_ascii_lowercase())))
            || el.id().is_some_and(|i| self.ids.contains(&i.to_ascii_lowercase()))
    }
}

fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    let mut u = base.join(href).ok()?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

fn elem_text(el: ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        s.push(' ');
    }
    s
}

impl<'a> Walker<'a> {
    fn walk(&mut self, el: ElementRef<'a>, ctx: Ctx, container: Option<NodeId>) {
        let e = el.value();
        let name = e.name();
        let mut ctx = ctx;
        ctx.depth += 1;
        if ctx.depth > MAX_DEPTH {
            // A hostile page (10,000 nested <div>s) must not exhaust the stack: what lies deeper is not read.
            self.truncated = true;
            return;
        }
        match name {
            "script" => {
                let ty = e.attr("type").unwrap_or("").to_ascii_lowercase();
                if let Some(src) = e.attr("src").and_then(|s| resolve(self.base, s)) {
                    self.scripts.push(src);
                }
                let mut mark = String::new();
                for (k, v) in e.attrs() {
                    mark.push_str(k);
                    mark.push('=');
                    mark.push_str(v);
                    mark.push(' ');
                }
                if !mark.is_empty() {
                    self.script_marks.push(mark);
                }
                let body = elem_text(el);
                if ty.contains("xml") {
                    self.xml_blocks.push(body);
                } else {
                    if e.id() == Some("_jiucuo_") {
                        self.inline_script.push_str(" _jiucuo_ ");
                    }
                    self.inline_script.push_str(&body);
                    self.inline_script.push('\n');
                }
                return;
            }
            "style" | "noscript" | "template" => return,
            "meta" => {
                if let (Some(n), Some(c)) = (e.attr("name"), e.attr("content")) {
                    self.metas.entry(n.to_ascii_lowercase()).or_insert_with(|| c.trim().to_string());
                }
                return;
            }
            "title" => {
                self.title = collapse_ws(&elem_text(el));
                return;
            }
            "iframe" | "frame" => {
                if let Some(src) = e.attr("src").and_then(|s| resolve(self.base, s)) {
                    self.iframes.push(src);
                }
            }
            "img" => {
                let src = e.attr("src").unwrap_or("").to_string();
                let alt = e.attr("alt").unwrap_or("").to_string();
                self.images.push((src, alt));
            }
            // a search box outside any form, submitted by script (`<input id="search">` + `dosubmit()`)
            "input"
                if is_search_input(e)
                    && !el.ancestors().any(|a| a.value().as_element().is_some_and(|x| x.name() == "form")) =>
            {
                self.has_search_form = true;
            }
            "form" => {
                if is_search_form(el) {
                    self.has_search_form = true;
                }
                if let Some(sig) = form_signature(el) {
                    self.forms.push(sig);
                }
            }
            _ => {}
        }
        let ci = class_id(e);
        if let Some(style) = e.attr("style") {
            if HIDDEN_STYLE.is_match(style) {
                ctx.hidden = true;
            }
        }
        if e.attr("hidden").is_some() || self.hidden_selectors.hides(e) {
            ctx.hidden = true;
        }
        // an image map is a menu too (old table layouts draw their navigation as one image with <area> links)
        let is_nav_block = name == "nav"
            || name == "map"
            || NAV_WORDS.iter().any(|w| ci.contains(w))
            || ci.split(' ').any(|t| t == "dh" || t.starts_with("dh-") || t.starts_with("dh_"));
        if is_nav_block && !ctx.nav {
            ctx.nav = true;
            ctx.nav_lists = 0;
            ctx.sub_menus = 0;
            self.nav_blocks += 1;
            ctx.nav_block = self.nav_blocks;
        }
        if ctx.nav || name == "nav" || name == "header" || name == "aside" || SKIP_WORDS.iter().any(|w| ci.contains(w))
        {
            ctx.chrome = true;
        }
        let is_footer = name == "footer" || FOOTER_WORDS.iter().any(|w| ci.split(' ').any(|c| c.contains(w)));
        if is_footer && !ctx.footer {
            ctx.footer = true;
            ctx.chrome = true;
            let t = collapse_ws(&elem_text(el));
            self.footers.push(t);
        }
        if ci.contains("crumb") || ci.contains("position") || ci.contains("location") || ci.contains("dqwz") {
            ctx.crumb = true;
        }
        if (name == "ul" || name == "ol") && ctx.nav {
            ctx.nav_lists += 1;
        }
        if name == "a" || name == "area" {
            if let Some(href) = e.attr("href").and_then(|h| resolve(self.base, h)) {
                let mut text = name_key(&elem_text(el));
                let img = el.descendent_elements().find(|d| d.value().name() == "img").map(|i| {
                    (i.value().attr("src").unwrap_or("").to_string(), i.value().attr("alt").unwrap_or("").to_string())
                });
                if text.is_empty() {
                    text = img
                        .as_ref()
                        .map(|(_, a)| name_key(a))
                        .filter(|a| !a.is_empty())
                        .unwrap_or_else(|| name_key(e.attr("title").or(e.attr("alt")).unwrap_or("")));
                }
                self.links.push(Link {
                    href,
                    text,
                    hidden: ctx.hidden,
                    nav: ctx.nav,
                    nav_level: if ctx.nav { ctx.nav_lists.max(1 + ctx.sub_menus) } else { 0 },
                    nav_block: ctx.nav_block,
                    footer: ctx.footer,
                    img,
                });
            }
        }
        // list rows: <li> or <tr> holding a link, no nested rows
        if (name == "li" || name == "tr") && !ctx.chrome && !ctx.hidden {
            let has_nested = el.descendent_elements().skip(1).any(|d| matches!(d.value().name(), "li" | "tr"));
            if !has_nested
                && el.descendent_elements().any(|d| d.value().name() == "a" && d.value().attr("href").is_some())
            {
                if let Some(c) = container {
                    self.rows.push((c, el));
                }
            }
        }
        // definition lists: each <dt> holding a link is a record, its date in the <dd>s after it
        if name == "dl" && !ctx.chrome && !ctx.hidden {
            let dts: Vec<ElementRef<'a>> = el
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| {
                    c.value().name() == "dt"
                        && c.descendent_elements().any(|d| d.value().name() == "a" && d.value().attr("href").is_some())
                })
                .collect();
            if dts.len() >= 2 {
                for dt in dts {
                    self.rows.push((el.id(), dt));
                }
            }
        }
        // list rows of other markup: three or more sibling blocks of one kind (same tag and class), each holding a link
        // and little text (`<div class="list-item"><a>…</a><span>2026-11-03</span></div>`, `<dd>`, `<p>`)
        if !ctx.chrome && !ctx.hidden && !matches!(name, "ul" | "ol" | "table" | "tbody" | "dl" | "tr" | "li") {
            self.sibling_records(el);
        }
        let child_container = if matches!(name, "ul" | "ol" | "table" | "tbody" | "dl") {
            if name == "tbody" {
                container.or(Some(el.id()))
            } else {
                Some(el.id())
            }
        } else {
            container
        };
        // Inside navigation, sub-menus: in a menu entry beside other entries (`li > a + ul`, `div.submenu > a + div`),
        // the block of links after the entry's own link; in a `<dl>`, the `<dd>`s after a
        // `<dt>`. A unique container's first link (a logo before the menu) makes no sub-menu of what follows.
        let entry_like = ctx.nav
            && el
                .prev_siblings()
                .chain(el.next_siblings())
                .filter_map(ElementRef::wrap)
                .any(|x| x.value().name() == "a" || x.descendent_elements().any(|d| d.value().name() == "a"));
        let dl_like = ctx.nav && name == "dl";
        let mut parent: Option<((&str, &str), usize)> = None;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if !ctx.hidden {
                        self.text.push_str(t);
                        self.text.push(' ');
                        if !ctx.chrome && !ctx.crumb {
                            self.main_text.push_str(t);
                            self.main_text.push(' ');
                        }
                    }
                    if ctx.crumb {
                        self.crumb_text.push_str(t);
                    }
                }
                Node::Element(_) => {
                    if let Some(ce) = ElementRef::wrap(child) {
                        let mut cctx = ctx;
                        if ctx.nav {
                            let v = ce.value();
                            let has_link = v.name() == "a"
                                || ce
                                    .descendent_elements()
                                    .any(|d| d.value().name() == "a" && d.value().attr("href").is_some());
                            if has_link {
                                let sig = (v.name(), v.attr("class").unwrap_or(""));
                                match &mut parent {
                                    None => parent = Some((sig, 1)),
                                    Some((p, n)) if *p == sig => *n += 1,
                                    Some((_, n)) => {
                                        if dl_like || (entry_like && *n == 1) {
                                            cctx.sub_menus += 1;
                                        }
                                    }
                                }
                            }
                        }
                        self.walk(ce, cctx, child_container);
                    }
                }
                _ => {}
            }
        }
        if matches!(name, "p" | "div" | "li" | "tr" | "br" | "td" | "h1" | "h2" | "h3" | "span") {
            self.text.push(' ');
            self.main_text.push(' ');
        }
    }
}

impl<'a> Walker<'a> {
    fn sibling_records(&mut self, parent: ElementRef<'a>) {
        const BLOCKS: [&str; 9] = ["div", "p", "dd", "dt", "dl", "section", "article", "h3", "h4"];
        let mut groups: Vec<((String, String), Vec<ElementRef<'a>>)> = Vec::new();
        for child in parent.children().filter_map(ElementRef::wrap) {
            let e = child.value();
            if !BLOCKS.contains(&e.name()) {
                continue;
            }
            let mut links = 0;
            let mut nested_rows = false;
            for d in child.descendent_elements().skip(1) {
                match d.value().name() {
                    "a" if d.value().attr("href").is_some() => links += 1,
                    "li" | "tr" | "ul" | "table" => nested_rows = true,
                    _ => {}
                }
            }
            if links == 0 || links > 3 || nested_rows {
                continue;
            }
            if child.text().map(|t| t.chars().count()).sum::<usize>() > 300 {
                continue;
            }
            let key = (e.name().to_string(), e.attr("class").unwrap_or("").to_string());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(child),
                None => groups.push((key, vec![child])),
            }
        }
        for (_, v) in groups {
            if v.len() >= 3 {
                for r in v {
                    self.rows.push((parent.id(), r));
                }
            }
        }
    }
}

fn form_signature(form: ElementRef) -> Option<String> {
    let v = form.value();
    let mut sig = String::new();
    for a in ["action", "name", "id", "class"] {
        sig.push_str(v.attr(a).unwrap_or(""));
        sig.push(' ');
    }
    let mut text_input = false;
    for d in form.descendent_elements() {
        let e = d.value();
        if e.name() != "input" {
            continue;
        }
        let ty = e.attr("type").unwrap_or("text").to_ascii_lowercase();
        if ty == "text" || ty == "search" || ty.is_empty() {
            text_input = true;
            for a in ["name", "id", "class", "placeholder"] {
                sig.push_str(e.attr(a).unwrap_or(""));
                sig.push(' ');
            }
        }
    }
    text_input.then(|| sig.to_lowercase())
}

fn is_text_input(e: &scraper::node::Element) -> bool {
    e.name() == "input"
        && matches!(e.attr("type").unwrap_or("text").to_ascii_lowercase().as_str(), "text" | "search" | "")
}

/// A text box that names itself a search box (by type, placeholder, name or id).
fn is_search_input(e: &scraper::node::Element) -> bool {
    if !is_text_input(e) {
        return false;
    }
    let ty = e.attr("type").unwrap_or("text").to_ascii_lowercase();
    let name = e.attr("name").unwrap_or("").to_ascii_lowercase();
    let id = e.attr("id").unwrap_or("").to_ascii_lowercase();
    let ph = e.attr("placeholder").unwrap_or("");
    ty == "search"
        || ph.contains("搜索")
        || ph.contains("检索")
        || ph.contains("关键")
        || ["q", "query", "keyword", "keywords", "searchword", "sw", "wd", "kw"].contains(&name.as_str())
        || [&name, &id].iter().any(|x| x.contains("search") || x.contains("keyword"))
}

/// A site search form: a text box, in a form that searches (by its action) or that names the box a search box.
/// A lookup form of selects only (街乡 查询) is not a site search.
fn is_search_form(form: ElementRef) -> bool {
    let action = form.value().attr("action").unwrap_or("").to_ascii_lowercase();
    let inputs: Vec<_> = form.descendent_elements().filter(|d| is_text_input(d.value())).collect();
    if inputs.is_empty() {
        return false;
    }
    action.contains("search")
        || action.contains("query")
        || action.contains("jsearch")
        || inputs.iter().any(|d| is_search_input(d.value()))
}

fn row_item(base: &Url, row: ElementRef, t0: NaiveDate) -> ListItem {
    let a = row.descendent_elements().find(|d| d.value().name() == "a" && d.value().attr("href").is_some());
    let (title, url) = match a {
        Some(a) => {
            let mut t = collapse_ws(&elem_text(a));
            if t.is_empty() {
                t = a.value().attr("title").unwrap_or("").to_string();
            }
            (t, a.value().attr("href").and_then(|h| resolve(base, h)))
        }
        None => (String::new(), None),
    };
    let text = collapse_ws(&elem_text(row));
    // The date slot: the text outside the link (so a title that mentions a date is not taken as the item's date).
    let mut outside = String::new();
    collect_outside_link(row, &mut outside);
    let outside = collapse_ws(&outside);
    let mut row_dates = dates::dates_in_text(&outside);
    let mut date = dates::item_date(&outside, t0);
    if date.is_none() {
        // Some CMSs put the date element inside the link: take an element whose whole text is one date.
        for d in row.descendent_elements().skip(1) {
            if d.descendent_elements().nth(1).is_some() {
                continue;
            }
            let t = collapse_ws(&elem_text(d));
            if !t.is_empty() && t.chars().count() <= 24 && t != title {
                if let Some(x) = dates::parse_date_slot(&t, t0) {
                    date = Some(x);
                    if dates::first_date(&t).is_some() {
                        row_dates.push(x);
                    }
                    break;
                }
            }
        }
    }
    ListItem { title, url, date, row_dates, text }
}

/// The year a heading right before a list container gives its rows (`<h4>2025年</h4>`, `<div class="year">2025</div>`).
fn year_heading(html: &Html, container: NodeId) -> Option<i32> {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*((?:19|20)\d{2})\s*年?\s*$").unwrap());
    let node = html.tree.get(container)?;
    let prev = node.prev_siblings().filter_map(ElementRef::wrap).next()?;
    let text = elem_text(prev);
    YEAR.captures(&text)?.get(1)?.as_str().parse().ok()
}

/// A `<dt>` record's date from the `<dd>`s that follow it (up to the next `<dt>`), when the `<dt>` shows none.
fn dt_record_dates(dt: ElementRef, item: &mut ListItem, t0: NaiveDate) {
    if item.date.is_some() {
        return;
    }
    let mut text = String::new();
    for sib in dt.next_siblings().filter_map(ElementRef::wrap) {
        if sib.value().name() == "dt" {
            break;
        }
        if sib.value().name() == "dd" {
            text.push_str(&elem_text(sib));
            text.push(' ');
        }
    }
    let text = collapse_ws(&text);
    if text.chars().count() > 200 {
        return;
    }
    item.date = dates::parse_date_slot(&text, t0).or_else(|| dates::item_date(&text, t0));
    item.row_dates = dates::dates_in_text(&text);
    if !text.is_empty() {
        item.text = format!("{} {}", item.text, text);
    }
}

fn collect_outside_link(el: ElementRef, out: &mut String) {
    collect_outside_link_at(el, out, 0)
}

fn collect_outside_link_at(el: ElementRef, out: &mut String, depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Node::Element(e) if e.name() != "a" && e.name() != "script" => {
                if let Some(ce) = ElementRef::wrap(child) {
                    collect_outside_link_at(ce, out, depth + 1);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Strings written by `document.write("…")` / `document.writeln('…')` in a script, concatenated. An argument is a
/// `+`-joined sequence of string literals and `unescape("…")` / `decodeURIComponent("…")` calls on literals — the form
/// of the standard 党政机关 badge snippet (`document.write(unescape("%3Cspan id='_ideConac' …"))`).
pub fn document_write_html(script: &str) -> String {
    static DW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"document\.write(?:ln)?\s*\(").unwrap());
    let mut out = String::new();
    for m in DW.find_iter(script) {
        let mut rest = &script[m.end()..];
        let mut wrote = false;
        loop {
            rest = rest.trim_start();
            let (decoder, after) = match ["unescape", "decodeURIComponent", "decodeURI"]
                .iter()
                .find_map(|f| rest.strip_prefix(f).map(|r| (true, r.trim_start())))
            {
                Some((true, r)) if r.starts_with('(') => (true, r[1..].trim_start()),
                _ => (false, rest),
            };
            let Some((lit, after_lit)) = string_literal(after) else { break };
            let mut after_lit = after_lit.trim_start();
            if decoder {
                let Some(r) = after_lit.strip_prefix(')') else { break };
                after_lit = r.trim_start();
                out.push_str(&js_unescape(&lit));
            } else {
                out.push_str(&lit);
            }
            wrote = true;
            match after_lit.strip_prefix('+') {
                Some(r) => rest = r,
                None => break,
            }
        }
        if wrote {
            out.push(' ');
        }
    }
    out
}

/// A JavaScript string literal at the start of `s` (quotes ' or "), with its escapes resolved; and what follows it.
fn string_literal(s: &str) -> Option<(String, &str)> {
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push(' '),
                Some((_, 't')) => out.push(' '),
                Some((_, other)) => out.push(other),
                None => return None,
            },
            c if c == q => return Some((out, &s[1 + i + 1..])),
            c => out.push(c),
        }
    }
    None
}

/// JavaScript's `unescape`: `%XX` and `%uXXXX` sequences (a percent-decoding crate knows no `%u`; hand-written).
pub fn js_unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut units: Vec<u16> = Vec::with_capacity(s.len());
    let mut i = 0;
    let hex = |x: &[u8]| std::str::from_utf8(x).ok().and_then(|h| u16::from_str_radix(h, 16).ok());
    while i < b.len() {
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'u') && i + 6 <= b.len() {
                if let Some(v) = hex(&b[i + 2..i + 6]) {
                    units.push(v);
                    i += 6;
                    continue;
                }
            } else if i + 3 <= b.len() {
                if let Some(v) = hex(&b[i + 1..i + 3]) {
                    units.push(v);
                    i += 3;
                    continue;
                }
            }
        }
        // copy one UTF-8 character as UTF-16 units
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        let mut buf = [0u16; 2];
        units.extend_from_slice(c.encode_utf16(&mut buf));
        i += c.len_utf8();
    }
    // %XX bytes above 0x7f are Latin-1 code points in JavaScript; %uXXXX are UTF-16 units
    String::from_utf16_lossy(&units)
}

/// Is this captured resource HTML?
pub fn is_html(page: &CapturedPage) -> bool {
    match page.header("content-type") {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html") || ct.contains("xml") && !ct.contains("javascript")
        }
        None => {
            let head = &page.body[..page.body.len().min(512)];
            let s = String::from_utf8_lossy(head).to_ascii_lowercase();
            s.contains("<html") || s.contains("<!doctype html") || s.contains("<head")
        }
    }
}

pub fn parse_page(page: &CapturedPage, t0: NaiveDate) -> PageDoc {
    let html_like = is_html(page);
    let location = page.header("location").and_then(|l| page.url.join(l).ok());
    let mut doc = PageDoc {
        url: page.url.clone(),
        status: page.status,
        depth: page.depth,
        warc: page.warc.clone(),
        is_html: html_like,
        title: String::new(),
        metas: BTreeMap::new(),
        text: String::new(),
        links: Vec::new(),
        breadcrumb: Vec::new(),
        list: ListInfo::default(),
        all_rows: Vec::new(),
        has_search_form: false,
        forms: Vec::new(),
        script_marks: Vec::new(),
        main_text: String::new(),
        iframes: Vec::new(),
        scripts: Vec::new(),
        inline_script: String::new(),
        images: Vec::new(),
        footers: Vec::new(),
        location,
        unreadable: None,
    };
    if !html_like || page.body.is_empty() {
        return doc;
    }
    let mut source = decode(&page.body, page.header("content-type"));
    let mut cut = None;
    if source.len() > MAX_PARSE_BYTES {
        let mut end = MAX_PARSE_BYTES;
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        source.truncate(end);
        cut = Some(format!("页面超过 {} MB，只读取了前 {} MB", MAX_PARSE_BYTES >> 20, MAX_PARSE_BYTES >> 20));
    }
    // One page must never cost the province its results: a page the parser or the analysis cannot take is recorded
    // as unreadable and scoring goes on with every other page.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut d = doc.clone();
        parse_html_into(&source, &mut d, t0);
        d
    }));
    match parsed {
        Ok(mut d) => {
            if d.unreadable.is_none() {
                d.unreadable = cut;
            }
            d
        }
        Err(_) => {
            tracing::error!(url = %page.url, "page analysis failed; the page is counted as unreadable");
            doc.unreadable = Some("页面无法解析".to_string());
            doc
        }
    }
}

/// Largest decoded page the analysis parses (the rest is not read, and the page says so).
pub const MAX_PARSE_BYTES: usize = 8 << 20;

/// Parse HTML source into `doc` (also used for footers written by script and iframe footers).
pub fn parse_html_into(source: &str, doc: &mut PageDoc, t0: NaiveDate) {
    let html = Html::parse_document(source);
    let mut css = String::new();
    for el in html.root_element().descendent_elements() {
        if el.value().name() == "style" {
            css.push_str(&elem_text(el));
        }
    }
    let rules = HiddenRules::from_css(&css);
    let base = doc.url.clone();
    let mut w = Walker {
        base: &base,
        hidden_selectors: &rules,
        text: String::new(),
        main_text: String::new(),
        links: Vec::new(),
        crumb_text: String::new(),
        forms: Vec::new(),
        script_marks: Vec::new(),
        footers: Vec::new(),
        iframes: Vec::new(),
        scripts: Vec::new(),
        inline_script: String::new(),
        images: Vec::new(),
        metas: BTreeMap::new(),
        title: String::new(),
        has_search_form: false,
        xml_blocks: Vec::new(),
        rows: Vec::new(),
        truncated: false,
        nav_blocks: 0,
    };
    // <head> content (meta, title, scripts) is walked like the body; the match arm above never skips it.
    w.walk(html.root_element(), Ctx::default(), None);
    let mut list = ListInfo::default();
    // Hanweb record blocks
    for block in &w.xml_blocks {
        for rec in CDATA_RECORD.captures_iter(block) {
            let frag = Html::parse_fragment(&rec[1]);
            let root = frag.root_element();
            let row =
                root.descendent_elements().find(|d| matches!(d.value().name(), "li" | "tr" | "div")).unwrap_or(root);
            list.items.push(row_item(&base, row, t0));
            list.from_records = true;
        }
    }
    if !list.from_records {
        // Old table layouts wrap every record in its own little table inside a row of the list's table: a row alone
        // in its container stands for the outer record, so group it with its siblings by the outer container.
        lift_lonely_rows(&html, &mut w.rows);
        // group rows by container; the main list is the one with most dated rows, else the longest
        let mut groups: Vec<(NodeId, Vec<ListItem>)> = Vec::new();
        for (c, row) in &w.rows {
            let mut item = row_item(&base, *row, t0);
            if row.value().name() == "dt" {
                dt_record_dates(*row, &mut item, t0);
            }
            if item.title.is_empty() && item.url.is_none() {
                continue;
            }
            match groups.iter_mut().find(|(id, _)| id == c) {
                Some((_, v)) => v.push(item),
                None => groups.push((*c, vec![item])),
            }
        }
        // a list whose rows print month and day only under a year heading (`<h4>2025年</h4><dl>… <em>11-03</em>`)
        for (c, items) in groups.iter_mut() {
            if let Some(year) = year_heading(&html, *c) {
                for it in items.iter_mut().filter(|i| i.date.is_some() && i.row_dates.is_empty()) {
                    let d = it.date.unwrap();
                    if let Some(x) = NaiveDate::from_ymd_opt(year, d.month(), d.day()) {
                        it.date = Some(x);
                        it.row_dates.push(x);
                    }
                }
            }
        }
        doc.all_rows = groups.iter().flat_map(|(_, v)| v.iter().cloned()).collect();
        let best = groups.into_iter().max_by_key(|(_, v)| (v.iter().filter(|i| i.date.is_some()).count(), v.len()));
        if let Some((_, items)) = best {
            list.items = items;
        }
    }
    if let Some(c) = CREATE_PAGE.captures(&w.inline_script) {
        list.script_pages = c[1].parse().ok();
    }
    if doc.all_rows.is_empty() {
        doc.all_rows = list.items.clone();
    }
    list.script_list = list.items.is_empty() && SCRIPT_LIST.is_match(&w.inline_script);
    doc.list = list;
    doc.text = collapse_ws(&w.text);
    doc.main_text = collapse_ws(&w.main_text);
    doc.forms = w.forms;
    doc.script_marks = w.script_marks;
    doc.links = w.links;
    doc.breadcrumb = split_crumb(&w.crumb_text);
    doc.footers = w.footers;
    doc.iframes = w.iframes;
    doc.scripts = w.scripts;
    doc.inline_script = w.inline_script;
    doc.images = w.images;
    doc.metas = w.metas;
    doc.title = w.title;
    doc.has_search_form = w.has_search_form;
    if w.truncated {
        doc.unreadable = Some(format!("页面元素嵌套超过 {MAX_DEPTH} 层，更深的内容未读取"));
    }
}

/// Re-key rows that are alone in their container to the container of their nearest enclosing record (`tr`/`li`),
/// up to three levels, when that groups them with others.
fn lift_lonely_rows(html: &Html, rows: &mut [(NodeId, ElementRef)]) {
    fn outer_container(html: &Html, c: NodeId) -> Option<NodeId> {
        let node = html.tree.get(c)?;
        let record =
            node.ancestors().find(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "tr" | "li")))?;
        let container = record
            .ancestors()
            .find(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "table" | "ul" | "ol" | "dl")))?;
        Some(container.id())
    }
    for _ in 0..3 {
        let mut counts: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
        for (c, _) in rows.iter() {
            *counts.entry(*c).or_default() += 1;
        }
        let mut lifted: Vec<(usize, NodeId)> = Vec::new();
        for (i, (c, _)) in rows.iter().enumerate() {
            if counts[c] == 1 {
                if let Some(o) = outer_container(html, *c) {
                    lifted.push((i, o));
                }
            }
        }
        // lift only where it joins rows together
        let mut joined: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
        for (_, o) in &lifted {
            *joined.entry(*o).or_default() += 1;
        }
        let mut changed = false;
        for (i, o) in lifted {
            if joined[&o] + counts.get(&o).copied().unwrap_or(0) >= 2 {
                rows[i].0 = o;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn split_crumb(t: &str) -> Vec<String> {
    let t = t.replace("当前位置", "").replace("您的位置", "").replace("您现在的位置", "");
    t.split(['>', '»', '›', '/', '→', '＞'])
        .map(name_key)
        // a label before the trail ("您当前的位置：首页", "位置：首页") is not part of it
        .map(|s| s.rsplit([':', '：']).next().unwrap_or("").to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    pub fn page(url: &str, html: &str) -> CapturedPage {
        CapturedPage {
            url: Url::parse(url).unwrap(),
            fetched_at: Utc::now(),
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: html.as_bytes().to_vec(),
            depth: 1,
            warc: WarcRef { file: "w.warc.gz".into(), offset: 0, record_id: "urn:uuid:1".into() },
        }
    }

    fn t0() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    }

    #[test]
    fn list_items_with_dates_skip_navigation() {
        let html = r#"<html><head><meta name="ColumnName" content="通知公告"><title>通知公告</title></head><body>
          <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a>
             <ul><li><a href="/tzgg/">通知公告</a></li></ul></li></ul></div>
          <div class="position">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
          <ul class="list"><li><a href="/tzgg/1.html">关于A的通知</a><span>2026-10-20</span></li>
            <li><a href="/tzgg/2.html">关于2025年12月1日B的公告</a><span>[10-02]</span></li>
            <li><a href="/tzgg/3.html">无日期</a></li></ul>
          <div class="footer">主办单位：某县人民政府办公室</div></body></html>"#;
        let d = parse_page(&page("http://www.x.gov.cn/tzgg/index.html", html), t0());
        assert_eq!(d.meta("columnname"), Some("通知公告"));
        assert_eq!(d.list.items.len(), 3);
        assert_eq!(d.list.items[0].date, NaiveDate::from_ymd_opt(2026, 10, 20));
        assert_eq!(d.list.items[1].date, NaiveDate::from_ymd_opt(2026, 10, 2));
        assert_eq!(d.list.items[2].date, None);
        assert_eq!(d.breadcrumb, vec!["首页", "政务公开", "通知公告"]);
        let nav: Vec<_> = d.links.iter().filter(|l| l.nav).map(|l| (l.text.as_str(), l.nav_level)).collect();
        assert_eq!(nav, vec![("首页", 1), ("政务公开", 1), ("通知公告", 2)]);
        assert_eq!(d.footers.len(), 1);
    }

    #[test]
    fn date_inside_the_link_is_read() {
        let html = r#"<html><body><ul class="list"><li><a href="/a/1.html"><span class="t">关于开展2025年度检查的通知</span><span class="d">2026/10/9</span></a></li>
          <li><a href="/a/2.html"><b>会议纪要</b><i>10-12</i></a></li></ul></body></html>"#;
        let d = parse_page(&page("http://www.x.gov.cn/tzgg/", html), t0());
        assert_eq!(d.list.items[0].date, NaiveDate::from_ymd_opt(2026, 10, 9));
        assert_eq!(d.list.items[1].date, NaiveDate::from_ymd_opt(2026, 10, 12));
    }

    #[test]
    fn xml_records_and_script_lists() {
        let html = r#"<html><body><div id="div1"><script type="text/xml"><datastore><recordset>
          <record><![CDATA[<li><a href="/art/2026/10/9/art_1_1.html">会议</a><span>2026-10-09</span></li>]]></record>
          <record><![CDATA[<li><a href="/art/2026/9/9/art_1_2.html">活动</a><span>2026-09-09</span></li>]]></record>
          </recordset></datastore></script></div></body></html>"#;
        let d = parse_page(&page("http://www.x.gov.cn/col/col1/index.html", html), t0());
        assert!(d.list.from_records);
        assert_eq!(d.list.items.len(), 2);
        assert_eq!(d.list.items[1].date, NaiveDate::from_ymd_opt(2026, 9, 9));
        let js = r#"<html><body><ul id="list"></ul><script>$.getJSON("/api/list.json", function(d){})</script></body></html>"#;
        let d = parse_page(&page("http://www.x.gov.cn/zwdt/", js), t0());
        assert!(d.list.script_list && d.list.items.is_empty());
    }

    #[test]
    fn hidden_links_and_document_write() {
        let html = r#"<html><head><style>.hd{position:absolute;left:-9999px}</style></head><body>
          <div style="display:none"><a href="http://bad.example/">娱乐城</a></div>
          <div class="hd"><a href="http://bad2.example/">六合彩</a></div><a href="/ok">正常</a>
          <form action="/search"><input name="q"></form></body></html>"#;
        let d = parse_page(&page("http://www.x.gov.cn/", html), t0());
        let hidden: Vec<_> = d.links.iter().filter(|l| l.hidden).map(|l| l.text.as_str()).collect();
        assert_eq!(hidden, vec!["娱乐城", "六合彩"]);
        assert!(d.has_search_form);
        let js = r#"document.write('<div class="foot">网站标识码：5101060001</div>');document.writeln("<p>蜀ICP备" + "12345678号</p>");"#;
        assert_eq!(
            document_write_html(js),
            "<div class=\"foot\">网站标识码：5101060001</div> <p>蜀ICP备12345678号</p> "
        );
    }

    #[test]
    fn breadcrumb_labels_are_not_part_of_the_trail() {
        assert_eq!(split_crumb("您当前的位置：首页>>政府信息公开>>公开指南"), vec!["首页", "政府信息公开", "公开指南"]);
        assert_eq!(split_crumb("位置：首页 » 政府信息公开"), vec!["首页", "政府信息公开"]);
    }

    #[test]
    fn deeply_nested_pages_do_not_exhaust_the_stack() {
        // 10,000 nested <div>s (and <li>s) in a thread with a small stack, as scoring threads have
        let mut html = String::from("<html><body><ul><li><a href=\"/a\">甲</a>");
        html.push_str(&"<div>".repeat(10_000));
        html.push_str("深处<a href=\"/deep\">乙</a>");
        html.push_str(&"</div>".repeat(10_000));
        html.push_str("</li></ul></body></html>");
        let d = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse_page(&page("http://www.x.gov.cn/", &html), t0()))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(d.unreadable.as_deref().is_some_and(|r| r.contains("嵌套")), "{:?}", d.unreadable);
        assert!(d.links.iter().any(|l| l.href.path() == "/a"));
    }

    #[test]
    fn conac_badge_snippet_is_unescaped() {
        let js = r#"document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//dcs.conac.cn/js/33/000/0000/40672315/CA330000000406723150002.js' type='text/javascript'%3E%3C/script%3E"));"#;
        let html = document_write_html(js);
        assert!(html.contains("<span id='_ideConac' ></span><script src='//dcs.conac.cn/js/"), "{html}");
        assert_eq!(js_unescape("%u4E2D%u6587%20ok"), "中文 ok");
        // a single-quoted literal holding a double quote, joined with +
        assert_eq!(document_write_html(r#"document.write('<a href="x">' + "备案</a>")"#), "<a href=\"x\">备案</a> ");
    }
}
