//! 开普云/方正-style portals: `/col/col_N/index.html` (`index_M.html`), articles `/art/YYYY/M/D/art_N_M.html`, the
//! 政府信息公开 platform a section under opaque column ids.

use super::common::{esc, R};
use super::model::*;
use crate::model::Item;
use chrono::Datelike;
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    let p = s.base(c.place).1;
    if page == 0 {
        format!("{p}col/col_{}/index.html", c.key)
    } else {
        format!("{p}col/col_{}/index_{}.html", c.key, page + 1)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    let p = s.base(c.place).1;
    match it.date {
        Some(d) => format!("{p}art/{}/{}/{}/art_{}_{}.html", d.year(), d.month(), d.day(), c.key, it.id),
        None => format!("{p}art/art_{}_{}.html", c.key, it.id),
    }
}

pub fn platform_path(s: &FSite) -> String {
    format!("{}col/col_{}/index.html", s.plat.prefix, s.plat.pid)
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let mut h = format!("<div class=\"{}-list\">\n", r.s.cls);
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| format!("<span class=\"time\">{}</span>", r.date(d, it.id))).unwrap_or_default();
        let _ = writeln!(
            h,
            "<div class=\"list-item\"><a href=\"{}\" title=\"{}\">{}</a>{date}</div>",
            r.art_href(c, it),
            esc(&it.title),
            esc(&it.title)
        );
    }
    h.push_str("</div>\n");
    h.push_str(&r.pager(c, page));
    h
}
