//! Bonus checks (加分项): HTTPS, home page keywords (无障碍, 适老化).
//!
//! Parameters and their placeholders: `config/src/check/bonus.rs`.

use super::Occurrence;
use crate::analysis::{homepage, SiteAnalysis};
use gongkai_config::check::{HomeKeywords, Https};

pub(super) fn https(p: &Https, a: &SiteAnalysis) -> Vec<Occurrence> {
    let Some(h) = a.home_doc() else { return Vec::new() };
    if h.url.scheme() != "https" || !h.ok() {
        return Vec::new();
    }
    // A certificate that does not verify shows every visitor a warning: no HTTPS worth a bonus (security.certificate).
    if a.tls.iter().any(|t| t.host() == h.url.host_str().unwrap_or("") && !t.verified()) {
        return Vec::new();
    }
    if p.require_redirect {
        let mut plain = h.url.clone();
        if plain.set_scheme("http").is_err() {
            return Vec::new();
        }
        let _ = plain.set_port(None);
        let redirects = a.docs.iter().any(|d| {
            d.url.scheme() == "http"
                && d.url.host_str() == h.url.host_str()
                && d.url.path() == h.url.path()
                && (300..400).contains(&d.status)
                && d.location.as_ref().is_some_and(|l| l.scheme() == "https")
        });
        if !redirects {
            return Vec::new();
        }
    }
    vec![Occurrence::new().set("url", h.url.to_string()).ev(&a.home_source(), "首页以HTTPS提供")]
}

pub(super) fn home_keywords(p: &HomeKeywords, a: &SiteAnalysis) -> Vec<Occurrence> {
    if a.home.is_none() {
        return Vec::new();
    }
    match homepage::keyword_shown(&a.footer, &p.keywords) {
        Some(k) => vec![Occurrence::new()
            .set("keyword", k)
            .set("url", a.site.url.to_string())
            .ev(&a.home_source(), format!("首页含“{k}”入口"))],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::adjustments::Adjustment;
    use crate::results::FindingKind;

    #[test]
    fn https_needs_the_plain_http_redirect() {
        let page = home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], "");
        let https = TestSite::new().home_url("https://www.test.gov.cn/").page("https://www.test.gov.cn/", page.clone());
        assert!(https.occurrences("bonus.https").is_empty(), "no redirect from http seen");
        let redirected = https.redirect("http://www.test.gov.cn/", "https://www.test.gov.cn/");
        assert_eq!(redirected.occurrences("bonus.https").len(), 1);
        assert!(TestSite::new().page("/", page).occurrences("bonus.https").is_empty(), "plain http earns nothing");
    }

    #[test]
    fn https_with_a_certificate_that_does_not_verify_earns_nothing() {
        let page = home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], "");
        let mut site = TestSite::new()
            .home_url("https://www.test.gov.cn/")
            .page("https://www.test.gov.cn/", page)
            .redirect("http://www.test.gov.cn/", "https://www.test.gov.cn/");
        let check = |error| gongkai_archive::TlsCheck {
            url: url::Url::parse("https://www.test.gov.cn/").unwrap(),
            checked_at: chrono::Utc::now(),
            error,
            detail: None,
            certificate: None,
            fetched_unverified: error.is_some(),
            warc: None,
        };
        site.capture.tls = vec![check(None)];
        assert_eq!(site.occurrences("bonus.https").len(), 1, "a verified certificate keeps the bonus");
        site.capture.tls = vec![check(Some(gongkai_archive::TlsErrorKind::Expired))];
        assert!(site.occurrences("bonus.https").is_empty());
    }

    #[test]
    fn home_keywords_finds_an_entry() {
        let with = TestSite::new().page("/", home(&[], &[], "<a href=\"/wza/\">无障碍浏览</a>"));
        let o = with.occurrences("bonus.accessibility");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["keyword"], "无障碍");
        assert!(TestSite::new().page("/", home(&[], &[], "")).occurrences("bonus.accessibility").is_empty());
    }

    #[test]
    fn manual_entries_become_findings_of_their_own() {
        // a manual rule has no occurrences of its own: the engine turns each adjustment into a finding (a deduction
        // here; a bonus would count only above the bonus gate)
        let it = items("/tzgg/", 3, "2025-11-15");
        let site = TestSite::new()
            .page("/", home(&[("/tzgg/", "通知公告")], &refs(&it), ""))
            .page("/tzgg/", list("通知公告", &refs(&it)))
            .page(&it[0].0, article(&it[0].1, "2025-11-14", "2025-11-15", ""));
        assert!(site.occurrences("bonus.manual").is_empty());
        let adj = Adjustment {
            site: "test".into(),
            rule: "bonus.manual".into(),
            points: -2.0,
            reason: "检查期间发现错别字".into(),
            evidence: None,
        };
        let r = site.score(&[adj]);
        let f = r.findings.iter().find(|f| f.rule == "bonus.manual").expect("a manual finding");
        assert_eq!(f.kind, FindingKind::Deduction);
        assert_eq!(f.points, 2.0);
        assert!(f.message.contains("检查期间发现错别字"), "{}", f.message);
        assert_eq!(f.title, "人工调整", "the rule's title from the rubric file");
    }
}
