//! Pages rendered from the model, on request.
//!
//! Every page of a hand-crafted site has a route (host, path) built once from the model; the HTML itself is produced
//! only when a page is asked for. Links to another host (the shared platform, stub national services) are absolute
//! and carry the port the request came in on, so the same model serves any port; with no port the URLs are plain.

mod chrome;
mod layout;
mod pages;

use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One HTTP answer of the sample: status, headers (names as sent), body bytes in the page's own charset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl SampleResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        SampleResponse { status, headers: vec![("Content-Type".into(), content_type.into())], body }
    }
    pub(crate) fn html(status: u16, body: String) -> Self {
        Self::new(status, "text/html; charset=utf-8", body.into_bytes())
    }
    pub(crate) fn redirect(status: u16, location: String) -> Self {
        let mut r = Self::html(status, format!("<html><body><a href=\"{location}\">moved</a></body></html>"));
        r.headers.push(("Location".into(), location));
        r
    }
    pub(crate) fn not_found() -> Self {
        Self::html(404, "<!DOCTYPE html><html><head><title>404 页面不存在</title></head><body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>".into())
    }
}

/// What a route shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Home,
    Footer,
    PlatformIndex,
    /// Page `page` (0-based) of a list column.
    List {
        col: usize,
        page: usize,
    },
    Article {
        col: usize,
        item: usize,
    },
    /// Single page, container or script-only shell of a column.
    ColumnPage {
        col: usize,
    },
    Json {
        col: usize,
    },
    Dataproxy,
    Calendar,
    Petition,
    /// `/js/footer.js`: the footer written by `document.write`, GBK-encoded.
    FooterJs,
    Redirect(String),
    /// Linked, disallowed by robots.txt, served with 200 (a crawler must still never ask).
    Disallowed,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub site: usize,
    pub page: Page,
    /// A page a correct crawler must archive (HTML, 200, reachable, allowed).
    pub expected: bool,
}

pub(crate) fn fmt_iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Build every route of one site.
pub fn site_routes(s: &SiteModel) -> Vec<(String, String, Route)> {
    let mut out = vec![];
    let mut add = |host: &str, path: String, page: Page, expected: bool| {
        out.push((host.to_string(), path, Route { site: s.idx, page, expected }));
    };
    add(&s.host, "/".into(), Page::Home, true);
    if s.footer.in_iframe {
        add(&s.host, "/footer.html".into(), Page::Footer, true);
    }
    if s.footer.by_script {
        add(&s.host, "/js/footer.js".into(), Page::FooterJs, false);
    }
    add(&s.platform.host, s.platform_path(), Page::PlatformIndex, true);
    for (ci, c) in s.columns.iter().enumerate() {
        let (host, _) = s.base(c.place);
        match c.kind {
            ColumnKind::Entry => {}
            ColumnKind::List => {
                for p in 0..s.list_pages(c) {
                    add(host, s.list_page_path(c, p), Page::List { col: ci, page: p }, true);
                }
                for (ii, it) in c.items.iter().enumerate() {
                    add(host, s.article_path(c, it), Page::Article { col: ci, item: ii }, true);
                }
            }
            ColumnKind::ScriptOnly => {
                add(host, s.col_path(c), Page::ColumnPage { col: ci }, true);
                add(host, format!("{}list.json", s.col_dir(c)), Page::Json { col: ci }, false);
            }
            ColumnKind::Single | ColumnKind::Container => add(host, s.col_path(c), Page::ColumnPage { col: ci }, true),
        }
    }
    if s.style == CmsStyle::Hanweb {
        add(&s.host, "/module/web/jpage/dataproxy.jsp".into(), Page::Dataproxy, false);
        if s.platform.shared {
            add(
                &s.platform.host,
                format!("{}module/web/jpage/dataproxy.jsp", s.platform.prefix),
                Page::Dataproxy,
                false,
            );
        }
    }
    if s.calendar_trap {
        add(&s.host, "/calendar/".into(), Page::Calendar, false);
    }
    if s.petition_link {
        add(&s.host, "/wsxf/".into(), Page::Petition, true);
    }
    add(&s.host, "/search/advanced.html".into(), Page::Disallowed, false);
    for (from, to) in &s.redirects {
        add(&s.host, from.clone(), Page::Redirect(to.clone()), false);
    }
    out
}

/// Rendering context: the port suffix for absolute URLs (":8080" or "").
pub struct Ctx<'a> {
    pub port: &'a str,
    pub t0: NaiveDate,
}

impl Ctx<'_> {
    pub fn abs(&self, host: &str, path: &str) -> String {
        format!("{}://{host}{}{path}", crate::gen::scheme(host), self.port)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A link from a page on `from_host` to `path` on `to_host`.
fn link(ctx: &Ctx, from_host: &str, to_host: &str, path: &str) -> String {
    if from_host == to_host {
        path.to_string()
    } else {
        ctx.abs(to_host, path)
    }
}

pub struct Renderer<'a> {
    pub s: &'a SiteModel,
    pub ctx: Ctx<'a>,
    /// Host of the page being rendered.
    pub here: &'a str,
}

/// Encode a rendered page in the site's charset and set the Content-Type accordingly.
pub fn encode_page(s: &SiteModel, html: String) -> SampleResponse {
    match s.charset {
        Charset::Utf8 => SampleResponse::html(200, html),
        Charset::GbkMeta | Charset::GbkHeader => {
            let (bytes, _, _) = encoding_rs::GBK.encode(&html);
            let ct = if s.charset == Charset::GbkHeader { "text/html; charset=GBK" } else { "text/html" };
            SampleResponse::new(200, ct, bytes.into_owned())
        }
    }
}

pub fn robots_txt(s: Option<&SiteModel>) -> String {
    let mut r = String::from("User-agent: *\n");
    match s {
        Some(s) => {
            for d in &s.disallow {
                let _ = writeln!(r, "Disallow: {d}");
            }
            if let Some(cd) = s.crawl_delay {
                let _ = writeln!(r, "Crawl-delay: {cd}");
            }
        }
        None => r.push_str("Disallow: /search/\n"),
    }
    r
}
