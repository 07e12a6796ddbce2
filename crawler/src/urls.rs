//! URL normalisation, crawl scope and endless-URL-space ("trap") detection.
//!
//! Normalising makes one page one URL: fragments go, session ids go (they make every visit a new URL space), default
//! ports and dot segments go (the `url` crate does those). Scope says which URLs a site's crawl may fetch: the site's own
//! host, and its 信息公开 platform under the platform URL's path. Everything else found is link-checked, not crawled.
//! Traps (calendars, search results, ever-growing paths) are told from big families of articles by what their pages
//! hold ([`TrapDetector`]).

use std::collections::{HashMap, HashSet};
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

/// `host:port` with the scheme's default port filled in: the key for politeness, robots.txt and a host's queue.
pub use gongkai_archive::authority;

/// The target of a redirect: for a 3xx other than 304, its usable Location (resolved against the URL asked for).
pub fn redirect_target(status: u16, url: &Url, location: Option<&str>) -> Option<Url> {
    if !(300..400).contains(&status) || status == 304 {
        return None;
    }
    resolve_link(url, location?)
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
        // Guangdong gkmlpt platforms: `sid` is the site's id in every list API call, not a session.
        let keep_sid = url.path().contains("/gkmlpt/");
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| {
                let k = k.to_ascii_lowercase();
                if keep_sid && k == "sid" {
                    return true;
                }
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
}

/// What to do with a URL taken from the frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Fetch it.
    Go,
    /// Its family is being judged: wait until the pages in flight are fetched, then ask again.
    Wait,
    /// Its family is a trap: do not fetch it.
    Cut,
}

#[derive(Debug, Default)]
struct Family {
    /// Responses of the family archived in this snapshot.
    observed: u32,
    /// Their distinct fingerprints (text with digit runs folded, or redirect target, or status).
    distinct: HashSet<u64>,
    /// Claimed by this run and not finished.
    in_flight: u32,
    /// The deepest link depth among the archived responses.
    max_depth: u32,
}

impl Family {
    /// Judged once `probe` pages are in: a trap when three quarters or more of them repeat an earlier page.
    fn is_trap(&self, probe: u32) -> bool {
        let o = self.observed.max(1) as u64;
        let repeats = o - (self.distinct.len() as u64).min(o);
        self.observed >= probe.max(1) && repeats * 4 >= o * 3
    }
}

/// Tells endless URL spaces from big families of distinct pages, for one site's crawl.
///
/// URLs are grouped into families by [`pattern_key`] (same host and path, same query keys; path calendars with their
/// numbers folded). The first `probe` URLs of a family are fetched (no more are claimed until they are in), and the
/// family is then judged by what they hold ([`crate::discover::fingerprint`]: visible text with digits folded, or the
/// redirect target): near-identical or empty pages (a calendar's next month, a search echoing its query, a session
/// id) make it a trap and the rest of it is cut; distinct pages (`ShowArticle.asp?ArticleID=N`, however many) are
/// crawled. A trap's members at the depth of its last probe page are still fetched (up to `probe` more): which of
/// two pages at one depth a parallel crawl reaches first is a matter of timing, so finishing the layer makes the cut
/// the same in every run (a calendar: the probe months and both neighbours at the last depth). The state is derived
/// from the archived responses only (counts, fingerprints, depths: none depends on the order pages were fetched in),
/// so a resumed crawl rebuilds it from the store and decides as an uninterrupted one.
/// Discovery-time rules need no state: URLs too long or with repeating path segments are never followed.
#[derive(Debug, Default)]
pub struct TrapDetector {
    families: HashMap<String, Family>,
    /// How many URLs were cut, all reasons.
    pub cut: u64,
}

impl TrapDetector {
    /// Discovery-time check of a URL not seen before: length and path loops.
    pub fn admit(&mut self, url: &Url, max_len: usize) -> Result<(), TrapReason> {
        let r = judge_shape(url, max_len);
        if r.is_err() {
            self.cut += 1;
        }
        r
    }

    /// Claim-time decision for a URL taken from the frontier; a `Go` must be followed by [`TrapDetector::release`].
    /// `depth`: the URL's link depth.
    pub fn claim(&mut self, url: &Url, depth: u32, probe: u32) -> Verdict {
        let Some(key) = pattern_key(url) else { return Verdict::Go };
        let f = self.families.entry(key).or_default();
        if f.is_trap(probe) {
            let layer = depth <= f.max_depth && f.observed + f.in_flight < 2 * probe.max(1);
            if !layer {
                self.cut += 1;
                return Verdict::Cut;
            }
        }
        if f.observed < probe && f.observed + f.in_flight >= probe && f.in_flight > 0 {
            return Verdict::Wait;
        }
        f.in_flight += 1;
        Verdict::Go
    }

