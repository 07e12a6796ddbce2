//! What a fetched or archived body holds for the crawl: its decoded content, the links in it, and its fingerprint for
//! the trap detector.

use crate::discover::{discover_json, discover_page, discover_script, fingerprint, Found, LinkKind};
use crate::http::Exchange;
use url::Url;

/// An archived page's content for discovery: the store decodes it; a body cut short by the crawler's cap (a gzip
/// stream without its end) is decoded as far as it goes.
pub(super) fn readable_body(page: &gongkai_archive::CapturedPage, cap: usize) -> Vec<u8> {
    let ce = page.header("content-encoding").map(|s| s.trim().to_ascii_lowercase());
    let still_encoded = match ce.as_deref() {
        Some("gzip") | Some("x-gzip") => page.body.starts_with(&[0x1f, 0x8b]),
        Some("deflate") => !page.body.is_empty() && std::str::from_utf8(&page.body[..page.body.len().min(64)]).is_err(),
        _ => false,
    };
    if still_encoded {
        crate::http::decode_content(ce.as_deref(), &page.body, cap as u64)
    } else {
        page.body.clone()
    }
}

/// What a fetched response holds, for the trap detector: a redirect by its target, a successful answer by its text
/// ([`fingerprint`], digits folded), any other answer by its status.
/// Redirects are told apart by their exact target (`ShowArticle.asp?ArticleID=7` → `/art/7.html` is not a trap;
/// every URL of a family sent to one login page is).
pub(super) fn response_fingerprint(status: u16, redirect: Option<&Url>, text_fp: Option<u64>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match (redirect, text_fp) {
        (Some(r), _) => ("redirect", r.as_str()).hash(&mut h),
        (None, Some(fp)) => return fp,
        (None, None) => ("status", status).hash(&mut h),
    }
    h.finish()
}

/// Why an answer says nothing about its link, if it does not (recorded as not checked): a request to come back later
/// (429, 503 with Retry-After), or a page cut at the body cap.
pub(super) fn answer_not_checked(
    status: u16,
    retry_after: Option<&str>,
    truncated: bool,
    body_cap: u64,
) -> Option<String> {
    crate::http::rate_limited_reason(status, retry_after)
        .or_else(|| (truncated && status < 400).then(|| truncated_reason(body_cap)))
}

fn truncated_reason(cap: u64) -> String {
    format!("页面超过抓取上限（{cap} 字节），已截断存档")
}

/// Link kinds that are links in the docs/rules.md sense (broken-link checks), as opposed to resources we fetch.
pub(super) fn counts_as_link(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::Anchor | LinkKind::Frame | LinkKind::Refresh)
}

fn is_html_like(mime: &str, body: &[u8]) -> bool {
    if mime.contains("html") || mime.contains("xml") {
        return true;
    }
    if mime.is_empty() || mime == "text/plain" || mime == "application/octet-stream" {
        let head: Vec<u8> = body.iter().take(512).copied().collect();
        let lower = String::from_utf8_lossy(&head).to_ascii_lowercase();
        return lower.contains("<html") || lower.contains("<!doctype") || lower.contains("<a ");
    }
    false
}

/// Links in a fetched body: HTML parsed, scripts scanned for what they write, JSON list answers read for their
/// records. `referrer` is the page that included a script (its `document.write` links resolve against that page).
/// Also returns the body's [`fingerprint`] (of an HTML page's visible text).
pub(super) fn discover_body(
    url: &Url,
    tag: Option<&str>,
    content_type: Option<&str>,
    referrer: Option<&Url>,
    decoded: &[u8],
    _cap: usize,
) -> (Vec<Found>, u64) {
    let mime = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let is_script = tag == Some("script") || mime.contains("javascript") || url.path().ends_with(".js");
    let (text, _) = gongkai_archive::decode_html(decoded, content_type);
    let looks_json = || {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        (t.starts_with('{') || t.starts_with('[')) && !mime.contains("html")
    };
    if tag == Some("data") || mime.contains("json") || (url.path().contains("/api/") && looks_json()) {
        return (discover_json(url, &text), fingerprint(&text));
    }
    if is_script {
        return (discover_script(referrer.unwrap_or(url), &text), fingerprint(&text));
    }
    if is_html_like(&mime, decoded) {
        return discover_page(url, &text);
    }
    (Vec::new(), fingerprint(&text))
}

/// The content for discovery: what the fetch decoded while reading, else (an unencoded body) the body itself, else
/// (an encoding not streamed) the archive's capped decoder or whatever prefix can be decoded within the cap.
pub(super) fn decode_for_discovery(ex: &Exchange, cap: usize) -> Vec<u8> {
    if let Some(d) = &ex.decoded {
        return d[..d.len().min(cap)].to_vec();
    }
    let ce =
        ex.header("content-encoding").filter(|c| !c.trim().is_empty() && !c.trim().eq_ignore_ascii_case("identity"));
    let Some(ce) = ce else { return ex.body[..ex.body.len().min(cap)].to_vec() };
    match gongkai_archive::decode_content(&ex.body, Some(ce), cap) {
        Ok(b) => b,
        Err(_) => crate::http::decode_content(Some(ce), &ex.body, cap as u64),
    }
}
