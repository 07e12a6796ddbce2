//! Holdout family: TRS WCM sites. Columns `/<group>/<seg>/index.html` (the 信息公开 platform `/xxgk/<seg>/index.html`),
//! later pages `index_1.html`, `index_2.html` … written only by `createPageHTML(total, current, "index", "html")`,
//! articles linked relatively as `./202611/t20261103_123456.html` (every same-host link is relative: `./`, `../`),
//! GBK common, lists as `<ul>` with the date in a `<span>` before the title, breadcrumbs with `&gt;&gt;`.

use super::common::{esc, R};
use super::holdout::H;
use super::model::*;
use crate::model::{Category, Item, Place};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

/// Directory of a column (ends in `/`).
pub fn col_dir(s: &FSite, c: &FCol) -> String {
    match c.place {
        Place::Platform => format!("{}{}/", s.plat.prefix, c.seg),
        Place::Main => {
            let group = match c.category {
                Category::Consultation | Category::Collection | Category::Interview => "hdjl",
                Category::ServiceStats => "bsfw",
                _ => "xwzx",
            };
            format!("/{group}/{}/", c.seg)
        }
    }
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    if page == 0 {
        format!("{}index.html", col_dir(s, c))
    } else {
        format!("{}index_{page}.html", col_dir(s, c))
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    match it.date {
        Some(d) => format!("{}{}/t{}_{}.html", col_dir(s, c), d.format("%Y%m"), d.format("%Y%m%d"), it.id),
        None => format!("{}c{}/content.html", col_dir(s, c), it.id),
    }
}

pub fn platform_path(s: &FSite) -> String {
    format!("{}index.html", s.plat.prefix)
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let path = col_path(r.s, c, page);
    let h = H::new(r, &path);
    let cls = ["list_con", "gl-list", "xxgk_list", "news_list"][(h.v() % 4) as usize];
    let mut o = format!("<ul class=\"{cls}\">\n");
    for it in r.page_items(c, page) {
        let date = it.date.map(|d| format!("<span>{}</span>", h.date(d, it.id))).unwrap_or_default();
        let _ = writeln!(
            o,
            "<li>{date}<a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a></li>",
            h.art_href(c, it),
            esc(&it.title),
            esc(&it.title)
        );
    }
    o.push_str("</ul>\n");
    let pages = super::layout::list_pages(r.s, c);
    let call = if h.v() % 2 == 0 {
        format!("createPageHTML({pages}, {page}, \"index\", \"html\");")
    } else {
        format!("createPageHTML({pages},{page},\"index\",\"html\");")
    };
    let _ = writeln!(o, "<div class=\"page\"><script type=\"text/javascript\">{call}</script></div>");
    o
}