    /// A claimed URL is finished (archived, failed or skipped).
    pub fn release(&mut self, url: &Url) {
        if let Some(f) = pattern_key(url).and_then(|k| self.families.get_mut(&k)) {
            f.in_flight = f.in_flight.saturating_sub(1);
        }
    }

    /// A response of `url` (at link `depth`) archived in this snapshot, with its fingerprint.
    pub fn observe(&mut self, url: &Url, depth: u32, fingerprint: u64) {
        if let Some(key) = pattern_key(url) {
            let f = self.families.entry(key).or_default();
            f.observed += 1;
            f.distinct.insert(fingerprint);
            f.max_depth = f.max_depth.max(depth);
        }
    }

    /// Whether `url`'s family has been judged a trap.
    #[cfg(test)]
    pub fn is_trap(&self, url: &Url, probe: u32) -> bool {
        pattern_key(url).and_then(|k| self.families.get(&k)).is_some_and(|f| f.is_trap(probe))
    }
}

fn judge_shape(url: &Url, max_len: usize) -> Result<(), TrapReason> {
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
    Ok(())
}

/// The family of a URL for trap detection. URLs with a query: host, exact path and the sorted query keys (so
/// `cal.jsp?date=…` variations are one family). URLs without a query: digit runs are folded only for listing-like
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
    fn near_identical_families_are_traps_distinct_ones_are_not() {
        let probe = 5;
        // A calendar: every month's page holds the same text once digits are folded.
        let mut t = TrapDetector::default();
        let mut fetched = 0;
        for m in 0..40 {
            let url = u(&format!("http://a/cal.jsp?date=2026-{m:02}"));
            match t.claim(&url, m, probe) {
                Verdict::Go => {
                    t.observe(&url, m, 42);
                    t.release(&url);
                    fetched += 1;
                }
                Verdict::Cut => {}
                Verdict::Wait => panic!("nothing in flight"),
            }
        }
        assert_eq!(fetched, probe);
        assert_eq!(t.cut, 40 - probe as u64);
        // 150 distinct articles of one family: all fetched.
        let mut t = TrapDetector::default();
        for i in 0..150u64 {
            let url = u(&format!("http://a/Article/ShowArticle.asp?ArticleID={i}"));
            assert_eq!(t.claim(&url, 1, probe), Verdict::Go, "article {i}");
            t.observe(&url, 1, 1000 + i);
            t.release(&url);
        }
        assert_eq!(t.cut, 0);
        // While the probe is in flight, more of the family waits; other families do not.
        let mut t = TrapDetector::default();
        let fam = |i: u32| u(&format!("http://a/s.asp?q={i}"));
        for i in 0..probe {
            assert_eq!(t.claim(&fam(i), i, probe), Verdict::Go);
        }
        assert_eq!(t.claim(&fam(99), 9, probe), Verdict::Wait);
        assert_eq!(t.claim(&u("http://a/other.asp?id=1"), 9, probe), Verdict::Go);
        assert_eq!(t.claim(&u("http://a/plain/page.html"), 9, probe), Verdict::Go);
        for i in 0..probe {
            t.observe(&fam(i), i, 7);
            t.release(&fam(i));
        }
        // A trap now: deeper members are cut, one at the last probe page's depth is still fetched.
        assert_eq!(t.claim(&fam(99), probe, probe), Verdict::Cut);
        assert_eq!(t.claim(&fam(98), probe - 1, probe), Verdict::Go);
        assert!(t.is_trap(&fam(1234), probe));
    }

    #[test]
    fn path_calendars_share_a_family_articles_do_not() {
        assert_eq!(pattern_key(&u("http://a/cal/2026/11/1/")), pattern_key(&u("http://a/cal/2025/1/22/")));
        assert!(pattern_key(&u("http://a/tzgg/202611/t20261101_1.html")).is_none());
        assert!(pattern_key(&u("http://a/art/2022/1/9/art_1_2.html")).is_none());
        let mut t = TrapDetector::default();
        assert_eq!(t.admit(&u("http://a/x/y/x/y/x/"), 512), Err(TrapReason::PathLoop));
        assert_eq!(t.admit(&u(&format!("http://a/{}", "z".repeat(600))), 512), Err(TrapReason::Length));
        assert!(t.admit(&u("http://a/cal.jsp?date=1"), 512).is_ok());
        assert_eq!(t.cut, 2);
    }

    #[test]
    fn gkmlpt_sid_is_kept() {
        let base = u("http://www.a.gov.cn/gkmlpt/index");
        assert_eq!(
            resolve_link(&base, "/gkmlpt/api/all/5?page=1&sid=755001").unwrap().as_str(),
            "http://www.a.gov.cn/gkmlpt/api/all/5?page=1&sid=755001"
        );
    }
}
