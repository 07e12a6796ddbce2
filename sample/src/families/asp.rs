//! 动易/PowerEasy-style ASP sites: `index.asp`, `Article/ShowClass.asp?ClassID=N(&page=M)`,
//! `Article/ShowArticle.asp?ArticleID=N`, nested tables, GBK, no `<meta name="ColumnName">`.

use super::common::{esc, R};
use super::model::*;
use crate::model::{Item, Place};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/index.asp".into()
}

fn prefix<'a>(s: &'a FSite, c: &FCol) -> &'a str {
    s.base(c.place).1
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    let p = prefix(s, c);
    if page == 0 {
        format!("{p}Article/ShowClass.asp?ClassID={}", c.key)
    } else {
        format!("{p}Article/ShowClass.asp?ClassID={}&page={}", c.key, page + 1)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    format!("{}Article/ShowArticle.asp?ArticleID={}", prefix(s, c), it.id)
}

pub fn platform_path(s: &FSite) -> String {
    match s.plat.kind {
        PlatKind::Opaque => format!("/Article/ShowClass.asp?ClassID={}", s.plat.pid),
        _ => format!("{}index.asp", s.plat.prefix),
    }
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let mut h =
        format!("<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" class=\"{}_list\">\n", r.s.cls);
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| r.date(d, it.id)).unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td class=\"listtitle\" height=\"25\"><img src=\"/images/arrow.gif\" border=\"0\"> <a href=\"{}\" title=\"{}\" target=\"_blank\">{}</a></td><td class=\"listdate\" align=\"right\" width=\"120\">{date}</td></tr>",
            r.art_href(c, it),
            esc(&it.title),
            esc(&it.title)
        );
    }
    h.push_str("</table>\n");
    let pages = super::layout::list_pages(r.s, c);
    if pages > 1 {
        let _ = write!(
            h,
            "<table width=\"100%\"><tr><td align=\"center\">共 <b>{}</b> 篇文章 页次：<b>{}</b>/{}页 ",
            c.items.len(),
            page + 1,
            pages
        );
        if page > 0 {
            let _ = write!(
                h,
                "<a href=\"{}\">首页</a> <a href=\"{}\">上一页</a> ",
                r.page_href(c, 0),
                r.page_href(c, page - 1)
            );
        } else {
            h.push_str("首页 上一页 ");
        }
        if page + 1 < pages {
            let _ = write!(
                h,
                "<a href=\"{}\">下一页</a> <a href=\"{}\">尾页</a>",
                r.page_href(c, page + 1),
                r.page_href(c, pages - 1)
            );
        } else {
            h.push_str("下一页 尾页");
        }
        h.push_str("</td></tr></table>\n");
    }
    let _ = c.place == Place::Main;
    h
}
