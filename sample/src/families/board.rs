//! Generic modern portals whose 网上咨询/县长信箱 boards carry the message-board variants: `/<seg>/index.shtml`
//! (`index_M.shtml`), articles `/<seg>/YYYYMM/tYYYYMMDD_N.shtml`, message detail pages `/<seg>/detail.shtml?id=N`.

use super::common::R;
use super::model::*;
use crate::model::{Category, Item};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
    let p = s.base(c.place).1;
    if page == 0 {
        format!("{p}{}/index.shtml", c.seg)
    } else {
        format!("{p}{}/index_{page}.shtml", c.seg)
    }
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    let p = s.base(c.place).1;
    if c.category == Category::Consultation {
        return format!("{p}{}/detail.shtml?id={}", c.seg, it.id);
    }
    match it.date {
        Some(d) => format!("{p}{}/{}/t{}_{}.shtml", c.seg, d.format("%Y%m"), d.format("%Y%m%d"), it.id),
        None => format!("{p}{}/art_{}.shtml", c.seg, it.id),
    }
}

pub fn platform_path(s: &FSite) -> String {
    match s.plat.kind {
        PlatKind::Opaque => format!("/c{}/index.shtml", s.plat.pid),
        _ => format!("{}index.shtml", s.plat.prefix),
    }
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    let mut h = format!("<ul class=\"list-{}\">\n", r.s.cls);
    for it in r.page_items(c, page) {
        h.push_str(&r.item_li(c, it));
    }
    h.push_str("</ul>\n");
    h.push_str(&r.pager(c, page));
    let _ = write!(h, "");
    h
}
