//! Finding every column of a site and giving it a category (docs/site-understanding.md "Columns"), the way an assessor reads a site:
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
/// DedeCMS lists: `list_<typeid>_<page>.html`.
static DEDE_LIST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/list_(\d+)_(\d+)\.html?$").unwrap());

/// Query parameters that page through a list or only track the visitor: they never tell one column from another.
const PAGING_PARAMS: [&str; 22] = [
    "page",
    "p",
    "pn",
    "pg",
    "pageno",
    "pagenum",
    "pageindex",
    "pagesize",
    "curpage",
    "currentpage",
    "cpage",
    "start",
    "startrecord",
    "endrecord",
    "perpage",
    "offset",
    "limit",
    "size",
    "uid",
    "from",
    "spm",
    "t",
];

/// A query parameter that names a page (`ClassID`, `catid`, `tid`, PHPCMS `m`/`c`/`a`), as opposed to one that pages,
/// tracks or means nothing to the column's identity.
fn id_param(name: &str) -> bool {
    const NAMES: [&str; 16] = [
        "tid", "cat", "col", "column", "lm", "lanmu", "channel", "node", "sort", "type", "class", "category", "m", "c",
        "a", "ac",
    ];
    let n = name.to_ascii_lowercase();
    if PAGING_PARAMS.contains(&n.as_str()) || n.starts_with("utm_") {
        return false;
    }
    n.contains("id") || NAMES.contains(&n.as_str())
}

/// The URL a column is known by: fragment dropped, `index.html`, `index_2.html`, `list_3.html` folded into their
/// directory, DedeCMS `list_12_3.html` into `list_12`, and the query kept only for the parameters that name the page
/// (`ShowClass.asp?ClassID=3&page=2` → `ShowClass.asp?classid=3`; paging, tracking and other parameters dropped), so that
/// the columns of a site that tells them apart by an id in the query stay apart.
pub fn canonical(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    let mut ids: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, v)| id_param(k) && !v.is_empty())
        .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        u.set_query(None);
    } else {
        let q: Vec<String> = ids.iter().map(|(k, v)| format!("{k}={v}")).collect();
        u.set_query(Some(&q.join("&")));
    }
    let path = u.path().to_string();
    if let Some(m) = DEDE_LIST.captures(&path) {
        let dir = format!("{}list_{}", &path[..m.get(0).unwrap().start() + 1], &m[1]);
        u.set_path(&dir);
    } else if let Some(m) = PAGINATED.find(&path) {
        let dir = &path[..m.start() + 1];
        u.set_path(dir);
    }
    u.to_string()
}

/// A later page of a paginated list (`index_1.html`, `list_2.html`, `list_12_3.html`, `?page=2`).
pub fn is_later_page(u: &Url) -> bool {
    if LATER_PAGE.is_match(u.path()) {
        return true;
    }
    if DEDE_LIST.captures(u.path()).is_some_and(|m| m.get(2).is_some_and(|p| p.as_str() != "1")) {
        return true;
    }
    u.query_pairs().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        matches!(
            k.as_str(),
            "page" | "p" | "pn" | "pg" | "pageno" | "pagenum" | "pageindex" | "curpage" | "currentpage" | "cpage"
        ) && v.parse::<u32>().is_ok_and(|n| n > 1)
    })
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

/// Whether `u` lies under `root`: same host and under the root's directory (`/xxgk/index.html` → `/xxgk/`). A root
/// told apart by an id in its query (`list.php?tid=537`) has no directory of its own: only that page is under it.
pub fn under(u: &Url, root: &Url) -> bool {
    if u.host_str() != root.host_str() || u.port_or_known_default() != root.port_or_known_default() {
        return false;
    }
    let rc = canonical(root);
    if rc.contains('?') {
        return canonical(u) == rc;
    }
    let rp = root.path();
    let dir = &rp[..rp.rfind('/').map_or(0, |i| i + 1)];
    if dir.len() <= 1 {
        // a root at the top of the host (`/xxgk.html`): only what starts with its own path
        return u.path().starts_with(rp);
    }
    u.path().starts_with(dir)
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
    fn columns_told_apart_by_an_id_in_the_query_stay_apart() {
        let u = |s| Url::parse(s).unwrap();
        let a = canonical(&u("http://a.gov.cn/Article/ShowClass.asp?ClassID=3"));
        let b = canonical(&u("http://a.gov.cn/Article/ShowClass.asp?ClassID=4"));
        assert_ne!(a, b);
        assert_eq!(a, "http://a.gov.cn/Article/ShowClass.asp?classid=3");
        assert_eq!(canonical(&u("http://a.gov.cn/Article/ShowClass.asp?page=2&ClassID=3")), a);
        assert!(is_later_page(&u("http://a.gov.cn/Article/ShowClass.asp?ClassID=3&page=2")));
        assert!(!is_later_page(&u("http://a.gov.cn/Article/ShowClass.asp?ClassID=3&page=1")));
        // DedeCMS: list_<typeid>_<page>.html
        assert_eq!(
            canonical(&u("http://a.gov.cn/a/tzgg/list_5_2.html")),
            canonical(&u("http://a.gov.cn/a/tzgg/list_5_1.html"))
        );
        assert!(is_later_page(&u("http://a.gov.cn/a/tzgg/list_5_2.html")));
        assert!(!is_later_page(&u("http://a.gov.cn/a/tzgg/list_5_1.html")));
        // what lies under a platform root
        let root = u("http://a.gov.cn/xxgk/index.html");
        assert!(under(&u("http://a.gov.cn/xxgk/zn/"), &root));
        assert!(!under(&u("http://a.gov.cn/zwdt/"), &root));
        let q = u("http://a.gov.cn/plus/list.php?tid=537");
        assert!(!under(&u("http://a.gov.cn/plus/list.php?tid=38"), &q));
        assert!(under(&u("http://a.gov.cn/plus/list.php?tid=537&page=2"), &q));
        assert!(!under(&u("http://a.gov.cn/zwdt/"), &u("http://a.gov.cn/xxgk.html")));
        // Hanweb paging ids are not column ids
        assert_eq!(
            canonical(&u("http://a.gov.cn/col/col12/index.html?uid=345&pageNum=2")),
            "http://a.gov.cn/col/col12/"
        );
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
