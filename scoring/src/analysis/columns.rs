//! Finding every column of a site and giving it a category (DOMAIN.md "Columns"), the way an assessor reads a site:
//!
//! 1. the home page's main navigation and the first level of the 政府信息公开 platform's tree give the first-level
//!    columns (the platform may live on another host: `platform` in sites.toml, else the home page's link to it);
//! 2. every archived column page names itself in `<meta name="ColumnName">` (articles, which carry `ArticleTitle` or a
//!    dated URL, are not columns; later pages of a paginated list belong to their first page);
//! 3. links whose text is a known column name on the home page and on container pages (法定主动公开内容) add
//!    sub-columns, including entries to other hosts (办事服务) and links that end on an error page (a blank column);
//! 4. the category comes from the rubric's synonym table: an exact name, then a name pattern, then a URL path segment.
//!
//! Columns are keyed by their canonical URL after redirects, so one column linked three ways is one column.

use super::page::PageDoc;
use crate::text::name_key;
use gongkai_config::{Category, Rubric};
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// Names under which a site links its 政府信息公开 platform (the platform itself is not a column).
pub const PLATFORM_NAMES: [&str; 5] = ["政府信息公开", "信息公开", "政务公开", "政府信息公开专栏", "信息公开专栏"];

static PAGINATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(?:index|list|default)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$").unwrap());
static LATER_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(?:index|list|default)_\d+\.(?:s?html?|jsp|php|aspx?)$").unwrap());

/// The URL a column is known by: fragment and query dropped, `index.html`, `index_2.html`, `list_3.html` folded into
/// their directory.
pub fn canonical(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    u.set_query(None);
    let path = u.path().to_string();
    if let Some(m) = PAGINATED.find(&path) {
        let dir = &path[..m.start() + 1];
        u.set_path(dir);
    }
    u.to_string()
}

/// A later page of a paginated list (`index_1.html`, `list_2.html`).
pub fn is_later_page(u: &Url) -> bool {
    LATER_PAGE.is_match(u.path())
}

/// Category of a column by name (exact, then pattern) and then by URL path segment.
pub fn categorize<'r>(rubric: &'r Rubric, name: &str, url: Option<&Url>) -> Option<&'r Category> {
    let key = name_key(name);
    if !key.is_empty() {
        if let Some(c) = rubric.categorize_name(&key) {
            return Some(c);
        }
        // A name that some category excludes (网上信访) never falls back to its URL.
        if rubric.categories.iter().any(|c| excluded(c, &key)) {
            return None;
        }
    }
    let url = url?;
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    segs.iter().rev().find_map(|seg| rubric.categorize_url_segment(seg))
}

fn excluded(c: &Category, key: &str) -> bool {
    c.exclude.iter().any(|x| key.contains(x.as_str()))
}

/// Whether a link text names the platform.
pub fn is_platform_name(text: &str) -> bool {
    let k = name_key(text);
    PLATFORM_NAMES.iter().any(|n| *n == k)
}

/// Whether `u` lies under `root` (same host, path prefix).
pub fn under(u: &Url, root: &Url) -> bool {
    u.host_str() == root.host_str()
        && u.port_or_known_default() == root.port_or_known_default()
        && u.path().starts_with(root.path())
}

/// Is this page a column page (not an article, not the platform's own index)?
pub fn is_column_page(doc: &PageDoc) -> bool {
    doc.is_html && !doc.is_article() && doc.meta("ColumnName").is_some_and(|n| !is_platform_name(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls() {
        let u = |s| Url::parse(s).unwrap();
        assert_eq!(canonical(&u("http://a.gov.cn/tzgg/index_2.html")), "http://a.gov.cn/tzgg/");
        assert_eq!(canonical(&u("http://a.gov.cn/col/col12/index.html?x=1#a")), "http://a.gov.cn/col/col12/");
        assert_eq!(canonical(&u("http://a.gov.cn/tzgg/list_3.html")), "http://a.gov.cn/tzgg/");
        assert_eq!(canonical(&u("http://a.gov.cn/tzgg/t20260101_1.html")), "http://a.gov.cn/tzgg/t20260101_1.html");
        assert!(is_later_page(&u("http://a.gov.cn/tzgg/index_1.html")));
        assert!(!is_later_page(&u("http://a.gov.cn/tzgg/index.html")));
    }

    #[test]
    fn category_matching_follows_the_rubric_table() {
        let r = Rubric::default_rubric();
        let cat = |n: &str, u: Option<&str>| {
            let url = u.map(|s| Url::parse(s).unwrap());
            categorize(&r, n, url.as_ref()).map(|c| c.id.clone())
        };
        assert_eq!(cat("通知公告", None).as_deref(), Some("notice"));
        assert_eq!(cat("公示公告", None).as_deref(), Some("notice"));
        assert_eq!(cat("政 策 解 读", None).as_deref(), Some("interpretation"));
        assert_eq!(cat("临江要闻", None).as_deref(), Some("news"));
        assert_eq!(cat("走进临江", None).as_deref(), Some("overview"));
        assert_eq!(cat("区长信箱", None).as_deref(), Some("consultation"));
        assert_eq!(cat("政府信息公开年报", None).as_deref(), Some("annual_report"));
        assert_eq!(cat("政府信息公开指南", None).as_deref(), Some("guide"));
        // 信访 is not 政务咨询, even on a URL that looks like one
        assert_eq!(cat("网上信访", Some("http://a.gov.cn/zwzx/")), None);
        assert_eq!(cat("县长信箱（信访）", None), None);
        // URL segment when the name says nothing
        assert_eq!(cat("栏目", Some("http://a.gov.cn/xxgk/tzgg/")).as_deref(), Some("notice"));
        assert_eq!(cat("行政处罚", Some("http://a.gov.cn/xxgk/xzcf/")), None);
    }
}
