//! Holdout family: 南威-style Vue SSR portals. Extensionless URLs (`/channel/<seg>`, `?pageNum=2`, articles
//! `/channel/<seg>/<id>`), lists as `<section>` of `<article>` cards with `data-*` attributes and the date inside the
//! link (`2026.11.03`), navigation `<header><div role="navigation">`, pagers with query-only hrefs (`?pageNum=2`), the
//! 信息公开 platform a section of the city's shared host `xxgk.<city>.gov.cn/<unit>/`, cross-host links
//! protocol-relative (`//host/path`).

use super::common::{esc, R};
use super::holdout::H;
use super::model::*;
use crate::model::{Item, Place};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

fn col_base(s: &FSite, c: &FCol) -> String {
    match c.place {
        Place::Main => format!("/channel/{}", c.seg),
        Place::Platform => format!("{}{}", s.plat.prefix, c.seg),
    }
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    if page == 0 {
        col_base(s, c)
    } else {
        format!("{}?pageNum={}", col_base(s, c), page + 1)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    format!("{}/{}", col_base(s, c), it.id)
}

pub fn platform_path(s: &FSite) -> String {
    s.plat.prefix.clone()
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let path = col_path(r.s, c, page);
    let h = H::new(r, &path);
    let mut o = format!("<section class=\"nw-list\" data-channel=\"{}\" data-page=\"{}\">\n", c.key, page + 1);
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| format!("<time class=\"date\">{}</time>", h.date(d, it.id))).unwrap_or_default();
        let _ = writeln!(
            o,
            "<article class=\"card\" data-id=\"{}\" data-v-{:x}><a href=\"{}\" class=\"card-link\"><h3 class=\"card-title\">{}</h3>{date}</a></article>",
            it.id,
            r.s.unitid,
            h.art_href(c, it),
            esc(&it.title)
        );
    }
    o.push_str("</section>\n");
    let pages = super::layout::list_pages(r.s, c);
    if pages > 1 {
        o.push_str("<nav class=\"pagination\" aria-label=\"分页\">");
        for p in 0..pages {
            let href = if p == 0 { h.page_href(c, 0) } else { format!("?pageNum={}", p + 1) };
            if p == page {
                let _ = write!(o, "<span class=\"is-active\">{}</span>", p + 1);
            } else {
                let _ = write!(o, "<a href=\"{href}\">{}</a>", p + 1);
            }
        }
        o.push_str("</nav>\n");
    }
    o
}
