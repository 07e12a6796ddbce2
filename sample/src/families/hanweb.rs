//! 大汉 jcms sites: `/col/colNNNN/index.html`, the first page's records inline in `<script type="text/xml">`
//! datastores, later records from `/module/web/jpage/dataproxy.jsp?page=N&…` (GET), articles
//! `/art/2026/11/3/art_C_N.html`.

use super::common::R;
use super::model::*;
use crate::model::Item;
use chrono::Datelike;
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

pub fn col_path(s: &FSite, c: &FCol, _page: usize) -> String {
    format!("{}col/col{}/index.html", s.base(c.place).1, c.key)
}

pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
    let p = s.base(c.place).1;
    match it.date {
        Some(d) => format!("{p}art/{}/{}/{}/art_{}_{}.html", d.year(), d.month(), d.day(), c.key, it.id),
        None => format!("{p}art/art_{}_{}.html", c.key, it.id),
    }
}

pub fn platform_path(s: &FSite) -> String {
    format!("{}col/col{}/index.html", s.plat.prefix, s.plat.pid)
}

/// Path and query of dataproxy page `page` (1 = the records after the inline first page).
pub fn dataproxy_path(s: &FSite, c: &FCol, page: usize) -> String {
    let webname: String = url::form_urlencoded::byte_serialize(s.name.as_bytes()).collect();
    format!(
        "{}module/web/jpage/dataproxy.jsp?page={page}&appid=1&webid={}&path=/&columnid={}&unitid={}&webname={webname}&permissiontype=0",
        s.base(c.place).1,
        s.webid,
        c.key,
        s.unitid
    )
}

/// Number of dataproxy pages a column has (at least 1: the nextgroup link always exists).
pub fn dataproxy_pages(s: &FSite, c: &FCol) -> usize {
    let rest = c.items.len().saturating_sub(s.page_size);
    rest.div_ceil(s.page_size).max(1)
}

fn records(r: &R, c: &FCol, items: &[Item]) -> String {
    let mut h = String::new();
    for it in items {
        let _ = writeln!(h, "<record><![CDATA[\n{}]]></record>", r.item_li(c, it).trim_end());
    }
    h
}

pub fn list_body(r: &R, c: &FCol, _page: usize) -> String {
    let s = r.s;
    let first = &c.items[..c.items.len().min(s.page_size)];
    format!(
        "<div id=\"{}\"><script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"{}\"></a>]]></nextgroup><recordset>\n{}</recordset></datastore></script></div>\n",
        s.unitid,
        dataproxy_path(s, c, 1),
        records(r, c, first)
    )
}

/// The XML answer of dataproxy page `page` (1-based).
pub fn dataproxy(r: &R, c: &FCol, page: usize) -> String {
    let s = r.s;
    let start = (s.page_size * page).min(c.items.len());
    let end = (start + s.page_size).min(c.items.len());
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>{}</totalrecord>\n",
        c.items.len()
    );
    if page < dataproxy_pages(s, c) {
        let _ = writeln!(x, "<nextgroup><![CDATA[<a href=\"{}\"></a>]]></nextgroup>", dataproxy_path(s, c, page + 1));
    }
    let _ = write!(x, "<recordset>\n{}</recordset>\n</datastore>\n", records(r, c, &c.items[start..end]));
    x
}
