//! Holdout family: PHPCMS v9 sites. Lists `index.php?m=content&c=index&a=lists&catid=N` (`&page=M`), articles
//! `index.php?m=content&c=index&a=show&catid=N&id=M`, hrefs HTML-escaped (`&amp;`), lists as `<dl><dt>` title
//! `<dd><em>` date, on most sites the date as `11-03` with its year only in a list header (`<h4>2026年</h4>`).

use super::common::{esc, R};
use super::holdout::H;
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
        format!("{p}index.php?m=content&c=index&a=lists&catid={}", c.key)
    } else {
        format!("{p}index.php?m=content&c=index&a=lists&catid={}&page={}", c.key, page + 1)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    format!("{}index.php?m=content&c=index&a=show&catid={}&id={}", s.base(c.place).1, c.key, it.id)
}

pub fn platform_path(s: &FSite) -> String {
    format!("{}index.php?m=content&c=index&a=lists&catid={}", s.plat.prefix, s.plat.pid)
}

/// Whether lists print `MM-DD` under a year header (else the full date in the `<em>`).
pub fn year_headers(s: &FSite) -> bool {
    s.unitid % 3 != 0
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let path = col_path(r.s, c, page);
    let h = H::new(r, &path);
    let mut o = String::from("<div class=\"catlist\">\n");
    let mut year = None;
    let mut open = false;
    for it in r.page_items(c, page) {
        if year_headers(r.s) {
            if let Some(d) = it.date {
                if year != Some(d.year()) {
                    if open {
                        o.push_str("</dl>\n");
                    }
                    let _ = writeln!(o, "<h4 class=\"list-year\">{}年</h4>", d.year());
                    o.push_str("<dl>\n");
                    open = true;
                    year = Some(d.year());
                }
            }
        }
        if !open {
            o.push_str("<dl>\n");
            open = true;
        }
        let date = match it.date {
            Some(d) if year_headers(r.s) => format!("<dd><em>{}</em></dd>", d.format("%m-%d")),
            Some(d) => format!("<dd><em>{}</em></dd>", h.date(d, it.id)),
            None => String::new(),
        };
        let _ =
            writeln!(o, "<dt><a href=\"{}\" target=\"_blank\">{}</a></dt>{date}", h.art_href(c, it), esc(&it.title));
    }
    if open {
        o.push_str("</dl>\n");
    }
    o.push_str("</div>\n");
    let pages = super::layout::list_pages(r.s, c);
    if pages > 1 {
        let _ = write!(o, "<div id=\"pages\" class=\"text-c\"><a class=\"a1\">{}条</a> ", c.items.len());
        if page > 0 {
            let _ = write!(o, "<a href=\"{}\" class=\"a1\">上一页</a> ", h.page_href(c, page - 1));
        }
        for p in 0..pages {
            if p == page {
                let _ = write!(o, "<span>{}</span> ", p + 1);
            } else {
                let _ = write!(o, "<a href=\"{}\">{}</a> ", h.page_href(c, p), p + 1);
            }
        }
        if page + 1 < pages {
            let _ = write!(o, "<a href=\"{}\" class=\"a1\">下一页</a>", h.page_href(c, page + 1));
        }
        o.push_str("</div>\n");
    }
    o
}
