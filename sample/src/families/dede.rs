//! DedeCMS/织梦 sites: `/a/<column>/`, `list_<tid>_<page>.html`, articles `/a/<column>/2026/1103/NNN.html`, some
//! columns linked as `/plus/list.php?tid=N` (`&PageNo=M`).

use super::common::R;
use super::model::*;
use crate::model::Item;
use chrono::Datelike;
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    let p = s.base(c.place).1;
    match (c.via_plus, page) {
        (true, 0) => format!("{p}plus/list.php?tid={}", c.key),
        (true, n) => format!("{p}plus/list.php?tid={}&PageNo={}", c.key, n + 1),
        (false, 0) => format!("{p}a/{}/", c.seg),
        (false, n) => format!("{p}a/{}/list_{}_{}.html", c.seg, c.key, n + 1),
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    let p = s.base(c.place).1;
    match it.date {
        Some(d) => format!("{p}a/{}/{}/{:02}{:02}/{}.html", c.seg, d.year(), d.month(), d.day(), it.id),
        None => format!("{p}a/{}/{}.html", c.seg, it.id),
    }
}

pub fn platform_path(s: &FSite) -> String {
    match s.plat.kind {
        PlatKind::Opaque => format!("/plus/list.php?tid={}", s.plat.pid),
        _ => s.plat.prefix.clone(),
    }
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let mut h = String::from("<ul class=\"e2\">\n");
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| format!("<span class=\"info\">{}</span>", r.date(d, it.id))).unwrap_or_default();
        let _ = writeln!(
            h,
            "<li><a href=\"{}\" class=\"title\">{}</a>{date}</li>",
            r.art_href(c, it),
            super::common::esc(&it.title)
        );
    }
    h.push_str("</ul>\n");
    let pages = super::layout::list_pages(r.s, c);
    if pages > 1 {
        let rel = |p: usize| {
            if c.via_plus {
                r.page_href(c, p)
            } else if p == 0 {
                r.page_href(c, 0)
            } else {
                format!("list_{}_{}.html", c.key, p + 1)
            }
        };
        let _ = write!(h, "<div class=\"dede_pages\"><ul class=\"pagelist\"><li><span class=\"pageinfo\">共 <strong>{pages}</strong>页<strong>{}</strong>条</span></li>", c.items.len());
        for p in 0..pages {
            if p == page {
                let _ = write!(h, "<li class=\"thisclass\">{}</li>", p + 1);
            } else {
                let _ = write!(h, "<li><a href='{}'>{}</a></li>", rel(p), p + 1);
            }
        }
        if page + 1 < pages {
            let _ = write!(h, "<li><a href='{}'>下一页</a></li>", rel(page + 1));
        }
        h.push_str("</ul></div>\n");
    }
    h
}
