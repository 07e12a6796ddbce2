//! Whether a site can be assessed at all (docs/results.md `status`).
//!
//! A site that could not be read is reported as not assessed (未检查), never scored from missing data: a missing home
//! page would otherwise read as "no consultation channel, no service entry" and black-list a site that was merely
//! unreachable for a moment, or whose crawl was killed and not yet resumed.
//!
//! ```text
//! home page never answered 2xx in the crawl  → 首页无法访问（connect: connection refused）
//! snapshot not finished                       → 抓取未完成 …
//! fewer HTML answers than parameters.min_pages  → 抓取到的页面过少 …
//! ```
//!
//! Availability is the one exception: probes of the home page (the monitor's, or the crawl's own) are data about the
//! site, so `veto.unreachable` may still fire from them.

use crate::analysis::page::is_html;
use gongkai_archive::{CapturedPage, SiteCapture};
use gongkai_config::Rubric;
use url::Url;

/// Why `capture` cannot be assessed, in Chinese; None when it can.
pub fn not_assessed_reason(capture: &SiteCapture, rubric: &Rubric) -> Option<String> {
    if capture.snapshot.finished_at.is_none() {
        return Some("抓取未完成（抓取被中断且尚未续抓），请再次运行同一抓取命令继续后再评分".to_string());
    }
    if home_page(capture).is_none() {
        let why = capture
            .failures
            .iter()
            .find(|f| same_page(&f.url, &capture.site.url))
            .map(|f| crate::fetch_error::fetch_error_zh(&f.error))
            .or_else(|| {
                capture
                    .pages
                    .iter()
                    .filter(|p| same_page(&p.url, &capture.site.url))
                    .map(|p| format!("HTTP {}", p.status))
                    .last()
            })
            .or_else(|| {
                capture.failures.first().map(|f| format!("{}：{}", f.url, crate::fetch_error::fetch_error_zh(&f.error)))
            })
            .unwrap_or_else(|| "抓取中没有得到首页".to_string());
        return Some(format!("首页无法访问（{why}）"));
    }
    // every HTML answer counts (a site whose columns all answer 404 was read: it is broken, not unreadable)
    let pages = capture.pages.iter().filter(|p| is_html(p)).count();
    let min = rubric.parameters.min_pages as usize;
    if pages < min {
        return Some(format!("抓取到的页面过少（{pages} 页，少于评估所需的 {min} 页）"));
    }
    None
}

fn ok(p: &CapturedPage) -> bool {
    (200..300).contains(&p.status) || p.status == 304
}

fn same_page(a: &Url, b: &Url) -> bool {
    let norm = |u: &Url| {
        let mut u = u.clone();
        u.set_fragment(None);
        u.to_string().trim_end_matches('/').to_string()
    };
    norm(a) == norm(b)
}

/// The home page as archived with a successful answer, following redirects on archived pages.
fn home_page(capture: &SiteCapture) -> Option<&CapturedPage> {
    let mut cur = capture.site.url.clone();
    for _ in 0..6 {
        let mut answers = capture.pages.iter().filter(|p| same_page(&p.url, &cur));
        if let Some(p) = answers.clone().find(|p| ok(p)) {
            return Some(p);
        }
        let redirect = answers.find(|p| (300..400).contains(&p.status))?;
        cur = redirect.header("location").and_then(|l| redirect.url.join(l).ok())?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use gongkai_archive::{FetchFailure, SnapshotInfo, WarcRef};
    use gongkai_config::{Level, Site};

    fn capture(pages: Vec<(&str, u16, &str)>, finished: bool) -> SiteCapture {
        let site = Site {
            id: "x".into(),
            name: "X".into(),
            url: Url::parse("http://www.x.gov.cn/").unwrap(),
            region: vec![],
            level: Level::County,
            platform: None,
            rate: 2.0,
            max_pages: 100,
            max_depth: 3,
            max_link_checks: 2000,
        };
        let pages = pages
            .into_iter()
            .map(|(u, status, loc)| CapturedPage {
                url: Url::parse(u).unwrap(),
                fetched_at: Utc::now(),
                status,
                headers: if loc.is_empty() {
                    vec![("Content-Type".into(), "text/html".into())]
                } else {
                    vec![("Location".into(), loc.into())]
                },
                body: b"<html><body>x</body></html>".to_vec(),
                depth: 0,
                warc: WarcRef { file: "w".into(), offset: 0, record_id: "r".into() },
            })
            .collect();
        SiteCapture {
            site,
            snapshot: SnapshotInfo { seq: 1, started_at: Utc::now(), finished_at: finished.then(Utc::now) },
            pages,
            failures: vec![],
            link_checks: vec![],
            probes: vec![],
            tls: vec![],
            ipv6: None,
        }
    }

    #[test]
    fn unreachable_home_page_is_not_assessed_with_the_error() {
        let mut c = capture(vec![], true);
        c.failures.push(FetchFailure {
            url: Url::parse("http://www.x.gov.cn/").unwrap(),
            at: Utc::now(),
            error: "dns: no such host".into(),
        });
        let r = Rubric::default_rubric();
        assert_eq!(not_assessed_reason(&c, &r).unwrap(), "首页无法访问（dns: no such host）");
    }

    #[test]
    fn unfinished_snapshot_and_too_few_pages() {
        let r = Rubric::default_rubric();
        let many: Vec<(&str, u16, &str)> = vec![
            ("http://www.x.gov.cn/", 200, ""),
            ("http://www.x.gov.cn/a", 200, ""),
            ("http://www.x.gov.cn/b", 200, ""),
            ("http://www.x.gov.cn/c", 200, ""),
            ("http://www.x.gov.cn/d", 200, ""),
        ];
        assert!(not_assessed_reason(&capture(many.clone(), false), &r).unwrap().starts_with("抓取未完成"));
        assert_eq!(not_assessed_reason(&capture(many.clone(), true), &r), None);
        let few = many[..2].to_vec();
        assert!(not_assessed_reason(&capture(few, true), &r).unwrap().starts_with("抓取到的页面过少（2 页"));
        // error pages are answers: a site whose columns all fail was read (and is broken)
        let mut broken = many[..1].to_vec();
        broken.extend([("http://www.x.gov.cn/a", 404, ""), ("http://www.x.gov.cn/b", 404, "")]);
        assert_eq!(not_assessed_reason(&capture(broken, true), &r), None);
    }

    #[test]
    fn a_redirected_home_page_counts_and_an_error_page_does_not() {
        let r = Rubric::default_rubric();
        let mut v: Vec<(&str, u16, &str)> =
            vec![("http://www.x.gov.cn/", 302, "/index.html"), ("http://www.x.gov.cn/index.html", 200, "")];
        for u in ["http://www.x.gov.cn/a", "http://www.x.gov.cn/b", "http://www.x.gov.cn/c", "http://www.x.gov.cn/d"] {
            v.push((u, 200, ""));
        }
        assert_eq!(not_assessed_reason(&capture(v, true), &r), None);
        let err = vec![("http://www.x.gov.cn/", 503, "")];
        assert_eq!(not_assessed_reason(&capture(err, true), &r).unwrap(), "首页无法访问（HTTP 503）");
    }
}
