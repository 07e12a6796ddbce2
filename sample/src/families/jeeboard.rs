//! Holdout family: JEECMS portals with a 留言 board. Columns `/<seg>/index.jhtml` (`index_2.jhtml`), articles
//! `/<seg>/<id>.jhtml`, home `/index.jhtml`; the board lists messages with a 状态 column, each message at
//! `/guestbook/detail.jspx?id=N` with 留言时间 / 答复时间 in a `<dl>` or a two-column th/td table, and some answers on
//! a separate 答复 page `/guestbook/reply.jspx?id=N` linked from the detail page.

use super::common::{esc, R};
use super::holdout::H;
use super::model::*;
use crate::model::{Category, Item, ItemExtra};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/index.jhtml".into()
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    let p = s.base(c.place).1;
    if page == 0 {
        format!("{p}{}/index.jhtml", c.seg)
    } else {
        format!("{p}{}/index_{}.jhtml", c.seg, page + 1)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    let p = s.base(c.place).1;
    if c.category == Category::Consultation {
        return format!("{p}guestbook/detail.jspx?id={}", it.id);
    }
    format!("{p}{}/{}.jhtml", c.seg, it.id)
}

pub fn platform_path(s: &FSite) -> String {
    match s.plat.kind {
        PlatKind::Opaque => format!("/gk_{}/index.jhtml", s.plat.pid),
        _ => format!("{}index.jhtml", s.plat.prefix),
    }
}

/// Whether a message's answer sits on its own 答复 page.
pub fn reply_apart(it: &Item) -> bool {
    matches!(it.extra, ItemExtra::Message { replied: Some(_), .. }) && it.id % 2 == 0
}

pub fn reply_path(s: &FSite, c: &FCol, it: &Item) -> String {
    format!("{}guestbook/reply.jspx?id={}", s.base(c.place).1, it.id)
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let path = col_path(r.s, c, page);
    let h = H::new(r, &path);
    let mut o = String::from("<ol class=\"jc-list\">\n");
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| format!("<b class=\"jc-time\">{}</b>", h.date(d, it.id))).unwrap_or_default();
        let _ =
            writeln!(o, "<li><i class=\"dot\"></i><a href=\"{}\">{}</a>{date}</li>", h.art_href(c, it), esc(&it.title));
    }
    o.push_str("</ol>\n");
    let pages = super::layout::list_pages(r.s, c);
    if pages > 1 {
        let _ = write!(o, "<div class=\"jc-pager\">第{}页 / 共{pages}页 ", page + 1);
        for (lbl, p) in
            [("首页", 0), ("上页", page.saturating_sub(1)), ("下页", (page + 1).min(pages - 1)), ("末页", pages - 1)]
        {
            if p == page {
                let _ = write!(o, "<span>{lbl}</span> ");
            } else {
                let _ = write!(o, "<a href=\"{}\">{lbl}</a> ", h.page_href(c, p));
            }
        }
        o.push_str("</div>\n");
    }
    o
}
