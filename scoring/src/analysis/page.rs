//! One archived page read once: metadata, visible text, links (with whether they are hidden or part of a navigation
//! menu), list items with their dates, forms, frames and scripts. Every later analysis works on these [`PageDoc`]s, so
//! the HTML of each page is parsed exactly once (scoring throughput, docs/rules.md benchmark).
//!
//! Lists are found the way an assessor reads a column page: the `<li>`/`<tr>` rows that carry a link, grouped by their
//! container, outside navigation, header, footer and side bars; items delivered in Hanweb `<script type="text/xml">`
//! record blocks are read too. A list loaded by script from a JSON endpoint has no items in the HTML: the page is marked
//! `script_list` so the finding can say the list could not be read instead of inventing dates.

use super::dates;
use crate::text::{collapse_ws, decode, name_key};
use chrono::NaiveDate;
use gongkai_archive::{CapturedPage, WarcRef};
use regex::Regex;
use scraper::Html;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use url::Url;
use walk::{elem_text, HiddenRules, Walker};

mod forms;
mod header;
mod links;
mod nav;
mod records;
mod script;
mod walk;

pub use header::{css_has_url, HeaderImages};
pub use script::{document_write_html, js_unescape};
pub use walk::MAX_DEPTH;

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
    /// Image-like elements (where they are, what they are named) and stylesheets, for the emblem check.
    pub header_images: HeaderImages,
    /// For a stylesheet (text/css, or a `.css` path): whether it references anything by `url()` other than a font.
    pub css_url: Option<bool>,
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

    /// The page has a navigation menu: a visible link inside navigation markup.
    pub fn has_menu(&self) -> bool {
        self.links.iter().any(|l| l.nav && !l.hidden)
    }

    /// The links of the page's menu: its visible navigation links; on a page without navigation markup, every visible
    /// link of its body (outside the footer), since any of them may be its menu.
    pub fn menu_links(&self) -> impl Iterator<Item = &Link> {
        let menu_less = !self.has_menu();
        self.links.iter().filter(move |l| !l.hidden && (l.nav || (menu_less && !l.footer)))
    }
}

static CREATE_PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"createPageHTML\(\s*'?(\d+)'?").unwrap());
static SCRIPT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\$\.(?:ajax|getJSON|get|post)\s*\(|\bfetch\s*\(|XMLHttpRequest|\.json["'?]"#).unwrap()
});

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
        header_images: HeaderImages::default(),
        css_url: None,
    };
    let is_css = page.header("content-type").is_some_and(|c| c.to_ascii_lowercase().contains("text/css"))
        || (!html_like && page.url.path().to_ascii_lowercase().ends_with(".css"));
    if is_css {
        doc.css_url = Some(css_has_url(&String::from_utf8_lossy(&page.body)));
    }
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
    let style_url = css_has_url(&css);
    let base = doc.url.clone();
    let mut w = Walker::new(&base, &rules);
    // <head> content (meta, title, scripts) is walked like the body; the match arm above never skips it.
    w.walk(html.root_element(), walk::Ctx::default(), None);
    let mut list = ListInfo::default();
    // Hanweb record blocks
    list.items = records::xml_records(&w.xml_blocks, &base, t0);
    list.from_records = !list.items.is_empty();
    if !list.from_records {
        // the main list is the one with most dated rows, else the longest
        let groups = records::row_groups(&html, &mut w.rows, &base, t0);
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
    doc.header_images = w.header_images;
    doc.header_images.style_url = style_url;
    if w.truncated {
        doc.unreadable = Some(format!("页面元素嵌套超过 {MAX_DEPTH} 层，更深的内容未读取"));
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
}
