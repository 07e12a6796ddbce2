//! Service and design checks: entries and links that answer, identity elements, search, domain.
//!
//! Parameters and their placeholders: `config/src/check/design.rs`.

use super::Occurrence;
use crate::analysis::footer::outcome_label;
use crate::analysis::{homepage, SiteAnalysis, Source};
use crate::engine::evidence;
use crate::engine::identity;
use gongkai_config::check::{BrokenLinks, DomainRule, EntryBroken, IdentityMissing, LinkScope, SearchForm};
use gongkai_config::Rubric;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn entry_broken(p: &EntryBroken, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for c in a.columns.iter().filter(|c| c.category.as_ref().is_some_and(|x| p.categories.contains(x))) {
        let status = if let Some(lc) = a.link_checks.get(c.url.as_str()) {
            lc.is_broken().then(|| outcome_label(lc))
        } else if let Some(pg) = c.page {
            (!a.docs[pg].ok()).then(|| format!("HTTP {}", a.docs[pg].status))
        } else {
            None
        };
        if let Some(status) = status {
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("url", c.url.to_string())
                    .set("status", status.clone())
                    .ev(
                        &Source { url: c.url.clone(), warc: c.page.map(|p| a.docs[p].warc.clone()) },
                        format!("入口链接访问结果：{status}"),
                    ),
            );
        }
    }
    out
}

pub(super) fn broken_links(p: &BrokenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let home_targets: BTreeSet<String> =
        a.home_doc().map(|h| h.links.iter().map(|l| l.href.as_str().to_string()).collect()).unwrap_or_default();
    // target → first page that links it
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in a.docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let is_home = Some(i) == a.home;
        let wanted = match p.scope {
            LinkScope::Home => is_home,
            LinkScope::Elsewhere => !is_home,
            LinkScope::All => true,
        };
        if !wanted {
            continue;
        }
        for l in &d.links {
            let t = l.href.as_str();
            if p.scope == LinkScope::Elsewhere && home_targets.contains(t) {
                continue;
            }
            if a.link_checks.get(t).is_some_and(|lc| lc.is_broken()) {
                found.entry(t.to_string()).or_insert(i);
            }
        }
    }
    found
        .into_iter()
        .map(|(t, i)| {
            let lc = &a.link_checks[&t];
            let status = outcome_label(lc);
            let src = a.source(i);
            Occurrence::new()
                .set("target", t.clone())
                .set("source", src.url.to_string())
                .set("status", status.clone())
                .ev(&src, format!("链接 {t} 访问结果：{status}"))
        })
        .collect()
}

pub(super) fn search_form(p: &SearchForm, a: &SiteAnalysis) -> Vec<Occurrence> {
    if a.home.is_none() || homepage::has_search_form(&a.footer, &p.hints) {
        return Vec::new();
    }
    vec![Occurrence::new().ev(&a.home_source(), "首页未发现站内搜索表单")]
}

pub(super) fn domain_rule(p: &DomainRule, a: &SiteAnalysis) -> Vec<Occurrence> {
    let host = a.site.url.host_str().unwrap_or("").to_ascii_lowercase();
    if p.pattern_for(a.site.level).is_match(&host) {
        return Vec::new();
    }
    let expected = if a.site.level.is_government() { "www.<名称>.gov.cn" } else { "<部门>.<政府域名>.gov.cn" };
    vec![Occurrence::new()
        .set("host", host.clone())
        .set("expected", expected)
        .ev(&a.home_source(), format!("域名 {host}"))]
}

/// `identity_missing`: the elements the home page does not show.
pub(super) fn identity_missing(p: &IdentityMissing, a: &SiteAnalysis, rubric: &Rubric) -> Vec<Occurrence> {
    if a.home.is_none() {
        return Vec::new();
    }
    let src = a.home_source();
    p.elements
        .iter()
        .filter(|k| identity::find(a, rubric, **k).is_none())
        .map(|k| {
            let label = rubric.identity.get(k).map(|e| e.label.clone()).unwrap_or_else(|| k.as_str().to_string());
            let mut o = Occurrence::new();
            o.values.insert("element", k.as_str().to_string());
            o.values.insert("element_name", label.clone());
            o.evidence.push(evidence(&src, format!("首页未发现{label}")));
            o
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn home_with(nav: &[(&str, &str)], extra: &str) -> TestSite {
        TestSite::new().page("/", home(nav, &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], extra))
    }

    #[test]
    fn entry_broken_when_the_service_entry_fails() {
        let entry = "http://zwfw.test.gov.cn/";
        let broken = home_with(&[(entry, "政务服务")], "").link_status(entry, 502);
        let o = broken.occurrences("service.entry_broken");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["column"], "政务服务");
        assert!(home_with(&[(entry, "政务服务")], "")
            .link_status(entry, 200)
            .occurrences("service.entry_broken")
            .is_empty());
    }

    #[test]
    fn broken_links_by_scope() {
        let site = home_with(&[], "<a href=\"/gone.html\">旧链接</a>").link_status("/gone.html", 404);
        let o = site.occurrences("design.broken_links_home");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["status"], "HTTP 404");
        assert!(site.occurrences("design.broken_links_site").is_empty(), "a home page link is not counted twice");
        assert!(home_with(&[], "<a href=\"/ok.html\">好链接</a>")
            .link_status("/ok.html", 200)
            .occurrences("design.broken_links_home")
            .is_empty());
    }

    #[test]
    fn identity_missing_names_each_absent_element() {
        assert!(home_with(&[], "").occurrences("design.identity").is_empty());
        let bare = TestSite::new().page("/", "<html><body><ul><li><a href=\"/a.html\">本县召开工作会议</a><span>2025-11-18</span></li></ul></body></html>");
        let o = bare.occurrences("design.identity");
        assert_eq!(o.len(), 6);
        assert_eq!(o[0].values["element"], "site_code");
        assert_eq!(o[0].values["element_name"], "网站标识码");
        assert_eq!(bare.occurrences("design.error_entry").len(), 1);
    }

    #[test]
    fn search_form_by_its_hints() {
        assert_eq!(home_with(&[], "").occurrences("design.search").len(), 1);
        let form = "<form action=\"/search/\"><input type=\"text\" name=\"keyword\"><input type=\"submit\"></form>";
        assert!(home_with(&[], form).occurrences("design.search").is_empty());
    }

    #[test]
    fn domain_rule_by_level() {
        assert!(home_with(&[], "").occurrences("design.domain").is_empty());
        let odd = TestSite::new()
            .home_url("http://test.example.com/")
            .page("http://test.example.com/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""));
        let o = odd.occurrences("design.domain");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["host"], "test.example.com");
    }
}
