//! What the `emblem` check reads (docs/rules.md `design.emblem`), recorded on the one walk: every image-like element
//! with the names it carries, how many of them lie in the header region, and what the page's stylesheets could draw.

use super::links::resolve;
use super::walk::{elem_text, Ctx, Walker};
use crate::text::collapse_ws;
use regex::Regex;
use scraper::ElementRef;
use std::sync::LazyLock;
use url::Url;

/// Id/class tokens (split on non-alphanumerics) that open a header container when a token starts with one of them.
const HEADER_WORDS: [&str; 6] = ["header", "head", "banner", "masthead", "logo", "top"];

static CSS_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?i)url\(\s*['"]?([^'")]*)"#).unwrap());

/// The images of a page as the emblem check sees them.
#[derive(Debug, Clone, Default)]
pub struct HeaderImages {
    /// Image-like elements in the header region: `<img>`, `<input type=image>`, `<svg>`, `<canvas>`, `<object>`,
    /// `<embed>`, and any element whose inline style has a `url(`.
    pub count: u32,
    /// Every image-like element of the page: whether it lies in the header region, and its names (alt, title,
    /// aria-label, file name, figcaption, enclosing link's title and text), joined by spaces.
    pub named: Vec<(bool, String)>,
    /// A `<style>` block references something by `url()` other than a font (a background could be the emblem).
    pub style_url: bool,
    /// The stylesheets the page links (`<link rel=stylesheet>`), resolved.
    pub stylesheets: Vec<Url>,
    /// External scripts (`<script src>`) in the body's header region: run in a browser, they may write the header,
    /// emblem included (`document.write` of a shared `top.js`).
    pub scripts: u32,
}

/// Does a stylesheet text reference anything by `url()` other than a font file?
pub fn css_has_url(css: &str) -> bool {
    CSS_URL.captures_iter(css).any(|c| {
        let u = c[1].trim().to_ascii_lowercase();
        let path = u.split(['?', '#']).next().unwrap_or("");
        !(path.ends_with(".woff")
            || path.ends_with(".woff2")
            || path.ends_with(".ttf")
            || path.ends_with(".eot")
            || path.ends_with(".otf")
            || u.starts_with("data:font")
            || u.starts_with("data:application/font"))
    })
}

/// A container that opens the header region: `<header>`, or an id/class token starting with a header word.
pub(super) fn opens_header(name: &str, ci: &str) -> bool {
    name == "header"
        || ci
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| !t.is_empty() && HEADER_WORDS.iter().any(|w| t.starts_with(w)))
}

/// The file name of a URL as written (no query, no fragment).
fn file_name(src: &str) -> &str {
    let path = src.split(['?', '#']).next().unwrap_or("");
    path.rsplit(['/', '\\']).next().unwrap_or("")
}

impl<'a> Walker<'a> {
    /// A `<link rel=stylesheet href>`.
    pub(super) fn read_stylesheet_link(&mut self, el: ElementRef<'a>) {
        let e = el.value();
        let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
        if rel.split_ascii_whitespace().any(|r| r == "stylesheet") {
            if let Some(u) = e.attr("href").and_then(|h| resolve(self.base, h)) {
                self.header_images.stylesheets.push(u);
            }
        }
    }

    /// A `<script src>`, with the context of the element that holds it: counted when it lies in the body's header
    /// region.
    pub(super) fn read_header_script(&mut self, el: ElementRef<'a>, ctx: &Ctx) {
        let in_body = el.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "body");
        if in_body && (ctx.header || (self.nav_blocks == 0 && !ctx.footer)) {
            self.header_images.scripts += 1;
        }
    }

    /// Record `el` when it is image-like: in the header region (inside a header container, or before the first
    /// navigation block and outside the footer) it counts; its names are kept wherever it is.
    pub(super) fn read_image(&mut self, el: ElementRef<'a>, ctx: &Ctx) {
        let e = el.value();
        let name = e.name();
        // an inline `style` with `url(`, or the old `background` attribute of table layouts (`<td background=…>`)
        let style_url = e
            .attr("style")
            .and_then(|s| CSS_URL.captures(s))
            .map(|c| c[1].to_string())
            .or_else(|| e.attr("background").filter(|b| !b.trim().is_empty()).map(str::to_string));
        let mut names: Vec<String> = Vec::new();
        let image_like = match name {
            "img" => {
                names.push(file_name(e.attr("src").unwrap_or("")).to_string());
                true
            }
            "input" => {
                let image = e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("image"));
                if image {
                    names.push(file_name(e.attr("src").unwrap_or("")).to_string());
                }
                image
            }
            "svg" => {
                if let Some(t) = el.children().filter_map(ElementRef::wrap).find(|c| c.value().name() == "title") {
                    names.push(elem_text(t));
                }
                true
            }
            "object" => {
                names.push(file_name(e.attr("data").unwrap_or("")).to_string());
                true
            }
            "embed" => {
                names.push(file_name(e.attr("src").unwrap_or("")).to_string());
                true
            }
            "canvas" => true,
            // a header drawn in a frame could hold the emblem
            "iframe" | "frame" => {
                names.push(file_name(e.attr("src").unwrap_or("")).to_string());
                true
            }
            _ => style_url.is_some(),
        };
        if !image_like {
            return;
        }
        if let Some(u) = &style_url {
            names.push(file_name(u).to_string());
        }
        for k in ["alt", "title", "aria-label"] {
            if let Some(v) = e.attr(k) {
                names.push(v.to_string());
            }
        }
        // the enclosing link and figure, a few levels up at most
        for anc in el.ancestors().filter_map(ElementRef::wrap).take(8) {
            match anc.value().name() {
                "a" => {
                    if let Some(t) = anc.value().attr("title") {
                        names.push(t.to_string());
                    }
                    names.push(elem_text(anc));
                }
                "figure" => {
                    if let Some(fc) = anc.descendent_elements().find(|d| d.value().name() == "figcaption") {
                        names.push(elem_text(fc));
                    }
                }
                _ => {}
            }
        }
        let in_header = ctx.header || (self.nav_blocks == 0 && !ctx.footer);
        if in_header {
            self.header_images.count += 1;
        }
        let joined = collapse_ws(&names.join(" "));
        self.header_images.named.push((in_header, joined));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_urls_and_header_tokens() {
        assert!(css_has_url(".logo{background:url(../images/logo.png) no-repeat}"));
        assert!(css_has_url("@import url('x.css');"));
        assert!(!css_has_url("@font-face{src:url(a.woff2) format('woff2')} body{color:red}"));
        assert!(opens_header("div", "nw-header "));
        assert!(opens_header("div", "top_r "));
        assert!(!opens_header("div", "main content "));
        assert_eq!(file_name("/images/guohui.png?v=1"), "guohui.png");
    }

    /// The page `html` at the home URL of a test site, as the walk reads it.
    fn doc(html: &str) -> crate::analysis::page::PageDoc {
        let page = gongkai_archive::CapturedPage {
            url: Url::parse("http://www.example.gov.cn/").unwrap(),
            fetched_at: chrono::Utc::now(),
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: html.as_bytes().to_vec(),
            depth: 0,
            warc: gongkai_archive::WarcRef { file: "t.warc.gz".into(), offset: 0, record_id: "urn:uuid:t".into() },
        };
        crate::analysis::page::parse_page(&page, chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap())
    }

    #[test]
    fn a_table_cell_background_in_the_header_is_an_image() {
        let html = r#"<html><body><table><tr><td background="images/top.jpg">&nbsp;</td></tr></table>
            <ul class="nav"><li><a href="/a/">政务公开</a></li><li><a href="/b/">通知公告</a></li></ul></body></html>"#;
        let doc = doc(html);
        assert_eq!(doc.header_images.count, 1, "{:?}", doc.header_images);
    }

    #[test]
    fn an_external_script_before_the_menu_may_write_the_header() {
        let nav = r#"<ul class="nav"><li><a href="/a/">政务公开</a></li><li><a href="/b/">通知公告</a></li></ul>"#;
        let top = doc(&format!(r#"<html><body><script src="/js/top.js"></script>{nav}</body></html>"#));
        assert_eq!(top.header_images.scripts, 1);
        let head_only =
            doc(&format!(r#"<html><head><script src="/js/jquery.js"></script></head><body>{nav}</body></html>"#));
        assert_eq!(head_only.header_images.scripts, 0, "a script in <head> writes nothing where it stands");
        let below = doc(&format!(r#"<html><body>{nav}<script src="/js/stat.js"></script></body></html>"#));
        assert_eq!(below.header_images.scripts, 0);
    }
}
