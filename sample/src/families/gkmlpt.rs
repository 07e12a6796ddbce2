//! Guangdong-style Vue/JSON 信息公开 platforms (gkmlpt): the platform's HTML pages hold no items; each list column
//! page embeds `window._CONFIG` with SID and CATID and a server-rendered column tree; lists come from
//! `GET /gkmlpt/api/all/{CATID}?page=N&sid={SID}` as JSON; articles `/gkmlpt/content/2/{CATID}/post_{id}.html`.
//! The main site is an ordinary portal (`/<seg>/index.html`, `index_N.html`, `/<seg>/content/post_N.html`).

use super::common::{iso, R};
use super::model::*;
use crate::model::{Item, Place};
use std::fmt::Write;

pub fn home_path(_s: &FSite) -> String {
    "/".into()
}

pub fn col_path(_s: &FSite, c: &FCol, page: usize) -> String {
    match (c.place, page) {
        (Place::Platform, _) => format!("/gkmlpt/column/{}", c.key),
        (Place::Main, 0) => format!("/{}/index.html", c.seg),
        (Place::Main, n) => format!("/{}/index_{n}.html", c.seg),
    }
}

pub fn art_path(_s: &FSite, c: &FCol, it: &Item) -> String {
    match c.place {
        Place::Platform => format!("/gkmlpt/content/2/{}/post_{}.html", c.key, it.id),
        Place::Main => format!("/{}/content/post_{}.html", c.seg, it.id),
    }
}

pub fn platform_path(_s: &FSite) -> String {
    "/gkmlpt/index".into()
}

pub fn api_path(s: &FSite, c: &FCol, page: usize) -> String {
    format!("/gkmlpt/api/all/{}?page={page}&sid={}", c.key, s.sid)
}

/// JSON pages of a platform list (at least 1).
pub fn api_pages(s: &FSite, c: &FCol) -> usize {
    if c.placeholder {
        1
    } else {
        c.items.len().div_ceil(s.page_size).max(1)
    }
}

pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
    match c.place {
        Place::Platform => format!(
            "<div id=\"app\"><div class=\"list-loading\">加载中</div></div>\n<script>window._CONFIG = {{\"SID\": \"{}\", \"CATID\": {}, \"API_BASE\": \"/gkmlpt/api/all/\"}};</script>\n",
            r.s.sid, c.key
        ),
        Place::Main => {
            let mut h = String::from("<ul class=\"news-list\">\n");
            for it in r.page_items(c, page) {
                h.push_str(&r.item_li(c, it));
            }
            h.push_str("</ul>\n");
            let _ = write!(h, "{}", r.pager(c, page));
            h
        }
    }
}

/// The JSON answer of API page `page` (1-based).
pub fn api(r: &R, c: &FCol, page: usize) -> String {
    let s = r.s;
    let items: &[Item] = if c.placeholder {
        &[]
    } else {
        let start = (s.page_size * (page - 1)).min(c.items.len());
        &c.items[start..(start + s.page_size).min(c.items.len())]
    };
    let (host, _) = s.base(c.place);
    let articles: Vec<serde_json::Value> = items
        .iter()
        .map(|it| {
            serde_json::json!({
                "id": it.id,
                "title": it.title,
                "url": r.abs(host, &art_path(s, c, it)),
                "created_at": it.date.map(|d| format!("{} {:02}:{:02}:00", iso(d), 8 + it.id % 9, it.id % 60)),
            })
        })
        .collect();
    serde_json::json!({"total": if c.placeholder { 0 } else { c.items.len() }, "page": page, "articles": articles})
        .to_string()
}
