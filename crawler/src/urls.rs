//! URL normalisation, crawl scope and endless-URL-space ("trap") detection.
//!
//! Normalising makes one page one URL: fragments go, session ids go (they make every visit a new URL space), default
//! ports and dot segments go (the `url` crate does those). Scope says which URLs a site's crawl may fetch: the site's own
//! host, and its 信息公开 platform under the platform URL's path. Everything else found is link-checked, not crawled.
//! Traps (calendars, search results, ever-growing paths) are cut by counting distinct URLs per URL shape.

use std::collections::HashMap;
use url::Url;

/// Query keys that carry a session, not content.
const SESSION_KEYS: &[&str] = &[
    "jsessionid",
    "phpsessid",
    "aspsessionid",
    "sessionid",
    "session_id",
    "sid",
    "cfid",
    "cftoken",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "_t",
    "timestamp",
    "rnd",
    "random",
];

/// `host:port` with the scheme's default port filled in: the key for politeness and robots.txt.
pub fn authority(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

/// Resolves `href` against `base` and normalises it. None for non-http(s) targets (`mailto:`, `javascript:`, `tel:`,
/// `data:`), empty hrefs and unparsable ones.
pub fn resolve_link(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if ["javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "ftp:", "file:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let url = base.join(href).ok()?;
    normalize(url)
}

/// Normalises an absolute URL; None unless http(s) with a host.
pub fn normalize(mut url: Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || !matches!(url.host_str(), Some(h) if !h.is_empty()) {
        return None;
    }
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    // `;jsessionid=…` path parameters.
    let path = url.path().to_string();
    if let Some(pos) = path.to_ascii_lowercase().find(";jsessionid=") {
        url.set_path(&path[..pos]);
    }
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| {
                let k = k.to_ascii_lowercase();
                !SESSION_KEYS.iter().any(|s| k == *s || (s.ends_with("id") && k.starts_with("aspsessionid")))
            })
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let before = url.query_pairs().count();
        if kept.is_empty() {
            url.set_query(None);
        } else if kept.len() != before {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(url)
}

/// What a site's crawl may fetch.
#[derive(Debug, Clone)]
pub struct SiteScope {
    site_authority: String,
    platform: Option<(String, String)>,
}

impl SiteScope {
    pub fn new(home: &Url, platform: Option<&Url>) -> Self {
        SiteScope {
            site_authority: authority(home),
            platform: platform.map(|p| {
                let path = p.path();
                let dir = match path.rfind('/') {
                    Some(i) => path[..=i].to_string(),
                    None => "/".to_string(),
                };
                (authority(p), dir)
            }),
        }
    }

    /// May this URL be crawled as one of the site's pages?
    pub fn contains(&self, url: &Url) -> bool {
        let a = authority(url);
        if a == self.site_authority {
            return true;
        }
        match &self.platform {
            Some((pa, dir)) => a == *pa && url.path().starts_with(dir.as_str()),
            None => false,
        }
    }

    /// May this URL be fetched as a resource of one of the site's pages (footer script, iframe)? The site's host or the
    /// platform's host, whatever the path.
    pub fn contains_resource(&self, url: &Url) -> bool {
        let a = authority(url);
        a == self.site_authority || self.platform.as_ref().is_some_and(|(pa, _)| *pa == a)
    }

    /// The hosts this site's crawl fetches from.
    pub fn authorities(&self) -> Vec<String> {
        let mut v = vec![self.site_authority.clone()];
        if let Some((pa, _)) = &self.platform {
            if *pa != self.site_authority {
                v.push(pa.clone());
            }
        }
        v
    }
}

/// Why a URL was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrapReason {
    /// Too long.
    Length,
    /// A path segment repeats (`/a/b/a/b/a/`) or the path is absurdly deep.
    PathLoop,
    /// Too many distinct URLs of one shape (calendar, search results, endless pagination).
    PatternBudget,
}

/// Counts URLs per shape for one site's crawl.
#[derive(Debug, Default)]
pub struct TrapDetector {
    per_pattern: HashMap<String, u32>,
    /// How many URLs were cut, by reason.
    pub cut: u64,
}

impl TrapDetector {
    /// Checks a URL not seen before in this crawl; counts it against its shape's budget when admitted.
    pub fn admit(&mut self, url: &Url, pattern_limit: u32, max_len: usize) -> Result<(), TrapReason> {
        let r = self.judge(url, pattern_limit, max_len);
        if r.is_err() {
            self.cut += 1;
        }
        r
    }

    fn judge(&mut self, url: &Url, pattern_limit: u32, max_len: usize) -> Result<(), TrapReason> {
        if url.as_str().len() > max_len {
            return Err(TrapReason::Length);
        }
        let segs: Vec<&str> = url.path_segments().map(|s| s.filter(|x| !x.is_empty()).collect()).unwrap_or_default();
        if segs.len() > 16 {
            return Err(TrapReason::PathLoop);
        }
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for s in &segs {
            let c = counts.entry(s).or_default();
            *c += 1;
            if *c >= 3 {
                return Err(TrapReason::PathLoop);
            }
        }
        // Plain paths are their own shape: nothing to count (keeps memory flat on big crawls).
        let Some(key) = pattern_key(url) else { return Ok(()) };
        let n = self.per_pattern.entry(key).or_default();
        if *n >= pattern_limit {
            return Err(TrapReason::PatternBudget);
        }
        *n += 1;
        Ok(())
    }
}

/// The shape of a URL for trap counting. URLs with a query: host, exact path and the sorted query keys (so
/// `cal.jsp?date=…` variations share one budget). URLs without a query: digit runs are folded only for listing-like
/// URLs (ending in `/`, a number or `index…`) with two or more all-digit segments, so a path calendar
/// (`/cal/2026/11/22/`) shares one budget while article URLs (`/tzgg/202401/t2024…_1.html`,
/// `/art/2022/1/9/art_1_2.html`) never do.
pub fn pattern_key(url: &Url) -> Option<String> {
    let host = authority(url);
    if url.query().is_some() {
        let mut keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        keys.sort();
        keys.dedup();
        return Some(format!("{host}{}?{}", url.path(), keys.join("&")));
    }
    let segs: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
    let last = segs.last().copied().unwrap_or("");
    let listing_like = last.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("index");
    let numeric = segs.iter().filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).count();
    if listing_like && numeric >= 2 {
        // Path calendar shape: fold every digit run.
        let folded: String = url.path().chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>();
        let mut out = String::new();
        let mut prev_hash = false;
        for c in folded.chars() {
            if c == '#' {
                if !prev_hash {
                    out.push(c);
                }
                prev_hash = true;
            } else {
                out.push(c);
                prev_hash = false;
            }
        }
        return Some(format!("{host}{out}"));
    }
    // Otherwise every distinct path is its own shape (no budget beyond depth and pages).
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn normalises_links() {
        let base = u("http://www.a.gov.cn/col/index.html");
        assert_eq!(resolve_link(&base, "../x/1.html#top").unwrap().as_str(), "http://www.a.gov.cn/x/1.html");
        assert_eq!(resolve_link(&base, "HTTP://WWW.A.GOV.CN:80/").unwrap().as_str(), "http://www.a.gov.cn/");
        assert_eq!(
            resolve_link(&base, "/p.jsp;jsessionid=ABC123?id=5&PHPSESSID=zz").unwrap().as_str(),
            "http://www.a.gov.cn/p.jsp?id=5"
        );
        assert_eq!(resolve_link(&base, "/p?sid=1").unwrap().as_str(), "http://www.a.gov.cn/p");
        assert!(resolve_link(&base, "javascript:void(0)").is_none());
        assert!(resolve_link(&base, "mailto:a@b.cn").is_none());
        assert!(resolve_link(&base, "  ").is_none());
        assert!(resolve_link(&base, "#").is_none());
    }

    #[test]
    fn scope_covers_site_host_and_platform_path() {
        let s = SiteScope::new(&u("http://www.a.gov.cn/"), Some(&u("http://xxgk.city.gov.cn/fgw/index.html")));
        assert!(s.contains(&u("http://www.a.gov.cn/any/thing")));
        assert!(s.contains(&u("http://xxgk.city.gov.cn/fgw/tzgg/")));
        assert!(!s.contains(&u("http://xxgk.city.gov.cn/jyj/tzgg/")));
        assert!(s.contains_resource(&u("http://xxgk.city.gov.cn/js/footer.js")));
        assert!(!s.contains(&u("https://www.a.gov.cn/")), "another port is another host");
        assert!(!s.contains(&u("http://www.b.gov.cn/")));
        assert_eq!(s.authorities(), vec!["www.a.gov.cn:80".to_string(), "xxgk.city.gov.cn:80".to_string()]);
    }

    #[test]
    fn cuts_query_calendars_but_not_articles() {
        let mut t = TrapDetector::default();
        for d in 0..10 {
            assert!(t.admit(&u(&format!("http://a/cal.jsp?date=2026-11-{d:02}")), 5, 512).is_ok() || d >= 5);
        }
        assert_eq!(t.cut, 5);
        let mut t = TrapDetector::default();
        for i in 0..50 {
            assert!(t.admit(&u(&format!("http://a/tzgg/202611/t20261101_{i}.html")), 5, 512).is_ok());
            assert!(t.admit(&u(&format!("http://a/art/2022/1/9/art_1_{i}.html")), 5, 512).is_ok());
        }
        let mut t = TrapDetector::default();
        let mut ok = 0;
        for d in 1..=28 {
            if t.admit(&u(&format!("http://a/cal/2026/11/{d}/")), 5, 512).is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 5);
        assert_eq!(t.admit(&u("http://a/x/y/x/y/x/"), 5, 512), Err(TrapReason::PathLoop));
        assert_eq!(t.admit(&u(&format!("http://a/{}", "z".repeat(600))), 5, 512), Err(TrapReason::Length));
    }
}
