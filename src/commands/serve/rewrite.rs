//! Links in replayed pages rewritten so navigation stays in the archive: every http(s) URL a page or style sheet
//! names becomes `/<timestamp>/<absolute URL>` on the replay server (the capture of that URL closest to the page's
//! time, as pywb does), and a `<base>` pointing into the archive catches what is not rewritten (URLs built by
//! script, `<style>` blocks). The banner is inserted first in `<body>`.
//!
//! Rewriting uses lol_html (a streaming HTML rewriter), so the page's own markup is passed through untouched except
//! for the attributes rewritten; the banner is built by the caller with everything crawled escaped.

use lol_html::html_content::{ContentType, Element};
use lol_html::{element, rewrite_str, RewriteStrSettings};
use regex::Regex;
use std::cell::Cell;
use std::sync::LazyLock as Lazy;
use url::Url;

/// `raw` as a replay URL, resolved against `base`; None for what must stay as it is (fragments, `javascript:`,
/// `data:`, `mailto:` …).
pub fn archive_url(raw: &str, base: &Url, ts: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let abs = base.join(raw).ok()?;
    matches!(abs.scheme(), "http" | "https").then(|| format!("/{ts}/{abs}"))
}

/// Attributes that hold one URL, by element.
const URL_ATTRS: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("area[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("iframe[src]", "src"),
    ("frame[src]", "src"),
    ("embed[src]", "src"),
    ("source[src]", "src"),
    ("audio[src]", "src"),
    ("video[src]", "src"),
    ("video[poster]", "poster"),
    ("input[src]", "src"),
    ("form[action]", "action"),
    ("object[data]", "data"),
    ("[background]", "background"),
];

