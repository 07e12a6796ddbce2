//! What each archived page is — home, list (column) page, article or other detail page, message detail, single-page
//! column, error, redirect or non-HTML resource — read from the page's structure and its place in the site, never
//! from one generator's templates.
//!
//! Why: a column is a page the site presents as a section; a detail page (an article, one message of a message board)
//! is not, even when its CMS stamps `<meta name="ColumnName">` on it. Taking detail pages for columns turned every
//! message of a board into a blank "网上咨询" column and black-listed good sites. The signals, strongest first:
//!
//! 1. the CMS's own article markers: `ArticleTitle`/`PubDate` meta, a publication date in the URL;
//! 2. a message's own labels: a posting label (留言时间 …) and a reply label (回复 …) on a page without a list;
//! 3. the repeated records of list pages: a page that another list page links as one of its dated items is a detail
//!    page, unless it holds a list itself or is linked from the navigation as a column (the undated links of a
//!    container are its sub-columns);
//! 4. article markers in the text: a 发布时间/发布日期 label with a date, 来源/作者/浏览次数 labels;
//! 5. a list of records (rows with links, records in script data blocks, a list loaded by script), or a short page
//!    saying it has none yet (暂无信息), makes a list page.
//!
//! ```text
//! /hudong/zx/index.asp          list of messages           → List
//! /hudong/zx/show.asp?id=17     留言时间 … 回复内容 …         → Message (not a column)
//! /Article/ShowArticle.asp?ArticleID=5   linked as an item  → Article
//! /xxgk/zn/                     linked from the platform tree, text only → Single
//! ```

use super::dates;
use super::messages::{POSTED, REPLIED};
use super::page::PageDoc;
use std::collections::HashMap;

/// The kind of one archived page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// A list of dated (or undated) records: a column page, or a later page of one.
    List,
    /// An article or any other detail page reached as an item of a list.
    Article,
    /// One message of a message board (question, posting date, reply).
    Message,
    /// A page of text that is not an item of a list (指南, 概况) — a single-page column when a column link leads to it.
    Single,
    /// A 4xx/5xx answer.
    Error,
    Redirect,
    /// Not HTML (scripts, JSON, images, robots.txt).
    Resource,
}

impl PageKind {
    /// Can this page be a column page?
    pub fn is_column(self) -> bool {
        matches!(self, PageKind::List | PageKind::Single)
    }

    /// A detail page (article or message): never a column.
    pub fn is_detail(self) -> bool {
        matches!(self, PageKind::Article | PageKind::Message)
    }
}

const ARTICLE_LABELS: [&str; 8] =
    ["文章来源", "信息来源", "来源：", "作者：", "浏览次数", "点击数", "阅读次数", "访问次数"];

/// Does the text carry an article's label block (a 发布时间 date, 来源, 作者, 浏览次数)?
pub fn has_article_markers(d: &PageDoc) -> bool {
    dates::labelled_date(&d.main_text, &["发布时间", "发布日期", "发文日期", "更新时间"]).is_some()
        || ARTICLE_LABELS.iter().any(|l| d.main_text.contains(l))
}

/// Does the page show one message with its reply (a message board's detail page)?
pub fn is_message_page(d: &PageDoc) -> bool {
    d.list.items.len() < 3
        && POSTED.iter().any(|l| d.text.contains(l))
        && (REPLIED.iter().any(|l| d.text.contains(l))
            || ["回复内容", "答复内容", "办理结果", "回复单位", "答复单位"].iter().any(|l| d.text.contains(l)))
}

/// A list of records on the page.
fn has_list(d: &PageDoc) -> bool {
    d.list.items.len() >= 2 || d.list.from_records || d.list.script_list || d.list.script_pages.is_some() || d.list.api
}

/// A short page that only says there is nothing yet (暂无信息): an empty list.
fn shows_placeholder(d: &PageDoc, placeholders: &[&str]) -> bool {
    d.main_text.chars().count() < 200 && placeholders.iter().any(|w| d.main_text.contains(w))
}

/// Classify every page. `nav_targets[i]` tells whether page `i` is linked from a navigation menu of the site (such
/// a page is a column even when it has no list); `home` is the home page's index.
pub fn classify(
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    home: Option<usize>,
    nav_targets: &[bool],
    placeholders: &[&str],
) -> Vec<PageKind> {
    // pages linked as one of the repeated items of another page's list (home page blocks excluded: a home page lists
    // columns as well as news)
    // Only a list with dates is a list of records: an undated list of links is as often a container listing its
    // sub-columns (法定主动公开内容 → 机构职能, 财政预决算 …), whose targets are columns, not details.
    let mut item_target = vec![false; docs.len()];
    let mut undated_target = vec![false; docs.len()];
    for (i, d) in docs.iter().enumerate() {
        if Some(i) == home || !d.ok() || d.list.items.len() < 2 {
            continue;
        }
        let dated = d.list.items.iter().any(|it| it.date.is_some());
        for it in &d.list.items {
            if let Some(&j) = it.url.as_ref().and_then(|u| index.get(u.as_str())) {
                if j != i {
                    if dated {
                        item_target[j] = true;
                    } else {
                        undated_target[j] = true;
                    }
                }
            }
        }
    }
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            if !d.is_html && d.ok() {
                PageKind::Resource
            } else if (300..400).contains(&d.status) {
                PageKind::Redirect
            } else if !d.ok() {
                PageKind::Error
            } else if !d.is_html {
                PageKind::Resource
            } else if Some(i) == home {
                PageKind::Home
            } else if d.is_article() {
                PageKind::Article
            } else if is_message_page(d) && !nav_targets[i] {
                PageKind::Message
            } else if !nav_targets[i]
                && has_article_markers(d)
                && (item_target[i] || (undated_target[i] && !has_list(d)))
            {
                PageKind::Article
            } else if has_list(d) || shows_placeholder(d, placeholders) {
                PageKind::List
            } else if item_target[i] && !nav_targets[i] && d.meta("ColumnName").is_none() {
                PageKind::Article
            } else {
                PageKind::Single
            }
        })
        .collect()
}