/// The page's HTML with its links rewritten, a `<base>` into the archive, and `banner` first in `<body>` (or first in
/// the document when it has no `<body>`). `page` is the archived URL, `ts` its capture's timestamp.
pub fn rewrite_html(html: &str, page: &Url, ts: &str, banner: &str) -> String {
    // The page's own <base href> (the first one counts) decides how its relative URLs resolve.
    let mut declared: Option<String> = None;
    let _ = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("base[href]", |el: &mut Element| {
            if declared.is_none() {
                declared = el.get_attribute("href");
            }
            Ok(())
        })),
    );
    let base = declared.and_then(|h| page.join(&h).ok()).unwrap_or_else(|| page.clone());
    let base_tag = format!("<base href=\"{}\">", attr_escape(&format!("/{ts}/{base}")));
    let banner_done = Cell::new(false);
    let head_done = Cell::new(false);

    let mut settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("head", |el: &mut Element| {
            if !head_done.replace(true) {
                el.prepend(&base_tag, ContentType::Html);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("base[href]", |el: &mut Element| {
            // Ours, inserted first in <head>, is the one that counts.
            el.remove_attribute("href");
            Ok(())
        }))
        .append_element_content_handler(element!("body", |el: &mut Element| {
            if !banner_done.replace(true) {
                el.prepend(banner, ContentType::Html);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[srcset]", |el: &mut Element| {
            if let Some(v) = el.get_attribute("srcset") {
                el.set_attribute("srcset", &rewrite_srcset(&v, &base, ts))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[style]", |el: &mut Element| {
            if let Some(v) = el.get_attribute("style") {
                el.set_attribute("style", &rewrite_css(&v, &base, ts))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("meta[http-equiv]", |el: &mut Element| {
            // <meta http-equiv="refresh" content="0; url=…">
            let refresh = el.get_attribute("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
            if let (true, Some(c)) = (refresh, el.get_attribute("content")) {
                el.set_attribute("content", &rewrite_refresh(&c, &base, ts))?;
            }
            Ok(())
        }));
    for &(selector, attr) in URL_ATTRS {
        let base = base.clone();
        settings = settings.append_element_content_handler(element!(selector, move |el: &mut Element| {
            if let Some(v) = el.get_attribute(attr) {
                if let Some(new) = archive_url(&v, &base, ts) {
                    el.set_attribute(attr, &new)?;
                }
            }
            Ok(())
        }));
    }
    match rewrite_str(html, settings) {
        Ok(out) if banner_done.get() && head_done.get() => out,
        Ok(out) if banner_done.get() => format!("{base_tag}{out}"),
        Ok(out) => format!("{base_tag}{banner}{out}"),
        // Markup the rewriter refuses: the page as archived, still under the banner and the archive's <base>.
        Err(e) => {
            tracing::warn!(url = %page, "页面未改写（按原样回放）：{e}");
            format!("{base_tag}{banner}{html}")
        }
    }
}

fn rewrite_srcset(v: &str, base: &Url, ts: &str) -> String {
    v.split(',')
        .map(|item| {
            let item = item.trim();
            let (u, rest) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
            match archive_url(u, base, ts) {
                Some(new) if rest.is_empty() => new,
                Some(new) => format!("{new} {}", rest.trim()),
                None => item.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rewrite_refresh(content: &str, base: &Url, ts: &str) -> String {
    static URL_PART: Lazy<Regex> = Lazy::new(|| Regex::new(r#"(?i)(url\s*=\s*['"]?)([^'"]+)"#).expect("valid regex"));
    URL_PART
        .replace(content, |c: &regex::Captures| {
            format!("{}{}", &c[1], archive_url(&c[2], base, ts).unwrap_or_else(|| c[2].to_string()))
        })
        .into_owned()
}

/// `url(…)` and `@import "…"` in a style sheet (or a `style` attribute) rewritten into the archive.
pub fn rewrite_css(css: &str, base: &Url, ts: &str) -> String {
    static URLS: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r#"(?i)(url\(\s*['"]?)([^'")\s]+)(['"]?\s*\))|(@import\s+['"])([^'"]+)(['"])"#).expect("valid regex")
    });
    URLS.replace_all(css, |c: &regex::Captures| {
        let (pre, u, post) = match c.get(2) {
            Some(u) => (&c[1], u.as_str(), &c[3]),
            None => (&c[4], &c[5], &c[6]),
        };
        format!("{pre}{}{post}", archive_url(u, base, ts).unwrap_or_else(|| u.to_string()))
    })
    .into_owned()
}

/// Escape text for an HTML attribute value or element content.
pub fn attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("http://www.x.gov.cn/a/b.html").unwrap()
    }

    #[test]
    fn links_stay_in_the_archive() {
        let html = r##"<html><head><link rel=stylesheet href="/s.css"></head><body><a href="c.html">c</a>
<a href="https://y.gov.cn/">y</a><a href="javascript:void(0)">j</a><a href="#top">t</a>
<img src="../i.png" srcset="i1.png 1x, /i2.png 2x"><form action="/search"></form>
<div style="background:url('bg.png')"></div></body></html>"##;
        let out = rewrite_html(html, &page(), "20261202112354", "<div id=banner>横幅</div>");
        for want in [
            r#"href="/20261202112354/http://www.x.gov.cn/s.css""#,
            r#"href="/20261202112354/http://www.x.gov.cn/a/c.html""#,
            r#"href="/20261202112354/https://y.gov.cn/""#,
            r#"href="javascript:void(0)""#,
            r##"href="#top""##,
            r#"src="/20261202112354/http://www.x.gov.cn/i.png""#,
            r#"srcset="/20261202112354/http://www.x.gov.cn/a/i1.png 1x, /20261202112354/http://www.x.gov.cn/i2.png 2x""#,
            r#"action="/20261202112354/http://www.x.gov.cn/search""#,
            r#"url('/20261202112354/http://www.x.gov.cn/a/bg.png')"#,
            r#"<head><base href="/20261202112354/http://www.x.gov.cn/a/b.html">"#,
            "<body><div id=banner>横幅</div>",
        ] {
            assert!(out.contains(want), "{want} missing from\n{out}");
        }
    }

    #[test]
    fn a_page_base_decides_how_relative_links_resolve() {
        let html = r#"<head><base href="http://www.x.gov.cn/z/"></head><body><a href="c.html">c</a></body>"#;
        let out = rewrite_html(html, &page(), "1", "");
        assert!(out.contains(r#"href="/1/http://www.x.gov.cn/z/c.html""#), "{out}");
        assert!(out.contains(r#"<base href="/1/http://www.x.gov.cn/z/">"#), "{out}");
        assert_eq!(out.matches("<base href").count(), 1, "{out}");
    }

    #[test]
    fn fragments_without_body_get_the_banner_first() {
        let out = rewrite_html("<p>片段</p>", &page(), "1", "<b>B</b>");
        assert!(out.starts_with("<base href=\"/1/http://www.x.gov.cn/a/b.html\"><b>B</b><p>片段</p>"), "{out}");
    }

    #[test]
    fn css_urls_and_imports_are_rewritten() {
        let css = r#"@import "x.css"; a{background:url(/i.png)} b{background:url("data:image/png;base64,AA")}"#;
        let out = rewrite_css(css, &page(), "1");
        assert!(out.contains(r#"@import "/1/http://www.x.gov.cn/a/x.css""#), "{out}");
        assert!(out.contains("url(/1/http://www.x.gov.cn/i.png)"), "{out}");
        assert!(out.contains("data:image/png;base64,AA"), "{out}");
    }
}
